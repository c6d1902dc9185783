"""PDF articles, from real PDFs: read as their story, title and metadata; a locked, scanned or
damaged one skipped with what to do.

The fixtures: `article.pdf` is seed 003 with a headline, a byline and a dateline, served at a
news URL and printed to A5 by Chromium as "Save as PDF" does, with the date, the title, the URL
and the page number in its margins; `article-locked.pdf` is that file with a password (pypdf);
`scan.pdf` is a screenshot of one of its sentences printed as an image, with no text layer.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.api import Bot
from bot.documents.loading import load_corpus, load_document
from bot.documents.pdf import _paragraphs
from bot.ingest.pipeline import ingest

from ..conftest import make_settings

FIXTURES = Path(__file__).parent / "fixtures"
ARTICLE = FIXTURES / "article.pdf"
WRAPPED = (
    "Rappelons que Musk a fait une offre de 97,4 milliards de dollars pour acquérir OpenAI, "
    "offre qui a été rejetée par Altman avec une touche d’ironie."
)
"""A sentence the page wraps over four lines, with two "ff" ligatures."""
ACROSS_PAGES = "car l’entreprise fait actuellement face à de multiples défis"
"""Words a page break cuts, under the running foot and head."""


def test_a_pdf_saved_from_the_browser_reads_as_its_story_and_its_metadata() -> None:
    document = load_document(ARTICLE, "article.pdf", 10_000_000)
    article = document.article
    assert article.title == "OpenAI prépare son propre réseau social"
    assert (article.author, article.published, article.language) == (
        "Claire Dubois",
        "2025-04-14",
        "fr",
    )
    assert article.url == "https://www.techjournal.example/2025/04/14/openai-reseau-social"
    paragraphs = document.text.split("\n\n")
    assert any(p.startswith(WRAPPED) for p in paragraphs), "one sentence, whole, one line"
    assert ACROSS_PAGES in document.text
    assert "La rivalité avec Elon Musk s’intensifie" in paragraphs, "a heading keeps its line"
    for furniture in ("AM", "/3", "techjournal", "Claire Dubois", "Publié le"):
        assert furniture not in document.text


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("locked.pdf", (FIXTURES / "article-locked.pdf").read_bytes(), "needs a password"),
        ("scan.pdf", (FIXTURES / "scan.pdf").read_bytes(), "run OCR on it"),
        ("truncated.pdf", ARTICLE.read_bytes()[:20_000], "not a readable PDF"),
        ("not-a.pdf", b"%PDF-1.7\x00\x01", "not a readable PDF"),
    ],
)
def test_a_pdf_that_cannot_be_read_is_skipped_with_what_to_do(
    tmp_path: Path, name: str, content: bytes, reason: str
) -> None:
    shutil.copy(ARTICLE, tmp_path / "article.pdf")
    (tmp_path / name).write_bytes(content)
    report = load_corpus(tmp_path, 10_000_000)
    assert [d.article.source for d in report.documents] == ["article.pdf"]
    assert len(report.skipped) == 1 and report.skipped[0][0] == name
    assert reason in report.skipped[0][1]


def test_only_a_paragraph_that_goes_on_in_lower_case_is_joined_across_a_page_break() -> None:
    pages = [
        "Daily Wire 1\n\nThe plant will open\nin March, the firm said\n\n1/3",
        "Daily Wire 2\n\nand hire 400 people.\n\nSales rose\n\n2/3",
        "Daily Wire 3\n\nAnalysts were not\nsurprised.\n\n3/3",
    ]
    assert _paragraphs("\f".join(pages)) == [
        "The plant will open in March, the firm said and hire 400 people.",
        "Sales rose",
        "Analysts were not surprised.",
        "Daily Wire 1",
        "1/3",
    ]


@pytest.mark.slow
def test_a_pdf_article_is_ingested_and_cited_with_the_real_model(
    tmp_path: Path, default_model_bot: Bot
) -> None:
    """A folder of PDFs ingested into a real Chroma store, then asked of the default embedded
    model (the session's server, as `bot ask` would start it)."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for fixture in FIXTURES.glob("*.pdf"):
        shutil.copy(fixture, corpus / fixture.name)
    settings = make_settings(tmp_path, corpus_dir=corpus)
    summary = ingest(settings, progress=False).summary()
    assert "Ingested 1 file into" in summary and "Skipped 2 files:" in summary
    parts = {"chat_model": default_model_bot.chat_model, "embeddings": default_model_bot.embeddings}
    answer = Bot(settings, **parts).ask("Combien Musk a-t-il offert pour acquérir OpenAI ?")
    assert not answer.refused and "97,4" in answer.text, answer.text
    cited = answer.citations[0]
    assert (cited.source, cited.author, cited.published) == (
        "article.pdf",
        "Claire Dubois",
        "2025-04-14",
    )
