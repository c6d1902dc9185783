"""Retrieved sources -> the evidence the model reads: the relevant chunks' sentences closest
to the question, within a token budget, fenced as quoted data.

On a CPU model, prefill is most of the wait, and a chunk's other sentences cost as much as
its answer; sentences that address the assistant never reach it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from itertools import pairwise

import numpy as np

from bot.answer.vectors import SentenceVectors
from bot.core.patterns import INJECTION
from bot.core.results import Citation
from bot.core.text import passage_sentences, split_sentences

_SOURCE_TAG = re.compile(r"</?source\b", re.IGNORECASE)


@dataclass(frozen=True)
class Evidence:
    """The chunks that go into the prompt, or why none do."""

    contexts: list[Citation]
    refused: bool
    relevance: float = 0.0
    """The best hit's relevance (language-debiased), which decides if a quote may stand."""


def select_evidence(
    hits: list[Citation],
    question: str,
    vectors: SentenceVectors,
    min_relevance: float,
    budget: int,
    count_tokens: Callable[[str], int],
    stored: Callable[[list[str]], dict[str, np.ndarray]] | None = None,
) -> Evidence:
    """Refuse when no hit is relevant enough; else the relevant chunks' sentences closest to
    the question, as many as `budget` tokens hold: prefill is most of a CPU model's wait,
    and a chunk's other sentences cost as much as its answer without adding to it.
    `stored`: the sentence vectors the store kept for the named chunks, read before any is
    embedded."""
    best = max((h.relevance for h in hits), default=0.0)
    if best < min_relevance:
        return Evidence(contexts=[], refused=True, relevance=best)
    relevant = [h for h in hits if h.relevance >= min_relevance]
    if stored is not None:
        vectors.remember(stored([h.chunk_id for h in relevant]))
    sentences = [passage_sentences(h.text) for h in relevant]
    asked = vectors.embed_query(question)
    # A sentence scores as its chunk does: the language gap (relevance - score) is added, so
    # the answer in another language is not crowded out by same-language small talk.
    ranked = sorted(
        (
            (float(vector @ asked) + hit.relevance - hit.score, i, j)
            for i, hit in enumerate(relevant)
            for j, vector in enumerate(vectors.embed_sentences(sentences[i]))
        ),
        reverse=True,
    )
    chosen: dict[int, set[int]] = {}
    used = 0
    # An article's chunks overlap by whole sentences: one read twice costs its prefill twice
    # and adds nothing. Another article's same sentence is another source saying it: kept.
    read: set[tuple[str, str]] = set()
    for _, i, j in ranked:
        cost = count_tokens(sentences[i][j])
        said = (relevant[i].source, " ".join(sentences[i][j].split()))
        if said not in read and (not chosen or used + cost <= budget):
            chosen.setdefault(i, set()).add(j)
            read.add(said)
            used += cost
    contexts = [
        hit.model_copy(update={"excerpt": excerpt(sentences[i], chosen[i])})
        for i, hit in enumerate(relevant)
        if i in chosen
    ]
    return Evidence(contexts=contexts, refused=False, relevance=best)


def excerpt(sentences: list[str], kept: set[int]) -> str:
    """The kept sentences in their order; a paragraph break where sentences were left out."""
    runs: list[list[str]] = []
    for j, sentence in enumerate(sentences):
        if j in kept:
            if runs and j - 1 in kept:
                runs[-1].append(sentence)
            else:
                runs.append([sentence])
    return "\n\n".join(map(_paragraph, runs))


def _paragraph(run: list[str]) -> str:
    """Adjacent sentences as one paragraph, with a line break after one that ends without a
    stop (a heading, a byline): glued to the next, it would be read, quoted and checked as
    part of it ("… l'intelligence artificielle L'accord cash …")."""
    text = run[0]
    for before, sentence in pairwise(run):
        text += " " if split_sentences(f"{before} {sentence}") == [before, sentence] else "\n"
        text += sentence
    return text


def format_sources(contexts: list[Citation], metadata: bool) -> str:
    """Number the chunks inside tags that mark them as quoted data, not instructions, each
    with its outlet and publication date where known if `metadata`. Not the file name: the
    model cites by number, and a name like `003_ec62060a0c8869d6.txt` costs 10-15 tokens."""
    blocks = []
    for n, c in enumerate(contexts, 1):
        body = _SOURCE_TAG.sub("<\u200bsource", withhold_instructions(c.passage))
        fields = (("outlet", c.outlet), ("published", c.published)) if metadata else ()
        header = "".join(f' {key}="{escape(value)}"' for key, value in fields if value)
        blocks.append(f'<source id="{n}"{header}>\n{body}\n</source>')
    return "\n".join(blocks)


def withhold_instructions(text: str) -> str:
    """Drop sentences that address the assistant ("ignore previous instructions..."): a small
    model obeys text it is shown, whatever the system prompt says. The rest keep their lines,
    so a heading stays apart from the sentence after it."""
    if not INJECTION.search(text):
        return text
    return "\n".join(
        " ".join(s for s in split_sentences(line) if not INJECTION.search(s))
        for line in text.split("\n")
    )
