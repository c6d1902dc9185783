"""An answer in the reader's language around the words the model copied out of a passage
in another: one sentence made of the question's words and those words.

It replaces the passage's translation as the answer. It is a few words to write where a
translation is the whole passage again (two seconds here against five, which often did not
fit in the time left), and it says what was asked where the passage says much else. It is
checked word for word, not for closeness: it writes the copied words as they stand, names
no name or number that neither the question nor those words do, and is not a question.
"""

from __future__ import annotations

from langchain_core.language_models import BaseChatModel

from bot.answer.extracting import holds, terms
from bot.answer.prompts import alone, load_prompt, side_reply
from bot.core.language import detect_language, language_name, written_in
from bot.core.text import name_tokens, tokenize


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


def composed(sentence: str, question: str, span: str, language: str) -> bool:
    """Whether the sentence answers with the copied words and adds nothing of its own: it
    writes `span` word for word, every name and number in it is the question's or the
    span's, it is not a question, and it is in the reader's `language`, the span too where
    its letters tell (a name or a number is in every language)."""
    if not sentence or "?" in sentence or not holds(sentence, span):
        return False
    if terms(name_tokens(sentence)) - terms([*tokenize(question), *tokenize(span)]):
        return False  # a name or a number neither gave: made up
    return detect_language(sentence) == language and written_in(span, language)
