"""The one description of an article, carried unchanged from loading to every Citation of it."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from bot.core.errors import QuestionError
from bot.core.text import tokenize

AMBIGUOUS = "ambiguous"


@dataclass(frozen=True)
class ArticleMeta:
    """What is known about one article; what is not known stays empty, never guessed."""

    source: str
    """File name relative to the corpus folder."""
    title: str = ""
    language: str = ""
    """The article's language (each chunk also records its own)."""
    url: str = ""
    published: str = ""
    """Publication date as ISO `YYYY-MM-DD` (or `YYYY-MM`), or `ambiguous` for a numeric date
    whose day/month order the page does not settle."""

    @property
    def date(self) -> str:
        """The publication date when it is known, else empty."""
        return "" if self.published == AMBIGUOUS else self.published

    outlet: str = ""
    """The original publisher, as the page writes its name."""
    author: str = ""
    republisher: str = ""
    """The site the page was taken from, when it is not the original outlet."""

    @property
    def named_sources(self) -> list[str]:
        """Who the article is from, as its metadata names them: its outlet, author and
        republisher. An answer may credit these ("Business Insider reported")."""
        return [who for who in (self.outlet, self.author, self.republisher) if who]

    @property
    def source_tokens(self) -> frozenset[str]:
        """The folded words of `named_sources`: what a question or answer crediting them
        must write."""
        return frozenset(token for who in self.named_sources for token in tokenize(who))

    def fields(self) -> dict[str, str]:
        """Flat string fields, for a store that keeps metadata as a row per chunk."""
        return dataclasses.asdict(self)

    @classmethod
    def from_fields(cls, fields: Mapping[str, object]) -> ArticleMeta:
        """Back from flat fields: keys it does not know are ignored, missing ones unknown."""
        names = {field.name for field in dataclasses.fields(cls)}
        return cls(**{k: str(v) for k, v in fields.items() if k in names and v is not None})


@dataclass(frozen=True)
class ArticleFilter:
    """Which articles a question may draw on: published within `since`..`until` (ISO dates,
    inclusive; an article of unknown date is left out once either is set), by these outlets."""

    since: str = ""
    until: str = ""
    outlets: tuple[str, ...] = ()

    @classmethod
    def of(
        cls,
        since: date | str | None = None,
        until: date | str | None = None,
        outlets: Iterable[str] | None = None,
    ) -> ArticleFilter | None:
        """The filter the arguments ask for, None when they ask for none; a malformed date
        raises QuestionError."""
        bounds = [_iso_day(value, name) for value, name in ((since, "since"), (until, "until"))]
        chosen = tuple(o.strip() for o in outlets or () if o.strip())
        if not (bounds[0] or bounds[1] or chosen):
            return None
        return cls(bounds[0], bounds[1], chosen)

    def dated(self) -> ArticleFilter | None:
        """The date range alone, None when there is none."""
        return ArticleFilter(self.since, self.until) if self.since or self.until else None

    def admits(self, article: ArticleMeta) -> bool:
        """Whether the article is in range and from one of the outlets (or republishers)."""
        if self.since or self.until:
            day = article.date
            if not day or (self.since and day < self.since[: len(day)]):
                return False
            if self.until and day[: len(self.until)] > self.until:
                return False
        if self.outlets:
            names = {_folded(article.outlet), _folded(article.republisher)} - {""}
            return any(_folded(outlet) in names for outlet in self.outlets)
        return True


def _iso_day(value: date | str | None, name: str) -> str:
    """A date argument as `YYYY-MM-DD`."""
    if value is None or value == "":
        return ""
    if isinstance(value, date):
        return value.isoformat()
    try:
        return date.fromisoformat(str(value).strip()).isoformat()
    except ValueError:
        raise QuestionError(f"{name} must be a date like 2025-09-01, not {value!r}.") from None


def _folded(name: str) -> str:
    """An outlet name as compared: case and spacing ignored."""
    return " ".join(name.casefold().split())
