"""Serving the web chat: where it listens, who may log in, and a warning when anyone can."""

from __future__ import annotations

import ipaddress
import logging

import gradio as gr

from bot.api import Bot
from bot.config import Settings
from bot.errors import ConfigError
from bot.ui import build_app

log = logging.getLogger(__name__)


def launch(
    settings: Settings,
    host: str | None = None,
    port: int | None = None,
    *,
    block: bool = True,
    bot: Bot | None = None,
) -> gr.Blocks:
    """Serve the chat; warn when it is reachable from other machines without a login."""
    host = host or settings.ui_host
    auth = login(settings)
    if not is_loopback(host) and auth is None:
        log.warning(
            "The chat is bound to %s without a login; anyone on the network can use it. "
            "Set BOT_UI_AUTH=user:password to require one.",
            host,
        )
    app = build_app(bot or Bot(settings)).queue(
        default_concurrency_limit=settings.local_parallel * 2
    )
    app.launch(
        server_name=host,
        server_port=port or settings.ui_port,
        auth=auth,
        theme=gr.themes.Soft(font=["system-ui", "sans-serif"], font_mono=["monospace"]),
        footer_links=[],
        show_error=False,
        prevent_thread_lock=not block,
        quiet=not block,
    )
    return app


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
