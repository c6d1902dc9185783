"""How a stop tells that the embedded server is still busy, against a real HTTP server on
loopback standing in for llama.cpp's /slots (the real one is in test_e2e_embedded.py); and
how the server's decoding threads read the host's load, against real processes."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bot.models.local_model import IDLE_BELOW, Endpoint, free_port, others_busy, slots_busy


def _slots(delay: float, slots: list[dict[str, object]]) -> type[BaseHTTPRequestHandler]:
    class Slots(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            time.sleep(delay)
            body = json.dumps(slots).encode()
            try:
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):  # the caller stopped waiting
                pass

        def log_message(self, *args: object) -> None:
            pass

    return Slots


@pytest.fixture
def server() -> Iterator[ThreadingHTTPServer]:
    """A loopback server whose handler each test sets."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _slots(0, []))
    thread = threading.Thread(target=httpd.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def _endpoint(httpd: ThreadingHTTPServer) -> Endpoint:
    return Endpoint(f"http://127.0.0.1:{httpd.server_address[1]}/v1", "key", "m", embedded=True)


def test_a_slot_writing_a_reply_is_busy_and_idle_slots_are_not(server) -> None:
    server.RequestHandlerClass = _slots(0, [{"is_processing": False}, {"is_processing": True}])
    assert slots_busy(_endpoint(server))
    server.RequestHandlerClass = _slots(0, [{"is_processing": False}] * 2)
    assert not slots_busy(_endpoint(server))


def test_no_answer_in_time_is_a_prompt_being_read_and_a_gone_server_is_not_busy(server) -> None:
    """llama.cpp answers /slots between batches: while it reads a long prompt it does not
    answer, and a stop that took that for idle cut the prompt off, then hung 30 s."""
    server.RequestHandlerClass = _slots(0.4, [{"is_processing": False}])
    assert slots_busy(_endpoint(server), wait=0.1)
    gone = Endpoint(f"http://127.0.0.1:{free_port()}/v1", "key", "m", embedded=True)
    assert not slots_busy(gone)


@pytest.mark.slow
def test_another_process_busy_counts_against_decoding_threads_and_our_own_work_does_not() -> None:
    """A core spun by another process is load to leave room for; the same spin in a thread
    of this process (the chat's page being built as the model starts) is not."""
    stop = threading.Event()

    def spin() -> None:
        while not stop.is_set():
            sum(range(1000))

    spinning = threading.Thread(target=spin)
    spinning.start()
    try:
        ours = others_busy(2)
    finally:
        stop.set()
        spinning.join()
    other = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        time.sleep(0.2)
        theirs = others_busy(2)
    finally:
        other.kill()
        other.wait()
    assert ours < IDLE_BELOW <= theirs, (ours, theirs)
