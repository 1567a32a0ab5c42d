"""Configuration of the Magento 2 REST simulator (the defaults follow docs/SIMULATORS.md)."""

from __future__ import annotations

from dataclasses import dataclass

#: The ACL resources an integration needs for what ttsync does (docs/OPERATIONS.md).
ALL_RESOURCES = (
    "Magento_Backend::store",
    "Magento_Catalog::products",
    "Magento_Catalog::categories",
    "Magento_InventoryApi::source",
    "Magento_InventoryApi::stock",
    "Magento_Sales::actions_view",
    "Magento_Sales::create",
    "Magento_Sales::invoice",
    "Magento_Sales::ship",
    "Magento_Sales::cancel",
    "Magento_Sales::comment",
)


@dataclass(frozen=True, slots=True)
class MagentoSimulatorConfig:
    """Everything that shapes the simulator's behaviour.

    `access_token` is the integration's access token, accepted as a standalone bearer only when
    `integration_as_bearer` is on (``oauth/consumer/enable_integration_as_bearer``, off by
    default since 2.4.4 on a real store, on here because that is how ttsync connects).
    `resources` are the ACL resources the integration was granted. With `input_limit_enabled`
    (``webapi/validation/input_limit_enabled``) a search page holds at most `max_page_size`
    items and `default_page_size` when none is asked for; without it, all of them.
    """

    store_name: str = "Simulated Magento"
    store_code: str = "default"
    currency: str = "GBP"
    access_token: str = "magento_integration_token"  # noqa: S105 a fixed fake credential
    integration_as_bearer: bool = True
    resources: tuple[str, ...] = ALL_RESOURCES
    input_limit_enabled: bool = True
    max_page_size: int = 300
    default_page_size: int = 20
    locations: tuple[str, ...] = ("Default Source",)
    fault_seed: int = 0
    first_order_number: int = 1
    tick_interval_seconds: float = 0.25
