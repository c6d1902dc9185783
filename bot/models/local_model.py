"""The embedded default: a GGUF model behind llama.cpp's OpenAI-compatible server on loopback."""

from __future__ import annotations

import atexit
import json
import os
import secrets
import socket
import threading
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from bot.core.config import usable_cores
from bot.core.errors import ConfigError

CONTEXT_PER_SLOT = 4096
IDLE_BELOW = 0.5
"""Cores busy with other work below which the host counts as idle."""
STOP_WAIT = 15.0
"""Seconds a stop waits for the requests in flight to end: a prompt being read (a few
seconds on 2 cores) is read to its end before llama.cpp sees its reply was closed."""


@dataclass(frozen=True)
class Endpoint:
    """Where an OpenAI-compatible chat server listens and how to authenticate."""

    base_url: str
    api_key: str
    model: str
    embedded: bool = False


@dataclass(frozen=True)
class ServerSpec:
    """What the embedded server loads and how much of the machine it may use."""

    path: Path
    alias: str
    threads: int = 0
    """Decoding threads; 0 = every core but one (see `default_threads`)."""
    parallel: int = 2


class EmbeddedServer:
    """An in-process llama.cpp server; bound to 127.0.0.1 with a random key and no CORS."""

    def __init__(self, spec: ServerSpec) -> None:
        import xllamacpp

        port = free_port()
        self.api_key = secrets.token_urlsafe(24)
        decode, prefill = default_threads() if not spec.threads else (spec.threads, spec.threads)
        params = xllamacpp.CommonParams()
        params.model.path = str(spec.path)
        params.model_alias = spec.alias
        params.n_parallel = spec.parallel
        params.n_ctx = CONTEXT_PER_SLOT * spec.parallel
        params.port = port
        params.hostnames = ["127.0.0.1"]
        params.api_keys = [self.api_key]
        params.cors_origins = ""
        params.verbosity = -1
        params.warmup = False
        params.endpoint_slots = True  # `busy` reads them
        params.cpuparams.n_threads = decode
        params.cpuparams_batch.n_threads = prefill
        try:
            self._server = xllamacpp.Server(params)
        except Exception as exc:  # llama.cpp reports a bad file as a bare RuntimeError
            raise ConfigError(
                f"llama.cpp could not load {spec.path} ({exc}); check that it is a complete "
                "GGUF chat model, or unset BOT_LOCAL_MODEL_PATH."
            ) from None
        self.endpoint = Endpoint(
            base_url=f"http://127.0.0.1:{port}/v1",
            api_key=self.api_key,
            model=spec.alias,
            embedded=True,
        )

    def stop(self) -> None:
        """Free the port and the model's memory once no request is in flight: a reply an
        answer left is closed at its next token, and llama.cpp's shutdown would otherwise
        wait about 30 s on it (`bot ask` printed its answer, then hung; Ctrl+C in the chat
        while a prompt was read)."""
        ends = time.monotonic() + STOP_WAIT
        while self.busy() and time.monotonic() < ends:
            time.sleep(0.05)
        self._server = None

    def busy(self) -> bool:
        """Whether a slot is reading a prompt or writing a reply."""
        return slots_busy(self.endpoint)


def slots_busy(endpoint: Endpoint, wait: float = 1.0) -> bool:
    """Whether a llama.cpp server's slot is reading a prompt or writing a reply: it answers
    between batches, so no answer within `wait` seconds means a long prompt is being read."""
    root = endpoint.base_url.removesuffix("/v1")
    request = urllib.request.Request(
        f"{root}/slots", headers={"Authorization": f"Bearer {endpoint.api_key}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=wait) as reply:
            return any(slot.get("is_processing") for slot in json.load(reply))
    except TimeoutError:
        return True
    except (OSError, ValueError):  # gone, or not a llama.cpp reply
        return False


_lock = threading.Lock()
_servers: dict[ServerSpec, EmbeddedServer] = {}


def embedded_endpoint(spec: ServerSpec) -> Endpoint:
    """Start the embedded server on first use, once per process and spec; it stops at exit."""
    with _lock:
        if spec not in _servers:
            server = EmbeddedServer(spec)
            _servers[spec] = server
            atexit.register(server.stop)
        return _servers[spec].endpoint


def default_threads() -> tuple[int, int]:
    """(decode, prefill) threads: prefill takes every core; decoding takes every core when
    no other process keeps one busy as the model starts, and leaves one free when one does.

    Decoding syncs its threads on every token. Measured on 2 cores (docs/answers.md): idle,
    2 threads write 14.3 tokens/s against 8.0 with 1; with one core busy, 1.5 against 8.5.
    Prefill is one large batch and gains from every core either way. This process's own
    work as the model starts in the background (the watch's first pass over the folder, the
    chat's page) is over before the model writes, so it is not counted: it gave
    `bot ui --watch` one decoding thread for its whole run.
    """
    cores = usable_cores()
    return (cores if others_busy(cores) < IDLE_BELOW else max(1, cores - 1)), cores


def others_busy(cores: int, sample: float = 0.3) -> float:
    """Cores that other processes kept busy over `sample` seconds: the host's busy time
    (/proc/stat) less this process's own (`time.process_time`); none where it cannot be
    read."""
    try:
        before = _cpu_seconds()
        time.sleep(sample)
        after = _cpu_seconds()
    except (OSError, ValueError, IndexError):
        return 0.0
    busy, every, own = (later - earlier for earlier, later in zip(before, after, strict=True))
    return cores * max(0.0, busy - own) / every if every > 0 else 0.0


def _cpu_seconds() -> tuple[float, float, float]:
    """CPU seconds so far: the host's busy ones, all of them, and this process's own (user
    and system, all its threads)."""
    with open("/proc/stat", encoding="ascii") as stat:
        host = [int(x) for x in stat.readline().split()[1:]]
    tick = os.sysconf("SC_CLK_TCK")
    idle = host[3] + host[4]  # idle + iowait
    return (sum(host) - idle) / tick, sum(host) / tick, time.process_time()


def free_port() -> int:
    """Ask the OS for an unused loopback port."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
