"""Bulk query operations: run a query over the whole shop and offer its result as JSONL.

``bulkOperationRunQuery`` checks the query as Shopify does (one to five connections, nested
at most two deep), then runs it in the background, a window of root objects at a time, and
writes one JSON object a line: every object of a nested connection gets a line of its own
carrying ``__parentId``, the id of the nearest enclosing object that has a line of its own. With
``groupObjects`` (the default here) an object's children follow it before the next root
object; without it, each window's root objects come first and their children after.
An operation that completes, fails or is cancelled sends the ``bulk_operations/finish``
webhook (to the shop's webhook address, when one is set, as every topic here).
Up to five operations run at once per shop; ``currentBulkOperation`` is the newest, and
``node``/``bulkOperation`` find any. Tests may make the next operation fail, expire or be
cancelled (`BulkOperations.queue_outcome`).
"""

from __future__ import annotations

import asyncio
import json
import tempfile
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import structlog
from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    get_named_type,
    parse,
    validate,
)

from simulators.shopify.bulk_exec import BulkExecutor
from simulators.shopify.graphql_cost import is_connection
from simulators.shopify.times import fmt_time

if TYPE_CHECKING:
    from simulators.shopify.context import Shop

log = structlog.get_logger(__name__)

# The ends Shopify's ``bulk_operations/finish`` webhook reports (completed, failed, cancelled).
FINISHED = frozenset({"COMPLETED", "FAILED", "CANCELED"})
MAX_RUNNING = 5
MAX_CONNECTIONS = 5
MAX_DEPTH = 2
WINDOW = 200  # root objects per execution step
DOWNLOAD_PREFIX = "/_bulk/"


@dataclass
class BulkOp:
    id: int
    query: str
    status: str
    created_at: datetime
    token: str
    error_code: str | None = None
    completed_at: datetime | None = None
    object_count: int = 0
    root_object_count: int = 0
    file_size: int | None = None
    url: str | None = None
    partial_url: str | None = None
    path: Path | None = None
    task: asyncio.Task[None] | None = field(default=None, repr=False)

    def wire(self) -> dict[str, Any]:
        from simulators.shopify.graphql_common import gid, stamp  # noqa: PLC0415 a cycle

        return {
            "id": gid("BulkOperation", self.id),
            "status": self.status,
            "errorCode": self.error_code,
            "type": "QUERY",
            "query": self.query,
            "createdAt": stamp(self.created_at),
            "completedAt": stamp(self.completed_at),
            "objectCount": str(self.object_count),
            "rootObjectCount": str(self.root_object_count),
            "fileSize": None if self.file_size is None else str(self.file_size),
            "url": self.url,
            "partialDataUrl": self.partial_url,
        }


def _connections(
    schema: GraphQLSchema, document: DocumentNode
) -> tuple[list[tuple[str, int]], str | None]:
    """(connection field, depth) pairs of the query, and its root connection's field name."""
    found: list[tuple[str, int]] = []
    root = schema.query_type
    assert root is not None
    operation = next(d for d in document.definitions if isinstance(d, OperationDefinitionNode))

    def walk(selections: Any, parent: Any, depth: int) -> None:
        for selection in selections.selections:
            if not isinstance(selection, FieldNode):
                inner = getattr(selection, "selection_set", None)
                condition = getattr(selection, "type_condition", None)
                kind = parent if condition is None else schema.get_type(condition.name.value)
                if inner is not None:
                    walk(inner, kind, depth)
                continue
            definition = getattr(parent, "fields", {}).get(selection.name.value)
            if definition is None or selection.selection_set is None:
                continue
            kind = get_named_type(definition.type)
            deeper = depth
            if is_connection(kind.name):
                found.append((selection.name.value, depth))
                deeper = depth + 1
            walk(selection.selection_set, kind, deeper)

    walk(operation.selection_set, root, 0)
    roots = [name for name, depth in found if depth == 0]
    return found, roots[0] if len(roots) == 1 else None


def check_query(  # noqa: PLR0911 one return per refusal, in Shopify's order
    schema: GraphQLSchema, query: str
) -> tuple[DocumentNode | None, str | None]:
    """The parsed query, or the user error Shopify gives for it."""
    try:
        document = parse(query)
    except GraphQLError as exc:
        return None, f"Invalid bulk query: {exc.message}"
    errors = validate(schema, document)
    if errors:
        return None, f"Invalid bulk query: {errors[0].message}"
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if len(operations) != 1 or operations[0].operation.value != "query":
        return None, "Bulk queries must contain exactly one query operation."
    found, root = _connections(schema, document)
    if not found or root is None:
        return None, "Bulk queries must contain at least one connection, with one at the top."
    if len(found) > MAX_CONNECTIONS:
        return None, f"Bulk queries cannot contain more than {MAX_CONNECTIONS} connections."
    if max(depth for _, depth in found) > MAX_DEPTH:
        return None, f"Bulk queries cannot contain connections nested more than {MAX_DEPTH} deep."
    return document, None


def _nodes_of(value: dict[str, Any]) -> list[Any] | None:
    if isinstance(value.get("nodes"), list):
        return list(value["nodes"])
    edges = value.get("edges")
    if isinstance(edges, list):
        return [edge.get("node") for edge in edges if isinstance(edge, dict)]
    return None


def flatten(
    node: dict[str, Any], parent_id: str | None, children: list[tuple[dict[str, Any], str]]
) -> dict[str, Any]:
    """One JSONL object for `node`; its nested connections' objects go to `children`, their
    ``__parentId`` the id of `node`: the nearest object with a line of its own, also for a
    connection inside a nested object (a variant's ``inventoryItem { inventoryLevels }``
    lines name the variant, as Shopify's do)."""
    owner = str(node.get("id") or "")

    def copy(value: Any) -> Any:
        if isinstance(value, dict):
            nested = _nodes_of(value) if ("nodes" in value or "edges" in value) else None
            if nested is not None:
                return nested  # marker: handled by the caller
            result: dict[str, Any] = {}
            for key, inner in value.items():
                got = copy(inner)
                if (
                    isinstance(inner, dict)
                    and got is not None
                    and isinstance(got, list)
                    and ("nodes" in inner or "edges" in inner)
                ):
                    children.extend((child, owner) for child in got if child is not None)
                    continue
                result[key] = got
            return result
        if isinstance(value, list):
            return [copy(item) for item in value]
        return value

    line = copy(node)
    assert isinstance(line, dict)
    if parent_id is not None:
        line["__parentId"] = parent_id
    return line


class BulkOperations:
    """The shop's bulk operations and their result files."""

    def __init__(self, shop: Shop) -> None:
        self._shop = shop
        self.operations: dict[int, BulkOp] = {}
        self._next_id = 5_500_000_000
        self._outcomes: deque[tuple[str, str | None]] = deque()
        self.directory = Path(tempfile.mkdtemp(prefix="shopify-sim-bulk-"))

    def queue_outcome(self, status: str, error_code: str | None) -> None:
        """The next operation ends with `status` (FAILED, EXPIRED, CANCELED) after its first
        window, as a real one may."""
        self._outcomes.append((status, error_code))

    def current(self, token: str) -> BulkOp | None:
        mine = [op for op in self.operations.values() if op.token == token]
        return max(mine, key=lambda op: op.id) if mine else None

    def running(self) -> int:
        return sum(1 for op in self.operations.values() if op.status in {"CREATED", "RUNNING"})

    def start(
        self,
        schema: GraphQLSchema,
        document: DocumentNode,
        query: str,
        context: dict[str, Any],
        *,
        grouped: bool,
    ) -> BulkOp:
        self._next_id += 1
        op = BulkOp(self._next_id, query, "CREATED", self._shop.now(), context["token"])
        self.operations[op.id] = op
        outcome = self._outcomes.popleft() if self._outcomes else None
        op.task = asyncio.get_running_loop().create_task(
            self._run(op, schema, document, context, outcome, grouped=grouped)
        )
        return op

    def cancel(self, op: BulkOp) -> None:
        if op.status in {"CREATED", "RUNNING"}:
            op.status = "CANCELING"

    async def _run(
        self,
        op: BulkOp,
        schema: GraphQLSchema,
        document: DocumentNode,
        context: dict[str, Any],
        outcome: tuple[str, str | None] | None,
        *,
        grouped: bool,
    ) -> None:
        from simulators.shopify.graphql_resolvers import resolve_field  # noqa: PLC0415 a cycle

        await asyncio.sleep(0)
        op.status = "RUNNING"
        op.path = self.directory / f"{op.id}.jsonl"
        _, root = _connections(schema, document)
        operation = next(d for d in document.definitions if isinstance(d, OperationDefinitionNode))
        fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        start = 0
        with op.path.open("w", encoding="utf-8") as out:
            while True:
                if op.status == "CANCELING":
                    self._end(op, "CANCELED", None)
                    return
                window = {**context, "bulk": True, "window": (start, WINDOW)}
                try:
                    data = BulkExecutor(schema, operation, fragments, resolve_field, window).run()
                except GraphQLError as error:
                    code = (error.extensions or {}).get("code")
                    failure = (
                        "ACCESS_DENIED" if code == "ACCESS_DENIED" else "INTERNAL_SERVER_ERROR"
                    )
                    log.info("shopify_sim_bulk_failed", op=op.id, reason=error.message)
                    self._end(op, "FAILED", failure)
                    return
                nodes = _nodes_of(data.get(root or "") or {}) or []
                self._write(op, out, nodes, grouped=grouped)
                op.root_object_count += len(nodes)
                if outcome is not None:
                    self._end(op, outcome[0], outcome[1])
                    return
                if len(nodes) < WINDOW:
                    break
                start += WINDOW
                await asyncio.sleep(0)
        op.file_size = op.path.stat().st_size
        base = self._shop.state.base_url or ""
        op.url = f"{base}{DOWNLOAD_PREFIX}{op.id}.jsonl" if op.object_count else None
        self._end(op, "COMPLETED", None)

    def _write(self, op: BulkOp, out: Any, nodes: list[Any], *, grouped: bool) -> None:
        later: list[str] = []
        for node in nodes:
            pending: list[tuple[dict[str, Any], str | None]] = [(node, None)]
            while pending:
                current, parent = pending.pop(0)
                children: list[tuple[dict[str, Any], str]] = []
                line = json.dumps(flatten(current, parent, children), separators=(",", ":"))
                op.object_count += 1
                if grouped or parent is None:
                    out.write(line + "\n")
                else:
                    later.append(line)
                pending[0:0] = children
        for line in later:
            out.write(line + "\n")

    def _end(self, op: BulkOp, status: str, error_code: str | None) -> None:
        op.status, op.error_code = status, error_code
        op.completed_at = self._shop.now()
        if status != "COMPLETED" and op.path is not None and op.object_count:
            base = self._shop.state.base_url or ""
            op.partial_url = f"{base}{DOWNLOAD_PREFIX}{op.id}.jsonl"
        if status in FINISHED:
            self._shop.webhooks.emit("bulk_operations/finish", self._finish_payload(op))

    def _finish_payload(self, op: BulkOp) -> dict[str, Any]:
        """The ``bulk_operations/finish`` webhook's body, as shopify.dev shows it."""
        from simulators.shopify.graphql_common import gid  # noqa: PLC0415 a cycle

        zone = self._shop.zone
        return {
            "admin_graphql_api_id": gid("BulkOperation", op.id),
            "completed_at": fmt_time(op.completed_at, zone),
            "created_at": fmt_time(op.created_at, zone),
            "error_code": None if op.error_code is None else op.error_code.lower(),
            "status": op.status.lower(),
            "type": "query",
        }

    def file(self, name: str) -> Path | None:
        stem = name.removesuffix(".jsonl")
        if not stem.isdigit():
            return None
        op = self.operations.get(int(stem))
        return None if op is None or op.path is None or not op.path.exists() else op.path

    async def close(self) -> None:
        for op in self.operations.values():
            if op.task is not None and not op.task.done():
                op.task.cancel()
        for path in self.directory.glob("*.jsonl"):
            path.unlink()
        self.directory.rmdir()
