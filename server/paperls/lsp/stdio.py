"""Reading the client's messages on the event loop, when stdin is a pipe or a socket.

pygls reads stdin in a worker thread, three reads a message (the Content-Length line, the
blank line, the body), each handed back to the event loop. Each hand-off waits for the
interpreter lock, and while the loop runs Python (the topic fill recording phrases, a publish)
it gets it only at the 5 ms switch interval: a request waited 11 ms at p90 before its handler
ran, 4 ms when read on the loop (the completion bench, the seconds after the first index).
Here asyncio reads the pipe itself and pygls's own message loop (``run_async``, the one its TCP
server uses with the same kind of stream) parses the frames.

Anything else (a regular file, a terminal, Windows, stdin and stdout one socket, whose
non-blocking mode the two would share) goes the ordinary way, in pygls's thread.
"""

from __future__ import annotations

import asyncio
import logging
import os
import stat
import sys
import threading
from typing import BinaryIO

from pygls.io_ import StdoutWriter, run_async

log = logging.getLogger(__name__)

LINE_LIMIT = 1 << 20  # bytes asyncio buffers looking for a line's end (a header is ~25)


class StreamSource:
    """asyncio's stream as pygls's message loop reads it: a line however long (in pieces past
    ``LINE_LIMIT``, which no header is), and at the end of input what came before it, as a
    blocking read gives."""

    def __init__(self, stream: asyncio.StreamReader) -> None:
        self._stream = stream

    async def readline(self) -> bytes:
        try:
            return await self._stream.readuntil(b"\n")
        except asyncio.IncompleteReadError as end:
            return end.partial
        except asyncio.LimitOverrunError as long:
            return await self._stream.readexactly(max(1, long.consumed))

    async def readexactly(self, n: int) -> bytes:
        try:
            return await self._stream.readexactly(n)
        except asyncio.IncompleteReadError as end:
            return end.partial


def readable_on_loop(fd: int) -> bool:
    """Whether the event loop can read ``fd`` itself: a pipe or socket that is not also
    stdout (setting it non-blocking would make writes to it fail when the client is slow)."""
    if sys.platform == "win32":
        return False
    try:
        st, out = os.fstat(fd), os.fstat(sys.stdout.fileno())
    except (OSError, AttributeError, ValueError):  # io.UnsupportedOperation is a ValueError
        return False
    if not (stat.S_ISFIFO(st.st_mode) or stat.S_ISSOCK(st.st_mode)):
        return False
    return (st.st_dev, st.st_ino) != (out.st_dev, out.st_ino)


def serve(server, stdin: BinaryIO | None, stdout: BinaryIO | None) -> None:
    """Serve the client on stdio: ``stdin`` is what to read (by default ``sys.stdin``),
    possibly with bytes read ahead in front (``prestart.Replay.unread``)."""
    source = stdin if stdin is not None else sys.stdin.buffer
    try:
        fd = source.fileno()
    except (AttributeError, OSError, ValueError):
        fd = -1
    if fd < 0 or not readable_on_loop(fd):
        server.start_io(stdin, stdout)
        return
    first = source.unread() if hasattr(source, "unread") else b""
    server._stop_event = threading.Event()  # what pygls's ``shutdown`` and ``exit`` set
    server.protocol.set_writer(StdoutWriter(stdout or sys.stdout.buffer))

    async def main() -> None:
        loop = asyncio.get_running_loop()
        stream = asyncio.StreamReader(limit=LINE_LIMIT)
        stream.feed_data(first)
        pipe = os.fdopen(fd, "rb", buffering=0, closefd=False)
        await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(stream), pipe)
        await run_async(stop_event=server._stop_event, reader=StreamSource(stream),
                        protocol=server.protocol, logger=log,
                        error_handler=server.report_server_error)

    # As pygls's own start: a lost client ends the server, ``exit`` ends it by SystemExit.
    try:
        asyncio.run(main())
    except BrokenPipeError:
        log.error("Connection to the client is lost! Shutting down the server.")
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        server.shutdown()
