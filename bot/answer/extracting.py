"""The words that answer the question, as the model copies them out: a second reading
that an answer must meet.

Asked of a quoted passage alone, a small model finds an answer it missed among all the
sources, and says NONE for a passage its wrong reply pointed to. The copy is checked, not
trusted: it must stand in the passage word for word and add words the question lacks. Then
the passage is the answer; otherwise it stays the closest passage.

Asked of all the sources before it answers (`read_sources`), the model copies out what it
will answer from; its answer is shown only when it `agrees` with that copy. A wrong answer
is most often one the two readings do not share.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import pairwise

from langchain_core.language_models import BaseChatModel

from bot.answer.prompts import alone, chat_prompt, load_prompt, side_reply
from bot.core.patterns import SPELLED_NUMBERS
from bot.core.text import (
    content_words,
    is_number,
    one_by_one,
    spelled_alike,
    stem,
    stems,
    tokenize,
    whole_names,
    without_markers,
)

SPAN_TOKENS = 24
"""Reply tokens an extraction may take: a name, a number or a short phrase."""
NO_SPAN = "NONE"
"""What the prompt tells the model to write when the passage does not answer."""
BARRED = dict.fromkeys(("NONE", " NONE", "None", " None", "NO", "NON", "none"), -100)
"""The ways the model starts NONE, barred (a llama.cpp server takes words as well as token
ids in `logit_bias`) when it must copy out its best guess."""


def extraction_prompt(passage: str, question: str) -> str:
    """The extraction request as the model reads it, to count its tokens."""
    return load_prompt("extract").format(passage=passage, question=question)


def extract(
    llm: BaseChatModel, passage: str, question: str, max_tokens: int, deadline: float
) -> str:
    """The words of `passage` the model says answer `question`; empty when it finds none or
    `max_tokens` or the `deadline` (a monotonic time) cut it off."""
    inputs = {"passage": passage, "question": question}
    return _span(side_reply(llm, alone("extract", inputs), max_tokens, deadline))


def reading_prompt(inputs: dict[str, str]) -> str:
    """What the server reads anew of the second reading, to count its tokens: the sources and
    the question; not the system prompt, which every request before it left cached."""
    return str(chat_prompt("read").format_messages(**inputs)[-1].content)


def read_sources(
    llm: BaseChatModel,
    inputs: dict[str, str],
    max_tokens: int,
    deadline: float,
    barred: bool = False,
) -> str | None:
    """The words of the sources the model says answer the question, asked with the answer's
    own prefix (which the server then has cached); "" when it says none do, None when no
    whole word came back in `max_tokens` or before the `deadline`. A copy that ran past
    `max_tokens` (a whole sentence, where a few words were asked for) is still what the
    model read: its whole words so far, which the answer must agree with as with any.
    `barred`: it may not say none, and copies out its best guess."""
    model = llm.bind(logit_bias=BARRED) if barred else llm
    prompt = chat_prompt("read").invoke(inputs)
    reply = side_reply(model, prompt, max_tokens, deadline, partial=True)
    return _span(reply) if reply.strip() else None


def agrees(answer: str, span: str, question: str, share: float) -> bool:
    """Whether the answer says what the copied words say, beyond the question: one of their
    numbers, else one of their names whole (every language writes them alike, or a letter
    apart: "licence MIT" for "MIT License"; "Tây Y" is not "Tây Tạng"), else `share` of their
    other words. Copied words that add nothing to the question contradict no answer; none at
    all (NONE) confirm none."""
    if not span:
        return False
    asked = terms(tokenize(question))
    told = terms(tokenize(without_markers(answer)))
    copied = without_markers(span)  # "Jean Ribault [1]": the source's number is not a copied word
    numbers = {t for t in terms(tokenize(copied)) if is_number(t)} - asked
    if numbers:
        return bool(numbers & told)
    # A name copied out of another language's passage may be spelled its way ("License").
    names = [new for name in whole_names(copied) if (new := _unwritten(terms(name), asked))]
    if names:
        return any(not _unwritten(name, told) for name in names)
    words = terms(content_words(copied)) - asked
    return not words or len(words & told) >= max(1.0, share * len(words))


def confirms(answer: str, guess: str, sources: str, question: str, new: float) -> bool:
    """Whether the answer writes, word for word, the words the model copied out as its best
    guess when it could not say none, and they answer in the sources (`answers_in`): a small
    model says NONE of sources that answer, but its guess then is the answer it wrote."""
    copied = without_markers(guess)
    return holds(answer, copied) and answers_in(copied, sources, question, new)


def holds(sentence: str, span: str) -> bool:
    """Whether the sentence writes the span word for word (case and accents aside, a number
    in digits or in words: "6" stands in "six-time Grammy winner")."""
    return bool(span) and _words(span) in _words(without_markers(sentence))


def answers_in(span: str, passage: str, question: str, new: float) -> bool:
    """A span that answers: copied from the passage, and more than a `new` share of its
    words not the question said back (`said_back`)."""
    words = tokenize(span)
    return holds(passage, span) and len(words) - said_back(words, question) > new * len(words)


def said_back(words: list[str], question: str) -> int:
    """How many of the words say the question back: a lone word it writes, or words in a
    run of two it writes too, a plural s aside ("Seamans" for "Seaman", as `agrees` reads
    them). Words, not syllables: Vietnamese "sinh vật" is not the question's "động vật" for
    sharing "vật"."""
    asked, words = list(map(stem, tokenize(question))), list(map(stem, words))
    if len(words) == 1:
        return int(words[0] in asked)
    pairs = set(pairwise(asked))
    back = {i + j for i, pair in enumerate(pairwise(words)) if pair in pairs for j in (0, 1)}
    return len(back)


def _span(reply: str) -> str:
    """The copied words without quotes or end punctuation; "" for NONE, written alone or
    last (after the question, written back first)."""
    span = reply.strip(" \t\"'“”«».:")
    return "" if span.upper().split()[-1:] == [NO_SPAN] else span


def _unwritten(name: set[str], words: set[str]) -> set[str]:
    """The name's words that are not among the `words`, spelled alike (`spelled_alike`)."""
    return {t for t in name if not any(spelled_alike(t, w) for w in words)}


def terms(tokens: Iterable[str]) -> set[str]:
    """Stemmed words, numbers as digits ("six" and "6" are one term)."""
    return stems(_digits(tokens))


def _words(text: str) -> str:
    """The folded words without punctuation, numbers as digits, characters one by one where
    a script writes no spaces, padded so a match starts and ends at a word."""
    return f" {' '.join(_digits(tokenize(one_by_one(text))))} "


def _digits(tokens: Iterable[str]) -> list[str]:
    """The tokens with every spelled number written in digits, in order."""
    return [SPELLED_NUMBERS.get(t, t) for t in tokens]
