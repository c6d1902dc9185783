"""A quote in another language than the reader's, put into the reader's language by the
model, and shown so only when the translation keeps the original's numbers and coined names
and stays close to it in meaning (e5); otherwise the original is shown, its language named."""

from __future__ import annotations

from langchain_core.language_models import BaseChatModel

from bot.answer.amounts import keeps_amounts
from bot.answer.grounding import Grounder
from bot.answer.prompts import alone, load_prompt, side_reply
from bot.core.language import detect_language, language_name
from bot.core.text import is_coined, is_number, names, stated_numbers, tokenize

GROWTH = 2
"""A translation takes up to this many times its original's tokens (Vietnamese, in the
embedded model's tokenizer, takes about twice English's; the other way, about half)."""
SLACK = 12
"""Reply tokens a translation gets beyond that: room for a short original's; with less
time than these take to write, no translation is tried."""


def translate_inputs(text: str, language: str) -> dict[str, str]:
    """The variables of the translation prompt."""
    return {"text": text, "language": language_name(language)}


def translation_prompt(text: str, language: str) -> str:
    """The translation request as the model reads it, to count its tokens."""
    return load_prompt("translate").format(**translate_inputs(text, language))


def translate(
    llm: BaseChatModel, text: str, language: str, max_tokens: int, deadline: float
) -> str:
    """The model's translation of `text` into `language` (a code), its first paragraph;
    empty when `max_tokens` or the `deadline` cut it off."""
    return side_reply(
        llm, alone("translate", translate_inputs(text, language)), max_tokens, deadline
    )


def _same_numbers(said: set[str], kept: set[str]) -> bool:
    """Every number one side writes in digits, the other writes in digits or in words
    ("ranking sixth" may become "xếp thứ 6")."""
    said_digits, said_words = stated_numbers(said)
    kept_digits, kept_words = stated_numbers(kept)
    return said_digits <= kept_digits | kept_words and kept_digits <= said_digits | said_words


def faithful(original: str, translation: str, language: str, grounder: Grounder) -> bool:
    """In the reader's language, the same numbers at the same magnitudes, every coined name
    (GPT-4o, OpenAI) kept, and as close to the original as a reply must be to a chunk in
    another language."""
    if not translation or detect_language(translation) != language:
        return False
    said, kept = set(tokenize(original)), set(tokenize(translation))
    if not _same_numbers(said, kept):
        return False
    if not keeps_amounts(translation, language, original, detect_language(original)):
        return False  # "97,4 milliards" is not "97.4 million"
    # Numbers are the number check's: "tháng 4" may be "April".
    coined = {t for n in names(original) if is_coined(n) for t in tokenize(n) if not is_number(t)}
    if not coined <= kept:
        return False
    similarity = float(
        grounder.vectors.embed_query(translation) @ grounder.vectors.embed_sentences([original])[0]
    )
    return similarity >= grounder.thresholds.cross_lingual_similarity
