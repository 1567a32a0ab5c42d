"""A widely used WebDAV client (webdav4, unmodified) against the SFCC simulator: the feed
folders list as a WebDAV server lists them, files go up and come down whole, the order import
job takes what the client puts, and a wrong access key is refused."""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator

import pytest
from webdav4.client import Client, HTTPError

from simulators.sfcc import DAV_ROOT, SfccSimulator, SfccSimulatorConfig

KEY = "webdav4-access-key"
ORDER = b"""<?xml version="1.0" encoding="UTF-8"?>
<orders xmlns="http://www.demandware.com/xml/impex/order/2006-10-31">
  <order order-no="TT42"><currency>GBP</currency>
    <product-lineitems><product-lineitem><product-id>MUG-1</product-id>
      <quantity unit="">2</quantity><tax-rate>0.0</tax-rate><shipment-id>1</shipment-id>
    </product-lineitem></product-lineitems>
    <external-order-no>42</external-order-no>
  </order>
</orders>"""


@pytest.fixture
async def simulator() -> AsyncIterator[SfccSimulator]:
    started = SfccSimulator(SfccSimulatorConfig(access_key=KEY, locations=("North",)))
    await started.start("127.0.0.1", 0)
    try:
        yield started
    finally:
        await started.stop()


@pytest.fixture
def base(simulator: SfccSimulator) -> str:
    assert simulator.base_url is not None
    return simulator.base_url + DAV_ROOT


def _session(base: str) -> tuple[list[dict[str, object]], bytes, list[str]]:
    client = Client(base, auth=("ttsync@example.com", KEY))
    with client.http:  # the client's own httpx session, closed after
        return _use(client)


def _use(client: Client) -> tuple[list[dict[str, object]], bytes, list[str]]:
    listed = client.ls("Impex/src/tiktok/inventory", detail=True)
    first = next(entry for entry in listed if str(entry["name"]).endswith(".xml"))
    buffer = io.BytesIO()
    client.download_fileobj(str(first["name"]), buffer)
    client.upload_fileobj(io.BytesIO(ORDER), "Impex/src/tiktok/orders/order_TT42.xml")
    orders = [str(entry) for entry in client.ls("Impex/src/tiktok/orders", detail=False)]
    return listed, buffer.getvalue(), orders


async def test_the_unmodified_client_lists_reads_and_writes(
    simulator: SfccSimulator, base: str
) -> None:
    listed, content, orders = await asyncio.to_thread(_session, base)
    feed, marker = sorted(listed, key=lambda entry: str(entry["name"]))
    assert (feed["type"], marker["name"]) == ("file", f"{feed['name']}.done")
    assert feed["content_length"] == len(content)
    assert b'<header list-id="north">' in content
    assert orders == ["Impex/src/tiktok/orders/order_TT42.xml"]
    imported = simulator.state.merchant.orders["TT42"]  # the order import job took it
    assert (imported.reference, imported.lines) == ("42", [("MUG-1", 2)])


async def test_a_wrong_access_key_is_refused(base: str) -> None:
    def listing() -> None:
        client = Client(base, auth=("ttsync@example.com", "wrong"))
        with client.http:
            client.ls("Impex/src", detail=False)

    with pytest.raises(HTTPError) as caught:
        await asyncio.to_thread(listing)
    assert caught.value.response.status_code == 401
