"""News metadata from the page itself: publication date, outlet, author, URL, republisher.

General rules only, in English, French and Vietnamese; no rule names an outlet. What a page
does not settle stays unknown: a numeric date whose day/month order nothing settles is
recorded as ambiguous, never picked.
"""

from __future__ import annotations

import json
import re
import unicodedata
from urllib.parse import urlparse

import yaml
from bs4 import BeautifulSoup

from bot.core.article import AMBIGUOUS
from bot.core.text import word_count

FIELDS = ("published", "outlet", "author", "url", "republisher")
DATELINE_WORDS = 8
"""A line this short with a date in it is a dateline ("Updated 10:30 EST, May 6, 2025");
a headline that names a day says more."""
FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.S)

_MONTHS = {
    **{
        m: i
        for i, m in enumerate(
            [
                "january",
                "february",
                "march",
                "april",
                "may",
                "june",
                "july",
                "august",
                "september",
                "october",
                "november",
                "december",
            ],
            1,
        )
    },
    **{
        m: i
        for i, m in enumerate(
            ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
        )
    },
    "sept": 9,
    **{
        m: i
        for i, m in enumerate(
            [
                "janvier",
                "février",
                "mars",
                "avril",
                "mai",
                "juin",
                "juillet",
                "août",
                "septembre",
                "octobre",
                "novembre",
                "décembre",
            ],
            1,
        )
    },
}
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_ISO = re.compile(r"\b(20\d\d|19\d\d)-(\d\d)-(\d\d)(?!\d)")
_MONTH_FIRST = re.compile(rf"\b({_MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.I)
_DAY_FIRST = re.compile(rf"\b(\d{{1,2}})(?:er|st|nd|rd|th)?\s+({_MONTH})\.?,?\s+(\d{{4}})\b", re.I)
_VIETNAMESE = re.compile(
    r"\b(?:ngày\s+)?(\d{1,2})\s+tháng\s+(\d{1,2})(?:\s+năm|,)?\s+(\d{4})\b", re.I
)
_NUMERIC = re.compile(r"\b(\d{1,2})[/.](\d{1,2})[/.](\d{4})\b")
_URL_DATE = (
    re.compile(r"/(20\d\d)/(\d\d)/(\d\d)(?:/|$)"),
    re.compile(r"(20\d\d)(\d\d)(\d\d)\d{0,12}\.html?$"),
    re.compile(r"[-_/](20\d\d)-(\d\d)-(\d\d)(?:[-_/.]|$)"),
)
_URL_MONTH = re.compile(r"[-_/](20\d\d)-(\d{1,2})/?$")
_BYLINE = re.compile(r"^(?:by|par|tác giả|author|auteur|bài|viết bởi)\s*:?\s+(.+)$", re.I)
_SOURCE = re.compile(r"^(?:source|sources|nguồn|lien|link|original)\s*:?\s*(https?://\S+)$", re.I)
_BARE_URL = re.compile(r"^https?://\S+$")
_BAO = re.compile(r"\bBáo\s+((?:[A-ZĐÀ-Ỹ][^\s\d.,;:]*)(?:\s+(?!Báo\b)[A-ZĐÀ-Ỹ][^\s\d.,;:]*){0,3})")
_COPYRIGHT = re.compile(
    r"^(?:©|\(c\)|copyright)\s*(?:\d{4}\s*)?([^-\u2013|©]+?)\s*(?:[-\u2013|].*)?$", re.I
)
_SITE_LINE = re.compile(r"^([A-Za-z0-9][\w-]*(?:\.[\w-]+)*\.[a-z]{2,})\s+[-\u2013|]\s+")
_NON_ENGLISH_CUES = re.compile(
    r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]|\b(?:le|publié|sáng|chiều|ngày|báo)\b",
    re.I,
)
_NAME = re.compile(
    r"^[A-ZÀ-ỸĐ][\w'\u2019.-]*(?:\s+(?:de|van|von|da|le|[A-ZÀ-ỸĐ][\w'\u2019.-]*)){0,4}$"
)


def extract(
    raw: str, language: str, tagged: dict[str, str] | None = None, url: str = ""
) -> dict[str, str]:
    """Every field the page states: its HTML tags first (`tagged`, from `from_html`), then
    front matter, then datelines, bylines and source lines in the text, then the URL's date."""
    found = dict(tagged or {})
    _merge(found, front_matter(raw))
    raw_lines = [line.strip(" \t*_") for line in raw.splitlines() if line.strip(" \t*_")]
    if raw_lines and (match := _SITE_LINE.match(raw_lines[0])):
        found["site"] = match.group(1)
    lines = [_unjoin(line) for line in raw_lines]
    _merge(found, _from_lines(lines, language))
    _merge(found, {"url": url})
    if not found.get("published") and found.get("url"):
        _merge(found, {"published": date_in_url(found["url"])})
    _outlet(found, lines)
    return {k: v for k, v in found.items() if k in FIELDS and v}


def _merge(into: dict[str, str], more: dict[str, str]) -> None:
    """Fill fields not yet known; an earlier, surer source wins."""
    for key, value in more.items():
        if value and not into.get(key):
            into[key] = value


def from_html(soup: BeautifulSoup) -> dict[str, str]:
    """Publication date, outlet, author and URL from `<meta>` tags and JSON-LD; read before
    `html_to_text` strips the page of them."""
    meta = {}
    for tag in soup.find_all("meta"):
        key = (tag.get("property") or tag.get("name") or "").lower()
        if key and tag.get("content"):
            meta.setdefault(key, tag["content"].strip())
    found = {
        "published": _iso(
            meta.get("article:published_time")
            or meta.get("og:published_time")
            or meta.get("date")
            or meta.get("pubdate")
            or meta.get("dc.date")
            or ""
        ),
        "outlet": meta.get("og:site_name", ""),
        "author": meta.get("author", "") or meta.get("article:author", ""),
        "url": meta.get("og:url", ""),
    }
    canonical = soup.find("link", rel="canonical")
    if canonical and canonical.get("href"):
        found["url"] = found["url"] or canonical["href"]
    for script in soup.find_all("script", type="application/ld+json"):
        _merge(found, _json_ld(script.string or ""))
    time = soup.find("time", datetime=True)
    if time:
        _merge(found, {"published": _iso(time["datetime"])})
    return found


def _json_ld(text: str) -> dict[str, str]:
    """datePublished, author and publisher names from one JSON-LD block."""
    try:
        data = json.loads(text)
    except ValueError:
        return {}
    items = data if isinstance(data, list) else data.get("@graph", [data])
    for item in items:
        if isinstance(item, dict) and item.get("datePublished"):
            return {
                "published": _iso(str(item["datePublished"])),
                "author": _name_of(item.get("author")),
                "outlet": _name_of(item.get("publisher")),
                "url": str(item.get("url", "")),
            }
    return {}


def _name_of(value: object) -> str:
    """A JSON-LD person or organisation (or a list of them) as the first name given."""
    if isinstance(value, list):
        value = value[0] if value else ""
    if isinstance(value, dict):
        value = value.get("name", "")
    return str(value or "")


def front_matter(raw: str) -> dict[str, str]:
    """A Markdown file's YAML front matter: date/published, outlet/source/publisher, author, url."""
    match = FRONT_MATTER.match(raw)
    if not match:
        return {}
    try:
        data = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError:
        return {}
    return sidecar_fields(data) if isinstance(data, dict) else {}


def sidecar_fields(data: dict) -> dict[str, str]:
    """The fields of a sidecar file or front matter, under the names people use for them."""

    def first(*keys: str) -> str:
        value = next((data[k] for k in keys if data.get(k)), "")
        return ", ".join(map(str, value)) if isinstance(value, list) else str(value)

    return {
        "published": _iso(first("published", "date", "datePublished", "published_at", "pubDate")),
        "outlet": first(
            *("outlet", "publisher", "site", "site_name", "sitename", "publication", "source")
        ),
        "author": first("author", "authors", "by", "byline"),
        "url": first("url", "link", "canonical"),
        "republisher": first("republisher", "republished_by"),
    }


def _from_lines(lines: list[str], language: str) -> dict[str, str]:
    """Bylines, source lines, outlet bylines and datelines in the page's short lines."""
    found: dict[str, str] = {}
    short = [line for line in lines if word_count(line) <= 14]
    for line in short:
        _merge(found, {"author": _byline_name(line)})
        if match := _SOURCE.match(line):
            _merge(found, {"url": match.group(1).rstrip(".,;")})
        if match := _BAO.search(line):
            _merge(found, {"outlet": match.group(1).strip()})
        if match := _COPYRIGHT.match(line):
            _merge(found, {"site": match.group(1).strip(" .")})
    if not found.get("url"):
        _merge(found, {"url": next((x for x in lines if _BARE_URL.match(x)), "")})
    dates = (_date_in(line, language) for line in short)
    _merge(found, {"published": next((day for day in dates if day), "")})
    return found


def credit_line(line: str) -> bool:
    """Whether a line is a byline or a dateline ("Par Claire Dubois", "Published May 6,
    2025"): what stands between a headline and its story, and is no headline."""
    if _byline_name(line):
        return True
    return word_count(line) <= DATELINE_WORDS and bool(_date_in(line, ""))


def _byline_name(line: str) -> str:
    """The author a byline names ("By Jane Doe", "Tác giả: Minh Anh"), or ""."""
    match = _BYLINE.match(line)
    name = match.group(1).strip(" .,;") if match else ""
    return name if _NAME.match(name) else ""


def _outlet(found: dict[str, str], lines: list[str]) -> None:
    """The outlet: as stated, else the source URL's site under the name the page writes it
    with, else the page's own site; the page's site is the republisher when it differs."""
    site = found.pop("site", "")
    domain = _domain(found.get("url", ""))
    if not found.get("outlet") and domain:
        found["outlet"] = _written_name(domain, lines) or domain
    if not found.get("outlet") and site:
        found["outlet"] = site
    elif site and _fold(site) != _fold(found["outlet"]) and not found.get("republisher"):
        found["republisher"] = site


def _domain(url: str) -> str:
    """`tuoitre.vn` from a URL."""
    host = urlparse(url).hostname or ""
    return host.removeprefix("www.")


def _written_name(domain: str, lines: list[str]) -> str:
    """The capitalised words of the page that spell the domain's name (`Tuổi Trẻ` for
    tuoitre.vn, `Business Insider` for businessinsider.com)."""
    label = _fold(domain.split(".")[0])
    for line in lines:
        words = re.findall(r"[A-ZĐÀ-Ỹ][\wÀ-ỹ'\u2019]*", line)
        for start in range(len(words)):
            for end in range(start + 1, min(start + 5, len(words) + 1)):
                phrase = " ".join(words[start:end])
                if _fold(phrase) == label and re.search(re.escape(phrase), line):
                    return phrase
    return ""


def _fold(text: str) -> str:
    """Lower case, no accents, no spaces or dots: how names and domains compare."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return re.sub(
        r"[^a-z0-9]", "", "".join(c for c in text if not unicodedata.combining(c)).lower()
    )


def _unjoin(line: str) -> str:
    """Split words a page ran together (`TrẻBáo`, `Trẻ02/09/2025`)."""
    out = []
    for before, char in zip(" " + line[:-1], line, strict=True):
        joined = (before.islower() and char.isupper()) or (before.isalpha() and char.isdigit())
        out.append(" " + char if joined else char)
    return "".join(out)


def _date_in(line: str, language: str) -> str:
    """The first date a line states, ISO; AMBIGUOUS for a numeric date nothing settles."""
    if match := _ISO.search(line):
        return _ymd(int(match[1]), int(match[2]), int(match[3]))
    if match := _VIETNAMESE.search(line):
        return _ymd(int(match[3]), int(match[2]), int(match[1]))
    if match := _MONTH_FIRST.search(line):
        return _ymd(int(match[3]), _MONTHS[match[1].lower()], int(match[2]))
    if match := _DAY_FIRST.search(line):
        return _ymd(int(match[3]), _MONTHS[match[2].lower()], int(match[1]))
    if match := _NUMERIC.search(line):
        a, b, year = int(match[1]), int(match[2]), int(match[3])
        if a > 12 or b > 12:
            return _ymd(year, min(a, b), max(a, b)) if a <= 12 < b else _ymd(year, b, a)
        if a == b:
            return _ymd(year, a, a)
        day_first = language in ("fr", "vi") or bool(_NON_ENGLISH_CUES.search(line))
        month_first = language == "en" and bool(re.search(r"\b(?:EST|EDT|PST|PDT|ET|PT)\b", line))
        if month_first:
            return _ymd(year, a, b)
        return _ymd(year, b, a) if day_first else AMBIGUOUS
    return ""


def _ymd(year: int, month: int, day: int) -> str:
    """An ISO date, or nothing when the numbers are not one."""
    if 1900 <= year <= 2100 and 1 <= month <= 12 and 1 <= day <= 31:
        return f"{year:04d}-{month:02d}-{day:02d}"
    return ""


def date_in_url(url: str) -> str:
    """A date a URL's path carries (`/2025/09/01/`, `-20250901162525.htm`), or its month."""
    path = urlparse(url).path
    for pattern in _URL_DATE:
        if match := pattern.search(path):
            return _ymd(int(match[1]), int(match[2]), int(match[3]))
    if match := _URL_MONTH.search(path):
        month = int(match[2])
        return f"{int(match[1]):04d}-{month:02d}" if 1 <= month <= 12 else ""
    return ""


def _iso(value: str) -> str:
    """The date part of an ISO timestamp, or a date a free-form value states."""
    value = value.strip()
    if match := _ISO.search(value):
        return _ymd(int(match[1]), int(match[2]), int(match[3]))
    return _date_in(value, "") if value else ""
