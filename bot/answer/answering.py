"""The evidence -> an answer whose every shown sentence a chunk backs (or a refusal).

The model's reply is read sentence by sentence as it streams: each finished sentence is
verified and then shown with its `[n]`, or set aside as unsupported (the first one shown
must also agree with the words the model copied out of the sources as the answer, asked just
before); a reply that loops, copies markup or is not in the reader's language is cut short.
When no sentence is backed, the chunk sentences that state what the model tried to say (or
else the closest) answer instead, but only when the model, asked of them alone, copies out
words of them that answer: quoted, or, in another language than the reader's, as a sentence
in the reader's around those words (else a faithful translation); when it does not, they are
shown as what they are, the closest passage, in a refusal.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from langchain_core.language_models import BaseChatModel

from bot.answer.amounts import (
    asked_kind,
    in_readers_amounts,
    keeps_amounts,
    of_another_kind,
    with_whole_amount,
)
from bot.answer.claims import cite, credited, makes_claim, states_what_is_asked
from bot.answer.composing import as_written
from bot.answer.dates import in_readers_dates, with_days, written_day
from bot.answer.evidence import format_sources
from bot.answer.extracting import agrees, answers_in, confirms, holds
from bot.answer.grounding import Grounder
from bot.answer.prompts import LATE, chat_prompt, localized, origin, streamed
from bot.answer.provenance import FIELDS
from bot.answer.quoting import quote
from bot.answer.verification import Verifier
from bot.core.article import ArticleFilter
from bot.core.language import detect_language, language_name, written_in
from bot.core.patterns import LATEST, MARKUP, REFUSAL
from bot.core.periods import period
from bot.core.results import Answer, Citation, RefusalReason
from bot.core.text import (
    MARKER_AS_WORD,
    complete_sentences,
    first_sentence,
    fold,
    gap_after,
    joined,
    markers,
    names,
    split_sentences,
    tokenize,
    with_markers,
    without_markers,
)

LOOP_NGRAM = 6
"""A run of this many words written three times over is a loop, not an answer."""


def reply_stream(
    llm: BaseChatModel, inputs: dict[str, str], deadline: float | None = None
) -> Generator[str, None, str]:
    """The model's answer as text pieces, then why it ended (see `streamed`)."""
    return (yield from streamed(llm, chat_prompt("question").invoke(inputs), deadline))


def about_the_news(question: str, language: str = "") -> bool:
    """Whether the question is about who reported what, or when: it names a source, asks
    for an outlet, an author or a date of publication, the latest news or a period's."""
    asks = [pattern for _, pattern in FIELDS] + [LATEST]
    return bool(
        credited(question)
        or any(pattern.search(question) for pattern in asks)
        or period(question, date.today(), language)
    )


def prompt_inputs(question: str, language: str, contexts: list[Citation]) -> dict[str, str]:
    """The variables of the question template. Each source's outlet and date only for a
    question about the news as news: 20 tokens a source of prefill that an answer drawn
    from the text does not use, and the citations show them to the reader."""
    return {
        "sources": format_sources(contexts, metadata=about_the_news(question, language)),
        "question": question,
        "language": language_name(language),
    }


def refusal(
    question: str,
    language: str,
    reason: RefusalReason,
    contexts: list[Citation] | None = None,
    text: str = "",
    **details: Any,
) -> Answer:
    """The localized "not in the corpus" answer (or `text`, which says more), and why;
    `details` are the Answer's other fields (the closest passage cites what it shows)."""
    return Answer(
        text=text or localized("refusal", language),
        contexts=contexts or [],
        refused=True,
        question=question,
        language=language,
        refusal_reason=reason,
        **{"citations": [], **details},
    )


def not_covered(question: str, language: str, present: list[str], missing: list[str]) -> Answer:
    """A refusal that names what the articles do mention and what they do not."""
    template = localized("not_covered" if present else "not_mentioned", language)
    text = template.format(present=", ".join(present), missing=", ".join(missing))
    return refusal(question, language, "not_mentioned", text=text)


def unknown_source(question: str, language: str, missing: list[str], outlets: list[str]) -> Answer:
    """A refusal for a question crediting a source no article is from, naming the outlets
    the articles do come from."""
    template = localized("unknown_source", language)
    present = ", ".join(outlets) or "?"
    text = template.format(missing=", ".join(missing), present=present)
    return refusal(question, language, "not_mentioned", text=text)


def newest_instead(refused: Answer, newest: list[Citation]) -> Answer:
    """A refused question after "the latest" names the newest articles instead, cited: what
    it asks for when no passage answers it, or when it names no topic ("what's new?")."""
    if not newest:
        return refused
    item = localized("newest_article", refused.language)
    listed = [
        item.format(
            title=c.title or c.source,
            about=", ".join(filter(None, (c.outlet, written_day(c.published, refused.language)))),
            n=n,
        )
        for n, c in enumerate(newest, 1)
    ]
    text = joined([localized("newest", refused.language), *listed])
    return refused.model_copy(update={"text": text, "contexts": newest, "citations": newest})


def out_of_range(question: str, language: str, only: ArticleFilter, newest: str) -> Answer:
    """A refusal for a period no article is dated in, naming the newest article's date."""
    kind = "out_of_range" if newest else "undated"
    template = localized(kind + _period_shape(only), language)
    days = ("since", "until", "newest")
    text = with_days(template, language, days, since=only.since, until=only.until, newest=newest)
    return refusal(question, language, "out_of_range", text=text)


def _period_shape(only: ArticleFilter) -> str:
    """Which of the reader's texts names the period as it was asked: one day once, a period
    open at one end by the end it has, else from one day to the other."""
    if only.since and only.since == only.until:
        return "_day"
    if not only.until:
        return "_since"
    return "" if only.since else "_until"


def looks_like_refusal(reply: str) -> bool:
    """The model said, in one of our languages, that the sources do not answer."""
    return bool(REFUSAL.search(first_sentence(reply)))


@dataclass
class _Draft:
    """What has been decided about the reply so far."""

    shown: list[str] = field(default_factory=list)
    held: list[str] = field(default_factory=list)
    """Backed sentences kept back until one states what the question asks (a number)."""
    cited: list[int] = field(default_factory=list)
    unsupported: list[str] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)
    language: str = ""
    """The reader's: a long sentence in another is not shown."""
    reading: str | None = None
    """The words the model copied out of the sources as the answer, read a second time (""
    for none): the first shown sentence must agree with them. None: not read, no check."""
    guess: str = ""
    """When the reading found none, the words the model copied out when it could not say
    none: the first shown sentence must write them (`confirms`); "" for none, no answer."""
    refused: bool = False
    stopped: bool = False
    quoted: bool = False
    late: bool = False


@dataclass(frozen=True)
class QuotePolicy:
    """Whether chunk sentences may stand in for an answer the model could not back."""

    allowed: bool = True
    """The evidence is close enough to the question for a quote to be considered."""
    confidence: Callable[[str], float | None] | None = None
    """The judge: P(yes) that a quote answers the question, None when there is no time left
    to ask (the quote is then shown unjudged, as without a judge)."""
    min_confidence: float = 0.0
    """Below this, the quote is shown as the closest passage, not as the answer."""
    extract: Callable[[str], str] | None = None
    """The words of a passage that answer the question, as the model copies them out of it
    alone (checked by `_copied`); empty when there are none, or no time to ask. Without it
    only the second reading's words make a quote the answer."""
    compose: Callable[[str, str], str | None] | None = None
    """The answer in the reader's language (a code) around the words copied out of a quote
    in another (`composed`); None when it cannot be written in the time left or does not
    check out, and the quote is translated instead."""
    translate: Callable[[str, str], str | None] | None = None
    """Puts a quote into the reader's language (a code); None when that cannot be done
    faithfully in the time left, and the quote is shown in its own language."""


def stream_answer(
    pieces: Generator[str, None, str],
    question: str,
    language: str,
    contexts: list[Citation],
    grounder: Grounder,
    deadline: float,
    quoting: QuotePolicy | None = None,
    vocabularies: dict[str, frozenset[str]] | None = None,
    reading: str | None = None,
    guess: str = "",
) -> Generator[str, None, Answer]:
    """Yield verified sentences (with their markers) as they are written; return the Answer.

    When nothing the model wrote is backed, the chunk sentences that state what its reply
    said are quoted if `quoting` allows it and its extraction finds the answer in them (and
    its judge, if any, agrees); otherwise they are shown as the closest passage, in a
    refusal. `vocabularies` (each document language's words) tell a translated name from a
    missing one. With a second `reading` of the sources (the words the model copied out as
    the answer), the first sentence shown must agree with it; when that is none, it must
    write the model's `guess` (the words it copied out when it could not say none).
    """
    quoting = quoting or QuotePolicy()
    verifier = Verifier(grounder, question, contexts, vocabularies)
    # The reader's language from the first sentence: a reply that starts in another is
    # stopped as one that drifts into it, and the passage it read answers in its place.
    draft = _Draft(language=language, reading=reading, guess=guess)
    raw, judged, ended = "", 0, [""]

    def read() -> Generator[str, None, None]:
        try:
            ended[0] = yield from pieces
        except TimeoutError:  # not a word in time: what the sources say stands in, unread
            ended[0] = LATE

    reading = read()
    for piece in reading:
        raw += piece
        markup = MARKUP.search(raw)
        finished = split_sentences(raw[: markup.start()]) if markup else complete_sentences(raw)
        fresh = finished[judged:]
        # Checked while the model writes, a sentence this close to the deadline would be
        # shown past it: the model stops first, and the check has the CPU to itself.
        near = bool(fresh) and time.monotonic() + grounder.judging.typical() > deadline
        if near:
            reading.close()
        for sentence in fresh:
            started = time.monotonic()
            shown = _judge(sentence, draft, verifier)
            if not near:
                grounder.judging.record(time.monotonic() - started)
            if shown:
                yield shown
            if draft.refused or draft.stopped:
                break
        judged = len(finished)
        draft.late = near or time.monotonic() > deadline
        if markup or draft.refused or draft.stopped or _loops(raw) or draft.late:
            break
    else:
        # A reply that ran out of tokens or time ends mid-sentence: that one is not shown.
        draft.late = ended[0] in ("length", LATE)
        rest = complete_sentences(raw) if draft.late else split_sentences(raw)
        for sentence in rest[judged:]:
            shown = _judge(sentence, draft, verifier)
            if shown:
                yield shown
    reading.close()  # the model stops writing what will not be read
    draft.unsupported.extend(without_markers(s) for s in draft.held)  # no number came
    if draft.refused and not draft.shown:
        return refusal(question, language, "declined", contexts)
    if not draft.shown:
        reply = raw[: markup.start()] if (markup := MARKUP.search(raw)) else raw
        return (yield from _quote(question, language, contexts, verifier, quoting, draft, reply))
    return _answer(question, language, contexts, draft)


def _quote(
    question: str,
    language: str,
    contexts: list[Citation],
    verifier: Verifier,
    quoting: QuotePolicy,
    draft: _Draft,
    reply: str,
) -> Generator[str, None, Answer]:
    """The chunk sentences that best answer (`quote`): those that hold the words the model
    copies out as the answer (`_copied`), when the judge (if any) agrees; else all
    of them as the closest passage, in a refusal; a plain refusal without any. Two readings
    must meet: the quote the reply pointed to, and the words the model copied out of it."""
    read = without_markers(draft.reading or "")  # "Jean Ribault [1]": the marker is no word
    found = quote(verifier, reply, read) if quoting.allowed else []
    if not found:
        return refusal(question, language, "unbacked", contexts, unsupported=draft.unsupported)
    copied = _copied(without_markers(" ".join(found)), question, verifier, quoting, read)
    answers = [s for s in found if holds(s, copied)]
    quoted = answers or found
    text = joined(quoted)
    confidence = quoting.confidence(text) if quoting.confidence and answers else None
    cited = [n for q in quoted for n in markers(q)]
    source = contexts[cited[0] - 1].language or detect_language(text)
    spoken = origin(source, language)
    judged = confidence is not None and confidence < quoting.min_confidence
    if judged or not answers:
        lead = localized("closest", language).format(origin=spoken)
        reason: RefusalReason = "judged" if judged else "closest"
        return refusal(
            question,
            language,
            reason,
            contexts,
            text=joined([lead, text]),
            unsupported=draft.unsupported,
            citations=[contexts[n - 1] for n in dict.fromkeys(cited)],
            quote_confidence=confidence,
        )
    sources = list(dict.fromkeys(cited))
    shown, draft.quoted = _in_readers_words(
        quoted, copied, question, (source, language), sources, quoting
    )
    yield joined(shown)
    draft.shown, draft.cited = shown, cited
    draft.late = False  # what is shown is whole: not the reply that time cut short
    return _answer(question, language, contexts, draft).model_copy(
        update={"quote_confidence": confidence}
    )


def _in_readers_words(
    quoted: list[str],
    copied: str,
    question: str,
    languages: tuple[str, str],
    sources: list[int],
    quoting: QuotePolicy,
) -> tuple[list[str], bool]:
    """What a passage that answers shows, and whether that is a quote: for a passage in
    another language (`languages`: the passage's, the reader's), the answer around its
    copied words in the reader's (`quoting.compose`), else its translation when that keeps
    them, else the passage with its language named; a quote behind its lead. The model
    writes from them with their amounts and dates in the reader's words already: it gets
    magnitudes wrong as it translates."""
    source, language = languages
    lead, spoken = "extractive", origin(source, language)
    if not spoken:  # already in the reader's language
        return [localized(lead, language).format(origin=spoken), *quoted], True
    original = without_markers(" ".join(quoted))
    passage = in_readers_dates(in_readers_amounts(original, source, language), language)
    span = as_written(with_whole_amount(copied, original, source), original)
    copied = in_readers_dates(in_readers_amounts(span, source, language), language)
    composed = quoting.compose(copied, language) if quoting.compose else None
    # "10 tỷ" of dollars is no "10 tỷ năm".
    if composed and keeps_amounts(composed, language, original, source):
        return [with_markers(composed, sources)], False
    translation = quoting.translate(passage, language) if quoting.translate else None
    # The names and numbers the copied words add to the question must survive it, or,
    # without any, those words: the faithfulness check cannot tell a common phrase's
    # translation from its loss ("Committees" became "departments").
    told = [name for name in names(copied) if not holds(question, name)] or [copied]
    if translation and all(holds(translation, kept) for kept in told):
        quoted, lead = [with_markers(translation, sources)], "translated"
    return [localized(lead, language).format(origin=spoken), *quoted], True


def _copied(
    passage: str, question: str, verifier: Verifier, quoting: QuotePolicy, reading: str
) -> str:
    """The words of the passage that answer, whichever reading copied them out, when they
    check out (`answers_in`) and state what is asked, as a sentence of the model's must (a
    number for how many or which year: "MBH99" is no year), and of the kind asked ("10" of
    "10 milliards de dollars" says no number of years): the second reading's, of all the
    sources, else those the model copies out of the passage alone (`quoting.extract`),
    asked only then: its time is left to a translation. "" when neither does. A copy that
    changed a word's ending is the passage's words (`as_written`)."""
    new = verifier.grounder.thresholds.span_new
    kind = asked_kind(question, detect_language(question))
    spoken = detect_language(passage) if kind else ""  # read only for a kind asked

    def answering(span: str) -> str:
        written = span if holds(passage, span) else as_written(span, passage)
        stated = answers_in(written, passage, question, new)
        stated = stated and states_what_is_asked(written, question)
        return written if stated and not of_another_kind(written, passage, spoken, kind) else ""

    return answering(reading) or answering(quoting.extract(passage) if quoting.extract else "")


def _answer(question: str, language: str, contexts: list[Citation], draft: _Draft) -> Answer:
    """The shown sentences as the Answer, citing the chunks that back them."""
    return Answer(
        text=joined(draft.shown),
        citations=[contexts[n - 1] for n in dict.fromkeys(draft.cited)],
        contexts=contexts,
        refused=False,
        question=question,
        language=language,
        unsupported=draft.unsupported,
        quoted=draft.quoted,
        cut_short=draft.late,
    )


def _judge(sentence: str, draft: _Draft, verifier: Verifier) -> str:
    """Verify one finished sentence; record the verdict; return what to show now (with the
    sentences held for it, after a space when others were shown), or ""."""
    if not draft.shown and not draft.unsupported and looks_like_refusal(sentence):
        draft.refused = True
        return ""
    folded = " ".join(tokenize(sentence))
    if folded in draft.seen:
        draft.stopped = True  # the model repeats itself
        return ""
    draft.seen.add(folded)
    if not written_in(without_markers(sentence), draft.language):
        draft.stopped = True
        return ""
    if not makes_claim(sentence, verifier.asked):
        return ""  # talk about the sources, the question said back, a question: no claim
    if MARKER_AS_WORD.search(sentence):
        # "The sources [1] and [2] state that …" claims, and corroborates a quote, but its
        # markers are words: shown without them, it has holes ("The sources  and  state").
        return ""
    numbers = verifier.check(sentence)
    if not numbers:
        draft.unsupported.append(cite(sentence, []))
        # The first claim is the answer; what follows elaborates it, and shown without it
        # would stand in for an answer the sources do not give.
        draft.stopped = not draft.shown
        return ""
    shown = cite(sentence, numbers)
    draft.cited.extend(numbers)
    if not draft.shown and not states_what_is_asked(sentence, verifier.asked):
        draft.held.append(shown)  # context before the answer; shown with it, if it comes
        return ""
    if not draft.shown and not _agrees([*draft.held, shown], draft, verifier):
        draft.unsupported.extend(without_markers(s) for s in [*draft.held, shown])
        draft.held, draft.stopped = [], True  # the two readings differ: neither is the answer
        return ""
    gap = gap_after(draft.shown[-1]) if draft.shown else ""
    held, draft.held = draft.held, []
    # Checked as written; shown with the amounts its chunks state in the reader's words,
    # and the names they write spelled as they do.
    now = [verifier.as_shown(s, draft.language) for s in [*held, shown]]
    draft.shown.extend(now)
    return gap + joined(now)


def _agrees(sentences: list[str], draft: _Draft, verifier: Verifier) -> bool:
    """The answer agrees with the second reading of the sources, when there is one; with
    one that found none, it writes the model's guess."""
    answer, limits = " ".join(sentences), verifier.grounder.thresholds
    if draft.reading is None:
        return True
    if draft.reading:
        return agrees(answer, draft.reading, verifier.asked, limits.agreement)
    sources = " ".join(chunk.passage for chunk in verifier.contexts)
    return confirms(answer, draft.guess, sources, verifier.asked, limits.span_new)


def _loops(raw: str) -> bool:
    """The same run of words written three times: generation has fallen into a loop."""
    words = fold(raw).split()[-60:]
    grams = [" ".join(words[i : i + LOOP_NGRAM]) for i in range(len(words) - LOOP_NGRAM + 1)]
    return any(grams.count(g) >= 3 for g in set(grams))
