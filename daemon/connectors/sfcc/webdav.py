"""A WebDAV client on the shared transport: PROPFIND (Depth 1), GET streamed to a file, PUT,
MOVE and MKCOL, with Basic authentication, retries and the daemon's errors."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import aiohttp
from lxml import etree

from daemon.connectors.http import classify_status, create_session, exchange
from daemon.connectors.transport import AttemptError, PausePacing, Reply, RetrySettings, send
from daemon.errors import FatalError
from daemon.metrics import Metrics

PLATFORM = "sfcc"
_DAV = "{DAV:}"
_PROPFIND = (
    b'<?xml version="1.0" encoding="utf-8"?><propfind xmlns="DAV:"><prop>'
    b"<resourcetype/><getcontentlength/><getlastmodified/></prop></propfind>"
)
_CHUNK = 1 << 16
HTTP_MULTI_STATUS = 207
HTTP_NOT_FOUND = 404
HTTP_PRECONDITION_FAILED = 412


class FileTooLargeError(FatalError):
    """A file over the size the daemon takes (it was not read on)."""


@dataclass(frozen=True)
class Entry:
    """One file in a folder listing."""

    path: str  # under the WebDAV root, unquoted ("Impex/src/feeds/catalog/a.xml")
    size: int
    modified: str  # the server's getlastmodified, as given


@dataclass(frozen=True)
class Listing:
    entries: tuple[Entry, ...]
    server_time: datetime  # the server's Date: when it listed


class WebDav:
    """One WebDAV root (``.../webdav/Sites/``), with a user and access key."""

    def __init__(
        self,
        root: str,
        username: str,
        access_key: str,
        metrics: Metrics,
        *,
        timeout: timedelta,
        retry: RetrySettings | None = None,
    ) -> None:
        self._root = root if root.endswith("/") else root + "/"
        self._prefix = urlsplit(self._root).path
        self._auth = aiohttp.encode_basic_auth(username, access_key)
        self._metrics = metrics
        self._timeout = timeout
        self._retry = retry or RetrySettings()
        self._session: aiohttp.ClientSession | None = None
        self._folders: set[str] = set()  # made (or found) already
        self._pacing = PausePacing("sfcc")
        self.remote = urlsplit(self._root).netloc

    async def start(self) -> None:
        self._session = create_session(PLATFORM, self._metrics, timeout=self._timeout)

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    @property
    def session(self) -> aiohttp.ClientSession:
        if self._session is None:
            raise RuntimeError("the WebDAV client is not started")
        return self._session

    def url(self, path: str) -> str:
        return self._root + quote(path.strip("/"), safe="/")

    def _headers(self, extra: Mapping[str, str] | None = None) -> dict[str, str]:
        auth = {"Authorization": self._auth}
        return {**auth, **(extra or {})}

    async def _call(
        self,
        method: str,
        path: str,
        *,
        endpoint: str,
        idempotent: bool = True,
        data: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        ok: frozenset[int] = frozenset({200, 201, 204}),
    ) -> Reply:
        def read(reply: Reply) -> Reply:
            if reply.status in ok:
                return reply
            raise _failure(reply, endpoint)

        return await send(
            lambda: exchange(
                self.session,
                method,
                self.url(path),
                endpoint=endpoint,
                remote=self.remote,
                data=data,
                headers=self._headers(headers),
            ),
            read,
            endpoint=endpoint,
            idempotent=idempotent,
            retry=self._retry,
            pacing=self._pacing,
        )

    async def listing(self, folder: str) -> Listing:
        """The files directly in `folder` (a missing folder lists nothing)."""
        reply = await self._call(
            "PROPFIND",
            folder.strip("/") + "/",
            endpoint="webdav.list",
            data=_PROPFIND,
            headers={"Depth": "1", "Content-Type": "application/xml"},
            ok=frozenset({HTTP_MULTI_STATUS, HTTP_NOT_FOUND}),
        )
        when = _server_time(reply.headers)
        if reply.status == HTTP_NOT_FOUND:
            return Listing((), when)
        return Listing(tuple(self._entries(reply.body, endpoint="webdav.list")), when)

    def _entries(self, body: bytes, *, endpoint: str) -> list[Entry]:
        parser = etree.XMLParser(resolve_entities=False, no_network=True)
        try:
            root = etree.fromstring(body, parser)
        except etree.XMLSyntaxError as exc:
            raise FatalError(f"{endpoint}: the server's listing is not XML ({exc})") from None
        found: list[Entry] = []
        for response in root.iter(_DAV + "response"):
            href = unquote(urlsplit(response.findtext(_DAV + "href") or "").path)
            if not href.startswith(self._prefix) or href.endswith("/"):
                continue
            props = response.find(f"{_DAV}propstat/{_DAV}prop")
            if props is None or props.find(f"{_DAV}resourcetype/{_DAV}collection") is not None:
                continue
            size = props.findtext(_DAV + "getcontentlength") or "0"
            modified = props.findtext(_DAV + "getlastmodified") or ""
            found.append(Entry(href[len(self._prefix) :], int(size), modified))
        return found

    async def download(self, path: str, target: Path, *, max_bytes: int) -> int:
        """Stream the file at `path` into `target`; its size. A file larger than `max_bytes`
        is `FileTooLargeError` (it is not read on)."""
        endpoint = "webdav.get"

        async def fetch() -> Reply:
            try:
                async with self.session.get(
                    self.url(path),
                    headers=self._headers(),
                    trace_request_ctx={"endpoint": endpoint},
                ) as response:
                    if response.status != 200:  # noqa: PLR2004 the one success
                        return Reply(response.status, await response.read(), response.headers)
                    size = await asyncio.to_thread(_open_empty, target)
                    with target.open("ab") as out:
                        async for chunk in response.content.iter_chunked(_CHUNK):
                            size += len(chunk)
                            if size > max_bytes:
                                raise FileTooLargeError(f"the file is over {max_bytes} bytes")
                            out.write(chunk)
                    return Reply(200, b"", response.headers)
            except TimeoutError:
                raise AttemptError(f"{endpoint}: {self.remote} did not answer in time") from None
            except aiohttp.ClientError as exc:
                raise AttemptError(
                    f"{endpoint}: connection to {self.remote} failed ({type(exc).__name__})"
                ) from None

        def read(reply: Reply) -> int:
            if reply.status == 200:  # noqa: PLR2004 the one success
                return target.stat().st_size
            raise _failure(reply, endpoint)

        return await send(
            fetch, read, endpoint=endpoint, idempotent=True, retry=self._retry, pacing=self._pacing
        )

    async def exists(self, path: str) -> bool:
        reply = await self._call(
            "PROPFIND",
            path,
            endpoint="webdav.stat",
            data=_PROPFIND,
            headers={"Depth": "0", "Content-Type": "application/xml"},
            ok=frozenset({HTTP_MULTI_STATUS, HTTP_NOT_FOUND}),
        )
        return reply.status == HTTP_MULTI_STATUS

    async def read_with_time(self, path: str) -> tuple[bytes | None, datetime]:
        """A small file whole (None when there is none) and when it was last written."""
        reply = await self._call(
            "GET", path, endpoint="webdav.get", ok=frozenset({200, HTTP_NOT_FOUND})
        )
        if reply.status == HTTP_NOT_FOUND:
            return None, _server_time(reply.headers)
        modified = reply.headers.get("Last-Modified")
        return reply.body, _server_time({"Date": modified} if modified else reply.headers)

    async def put_new(self, path: str, content: bytes) -> tuple[bool, datetime]:
        """Write `path` only if nothing is there (``If-None-Match: *``); False when a file
        already was. Safe to repeat: a repeat finds the first write. The server's time."""
        await self.make_folders(path.rsplit("/", 1)[0])
        reply = await self._call(
            "PUT",
            path,
            endpoint="webdav.put",
            idempotent=False,  # an unanswered write is looked for, not repeated
            data=content,
            headers={"If-None-Match": "*", "Content-Type": "application/xml"},
            ok=frozenset({200, 201, 204, HTTP_PRECONDITION_FAILED}),
        )
        return reply.status != HTTP_PRECONDITION_FAILED, _server_time(reply.headers)

    async def move(self, source: str, target: str) -> None:
        await self.make_folders(target.rsplit("/", 1)[0])
        await self._call(
            "MOVE",
            source,
            endpoint="webdav.move",
            headers={"Destination": self.url(target), "Overwrite": "T"},
        )

    async def make_folders(self, folder: str) -> None:
        """Create `folder` and its parents where missing (MKCOL one level at a time)."""
        parts = [part for part in folder.split("/") if part]
        for depth in range(1, len(parts) + 1):
            here = "/".join(parts[:depth]) + "/"
            if here in self._folders:
                continue
            # 405: the folder is there already.
            await self._call("MKCOL", here, endpoint="webdav.mkcol", ok=frozenset({201, 405}))
            self._folders.add(here)


def _open_empty(target: Path) -> int:
    target.write_bytes(b"")
    return 0


def _server_time(headers: Mapping[str, str]) -> datetime:
    date = headers.get("Date")
    if date is None:
        raise FatalError("the WebDAV server sent no Date header")
    try:
        return parsedate_to_datetime(date)
    except (TypeError, ValueError):
        raise FatalError(f"the WebDAV server sent an unreadable Date: {date!r}") from None


def _failure(reply: Reply, endpoint: str) -> AttemptError | FatalError:
    detail = f"{endpoint} ({reply.body[:200].decode('utf-8', 'replace').strip() or 'no detail'})"
    return classify_status(PLATFORM, reply.status, detail, reply.headers)
