"""Build the XQuAD corpus and golden set from `shared/data/xquad-dev` (see README.md here).

Run from the repository root: `python tests/golden/xquad/build.py ../shared/data/xquad-dev`.
Every sixth article is left out of the corpus (its questions become unanswerable ones); the
rest alternate between English and Vietnamese. Each article contributes the first question
of its first, third and fifth paragraphs, asked in both languages (`golden.jsonl`), and of
its second and fourth (`unseen.jsonl`: questions no rule or number was ever fitted on, to
check that the figures on the first carry over).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
LEFT_OUT_EVERY = 6
SETS = {"golden.jsonl": (0, 2, 4), "unseen.jsonl": (1, 3)}
"""Each question set and the paragraphs whose first question it asks."""


def main(data: Path) -> None:
    """Write corpus/*.txt and the question sets next to this script."""
    english = json.loads((data / "xquad.en.json").read_text("utf-8"))["data"]
    vietnamese = json.loads((data / "xquad.vi.json").read_text("utf-8"))["data"]
    corpus = HERE / "corpus"
    corpus.mkdir(exist_ok=True)
    for old in corpus.glob("*.txt"):
        old.unlink()
    rows: dict[str, list[dict]] = {name: [] for name in SETS}
    kept = 0
    for i, (en, vi) in enumerate(zip(english, vietnamese, strict=True)):
        slug = re.sub(r"[^a-z0-9]+", "-", en["title"].lower()).strip("-")
        left_out = i % LEFT_OUT_EVERY == LEFT_OUT_EVERY - 1
        language = ("en", "vi")[kept % 2]
        name = f"{i:02d}_{slug}.{language}.txt"
        if not left_out:
            article = (en, vi)[kept % 2]
            text = "\n\n".join(p["context"].strip() for p in article["paragraphs"])
            (corpus / name).write_text(text + "\n", "utf-8")
            kept += 1
        for questions, paragraphs in SETS.items():
            for p in paragraphs:
                source = None if left_out else name
                rows[questions] += _questions(en, vi, p, slug, language, source)
    for questions, written in rows.items():
        (HERE / questions).write_text(
            "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in written), "utf-8"
        )
        print(f"{kept} articles in the corpus, {len(written)} questions in {questions}")


def _questions(
    en: dict, vi: dict, p: int, slug: str, language: str, source: str | None
) -> list[dict]:
    """The first question of paragraph `p`, asked in both languages; unanswerable when the
    article is left out of the corpus (no `source`)."""
    qa_en, qa_vi = en["paragraphs"][p]["qas"][0], vi["paragraphs"][p]["qas"][0]
    answers = {qa_en["answers"][0]["text"], qa_vi["answers"][0]["text"]}
    fact = "|".join(re.escape(a.strip()) for a in sorted(answers))
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
