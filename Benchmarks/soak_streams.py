"""Holds many handshake-era sessions, each with its GET stream open, against a live Pier, and measures Pier's
resident memory per session and per open stream. Raw asyncio sockets, so the client itself stays small.

usage: python3 Benchmarks/soak_streams.py HOST PORT PIER_PID STREAMS READY_FILE
Opens STREAMS sessions (initialize), then a GET stream on each; writes the figures as JSON to READY_FILE and keeps
the streams open, reading Pier's keep-alive comments, until SIGTERM; then prints how many streams were still open
and how many had ended or failed.
"""

import asyncio
import json
import signal
import sys
import time
from pathlib import Path

HOST, PORT, PID, STREAMS, READY = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
VERSION = "2025-11-25"


def rss_kib() -> int:
    for line in Path(f"/proc/{PID}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


async def settled_rss() -> int:
    await asyncio.sleep(3)
    return rss_kib()


async def initialize(n: int) -> str:
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": VERSION, "capabilities": {}, "clientInfo": {"name": f"soak-{n}", "version": "1"}}}).encode()
    reader, writer = await asyncio.open_connection(HOST, PORT)
    writer.write(b"POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\n"
                 + f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode() + body)
    await writer.drain()
    head = (await reader.read()).decode(errors="replace")
    writer.close()
    for line in head.split("\r\n"):
        if line.lower().startswith("mcp-session-id:"):
            return line.split(":", 1)[1].strip()
    raise RuntimeError("no session id: " + head[:200])


class Stream:
    def __init__(self, sid: str):
        self.sid = sid
        self.open = False
        self.comments = 0
        self.error: str | None = None

    async def run(self, opened: asyncio.Event, stop: asyncio.Event):
        try:
            reader, writer = await asyncio.open_connection(HOST, PORT)
            writer.write(f"GET /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\nMcp-Session-Id: {self.sid}\r\n"
                         f"MCP-Protocol-Version: {VERSION}\r\n\r\n".encode())
            await writer.drain()
            status = await reader.readline()
            if b" 200 " not in status:
                raise RuntimeError(status.decode(errors="replace"))
            self.open = True
            opened.set()
            while not stop.is_set():
                line = await reader.readline()
                if not line:
                    raise RuntimeError("stream ended")
                if line.startswith(b":"):
                    self.comments += 1
            writer.close()
        except Exception as e:  # noqa: BLE001 - counted and reported
            self.error = repr(e)[:200]
            self.open = False
            opened.set()


async def main():
    before = await settled_rss()
    sids = []
    for start in range(0, STREAMS, 50):
        sids += await asyncio.gather(*(initialize(n) for n in range(start, min(STREAMS, start + 50))))
    with_sessions = await settled_rss()
    stop = asyncio.Event()
    streams = [Stream(sid) for sid in sids]
    tasks = []
    for s in streams:
        opened = asyncio.Event()
        tasks.append(asyncio.create_task(s.run(opened, stop)))
        await opened.wait()
    with_streams = await settled_rss()
    failed_to_open = [s.error for s in streams if not s.open]
    figures = {
        "streams": STREAMS, "rss_before_kib": before, "rss_sessions_kib": with_sessions, "rss_streams_kib": with_streams,
        "per_session_kib": round((with_sessions - before) / STREAMS, 1), "per_stream_kib": round((with_streams - with_sessions) / STREAMS, 1),
        "open": sum(s.open for s in streams), "failed_to_open": failed_to_open[:3],
    }
    Path(READY).write_text(json.dumps(figures))
    loop = asyncio.get_running_loop()
    done = asyncio.Event()
    loop.add_signal_handler(signal.SIGTERM, done.set)
    started = time.monotonic()
    await done.wait()
    still = sum(s.open and s.error is None for s in streams)
    errors = [s.error for s in streams if s.error]
    print(json.dumps({"held_seconds": round(time.monotonic() - started), "still_open": still, "ended_or_failed": len(errors),
                      "first_errors": errors[:3], "keep_alive_comments": sum(s.comments for s in streams)}))
    stop.set()
    for t in tasks:
        t.cancel()


asyncio.run(main())
