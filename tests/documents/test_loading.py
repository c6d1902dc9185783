"""Loading and cleaning: encodings, boilerplate, titles, URLs and languages."""

from __future__ import annotations

import contextlib
import unicodedata
from pathlib import Path

import pytest

from bot.core.errors import CorpusError
from bot.documents.cleaning import clean_text
from bot.documents.loading import load_corpus, load_document

from ..conftest import SEEDS

STORY = " ".join(["The company said the new model will ship to every user in March this year."] * 2)

PAGE = f"""Home
World
Business
Tech
Example News - Your daily source

Acme launches a rocket to the Moon

Acme's first lunar rocket lifted off on Tuesday after three delays, the company said today.

Staff 01/02/2025

{STORY}

Why now

{STORY}

Source: https://example.com/acme-rocket

Comment (0)
Related articles
Five gadgets to buy this winter
Ten cities with the best coffee
How to choose a laptop
Home
World
"""


def test_boilerplate_menus_related_links_and_counters_are_stripped() -> None:
    title, url, body = clean_text(PAGE)
    assert title == "Acme launches a rocket to the Moon"
    assert url == "https://example.com/acme-rocket"
    assert body.startswith("Acme's first lunar rocket")
    assert "Why now" in body  # a heading between paragraphs is kept
    for junk in ("Home", "Business", "Comment (0)", "Related articles", "coffee", "01/02/2025"):
        assert junk not in body


@pytest.mark.parametrize(
    ("author", "byline", "dateline"),
    [
        ("Jane Doe", "By Jane Doe", "Published May 6, 2025"),
        ("Claire Dubois", "Par Claire Dubois", "Publié le 6 mai 2025"),
        ("Minh Anh", "Tác giả: Minh Anh", "Ngày 6 tháng 5 năm 2025"),
    ],
)
def test_a_byline_and_dateline_under_the_headline_leave_it_the_title(
    tmp_path: Path, author: str, byline: str, dateline: str
) -> None:
    (tmp_path / "story.txt").write_text(
        f"Acme launches a rocket to the Moon\n\n{byline}\n\n{dateline}\n\n{STORY}\n", "utf-8"
    )
    document = load_document(tmp_path / "story.txt", "story.txt", 10_000_000)
    assert document.article.title == "Acme launches a rocket to the Moon"
    assert document.article.author == author
    assert document.article.published == "2025-05-06"
    assert document.text == STORY, "the metadata holds the credits, not the story"


def test_seed_articles_keep_story_drop_site_chrome() -> None:
    report = load_corpus(SEEDS, 10_000_000)
    docs = {d.article.source: d for d in report.documents}
    assert sorted(docs) == sorted(p.name for p in SEEDS.iterdir() if p.suffix == ".txt")
    meta = docs["000_ca31535c36e48615.txt"]
    assert meta.article.title.startswith("Meta in talks with Google and OpenAI")
    assert meta.article.url.startswith("https://tuoitre.vn/")
    assert "Kilo 636" not in meta.text and "No data" not in meta.text
    assert "Llama 5" in meta.text
    assert {d.article.language for d in docs.values()} == {"en", "fr", "vi"}
    assert docs["001_53c71910e38b7502.txt"].article.language == "vi"
    assert docs["003_ec62060a0c8869d6.txt"].article.language == "fr"
    assert "97,4 milliards" in docs["003_ec62060a0c8869d6.txt"].text


def to_cp1258(text: str) -> bytes:
    """Encode Vietnamese as Windows-1258 does: precomposed vowel plus a combining tone mark."""
    out = b""
    for ch in text:
        with contextlib.suppress(UnicodeEncodeError):
            out += ch.encode("cp1258")
            continue
        base, *marks = unicodedata.normalize("NFD", ch)
        for i, mark in enumerate(marks):
            composed = unicodedata.normalize("NFC", base + mark)
            with contextlib.suppress(UnicodeEncodeError):
                out += (composed + "".join(marks[:i] + marks[i + 1 :])).encode("cp1258")
                break
        else:
            out += (base + "".join(marks)).encode("cp1258")
    return out


FRENCH = "Le géant a annoncé un accord de dix milliards de dollars avec Google, a déclaré l'été."
VIETNAMESE = "Tập đoàn công nghệ đã công bố một thỏa thuận lớn với Google trong năm nay rồi."


@pytest.mark.parametrize(
    ("text", "encode"),
    [(FRENCH, lambda t: t.encode("latin-1")), (VIETNAMESE, to_cp1258)],
    ids=["latin-1", "cp1258"],
)
def test_legacy_encodings_are_decoded(tmp_path: Path, text: str, encode) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(encode(f"{text}\n\n{text}\n"))
    assert text in load_document(path, "a.txt", 10_000).text


def test_unreadable_files_are_reported_not_fatal(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(STORY + "\n", encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    (tmp_path / "big.txt").write_text(STORY * 200, encoding="utf-8")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF")
    (tmp_path / "loop").symlink_to(tmp_path)
    report = load_corpus(tmp_path, max_bytes=10_000)
    assert [d.article.source for d in report.documents] == ["good.txt"]
    reasons = dict(report.skipped)
    assert reasons["empty.txt"] == "empty file"
    assert "binary" in reasons["binary.txt"]
    assert "larger than" in reasons["big.txt"]


def test_html_and_markdown_are_reduced_to_text(tmp_path: Path) -> None:
    html = (
        "<html><head><title>Site | Story</title><script>alert(1)</script></head><body>"
        "<nav><a href='/'>Home</a><a href='/w'>World</a></nav><h1>Rocket day</h1>"
        f"<p>{STORY}</p><p>{STORY}</p><footer>© Example 2025</footer></body></html>"
    )
    (tmp_path / "a.html").write_text(html, encoding="utf-8")
    (tmp_path / "b.md").write_text(
        f"# Rocket day\n\n{STORY} See [the launch](https://x.test/launch).\n", encoding="utf-8"
    )
    docs = {d.article.source: d for d in load_corpus(tmp_path, 100_000).documents}
    assert docs["a.html"].article.title == "Rocket day"
    assert "alert" not in docs["a.html"].text and "Home" not in docs["a.html"].text
    assert "©" not in docs["a.html"].text
    assert docs["b.md"].article.title == "Rocket day"
    assert "See the launch." in docs["b.md"].text


def test_missing_corpus_folder_is_one_sentence(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="does not exist"):
        load_corpus(tmp_path / "nope", 1000)
