"""The one description of an article, carried unchanged from loading to every Citation of it."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass

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

    def fields(self) -> dict[str, str]:
        """Flat string fields, for a store that keeps metadata as a row per chunk."""
        return dataclasses.asdict(self)

    @classmethod
    def from_fields(cls, fields: Mapping[str, object]) -> ArticleMeta:
        """Back from flat fields: keys it does not know are ignored, missing ones unknown."""
        names = {field.name for field in dataclasses.fields(cls)}
        return cls(**{k: str(v) for k, v in fields.items() if k in names and v is not None})
