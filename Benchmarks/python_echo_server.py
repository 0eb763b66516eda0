"""The official Python MCP SDK 2.x server with the same echo tool as Pier, stateless with JSON responses."""

import logging
import sys

from mcp.server.mcpserver import MCPServer

logging.disable(logging.WARNING)
server = MCPServer("python-echo")


@server.tool()
def echo(text: str) -> str:
    """Use this when you need text repeated back exactly."""
    return text


if __name__ == "__main__":
    server.run("streamable-http", host="127.0.0.1", port=int(sys.argv[1]), stateless_http=True, json_response=True)
