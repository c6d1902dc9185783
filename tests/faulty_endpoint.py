"""A real HTTP server on loopback that answers like a broken OpenAI-compatible endpoint.

llama.cpp cannot be told to fail on demand, so the fault tests talk to this instead; the
client side (openai SDK, LangChain, our retries and messages) is the real one.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

FAULTS = ("http-500", "timeout", "malformed-json", "mid-stream")


class FaultyEndpoint:
    """Serves POST /v1/chat/completions with the chosen fault; counts the requests."""

    def __init__(self, fault: str, delay: float = 3.0) -> None:
        assert fault in FAULTS
        self.fault = fault
        self.delay = delay
        self.requests = 0
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        """Stop serving and free the port."""
        self.server.shutdown()
        self.server.server_close()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                """Keep test output quiet."""

            def do_POST(self) -> None:
                endpoint.requests += 1
                self.rfile.read(int(self.headers.get("content-length", 0)))
                getattr(self, "_" + endpoint.fault.replace("-", "_"))()

            def _http_500(self) -> None:
                self._reply(500, "application/json", b'{"error": {"message": "boom"}}')

            def _timeout(self) -> None:
                time.sleep(endpoint.delay)
                self._reply(500, "application/json", b"{}")

            def _malformed_json(self) -> None:
                self._reply(200, "text/event-stream", b"data: {not json\n\n")

            def _mid_stream(self) -> None:
                text = "Elon Musk offered 97.4 billion dollars to buy OpenAI. He "
                delta = {"role": "assistant", "content": text}
                chunk = {
                    "id": "x",
                    "object": "chat.completion.chunk",
                    "created": 0,
                    "model": "m",
                    "choices": [{"index": 0, "delta": delta, "finish_reason": None}],
                }
                self.send_response(200)
                self.send_header("content-type", "text/event-stream")
                self.send_header("content-length", "100000")  # promise more than is sent
                self.end_headers()
                self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                self.wfile.flush()
                self.connection.close()

            def _reply(self, status: int, kind: str, body: bytes) -> None:
                self.send_response(status)
                self.send_header("content-type", kind)
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        return Handler
