"""TLS in front of a plain-HTTP server on loopback, the way a reverse proxy or a tunnel puts a deployment on https:
bytes in both directions, the certificate from the throwaway CA of document_host (for `localhost` and 127.0.0.1)."""

import asyncio
import ssl
import tempfile
import threading

from document_host import make_certificates
from pier_launch import free_port


class TLSProxy:
    """`https://localhost:<port>` → `127.0.0.1:<target>`; `ca_file` is the CA to trust. Stops with `close()`."""

    def __init__(self, target: int):
        self.target = target
        self.port = free_port()
        self.ca_file, cert, key = make_certificates(tempfile.mkdtemp(prefix="pier-tls-"))
        self.context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self.context.load_cert_chain(cert, key)
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()
        assert self.ready.wait(10), "the TLS proxy did not start"

    @property
    def base(self) -> str:
        return f"https://localhost:{self.port}"

    def _run(self):
        asyncio.set_event_loop(self.loop)
        self.server = self.loop.run_until_complete(asyncio.start_server(self._serve, "127.0.0.1", self.port, ssl=self.context))
        self.ready.set()
        self.loop.run_forever()

    async def _serve(self, reader, writer):
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection("127.0.0.1", self.target)
        except OSError:
            writer.close()
            return

        async def pipe(source, sink):
            try:
                while data := await source.read(65536):
                    sink.write(data)
                    await sink.drain()
            except (ConnectionError, ssl.SSLError, asyncio.CancelledError):
                pass
            finally:
                try:
                    sink.close()
                except Exception:
                    pass

        await asyncio.gather(pipe(reader, upstream_writer), pipe(upstream_reader, writer))

    def close(self):
        self.loop.call_soon_threadsafe(self.server.close)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)
