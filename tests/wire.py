"""What a phone pays on the wire for a kit page, recorded in Chromium through the DevTools
protocol (``Network.*`` events): every request with its URL, status, the bytes that crossed the
wire (``encodedDataLength``, headers included), its ``Content-Encoding`` and ``Cache-Control`` and
whether the browser served it from its cache without asking the server. Used by
``tests/test_wire.py`` and the benchmarks (``benchmarks/wire.py``, ``make bench``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

#: The participant's phone (iPhone 12-14 class, CSS pixels).
PHONE = {"width": 390, "height": 844}
#: The first usable widget of the participant page: the join form's alias field.
FIRST_WIDGET = ".kit-session-alias input"


@dataclass
class Request:
    url: str
    status: int = 0
    encoded: int = 0  # bytes on the wire, headers included
    body: int = 0  # decoded body bytes
    encoding: str = ""
    cache_control: str = ""
    mime: str = ""
    from_cache: bool = False  # served by the browser without reaching the server
    failed: str = ""

    @property
    def reached_server(self) -> bool:
        return not self.from_cache and not self.url.startswith(("data:", "blob:"))


@dataclass
class Visit:
    requests: list[Request] = field(default_factory=list)
    seconds: float = 0.0  # navigation start until the first usable widget

    @property
    def wire_bytes(self) -> int:
        return sum(r.encoded for r in self.requests if r.reached_server)

    @property
    def to_server(self) -> list[Request]:
        return [r for r in self.requests if r.reached_server]

    def origins(self) -> set[str]:
        return {
            f"{p.scheme}://{p.netloc}"
            for p in map(urlsplit, (r.url for r in self.requests))
            if p.scheme in ("http", "https", "ws", "wss")
        }

    def uncompressed_text(self, minimum: int = 1024) -> list[Request]:
        """Text responses of at least ``minimum`` bytes that came over the wire uncompressed."""
        text = ("javascript", "css", "html", "json", "svg", "text/")
        return [
            r
            for r in self.to_server
            if r.status == 200
            and any(t in r.mime for t in text)
            and r.body >= minimum
            and not r.encoding
        ]


class Recorder:
    """Every request of one Playwright page, from the DevTools protocol."""

    def __init__(self, page: Any) -> None:
        self.cdp = page.context.new_cdp_session(page)
        self.cdp.send("Network.enable")
        self.cdp.send("Network.setCacheDisabled", {"cacheDisabled": False})
        self.by_id: dict[str, Request] = {}
        self.order: list[Request] = []
        self.cdp.on("Network.requestWillBeSent", self._sent)
        self.cdp.on("Network.responseReceived", self._response)
        self.cdp.on("Network.requestServedFromCache", self._cached)
        self.cdp.on("Network.dataReceived", self._data)
        self.cdp.on("Network.loadingFinished", self._finished)
        self.cdp.on("Network.loadingFailed", self._failed)
        self.cdp.on("Network.webSocketCreated", self._socket)

    def throttle(self, mbit: float, latency_ms: float) -> None:
        rate = mbit * 1e6 / 8
        self.cdp.send(
            "Network.emulateNetworkConditions",
            {
                "offline": False,
                "latency": latency_ms,
                "downloadThroughput": rate,
                "uploadThroughput": rate,
            },
        )

    def _get(self, rid: str, url: str = "") -> Request:
        if rid not in self.by_id:
            self.by_id[rid] = Request(url)
            self.order.append(self.by_id[rid])
        return self.by_id[rid]

    def _sent(self, e: dict[str, Any]) -> None:
        rid = e["requestId"]
        if rid in self.by_id and e.get("redirectResponse"):  # a redirect: a new request
            self.by_id[rid + "#"] = self.by_id.pop(rid)
        self._get(rid, e["request"]["url"])

    def _response(self, e: dict[str, Any]) -> None:
        r = self._get(e["requestId"], e["response"]["url"])
        res = e["response"]
        headers = {k.lower(): v for k, v in res.get("headers", {}).items()}
        r.status = res.get("status", 0)
        r.encoding = headers.get("content-encoding", "")
        r.cache_control = headers.get("cache-control", "")
        r.mime = res.get("mimeType", "")
        if res.get("fromDiskCache") or res.get("fromPrefetchCache"):
            r.from_cache = True

    def _cached(self, e: dict[str, Any]) -> None:
        self._get(e["requestId"]).from_cache = True

    def _data(self, e: dict[str, Any]) -> None:
        self._get(e["requestId"]).body += int(e.get("dataLength", 0))

    def _finished(self, e: dict[str, Any]) -> None:
        r = self._get(e["requestId"])
        r.encoded = int(e.get("encodedDataLength", 0))

    def _failed(self, e: dict[str, Any]) -> None:
        r = self._get(e["requestId"])
        r.failed = e.get("errorText", "failed")

    def _socket(self, e: dict[str, Any]) -> None:
        self.order.append(Request(e["url"]))

    def take(self) -> list[Request]:
        out, self.order, self.by_id = self.order, [], {}
        return out


def visit(page: Any, recorder: Recorder, url: str, ready: str = FIRST_WIDGET) -> Visit:
    """Load ``url`` and wait for ``ready``; the requests made until then (and shortly after,
    for the widgets' lazy chunks)."""
    recorder.take()
    start = time.monotonic()
    page.goto(url, timeout=180_000)
    page.wait_for_selector(ready, state="visible", timeout=180_000)
    seconds = time.monotonic() - start
    page.wait_for_load_state("networkidle", timeout=60_000)
    return Visit(recorder.take(), seconds)
