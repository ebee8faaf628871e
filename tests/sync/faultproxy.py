"""A fault-injecting HTTP/1.1 proxy for tests: sits between the sync client and the real hub.

For each request it reads from the client it picks, with a seeded random generator, one of:
pass it on; delay it; stall it past the client's timeout; reset the connection before forwarding;
answer HTTP 500 without forwarding; forward it and then drop the connection without answering;
forward it and relay only part of the answer before closing. The last two are the hard cases: the
hub has done the work but the client never hears so, and must send the same records again.
"""

from __future__ import annotations

import contextlib
import random
import socket
import struct
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

FAULTS = ("pass", "delay", "stall", "reset", "http500", "drop_after", "truncate")


@dataclass
class FaultPlan:
    """Probabilities of each fault per request (the rest passes), and the delay range in seconds."""

    delay: float = 0.08
    stall: float = 0.015  # longer than the client's timeout: it gives up while the hub does the work
    reset: float = 0.08
    http500: float = 0.08
    drop_after: float = 0.08
    truncate: float = 0.08
    delay_range: tuple[float, float] = (0.05, 0.4)
    stall_seconds: float = 2.5
    seed: int = 4
    counts: Counter = field(default_factory=Counter)


class RequestProxy:
    """An HTTP/1.1 proxy on 127.0.0.1 (``url``) in front of ``upstream``: reads one request at a time from
    each client connection and hands it to ``handle``, which answers it (or not) and says whether the
    connection goes on."""

    name = "proxy"

    def __init__(self, upstream_host: str, upstream_port: int) -> None:
        self.upstream = (upstream_host, upstream_port)
        self._lock = threading.Lock()
        self._server = socket.create_server(("127.0.0.1", 0))
        self._server.settimeout(0.2)
        self.port = self._server.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    def __enter__(self) -> RequestProxy:
        accept = threading.Thread(target=self._accept, name=self.name, daemon=True)
        accept.start()
        self._threads.append(accept)
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._server.close()
        for thread in self._threads:
            thread.join(timeout=5)

    def handle(self, client: socket.socket, request: bytes) -> bool:
        """Answer ``request`` on ``client``; False when the connection was closed (or must be)."""
        client.sendall(_forward(self.upstream, request))
        return True

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                client, _ = self._server.accept()
            except (TimeoutError, OSError):
                continue
            thread = threading.Thread(target=self._serve, args=(client,), daemon=True)
            thread.start()
            self._threads = [t for t in self._threads if t.is_alive()] + [thread]

    def _serve(self, client: socket.socket) -> None:
        client.settimeout(30)
        buffered = b""
        try:
            while not self._stop.is_set():
                request, buffered = _read_message(client, buffered)
                if request is None or not self.handle(client, request):
                    return
        except OSError:
            return
        finally:
            with contextlib.suppress(OSError):
                client.close()


class FaultProxy(RequestProxy):
    """Listens on 127.0.0.1; ``url`` is what the client should use instead of the hub's."""

    name = "fault-proxy"

    def __init__(self, upstream_host: str, upstream_port: int, plan: FaultPlan) -> None:
        super().__init__(upstream_host, upstream_port)
        self.plan = plan
        self._rng = random.Random(plan.seed)

    def _choose(self) -> str:
        with self._lock:
            roll = self._rng.random()
            delay = self._rng.uniform(*self.plan.delay_range)
        edge = 0.0
        for name in FAULTS[1:]:
            edge += getattr(self.plan, name)
            if roll < edge:
                break
        else:
            name = "pass"
        with self._lock:
            self.plan.counts[name] += 1
        return name if name != "delay" else f"delay:{delay}"

    def handle(self, client: socket.socket, request: bytes) -> bool:
        fault = self._choose()
        if fault.startswith("delay:"):
            time.sleep(float(fault.split(":", 1)[1]))
        elif fault == "stall":
            time.sleep(self.plan.stall_seconds)
        elif fault == "reset":
            _reset(client)
            return False
        elif fault == "http500":
            client.sendall(b"HTTP/1.1 500 Internal Server Error\r\ncontent-length: 0\r\n\r\n")
            return True
        response = _forward(self.upstream, request)
        if fault == "drop_after":
            _reset(client)
            return False
        if fault == "truncate":
            client.sendall(response[: max(1, len(response) // 2)])
            client.close()
            return False
        client.sendall(response)
        return True


def _reset(sock: socket.socket) -> None:
    """Close with RST instead of FIN (SO_LINGER 0): the peer sees 'connection reset'."""
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()


def _forward(upstream: tuple[str, int], request: bytes) -> bytes:
    """Send one request to the hub on a fresh connection and return its whole answer."""
    with socket.create_connection(upstream, timeout=30) as hub:
        hub.sendall(request)
        response, _rest = _read_message(hub, b"")
    if response is None:
        raise OSError("the hub closed the connection without answering")
    return response


def _read_message(sock: socket.socket, buffered: bytes) -> tuple[bytes | None, bytes]:
    """One HTTP/1.1 message (head + Content-Length body) from ``sock``; None at a clean end."""
    data = buffered
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            return None, b""
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
        if name.strip().lower() == b"transfer-encoding" and b"chunked" in value.lower():
            raise OSError("chunked messages are not handled by this test proxy")
    while len(rest) < length:
        chunk = sock.recv(65536)
        if not chunk:
            return None, b""
        rest += chunk
    return head + b"\r\n\r\n" + rest[:length], rest[length:]
