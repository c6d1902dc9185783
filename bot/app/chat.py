"""One turn of the web chat, as the messages Gradio's chatbot shows: the answer streamed as
it is verified, its sources, and errors as one readable sentence. No Gradio here: the page
(`ui`) imports it, and the logic is tested without it."""

from __future__ import annotations

import html
import logging
from collections.abc import Iterator
from typing import Any

from bot.answer.questions import History
from bot.api import Bot
from bot.core.article import ArticleFilter
from bot.core.errors import BotError
from bot.core.results import CUT_SHORT_NOTE, Answer, Citation, Retrieved, left_out_note

log = logging.getLogger(__name__)

ERROR_MARK = "⚠️"
SOURCES_TITLE = "Sources"
CUT_SHORT_TITLE = "Cut short"
READING_TITLE = "Sources found: reading them…"
UNEXPECTED = "Something went wrong on our side (see the server log); please try again."

Message = dict[str, Any]


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
    shown: list[Message] = [*history, user_message(message)]
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
            reply = [said(escape(text))] if text else []
            yield "", [*shown, *reply, *found]
        yield "", [*shown, *answer_messages(stream.answer)]
    except BotError as exc:
        yield message, [*shown, error_message(str(exc))]
    except Exception:  # the UI must survive anything; the log keeps the traceback
        log.exception("Unexpected error while answering %r", message[:200])
        yield message, [*shown, error_message(UNEXPECTED)]


def said(content: str, role: str = "assistant", **metadata: str) -> Message:
    """One chat message as Gradio's chatbot takes it; a `title` in `metadata` folds it under
    that title."""
    message: Message = {"role": role, "content": content}
    if metadata:
        message["metadata"] = metadata
    return message


def user_message(message: str) -> Message:
    """The question as the user typed it, shown as text."""
    return said(escape(message), "user")


def error_message(sentence: str) -> Message:
    """One readable sentence, marked so it is never fed back as conversation."""
    return said(f"{ERROR_MARK} {escape(sentence)}")


def answer_messages(answer: Answer) -> list[Message]:
    """The answer text (marked when cut short), then its numbered sources (omitted for
    refusals) and the sentences left out."""
    messages = [said(escape(answer.text))]
    if answer.cut_short:
        messages.append(said(f"<i>{escape(CUT_SHORT_NOTE)}</i>", title=CUT_SHORT_TITLE))
    if answer.citations:
        messages.append(sources_message(answer.numbered_citations(), SOURCES_TITLE))
    if answer.unsupported:
        left_out = "\n".join(f"- ✗ <s>{escape(s)}</s>" for s in answer.unsupported)
        messages.append(said(left_out, title=left_out_note(len(answer.unsupported)), status="done"))
    return messages


def sources_message(numbered: list[tuple[int, Citation]], title: str) -> Message:
    """A collapsible list of numbered sources under `title`."""
    return said(sources_markdown(numbered), title=title)


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
