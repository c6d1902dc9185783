"""The quote: when nothing the model wrote is backed, the chunk sentences that best answer
the question, each with its `[n]`. A quote is backed by construction; the caller shows one
only when the evidence is close enough to the question to stand on its own.
"""

from __future__ import annotations

import re

import numpy as np

from bot.answer.verification import Verifier
from bot.core.patterns import INJECTION
from bot.core.text import (
    content_words,
    split_sentences,
    stems,
    unbulleted,
    with_markers,
    written_names,
)

# A whole statement: it opens with a word and ends with a full stop, not a heading or a cut.
_STATEMENT = re.compile(r"[^\W\d_]{2}[^.!?]*[.!。][\"'»”)]*$")


def quote(verifier: Verifier) -> list[str]:
    """The chunk sentences that best answer the question, each with its `[n]`."""
    limits = verifier.grounder.thresholds
    candidates = [
        (n, s)
        for n, chunk in enumerate(verifier.contexts, 1)
        for s in map(unbulleted, split_sentences(chunk.passage))
        if len(content_words(s)) >= limits.min_words
        and _STATEMENT.search(s)
        and not s.startswith("…")
        and not INJECTION.search(s)
    ]
    # A quote must be about what the question names: a question on Nvidia's share price is
    # not answered by a sentence on capital spending that never mentions Nvidia; and it
    # must write the name as a name (the "Who" of "Doctor Who", not "people who").
    # A name the chunk's language translates (Germany / Đức) cannot be asked of it, and a
    # chunk whose language translates all of them is asked for none.
    if verifier.named:
        asked = [verifier.named_in(chunk.language) for chunk in verifier.contexts]
        candidates = [
            (n, s)
            for n, s in candidates
            if not asked[n - 1] or asked[n - 1] & stems(written_names(s))
        ]
    if not candidates:
        return []
    vectors = verifier.grounder.embed_sentences([s for _, s in candidates])
    asked = content_words(verifier.asked)
    overlap = [len(asked & content_words(s)) / max(len(asked), 1) for _, s in candidates]
    # Sentences pull towards the question's language as chunks do: each gets its chunk's
    # language gap (relevance - score), so an answer in another language is not outranked
    # by a same-language sentence on another topic.
    gaps = [
        verifier.contexts[n - 1].relevance - verifier.contexts[n - 1].score for n, _ in candidates
    ]
    scores = (
        vectors @ verifier.question
        + np.array(gaps)
        + limits.extract_overlap_weight * np.array(overlap)
    )
    order = np.argsort(-scores)[: limits.extract_limit]
    best = float(scores[order[0]])
    chosen = [i for i in order if float(scores[i]) >= best - limits.extract_margin]
    return [with_markers(candidates[i][1], [candidates[i][0]]) for i in sorted(chosen)]
