"""An OTLP/HTTP trace receiver on loopback for the tests: POST /v1/traces (protobuf, or JSON), the spans kept as
plain dicts so a test can check the tree."""

import http.server
import json
import threading

from google.protobuf.json_format import MessageToDict
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest, ExportTraceServiceResponse
from pier_launch import free_port


class OTLPReceiver:
    """`endpoint` for OTEL_EXPORTER_OTLP_ENDPOINT; `spans()` every span received so far (name, ids, kind,
    attributes as a dict)."""

    def __init__(self):
        self.port = free_port()
        self._spans: list[dict] = []
        self._lock = threading.Lock()
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                if self.path != "/v1/traces":
                    self.send_response(404)
                    self.end_headers()
                    return
                if self.headers.get("Content-Type", "").startswith("application/json"):
                    message = json.loads(body)
                else:
                    request = ExportTraceServiceRequest()
                    request.ParseFromString(body)
                    message = MessageToDict(request)
                receiver._keep(message)
                answer = ExportTraceServiceResponse().SerializeToString()
                self.send_response(200)
                self.send_header("Content-Type", "application/x-protobuf")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _keep(self, message: dict):
        for resource in message.get("resourceSpans", []):
            service = {a["key"]: a["value"].get("stringValue") for a in resource.get("resource", {}).get("attributes", [])}.get("service.name")
            for scope in resource.get("scopeSpans", []):
                for span in scope.get("spans", []):
                    attributes = {}
                    for a in span.get("attributes", []):
                        value = a["value"]
                        attributes[a["key"]] = next(iter(value.values())) if value else None
                    with self._lock:
                        self._spans.append({
                            "name": span["name"], "trace": span["traceId"], "id": span["spanId"], "parent": span.get("parentSpanId", ""),
                            "kind": span.get("kind", ""), "attributes": attributes, "status": span.get("status", {}), "service": service,
                        })

    def spans(self) -> list[dict]:
        with self._lock:
            return list(self._spans)

    def close(self):
        self.server.shutdown()
