"""PDF articles (a page a reader saved from the browser, a publisher's file): their text
layer read by layout, one paragraph a line, so that no sentence is cut where the page
wrapped it and a heading keeps its own line."""

from __future__ import annotations

import io
import logging
import re
import unicodedata
from collections import Counter

from pdfminer.high_level import extract_text
from pdfminer.pdfdocument import PDFPasswordIncorrect
from pdfminer.psexceptions import PSException

from bot.core.text import SENTENCE_CLOSERS

_LIGATURE = re.compile("[\ufb00-\ufb06]")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_DIGITS = re.compile(r"\d+")
EDGE_BOXES = 2
"""Boxes at each end of a page that may be a running head or foot (a date and a title; a
URL and a page number), as a browser prints them."""
_DAMAGED = (PSException, ValueError, TypeError, KeyError, AttributeError, IndexError)
"""What pdfminer raises on a damaged or truncated file: no one error class covers it."""


def pdf_to_text(raw: bytes) -> str:
    """The PDF's paragraphs, one a line and a blank line apart; ValueError, with what to do,
    when the file holds none."""
    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # its warnings are about fonts
    try:
        text = extract_text(io.BytesIO(raw))
    except PDFPasswordIncorrect:
        raise ValueError("the PDF needs a password; save a copy without one") from None
    except _DAMAGED as exc:
        raise ValueError(f"not a readable PDF ({exc or type(exc).__name__})") from None
    paragraphs = _paragraphs(text)
    if not paragraphs:
        raise ValueError(
            "the PDF has no text layer, as a scan has none; run OCR on it and ingest that"
        )
    return "\n\n".join(paragraphs)


def _paragraphs(text: str) -> list[str]:
    """Each text box a paragraph, its lines joined. A running head or foot (a box at a page's
    edge that recurs, page numbers aside) is taken out of the story and kept once, at its end,
    where metadata can still read the URL it may show; a paragraph a page break cut (it ends
    without a stop and the next page goes on in lower case) is joined again."""
    pages = [
        [b for b in map(_unwrapped, _PARAGRAPH_BREAK.split(page)) if b] for page in text.split("\f")
    ]
    pages = [page for page in pages if page]
    edges = Counter(
        key
        for page in pages
        for key in {_key(box) for i, box in enumerate(page) if _at_edge(i, len(page))}
    )
    running = {key for key, count in edges.items() if count > 1}
    story: list[str] = []
    furniture: dict[str, str] = {}
    for page in pages:
        body = []
        for i, box in enumerate(page):
            if _at_edge(i, len(page)) and _key(box) in running:
                furniture.setdefault(_key(box), box)
            else:
                body.append(box)
        if body and story and _goes_on(story[-1], body[0]):
            story[-1] = f"{story[-1]} {body.pop(0)}"
        story += body
    return story + [box for box in furniture.values() if box not in story]


def _at_edge(index: int, boxes: int) -> bool:
    """Whether a page's box sits where running heads and feet do: among its first or last."""
    return index < EDGE_BOXES or index >= boxes - EDGE_BOXES


def _key(box: str) -> str:
    """A box as it recurs from page to page: its numbers (page, date) masked."""
    return _DIGITS.sub("#", box)


def _unwrapped(box: str) -> str:
    """A text box's lines as one line; a word hyphenated at a line's end keeps its hyphen
    ("peut-être"), which a compound needs and a split word only shows."""
    joined = ""
    for line in (line.strip() for line in box.splitlines()):
        if not line:
            continue
        glue = "" if joined.endswith("-") and line[:1].islower() else " "
        joined = f"{joined}{glue}{line}" if joined else line
    return _LIGATURE.sub(lambda m: unicodedata.normalize("NFKC", m.group()), joined)


def _goes_on(paragraph: str, following: str) -> bool:
    """Whether `following` continues `paragraph` across a page break."""
    return not paragraph.endswith((*SENTENCE_CLOSERS, ":", ";")) and following[:1].islower()
