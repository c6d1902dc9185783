"""Retrieved sources -> a grounded, cited answer in the asker's language (or a refusal)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from langchain_core.language_models import BaseChatModel
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.runnables import Runnable

from bot.grounding import Grounder, split_sentences
from bot.language import language_name
from bot.prompts import (
    injection_markers,
    load_prompt,
    quote_line,
    refusal_markers,
    refusal_message,
)
from bot.results import Answer, Citation

_SOURCE_TAG = re.compile(r"</?source\b", re.IGNORECASE)


@dataclass(frozen=True)
class Evidence:
    """The chunks that go into the prompt, or why none do."""

    contexts: list[Citation]
    refused: bool


def answer_chain(llm: BaseChatModel) -> Runnable:
    """prompt | model | text; the system prompt comes first and never varies, for caching."""
    prompt = ChatPromptTemplate.from_messages(
        [("system", load_prompt("system")), ("human", load_prompt("question"))]
    )
    return prompt | llm | StrOutputParser()


def condense_chain(llm: BaseChatModel) -> Runnable:
    """Follow-up + history -> one standalone question for retrieval."""
    return (
        ChatPromptTemplate.from_messages([("human", load_prompt("condense"))])
        | llm
        | (StrOutputParser())
    )


def select_evidence(
    hits: list[Citation], min_relevance: float, budget: int, count_tokens: Callable[[str], int]
) -> Evidence:
    """Refuse when the best hit is below the threshold; else keep the best chunks that fit."""
    if not hits or hits[0].score < min_relevance:
        return Evidence(contexts=[], refused=True)
    kept: list[Citation] = []
    used = 0
    for hit in hits:
        cost = count_tokens(hit.text)
        if kept and (used + cost > budget or hit.score < min_relevance):
            break
        kept.append(hit)
        used += cost
    return Evidence(contexts=kept, refused=False)


def format_sources(contexts: list[Citation]) -> str:
    """Number the chunks inside tags that mark them as quoted data, not instructions."""
    blocks = []
    for n, c in enumerate(contexts, 1):
        body = _SOURCE_TAG.sub("<\u200bsource", withhold_instructions(c.text))
        blocks.append(f'<source id="{n}" file="{c.source}">\n{body}\n</source>')
    return "\n".join(blocks)


def withhold_instructions(text: str) -> str:
    """Drop sentences that address the assistant ("ignore previous instructions..."): a small
    model obeys text it is shown, whatever the system prompt says."""
    if not injection_markers().search(text):
        return text
    return " ".join(s for s in split_sentences(text) if not injection_markers().search(s))


def prompt_inputs(question: str, language: str, contexts: list[Citation]) -> dict[str, str]:
    """The variables of the question template."""
    return {
        "sources": format_sources(contexts),
        "question": question,
        "language": language_name(language),
    }


def refusal(question: str, language: str, contexts: list[Citation] | None = None) -> Answer:
    """The localized "not in the corpus" answer; no model call is made for it."""
    return Answer(
        text=refusal_message(language),
        citations=[],
        contexts=contexts or [],
        refused=True,
        question=question,
        language=language,
    )


def finish(
    question: str, language: str, reply: str, contexts: list[Citation], grounder: Grounder
) -> Answer:
    """Turn the model's raw reply into an Answer: citations verified, refusals recognised."""
    reply = reply.strip()
    if not reply or looks_like_refusal(reply):
        return refusal(question, language, contexts)
    grounded = grounder.ground(reply, question, contexts)
    text = grounded.text
    if grounded.quote:
        n, sentence = grounded.quote
        text = f"{text}\n\n{quote_line(language).format(quote=sentence, n=n)}".strip()
    return Answer(
        text=text,
        citations=grounded.citations,
        contexts=contexts,
        refused=False,
        question=question,
        language=language,
    )


def model_reply(answer: Answer) -> str:
    """The answer without the quote line `finish` may append: the words the model wrote."""
    head = quote_line(answer.language).split("{quote}")[0].strip()
    body, _, last = answer.text.rpartition("\n\n")
    return body if body and last.startswith(head) else answer.text


def looks_like_refusal(reply: str) -> bool:
    """The model said, in one of our languages, that the sources do not answer."""
    first_sentence = re.split(r"(?<=[.!?])\s", reply.strip(), maxsplit=1)[0]
    return bool(refusal_markers().search(first_sentence))


def stream_answer(
    chain: Runnable, question: str, language: str, contexts: list[Citation], grounder: Grounder
) -> Iterator[str | Answer]:
    """Yield the reply's text pieces as the model writes them, then the final Answer."""
    pieces: list[str] = []
    for piece in chain.stream(prompt_inputs(question, language, contexts)):
        pieces.append(piece)
        yield piece
    yield finish(question, language, "".join(pieces), contexts, grounder)
