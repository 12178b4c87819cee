"""A local stand-in for the SMS/WhatsApp gateway: an http.server on 127.0.0.1 in a thread that
records each request and answers from a script (200, 500, 400, or "hang" past the client's timeout)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

HANG = "hang"
HANG_SECONDS = 1.5
TEST_TIMEOUT = 0.4
TOKEN = "uji-token-gerbang"


@dataclass
class RecordedRequest:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]


@dataclass
class GatewayServer:
    url: str = ""
    script: list[int | str] = field(default_factory=list)  # answers in order; then `default`
    default: int | str = 200
    requests: list[RecordedRequest] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def next_answer(self) -> int | str:
        with self.lock:
            return self.script.pop(0) if self.script else self.default


def _handler_for(server_state: GatewayServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length)
            with server_state.lock:
                server_state.requests.append(
                    RecordedRequest(self.path, {k.lower(): v for k, v in self.headers.items()}, json.loads(raw))
                )
            answer = server_state.next_answer()
            if answer == HANG:
                time.sleep(HANG_SECONDS)
                answer = 200
            body = json.dumps({"ok": answer == 200}).encode()
            try:
                self.send_response(int(answer))
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except OSError:  # the client gave up (timeout) and closed the socket
                pass

        def log_message(self, format: str, *args: Any) -> None:
            return

    return Handler


@pytest.fixture
def gateway(settings: Any) -> Iterator[GatewayServer]:
    state = GatewayServer()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(state))
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{httpd.server_address[1]}/kirim"
    settings.SINERGI_MESSAGE_GATEWAY = {"URL": state.url, "TOKEN": TOKEN, "TIMEOUT": TEST_TIMEOUT, "MAX_ATTEMPTS": 3}
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)
