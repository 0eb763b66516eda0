"""tools/call throughput of `pier serve --stdio`: a pipelined client keeps WINDOW calls in flight over one pipe.

usage: python3 Benchmarks/stdio_tools_call.py PIER_BINARY [CALLS] [WINDOW]
"""

import json
import os
import subprocess
import sys
import tempfile
import threading
import time

binary = sys.argv[1]
calls = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
window = int(sys.argv[3]) if len(sys.argv) > 3 else 64

env = dict(os.environ, PIER_DATA_DIR=tempfile.mkdtemp(prefix="pier-bench-"), LOG_LEVEL="warning")
proc = subprocess.Popen([binary, "serve", "--stdio", "--app", "demo"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
init = {"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "bench", "version": "1"}}}
proc.stdin.write((json.dumps(init) + "\n").encode())
proc.stdin.flush()
reader = proc.stdout
assert b'"id":0' in reader.readline()

template = '{"jsonrpc":"2.0","id":%d,"method":"tools/call","params":{"name":"echo","arguments":{"text":"x"}}}\n'
slots = threading.Semaphore(window)
bad = 0


def write_all():
    for i in range(1, calls + 1):
        if not slots.acquire(blocking=False):
            proc.stdin.flush()
            slots.acquire()
        proc.stdin.write((template % i).encode())
    proc.stdin.flush()


start = time.perf_counter()
writer = threading.Thread(target=write_all)
writer.start()
for _ in range(calls):
    line = reader.readline()
    if b'"result"' not in line or b'"isError":true' in line:
        bad += 1
    slots.release()
elapsed = time.perf_counter() - start
writer.join()
proc.stdin.close()
proc.wait(timeout=30)
print(f"stdio summary: calls={calls} window={window} bad={bad} seconds={elapsed:.2f} calls/s={calls / elapsed:.0f} exit={proc.returncode}")
