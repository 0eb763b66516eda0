"""FastMCP 4's proxy in front of one upstream, as FastMCP documents it (`create_proxy`), served over Streamable HTTP.

usage: python Benchmarks/fastmcp_proxy.py UPSTREAM (a URL, or a JSON mcpServers config for a stdio upstream) PORT
"""

import json
import logging
import sys

from fastmcp.server import create_proxy

logging.disable(logging.WARNING)
target = sys.argv[1]
if target.startswith("{"):
    target = json.loads(target)
proxy = create_proxy(target, mode="auto")
proxy.run(transport="http", host="127.0.0.1", port=int(sys.argv[2]), show_banner=False)
