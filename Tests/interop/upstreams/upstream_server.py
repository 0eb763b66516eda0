"""An upstream MCP server for the gateway tests, written with whichever official SDK runs it: the Python SDK 2.x
(`mcp.server.mcpserver`), the 1.x SDK (`mcp.server.fastmcp`), or FastMCP 4 (`fastmcp`).

    python upstream_server.py NAME TRANSPORT [PORT] [--stateless] [--tools N] [--garbage] [--assets-origin URL]

TRANSPORT is stdio, streamable-http, sse or fastmcp-http. Every server has `echo`, `add`, `slow` (progress, then an
answer), `cancellations` (how many `slow` calls were cancelled), `seen_authorization` (the Authorization header
it got), `whoami` (the server's NAME), a text resource, a widget resource and tool, and a prompt; `--tools N` adds
N generated tools (for pagination), `--garbage` writes non-JSON lines to stdout before serving stdio, and
`--assets-origin` makes the widget load `app.js` from that origin (declared in both CSP dialects).
"""

import argparse
import asyncio
import logging
import sys

logging.disable(logging.WARNING)

parser = argparse.ArgumentParser()
parser.add_argument("name")
parser.add_argument("transport")
parser.add_argument("port", nargs="?", type=int, default=0)
parser.add_argument("--stateless", action="store_true")
parser.add_argument("--tools", type=int, default=0)
parser.add_argument("--garbage", action="store_true")
parser.add_argument("--assets-origin", default="")
args = parser.parse_args()

WIDGET_URI = f"ui://widget/{args.name}-hello.html"
WIDGET_META = {"ui": {"resourceUri": WIDGET_URI}, "openai/outputTemplate": WIDGET_URI, "x-upstream-extra": {"kept": True}}

if args.transport == "fastmcp-http":
    from fastmcp import Context, FastMCP

    server = FastMCP(args.name)
    tool = server.tool
    FLAVOUR = "fastmcp"
else:
    try:
        from mcp.server.mcpserver import Context, MCPServer

        server = MCPServer(args.name)
        FLAVOUR = "mcp2"
    except ImportError:
        from mcp.server.fastmcp import Context, FastMCP

        kwargs = {"host": "127.0.0.1", "port": args.port} if args.port else {}
        server = FastMCP(args.name, **kwargs)
        FLAVOUR = "mcp1"
    tool = server.tool


@tool()
def echo(text: str) -> str:
    """Use this when you need text repeated back exactly."""
    return text


@tool()
def add(a: float, b: float) -> float:
    """Use this when you need the sum of two numbers."""
    return a + b


@tool()
def whoami() -> str:
    """Use this to learn which upstream answered."""
    return f"{args.name} ({FLAVOUR})"


CANCELLED = {"count": 0}


@tool()
async def slow(seconds: float, ctx: Context) -> str:
    """Use this to wait a while, reporting progress."""
    steps = 4
    try:
        for i in range(steps):
            await ctx.report_progress(i + 1, steps)
            await asyncio.sleep(seconds / steps)
    except asyncio.CancelledError:
        CANCELLED["count"] += 1
        raise
    return f"slept {seconds}"


@tool()
def seen_authorization(ctx: Context) -> str:
    """Use this to learn which Authorization header the upstream received (none over stdio)."""
    request = getattr(ctx.request_context, "request", None)
    headers = getattr(request, "headers", None)
    return (headers.get("authorization") if headers is not None else None) or "none"


@tool()
def cancellations() -> int:
    """Use this to learn how many slow calls were cancelled."""
    return CANCELLED["count"]


for i in range(args.tools):

    def make(i: int):
        def generated(x: int = 0) -> str:
            return f"tool {i}: {x}"

        generated.__name__ = f"generated_{i:03d}"
        generated.__doc__ = f"Generated tool number {i}."
        return generated

    tool()(make(i))


try:

    @tool(meta=WIDGET_META)
    def show_hello(who: str = "world") -> str:
        """Use this to show a greeting card."""
        return f"Hello, {who}!"

    RESOURCE_META = {"ui": {"prefersBorder": True}, "openai/widgetDescription": "A card"}
    if args.assets_origin:
        RESOURCE_META["ui"]["csp"] = {"resourceDomains": [args.assets_origin], "connectDomains": []}
        RESOURCE_META["openai/widgetCSP"] = {"resource_domains": [args.assets_origin], "connect_domains": []}

    @server.resource(WIDGET_URI, mime_type="text/html;profile=mcp-app", meta=RESOURCE_META)
    def hello_widget() -> str:
        script = f"<script src='{args.assets_origin}/app.js'></script>" if args.assets_origin else ""
        return f"<!doctype html><html><body><div id='card'>hello widget</div>{script}</body></html>"

except TypeError:
    # An SDK without `meta` on tools and resources: the widget is left out.
    pass


@server.resource(f"data://{args.name}/greeting")
def greeting() -> str:
    """A greeting."""
    return f"greetings from {args.name}"


@server.prompt()
def greet(name: str) -> str:
    """A prompt that greets someone."""
    return f"Please greet {name} warmly."


if __name__ == "__main__":
    if args.transport == "stdio":
        if args.garbage:
            print("this line is not JSON-RPC", flush=True)
            print("{\"also\": \"not a message\"}", flush=True)
        server.run("stdio")
    elif args.transport == "fastmcp-http":
        server.run(transport="http", host="127.0.0.1", port=args.port, show_banner=False)
    elif FLAVOUR == "mcp2":
        if args.transport == "sse":
            server.run("sse", host="127.0.0.1", port=args.port)
        else:
            server.run("streamable-http", host="127.0.0.1", port=args.port, stateless_http=args.stateless, json_response=args.stateless)
    else:
        if args.stateless:
            server.settings.stateless_http = True
            server.settings.json_response = True
        server.run(args.transport)
