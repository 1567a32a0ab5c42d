"""Configuration of the commercetools simulator (the defaults follow docs/SIMULATORS.md)."""

from __future__ import annotations

from dataclasses import dataclass

#: What an API client made with the "TikTok sync" template in the Merchant Center holds
#: (docs/OPERATIONS.md); ``manage_*`` includes the matching ``view_*``.
SCOPE_NAMES = (
    "view_project_settings",
    "manage_products",
    "manage_orders",
    "manage_types",
    "view_messages",
)


def scopes_for(project_key: str, names: tuple[str, ...] = SCOPE_NAMES) -> tuple[str, ...]:
    return tuple(f"{name}:{project_key}" for name in names)


@dataclass(frozen=True, slots=True)
class CommercetoolsSimulatorConfig:
    """Everything that shapes the simulator's behaviour.

    One project (`project_key`) served at ``/{project_key}/...`` with the OAuth2 token
    endpoint at ``/oauth/token`` on the same server (the API host and the auth host in one).
    `client_id`/`client_secret` is an API client granted `scopes` (all that ttsync needs when
    None); tokens live `token_lifetime_seconds` (172800, the platform's default).
    """

    project_key: str = "sim-project"
    project_name: str = "Simulated commercetools"
    currencies: tuple[str, ...] = ("GBP",)
    countries: tuple[str, ...] = ("GB",)
    languages: tuple[str, ...] = ("en-GB",)
    client_id: str = "sim-client"
    client_secret: str = "sim-client-secret"  # noqa: S105 a fixed fake credential
    scopes: tuple[str, ...] | None = None
    token_lifetime_seconds: int = 172_800
    messages_enabled: bool = False
    locations: tuple[str, ...] = ("Main Warehouse",)
    fault_seed: int = 0
    tick_interval_seconds: float = 0.25

    def granted(self) -> tuple[str, ...]:
        return self.scopes if self.scopes is not None else scopes_for(self.project_key)
