"""The Gradio web chat page, and serving it: a thin shell over the chat turn (`chat`)."""

from __future__ import annotations

import functools
import html
import logging
import time
from collections.abc import Callable

import gradio as gr

from bot.answer.prompts import stop_waiting
from bot.api import Bot
from bot.app.chat import ERROR_MARK, respond
from bot.app.serving import is_loopback, login
from bot.core.config import Settings
from bot.core.errors import BotError
from bot.ingest.watching import watch_in_background

log = logging.getLogger(__name__)

EXAMPLES = [
    "How much did Elon Musk offer to buy OpenAI?",
    "Pour combien d'années le contrat entre Meta et Google Cloud a-t-il été signé ?",
    "WeChat có bao nhiêu người dùng?",
]


def build_app(bot: Bot) -> gr.Blocks:
    """The chat page; conversation state lives in the browser, so replicas can share a load."""
    with gr.Blocks(title="newsbot") as app:
        header = gr.Markdown(elem_id="header")
        chat = gr.Chatbot(
            elem_id="chat",
            label="Chat",
            height=560,
            buttons=["copy"],
            group_consecutive_messages=False,
            placeholder="Ask about the articles in English, French or Vietnamese.",
        )
        with gr.Row():
            box = gr.Textbox(
                elem_id="question",
                show_label=False,
                placeholder="Ask a question about the articles…",
                scale=8,
                autofocus=True,
                submit_btn="Ask",
                stop_btn="Stop",
            )
        with (
            gr.Accordion("Filter by date and outlet", open=False, elem_id="filters"),
            gr.Row(),
        ):
            since = gr.Textbox(label="Since (YYYY-MM-DD)", elem_id="since", value="")
            until = gr.Textbox(label="Until (YYYY-MM-DD)", elem_id="until", value="")
            outlets = gr.Dropdown(
                label="Outlets", elem_id="outlets", multiselect=True, choices=[], value=[]
            )
        gr.Examples(EXAMPLES, inputs=box, label="Examples (en / fr / vi)")
        gr.ClearButton([chat, box], value="New chat")
        app.load(lambda: header_text(bot), outputs=header, api_visibility="private")
        app.load(lambda: outlet_choices(bot), outputs=outlets, api_visibility="private")
        box.submit(
            functools.partial(respond, bot),
            inputs=[box, chat, since, until, outlets],
            outputs=[box, chat],
            api_name="ask",
            concurrency_limit=bot.settings.answering_at_once,
        )
    return app


def header_text(bot: Bot) -> str:
    """Model and corpus size, or the one sentence that says how to build the store."""
    try:
        status = bot.status()
    except BotError as exc:
        return f"### newsbot\n{ERROR_MARK} {html.escape(str(exc))}"
    return (
        f"### newsbot\nModel: `{status.model}` · {status.documents} documents, "
        f"{status.chunks} chunks · answers cite their sources by number."
    )


def outlet_choices(bot: Bot) -> gr.Dropdown:
    """The outlets the articles come from; none while there is no store yet."""
    try:
        return gr.Dropdown(choices=bot.retriever.outlets())
    except BotError:
        return gr.Dropdown(choices=[])


def launch(
    settings: Settings,
    host: str | None = None,
    port: int | None = None,
    *,
    block: bool = True,
    bot: Bot | None = None,
    watch: bool = False,
) -> gr.Blocks:
    """Serve the chat; warn when it is reachable from other machines without a login. With
    `watch`, the corpus folder is mirrored into the store while it runs."""
    host = host or settings.ui_host
    auth = login(settings)
    if not is_loopback(host) and auth is None:
        log.warning(
            "The chat is bound to %s without a login; anyone on the network can use it. "
            "Set BOT_UI_AUTH=user:password to require one.",
            host,
        )
    bot = bot or Bot(settings)
    bot.warm_up_in_background()
    app = build_app(bot).queue(default_concurrency_limit=settings.answering_at_once)
    if watch:
        stop_watching = watch_in_background(settings)
        app.close = _then(app.close, stop_watching)  # type: ignore[method-assign]
    app.launch(
        server_name=host,
        server_port=port or settings.ui_port,
        auth=auth,
        theme=gr.themes.Soft(font=["system-ui", "sans-serif"], font_mono=["monospace"]),
        footer_links=[],
        show_error=False,
        prevent_thread_lock=True,
        quiet=True,  # `bot ui` says where it listens: Gradio's own lines tell of share=True
    )
    if block:
        _until_interrupted(app)
    return app


def _until_interrupted(app: gr.Blocks) -> None:
    """Gradio's own wait, but Ctrl+C first ends the answers being written, as the API's stop
    does, and closes the chat without waiting for the browsers' open event streams (up to
    5 s). The interrupt goes on to the command, which says so and ends the process at once
    (`ends_at_once`)."""
    try:
        while app.is_running:
            time.sleep(0.1)
    except KeyboardInterrupt:
        stop_waiting()
        # Not waited for, the open streams are cancelled, and uvicorn logs each as a traceback.
        logging.getLogger("uvicorn.error").disabled = True
        if app.server:
            app.server.force_exit = True
        app.close(verbose=False)
        raise


def _then(first: Callable[..., object], second: Callable[[], None]) -> Callable[..., None]:
    """`first` with what it is given, then `second`: closing the chat (`verbose` or not)
    also stops its watch."""

    def both(*args: object, **kwargs: object) -> None:
        first(*args, **kwargs)
        second()

    return both
