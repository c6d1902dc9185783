"""An answer in the reader's language around the words the model copied out of a passage
in another: one sentence made of the question's words and those words.

It replaces the passage's translation as the answer. It is a few words to write where a
translation is the whole passage again (two seconds here against five, which often did not
fit in the time left), and it says what was asked where the passage says much else. It is
checked word for word, not for closeness: it writes the copied words as they stand, names
what the question names in the question's order, says the question's words back with their
accents, adds no name, number or magnitude that neither the question nor those words give,
and is not a question.
"""

from __future__ import annotations

import re
import unicodedata
from itertools import pairwise

from langchain_core.language_models import BaseChatModel

from bot.answer.extracting import holds, terms
from bot.answer.prompts import alone, load_prompt, side_reply
from bot.core.language import (
    common_words,
    detect_language,
    language_name,
    writes_vietnamese,
    written_in,
)
from bot.core.patterns import NUMBER_WORDS
from bot.core.text import (
    fold,
    is_syllable,
    marks,
    name_tokens,
    names,
    plain_numbers,
    reinflects,
    tokenize,
)

_AROUND = " \t\"'“”«»()[],.;:!?"
"""What stands around words, not in them: not part of what was copied."""
_LETTERS = re.compile(r"[^\W\d_]+")


def compose_inputs(question: str, span: str, language: str) -> dict[str, str]:
    """The variables of the composition prompt."""
    return {"question": question, "span": span, "language": language_name(language)}


def composition_prompt(question: str, span: str, language: str) -> str:
    """The composition request as the model reads it, to count its tokens."""
    return load_prompt("compose").format(**compose_inputs(question, span, language))


def compose(
    llm: BaseChatModel, question: str, span: str, language: str, max_tokens: int, deadline: float
) -> str:
    """The model's one-sentence answer to `question` in `language` (a code) around `span`;
    empty when `max_tokens` or the `deadline` cut it off."""
    inputs = compose_inputs(question, span, language)
    return side_reply(llm, alone("compose", inputs), max_tokens, deadline)


def as_written(span: str, passage: str) -> str:
    """The copied words as the passage writes them, whole, with the symbols written against
    them ("£30m" for "30m", "45%" for "45") and their own endings ("миллиардов" where the
    copy says "миллиарды"): a small model often drops those as it copies, and an amount
    without its currency is not the passage's answer. The span itself when the passage does
    not write it as whole words."""
    copied, words = tokenize(span), passage.split()
    tokens = [tokenize(word) for word in words]
    runs = [_run(tokens, start, len(copied)) for start in range(len(words))]
    for same in (str.__eq__, reinflects):  # the words as copied, where the passage has them
        for start, (end, run) in enumerate(runs):
            if len(run) == len(copied) and all(map(same, copied, run)):
                return " ".join(words[start : end + 1]).strip(_AROUND)
    return span


def _run(tokens: list[list[str]], start: int, length: int) -> tuple[int, list[str]]:
    """The tokens of the words from `start` on, up to the first word that brings them to
    `length` (or the last word), and that word's index: a candidate for the copied words."""
    run: list[str] = []
    for end in range(start, len(tokens)):
        run += tokens[end]
        if len(run) >= length:
            return end, run
    return len(tokens) - 1, run


def composed(sentence: str, question: str, span: str, language: str) -> bool:
    """Whether the sentence answers with the copied words and adds nothing of its own: it
    writes `span` as it stands, names what the question names in the question's order,
    says the question's words back with their accents, every name, number and magnitude in
    it is the question's or the span's, it is not a question, and it is in the reader's
    `language`, the span too where its letters tell (a name or a number is in every
    language)."""
    if not sentence or "?" in sentence or not holds(sentence, span):
        return False
    if not _writes_as_copied(sentence, span) or not _in_order(sentence, question):
        return False  # "30m" for "£30m"; "Wear OS … in Gemini" for "Gemini … in Wear OS"
    if _rewrites_asked(sentence, question):
        return False  # "Bà mạng lưới" (Mrs Network) for "Ba mạng lưới" (the three networks)
    numbers = {t for t in tokenize(sentence) if t in NUMBER_WORDS}  # "triệu", "billion"
    if terms(name_tokens(sentence) | numbers) - terms([*tokenize(question), *tokenize(span)]):
        return False  # a name, a number or a magnitude neither gave: made up
    if _strays(re.sub(re.escape(span), " ", sentence, flags=re.IGNORECASE), language):
        return False  # "The St. Johns River runs dọc theo Jacksonville", for either reader
    return detect_language(sentence) == language and written_in(span, language)


def _rewrites_asked(sentence: str, question: str) -> bool:
    """Whether the sentence says back two of the question's words in a row with other
    marks (`marks`): every other check folds them away, and in Vietnamese a tone mark is
    another word ("Bà", Mrs, for "Ba", three). Where a word sets its mark is spelling
    ("hoà", "hòa"), not another word."""
    asked: dict[tuple[str, ...], set[tuple[str, ...]]] = {}
    for pair in pairwise(_words(question)):
        asked.setdefault(tuple(map(fold, pair)), set()).add(tuple(map(marks, pair)))
    for pair in pairwise(_words(sentence)):
        written = asked.get(tuple(map(fold, pair)))
        if written and tuple(map(marks, pair)) not in written:
            return True
    return False


def _words(text: str) -> list[str]:
    """The words of a text, its letters and their marks as one character each."""
    return _LETTERS.findall(unicodedata.normalize("NFC", text))


def _writes_as_copied(sentence: str, span: str) -> bool:
    """Whether the sentence writes the copied words with every symbol they stand with
    ("£30m", not "30m"); the separators of a number's digits may be the reader's ("40,000"
    for "40.000")."""
    return plain_numbers(span).casefold() in plain_numbers(sentence).casefold()


def _strays(around: str, language: str) -> bool:
    """Whether a word around the copied ones is, by its letters, not in the reader's
    language: for a Vietnamese reader one no Vietnamese syllable spells ("runs"), for
    another one only Vietnamese spells ("dọc"). Names are written alike everywhere."""
    if language != "vi":
        return writes_vietnamese(around)
    return not all(map(is_syllable, common_words(around)))


def _in_order(sentence: str, question: str) -> bool:
    """The question's names come in the sentence in the question's order: said back as a
    statement, a question keeps who does what to whom ("What role could Gemini play in
    Wear OS?" is answered by "Gemini could play a role in Wear OS", not "Wear OS could play
    a role in Gemini")."""
    tokens = tokenize(sentence)
    asked = dict.fromkeys(tokenize(" ".join(names(question))))
    places = [tokens.index(t) for t in asked if t in tokens]
    return places == sorted(places)
