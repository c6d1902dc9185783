"""Build the XQuAD corpus and golden set from `shared/data/xquad-dev` (see README.md here).

Run from the repository root: `python tests/golden/xquad/build.py ../shared/data/xquad-dev`.
Every sixth article is left out of the corpus (its questions become unanswerable ones); the
rest alternate between English and Vietnamese. Each article contributes the first question
of its first, third and fifth paragraphs, asked in both languages (`golden.jsonl`), and of
its second and fourth (`unseen.jsonl`: questions no rule or number was ever fitted on, to
check that the figures on the first carry over).

`rotated/` leaves out four other articles and takes the four left out above into its corpus
(`rotated/corpus/`), so the articles shift language too. `rotated/questions.jsonl` asks the
first question of the first five paragraphs of the eight articles that changed sides: articles
and out-of-corpus topics no rule was built on.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
LEFT_OUT_EVERY = 6
LEFT_OUT = 5
"""The golden layout leaves out articles 5, 11, 17 and 23."""
ROTATED_LEFT_OUT = 2
"""The rotated layout leaves out articles 2, 8, 14 and 20."""
SETS = {"golden.jsonl": (0, 2, 4), "unseen.jsonl": (1, 3)}
"""Each question set and the paragraphs whose first question it asks."""
ROTATED_PARAGRAPHS = (0, 1, 2, 3, 4)


def main(data: Path) -> None:
    """Write both layouts' corpora and question sets next to this script."""
    english = json.loads((data / "xquad.en.json").read_text("utf-8"))["data"]
    vietnamese = json.loads((data / "xquad.vi.json").read_text("utf-8"))["data"]
    articles = list(zip(english, vietnamese, strict=True))
    names = _write_corpus(articles, LEFT_OUT, HERE / "corpus")
    for questions, paragraphs in SETS.items():
        _write_questions(HERE / questions, articles, names, paragraphs, range(len(articles)))
    rotated = _write_corpus(articles, ROTATED_LEFT_OUT, HERE / "rotated" / "corpus")
    moved = [i for i in range(len(articles)) if (names[i] is None) != (rotated[i] is None)]
    _write_questions(
        HERE / "rotated" / "questions.jsonl", articles, rotated, ROTATED_PARAGRAPHS, moved
    )


def _write_corpus(articles: list[tuple[dict, dict]], left_out: int, corpus: Path) -> list:
    """Write the kept articles, alternately English and Vietnamese; each article's file
    name, or None for one left out."""
    corpus.mkdir(parents=True, exist_ok=True)
    for old in corpus.glob("*.txt"):
        old.unlink()
    names: list[str | None] = []
    for i, (en, vi) in enumerate(articles):
        if i % LEFT_OUT_EVERY == left_out:
            names.append(None)
            continue
        kept = len([n for n in names if n])
        language = ("en", "vi")[kept % 2]
        names.append(f"{i:02d}_{_slug(en)}.{language}.txt")
        article = (en, vi)[kept % 2]
        text = "\n\n".join(p["context"].strip() for p in article["paragraphs"])
        (corpus / names[-1]).write_text(text + "\n", "utf-8")
    print(f"{len([n for n in names if n])} articles in {corpus.relative_to(HERE)}")
    return names


def _write_questions(
    path: Path,
    articles: list[tuple[dict, dict]],
    names: list[str | None],
    paragraphs: tuple[int, ...],
    asked: list[int] | range,
) -> None:
    """The first question of each of `paragraphs` of the `asked` articles, in both languages."""
    rows = [
        row
        for i in asked
        for p in paragraphs
        for row in _questions(*articles[i], p, _slug(articles[i][0]), names[i])
    ]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    print(f"{len(rows)} questions in {path.relative_to(HERE)}")


def _slug(article: dict) -> str:
    """The article's title as a file-name word: "Super_Bowl_50" → "super-bowl-50"."""
    return re.sub(r"[^a-z0-9]+", "-", article["title"].lower()).strip("-")


def _questions(en: dict, vi: dict, p: int, slug: str, source: str | None) -> list[dict]:
    """The first question of paragraph `p`, asked in both languages; unanswerable when the
    article is left out of the corpus (no `source`)."""
    qa_en, qa_vi = en["paragraphs"][p]["qas"][0], vi["paragraphs"][p]["qas"][0]
    answers = {qa_en["answers"][0]["text"], qa_vi["answers"][0]["text"]}
    fact = "|".join(re.escape(a.strip()) for a in sorted(answers))
    language = source.split(".")[-2] if source else ""
    rows = []
    for lang, qa in (("en", qa_en), ("vi", qa_vi)):
        row = {
            "id": f"{slug}-{p}-{lang}",
            "question": qa["question"].strip(),
            "language": lang,
            "answer": qa["answers"][0]["text"].strip(),
            "tags": ["left-out"]
            if source is None
            else ["same" if lang == language else "cross", f"{lang}->{language}"],
        }
        if source is None:
            row["unanswerable"] = True
        else:
            row["sources"] = [source]
            row["facts"] = [f"(?:{fact})"]
        rows.append(row)
    return rows


if __name__ == "__main__":
    main(Path(sys.argv[1]))
