from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from daemon.connectors.tiktok.auth import AuthorizationStatus, choose_shop
from daemon.connectors.tiktok.errors import TikTokAuthError
from daemon.connectors.tiktok.models import AuthorizedShop
from daemon.errors import ConfigError

SHOP_A = AuthorizedShop(id="7000714532876273420", name="A", region="GB", cipher="GCP_a")
SHOP_B = AuthorizedShop(id="7000714532876273421", name="B", region="GB", cipher="GCP_b")


def test_the_only_shop_is_chosen_without_configuration():
    assert choose_shop([SHOP_A], None, "shop 'main'") is SHOP_A


def test_the_configured_shop_is_chosen_among_several():
    assert choose_shop([SHOP_A, SHOP_B], SHOP_B.id, "shop 'main'") is SHOP_B


def test_several_shops_without_configuration_is_a_clear_config_error():
    with pytest.raises(ConfigError) as caught:
        choose_shop([SHOP_A, SHOP_B], None, "shop 'main': tiktok.shop_id")
    text = str(caught.value)
    assert "set shop_id" in text
    assert SHOP_A.id in text
    assert SHOP_B.id in text


def test_an_unknown_configured_shop_is_a_config_error():
    with pytest.raises(ConfigError, match="not among"):
        choose_shop([SHOP_A], "123", "shop 'main'")


def test_no_shop_at_all_is_an_auth_error():
    with pytest.raises(TikTokAuthError):
        choose_shop([], None, "shop 'main'")


def test_authorization_close_to_expiry():
    now = datetime(2026, 1, 1, tzinfo=UTC)
    status = AuthorizationStatus(
        access_expires_at=now + timedelta(days=7),
        authorization_expires_at=now + timedelta(days=20),
        seller_name="Seller",
        scopes=("seller.order.info",),
    )
    assert status.expires_within(timedelta(days=30), now)
    assert not status.expires_within(timedelta(days=10), now)
