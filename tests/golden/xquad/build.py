"""Build the XQuAD corpus and golden set from `shared/data/xquad-dev` (see README.md here).

Run from the repository root: `python tests/golden/xquad/build.py ../shared/data/xquad-dev`.
Every sixth article is left out of the corpus (its questions become unanswerable ones); the
rest alternate between English and Vietnamese. Each article contributes the first question
of its first, third and fifth paragraphs, asked in both languages.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
LEFT_OUT_EVERY = 6
PARAGRAPHS = (0, 2, 4)


def main(data: Path) -> None:
    """Write corpus/*.txt and golden.yaml next to this script."""
    english = json.loads((data / "xquad.en.json").read_text("utf-8"))["data"]
    vietnamese = json.loads((data / "xquad.vi.json").read_text("utf-8"))["data"]
    corpus = HERE / "corpus"
    corpus.mkdir(exist_ok=True)
    for old in corpus.glob("*.txt"):
        old.unlink()
    rows, kept = [], 0
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
        for p in PARAGRAPHS:
            qa_en, qa_vi = en["paragraphs"][p]["qas"][0], vi["paragraphs"][p]["qas"][0]
            answers = {qa_en["answers"][0]["text"], qa_vi["answers"][0]["text"]}
            fact = "|".join(re.escape(a.strip()) for a in sorted(answers))
            for lang, qa in (("en", qa_en), ("vi", qa_vi)):
                row = {
                    "id": f"{slug}-{p}-{lang}",
                    "question": qa["question"].strip(),
                    "language": lang,
                    "answer": qa["answers"][0]["text"].strip(),
                    "tags": ["left-out"]
                    if left_out
                    else ["same" if lang == language else "cross", f"{lang}->{language}"],
                }
                if left_out:
                    row["unanswerable"] = True
                else:
                    row["sources"] = [name]
                    row["facts"] = [f"(?:{fact})"]
                rows.append(row)
    (HERE / "golden.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8"
    )
    print(f"{kept} articles in the corpus, {len(rows)} questions")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
