"""Two eval reports of one golden set side by side: which shown answers changed, word for word.

A change meant to keep behaviour (a refactor, a speed-up) is checked by replaying the golden
set on the code before and after it and comparing the two reports here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Change:
    """One pair whose shown answer differs between the two runs."""

    id: str
    before: str
    after: str


@dataclass(frozen=True)
class Comparison:
    """The pairs both reports scored, how many read the same, and each that did not."""

    pairs: int
    same: int
    changed: list[Change]
    unmatched: list[str]
    """Pair ids that only one report holds (a different golden set or sample)."""


def what_reader_got(pair: dict) -> str:
    """What the reader got: the answer's text, its refusal or error, and the files it cites."""
    kind = "refused" if pair["refused"] else "answered"
    cited = ", ".join(pair["cited"])
    return f"{kind}: {pair['answer']} [cites: {cited}]"


def compare(before: dict, after: dict) -> Comparison:
    """Every pair of `before` that `after` also scored, compared on what the reader got."""
    old = {p["id"]: what_reader_got(p) for p in before["pairs"]}
    new = {p["id"]: what_reader_got(p) for p in after["pairs"]}
    common = [pair_id for pair_id in old if pair_id in new]
    changed = [Change(i, old[i], new[i]) for i in common if old[i] != new[i]]
    unmatched = sorted(old.keys() ^ new.keys())
    return Comparison(len(common), len(common) - len(changed), changed, unmatched)
