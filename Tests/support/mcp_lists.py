"""Helpers the SDK-driven suites share: whole tool lists across pages, and an inbox of server notifications."""

import anyio


async def tool_names_v1(session) -> list[str]:
    """Every tool name an SDK 1.x `ClientSession` lists, following cursors."""
    names, cursor = [], None
    while True:
        page = await session.list_tools(cursor=cursor)
        names += [t.name for t in page.tools]
        cursor = page.nextCursor
        if cursor is None:
            return names


async def tool_names_v2(client) -> list[str]:
    """Every tool name an SDK 2.x `Client` lists (never from its cache), following cursors."""
    names, cursor = [], None
    while True:
        page = await client.list_tools(cursor=cursor, cache_mode="refresh")
        names += [t.name for t in page.tools]
        cursor = page.next_cursor
        if cursor is None:
            return names


class Inbox:
    """An SDK 1.x `message_handler` keeping the server notifications it is given."""

    def __init__(self):
        self.items = []

    async def __call__(self, message):
        import mcp.types as types

        if isinstance(message, types.ServerNotification):
            self.items.append(message.root)

    def count(self, kind) -> int:
        return sum(isinstance(i, kind) for i in self.items)

    async def wait_for(self, kind, timeout=5):
        """Takes the first notification of `kind` out of the inbox, waiting up to `timeout` seconds for one."""
        with anyio.fail_after(timeout):
            while True:
                for item in self.items:
                    if isinstance(item, kind):
                        self.items.remove(item)
                        return item
                await anyio.sleep(0.05)
