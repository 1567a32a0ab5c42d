"""Settings: one TOML file, validated whole at start-up, with `TTSYNC_` env overrides.

Secrets are never required to sit in the TOML file itself. A secret field takes one of:

- ``"env:NAME"``: the value of environment variable NAME;
- ``"file:/path"``: the contents of that file (trailing newline stripped);
- ``"credential:NAME"``: ``$CREDENTIALS_DIRECTORY/NAME`` (systemd's ``LoadCredential=``);
- anything else: the literal value.

Every value is held as a `SecretStr`, so it prints as ``**********``.
"""

from __future__ import annotations

import tomllib
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, Union

from pydantic import (
    BaseModel,
    BeforeValidator,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

from daemon.config_types import (
    Duration,
    Secret,
    Section,
    parse_duration,
    positive,
    resolve_secret,
)
from daemon.connectors.registry import STORE_KINDS, known_kinds
from daemon.connectors.store_kind import StoreSettings
from daemon.connectors.tiktok.settings import TikTokSection
from daemon.errors import ConfigError
from daemon.ledger.sealing import valid_key

__all__ = [
    "DEFAULT_CONFIG_PATH",
    "Duration",
    "Secret",
    "Settings",
    "ShopSection",
    "StoreSettings",
    "TikTokSection",
    "load_settings",
    "parse_duration",
    "resolve_secret",
]

DEFAULT_CONFIG_PATH = Path("/etc/ttsync/ttsync.toml")
ADMIN_TOKEN_MIN_LENGTH = 16

_Section = Section

if TYPE_CHECKING:
    StoreChoice = StoreSettings
else:  # the `[shops.store]` table is read as the model its `kind` names
    StoreChoice = Annotated[
        Union[tuple(kind.settings for kind in STORE_KINDS.values())],  # noqa: UP007 built at run time
        Field(discriminator="kind"),
    ]


class DaemonSection(_Section):
    drain_timeout: Duration = timedelta(seconds=30)
    log_level: Literal["debug", "info", "warning", "error"] = "info"
    log_format: Literal["auto", "json", "console"] = "auto"
    failures_before_unready: int = Field(default=3, ge=1)
    # A webhook's targeted run waits this long for more webhooks to join it.
    webhook_debounce: Duration = timedelta(seconds=1)


class HttpSection(_Section):
    host: str = "127.0.0.1"
    port: int = Field(default=8787, ge=0, le=65535)
    # Enables the status page's actions (retry, resync) for whoever signs in with it; without
    # it the page is read-only. A secret reference like the others ("credential:admin-token").
    admin_token: Secret | None = None

    @field_validator("admin_token")
    @classmethod
    def _long_enough(cls, token: SecretStr | None) -> SecretStr | None:
        if token is not None and len(token.get_secret_value()) < ADMIN_TOKEN_MIN_LENGTH:
            raise ValueError(
                f"must be at least {ADMIN_TOKEN_MIN_LENGTH} characters (it guards the status "
                "page's actions); e.g. head -c 24 /dev/urandom | base64"
            )
        return token


class LedgerSection(_Section):
    path: Path = Path("/var/lib/ttsync/ledger.sqlite3")
    busy_timeout: Duration = timedelta(seconds=5)
    checkpoint_interval: Duration = timedelta(minutes=1)
    run_retention: Duration = timedelta(days=30)
    # Tokens in the ledger are encrypted with this Fernet key; earlier keys still open them
    # until the next start re-encrypts them with token_key (docs/OPERATIONS.md, key rotation).
    token_key: Secret | None = None
    previous_token_keys: list[Secret] = Field(default_factory=list)

    @field_validator("token_key", "previous_token_keys")
    @classmethod
    def _fernet_keys(cls, value: SecretStr | list[SecretStr] | None) -> object:
        for key in value if isinstance(value, list) else [value] if value else []:
            valid_key(key.get_secret_value())
        return value

    @model_validator(mode="after")
    def _previous_needs_current(self) -> LedgerSection:
        if self.previous_token_keys and self.token_key is None:
            raise ValueError("previous_token_keys is set but token_key is not")
        return self

    def token_keys(self) -> list[str]:
        """The current key first, then the previous ones; empty without a key."""
        keys = [self.token_key, *self.previous_token_keys] if self.token_key else []
        return [key.get_secret_value() for key in keys]


class RetrySection(_Section):
    base_delay: Duration = timedelta(minutes=1)
    max_delay: Duration = timedelta(hours=6)
    max_attempts: int = Field(default=8, ge=1)


class LocationRule(_Section):
    """Store locations whose stock feeds one TikTok warehouse; ``["*"]`` means every active one."""

    locations: list[str] = Field(min_length=1)
    warehouse: str = Field(min_length=1)


class SyncRules(_Section):
    stock_percentage: Decimal = Field(default=Decimal(100), ge=0, le=100)
    safety_buffer: int = Field(default=0, ge=0)
    out_of_stock_threshold: int = Field(default=0, ge=0)
    max_quantity: int = Field(default=99_999, ge=1)
    locations: list[LocationRule] = Field(default_factory=list)
    content_updates: bool = False
    push_store_cancellations: bool = False


class CategoryRule(_Section):
    """Products matching `match_by` = `value` go to TikTok leaf category `category_id`."""

    match_by: Literal["product_id", "product_type", "collection", "tag"]
    value: str = Field(min_length=1)
    category_id: str = Field(pattern=r"^\d+$")
    category_name: str | None = None


class PackageDefaults(_Section):
    """Used when the store has no weight (or TikTok needs dimensions the store lacks)."""

    weight_kg: Decimal = Field(gt=0, le=1000)
    length_cm: int | None = Field(default=None, ge=1)
    width_cm: int | None = Field(default=None, ge=1)
    height_cm: int | None = Field(default=None, ge=1)


class CatalogSection(_Section):
    # First matching rule wins; a product matching none is Unmapped and not published.
    categories: list[CategoryRule] = Field(default_factory=list)
    # Categories whose products may go without a GTIN/EAN/UPC.
    identifier_exempt_categories: list[str] = Field(default_factory=list)
    # Categories where an ISBN is the identifier code.
    book_categories: list[str] = Field(default_factory=list)
    # Per category id; `fallback_package` when a category has none.
    package_defaults: dict[str, PackageDefaults] = Field(default_factory=dict)
    fallback_package: PackageDefaults | None = None
    require_seller_sku: bool = True
    require_dimensions: bool = True
    # Link a store product to a TikTok product with the same seller SKUs instead of creating.
    link_existing: bool = True
    # Polling re-reads this much before the last bookmark, so late writes are not missed.
    overlap: Duration = timedelta(minutes=5)
    # Products prepared and published at once (TikTok's rate limits pace the calls).
    publish_concurrency: int = Field(default=8, ge=1, le=64)
    # After TikTok refuses a new product for the shop's listing quota, new listings pause this
    # long (the products wait as "waiting_for_quota"), then the next catalog run tries again.
    quota_wait: Duration = timedelta(hours=1)


class OrdersSection(_Section):
    # Carrier names and aliases beyond the built-in UK designated carriers (TOML, see
    # config/carriers.toml).
    carriers_file: Path | None = None
    # Where an unknown carrier goes (recorded on the order).
    default_carrier: str = "Royal Mail"
    # What creating the store order does to store stock: "reduce" it (even below zero: TikTok
    # has sold the units), "reduce_if_available" (the store refuses the order when short), or
    # "leave" it alone. Each store kind maps this to its own switch.
    stock_on_create: Literal["leave", "reduce", "reduce_if_available"] = "reduce"
    # The label imported orders carry in the store, where the store has labels (tags, say);
    # every store also keeps the TikTok order id on the order.
    tag: str = "TikTok Shop"
    # Order search re-reads this much before the cursor.
    overlap: Duration = timedelta(minutes=5)
    # How far back the very first order, fulfilment and cancellation polls look (no cursor yet).
    backfill: Duration = timedelta(days=7)
    # The TikTok cancel reason used when a store cancellation is pushed
    # (rules.push_store_cancellations).
    cancel_reason: str = "seller_cancel_reason_out_of_stock_uk"


def _schedule(value: object) -> timedelta | None:
    if value in ("off", False):
        return None
    return positive(parse_duration(value))


Schedule = Annotated[timedelta | None, BeforeValidator(_schedule)]


class Schedules(_Section):
    """How often each job runs for this shop: a duration such as ``"5m"``, or ``"off"``."""

    connect: Schedule = timedelta(minutes=15)
    catalog: Schedule = timedelta(minutes=10)
    inventory: Schedule = timedelta(minutes=2)
    price: Schedule = timedelta(minutes=5)
    orders: Schedule = timedelta(minutes=2)
    fulfillment: Schedule = timedelta(minutes=5)
    cancellations: Schedule = timedelta(minutes=5)


class ShopSection(_Section):
    name: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,62}$")
    store: StoreChoice
    tiktok: TikTokSection
    rules: SyncRules = Field(default_factory=SyncRules)
    catalog: CatalogSection = Field(default_factory=CatalogSection)
    orders: OrdersSection = Field(default_factory=OrdersSection)
    schedules: Schedules = Field(default_factory=Schedules)


class Settings(BaseSettings):
    """The whole configuration. Build it with `load_settings`, never directly."""

    model_config = SettingsConfigDict(
        env_prefix="TTSYNC_",
        env_nested_delimiter="__",
        extra="forbid",
        frozen=True,
    )

    daemon: DaemonSection = Field(default_factory=DaemonSection)
    http: HttpSection = Field(default_factory=HttpSection)
    ledger: LedgerSection = Field(default_factory=LedgerSection)
    retry: RetrySection = Field(default_factory=RetrySection)
    shops: list[ShopSection] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_shop_names(self) -> Settings:
        names = [shop.name for shop in self.shops]
        duplicates = sorted({name for name in names if names.count(name) > 1})
        if duplicates:
            raise ValueError(f"shop names must be unique; repeated: {', '.join(duplicates)}")
        return self

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # The TOML file arrives as init kwargs; environment variables override it.
        del settings_cls, dotenv_settings, file_secret_settings
        return (env_settings, init_settings)

    def secret_values(self) -> list[str]:
        """Every secret's plain value, so that logging can scrub them."""
        found: list[str] = []
        _collect_secrets(self, found)
        return found


def _collect_secrets(node: object, found: list[str]) -> None:
    if isinstance(node, SecretStr):
        found.append(node.get_secret_value())
    elif isinstance(node, BaseModel):
        for name in type(node).model_fields:
            _collect_secrets(getattr(node, name), found)
    elif isinstance(node, list):
        for item in node:
            _collect_secrets(item, found)


def load_settings(path: Path) -> Settings:
    """Read and validate the file; raise `ConfigError` naming every problem and the file."""
    source = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(source, [f"cannot read the file: {exc.strerror}"]) from None
    try:
        data: dict[str, Any] = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(source, ["the file is not UTF-8 text"]) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(source, [f"invalid TOML: {exc}"]) from None
    try:
        return Settings(**data)
    except ValidationError as exc:
        raise ConfigError(source, [_describe(error) for error in exc.errors()]) from None


def _describe(error: Any) -> str:
    path = ""
    after_store = False
    for part in error["loc"]:
        if after_store and part in STORE_KINDS:
            continue  # the kind pydantic read the table as, not a key of the file
        after_store = part == "store"
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    message = str(error["msg"]).removeprefix("Value error, ")
    if error["type"] == "extra_forbidden":
        message = "unknown key (check the spelling against the example config of this kind)"
    elif error["type"] == "union_tag_invalid":
        message = f"unknown store kind {error['input'].get('kind')!r}; known kinds: {known_kinds()}"
    elif error["type"] == "union_tag_not_found":
        message = f"'kind' is missing; known kinds: {known_kinds()}"
    return f"{path or '(top level)'}: {message}"
