"""The auth host's token endpoint: ``POST /oauth/token`` with the API client's id and secret
(HTTP Basic, or form fields), ``grant_type=client_credentials`` and optional ``scope``."""

from __future__ import annotations

import base64
import binascii

from aiohttp import web

from simulators.commercetools.errors import error_response
from simulators.commercetools.gate import TOKEN_ENDPOINT, allows
from simulators.commercetools.state import project_of

_BAD_CLIENT = "Please provide valid client credentials using HTTP Basic Authentication."


def _basic(header: str) -> tuple[str, str] | None:
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        user, _, password = base64.b64decode(encoded).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return user, password


async def token(request: web.Request) -> web.Response:
    project = project_of(request)
    form = await request.post()
    given = _basic(request.headers.get("Authorization", "")) or (
        str(form.get("client_id", "")),
        str(form.get("client_secret", "")),
    )
    client = project.clients.get(given[0])
    if client is None or client.secret != given[1]:
        return error_response(401, "invalid_client", _BAD_CLIENT)
    if form.get("grant_type") != "client_credentials":
        return error_response(400, "unsupported_grant_type", "Unsupported grant type.")
    asked = tuple(str(form.get("scope", "")).split())
    key = project.config.project_key
    # A narrower scope than one held may be asked for (manage_x holds view_x).
    missing = [s for s in asked if not allows(client.scopes, s.split(":")[0], key)]
    if missing:
        return error_response(400, "invalid_scope", f"Invalid scope: {missing[0]}.")
    scopes = asked or client.scopes
    access, lifetime = project.issue_token(client, scopes)
    return web.json_response(
        {
            "access_token": access,
            "token_type": "Bearer",
            "expires_in": lifetime,
            "scope": " ".join(scopes),
        }
    )


def add_routes(router: web.UrlDispatcher) -> None:
    router.add_route("POST", "/oauth/token", token, name=TOKEN_ENDPOINT)
