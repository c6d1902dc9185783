"""The Gradio web chat: a thin shell over `Bot.ask_stream`; every rendered string is escaped."""

from __future__ import annotations

import functools
import html
import logging
from collections.abc import Iterator
from typing import Any

import gradio as gr

from bot.answer.questions import History
from bot.api import Bot
from bot.core.article import ArticleFilter
from bot.core.errors import BotError
from bot.core.results import Answer, Citation, Retrieved, left_out_note

log = logging.getLogger(__name__)

EXAMPLES = [
    "How much did Elon Musk offer to buy OpenAI?",
    "Pour combien d'années le contrat entre Meta et Google Cloud a-t-il été signé ?",
    "WeChat có bao nhiêu người dùng?",
]
ERROR_MARK = "⚠️"
SOURCES_TITLE = "Sources"
READING_TITLE = "Sources found: reading them…"
UNEXPECTED = "Something went wrong on our side (see the server log); please try again."

Message = dict[str, Any]


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


def respond(
    bot: Bot,
    message: str,
    history: list[Message],
    since: str = "",
    until: str = "",
    outlets: list[str] | None = None,
) -> Iterator[tuple[str, list]]:
    """Stream one turn into the chat, from the articles the filters admit; errors become a
    chat message and the page stays usable."""
    shown: list[Message | gr.ChatMessage] = [*history, user_message(message)]
    yield "", shown
    try:
        text, found = "", []
        only = ArticleFilter.of(since, until, outlets)
        stream = bot.ask_stream(message, conversation(history), only)
        for event in stream.events():  # only verified sentences ever arrive as text
            if isinstance(event, Retrieved):
                found = [sources_message(list(enumerate(event.contexts, 1)), READING_TITLE)]
            else:
                text += event
            reply = [gr.ChatMessage(role="assistant", content=escape(text))] if text else []
            yield "", [*shown, *reply, *found]
        yield "", [*shown, *answer_messages(stream.answer)]
    except BotError as exc:
        yield message, [*shown, error_message(str(exc))]
    except Exception:  # the UI must survive anything; the log keeps the traceback
        log.exception("Unexpected error while answering %r", message[:200])
        yield message, [*shown, error_message(UNEXPECTED)]


def user_message(message: str) -> gr.ChatMessage:
    """The question as the user typed it, shown as text."""
    return gr.ChatMessage(role="user", content=escape(message))


def error_message(sentence: str) -> gr.ChatMessage:
    """One readable sentence, marked so it is never fed back as conversation."""
    return gr.ChatMessage(role="assistant", content=f"{ERROR_MARK} {escape(sentence)}")


def answer_messages(answer: Answer) -> list[gr.ChatMessage]:
    """The answer text, then its numbered sources (omitted for refusals)."""
    messages = [gr.ChatMessage(role="assistant", content=escape(answer.text))]
    if answer.citations:
        messages.append(sources_message(answer.numbered_citations(), SOURCES_TITLE))
    if answer.unsupported:
        messages.append(
            gr.ChatMessage(
                role="assistant",
                content="\n".join(f"- ✗ <s>{escape(s)}</s>" for s in answer.unsupported),
                metadata={"title": left_out_note(len(answer.unsupported)), "status": "done"},
            )
        )
    return messages


def sources_message(numbered: list[tuple[int, Citation]], title: str) -> gr.ChatMessage:
    """A collapsible list of numbered sources under `title`."""
    return gr.ChatMessage(
        role="assistant", content=sources_markdown(numbered), metadata={"title": title}
    )


def sources_markdown(numbered: list[tuple[int, Citation]]) -> str:
    """Number, file, title, relevance and snippet per source; the full chunk folds out."""
    blocks = []
    for n, c in numbered:
        blocks.append(
            f"<details><summary><b>[{n}]</b> <code>{html.escape(c.provenance)}</code> · "
            f"{html.escape(c.title)} · relevance {c.score:.2f}<br>"
            f"<i>{html.escape(c.snippet)}</i></summary>\n\n{escape(c.text)}\n\n</details>"
        )
    return "\n".join(blocks)


def escape(text: str) -> str:
    """Show document and model text literally: no HTML from an article or model ever runs."""
    return html.escape(text, quote=False)


def conversation(history: list[Message]) -> History:
    """(question, answer) pairs from the chat, skipping source lists and error notes."""
    pairs: History = []
    question: str | None = None
    for message in history:
        text = html.unescape(message_text(message))
        if message.get("role") == "user":
            question = text
        elif question is not None and not (message.get("metadata") or {}).get("title"):
            if not text.startswith(ERROR_MARK):
                pairs.append((question, text))
            question = None
    return pairs


def message_text(message: Message) -> str:
    """Gradio 6 sends content as a list of typed parts; older clients send a string."""
    content = message.get("content")
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(p.get("text", "") for p in content if isinstance(p, dict))
    return ""
