"""The connector calls each endpoint at the newest version the public docs list, which is the
newest the simulator serves (it answers 36009014 for any other), and knows the access scope
each needs (the simulator answers 105005 without it)."""

from __future__ import annotations

import re

from daemon.connectors.tiktok import endpoints as ep
from simulators.tiktok.api import build_routes
from simulators.tiktok.routing import RouteTable
from simulators.tiktok.scopes import ALL_SCOPES, REQUIRED_SCOPE

_VERSION = re.compile(r"/(\d{6})/")


def test_every_endpoint_is_pinned_to_the_newest_documented_version() -> None:
    table = RouteTable(build_routes())
    for endpoint in ep.ALL_ENDPOINTS:
        path = re.sub(r"\{\w+\}", "x", endpoint.path)
        match = table.resolve(endpoint.method, path)
        newest = max(match.route.versions)
        found = _VERSION.search(endpoint.path)
        assert found is not None, endpoint.name
        assert found.group(1) == newest, f"{endpoint.name} calls {found.group(1)}, not {newest}"


def test_every_simulated_operation_needs_a_scope() -> None:
    operations = {route.operation for route in build_routes()}
    assert operations == set(REQUIRED_SCOPE)
    assert set(REQUIRED_SCOPE.values()) <= set(ALL_SCOPES)


def test_the_connector_knows_the_scope_each_endpoint_needs() -> None:
    table = RouteTable(build_routes())
    for endpoint in ep.ALL_ENDPOINTS:
        path = re.sub(r"\{\w+\}", "x", endpoint.path)
        operation = table.resolve(endpoint.method, path).route.operation
        assert endpoint.scope == REQUIRED_SCOPE[operation], endpoint.name
