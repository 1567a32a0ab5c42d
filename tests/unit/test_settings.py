from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from daemon.connectors.registry import STORE_KINDS, known_kinds
from daemon.errors import ConfigError
from daemon.settings import load_settings, parse_duration
from tests.conftest import MINIMAL_SHOP

CONFIG = Path(__file__).parents[2] / "config"
EXAMPLE = CONFIG / "example-shopify.toml"


def problems(path: Path) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    assert caught.value.source == str(path)
    return caught.value.problems


def test_example_config_is_valid(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CREDENTIALS_DIRECTORY", str(tmp_path))
    for name in ("shopify-token", "shopify-webhook-secret", "tiktok-app-secret"):
        (tmp_path / name).write_text("secret-for-" + name + "\n")
    settings = load_settings(EXAMPLE)
    assert settings.shops[0].name == "uk-main"
    assert settings.shops[0].store.access_token.get_secret_value() == "secret-for-shopify-token"


def test_every_store_kind_has_an_example_config_that_validates(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("CREDENTIALS_DIRECTORY", str(tmp_path))
    examples = {path.stem.removeprefix("example-"): path for path in CONFIG.glob("example-*.toml")}
    assert set(examples) == set(STORE_KINDS)
    for kind, path in examples.items():
        for line in path.read_text().splitlines():  # every credential it names, made up
            if "credential:" in line and not line.lstrip().startswith("#"):
                name = line.split("credential:")[1].strip().strip('"')
                (tmp_path / name).write_text(f"secret-for-{name}\n")
        settings = load_settings(path)
        assert {shop.store.kind for shop in settings.shops} == {kind}


def test_an_unknown_store_kind_lists_the_known_ones(write_config) -> None:
    found = problems(write_config(MINIMAL_SHOP.replace('kind = "shopify"', 'kind = "nope"')))
    assert found == [f"shops[0].store: unknown store kind 'nope'; known kinds: {known_kinds()}"]


def test_a_missing_store_kind_is_named(write_config) -> None:
    found = problems(write_config(MINIMAL_SHOP.replace('kind = "shopify"\n', "")))
    assert found == [f"shops[0].store: 'kind' is missing; known kinds: {known_kinds()}"]


def test_a_store_key_error_is_named_without_the_kind_in_its_path(write_config) -> None:
    found = problems(write_config(MINIMAL_SHOP.replace("shop_domain", "shop_domian")))
    assert "shops[0].store.shop_domian: unknown key" in " ".join(found)


def test_minimal_config_takes_defaults(write_config) -> None:
    settings = load_settings(write_config(MINIMAL_SHOP))
    assert settings.http.host == "127.0.0.1"
    assert settings.http.port == 8787
    assert settings.shops[0].rules.max_quantity == 99_999
    assert settings.shops[0].schedules.connect == timedelta(minutes=15)


def test_every_problem_is_named_with_its_key_path(write_config) -> None:
    path = write_config(
        """
        [http]
        port = "eighty"
        [[shops]]
        name = "Bad Name"
        [shops.store]
        kind = "shopify"
        shop_domain = "demo.example.com"
        acess_token = "typo"
        [shops.tiktok]
        app_key = "k"
        app_secret = "s3cret"
        """
    )
    found = problems(path)
    assert any(p.startswith("http.port:") for p in found)
    assert any(p.startswith("shops[0].name:") for p in found)
    assert any(p.startswith("shops[0].store.shop_domain:") for p in found)
    assert "shops[0].store.acess_token: unknown key" in " ".join(found)
    assert any(p.startswith("shops[0].store.access_token: Field required") for p in found)


def test_invalid_toml_names_the_line(write_config) -> None:
    found = problems(write_config("[http\nport = 1\n"))
    assert found[0].startswith("invalid TOML:")
    assert "line 1" in found[0]


def test_missing_file_is_a_config_error(tmp_path: Path) -> None:
    assert problems(tmp_path / "absent.toml") == ["cannot read the file: No such file or directory"]


def test_no_shops_is_an_error(write_config) -> None:
    assert any(p.startswith("shops:") for p in problems(write_config("[http]\nport = 1\n")))


def test_duplicate_shop_names(write_config) -> None:
    found = problems(write_config(MINIMAL_SHOP + MINIMAL_SHOP))
    assert any("repeated: uk" in p for p in found)


def test_secret_from_env_file_and_credential(
    write_config, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SHOPIFY_TOKEN", "from-env-123")
    (tmp_path / "tiktok.secret").write_text("from-file-456\n")
    creds = tmp_path / "creds"
    creds.mkdir()
    (creds / "hook").write_text("from-credential-789")
    monkeypatch.setenv("CREDENTIALS_DIRECTORY", str(creds))
    text = (
        MINIMAL_SHOP.replace('"shpat_0123456789abcdef"', '"env:SHOPIFY_TOKEN"')
        .replace('"tiktok-app-secret-xyz"', f'"file:{tmp_path}/tiktok.secret"')
        .replace("[shops.tiktok]", 'webhook_secret = "credential:hook"\n[shops.tiktok]')
    )
    settings = load_settings(write_config(text))
    shop = settings.shops[0]
    assert shop.store.access_token.get_secret_value() == "from-env-123"
    assert shop.tiktok.app_secret.get_secret_value() == "from-file-456"
    assert shop.store.webhook_secret is not None
    assert shop.store.webhook_secret.get_secret_value() == "from-credential-789"
    assert "from-env-123" not in repr(settings)
    assert sorted(settings.secret_values()) == [
        "from-credential-789",
        "from-env-123",
        "from-file-456",
    ]


def test_unreadable_secret_names_key_not_value(write_config, monkeypatch) -> None:
    monkeypatch.delenv("CREDENTIALS_DIRECTORY", raising=False)
    text = MINIMAL_SHOP.replace('"tiktok-app-secret-xyz"', '"credential:tiktok"')
    found = problems(write_config(text))
    assert found == [
        (
            "shops[0].tiktok.app_secret: credential 'tiktok' asked for but "
            "$CREDENTIALS_DIRECTORY is not set (use LoadCredential= in the systemd unit)"
        )
    ]


def test_env_overrides_the_file(write_config, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TTSYNC_HTTP__PORT", "9999")
    monkeypatch.setenv("TTSYNC_LEDGER__PATH", "/tmp/other.sqlite3")
    settings = load_settings(write_config("[http]\nport = 1234\n" + MINIMAL_SHOP))
    assert settings.http.port == 9999
    assert settings.ledger.path == Path("/tmp/other.sqlite3")


def test_bad_env_override_is_named(write_config, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TTSYNC_HTTP__PORT", "not-a-port")
    assert any(p.startswith("http.port:") for p in problems(write_config(MINIMAL_SHOP)))


def test_schedules_accept_durations_and_off(write_config) -> None:
    settings = load_settings(write_config(MINIMAL_SHOP + '[shops.schedules]\nconnect = "off"\n'))
    assert settings.shops[0].schedules.connect is None
    found = problems(write_config(MINIMAL_SHOP + '[shops.schedules]\nconnect = "soon"\n'))
    assert found[0].startswith("shops[0].schedules.connect: expected a duration")


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("90s", 90), ("5m", 300), ("1.5h", 5400), ("250ms", 0.25), ("2d", 172800), (30, 30)],
)
def test_parse_duration(text: str | int, seconds: float) -> None:
    assert parse_duration(text) == timedelta(seconds=seconds)


@pytest.mark.parametrize("text", ["", "5", "5 weeks", "-1s", True])
def test_parse_duration_rejects(text: object) -> None:
    with pytest.raises(ValueError, match="expected a duration"):
        parse_duration(text)
