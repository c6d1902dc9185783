"""Serving the API, and what serving the web chat (`ui.launch`) shares with it: where they
listen, who may use them, and refusing or warning when anyone on the network could. No
Gradio here: the API and its tests do without its two seconds of imports."""

from __future__ import annotations

import ipaddress
import logging
import signal
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from types import FrameType

import uvicorn

from bot.answer.prompts import stop_waiting
from bot.api import Bot
from bot.app.openai_api import build_api
from bot.core.config import Settings
from bot.core.errors import ConfigError
from bot.ingest.watching import watch_in_background

log = logging.getLogger(__name__)


def login(settings: Settings) -> tuple[str, str] | None:
    """BOT_UI_AUTH as Gradio's (user, password)."""
    if settings.ui_auth is None:
        return None
    user, colon, password = settings.ui_auth.get_secret_value().partition(":")
    if not (user and colon and password):
        raise ConfigError("BOT_UI_AUTH must look like user:password; fix it in .env.")
    return user, password


def is_loopback(host: str) -> bool:
    """Whether only this machine can reach `host`."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass
class BackgroundServer:
    """`bot serve` running in a thread of this process (tests, notebooks)."""

    server: uvicorn.Server
    thread: threading.Thread
    url: str
    stop_watching: Callable[[], None] | None = None

    def close(self) -> None:
        """Stop accepting, finish what is in flight, and wait for the thread."""
        self.server.should_exit = True
        self.thread.join(timeout=30)
        if self.stop_watching:
            self.stop_watching()


def serve(
    settings: Settings,
    host: str | None = None,
    port: int | None = None,
    *,
    block: bool = True,
    bot: Bot | None = None,
    watch: bool = False,
) -> BackgroundServer | None:
    """Serve the OpenAI-compatible API; refuse to listen beyond this machine without a key.
    With `watch`, the corpus folder is mirrored into the store while it runs."""
    host = host or settings.api_host
    port = port or settings.api_port
    if not is_loopback(host) and settings.api_key is None:
        raise ConfigError(
            f"Refusing to serve the API on {host} without BOT_API_KEY: anyone on the network "
            "could use it; set BOT_API_KEY, or bind 127.0.0.1."
        )
    _check_free(host, port)
    bot = bot or Bot(settings)
    bot.warm_up_in_background()
    config = uvicorn.Config(
        build_api(bot),
        host=host,
        port=port,
        log_level="info" if block else "warning",
        timeout_graceful_shutdown=int(settings.timeout) + 1,
    )
    server = _Server(config)
    stop_watching = watch_in_background(settings) if watch else None
    if block:
        try:
            server.run()
        finally:
            if stop_watching:
                stop_watching()
        return None
    thread = threading.Thread(target=server.run, name="bot-serve", daemon=True)
    thread.start()
    while not server.started:
        if not thread.is_alive():
            raise ConfigError(f"The API could not start on {host}:{port}; see the log above.")
        time.sleep(0.02)
    return BackgroundServer(server, thread, f"http://{host}:{port}", stop_watching)


class _Server(uvicorn.Server):
    """Ctrl+C ends the answers being written at once (`stop_waiting`); SIGTERM (a process
    manager's stop) lets them end first, within BOT_TIMEOUT, as uvicorn does."""

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        if sig == signal.SIGINT:
            stop_waiting()
        super().handle_exit(sig, frame)


def _check_free(host: str, port: int) -> None:
    """One sentence when the port is taken, before uvicorn logs its own error and exits."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise ConfigError(
                f"Cannot listen on {host}:{port} ({exc.strerror}); stop what uses it, or pick "
                "another port with --port or BOT_API_PORT."
            ) from None
