"""The hub's listening socket: accepted connections get TCP_NODELAY (no Nagle delay between requests)."""

from __future__ import annotations

import asyncio
import socket

from mcdesk.hub.serve import _bind


def test_accepted_connections_have_nodelay_set() -> None:
    """asyncio sets TCP_NODELAY on an accepted connection only when the listening socket is marked TCP;
    without it each request after the first on a kept-alive connection waited ~40 ms for a delayed ACK."""
    sock = _bind("127.0.0.1", 0)
    seen: list[int] = []

    async def main() -> None:
        async def on_connect(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            accepted = writer.get_extra_info("socket")
            seen.append(accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            writer.close()

        server = await asyncio.start_server(on_connect, sock=sock)
        async with server:
            port = sock.getsockname()[1]
            _reader, writer = await asyncio.open_connection("127.0.0.1", port)
            await _reader.read()
            writer.close()

    asyncio.run(main())
    assert sock.proto == socket.IPPROTO_TCP
    assert len(seen) == 1 and seen[0] != 0
