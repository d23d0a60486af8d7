"""The replication stream's writes when the peer has gone (src/app/server/_replwire.py `send`).

A standby that stops closes its end between two of the primary's writes. uvloop (the server's loop) then raises
RuntimeError on a write, which the primary logged as a bug with a traceback (a YAML scenario's
`log_not_matches: Traceback` caught it in CI); `send` turns it into the lost connection it is.
"""

from __future__ import annotations

import asyncio
import time

import pytest
import uvloop

from app.server._replwire import frame, send


async def _closed_stream_write() -> BaseException | None:
    accepted: asyncio.Future[asyncio.StreamWriter] = asyncio.get_running_loop().create_future()

    async def on_connect(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        accepted.set_result(writer)

    server = await asyncio.start_server(on_connect, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        peer = await asyncio.wait_for(accepted, 5)
        peer.close()  # the standby goes away
        deadline = time.monotonic() + 5
        # Awaited: our side writes into the closed stream until the peer's kernel resets it and our transport
        # closes (what happened to the primary: heartbeats went on after the standby had gone).
        while not writer.is_closing():
            assert time.monotonic() < deadline, "the writer's transport never closed after the peer's close"
            try:
                writer.write(b"x")
                await writer.drain()
                await asyncio.wait_for(reader.read(1), 0.05)
            except (ConnectionError, TimeoutError):
                pass
        try:
            send(writer, frame({"t": "hb", "epoch": 1, "pos": 0}))
        except Exception as e:  # what it raises is the assertion
            return e
        return None
    finally:
        writer.close()
        server.close()
        await server.wait_closed()


@pytest.mark.parametrize("loop", ["uvloop", "asyncio"])
def test_send_on_a_stream_the_peer_closed_is_a_lost_connection(loop: str) -> None:
    runner = uvloop.run if loop == "uvloop" else asyncio.run
    raised = runner(_closed_stream_write())
    assert isinstance(raised, ConnectionResetError), f"send raised {raised!r}"
