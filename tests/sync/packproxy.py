"""A meddling HTTP/1.1 proxy for the catalog tests: between the laptop and the real hub it records every
request, can cut pack downloads off after N body bytes, flip a byte of a pack, or answer a path with a
response recorded earlier or made up (a replayed or forged catalog)."""

from __future__ import annotations

import socket
from dataclasses import dataclass, field

from tests.sync.faultproxy import RequestProxy, _forward

PACKS = "/api/v1/packs/"


@dataclass
class Seen:
    """One request as the proxy saw it, and how many body bytes of the answer it relayed."""

    method: str
    path: str
    headers: dict[str, str]
    relayed_body: int = 0


@dataclass
class Plan:
    cuts: list[int] = field(default_factory=list)  # for the next pack answers: relay only this many body bytes
    flip_pack_byte: bool = False  # alter one byte in the middle of every pack answer
    canned: dict[str, bytes] = field(default_factory=dict)  # path -> whole raw HTTP answer, sent instead


class MeddlingProxy(RequestProxy):
    """Listens on 127.0.0.1; give ``url`` to the laptop instead of the hub's."""

    name = "meddling-proxy"

    def __init__(self, upstream_url: str) -> None:
        host, port = upstream_url.removeprefix("http://").split(":")
        super().__init__(host, int(port))
        self.plan = Plan()
        self.seen: list[Seen] = []
        self.answers: dict[str, bytes] = {}  # path -> the last raw answer relayed for it

    def pack_requests(self) -> list[Seen]:
        return [s for s in self.seen if s.path.startswith(PACKS)]

    def handle(self, client: socket.socket, request: bytes) -> bool:
        seen = _parse(request)
        with self._lock:
            self.seen.append(seen)
            canned = self.plan.canned.get(seen.path.split("?")[0])
        if canned is not None:
            client.sendall(canned)
            return True
        answer = _forward(self.upstream, request)
        head, _, body = answer.partition(b"\r\n\r\n")
        with self._lock:
            self.answers[seen.path.split("?")[0]] = answer
            cut = self.plan.cuts.pop(0) if seen.path.startswith(PACKS) and self.plan.cuts else None
            flip = self.plan.flip_pack_byte and seen.path.startswith(PACKS)
        if flip and body:
            middle = len(body) // 2
            body = body[:middle] + bytes([body[middle] ^ 0xFF]) + body[middle + 1:]
        if cut is not None:
            seen.relayed_body = min(cut, len(body))
            client.sendall(head + b"\r\n\r\n" + body[:cut])
            client.close()  # mid-body: the laptop sees the answer cut short
            return False
        seen.relayed_body = len(body)
        client.sendall(head + b"\r\n\r\n" + body)
        return True


def _parse(request: bytes) -> Seen:
    head = request.split(b"\r\n\r\n", 1)[0].decode("latin-1")
    lines = head.split("\r\n")
    method, path, _ = lines[0].split(" ", 2)
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return Seen(method, path, headers)


def http_answer(status: int, body: bytes, content_type: str = "application/json") -> bytes:
    """A whole raw HTTP/1.1 answer, for ``Plan.canned``."""
    return (f"HTTP/1.1 {status} X\r\ncontent-type: {content_type}\r\ncontent-length: {len(body)}\r\n\r\n"
            ).encode("ascii") + body
