"""News metadata: extraction by general rules, scored on labelled pages written after the rules
(tests/golden/metadata/pages.yaml), and carried to every Citation of an article."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.article import AMBIGUOUS
from bot.documents.loading import load_corpus, load_document
from bot.eval.extraction import score_extraction
from bot.ingest.pipeline import ingest
from bot.retrieval.retriever import Retriever

from ..conftest import ROOT, make_settings
from ..fakes import HashingEmbeddings, MemoryStore

PAGES = ROOT / "tests" / "golden" / "metadata" / "pages.yaml"


def test_extraction_on_the_labelled_pages_meets_its_targets() -> None:
    report = score_extraction(PAGES, ROOT)
    for field, score in report["fields"].items():
        print(
            f"{field:12} precision {score['precision']:.2f} recall {score['recall']:.2f} "
            f"({score['stated']} stated)"
        )
    print("\n".join(report["misses"]))
    assert all(s["precision"] >= 0.9 and s["recall"] >= 0.9 for s in report["fields"].values())


def test_an_unsettled_day_month_order_is_recorded_as_ambiguous_never_picked(tmp_path) -> None:
    page = tmp_path / "storm.txt"
    page.write_text("Storm closes schools\n04/05/2022\n\n" + "Schools closed again today. " * 8)
    article = load_document(page, page.name, 1_000_000).article
    assert article.published == AMBIGUOUS and article.date == ""


def test_a_sidecar_wins_and_a_broken_one_is_a_reason_not_a_crash(tmp_path: Path) -> None:
    text = "Council budget\nBy Tom Ellis\n\n" + "The council passed the budget. " * 8
    (tmp_path / "a.txt").write_text(text)
    (tmp_path / "a.meta.yaml").write_text("author: Ruth Bell\ndate: 2024-12-10\n")
    (tmp_path / "b.txt").write_text(text)
    (tmp_path / "b.meta.json").write_text("{not json")
    loaded = load_corpus(tmp_path, 1_000_000)
    [doc] = loaded.documents
    assert doc.article.author == "Ruth Bell" and doc.article.published == "2024-12-10"
    assert [source for source, _ in loaded.skipped] == ["b.txt"]
    assert "b.meta.json" in loaded.skipped[0][1]


def test_front_matter_reads_the_names_scrapers_write(tmp_path: Path) -> None:
    # trafilatura writes `sitename` and lists of `authors`; static sites write `site_name`.
    page = tmp_path / "a.md"
    body = "# Port strike ends\n\n" + "Dock workers went back to work after a week. " * 8
    page.write_text(f"---\nsitename: Harbour Post\nauthors: [Ana Ruiz, Li Wei]\n---\n{body}")
    article = load_document(page, page.name, 1_000_000).article
    assert article.outlet == "Harbour Post" and article.author == "Ana Ruiz, Li Wei"


@pytest.fixture(scope="module")
def meta_hit(seeded_bot):
    """The seeded store's best chunk about Meta's talks, a Tuổi Trẻ story on Vietnam.vn."""
    return seeded_bot.retrieve("Meta in talks with Google and OpenAI to use their AI models")[0]


def test_every_citation_carries_its_articles_metadata(meta_hit) -> None:
    assert meta_hit.source == "000_ca31535c36e48615.txt"
    assert (meta_hit.outlet, meta_hit.published) == ("Tuổi Trẻ", "2025-09-02")
    assert meta_hit.republisher == "Vietnam.vn"
    assert meta_hit.provenance == "Tuổi Trẻ · 2025-09-02 · 000_ca31535c36e48615.txt"


def test_the_chat_and_the_api_show_who_published_it_and_when(meta_hit) -> None:
    from bot.app.chat import sources_markdown
    from bot.app.openai_api import extras
    from bot.core.results import Answer

    assert "Tuổi Trẻ · 2025-09-02 · 000_ca31535c36e48615.txt" in sources_markdown([(1, meta_hit)])
    answer = Answer(
        text="Meta is in talks [1].", citations=[meta_hit], contexts=[meta_hit], refused=False
    )
    [cited] = extras(answer)["citations"]
    dated = answer.model_copy(update={"as_of": "2025-09-02"})
    assert extras(answer)["newsbot"]["as_of"] is None
    assert extras(dated)["newsbot"]["as_of"] == "2025-09-02"
    refused = answer.model_copy(update={"refused": True, "citations": []})
    assert extras(refused)["newsbot"]["read"] == [cited]  # what a refusal looked at
    assert (cited["outlet"], cited["published"], cited["republisher"]) == (
        "Tuổi Trẻ",
        "2025-09-02",
        "Vietnam.vn",
    )


# Time and outlet filters: retrieval searches only the admitted articles.


def test_filters_keep_retrieval_to_the_admitted_articles(seeded_bot) -> None:
    from bot.core.article import ArticleFilter

    asked = "What are the big tech companies doing with AI?"
    recent = seeded_bot.retrieve(asked, 8, ArticleFilter.of(since="2025-05-01"))
    assert recent and {c.source for c in recent} == {"000_ca31535c36e48615.txt"}
    older = seeded_bot.retrieve(asked, 8, ArticleFilter.of(until="2025-05-01"))
    assert older and {c.source for c in older} == {"001_53c71910e38b7502.txt"}
    outlet = seeded_bot.retrieve(asked, 8, ArticleFilter.of(outlets=["business insider"]))
    assert {c.outlet for c in outlet} == {"Business Insider"}
    assert seeded_bot.retrieve(asked, 8, ArticleFilter.of(outlets=["Le Monde"])) == []


def test_a_malformed_date_filter_is_one_sentence() -> None:
    from bot.core.article import ArticleFilter
    from bot.core.errors import QuestionError

    with pytest.raises(QuestionError, match="since must be a date like 2025-09-01"):
        ArticleFilter.of(since="last Tuesday")
    assert ArticleFilter.of() is None


def test_a_question_after_the_latest_news_reads_the_newest_article_first(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    story = "The company builds warehouse robots in Ohio and sells them across the country."
    for name, date, staff in (("old", "2024-01-10", 100), ("new", "2025-06-01", 250)):
        (corpus / f"{name}.md").write_text(
            f"---\npublished: {date}\noutlet: Daily {name}\n---\n# Acme Robotics staff\n\n"
            f"Acme Robotics has {staff} employees, its chief executive said. {story}\n",
            encoding="utf-8",
        )
    store = MemoryStore(HashingEmbeddings())
    ingest(make_settings(tmp_path), corpus, store=store, progress=False)
    retriever = Retriever(store, 2)
    latest = retriever.retrieve("What is the latest number of employees at Acme Robotics?")
    assert [h.published for h in latest] == ["2025-06-01", "2024-01-10"]
    newest = retriever.retrieve("Combien d'employés compte Acme Robotics, au plus récent ?")
    assert newest[0].published == "2025-06-01"
