"""Retrieval on the real seeded store: the right article first, in any language."""

from __future__ import annotations

import numpy as np
import pytest

from bot.core.article import ArticleMeta
from bot.core.text import names, tokenize
from bot.retrieval.diversity import balanced, distinct
from bot.retrieval.keywords import KeywordIndex
from bot.retrieval.language_pools import MIN_BACKGROUND, LanguagePool, calibrate
from bot.store.protocol import Hit

# (expected file, question): one per language per article, paraphrased, not copied.
QUESTIONS = [
    ("000", "Why is Meta negotiating with Google and OpenAI to use their AI models?"),
    ("000", "Pourquoi Meta veut-elle utiliser les modèles de Google et OpenAI avant Llama 5 ?"),
    ("000", "Tại sao Meta đàm phán với Google và OpenAI để sử dụng mô hình AI của họ?"),
    ("001", "How many people use WeChat, China's biggest social media app?"),
    ("001", "Combien d'utilisateurs compte WeChat, la plus grande application sociale de Chine ?"),
    ("001", "WeChat có bao nhiêu người dùng?"),
    ("002", "How much is the cloud deal between Alphabet and Meta worth?"),
    ("002", "Quel est le montant du contrat cloud entre Alphabet et Meta ?"),
    ("002", "Hợp đồng điện toán đám mây giữa Alphabet và Meta trị giá bao nhiêu?"),
    ("003", "How much did Elon Musk offer to buy OpenAI?"),
    ("003", "Combien Elon Musk a-t-il proposé pour racheter OpenAI ?"),
    ("003", "Elon Musk đã đề nghị bao nhiêu tiền để mua OpenAI?"),
]


@pytest.mark.parametrize(("expected", "question"), QUESTIONS)
def test_right_article_ranks_first(seeded_bot, expected: str, question: str) -> None:
    hits = seeded_bot.retrieve(question)
    assert hits[0].source.startswith(expected), [(h.source, h.score) for h in hits]
    assert len(hits) == seeded_bot.settings.top_k


def test_citations_carry_what_the_ui_shows(seeded_bot) -> None:
    hit = seeded_bot.retrieve("Tencent a déployé quel modèle sur WeChat ?", k=2)[0]
    assert hit.source == "001_53c71910e38b7502.txt"
    assert hit.title and hit.snippet and hit.chunk_id and hit.text.startswith(hit.snippet[:40])
    assert 0.8 < hit.score <= 1.0


def _hit(name: str, text: str) -> Hit:
    vector = np.ones(3, dtype=np.float32) / np.sqrt(3)
    return Hit(name, text, ArticleMeta("a.txt"), "", vector, 0.9)


def test_copies_of_a_passage_move_behind_the_rest_of_the_evidence() -> None:
    passage = "Musk offered 97.4 billion dollars for OpenAI, and Altman turned the offer down."
    hits = [
        _hit("a", passage),
        _hit("a-repost", "Reposted: " + passage),
        _hit("a-overlap", passage + " The board met on Friday to weigh it."),
        _hit("b", "Meta signed a six-year cloud contract with Google worth 10 billion dollars."),
        _hit("c", "WeChat is used by nearly 1.4 billion people in China every month."),
    ]
    assert [h.id for h in distinct(hits, 3)] == ["a", "b", "c"]
    assert [h.id for h in distinct(hits[:3], 3)] == ["a", "a-repost", "a-overlap"]
    # Another passage of the same article is evidence, however close its embedding.
    related = [hits[0], _hit("a2", "OpenAI is building a social network of its own, like X.")]
    assert [h.id for h in distinct(related, 2)] == ["a", "a2"]


def test_seed_summary_and_translation_do_not_fill_the_context(seeded_bot) -> None:
    hits = seeded_bot.retrieve("Tencent WeChat Hunyuan DeepSeek R1", k=4)
    assert len({h.chunk_id for h in hits}) == 4
    assert sum("Hunyuan" in h.text for h in hits) < 4


def test_keyword_tokens_fold_accents_elisions_and_number_formats() -> None:
    assert tokenize("l'offre de 97,4 milliards") == ["offre", "de", "97.4", "milliards"]
    assert tokenize("97.4 billion") == ["97.4", "billion"]
    assert tokenize("Đà Nẵng, Mỹ") == ["da", "nang", "my"]
    assert tokenize("10 000 users, 10,000 users") == ["10000", "users", "10000", "users"]
    assert names("Pourquoi d'IA et Ernie X1 avec Elon Musk ?") == ["Ernie", "X1", "Elon", "Musk"]


def test_a_name_in_most_files_still_ranks_the_chunks_about_it() -> None:
    # Meta is in three of four files, as in the seeds; BM25's IDF weighs it, nothing drops it.
    index = KeywordIndex(
        ["a1", "a2", "b1", "c1", "d1"],
        [
            "Meta Superintelligence Labs: Meta hires, Meta builds, Meta waits for Llama 5.",
            "Users worry about privacy.",
            "Google Cloud signs Meta for six years.",
            "Tencent and Meta release open models.",
            "Elon Musk offers 97.4 billion for OpenAI.",
        ],
        ["a.txt", "a.txt", "b.txt", "c.txt", "d.txt"],
        ["en"] * 5,
    )
    assert index.files == 4
    ranked = [chunk_id for chunk_id, _ in index.search("Meta", 5)]
    assert ranked[0] == "a1" and set(ranked) == {"a1", "b1", "c1"}


def test_a_coined_name_is_known_only_as_written() -> None:
    """GPT-7 is not in a corpus that writes "GPT" in one place and a 7 in another."""
    texts = ["OpenAI trains GPT-5 on 7 data centres.", "Llama 4 ships in 7 sizes."]
    index = KeywordIndex(["a", "b"], texts, ["a.txt", "b.txt"], ["en", "en"])
    assert index.writes("GPT-5") and index.writes("GPT 5") and index.writes("Llama 4")
    assert not index.writes("GPT-7") and not index.writes("Llama 7")
    assert index.writes("OpenAI") and not index.writes("Anthropic")


def _pool(prefix: str, rows: np.ndarray, copies: int) -> LanguagePool:
    """A language pool of `copies` of each row, ids `prefix0`, `prefix1`, ..."""
    vectors = np.repeat(rows, copies, axis=0)
    return LanguagePool([f"{prefix}{i}" for i in range(len(vectors))], vectors, rows.mean(axis=0))


def test_relevance_moves_each_hit_by_the_questions_language_gap() -> None:
    """A question sits closer to all of its own language's text: a hit in another language is
    credited with the difference between the two mean similarities."""
    question = np.array([1.0, 0.0, 0.0], dtype=np.float32)
    own = np.array([[0.6, 0.8, 0.0], [0.6, 0.0, 0.8]], dtype=np.float32)  # cosine 0.6 each
    other = np.array([[0.4, 0.0, np.sqrt(0.84)]], dtype=np.float32)  # cosine 0.4
    pools = {"en": _pool("a", own, MIN_BACKGROUND), "vi": _pool("b", other, MIN_BACKGROUND)}
    hits = [
        Hit("a0", "", ArticleMeta("a.txt"), "en", own[0], 0.7),
        Hit("b0", "", ArticleMeta("b.txt"), "vi", other[0], 0.6),
    ]
    calibrate(hits, question, pools, language="en")
    assert hits[0].relevance == pytest.approx(0.7)
    assert hits[1].relevance == pytest.approx(0.6 + 0.6 - 0.4)
    calibrate(hits, question, pools, language="fr")  # no French text: the closest language
    assert hits[1].relevance == pytest.approx(0.8)


def test_a_language_with_too_few_chunks_to_measure_moves_no_hit() -> None:
    """In a store of one short English article and one French one, the English "background"
    is the answer itself: measured, its gap would put any French chunk above the answer."""
    question = np.array([1.0, 0.0, 0.0], dtype=np.float32)
    answer = np.array([[0.9, np.sqrt(0.19), 0.0]], dtype=np.float32)
    other = np.array([[0.5, 0.0, np.sqrt(0.75)]], dtype=np.float32)
    pools = {"en": _pool("a", answer, 1), "fr": _pool("b", other, MIN_BACKGROUND - 1)}
    hits = [
        Hit("a0", "", ArticleMeta("a.txt"), "en", answer[0], 0.9),
        Hit("b0", "", ArticleMeta("b.txt"), "fr", other[0], 0.5),
    ]
    calibrate(hits, question, pools, language="en")
    assert [h.relevance for h in hits] == pytest.approx([0.9, 0.5])


def _ranked(*hits: tuple[str, str, float]) -> list[Hit]:
    """Fused candidates, best first, with their relevance already calibrated."""
    vector = np.ones(3, dtype=np.float32) / np.sqrt(3)
    return [
        Hit(name, "", ArticleMeta(f"{name}.txt"), lang, vector, rel, relevance=rel)
        for name, lang, rel in hits
    ]


def test_another_language_s_best_chunk_comes_second_when_it_is_more_relevant() -> None:
    candidates = _ranked(
        ("v1", "vi", 0.85), ("v2", "vi", 0.80), ("v3", "vi", 0.79), ("e1", "en", 0.82)
    )
    assert [h.id for h in balanced(candidates, 3)] == ["v1", "e1", "v2"]
    weaker = _ranked(("v1", "vi", 0.85), ("v2", "vi", 0.84), ("v3", "vi", 0.79), ("e1", "en", 0.8))
    assert [h.id for h in balanced(weaker, 3)] == ["v1", "v2", "v3"]
    present = _ranked(("v1", "vi", 0.85), ("e1", "en", 0.7), ("e2", "en", 0.84))
    assert [h.id for h in balanced(present, 2)] == ["v1", "e1"]  # English is already there
