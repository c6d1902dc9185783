"""Sentence verification with the real multilingual embedder, on reply sentences written here."""

from __future__ import annotations

import pytest

from bot.answer.claims import added_terms, cite, claimed, is_debris
from bot.answer.grounding import Grounder
from bot.answer.quoting import quote
from bot.answer.translating import faithful
from bot.answer.verification import Verifier
from bot.core.results import Citation
from bot.core.text import tokenize
from bot.store.embeddings import E5Embeddings

from ..conftest import SEEDS

MUSK = "How much did Elon Musk offer to buy OpenAI?"


def _chunk(n: int, needle: str, language: str) -> Citation:
    """The seed paragraph containing `needle`, as a retrieved chunk."""
    files = sorted(SEEDS.iterdir())
    for path in files:
        for paragraph in path.read_text("utf-8").split("\n"):
            if needle in paragraph:
                return Citation(
                    source=path.name,
                    title="t",
                    snippet=paragraph[:80],
                    score=0.9,
                    chunk_id=f"c{n}",
                    text=paragraph,
                    language=language,
                )
    raise AssertionError(f"{needle!r} is in no seed")


@pytest.fixture(scope="module")
def grounder() -> Grounder:
    return Grounder(E5Embeddings())


@pytest.fixture(scope="module")
def contexts() -> list[Citation]:
    return [_chunk(1, "97,4 milliards", "fr"), _chunk(2, "Google Cloud", "fr")]


def test_a_backed_sentence_keeps_its_marker(grounder: Grounder, contexts: list[Citation]) -> None:
    verifier = Verifier(grounder, MUSK, contexts)
    assert verifier.check("Musk offered 97.4 billion dollars to buy OpenAI [1].") == [1]


def test_a_wrong_marker_moves_to_the_chunk_that_backs_the_sentence(
    grounder: Grounder, contexts: list[Citation]
) -> None:
    verifier = Verifier(grounder, MUSK, contexts)
    assert verifier.check("Musk offered 97.4 billion dollars to buy OpenAI [2].") == [1]
    assert verifier.check("Elon Musk offered 97.4 billion dollars to buy OpenAI.") == [1]


@pytest.mark.parametrize(
    "sentence",
    [
        "Musk offered 12 billion dollars to buy OpenAI [1].",  # a number the chunk never states
        "The weather in Hanoi will be sunny tomorrow [1][2].",  # nothing to do with either chunk
        "Yes [1].",  # too short to check
    ],
)
def test_unbacked_sentences_get_no_marker(
    grounder: Grounder, contexts: list[Citation], sentence: str
) -> None:
    assert Verifier(grounder, MUSK, contexts).check(sentence) == []


def test_a_number_counts_however_it_is_written(grounder: Grounder) -> None:
    text = "Newcastle has two universities, Newcastle University and Northumbria University."
    universities = Citation(
        source="n.txt", title="t", snippet="s", score=0.9, chunk_id="c1", text=text
    )
    verifier = Verifier(grounder, "How many universities does Newcastle have?", [universities])
    named = "universities, Newcastle University and Northumbria University [1]."
    assert verifier.check(f"Newcastle has 2 {named}") == [1]
    assert verifier.check(f"Newcastle has four {named}") == []


def test_a_correct_sentence_in_another_language_than_its_chunk_passes(
    grounder: Grounder, contexts: list[Citation]
) -> None:
    verifier = Verifier(grounder, MUSK, contexts)
    assert verifier.check("Elon Musk đã đề nghị 97,4 tỷ USD để mua lại OpenAI.") == [1]


def test_extract_quotes_the_chunk_sentence_that_answers(
    grounder: Grounder, contexts: list[Citation]
) -> None:
    quoted = quote(Verifier(grounder, MUSK, contexts))
    assert quoted and "97,4 milliards" in quoted[0] and quoted[0].endswith("[1].")


PAY = "How much did Meta pay Google for its cloud contract?"
PAID = (
    "Meta paid Google 10 billion dollars for a six-year cloud contract, its largest yet. "
    "According to Le Figaro, Meta also paid 14 billion dollars for a stake in Scale AI, the "
    "data labelling company."
)


def test_a_quote_is_the_sentence_that_states_what_the_model_s_reply_said(
    grounder: Grounder,
) -> None:
    """Two sentences answer "how much" with an amount: the reply's amount, though the reply
    is not backed (2030), tells which one the model read its answer in."""
    text = PAID.replace("According to Le Figaro, Meta", "Meta")
    assert text != PAID
    chunk = Citation(
        source="a.txt", title="t", snippet="s", score=0.9, chunk_id="c1", text=text, language="en"
    )
    verifier = Verifier(grounder, PAY, [chunk])
    assert quote(verifier, "Meta paid 10 billion dollars in 2030.") == [
        "Meta paid Google 10 billion dollars for a six-year cloud contract, its largest yet [1]."
    ]
    assert "14 billion" in quote(verifier, "Meta paid 14 billion dollars in 2030.")[0]
    # A reply that says nothing a sentence states leaves the closest.
    assert quote(verifier, "Meta paid nothing to Amazon.") == quote(verifier)


def test_a_reply_that_repeats_the_question_and_talks_about_its_sources_claims_nothing() -> None:
    """ "This is stated in source [1]" claims nothing, so it points the quote at no passage:
    only what the reply claims picks the sentences quoted."""
    question = "What will Meta move onto Google Cloud's servers under the deal?"
    echo = "Meta will move onto Google Cloud's servers under the deal."
    assert claimed(f"{echo} This is stated in source [1].", question) == ""
    said = "Meta will move its cloud infrastructure onto Google Cloud's servers in 2025."
    assert claimed(f"{said} This is stated in source [2].", question) == said


def test_a_translation_may_write_a_spelled_number_in_digits_but_not_another(
    grounder: Grounder,
) -> None:
    original = (
        "The Panthers defense gave up just 308 points, ranking sixth in the league, "
        "and sent four players to the Pro Bowl."
    )
    written = (
        "Hàng phòng ngự của Panthers chỉ để thủng lưới 308 điểm, xếp thứ {} trong giải đấu, "
        "và có {} cầu thủ được chọn vào Pro Bowl."
    )
    assert faithful(original, written.format(6, 4), "vi", grounder)
    assert not faithful(original, written.format(6, 5), "vi", grounder)


def test_a_translation_keeps_each_numbers_magnitude(grounder: Grounder) -> None:
    original = "Musk a fait une offre de 97,4 milliards de dollars pour acquérir OpenAI."
    written = "Маск предложил 97,4 {} долларов за покупку OpenAI."
    assert faithful(original, written.format("миллиарда"), "ru", grounder)
    assert not faithful(original, written.format("миллиона"), "ru", grounder)


def test_a_reply_adds_its_numbers_and_names_and_its_other_new_words() -> None:
    fixed, words = added_terms("Musk offered OpenAI 97.4 billion dollars, Altman said.", MUSK)
    assert fixed == {"97.4", "altman"}
    assert {"billion", "dollar"} <= words and not words & {"musk", "openai", "offer"}


def test_a_backed_sentence_that_does_not_address_the_question_is_not_shown(
    grounder: Grounder,
) -> None:
    labs = _chunk(1, "Superintelligence Labs", "en")
    aside = "Meta created Meta Superintelligence Labs and hired top talent for it [1]."
    assert Verifier(grounder, "Who won the 2022 FIFA World Cup?", [labs]).check(aside) == []
    assert Verifier(grounder, "What lab did Meta create for its AI push?", [labs]).check(aside) == [
        1
    ]


def test_a_same_language_chunk_must_name_the_subject_the_sentence_takes_from_the_question(
    grounder: Grounder,
) -> None:
    talks = _chunk(1, "from Google and OpenAI are a clear sign", "en")
    sentence = "{} is negotiating with Google and OpenAI to use their AI models [1]."
    meta = Verifier(grounder, "Which companies is Meta in talks with to use AI models?", [talks])
    amazon = Verifier(
        grounder, "Which companies is Amazon in talks with to use AI models?", [talks]
    )
    assert meta.check(sentence.format("Meta")) == [1]
    assert amazon.check(sentence.format("Amazon")) == []
    both = Verifier(grounder, "Which companies are Meta and Amazon in talks with?", [talks])
    assert both.check(sentence.format("Meta and Amazon")) == []  # the chunk names only one


def test_a_same_language_chunk_must_hold_half_the_question_s_words_the_sentence_repeats(
    grounder: Grounder,
) -> None:
    labs = _chunk(1, "The creation of Meta Superintelligence Labs", "en")
    poached = Verifier(grounder, "Which Meta lab poached engineers from rivals?", [labs])
    pinned = "Meta Superintelligence Labs, created with top talent for Meta's big ambitions in "
    # Most of its words are the chunk's, but the claim it answers with is the question's own.
    assert poached.check(pinned + "autonomous AI, poached engineers from rivals [1].") == []
    hired = Verifier(grounder, "Who did Meta hire for its autonomous AI ambitions?", [labs])
    answer = "Meta hired top talent for Meta Superintelligence Labs, showing its big ambitions [1]."
    assert hired.check(answer) == [1]


def test_a_quote_must_write_the_question_s_name_as_a_name(grounder: Grounder) -> None:
    text = "The people who run the lab offered 97.4 billion dollars for the company last week."
    chunk = Citation(
        source="a.txt", title="t", snippet="s", score=0.9, chunk_id="c1", text=text, language="en"
    )
    assert quote(Verifier(grounder, "How much did the lab offer?", [chunk]))
    assert quote(Verifier(grounder, "How often does Doctor Who travel?", [chunk])) == []


def test_a_passage_off_the_questions_topic_is_no_quote_whatever_it_shares(
    grounder: Grounder,
) -> None:
    """It holds the reply's number and name, but it is about the weather: not even the
    closest passage, nor when the second reading copied its number out."""
    text = "The weather in Lyon was mild all week, with 97.4 mm of rain, Musk fans said."
    chunk = Citation(
        source="a.txt", title="t", snippet="s", score=0.9, chunk_id="c1", text=text, language="en"
    )
    verifier = Verifier(grounder, MUSK, [chunk])
    assert quote(verifier, "Musk offered 97.4 billion dollars.") == []
    assert quote(verifier, "Musk offered 97.4 billion dollars.", reading="97.4 mm") == []


def test_a_statement_may_end_in_an_abbreviation_inside_brackets(grounder: Grounder) -> None:
    """A news sentence often ends "in the U.S." or in brackets: it is whole, and quotable."""
    text = (
        "ABC dominated American television during the 1970s (by 1980, the three major "
        "networks represented 90% of all prime-time television viewership in the U.S.)."
    )
    chunk = Citation(
        source="a.txt", title="t", snippet="s", score=0.9, chunk_id="c1", text=text, language="en"
    )
    question = "What share of prime-time viewers did the three major networks have in 1980?"
    quoted = quote(Verifier(grounder, question, [chunk]))
    assert len(quoted) == 1 and "90%" in quoted[0] and "[1]" in quoted[0]


def test_the_sentence_the_second_reading_copied_from_is_quoted_whatever_it_names(
    grounder: Grounder,
) -> None:
    """The XQuAD passage that answers writes the German term, not Germany ("Đức"), which
    the question names: the model read its answer there, so it is a quote all the same."""
    answer = (
        "Ergänzungsschulen là các trường trung học hoặc sau trung học (không phải đại học), "
        "được điều hành bởi các cá nhân, tổ chức tư nhân hoặc hiếm khi là các nhóm tôn giáo."
    )
    other = "Tuy nhiên, các trường dạy nghề này không thuộc hệ thống giáo dục kép của Đức."
    chunk = Citation(
        source="a.txt",
        title="t",
        snippet="s",
        score=0.9,
        chunk_id="c1",
        text=f"{answer} {other}",
        language="vi",
    )
    verifier = Verifier(grounder, "Các trường trung học tư thục ở Đức được gọi là gì?", [chunk])
    assert "Ergänzungsschulen" not in " ".join(quote(verifier))
    assert quote(verifier, reading="Ergänzungsschulen") == [answer[:-1] + " [1]."]


@pytest.mark.parametrize(
    "sentence",
    [
        "Sources: [1].",
        "The source for this information is.",
        "Đây là nguồn tin từ  và.",
        "Các nhà khoa học đo lượng oxi bằng các phương pháp như [1] và [2].",
        "Những người định cư đã đến nơi [1] và [2] và đã cho họ một bản sắc chung.",
        "Le fonti lo spiegano più avanti.",
        "Las fuentes lo explican más abajo.",
    ],
)
def test_sentences_about_the_sources_are_debris(sentence: str) -> None:
    """Markers read as words stand where the fact should be ("such as [1] and [2]")."""
    assert is_debris(sentence)
    assert not is_debris("According to the source, Musk offered 97.4 billion dollars [1].")
    assert not is_debris("Musk offered 97.4 billion dollars [1], Meta nothing [2].")
    assert not is_debris("The sources [1] and [3] state that Meta will rent Google's servers.")
    assert not is_debris("Siri pourrait s'associer à Gemini, selon les sources [1] et [2].")


def test_cite_places_verified_markers_before_the_full_stop() -> None:
    assert cite("Musk offered money [3].", [1, 2]) == "Musk offered money [1] [2]."


@pytest.mark.slow  # a quality gate over 40 labelled sentences: the full suite runs it
def test_verifier_meets_its_targets_on_the_hand_labelled_sentences(seeded_bot) -> None:
    from bot.eval.evaluation import verifier_scores

    scores = verifier_scores(seeded_bot)
    assert scores is not None and scores["sentences"] >= 36
    assert scores["precision"] >= 0.9 and scores["recall"] >= 0.8, scores


def _yuan(chunk_id: str, text: str) -> Citation:
    """A chunk of a Vietnamese article on the Yuan dynasty (XQuAD's text), with the language
    gap retrieval credits it for an English question."""
    return Citation(
        source="yuan.vi.txt",
        title="t",
        snippet="s",
        score=0.8,
        relevance=0.9,
        chunk_id=chunk_id,
        text=text,
        language="vi",
    )


KUBLAI = "When was Kublai's administration running out of money?"
HOT_TAT_LIET = _yuan(
    "y1",
    "Chính quyền của Hốt Tất Liệt phải đối mặt với những khó khăn tài chính sau năm 1279. "
    "Chiến tranh và các dự án xây dựng đã làm cạn kiệt ngân khố Mông Cổ.",
)
MOTE = _yuan(
    "y2",
    'Nhà sử học Frederick W. Mote đã viết rằng việc sử dụng thuật ngữ "giai cấp xã hội" '
    "cho hệ thống này là sai lệch.",
)
VOCABULARIES = {
    "vi": frozenset(tokenize(HOT_TAT_LIET.text + " " + MOTE.text)),
    "en": frozenset(tokenize("Mote wrote that the Yuan had four classes.")),
}


def test_a_question_name_another_language_never_writes_is_translated_there(
    grounder: Grounder,
) -> None:
    verifier = Verifier(grounder, KUBLAI, [HOT_TAT_LIET], VOCABULARIES)
    # Vietnamese articles never write Kublai: Hốt Tất Liệt is his name there. The question's
    # own language translates nothing: an English name English articles lack is missing.
    assert verifier.translated == {"vi": {"kublai"}}
    assert Verifier(grounder, KUBLAI, [HOT_TAT_LIET]).translated == {}


def test_a_quote_across_languages_is_not_asked_for_a_name_its_language_translates(
    grounder: Grounder,
) -> None:
    assert quote(Verifier(grounder, KUBLAI, [HOT_TAT_LIET])) == []
    quoted = quote(Verifier(grounder, KUBLAI, [HOT_TAT_LIET], VOCABULARIES))
    assert quoted and all(q.endswith("[1].") for q in quoted)


def test_a_translated_name_does_not_count_against_a_sentence_in_another_language(
    grounder: Grounder,
) -> None:
    question = "Who thought that the Yuan's social class system shouldn't be called social classes?"
    # The embedded model's reply on XQuAD. Frederick opens it, so its names are Mote and
    # Yuan: half of them in the chunk is too few, unless Yuan is a name Vietnamese translates.
    sentence = (
        "Frederick W. Mote, a historian, wrote that the Yuan's social class system should not "
        "be called social classes."
    )
    assert Verifier(grounder, question, [MOTE]).check(sentence) == []
    assert Verifier(grounder, question, [MOTE], VOCABULARIES).check(sentence) == [1]


def test_an_attribution_to_a_source_the_passage_never_names_is_not_backed(seeded_bot) -> None:
    question = "How much did Elon Musk offer to buy OpenAI?"
    verifier = Verifier(seeded_bot.grounder, question, seeded_bot.retrieve(question))
    claim = "Musk offered 97.4 billion dollars to buy OpenAI [1]."
    assert verifier.check(claim)
    assert not verifier.check("According to Le Monde, " + claim)
    assert not verifier.check("Le Monde reported that " + claim)


def test_an_attribution_to_the_article_s_own_outlet_is_backed(seeded_bot) -> None:
    question = "How much did Elon Musk offer to buy OpenAI?"
    hits = seeded_bot.retrieve(question)
    claim = "Musk offered 97.4 billion dollars to buy OpenAI [1]."
    published = [hits[0].model_copy(update={"outlet": "Le Figaro"}), *hits[1:]]
    verifier = Verifier(seeded_bot.grounder, question, published)
    assert verifier.check("According to Le Figaro, " + claim) == [1]
    assert not verifier.check("According to Le Monde, " + claim)


def test_a_reply_naming_a_source_s_outlet_does_not_point_to_its_passage(
    grounder: Grounder,
) -> None:
    """An outlet the text names is a fact the reply may point to; the source's own outlet
    (its header) is no part of an answer drawn from its text."""
    reply = "Le Figaro says that Meta paid 5 dollars."
    named = Citation(
        source="a.txt", title="t", snippet="s", score=0.9, chunk_id="c1", text=PAID, language="en"
    )
    told = "According to Le Figaro, Meta also paid 14 billion dollars"
    assert told in quote(Verifier(grounder, PAY, [named]), reply)[0]
    published = named.model_copy(update={"outlet": "Le Figaro"})
    verifier = Verifier(grounder, PAY, [published])
    assert quote(verifier, reply) == quote(verifier)
    assert told not in quote(verifier)[0]


def test_a_translation_may_name_a_month_another_language_numbers(grounder: Grounder) -> None:
    original = "Contrecœur dẫn 500 người rời Pháo đài Venango vào ngày 5 tháng 4 năm 1754."
    written = "Contrecœur led 500 men out of Fort Venango on {} 5, 1754."
    assert faithful(original, written.format("April"), "en", grounder)
    assert not faithful(original, written.format("March"), "en", grounder)


def test_a_month_is_a_number_across_languages(grounder: Grounder) -> None:
    plan = _chunk(1, "Vào ngày 10 tháng 4, Anthropic", "vi")
    verifier = Verifier(grounder, "When did Anthropic launch its $200 plan for Claude?", [plan])
    said = "Anthropic launched a new $200 monthly plan for its chatbot Claude on {} 10 [1]."
    assert verifier.check(said.format("April")) == [1]
    assert verifier.check(said.format("March")) == []


def test_a_name_no_document_writes_is_made_up_where_the_corpus_has_the_sentence_s_language(
    grounder: Grounder, contexts: list[Citation]
) -> None:
    """Three of the sentence's five name words are the French chunk's, which would back it;
    the other two, a person no article mentions, are the model's own. One such word may be a
    translated name (Chine), and in a language no article is written in any may be."""
    seeds = " ".join(path.read_text("utf-8") for path in sorted(SEEDS.iterdir()))
    written = {"en": frozenset(tokenize(seeds)), "fr": frozenset(tokenize(seeds))}
    gore = "Elon Musk offered 97.4 billion dollars for OpenAI, rejected by Al Gore [1]."
    altman = "Elon Musk offered 97.4 billion dollars for OpenAI, rejected by Sam Altman [1]."
    assert Verifier(grounder, MUSK, contexts, written).check(gore) == []
    assert Verifier(grounder, MUSK, contexts, written).check(altman) == [1]
    assert Verifier(grounder, MUSK, contexts, {"fr": written["fr"]}).check(gore) == [1]
    china = "Elon Musk, of China, offered 97.4 billion dollars for OpenAI [1]."
    assert Verifier(grounder, MUSK, contexts, {"en": frozenset()}).invents(china, "en") is False
