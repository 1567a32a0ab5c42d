"""Orders: Create Order by Import (``orderNumber`` unique in the project, inventory tracked as
`inventoryMode` says) and the update actions ttsync and a merchant use: order, shipment and
payment states, deliveries with parcels and tracking data, custom fields."""

from __future__ import annotations

import copy
from typing import Any

from simulators.commercetools.errors import CtError, conflict, duplicate, invalid_input
from simulators.commercetools.records import (
    DeliveryRec,
    LineItemRec,
    OrderRec,
    ParcelRec,
)
from simulators.commercetools.state import Project

INVENTORY_MODES = frozenset({"None", "TrackOnly", "ReserveOnOrder", "ReserveOnCart"})
ORDER_STATES = frozenset({"Open", "Confirmed", "Complete", "Cancelled"})
SHIPMENT_STATES = frozenset(
    {"Shipped", "Delivered", "Ready", "Pending", "Delayed", "Partial", "Backorder", "Canceled"}
)
PAYMENT_STATES = frozenset({"BalanceDue", "Failed", "Pending", "CreditOwed", "Paid"})


def parse_money(raw: Any, where: str) -> tuple[int, str]:
    if not isinstance(raw, dict):
        raise invalid_input(f"{where}: Missing required value")
    cents, currency = raw.get("centAmount"), raw.get("currencyCode")
    if isinstance(cents, bool) or not isinstance(cents, int):
        raise invalid_input(f"{where}.centAmount: Missing required value")
    if not isinstance(currency, str) or len(currency) != 3:  # noqa: PLR2004 ISO 4217
        raise invalid_input(f"{where}.currencyCode: Missing required value")
    return cents, currency


def _channel_id(project: Project, raw: Any, where: str) -> str | None:
    if raw is None:
        return None
    if isinstance(raw, dict):
        if isinstance(raw.get("id"), str) and raw["id"] in project.channels:
            return str(raw["id"])
        if isinstance(raw.get("key"), str):
            found = project.channel_by_key(raw["key"])
            if found is not None:
                return found.id
    raise CtError(400, "ReferencedResourceNotFound", f"{where}: the channel {raw!r} was not found.")


def _line(project: Project, raw: Any, n: int, mode: str) -> LineItemRec:
    where = f"lineItems[{n}]"
    if not isinstance(raw, dict) or not isinstance(raw.get("name"), dict):
        raise invalid_input(f"{where}.name: Missing required value")
    variant = raw.get("variant")
    sku = variant.get("sku") if isinstance(variant, dict) else None
    found = project.variant_by_sku(sku) if isinstance(sku, str) else None
    if found is None and isinstance(variant, dict) and isinstance(raw.get("productId"), str):
        product = project.products.get(raw["productId"])
        wanted = variant.get("id")
        match = [v for v in product.variants if v.id == wanted] if product else []
        found = (product, match[0]) if product and match else None
    if found is None:
        raise invalid_input(f"{where}.variant: no product variant with {variant!r}.")
    product, rec = found
    quantity = raw.get("quantity")
    if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 1:
        raise invalid_input(f"{where}.quantity: must be a positive whole number")
    price = raw.get("price")
    cents, currency = parse_money(
        price.get("value") if isinstance(price, dict) else None, f"{where}.price.value"
    )
    line_mode = raw.get("inventoryMode")
    if line_mode is not None and line_mode not in INVENTORY_MODES:
        raise invalid_input(f"{where}.inventoryMode: unknown value {line_mode!r}")
    return LineItemRec(
        id=project.new_id(),
        product_id=product.id,
        variant_id=rec.id,
        sku=rec.sku,
        name={str(k): str(v) for k, v in raw["name"].items()},
        quantity=quantity,
        cents=cents,
        currency=currency,
        supply_channel_id=_channel_id(project, raw.get("supplyChannel"), f"{where}.supplyChannel"),
        inventory_mode=line_mode if line_mode != mode else None,
    )


def _custom(project: Project, raw: Any) -> dict[str, Any] | None:
    if raw is None:
        return None
    given = raw.get("type") if isinstance(raw, dict) else None
    found = None
    if isinstance(given, dict):
        found = project.types.get(str(given.get("id"))) or next(
            (t for t in project.types.values() if t.key == given.get("key")), None
        )
    if found is None:
        raise CtError(400, "ReferencedResourceNotFound", f"custom.type: {given!r} was not found.")
    fields = raw.get("fields") or {}
    unknown = sorted(set(fields) - found.field_names())
    if unknown:
        raise invalid_input(f"custom.fields: no field definition for {unknown[0]!r}.")
    return {"type": {"typeId": "type", "id": found.id}, "fields": dict(fields)}


def _reserve(project: Project, lines: list[LineItemRec], mode: str) -> None:
    """`TrackOnly` deducts the available quantity whatever it is; ``ReserveOnOrder`` refuses a
    line short of stock unless its entry is restockable; both refuse a line without entry."""
    short: list[LineItemRec] = []
    entries = []
    for line in lines:
        line_mode = line.inventory_mode or mode
        if line_mode not in {"TrackOnly", "ReserveOnOrder"}:
            continue
        entry = project.entry(line.sku or "", line.supply_channel_id)
        reserve_short = (
            entry is not None
            and line_mode == "ReserveOnOrder"
            and entry.available < line.quantity
            and entry.restockable_in_days is None
        )
        if entry is None or reserve_short:
            short.append(line)
        else:
            entries.append((entry, line.quantity))
    if short:
        skus = [line.sku or "" for line in short]
        raise CtError(
            400,
            "OutOfStock",
            "Some line items are out of stock at the time of placing the order: "
            f"{', '.join(skus)}.",
            lineItems=[line.id for line in short],
            skus=skus,
        )
    for entry, quantity in entries:
        entry.reserved += quantity
        project.touch_entry(entry)


def import_order(project: Project, draft: dict[str, Any]) -> OrderRec:
    number = draft.get("orderNumber")
    if number is not None and not isinstance(number, str):
        raise invalid_input("orderNumber: must be a string")
    if number is not None and number in project.order_numbers:
        raise duplicate("orderNumber", number)
    cents, currency = parse_money(draft.get("totalPrice"), "totalPrice")
    mode = draft.get("inventoryMode", "None")
    if mode not in INVENTORY_MODES:
        raise invalid_input(f"inventoryMode: unknown value {mode!r}")
    raw_lines = draft.get("lineItems") or []
    lines = [_line(project, raw, n, mode) for n, raw in enumerate(raw_lines)]
    custom = _custom(project, draft.get("custom"))
    states = (
        (draft.get("orderState", "Open"), ORDER_STATES, "orderState"),
        (draft.get("shipmentState"), SHIPMENT_STATES, "shipmentState"),
        (draft.get("paymentState"), PAYMENT_STATES, "paymentState"),
    )
    for value, allowed, name in states:
        if value is not None and value not in allowed:
            raise invalid_input(f"{name}: unknown value {value!r}")
    _reserve(project, lines, mode)
    moment = project.now()
    extra: dict[str, Any] = {
        k: draft[k]
        for k in ("taxedPrice", "customLineItems", "itemShippingAddresses")
        if k in draft
    }
    order = OrderRec(
        id=project.new_id(),
        version=1,
        order_number=number,
        customer_email=draft.get("customerEmail"),
        line_items=lines,
        total_cents=cents,
        currency=currency,
        order_state=str(states[0][0]),
        shipment_state=draft.get("shipmentState"),
        payment_state=draft.get("paymentState"),
        inventory_mode=mode,
        shipping_address=draft.get("shippingAddress"),
        billing_address=draft.get("billingAddress"),
        shipping_info=draft.get("shippingInfo"),
        custom=custom,
        created_at=moment,
        last_modified_at=moment,
        completed_at=draft.get("completedAt"),
        extra=extra,
    )
    project.orders[order.id] = order
    if number is not None:
        project.order_numbers[number] = order.id
    project.message("OrderImported", "order", order.id, order.version)
    return order


def _items(project: Project, order: OrderRec, raw: Any, where: str) -> list[tuple[str, int]]:
    del project
    known = {line.id for line in order.line_items}
    items = []
    for n, item in enumerate(raw or []):
        if not isinstance(item, dict) or item.get("id") not in known:
            raise invalid_input(f"{where}[{n}].id: no line item {item!r} in this order.")
        quantity = item.get("quantity")
        if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 0:
            raise invalid_input(f"{where}[{n}].quantity: must be a whole number")
        items.append((str(item["id"]), quantity))
    return items


def add_delivery(project: Project, order: OrderRec, action: dict[str, Any]) -> None:
    moment = project.now()
    parcels = []
    for n, raw in enumerate(action.get("parcels") or []):
        tracking = raw.get("trackingData") or {} if isinstance(raw, dict) else {}
        parcels.append(
            ParcelRec(
                id=project.new_id(),
                tracking_id=tracking.get("trackingId"),
                carrier=tracking.get("carrier"),
                created_at=moment,
                items=_items(project, order, raw.get("items"), f"parcels[{n}].items"),
            )
        )
    items = _items(project, order, action.get("items"), "items")
    key = action.get("deliveryKey")
    order.deliveries.append(DeliveryRec(project.new_id(), key, items, parcels, moment))
    project.message("DeliveryAdded", "order", order.id, order.version + 1)


def apply_action(project: Project, order: OrderRec, action: dict[str, Any]) -> None:  # noqa: C901, PLR0912 one branch per documented action
    name = action.get("action")
    if name == "changeOrderState":
        state = action.get("orderState")
        if state not in ORDER_STATES:
            raise invalid_input(f"changeOrderState: unknown orderState {state!r}")
        order.order_state = str(state)
    elif name == "changeShipmentState":
        state = action.get("shipmentState")
        if state not in SHIPMENT_STATES:
            raise invalid_input(f"changeShipmentState: unknown shipmentState {state!r}")
        order.shipment_state = str(state)
    elif name == "changePaymentState":
        state = action.get("paymentState")
        if state not in PAYMENT_STATES:
            raise invalid_input(f"changePaymentState: unknown paymentState {state!r}")
        order.payment_state = str(state)
    elif name == "addDelivery":
        add_delivery(project, order, action)
    elif name == "setCustomType":
        order.custom = _custom(
            project, {"type": action.get("type"), "fields": action.get("fields")}
        )
    elif name == "setCustomField":
        if order.custom is None:
            raise invalid_input("setCustomField: the order has no custom type.")
        field = str(action.get("name"))
        type_id = order.custom["type"]["id"]
        if field not in project.types[type_id].field_names():
            raise invalid_input(f"setCustomField: no field definition for {field!r}.")
        if action.get("value") is None:
            order.custom["fields"].pop(field, None)
        else:
            order.custom["fields"][field] = action["value"]
    else:
        raise invalid_input(f"Unknown update action {name!r} for orders.")


def update(
    project: Project, order: OrderRec, version: int, actions: list[dict[str, Any]]
) -> OrderRec:
    """All the actions or none: they apply to a copy that replaces the order at the end."""
    if version != order.version:
        raise conflict(order.id, version, order.version)
    changed = copy.deepcopy(order)
    for action in actions:
        apply_action(project, changed, action)
    project.touch_order(changed)
    project.orders[order.id] = changed
    return changed
