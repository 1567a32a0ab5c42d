"""Calculated query cost and the points bucket, per Shopify's published rules.

Requested cost: a scalar or enum field costs 0, an object 1, a connection 2 plus the number
of objects asked for (``first``/``last``) times the cost of one of them, a mutation 10. The
actual cost counts the objects the answer holds instead of the ones asked for; the
difference is refunded to the bucket. One query may cost at most `MAX_COST`.

The bucket holds `maximum` points per access token and restores `restore_rate` points per
second (Standard 100, Advanced 200, Plus 1,000; the bucket is twenty seconds of restore).
A query is admitted when its requested cost is available, else it is ``THROTTLED``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    is_leaf_type,
)

MAX_COST = 1000
MUTATION_COST = 10
PLAN_RESTORE_RATES = {"standard": 100.0, "advanced": 200.0, "plus": 1000.0, "enterprise": 2000.0}
BUCKET_SECONDS = 20  # the bucket holds this many seconds of restore


def is_connection(type_name: str) -> bool:
    return type_name.endswith("Connection")


@dataclass
class CostWalker:
    """Walks one operation's selections over the schema (and, for the actual cost, the data)."""

    schema: GraphQLSchema
    fragments: Mapping[str, FragmentDefinitionNode]
    variables: Mapping[str, Any]

    def _count(self, field: FieldNode) -> int:
        for argument in field.arguments:
            if argument.name.value in {"first", "last"}:
                value = argument.value
                if isinstance(value, IntValueNode):
                    return int(value.value)
                if isinstance(value, VariableNode):
                    given = self.variables.get(value.name.value)
                    return int(given) if isinstance(given, int) else 0
        return 0

    def _fields(
        self, selections: SelectionSetNode, parent: GraphQLObjectType | GraphQLInterfaceType
    ) -> list[tuple[FieldNode, GraphQLObjectType | GraphQLInterfaceType]]:
        found: list[tuple[FieldNode, GraphQLObjectType | GraphQLInterfaceType]] = []
        for selection in selections.selections:
            if isinstance(selection, FieldNode):
                found.append((selection, parent))
            elif isinstance(selection, InlineFragmentNode | FragmentSpreadNode):
                if isinstance(selection, FragmentSpreadNode):
                    fragment = self.fragments.get(selection.name.value)
                    if fragment is None:
                        continue
                    condition, inner = fragment.type_condition, fragment.selection_set
                else:
                    condition, inner = selection.type_condition, selection.selection_set
                named = getattr(condition, "name", None)  # an inline fragment may have none
                kind = parent if named is None else self.schema.get_type(named.value)
                if isinstance(kind, GraphQLObjectType | GraphQLInterfaceType):
                    found.extend(self._fields(inner, kind))
        return found

    def cost(
        self,
        selections: SelectionSetNode,
        parent: GraphQLObjectType | GraphQLInterfaceType,
        data: Any = None,
        *,
        actual: bool = False,
    ) -> int:
        """The cost of `selections` on one `parent` object (its own point not included)."""
        total = 0
        for field, owner in self._fields(selections, parent):
            name = field.name.value
            definition = owner.fields.get(name)
            if definition is None or field.selection_set is None:
                continue
            kind = get_named_type(definition.type)
            if is_leaf_type(kind) or not isinstance(kind, GraphQLObjectType | GraphQLInterfaceType):
                continue
            key = field.alias.value if field.alias else name
            value = data.get(key) if isinstance(data, Mapping) else None
            if actual and value is None:
                continue
            if is_connection(kind.name):
                total += 2 + self._connection(field, kind, value, actual=actual)
            elif isinstance(value, list):
                total += sum(
                    1 + self.cost(field.selection_set, kind, item, actual=actual) for item in value
                )
            else:
                total += 1 + self.cost(field.selection_set, kind, value, actual=actual)
        return total

    def _connection(  # noqa: C901 edges and nodes, requested and actual
        self,
        field: FieldNode,
        kind: GraphQLObjectType | GraphQLInterfaceType,
        value: Any,
        *,
        actual: bool,
    ) -> int:
        assert field.selection_set is not None
        node_cost: Callable[[Any], int] | None = None
        items: list[Any] = []
        for inner, owner in self._fields(field.selection_set, kind):
            definition = owner.fields.get(inner.name.value)
            if definition is None or inner.selection_set is None:
                continue
            key = inner.alias.value if inner.alias else inner.name.value
            got = value.get(key) if isinstance(value, Mapping) else None
            if inner.name.value == "nodes":
                node_type = get_named_type(definition.type)
                selection = inner.selection_set
                items = got if isinstance(got, list) else items
            elif inner.name.value == "edges":
                edge_type = get_named_type(definition.type)
                assert isinstance(edge_type, GraphQLObjectType)
                node_field = next(
                    (
                        f
                        for f, _ in self._fields(inner.selection_set, edge_type)
                        if f.name.value == "node" and f.selection_set is not None
                    ),
                    None,
                )
                if node_field is None or node_field.selection_set is None:
                    continue
                node_type = get_named_type(edge_type.fields["node"].type)
                selection = node_field.selection_set
                if isinstance(got, list):
                    alias = node_field.alias.value if node_field.alias else "node"
                    items = [edge.get(alias) for edge in got if isinstance(edge, Mapping)]
            else:
                continue
            if isinstance(node_type, GraphQLObjectType | GraphQLInterfaceType):
                kind_of_node, chosen = node_type, selection

                def node_cost(item: Any, k: Any = kind_of_node, s: Any = chosen) -> int:
                    return 1 + self.cost(s, k, item, actual=actual)

        if node_cost is None:
            return 0
        if actual:
            return sum(node_cost(item) for item in items)
        return self._count(field) * node_cost(None)


def requested_cost(
    schema: GraphQLSchema,
    operation: OperationDefinitionNode,
    fragments: Mapping[str, FragmentDefinitionNode],
    variables: Mapping[str, Any],
) -> int:
    walker = CostWalker(schema, fragments, variables)
    if operation.operation.value == "mutation":
        return MUTATION_COST
    root = schema.query_type
    assert root is not None
    return walker.cost(operation.selection_set, root)


def actual_cost(
    schema: GraphQLSchema,
    operation: OperationDefinitionNode,
    fragments: Mapping[str, FragmentDefinitionNode],
    variables: Mapping[str, Any],
    data: Any,
) -> int:
    walker = CostWalker(schema, fragments, variables)
    if operation.operation.value == "mutation":
        return MUTATION_COST
    root = schema.query_type
    assert root is not None
    return walker.cost(operation.selection_set, root, data or {}, actual=True)


@dataclass(frozen=True)
class ThrottleStatus:
    maximum_available: float
    currently_available: float
    restore_rate: float

    def wire(self) -> dict[str, float]:
        return {
            "maximumAvailable": self.maximum_available,
            "currentlyAvailable": self.currently_available,
            "restoreRate": self.restore_rate,
        }


class PointsBucket:
    """One access token's points."""

    def __init__(self, maximum: float, rate: float, clock: Callable[[], float]) -> None:
        self.maximum = maximum
        self.rate = rate
        self._clock = clock
        self._available = maximum
        self._stamp = clock()

    def available(self) -> float:
        now = self._clock()
        self._available = min(self.maximum, self._available + (now - self._stamp) * self.rate)
        self._stamp = now
        return self._available

    def take(self, cost: int) -> bool:
        if self.available() < cost:
            return False
        self._available -= cost
        return True

    def refund(self, points: int) -> None:
        self._available = min(self.maximum, self.available() + max(0, points))

    def status(self) -> ThrottleStatus:
        return ThrottleStatus(self.maximum, int(self.available()), self.rate)


class PointsBuckets:
    """The points buckets of every token, sharing a size and restore rate tests may change."""

    def __init__(self, rate: float, clock: Callable[[], float] = time.monotonic) -> None:
        if rate <= 0:
            raise ValueError("the restore rate must be positive")
        self.rate = rate
        self.maximum = rate * BUCKET_SECONDS
        self._clock = clock
        self._buckets: dict[str, PointsBucket] = {}
        self.throttled = 0  # queries answered THROTTLED so far

    def of(self, token: str) -> PointsBucket:
        bucket = self._buckets.get(token)
        if bucket is None:
            bucket = self._buckets[token] = PointsBucket(self.maximum, self.rate, self._clock)
        return bucket

    def configure(self, *, rate: float | None, maximum: float | None, reset: bool) -> None:
        if rate is not None:
            if rate <= 0:
                raise ValueError("the restore rate must be positive")
            self.rate = rate
            self.maximum = rate * BUCKET_SECONDS if maximum is None else maximum
        elif maximum is not None:
            self.maximum = maximum
        if reset:
            self._buckets.clear()
        for bucket in self._buckets.values():
            bucket.rate, bucket.maximum = self.rate, self.maximum

    def status(self) -> dict[str, object]:
        return {
            "maximum_available": self.maximum,
            "restore_rate": self.rate,
            "throttled": self.throttled,
            "available": {
                token[:6] + "…": round(bucket.available(), 1)
                for token, bucket in self._buckets.items()
            },
        }
