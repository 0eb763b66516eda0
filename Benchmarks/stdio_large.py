"""Time to echo one large message over `pier serve --stdio`, at several sizes: linear framing means the time per
megabyte stays flat as messages grow.

usage: python3 Benchmarks/stdio_large.py PIER_BINARY [SIZES_MB...]
"""

import json
import os
import subprocess
import sys
import tempfile
import time

binary = sys.argv[1]
sizes = [int(s) for s in sys.argv[2:]] or [1, 4, 16]
env = dict(os.environ, PIER_DATA_DIR=tempfile.mkdtemp(prefix="pier-bench-"), LOG_LEVEL="warning", PIER_MAX_BODY_BYTES=str(64 * 1024 * 1024))
proc = subprocess.Popen([binary, "serve", "--stdio", "--app", "demo"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
for i, mb in enumerate(sizes, start=1):
    text = "z" * (mb * 1024 * 1024)
    line = (json.dumps({"jsonrpc": "2.0", "id": i, "method": "tools/call", "params": {"name": "echo", "arguments": {"text": text}}}) + "\n").encode()
    start = time.perf_counter()
    proc.stdin.write(line)
    proc.stdin.flush()
    reply = proc.stdout.readline()
    elapsed = time.perf_counter() - start
    assert len(reply) > mb * 1024 * 1024 and b'"result"' in reply
    print(f"stdio large: {mb:3d} MB echoed in {elapsed * 1000:8.1f} ms ({elapsed * 1000 / mb:6.1f} ms/MB)")
proc.stdin.close()
proc.wait(timeout=30)
