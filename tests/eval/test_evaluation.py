"""The eval: scoring functions pinned on hand-made cases, and `bot eval` end to end."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from click.testing import CliRunner

from bot.cli.main import cli
from bot.core.language import detect_language
from bot.core.results import Answer
from bot.eval.calibration import Gates, calibrate, shown
from bot.eval.golden_sets import DEFAULT_GOLDEN, article_of, folds, load_golden, sample
from bot.eval.reports import failed_gates
from bot.eval.scoring import (
    best_threshold,
    citation_scores,
    fact_coverage,
    reader_scores,
    retrieval_scores,
    shown_backed,
)

from ..conftest import ROOT, SEEDS

XQUAD = ROOT / "tests" / "golden" / "xquad"
# CI gates on the default embedded model, on samples that keep each set's mix (a full run of
# both takes 30 min on 2 cores; `bot eval` runs everything); the measured values are in the README.
SEEDS_SAMPLE = "20"
XQUAD_SAMPLE = "24"
FACTS_GATE = "0.6"
# What the reader gets on these samples with the second reading (docs/answers.md, fourteenth
# step, on a slow host): seeds right 0.75, non-answers 0.00, off-language 0.00, false refusals
# 0.25; XQuAD non-answers 0.00, off-language 0.25, false refusals 0.60, facts 0.40. The gates
# leave room for another host's timings and threads, which change some replies; the
# non-answer gates are the ones the second reading tightened. Off-language: on CI hosts that
# write 6.4-6.6 tokens/s, 2 of the 14 shown seed answers were passages shown in their own
# language, named (issue 26 allows it), as no translation fitted in BOT_TIMEOUT; 0.07 at most
# on faster ones. Quoted: 3 of 11 shown in one run of this host (docs/answers.md, forty-fourth
# step); the gate allows 3 of 10.
NON_ANSWERS_GATE = "0.15"
RIGHT_GATE = "0.55"
SEEDS_FALSE_REFUSAL_GATE = "0.45"
SEEDS_OFF_LANGUAGE_GATE = "0.15"
SEEDS_QUOTED_GATE = "0.3"
XQUAD_SAW_GATE = "0.8"
XQUAD_FACTS_GATE = "0.3"
XQUAD_NON_ANSWERS_GATE = "0.2"
XQUAD_OFF_LANGUAGE_GATE = "0.45"
XQUAD_FALSE_REFUSAL_GATE = "0.75"


def test_known_hit_known_miss_and_recall() -> None:
    assert retrieval_scores(["a", "b", "c"], ["a"]) == (1.0, 1.0, 1.0)
    assert retrieval_scores(["b", "a", "c"], ["a"]) == (1.0, 0.5, 1.0)
    assert retrieval_scores(["b", "c"], ["a"]) == (0.0, 0.0, 0.0)
    assert retrieval_scores(["a", "x"], ["a", "b"]) == (1.0, 1.0, 0.5)


def test_wrong_citation_lowers_precision() -> None:
    assert citation_scores(["a"], ["a"]) == (1.0, 1.0)
    assert citation_scores(["a", "wrong"], ["a"]) == (0.5, 1.0)
    assert citation_scores(["wrong"], ["a", "b"]) == (0.0, 0.0)
    assert citation_scores([], ["a"]) == (None, 0.0)


def test_fact_patterns_match_across_number_formats_and_accents() -> None:
    assert fact_coverage("Musk a offert 97,4 milliards", ["97[.,]4"]) == 1.0
    assert fact_coverage("It was 97.4 billion", ["97[.,]4", "2018"]) == 0.5
    assert fact_coverage("Hop dong keo dai sau nam", ["sáu"]) == 1.0
    assert fact_coverage("Meta đã chi hàng tỷ USD cho hạ tầng đằng sau AI", ["sáu"]) == 0.0
    assert fact_coverage("nothing here", ["grok"]) == 0.0
    # A fact in words is found in digits: "two" in "2", "six" in "6", never in "3".
    assert fact_coverage("It ran 2 tests and lasted 6 days [1].", [r"two\ tests", "six"]) == 1.0
    assert fact_coverage("It ran 3 tests [1].", [r"two\ tests"]) == 0.0


def test_facts_in_withheld_sentences_are_reported_apart_from_shown_ones() -> None:
    from bot.eval.scoring import PairResult, summarize

    def result(withheld: float | None, unanswerable: bool = False) -> PairResult:
        return PairResult(
            id="p", language="en", unanswerable=unanswerable, ranks=[], top_score=0.9,
            refused=True, refusal_reason="unbacked", cited=[], seconds=1.0, answer="",
            withheld_facts=withheld,
        )  # fmt: skip

    summary = summarize([result(1.0), result(0.0), result(None), result(None, True)])
    assert summary["withheld_facts"] == 0.5 and summary["false_refusal"] == 1.0


def test_gates_and_threshold_choice() -> None:
    report = {
        "total": {"hit": 0.9, "refusal": 1.0, "false_refusal": 0.1},
        "by_language": {"en": {"hit": 1.0, "false_refusal": 0.2}, "vi": {"hit": 0.8}},
    }
    assert failed_gates(report, {"min_hit": 0.95, "max_false_refusal": 0.05}) == [
        "hit@k 0.900 is below 0.95",
        "false ref 0.100 is above 0.05",
    ]
    assert failed_gates(report, {"min_hit": 0.9, "min_mrr": None}) == []
    assert failed_gates(report, {"min_hit": 0.9}, per_language=("hit",)) == [
        "hit@k (vi) 0.800 is below 0.9"
    ]
    sweep = [
        {"threshold": 0.79, "refusal": 0.7, "false_refusal": 0.0},
        {"threshold": 0.81, "refusal": 0.9, "false_refusal": 0.0},
        {"threshold": 0.83, "refusal": 0.9, "false_refusal": 0.1},
    ]
    assert best_threshold(sweep) == 0.81


def test_golden_set_covers_what_the_eval_promises() -> None:
    pairs = load_golden(DEFAULT_GOLDEN)
    assert len(pairs) >= 40
    assert sum(p.unanswerable for p in pairs) >= 8
    assert {p.language for p in pairs} == {"en", "fr", "vi"}
    assert any("injection" in p.tags for p in pairs)
    assert sum("two-articles" in p.tags for p in pairs) >= 2
    for pair in pairs:
        assert pair.unanswerable or (pair.sources and pair.facts), pair.id
        assert all((SEEDS / s).is_file() for s in pair.sources), pair.id
    articles = {s for p in pairs for s in p.sources}
    assert len(articles) == 4


def test_scripts_set_asks_seed_questions_in_russian_and_chinese() -> None:
    pairs = load_golden(ROOT / "tests" / "golden" / "scripts" / "questions.yaml")
    assert {p.language for p in pairs} == {"ru", "zh"}
    for pair in pairs:
        assert detect_language(pair.question) == pair.language, pair.id
        assert all((SEEDS / s).is_file() for s in pair.sources), pair.id
        assert pair.unanswerable or fact_coverage(pair.answer, pair.facts) == 1.0, pair.id


def test_xquad_set_is_built_as_its_readme_says() -> None:
    pairs = load_golden(XQUAD / "golden.jsonl")
    corpus = sorted(p.name for p in (XQUAD / "corpus").iterdir())
    assert len(pairs) == 144 and len(corpus) == 20
    assert sum(p.unanswerable for p in pairs) == 24
    assert sum("cross" in p.tags for p in pairs) == sum("same" in p.tags for p in pairs) == 60
    assert {s for p in pairs for s in p.sources} == set(corpus)
    unseen = load_golden(XQUAD / "unseen.jsonl")
    assert len(unseen) == 96 and sum(p.unanswerable for p in unseen) == 16
    assert not {p.id for p in unseen} & {p.id for p in pairs}
    rotated = load_golden(XQUAD / "rotated" / "questions.jsonl")
    moved = sorted(p.name for p in (XQUAD / "rotated" / "corpus").iterdir())
    assert len(rotated) == 80 and len(moved) == 20
    assert sum(p.unanswerable for p in rotated) == 40
    # The articles left out of one layout are in the other's corpus, and the other way round.
    slugs = {name: name.split("_", 1)[1].split(".")[0] for name in corpus + moved}
    left_out = {article_of(p) for p in pairs if p.unanswerable}
    taken_in = {slugs[article_of(p)] for p in rotated if not p.unanswerable}
    assert taken_in == {slugs[n] for n in moved} - {slugs[n] for n in corpus} == left_out
    assert {article_of(p) for p in rotated if p.unanswerable} == {slugs[n] for n in corpus} - {
        slugs[n] for n in moved
    }


def test_a_sample_keeps_each_language_answerable_and_cross_language_share() -> None:
    pairs = load_golden(XQUAD / "golden.jsonl")
    picked = sample(pairs, 24)
    groups = Counter((p.language, p.unanswerable, "cross" in p.tags) for p in picked)
    assert len(picked) == 24 and picked[0] == pairs[0] and len(set(map(id, picked))) == 24
    assert groups == {
        **{(lang, False, cross): 5 for lang in ("en", "vi") for cross in (False, True)},
        ("en", True, False): 2,
        ("vi", True, False): 2,
    }
    seeds = load_golden(DEFAULT_GOLDEN)
    assert sample(seeds, 100) == seeds
    assert Counter(p.language for p in sample(seeds, 20) if p.unanswerable) == {
        "en": 2,
        "fr": 1,
        "vi": 1,
    }


def test_shown_backed_counts_sentences_without_a_marker() -> None:
    answer = Answer(text="A is B [1]. C is D.", citations=[], contexts=[], refused=False)
    assert shown_backed(answer) == 0.5
    quoted = answer.model_copy(update={"text": "The articles say: A is B [1]. C is D [2]."})
    assert shown_backed(quoted) == 1.0


@pytest.mark.slow
def test_bot_eval_on_the_seeds_with_the_default_model_meets_its_gates(
    seeded_settings, monkeypatch, tmp_path
) -> None:
    monkeypatch.setenv("BOT_VECTORSTORE_DIR", str(seeded_settings.vectorstore_dir))
    out = tmp_path / "reports"
    result = CliRunner().invoke(
        cli,
        [
            *("eval", "--sample", SEEDS_SAMPLE, "--out", str(out)),
            *("--min-hit", "0.97", "--min-mrr", "0.90"),
            *("--per-language", "hit", "--per-language", "mrr"),
            *("--min-refusal", "0.9", "--max-false-refusal", SEEDS_FALSE_REFUSAL_GATE),
            *("--min-shown-backed", "1.0", "--min-facts", FACTS_GATE),
            *("--max-non-answers", NON_ANSWERS_GATE, "--min-right", RIGHT_GATE),
            *("--max-off-language", SEEDS_OFF_LANGUAGE_GATE, "--max-quoted", SEEDS_QUOTED_GATE),
        ],
    )
    assert result.exit_code == 0, result.output
    assert f"| total | {SEEDS_SAMPLE} |" in result.output and "Qwen2.5-Coder-1.5B" in result.output
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert set(report["by_language"]) == {"en", "fr", "vi"}
    assert report["total"]["dense_hit"] is not None and report["verifier"]["precision"] >= 0.9
    assert 0 < report["total"]["in_language"] <= 1
    assert (out / "report.png").stat().st_size > 10_000


@pytest.mark.slow
def test_bot_eval_on_an_xquad_sample_scores_its_own_store_by_language_pair(tmp_path) -> None:
    out = tmp_path / "reports"
    result = CliRunner().invoke(
        cli,
        [
            *("eval", "--golden", str(XQUAD / "golden.jsonl")),
            *("--corpus", str(XQUAD / "corpus"), "--sample", XQUAD_SAMPLE, "--out", str(out)),
            *("--min-hit", "0.9", "--min-saw-source", XQUAD_SAW_GATE),
            *("--max-false-refusal", XQUAD_FALSE_REFUSAL_GATE, "--min-refusal", "0.75"),
            *("--min-facts", XQUAD_FACTS_GATE, "--max-non-answers", XQUAD_NON_ANSWERS_GATE),
            *("--max-off-language", XQUAD_OFF_LANGUAGE_GATE),
            "--min-shown-backed",
            "1.0",
        ],
    )
    assert result.exit_code == 0, result.output
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert {"en->vi", "vi->en", "en->en", "vi->vi"} <= set(report["by_pair"])
    assert report["same_vs_cross"]["cross"]["pairs"] > 0
    assert "withheld_facts" in report["total"]
    assert 0.0 < report["total"]["facts_seen"] <= 1.0
    assert (out / "stores" / "corpus" / "chroma.sqlite3").is_file()
    # The first pair is timed on a ready bot; starting it is reported apart.
    assert report["warm_up_seconds"] >= 0 and "before the first pair" in result.output
    assert report["pace"]["prefill"] > 0 and report["pace"]["decode"] > 0  # the host's speed


def test_reader_scores_count_what_was_shown() -> None:
    assert reader_scores("Musk offered 97.4 [1].", True, 1.0, False, "en", "en") == (1.0, 0.0, 0.0)
    assert reader_scores("Các bài báo cho biết: ...", True, 0.5, False, "vi", "en") == (
        0.0,
        1.0,
        1.0,
    )
    assert reader_scores("Anything [1].", True, None, True, "en", "en") == (None, 1.0, 0.0)
    assert reader_scores("I can't answer that.", False, 0.0, False, "en", "en") == (0.0, None, None)


def test_folds_split_whole_articles_and_keep_each_kind_in_both() -> None:
    pairs = load_golden(XQUAD / "golden.jsonl")
    fold_of = folds(pairs)
    by_article: dict[str, set[int]] = {}
    for pair in pairs:
        by_article.setdefault(article_of(pair), set()).add(fold_of[pair.id])
    assert all(len(seen) == 1 for seen in by_article.values())
    assert article_of(pairs[0]) == "00_super-bowl-50.en.txt"
    assert {(fold_of[p.id], p.unanswerable) for p in pairs} == {
        (0, False),
        (1, False),
        (0, True),
        (1, True),
    }


def test_folds_hold_articles_of_each_language_alike() -> None:
    pairs = load_golden(XQUAD / "golden.jsonl")
    written = {a: a.split(".")[-2] for a in (article_of(p) for p in pairs if p.sources)}
    fold_of = folds(pairs, written)
    kinds = Counter((fold_of[p.id], written[article_of(p)]) for p in pairs if p.sources)
    assert kinds[0, "en"] == kinds[1, "en"] == kinds[0, "vi"] == kinds[1, "vi"] == 30


def _pair(fold: int, answerable: float, right: bool = True, unanswerable: bool = False) -> dict:
    return {
        "fold": fold, "language": "en", "unanswerable": unanswerable, "refused": False,
        "quoted": False, "answerable": answerable, "quote_confidence": None,
        "fact_coverage": None if unanswerable else float(right),
    }  # fmt: skip


def test_calibration_fits_each_fold_on_the_other_and_reports_held_out_figures() -> None:
    # Fold 0's answers are right above 0.5; fold 1's wrong ones sit below 0.3.
    pairs = [_pair(0, 0.9), _pair(0, 0.6), _pair(0, 0.2, unanswerable=True)]
    pairs += [_pair(1, 0.8), _pair(1, 0.25, right=False), _pair(1, 0.1, unanswerable=True)]
    result = calibrate(pairs)
    assert result["open"]["non_answers"] == 0.5
    # Fitted on fold 1 (wrong at 0.25, out-of-corpus at 0.1): 0.3 suffices for fold 0.
    assert result["fold_gates"]["fold 0"]["answerable"] == 0.3
    # Fitted on fold 0 (out-of-corpus at 0.2), fold 1's wrong answer at 0.25 gets through.
    assert result["fold_gates"]["fold 1"]["answerable"] == 0.25
    total = result["fold_out"]["total"]
    assert total["right"] == 0.75 and total["refusal"] == 1.0 and total["non_answers"] == 0.25
    assert shown(pairs[0], Gates(0.95, 0.0)) is False


def _report(answers: dict[str, tuple[str, list[str]]], right: float) -> dict:
    pairs = [
        {"id": pair_id, "refused": not cited, "answer": text, "cited": cited}
        for pair_id, (text, cited) in answers.items()
    ]
    total = {"pairs": len(pairs), "right": right, "non_answers": 0.0}
    return {"total": total, "pairs": pairs, "pace": {"prefill": 78.0, "decode": 14.2 * right}}


def test_bot_compare_names_each_answer_that_changed_word_for_word(tmp_path) -> None:
    before = _report(
        {"q1": ("Paris [1].", ["a.txt"]), "q2": ("Lyon [1].", ["a.txt"]), "q3": ("No.", [])},
        right=1.0,
    )
    after = _report(
        {"q1": ("Paris [1].", ["a.txt"]), "q2": ("Lyon [1].", ["b.txt"]), "q4": ("No.", [])},
        right=0.5,
    )
    paths = [tmp_path / "before.json", tmp_path / "after.json"]
    for path, report in zip(paths, (before, after), strict=True):
        path.write_text(json.dumps(report), "utf-8")

    result = CliRunner().invoke(cli, ["compare", *map(str, paths)])
    assert result.exit_code == 0, result.output
    assert "| before | 3 | 1.00 | 0.00 |" in result.output
    assert "| after | 3 | 0.50 | 0.00 |" in result.output
    # q2 cites another file with the same words; q3 and q4 are in one report each.
    assert "1 of 2 answers are the same, word for word; 2 pairs are in one report only." in (
        result.output
    )
    assert "\nq2\n  before: answered: Lyon [1]. [cites: a.txt]" in result.output
    assert "read 78.0 / 78.0 and wrote 14.2 / 7.1 tokens/s (before / after)" in result.output
    assert "q1\n" not in result.output

    assert CliRunner().invoke(cli, ["compare", "--strict", *map(str, paths)]).exit_code == 1
    same = CliRunner().invoke(cli, ["compare", "--strict", str(paths[0]), str(paths[0])])
    assert same.exit_code == 0 and "3 of 3 answers are the same, word for word." in same.output

    png = tmp_path / "report.png"
    png.write_bytes(b"\x89PNG\r\n")
    wrong = CliRunner().invoke(cli, ["compare", str(png), str(paths[1])])
    assert wrong.exit_code == 1 and "Traceback" not in wrong.output
    assert f"{png} is not a `bot eval` report; pass the report.json it wrote." in wrong.output
