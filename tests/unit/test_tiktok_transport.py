from __future__ import annotations

from urllib.parse import parse_qsl

import pytest

from daemon.connectors.tiktok import endpoints as ep
from daemon.connectors.tiktok.channel import iterate_pages
from daemon.connectors.tiktok.errors import TikTokFatalError
from daemon.connectors.tiktok.models.common import Page
from daemon.connectors.tiktok.signing import sign_request
from daemon.connectors.tiktok.transport import encode_query

TOKENS = [
    "6AsPQsUMvH3R+7D1ud64MPNz5OaT",
    "aDU2dHIz/eh==",
    "+/=&?# %",
]


@pytest.mark.parametrize("token", TOKENS)
def test_page_tokens_are_percent_encoded_and_round_trip(token):
    query = encode_query({"page_size": "20", "page_token": token})
    raw_value = query.split("page_token=", 1)[1]
    for reserved in "+/=&?# ":
        assert reserved not in raw_value
    assert dict(parse_qsl(query, keep_blank_values=True))["page_token"] == token


def test_signature_covers_the_decoded_value_the_server_sees():
    token = "aDU2dHIz+/eh=="
    params = {"app_key": "k", "timestamp": "1", "page_token": token}
    decoded = dict(parse_qsl(encode_query(params)))
    assert sign_request("s", "/p", decoded, b"") == sign_request("s", "/p", params, b"")


def test_comma_joined_ids_survive_encoding():
    assert dict(parse_qsl(encode_query({"ids": "1,2,3"})))["ids"] == "1,2,3"


def test_path_parameters_are_rendered_as_single_segments():
    path = ep.UPDATE_INVENTORY.render(product_id="1729")
    assert path == "/product/202309/products/1729/inventory/update"
    assert ep.GET_PRODUCT.render(product_id="a/b") == "/product/202309/products/a%2Fb"
    with pytest.raises(ValueError, match="path parameters"):
        ep.GET_PRODUCT.render()
    with pytest.raises(ValueError, match="empty"):
        ep.GET_PRODUCT.render(product_id="")


def test_shop_cipher_is_sent_exactly_where_the_platform_takes_it():
    without_cipher = {endpoint.name for endpoint in ep.ALL_ENDPOINTS if not endpoint.shop_scoped}
    assert without_cipher == {"authorization.shops", "product.upload_image"}


def test_endpoint_names_are_unique_metric_labels():
    names = [endpoint.name for endpoint in ep.ALL_ENDPOINTS]
    assert len(names) == len(set(names))
    assert all("{" not in name for name in names)


def test_only_uploads_are_multipart_and_calls_with_side_effects_are_not_repeated_blindly():
    assert {e.name for e in ep.ALL_ENDPOINTS if e.multipart} == {"product.upload_image"}
    not_idempotent = {e.name for e in ep.ALL_ENDPOINTS if not e.idempotent}
    assert not_idempotent == {
        "product.upload_image",
        "fulfillment.mark_shipped",
        "cancellation.cancel",
    }


async def collect(iterator):
    return [item async for item in iterator]


async def test_iterate_pages_follows_tokens_until_the_last_page():
    pages = {
        None: Page(("a", "b"), "t+1/=", 5),
        "t+1/=": Page(("c", "d"), "t+2/=", 5),
        "t+2/=": Page(("e",), None, 5),
    }
    asked: list[str | None] = []

    async def fetch(token):
        asked.append(token)
        return pages[token]

    assert await collect(iterate_pages(fetch)) == ["a", "b", "c", "d", "e"]
    assert asked == [None, "t+1/=", "t+2/="]


async def test_iterate_pages_stops_on_a_repeated_token():
    async def fetch(token):
        return Page(("x",), "same", None)

    with pytest.raises(TikTokFatalError, match="repeated"):
        await collect(iterate_pages(fetch))
