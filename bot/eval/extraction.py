"""How well ingest reads news metadata: per-field precision and recall on labelled pages."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import yaml

from bot.core.article import ArticleMeta
from bot.documents.loading import load_document
from bot.documents.metadata import FIELDS


def load_pages(path: Path) -> list[dict]:
    """The labelled pages: inline `content` (with `suffix`, `sidecar`) or a `file`."""
    return yaml.safe_load(path.read_text("utf-8"))


def extracted(page: dict, root: Path, work: Path) -> ArticleMeta:
    """What ingest's loader reads from one labelled page, written out as a user's file."""
    if "file" in page:
        source = root / page["file"]
    else:
        source = work / f"{page['name']}{page.get('suffix', '.txt')}"
        source.write_text(page["content"], "utf-8")
        if "sidecar" in page:
            sidecar = source.with_suffix(".meta.json")
            sidecar.write_text(json.dumps(page["sidecar"]), "utf-8")
    return load_document(source, source.name, 10_000_000).article


def score_extraction(path: Path, root: Path) -> dict:
    """Per field: precision (extracted values that are right), recall (stated values found),
    and the pages that missed, for the report."""
    counts = {field: {"extracted": 0, "right": 0, "stated": 0} for field in FIELDS}
    misses = []
    with tempfile.TemporaryDirectory(prefix="newsbot-meta-") as work:
        for page in load_pages(path):
            got = extracted(page, root, Path(work)).fields()
            expected = page.get("expect") or {}
            for field in FIELDS:
                value, want = got.get(field, ""), str(expected.get(field, ""))
                counts[field]["extracted"] += bool(value)
                counts[field]["stated"] += bool(want)
                counts[field]["right"] += bool(value) and value == want
                if value != want:
                    misses.append(f"{page['name']}: {field} {value!r}, expected {want!r}")
    scores = {
        field: {
            "precision": c["right"] / c["extracted"] if c["extracted"] else 1.0,
            "recall": c["right"] / c["stated"] if c["stated"] else 1.0,
            "stated": c["stated"],
        }
        for field, c in counts.items()
    }
    return {"fields": scores, "misses": misses}
