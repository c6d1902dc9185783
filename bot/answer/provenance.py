"""Questions about an article itself (who wrote it, which outlet published it, when): answered
from the metadata read at ingest, citing the article, and never from the people its text
quotes. What the metadata does not hold is said to be unknown, not guessed."""

from __future__ import annotations

from bot.answer.dates import with_days
from bot.answer.prompts import localized_group
from bot.answer.vectors import SentenceVectors
from bot.core.patterns import ARTICLE_WORD, ASKS_AUTHOR, ASKS_OUTLET, ASKS_PUBLISHED
from bot.core.results import Answer, Citation

FIELDS = (("author", ASKS_AUTHOR), ("outlet", ASKS_OUTLET), ("published", ASKS_PUBLISHED))


def asked_about(question: str) -> str:
    """The article's field the question asks for ("author", "outlet", "published"), or ""."""
    if not ARTICLE_WORD.search(question):
        return ""
    return next((name for name, pattern in FIELDS if pattern.search(question)), "")


def article_asked(question: str, hits: list[Citation], vectors: SentenceVectors) -> Citation:
    """The hit whose article's title is closest to the question: the question names the
    article by its subject, which its title states, while the best chunk may come from
    another article on the same news (or move with a change in chunking)."""
    firsts: dict[str, Citation] = {}
    for hit in hits:
        firsts.setdefault(hit.source, hit)
    asked = vectors.embed_query(question)
    return max(firsts.values(), key=lambda h: float(vectors.title_vector(h.title) @ asked))


def provenance(question: str, language: str, field: str, article: Citation) -> Answer:
    """The field's value from the article's metadata, citing it; a refusal when unknown."""
    lines = localized_group("provenance", language)
    value = getattr(article, field)
    known = bool(value)
    days = ("value",) if field == "published" else ()
    line = lines[field if known else f"unknown_{field}"]
    text = with_days(line, language, days, title=article.title, value=value)
    return Answer(
        text=text,
        citations=[article],
        contexts=[article],
        refused=not known,
        question=question,
        language=language,
        refusal_reason="" if known else "not_mentioned",
    )
