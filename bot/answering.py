"""Retrieved sources -> an answer whose every shown sentence a chunk backs (or a refusal).

The model's reply is read sentence by sentence as it streams: each finished sentence is
verified and then shown with its `[n]`, or set aside as unsupported; a reply that loops,
copies markup or drifts into another language is cut short. When no sentence is backed,
the chunk sentences that best answer the question are quoted instead.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Generator, Iterable
from dataclasses import dataclass, field

from langchain_core.language_models import BaseChatModel
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.runnables import Runnable

from bot.grounding import Grounder, Verifier, cite, is_debris, restates
from bot.language import detect_language, language_name
from bot.patterns import INJECTION, MARKUP, REFUSAL
from bot.prompts import load_prompt, localized
from bot.results import Answer, Citation, RefusalReason
from bot.text import (
    complete_sentences,
    first_sentence,
    fold,
    markers,
    split_sentences,
    tokenize,
)

_SOURCE_TAG = re.compile(r"</?source\b", re.IGNORECASE)
LOOP_NGRAM = 6
"""A run of this many words written three times over is a loop, not an answer."""
SWITCH_WORDS = 8
"""Sentences shorter than this are too short to tell their language reliably."""


@dataclass(frozen=True)
class Evidence:
    """The chunks that go into the prompt, or why none do."""

    contexts: list[Citation]
    refused: bool
    relevance: float = 0.0
    """The best hit's relevance (language-debiased), which decides if a quote may stand."""


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
    hits: list[Citation],
    question: str,
    grounder: Grounder,
    min_relevance: float,
    budget: int,
    count_tokens: Callable[[str], int],
) -> Evidence:
    """Refuse when no hit is relevant enough; else the relevant chunks' sentences closest to
    the question, as many as `budget` tokens hold: prefill is most of a CPU model's wait,
    and a chunk's other sentences cost as much as its answer without adding to it."""
    best = max((h.relevance for h in hits), default=0.0)
    if best < min_relevance:
        return Evidence(contexts=[], refused=True, relevance=best)
    relevant = [h for h in hits if h.relevance >= min_relevance]
    sentences = [split_sentences(h.text) or [h.text] for h in relevant]
    asked = grounder.embed_query(question)
    # A sentence scores as its chunk does: the language gap (relevance - score) is added, so
    # the answer in another language is not crowded out by same-language small talk.
    ranked = sorted(
        (
            (float(vector @ asked) + hit.relevance - hit.score, i, j)
            for i, hit in enumerate(relevant)
            for j, vector in enumerate(grounder.embed_sentences(sentences[i]))
        ),
        reverse=True,
    )
    chosen: dict[int, set[int]] = {}
    used = 0
    for _, i, j in ranked:
        cost = count_tokens(sentences[i][j])
        if not chosen or used + cost <= budget:
            chosen.setdefault(i, set()).add(j)
            used += cost
    contexts = [
        hit.model_copy(update={"excerpt": excerpt(sentences[i], chosen[i])})
        for i, hit in enumerate(relevant)
        if i in chosen
    ]
    return Evidence(contexts=contexts, refused=False, relevance=best)


def excerpt(sentences: list[str], kept: set[int]) -> str:
    """The kept sentences in their order; a paragraph break where sentences were left out."""
    runs: list[list[str]] = []
    for j, sentence in enumerate(sentences):
        if j in kept:
            if runs and j - 1 in kept:
                runs[-1].append(sentence)
            else:
                runs.append([sentence])
    return "\n\n".join(" ".join(run) for run in runs)


def format_sources(contexts: list[Citation]) -> str:
    """Number the chunks inside tags that mark them as quoted data, not instructions."""
    blocks = []
    for n, c in enumerate(contexts, 1):
        body = _SOURCE_TAG.sub("<\u200bsource", withhold_instructions(c.passage))
        blocks.append(f'<source id="{n}" file="{c.source}">\n{body}\n</source>')
    return "\n".join(blocks)


def withhold_instructions(text: str) -> str:
    """Drop sentences that address the assistant ("ignore previous instructions..."): a small
    model obeys text it is shown, whatever the system prompt says."""
    if not INJECTION.search(text):
        return text
    return " ".join(s for s in split_sentences(text) if not INJECTION.search(s))


def prompt_inputs(question: str, language: str, contexts: list[Citation]) -> dict[str, str]:
    """The variables of the question template."""
    return {
        "sources": format_sources(contexts),
        "question": question,
        "language": language_name(language),
    }


def refusal(
    question: str,
    language: str,
    reason: RefusalReason,
    contexts: list[Citation] | None = None,
) -> Answer:
    """The localized "not in the corpus" answer, and why."""
    return Answer(
        text=localized("refusal", language),
        citations=[],
        contexts=contexts or [],
        refused=True,
        question=question,
        language=language,
        refusal_reason=reason,
    )


def not_covered(question: str, language: str, present: list[str], missing: list[str]) -> Answer:
    """A refusal that names what the articles do mention and what they do not."""
    template = localized("not_covered" if present else "not_mentioned", language)
    text = template.format(present=", ".join(present), missing=", ".join(missing))
    return refusal(question, language, "not_mentioned").model_copy(update={"text": text})


def looks_like_refusal(reply: str) -> bool:
    """The model said, in one of our languages, that the sources do not answer."""
    return bool(REFUSAL.search(first_sentence(reply)))


@dataclass
class _Draft:
    """What has been decided about the reply so far."""

    shown: list[str] = field(default_factory=list)
    cited: list[int] = field(default_factory=list)
    unsupported: list[str] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)
    language: str = ""
    refused: bool = False
    stopped: bool = False
    quoted: bool = False


def stream_answer(
    pieces: Iterable[str],
    question: str,
    language: str,
    contexts: list[Citation],
    grounder: Grounder,
    deadline: float,
    may_quote: bool = True,
) -> Generator[str, None, Answer]:
    """Yield verified sentences (with their markers) as they are written; return the Answer.

    When nothing the model wrote is backed, the best chunk sentences are quoted if
    `may_quote` (the evidence is close enough to stand on its own), else it is a refusal.
    """
    verifier = grounder.verifier(question, contexts)
    draft, raw, judged = _Draft(), "", 0
    for piece in pieces:
        raw += piece
        markup = MARKUP.search(raw)
        finished = split_sentences(raw[: markup.start()]) if markup else complete_sentences(raw)
        for sentence in finished[judged:]:
            shown = _judge(sentence, draft, verifier)
            if shown:
                yield (" " if len(draft.shown) > 1 else "") + shown
            if draft.refused or draft.stopped:
                break
        judged = len(finished)
        if markup or draft.refused or draft.stopped or _loops(raw) or time.monotonic() > deadline:
            break
    else:
        for sentence in split_sentences(raw)[judged:]:
            shown = _judge(sentence, draft, verifier)
            if shown:
                yield (" " if len(draft.shown) > 1 else "") + shown
    if draft.refused and not draft.shown:
        return refusal(question, language, "declined", contexts)
    if not draft.shown:
        quoted = verifier.extract() if may_quote else []
        if not quoted:
            unbacked = refusal(question, language, "unbacked", contexts)
            return unbacked.model_copy(update={"unsupported": draft.unsupported})
        lead = localized("extractive", language)
        yield f"{lead} " + " ".join(quoted)
        draft.shown, draft.quoted = [lead, *quoted], True
        draft.cited = [n for q in quoted for n in markers(q)]
    return Answer(
        text=" ".join(draft.shown),
        citations=[contexts[n - 1] for n in dict.fromkeys(draft.cited)],
        contexts=contexts,
        refused=False,
        question=question,
        language=language,
        unsupported=draft.unsupported,
        quoted=draft.quoted,
    )


def _judge(sentence: str, draft: _Draft, verifier: Verifier) -> str:
    """Verify one finished sentence; record the verdict; return it as shown, or ""."""
    if not draft.shown and not draft.unsupported and REFUSAL.search(sentence):
        draft.refused = True
        return ""
    folded = " ".join(tokenize(sentence))
    if folded in draft.seen:
        draft.stopped = True  # the model repeats itself
        return ""
    draft.seen.add(folded)
    if len(sentence.split()) >= SWITCH_WORDS:
        spoken = detect_language(sentence)
        if draft.language and spoken != draft.language:
            draft.stopped = True  # drifted into another language mid-answer
            return ""
        draft.language = draft.language or spoken
    if (
        is_debris(sentence)
        or restates(sentence, verifier.asked)
        or sentence.rstrip("»”\"') ").endswith("?")
    ):
        return ""  # talk about the sources, the question said back, a question: no claim
    numbers = verifier.check(sentence)
    if not numbers:
        draft.unsupported.append(cite(sentence, []))
        return ""
    shown = cite(sentence, numbers)
    draft.shown.append(shown)
    draft.cited.extend(numbers)
    return shown


def _loops(raw: str) -> bool:
    """The same run of words written three times: generation has fallen into a loop."""
    words = fold(raw).split()[-60:]
    grams = [" ".join(words[i : i + LOOP_NGRAM]) for i in range(len(words) - LOOP_NGRAM + 1)]
    return any(grams.count(g) >= 3 for g in set(grams))
