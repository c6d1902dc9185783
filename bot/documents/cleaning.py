"""Page text -> the article: HTML and Markdown to plain lines, then the story's lines
without site boilerplate (menus, link lists, counters), its title and its own URL."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

from bs4 import BeautifulSoup

from bot.core.text import SENTENCE_CLOSERS, first_sentence, unbulleted, word_count
from bot.documents.metadata import credit_line

_URL = re.compile(r"https?://[^\s<>\"')\]]+")
_DATE = re.compile(r"\b\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}\b")
_COUNTER = re.compile(r"^[\W\d]*\w{0,20}\s*[(\[]\d+[)\]]\W*$")
_HTML_DROP = ("script", "style", "nav", "header", "footer", "aside", "form", "noscript", "svg")
_HTML_BLOCKS = (
    "p",
    "div",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "br",
    "tr",
    "section",
    "article",
    "blockquote",
    "pre",
    "td",
    "dd",
    "dt",
)


def html_to_text(soup: BeautifulSoup) -> tuple[str, str]:
    """Drop page chrome elements (from `soup`, in place) and return (title, text with one
    block per line)."""
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    heading = soup.find("h1")
    if heading:
        title = heading.get_text(" ", strip=True) or title
    for tag in soup(_HTML_DROP):
        tag.decompose()
    for tag in soup.find_all(_HTML_BLOCKS):
        tag.insert_before("\n")
        tag.insert_after("\n")
    for link in soup.find_all("a", href=True):
        if _URL.match(link["href"]) and link.get("rel") == ["canonical"]:
            link.replace_with(link["href"])
    body = soup.body or soup
    return title, body.get_text("")


def markdown_to_text(md: str) -> str:
    """Keep the words of Markdown, not its syntax."""
    md = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", md)
    md = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", md)
    md = re.sub(r"^#{1,6}\s*", "", md, flags=re.M)
    md = re.sub(r"(\*\*|__|`)", "", md)
    return md


def clean_text(text: str) -> tuple[str, str, str]:
    """Return (title, url, body): the story's lines without menus, link lists and counters."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    lines = [re.sub(r"[ \t\u00a0\u200b]+", " ", line).strip() for line in text.split("\n")]
    url = _first_source_url(lines)
    repeated = _repeated_short_lines(lines)
    kinds = [_line_kind(line, repeated) for line in lines]
    kinds = _drop_short_runs(lines, kinds)
    prose = [i for i, kind in enumerate(kinds) if kind == "prose"]
    if not prose:
        return "", url, ""
    first, last = prose[0], prose[-1]
    title = _title(lines, kinds, first)
    kept = [lines[i] for i in range(first, last + 1) if kinds[i] in ("prose", "short")]
    return title, url, _join_paragraphs(kept)


def _first_source_url(lines: list[str]) -> str:
    """The article's own URL, when the page names it on a line of its own."""
    for line in lines:
        match = _URL.search(line)
        if match and len(line) - len(match.group()) <= 12:
            return match.group().rstrip(".,;")
    return ""


def _repeated_short_lines(lines: list[str]) -> set[str]:
    """Short lines that occur more than once are menus, widgets or placeholders."""
    counts = Counter(line for line in lines if line and word_count(line) <= 6)
    return {line for line, n in counts.items() if n > 1}


def _line_kind(line: str, repeated: set[str]) -> str:
    """Classify a line as blank, junk, prose, credit (a byline or dateline, which the
    metadata holds) or short (a heading or a link-like line)."""
    if not line:
        return "blank"
    words = word_count(line)
    link_chars = sum(len(m) for m in _URL.findall(line))
    if (
        line in repeated
        or link_chars > len(line) / 2
        or _COUNTER.match(line)
        or line.startswith("©")
        or (_DATE.search(line) and words <= 8)
        or not any(ch.isalpha() for ch in line)
    ):
        return "junk"
    body = unbulleted(line)
    if word_count(body) >= 15 and body.endswith(SENTENCE_CLOSERS):
        return "prose"
    if word_count(body) >= 40:
        return "prose"
    return "credit" if credit_line(line) else "short"


def _drop_short_runs(lines: list[str], kinds: list[str]) -> list[str]:
    """Three or more short lines in a row are a menu or a related-links list, not a story."""
    out = list(kinds)
    i = 0
    while i < len(kinds):
        if kinds[i] != "short":
            i += 1
            continue
        j = i
        run: list[int] = []
        while j < len(kinds) and kinds[j] in ("short", "blank", "junk"):
            if kinds[j] != "blank":
                run.append(j)
            j += 1
        shorts = [k for k in run if kinds[k] == "short"]
        if len(shorts) >= 3 and not all(lines[k].endswith(SENTENCE_CLOSERS) for k in shorts):
            for k in shorts[:-1] if j < len(kinds) else shorts:
                out[k] = "junk"
        i = j
    return out


def _title(lines: list[str], kinds: list[str], first_prose: int) -> str:
    """The nearest heading above the story, else the story's first sentence."""
    for i in range(first_prose - 1, -1, -1):
        if kinds[i] == "short" and len(lines[i]) <= 200:
            return lines[i]
        if kinds[i] == "junk":
            break
    sentence = first_sentence(lines[first_prose])
    return sentence if len(sentence) <= 160 else sentence[:157].rsplit(" ", 1)[0] + "..."


def _join_paragraphs(lines: list[str]) -> str:
    """One paragraph per line, separated by blank lines, as the chunker expects."""
    return "\n\n".join(line for line in lines if line)
