"""The kit every platform simulator is built on.

A simulator takes from here its clock (`SimClock`), fault injection (`FaultInjector`), call log
(`CallLog`), webhook sender (`WebhookSender` with a `DeliveryPolicy` of retries and
redeliveries), the ``/_sim/`` scaffolding (`install_control`, `add_control_routes`, a
`ControlDialect`), the gate helpers that apply a fault to a call (`serve_with_fault`), the
server (`AppServer`, `ticking`), the image CDN (`cdn`) and, for stores, the neutral control API
(`StoreControl`, `add_store_routes`, `StoreSeed`, `RunningStore`) and the wiring of all of it
(`store_app`: `install_store`, `StoreServer`). It writes only its own
endpoints and shapes. See docs/SIMULATORS.md.
"""

from __future__ import annotations

from simulators.kit import cdn
from simulators.kit.calls import Call, CallLog, CallQuery
from simulators.kit.clock import SimClock
from simulators.kit.control import (
    CONTROL_PREFIX,
    ControlHandler,
    ControlParts,
    add_control_routes,
    install_control,
)
from simulators.kit.dialect import ControlBody, ControlDialect, iso_utc, query_int
from simulators.kit.faults import (
    ANY_ENDPOINT,
    Chance,
    Fault,
    FaultInjector,
    FaultKind,
    FaultPlan,
    FaultRule,
    QueuedFault,
)
from simulators.kit.gate import hold, lose_answer, serve_with_fault
from simulators.kit.jsonio import (
    ControlError,
    JsonObject,
    bad_request,
    not_found,
    parse_model,
    read_json,
    read_model,
    read_object,
    reply,
)
from simulators.kit.server import AppServer, ticking
from simulators.kit.store import (
    CreatedProduct,
    CreatedVariant,
    Location,
    OrderLine,
    PriceChange,
    ProductSpec,
    RunningStore,
    Shipment,
    StockLevel,
    StockSpec,
    StoreControl,
    StoreOrder,
    StoreSeed,
    VariantSpec,
    add_store_routes,
)
from simulators.kit.webhooks import Attempt, Delivery, DeliveryPolicy, WebhookSender

__all__ = [
    "ANY_ENDPOINT",
    "CONTROL_PREFIX",
    "AppServer",
    "Attempt",
    "Call",
    "CallLog",
    "CallQuery",
    "Chance",
    "ControlBody",
    "ControlDialect",
    "ControlError",
    "ControlHandler",
    "ControlParts",
    "CreatedProduct",
    "CreatedVariant",
    "Delivery",
    "DeliveryPolicy",
    "Fault",
    "FaultInjector",
    "FaultKind",
    "FaultPlan",
    "FaultRule",
    "JsonObject",
    "Location",
    "OrderLine",
    "PriceChange",
    "ProductSpec",
    "QueuedFault",
    "RunningStore",
    "Shipment",
    "SimClock",
    "StockLevel",
    "StockSpec",
    "StoreControl",
    "StoreOrder",
    "StoreSeed",
    "VariantSpec",
    "WebhookSender",
    "add_control_routes",
    "add_store_routes",
    "bad_request",
    "cdn",
    "hold",
    "install_control",
    "iso_utc",
    "lose_answer",
    "not_found",
    "parse_model",
    "query_int",
    "read_json",
    "read_model",
    "read_object",
    "reply",
    "serve_with_fault",
    "ticking",
]
