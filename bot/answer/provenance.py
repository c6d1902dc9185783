"""Questions about an article itself (who wrote it, which outlet published it, when): answered
from the metadata read at ingest, citing the article, and never from the people its text
quotes. What the metadata does not hold is said to be unknown, not guessed."""

from __future__ import annotations

from bot.answer.prompts import localized
from bot.core.patterns import ARTICLE_WORD, ASKS_AUTHOR, ASKS_OUTLET, ASKS_PUBLISHED
from bot.core.results import Answer, Citation

FIELDS = (("author", ASKS_AUTHOR), ("outlet", ASKS_OUTLET), ("published", ASKS_PUBLISHED))


def asked_about(question: str) -> str:
    """The article's field the question asks for ("author", "outlet", "published"), or ""."""
    if not ARTICLE_WORD.search(question):
        return ""
    return next((name for name, pattern in FIELDS if pattern.search(question)), "")


def provenance(question: str, language: str, field: str, article: Citation) -> Answer:
    """The field's value from the article's metadata, citing it; a refusal when unknown."""
    lines = dict(
        line.split(": ", 1) for line in localized("provenance", language).splitlines() if line
    )
    value = getattr(article, field)
    known = bool(value)
    text = lines[field if known else f"unknown_{field}"].format(title=article.title, value=value)
    return Answer(
        text=text,
        citations=[article],
        contexts=[article],
        refused=not known,
        question=question,
        language=language,
        refusal_reason="" if known else "not_mentioned",
    )
