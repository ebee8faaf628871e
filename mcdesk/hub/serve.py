"""Running the hub under uvicorn: bind, announce the URL once listening, stop cleanly on SIGINT/SIGTERM."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from mcdesk.hub.errors import HubError
from mcdesk.hub.logs import close_logging, log_event, setup_logging
from mcdesk.hub.store import HubData


def serve(data_dir: str | Path | None, host: str = "127.0.0.1", port: int = 8765,
          announce: Callable[[str], None] = print) -> None:
    """Serve the hub until SIGINT or SIGTERM. ``port`` 0 picks a free port; ``announce`` gets the URL
    once the server is listening."""
    import uvicorn

    from mcdesk.hub.app import create_app

    data = HubData.open(data_dir)
    setup_logging(data.log_path)
    try:
        app = create_app(data.root)
        sock = _bind(host, port)
        bound_port = sock.getsockname()[1]
        shown_host = f"[{host}]" if ":" in host else host
        url = f"http://{shown_host}:{bound_port}"

        class Server(uvicorn.Server):
            @contextmanager
            def capture_signals(self) -> Iterator[None]:
                """Stop on SIGINT/SIGTERM and return normally (uvicorn would re-raise the signal)."""
                if threading.current_thread() is not threading.main_thread():
                    yield
                    return
                handled = [signal.SIGINT, signal.SIGTERM]
                originals = {sig: signal.signal(sig, self.handle_exit) for sig in handled}
                try:
                    yield
                finally:
                    for sig, handler in originals.items():
                        signal.signal(sig, handler)

        config = uvicorn.Config(app, log_config=None, access_log=False, lifespan="on",
                                timeout_graceful_shutdown=5, server_header=False)
        server = Server(config)

        async def run() -> None:
            task = asyncio.create_task(server.serve(sockets=[sock]))
            while not server.started and not task.done():
                await asyncio.sleep(0.02)
            if server.started:
                log_event("listening", url=url)
                announce(url)
            await task

        asyncio.run(run())
        sock.close()
    finally:
        close_logging()


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP, not 0: asyncio sets TCP_NODELAY on accepted connections only when the listening socket
    # says it is TCP; without it every request after the first on a kept-alive connection waits ~40 ms
    # (Nagle's algorithm against the client's delayed ACK).
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    if os.name != "nt":  # on Windows the option would let two servers share the port
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise HubError(f"The hub cannot listen on {host}:{port} ({exc.strerror or exc}).",
                       "Another program may use that port; choose another with --port, or stop it.") from exc
    sock.set_inheritable(True)
    return sock
