"""``searchCriteria``: filter groups (AND of groups, OR within one), sort orders and paging,
read from the query string in either spelling (``filter_groups``/``condition_type`` as the
guides write it, ``filterGroups``/``conditionType`` as the Swagger spec does)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cached_property
from typing import Any

from simulators.magento.config import MagentoSimulatorConfig
from simulators.magento.errors import MagentoError, bad_request, required

CONDITIONS = frozenset(
    {
        "eq",
        "neq",
        "gt",
        "gteq",
        "lt",
        "lteq",
        "like",
        "nlike",
        "in",
        "nin",
        "null",
        "notnull",
        "from",
        "to",
        "finset",
        "moreq",
    }
)
_KEY = re.compile(r"^searchCriteria\[(\w+)\](?:\[(\d+)\]\[(\w+)\](?:\[(\d+)\]\[(\w+)\])?)?$")
_GROUP_NAMES = {"filter_groups", "filterGroups"}
_CONDITION_NAMES = {"condition_type", "conditionType"}
_SORT_NAMES = {"sort_orders", "sortOrders"}
_PAGE_SIZE = {"pageSize", "page_size"}
_CURRENT_PAGE = {"currentPage", "current_page"}

Getter = Callable[[Any], Any]


@dataclass(frozen=True)
class Filter:
    field: str
    value: str
    condition: str

    @cached_property
    def listed(self) -> frozenset[str]:
        """The values of an ``in``/``nin`` list, as text."""
        return frozenset(item.strip() for item in self.value.split(","))


@dataclass
class Criteria:
    groups: list[list[Filter]] = field(default_factory=list)
    sorts: list[tuple[str, str]] = field(default_factory=list)
    page_size: int | None = None
    current_page: int = 1

    def echo(self) -> dict[str, Any]:
        """The ``search_criteria`` block of an answer."""
        echoed: dict[str, Any] = {
            "filter_groups": [
                {
                    "filters": [
                        {"field": f.field, "value": f.value, "condition_type": f.condition}
                        for f in group
                    ]
                }
                for group in self.groups
            ]
        }
        if self.sorts:
            echoed["sort_orders"] = [{"field": f, "direction": d} for f, d in self.sorts]
        if self.page_size is not None:
            echoed["page_size"] = self.page_size
        echoed["current_page"] = self.current_page
        return echoed


def _int(raw: str) -> int:
    try:
        return int(raw)
    except ValueError:
        raise bad_request(
            'The "%value" value\'s type is invalid. The "%type" type was expected. '
            "Verify and try again.",
            {"value": raw, "type": "int"},
        ) from None


def parse(query: Mapping[str, str], *, optional: bool = False) -> Criteria:
    """The criteria of a list call; a list call without any is refused unless `optional`."""
    keys = [key for key in query if key.startswith("searchCriteria")]
    if not keys and not optional:
        raise required("searchCriteria")
    filters: dict[tuple[int, int], dict[str, str]] = {}
    sorts: dict[int, dict[str, str]] = {}
    criteria = Criteria()
    for key in keys:
        _read_key(key, query[key], criteria, filters, sorts)
    criteria.groups = _groups(filters)
    for _, parts in sorted(sorts.items()):
        direction = parts.get("direction", "ASC").upper()
        if direction not in {"ASC", "DESC"}:
            raise bad_request("Invalid sort direction: %1", [direction])
        criteria.sorts.append((parts.get("field", ""), direction))
    return criteria


def _read_key(
    key: str,
    value: str,
    criteria: Criteria,
    filters: dict[tuple[int, int], dict[str, str]],
    sorts: dict[int, dict[str, str]],
) -> None:
    match = _KEY.match(key)
    if match is None:
        raise bad_request("Invalid search criteria key: %1", [key])
    name, outer, inner_name, inner, leaf = match.groups()
    if name in _PAGE_SIZE and outer is None:
        criteria.page_size = _int(value)
    elif name in _CURRENT_PAGE and outer is None:
        criteria.current_page = _int(value)
    elif name in _GROUP_NAMES and inner_name == "filters" and leaf is not None:
        part = "condition_type" if leaf in _CONDITION_NAMES else leaf
        filters.setdefault((int(outer), int(inner)), {})[part] = value
    elif name in _SORT_NAMES and inner_name is not None and leaf is None:
        sorts.setdefault(int(outer), {})[inner_name] = value
    else:
        raise bad_request("Invalid search criteria key: %1", [key])


def _groups(filters: dict[tuple[int, int], dict[str, str]]) -> list[list[Filter]]:
    grouped: dict[int, list[Filter]] = {}
    for (outer_index, _), parts in sorted(filters.items()):
        if "field" not in parts:
            raise required("field")
        condition = parts.get("condition_type", "eq").lower()
        if condition not in CONDITIONS:
            raise bad_request("Invalid condition type: %1", [condition])
        grouped.setdefault(outer_index, []).append(
            Filter(parts["field"], parts.get("value", ""), condition)
        )
    return [grouped[index] for index in sorted(grouped)]


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return Decimal(int(value))
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _compare(actual: Any, wanted: str) -> int:
    """-1, 0 or 1, numerically when both sides are numbers, else as text."""
    left, right = _number(actual), _number(wanted)
    if left is not None and right is not None:
        return (left > right) - (left < right)
    text = "" if actual is None else str(actual)
    return (text > wanted) - (text < wanted)


def _text(value: Any) -> str:
    """A value as a filter compares it with listed text (``5`` for 5 and ``Decimal("5")``)."""
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return str(int(value))
    return str(value)


def _like(actual: Any, pattern: str) -> bool:
    regex = "^" + ".*".join(re.escape(part) for part in pattern.split("%")) + "$"
    return re.match(regex, "" if actual is None else str(actual), re.IGNORECASE) is not None


def matches(actual: Any, condition: Filter) -> bool:  # noqa: PLR0911 one branch per condition
    kind, wanted = condition.condition, condition.value
    if kind == "null":
        return actual is None
    if kind == "notnull":
        return actual is not None
    if kind in {"in", "nin"}:
        listed = actual is not None and _text(actual) in condition.listed
        return listed if kind == "in" else not listed
    if kind in {"like", "nlike"}:
        return _like(actual, wanted) == (kind == "like")
    if kind == "finset":
        return wanted in str(actual or "").split(",")
    if actual is None:
        return kind == "neq"
    order = _compare(actual, wanted)
    return {
        "eq": order == 0,
        "neq": order != 0,
        "gt": order > 0,
        "gteq": order >= 0,
        "moreq": order >= 0,
        "from": order >= 0,
        "lt": order < 0,
        "lteq": order <= 0,
        "to": order <= 0,
    }[kind]


def apply(
    records: Sequence[Any],
    criteria: Criteria,
    fields: Mapping[str, Getter],
    config: MagentoSimulatorConfig,
) -> tuple[list[Any], int]:
    """The page of `records` the criteria ask for, and how many match in all.

    A field outside `fields` is refused. Past the last page, the last page answers again (a
    Magento collection clamps ``currentPage``); with input limits on, a page size above the
    maximum is refused and none asked for means the default page size.
    """
    _check_fields(criteria, fields)
    size = _page_size(criteria, config)
    found = [
        record
        for record in records
        if all(any(matches(fields[c.field](record), c) for c in group) for group in criteria.groups)
    ]
    for sort_field, direction in reversed(criteria.sorts):
        getter = fields[sort_field]
        found.sort(key=lambda r: _sort_key(getter(r)), reverse=direction == "DESC")
    total = len(found)
    if not size:
        return found, total
    last_page = max(1, -(-total // size))
    page = min(max(1, criteria.current_page), last_page)
    return found[(page - 1) * size : page * size], total


def _check_fields(criteria: Criteria, fields: Mapping[str, Getter]) -> None:
    for group in criteria.groups:
        for condition in group:
            if condition.field not in fields:
                raise bad_request(
                    'Invalid attribute name or field "%1" in the search criteria.',
                    [condition.field],
                )
    for sort_field, _ in criteria.sorts:
        if sort_field not in fields:
            raise bad_request('Invalid sort field "%1" in the search criteria.', [sort_field])


def _page_size(criteria: Criteria, config: MagentoSimulatorConfig) -> int | None:
    size = criteria.page_size
    if config.input_limit_enabled:
        if size is not None and size > config.max_page_size:
            raise MagentoError(
                400, "Maximum SearchCriteria pageSize is %max", {"max": config.max_page_size}
            )
        size = size or config.default_page_size
    if size is not None and size < 0:
        raise bad_request("pageSize must be zero or more")
    return size


def _sort_key(value: Any) -> tuple[int, Decimal, str]:
    number = _number(value)
    if value is None:
        return (0, Decimal(0), "")
    if number is not None:
        return (1, number, "")
    return (2, Decimal(0), str(value))


def page(items: list[Any], total: int, criteria: Criteria) -> dict[str, Any]:
    """A search result: ``{items, search_criteria, total_count}``."""
    return {"items": items, "search_criteria": criteria.echo(), "total_count": total}
