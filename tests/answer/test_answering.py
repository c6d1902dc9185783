"""Answer logic with the model's reply scripted by LangChain's fake chat models (tests/fakes.py).

These pin our own behaviour exactly (verification gate, refusal, prompt assembly, streaming
of verified sentences only); test_e2e_embedded.py runs the same path against the real model.
The store, the retriever and the embedder are real.
"""

from __future__ import annotations

import math
import time

import pytest
from langchain_core.messages import AIMessage

from bot.answer.amounts import (
    amounts,
    asked_kind,
    changes_amount,
    currencies,
    in_readers_amounts,
    of_another_kind,
    quantities,
    with_currencies,
    with_whole_amount,
)
from bot.answer.answering import looks_like_refusal
from bot.answer.claims import states_what_is_asked
from bot.answer.extracting import agrees, answers_in, holds, read_sources, reading_prompt
from bot.answer.grounding import Grounder
from bot.answer.judging import yes_probability
from bot.answer.prompts import LATE, chat_prompt, load_prompt, localized, streamed
from bot.api import Bot
from bot.core.patterns import WRITTEN_MAGNITUDES
from bot.core.stats import Durations
from bot.core.text import passage_sentences, respelled, whole_names, without_markers

from ..conftest import until
from ..fakes import (
    CountingEmbeddings,
    EndingModel,
    ExplodingModel,
    StallingModel,
    scripted_model,
)

MUSK = "How much did Elon Musk offer to buy OpenAI?"
SPAN = "97,4 milliards de dollars"
"""What the model copies out of the French seed's passage as the answer."""
LOST = "Musk đã đề nghị mua OpenAI."
"""A Vietnamese translation of that passage that loses the amount: not shown."""


@pytest.mark.parametrize(
    "reply",
    [
        "I don't know.",
        "I cannot answer this from the sources.",
        "Je ne sais pas.",
        "Les sources ne mentionnent pas ce point.",
        "Tôi không biết.",
        "Không có thông tin về điều này trong các nguồn.",
        "Ich weiß es nicht.",
        "No lo sé.",
        "Non lo so.",
        "Não sei.",
        "Ik weet het niet.",
        "Я не знаю.",
        "Nie wiem.",
        "Saya tidak tahu.",
        "我不知道。",
        "わかりません。",
        "모르겠습니다.",
        "لا أعرف.",
    ],
)
def test_model_refusals_are_recognised_in_every_language(reply: str) -> None:
    assert looks_like_refusal(reply)


def test_an_answer_that_merely_mentions_knowing_is_not_a_refusal() -> None:
    assert not looks_like_refusal("Musk offered 97.4 billion dollars [1]. I don't know more.")


def test_prompt_puts_the_fixed_system_prompt_first() -> None:
    messages = (
        chat_prompt("question")
        .invoke({"sources": '<source id="1">S</source>', "question": "Q?", "language": "French"})
        .to_messages()
    )
    assert messages[0].type == "system" and messages[0].content == load_prompt("system")
    assert "Q?" in messages[1].content and "French" in messages[1].content


def test_scripted_backed_reply_is_shown_with_its_marker(scripted_bot) -> None:
    bot = scripted_bot(scripted_model("Musk offered 97.4 billion dollars to buy OpenAI [1]."))
    stream = bot.ask_stream(MUSK)
    pieces = list(stream)
    answer = stream.answer
    assert not answer.refused and answer.unsupported == []
    assert "".join(pieces) == answer.text == "Musk offered 97.4 billion dollars to buy OpenAI [1]."
    assert answer.citations[0].source == "003_ec62060a0c8869d6.txt"


def test_scripted_a_sentence_whose_markers_are_words_is_not_shown(scripted_bot) -> None:
    """A sentence that cites by naming sources ("The sources [1] and [2] state that …") is
    backed, but shown without its markers it would read "The sources  and  state that …"."""
    first = "Musk offered 97.4 billion dollars to buy OpenAI [1]."
    talk = "The sources [1] and [2] state that Sam Altman rejected the 97.4 billion dollar offer."
    answer = scripted_bot(scripted_model(f"{first} {talk}")).ask(MUSK)
    assert answer.text == first and answer.unsupported == [], answer.text


def test_scripted_answer_reads_the_hits_sentence_vectors_from_the_store(seeded_bot) -> None:
    counting = CountingEmbeddings(seeded_bot.embeddings)
    bot = Bot(
        seeded_bot.settings,
        chat_model=scripted_model("Musk offered 97.4 billion dollars to buy OpenAI [1]."),
        store=seeded_bot.store,
        retriever=seeded_bot.retriever,
        embeddings=counting,
        grounder=Grounder(counting, seeded_bot.settings.thresholds),
    )
    answer = bot.ask(MUSK)
    hit_sentences = {s for hit in bot.retrieve(MUSK) for s in passage_sentences(hit.text)}
    assert not answer.refused and answer.citations
    assert hit_sentences and not hit_sentences & set(counting.passages)


def test_scripted_invented_sentence_is_left_out_not_shown(scripted_bot) -> None:
    invented = "Musk offered 320 billion dollars to buy OpenAI in 1999 [1]."
    backed = "Musk offered 97.4 billion dollars to buy OpenAI [1]."
    bot = scripted_bot(scripted_model(f"{backed} {invented}"))
    stream = bot.ask_stream(MUSK)
    shown = "".join(stream)
    assert "320" not in shown and "97.4" in shown
    assert stream.answer.unsupported == ["Musk offered 320 billion dollars to buy OpenAI in 1999."]


def test_scripted_reply_whose_first_claim_is_unbacked_shows_none_of_what_follows(
    scripted_bot,
) -> None:
    # The first claim is the answer: a backed sentence after a wrong one would be shown as
    # the answer, where the model only meant it as its support.
    invented = "Musk offered 320 billion dollars to buy OpenAI in 1999 [1]."
    backed = "Musk offered 97.4 billion dollars to buy OpenAI [1]."
    bot = scripted_bot(scripted_model(f"{invented} {backed}"))
    answer = bot.ask(MUSK)
    assert answer.unsupported == ["Musk offered 320 billion dollars to buy OpenAI in 1999."]
    assert backed not in answer.text and not answer.quoted
    # No passage states the 320 billion the model answered: the closest one is not the answer.
    assert answer.refused and answer.refusal_reason == "closest"
    assert answer.text.startswith(localized("closest", "en").format(origin=" (in French)"))


def test_scripted_unbacked_reply_is_answered_by_the_passage_that_states_its_facts(
    scripted_bot,
) -> None:
    """The passage the reply points to is the answer when the model, asked of it alone,
    copies out words that stand in it; when it finds none there, it is the closest."""
    reply = "Musk offered 97.4 billion dollars in 1802."  # 1802 is wrong: not backed
    closest = scripted_bot(scripted_model(reply, "NONE")).ask(MUSK)
    assert closest.refused and closest.refusal_reason == "closest" and "97,4" in closest.text
    answer = scripted_bot(scripted_model(reply, SPAN)).ask(MUSK)
    assert answer.quoted and not answer.refused
    assert answer.text.startswith(localized("extractive", "en").format(origin=" (in French)"))
    assert "97,4" in answer.text and "[1]" in answer.text
    assert answer.unsupported == [reply]


def test_scripted_words_the_second_reading_copied_answer_the_quote_without_asking_again(
    scripted_bot,
) -> None:
    """The passage the unbacked reply points to holds the words the second reading copied
    out of all the sources: they are its answer, and the time of asking the passage alone
    is left to a translation (the model, asked, would find NONE here)."""
    reply = "Musk offered 97.4 billion dollars in 1802."
    answer = scripted_bot(scripted_model(reply, "NONE", reading=SPAN)).ask(MUSK)
    assert answer.quoted and not answer.refused and "97,4" in answer.text
    assert answer.text.startswith(localized("extractive", "en").format(origin=" (in French)"))


def test_scripted_unbacked_reply_no_passage_corroborates_shows_the_closest_passage(
    scripted_bot,
) -> None:
    bot = scripted_bot(scripted_model("Musk offered 5 dollars in 1802."))
    answer = bot.ask(MUSK)
    assert answer.refused and answer.refusal_reason == "closest" and not answer.quoted
    assert answer.text.startswith(localized("closest", "en").format(origin=" (in French)"))
    assert "97" in answer.text and answer.citations
    assert answer.unsupported == ["Musk offered 5 dollars in 1802."]


def test_scripted_restatement_of_the_question_is_no_answer(scripted_bot) -> None:
    """Every word is the question's own, so the reply corroborates no passage and is not
    shown: the passage stating an amount the question lacks is quoted for a how-much
    question, and is the answer when the model copies that amount out of it."""
    reply = "Elon Musk did offer to buy OpenAI [1]."
    answer = scripted_bot(scripted_model(reply, SPAN)).ask(MUSK)
    assert answer.quoted and not answer.refused and reply not in answer.text
    assert "97,4" in answer.text and answer.unsupported == []


def test_scripted_words_copied_out_of_the_closest_passage_make_it_the_answer(
    scripted_bot,
) -> None:
    """The reply only says the question back; asked of the closest passage alone, the model
    copies out the words that answer, and they stand in it: the passage is the answer, in
    the reader's words around them. When that sentence makes something up, the passage's
    translation is shown if it keeps those words; else its own language is named."""
    who, reply = "Who did Elon Musk offer to buy?", "Elon Musk did offer to buy [1]."
    answered = scripted_bot(scripted_model(reply, "OpenAI", "Elon Musk offered to buy OpenAI."))
    answer = answered.ask(who)
    assert answer.text == "Elon Musk offered to buy OpenAI [1]." and not answer.quoted
    assert not answer.refused and "Rappelons que Musk" in answer.citations[0].passage
    made_up = "Elon Musk offered to buy OpenAI in 2019."  # a year neither gave
    translation = (
        "Remember that Musk made an offer of 97.4 billion dollars to acquire OpenAI, an offer "
        "that Altman rejected with a touch of irony."
    )
    kept = scripted_bot(scripted_model(reply, "OpenAI", made_up, translation)).ask(who)
    assert kept.quoted and not kept.refused and translation[:60] in kept.text
    assert kept.text.startswith(localized("translated", "en").format(origin=" (in French)"))
    # Copied as an amount, the answer is its number, which the translation keeps.
    copied = "97,4 milliards de dollars"
    amount = scripted_bot(scripted_model(reply, copied, made_up, translation)).ask(who)
    assert amount.quoted and translation[:60] in amount.text
    # Copied as French words that name nothing but what the question does, the answer cannot
    # be told in the (faithful) English translation: the passage is shown in French, named.
    for copied in ("une touche d’ironie", "Rappelons que Musk a fait une offre"):
        lost = scripted_bot(scripted_model(reply, copied, made_up, translation)).ask(who)
        assert lost.quoted and not lost.refused and translation[:60] not in lost.text
        assert lost.text.startswith(localized("extractive", "en").format(origin=" (in French)"))


@pytest.mark.parametrize(
    "copied",
    ["Elon Musk", "NONE", "Sam Altman's company"],
    ids=["the question's own words", "none", "words the passage does not hold"],
)
def test_scripted_copied_words_that_do_not_check_out_leave_the_closest_passage(
    scripted_bot, copied: str
) -> None:
    who, reply = "Who did Elon Musk offer to buy?", "Elon Musk did offer to buy [1]."
    answer = scripted_bot(scripted_model(reply, copied)).ask(who)
    assert answer.refused and answer.refusal_reason == "closest" and not answer.quoted


@pytest.mark.parametrize(
    ("copied", "shown"),
    [("97,4 milliards de dollars", True), ("acquérir OpenAI", False)],
    ids=["an amount", "no number"],
)
def test_scripted_copied_words_must_state_the_number_a_how_much_question_asks(
    scripted_bot, copied: str, shown: bool
) -> None:
    """Words copied out of the closest passage make it the answer only when they say what is
    asked, as a sentence of the model's must: how much takes a number."""
    how_much, reply = "How much did Elon Musk offer?", "Elon Musk did offer [1]."
    answered = f"Elon Musk offered {copied}."
    answer = scripted_bot(scripted_model(reply, copied, answered)).ask(how_much)
    assert answer.refused is not shown and (answer.refusal_reason == "closest") is not shown
    assert "97,4 milliards" in answer.text


@pytest.mark.parametrize(
    ("reading", "shown"),
    [
        (SPAN, True),
        ("", True),
        ("NONE", False),
        ("How much did Musk offer? NONE", False),
        ("320 milliards de dollars", False),
    ],
    ids=["agrees", "none came back", "none found", "none after the question", "another amount"],
)
def test_scripted_backed_answer_is_shown_only_when_the_second_reading_agrees(
    scripted_bot, reading: str, shown: bool
) -> None:
    """Asked first for the words of the sources that answer, the model copies out an amount:
    a backed answer that states another, or any answer when it copies out none, is not
    shown; the passage the reply points to is then the closest, unless the model finds the
    answer in it alone. When no reading came back in time, the answer goes unchecked."""
    backed = "Musk offered 97.4 billion dollars to buy OpenAI [1]."
    model = scripted_model(backed, "NONE", reading=reading)
    answer = scripted_bot(model, second_reading=True).ask(MUSK)
    assert (answer.text == backed) is shown and answer.refused is not shown
    assert answer.reading == (None if not reading else "" if "NONE" in reading else reading)
    if not shown:
        assert answer.refusal_reason == "closest" and "97,4" in answer.text
        assert answer.unsupported == [backed.removesuffix(" [1].") + "."]


@pytest.mark.parametrize(
    ("guess", "shown"),
    [
        ("97,4", True),
        ("97,4 milliards de dollars", False),
        ("320", False),
        ("Musk put 97.4 billion on the table", False),
        ("OpenAI", False),
        ("", False),
    ],
    ids=[
        "in the sources",
        "in the sources, not written word for word",
        "not in the sources",
        "in its own words",
        "the question's",
        "none",
    ],
)
def test_scripted_after_a_reading_that_found_none_the_answer_must_write_the_guess(
    scripted_bot, guess: str, shown: bool
) -> None:
    """The model says NONE of sources that answer; barred from saying it, it copies out its
    best guess. A backed answer that writes those words, as they stand in the sources and
    beyond the question, is shown; one that does not is still not, nor one whose guess is
    in the model's own words (measured: 3 non-answers came with 4 right answers). Agreeing
    with the guess's number is not enough: "vào năm 1279" (in 1279), where the passage says
    "sau năm 1279" (after), agrees with it (measured in the forty-seventh step: 1 more right
    answer and 2 more non-answers on the held-out fold). So an answer that tells the guess's
    amount in other words ("97.4 billion dollars") is not shown either: that is the cost."""
    backed = "Musk offered 97.4 billion dollars to buy OpenAI [1]."
    model = scripted_model(backed, "NONE", reading="NONE", guess=guess)
    answer = scripted_bot(model, second_reading=True).ask(MUSK)
    assert (answer.text == backed) is shown and answer.refused is not shown
    assert answer.reading == ""


def test_scripted_an_amount_checked_in_the_articles_words_is_shown_in_the_readers(
    scripted_bot,
) -> None:
    """The model writes the French article's "97,4 milliards de dollars" into its
    Vietnamese answer, word for word as its guess: checked as written, and shown as a
    Vietnamese reader writes it. A number the article states at another magnitude would have
    been no answer (`changes_amount`), so only an amount the chunk states is rewritten."""
    asked = "Elon Musk đã đề nghị bao nhiêu tiền để mua OpenAI?"
    backed = "Elon Musk đã đề nghị 97,4 milliards de dollars để mua OpenAI [1]."
    model = scripted_model(backed, reading="NONE", guess="97,4 milliards de dollars")
    answer = scripted_bot(model, second_reading=True).ask(asked)
    assert answer.text == "Elon Musk đã đề nghị 97,4 tỷ đô la để mua OpenAI [1].", answer.text


def test_scripted_a_date_copied_with_the_articles_month_is_shown_in_the_readers_words(
    scripted_bot,
) -> None:
    """The model copies the English article's "April 10" into its Vietnamese answer: checked
    as written, shown as a Vietnamese reader writes the date."""
    asked = "Anthropic ra mắt gói đăng ký 200 đô la mỗi tháng cho Claude khi nào?"
    backed = "Anthropic ra mắt gói đăng ký 200 đô la mỗi tháng cho Claude vào April 10 [1]."
    model = scripted_model(backed, reading="April 10")
    answer = scripted_bot(model, second_reading=True).ask(asked)
    assert answer.text == backed.replace("April 10", "ngày 10 tháng 4"), answer.text


def test_scripted_copied_words_with_a_date_reach_the_model_in_the_readers_words(
    scripted_bot,
) -> None:
    """The model's own reply is not backed; the words it copied out ("April 10") are put
    into a Vietnamese sentence by the model, which is given the date as a Vietnamese reader
    writes it, to copy: a small model gets a month wrong as it translates."""
    asked = "Anthropic ra mắt gói đăng ký 200 đô la mỗi tháng cho Claude khi nào?"
    wrong = "Anthropic ra mắt gói đăng ký 200 đô la mỗi tháng cho Claude vào năm 1802 [1]."
    composed = "Anthropic ra mắt gói đăng ký 200 đô la mỗi tháng vào ngày 10 tháng 4."
    model = scripted_model(wrong, composed, reading="April 10")
    answer = scripted_bot(model, second_reading=True).ask(asked)
    assert "Answer: ngày 10 tháng 4" in model.asked[-1], model.asked
    assert without_markers(answer.text) == composed and not answer.quoted, answer.text


def test_an_answer_agrees_with_the_copied_numbers_else_names_else_words() -> None:
    who = "Who rejected the offer for OpenAI?"
    assert agrees("Musk offered 97.4 billion dollars [1].", SPAN, MUSK, 0.5)
    assert not agrees("Musk offered 320 billion dollars [1].", SPAN, MUSK, 0.5)
    assert agrees("Lady Gaga has won 6 Grammys [2].", "Six-time Grammy winner", "How many?", 0.5)
    assert agrees("Sam Altman rejected it [1].", "Altman", who, 0.5)
    assert not agrees("Elon Musk rejected it [1].", "Sam Altman", who, 0.5)
    # A source's number the model copies out with the words is no number of the answer.
    mapped = "Who mapped the St. Johns River in 1562?"
    assert agrees("Jean Ribault mapped it in 1562 [1].", "Jean Ribault [1]", mapped, 0.5)
    how = "How can function problems be seen?"
    words = "restated as decision problems"
    assert agrees("Function problems can be restated as decision problems [1].", words, how, 0.5)
    assert not agrees("Function problems are hard to solve [1].", words, how, 0.5)
    # Words that add nothing to the question contradict no answer; none confirm none.
    assert agrees("Sam Altman rejected it [1].", "the offer for OpenAI", who, 0.5)
    assert not agrees("Sam Altman rejected it [1].", "", who, 0.5)


def test_an_answer_agrees_with_a_copied_name_only_whole() -> None:
    """One word of a name is not the name: "Tây Y" (Western medicine) shares a syllable with
    "Tây Tạng" (Tibet). Items of a list are names apart, and one of them is enough."""
    cultures = "Những nền văn hóa nào là một phần của chính quyền Hốt Tất Liệt?"
    copied = "Mông Cổ, Phật giáo Tây Tạng"
    assert not agrees("Văn phòng Tây Y được lập năm 1263 [4].", copied, cultures, 0.5)
    assert agrees("Người Mông Cổ là một phần của chính quyền [1].", copied, cultures, 0.5)
    assert agrees("Có Phật giáo Tây Tạng [2].", copied, cultures, 0.5)
    # Copied out of an English passage for a French reader, a name is spelled the French way.
    licence = "Sous quelle licence les modèles de DeepSeek sont-ils publiés ?"
    assert agrees("Ils sont publiés sous la licence MIT [1].", "MIT License", licence, 0.5)
    assert not agrees("Ils sont publiés sous la licence GPL [1].", "MIT License", licence, 0.5)
    assert agrees("O país é o Brasil [1].", "in Brazil", "Qual é o país?", 0.5)
    assert whole_names("They were Han Chinese, Khitans and Jurchens.") == [
        ["han", "chinese"],
        ["khitans"],
        ["jurchens"],
    ]


def test_the_second_reading_shares_the_answers_prompt_up_to_the_question() -> None:
    """So the server that caches prompts reads the sources once for both requests."""
    inputs = {"sources": '<source id="1">S</source>', "question": "Q?", "language": "French"}
    reading = chat_prompt("read").invoke(inputs).to_messages()
    answering = chat_prompt("question").invoke(inputs).to_messages()
    assert reading[0] == answering[0]
    ends = reading[1].content.index("Q?") + 2
    assert reading[1].content[:ends] == answering[1].content[:ends]
    assert reading_prompt(inputs).endswith(load_prompt("read"))
    # What the server reads anew: the system prompt, counted too, skipped readings that fit.
    assert load_prompt("system") not in reading_prompt(inputs)


def test_copied_words_say_the_question_back_as_words_not_syllables() -> None:
    """Vietnamese writes a word as syllables: "cổ sinh vật học" (paleontology) answers "which
    scientists" though its syllables "vật" and "học" are the question's; the question's own
    run of words ("nhóm nhà khoa học") does not."""
    asked = "Nhóm nhà khoa học nào tìm cách đo lượng oxi trong các động vật biển?"
    passage = "Các nhà cổ sinh vật học đo lường tỷ lệ oxi-18 trong vỏ sinh vật biển."
    assert answers_in("Các nhà cổ sinh vật học", passage, asked, 0.5)
    assert not answers_in("động vật biển", f"{passage} Các động vật biển.", asked, 0.5)
    who = "Who rejected the offer for OpenAI?"
    assert not answers_in("OpenAI", "Altman rejected the offer for OpenAI.", who, 0.5)
    assert answers_in("Altman", "Altman rejected the offer for OpenAI.", who, 0.5)
    # The question's name with a plural s is the question said back, as `agrees` reads it.
    led = "Ai đã lãnh đạo ủy ban do Seaman thành lập?"
    committee = "Seamans' establishment of an ad-hoc committee headed by Nicholas E. Golovin."
    assert not answers_in("Seamans", committee, led, 0.5)
    assert answers_in("Nicholas E. Golovin", committee, led, 0.5)


def test_a_copied_number_stands_in_a_passage_that_writes_it_in_words() -> None:
    gaga = "Six-time Grammy winner Lady Gaga performed the national anthem."
    assert answers_in("6", gaga, "How many Grammys has Lady Gaga won?", 0.5)
    assert holds("Thành phố có hai trường đại học.", "2") and holds(gaga, "six")
    assert not holds(gaga, "7") and not holds("Thành phố có 12 trường.", "2")


def test_scripted_lead_in_to_a_list_is_no_claim(scripted_bot) -> None:
    reply = "Musk made this offer:\n- Musk offered 97.4 billion dollars to buy OpenAI [1]."
    answer = scripted_bot(scripted_model(reply)).ask(MUSK)
    assert not answer.quoted and "this offer" not in answer.text
    assert "Musk offered 97.4 billion dollars to buy OpenAI [1]" in answer.text


def test_scripted_debris_and_markup_never_reach_the_reader(scripted_bot) -> None:
    reply = (
        "Musk offered 97.4 billion dollars to buy OpenAI [1]. Sources: [1]. "
        '<source id="2" file="x.txt"> Musk offered 97.4 billion'
    )
    answer = scripted_bot(scripted_model(reply)).ask(MUSK)
    assert answer.text == "Musk offered 97.4 billion dollars to buy OpenAI [1]."
    assert "<" not in answer.text and "Sources" not in answer.text


def test_scripted_model_refusal_marks_the_answer_refused(scripted_bot) -> None:
    bot = scripted_bot(scripted_model("I don't know."))
    answer = bot.ask("Combien Elon Musk a-t-il proposé pour racheter OpenAI ?")
    assert answer.refused and answer.text == localized("refusal", "fr")
    assert answer.refusal_reason == "declined"
    assert answer.contexts  # the evidence the model saw is still reported


def test_scripted_unbacked_reply_without_a_close_chunk_is_refused_and_kept(scripted_bot) -> None:
    reply = "Musk offered 5 dollars in 1802."
    bot = scripted_bot(scripted_model(reply), min_quote_relevance=0.99)
    answer = bot.ask(MUSK)
    assert answer.refused and answer.refusal_reason == "unbacked"
    assert answer.unsupported == ["Musk offered 5 dollars in 1802."]


def test_scripted_unbacked_reply_is_quoted_on_the_language_debiased_relevance(
    seeded_bot, scripted_bot
) -> None:
    question = "Elon Musk đã đề nghị bao nhiêu tiền để mua OpenAI?"  # the answer is in French
    best = seeded_bot.retriever.retrieve(question)[0]
    assert best.relevance > best.score  # a cross-language cosine understates relevance
    reply = scripted_model("Musk đã đề nghị 97,4 tỷ đô la vào năm 1802.", SPAN)
    bot = scripted_bot(reply, min_quote_relevance=(best.score + best.relevance) / 2)
    answer = bot.ask(question)
    assert answer.quoted and "97,4" in answer.text


def test_out_of_corpus_question_is_refused_without_calling_the_model(scripted_bot) -> None:
    bot = scripted_bot(ExplodingModel(responses=["unused"]), min_relevance=0.81)
    answer = bot.ask("Quelle est la recette de la tarte tatin ?")
    assert answer.refused and answer.citations == [] and answer.language == "fr"
    assert answer.refusal_reason == "off_topic"


def test_names_the_corpus_never_mentions_are_named_in_the_refusal(scripted_bot) -> None:
    bot = scripted_bot(ExplodingModel(responses=["unused"]))
    answer = bot.ask("How much did Apple pay OpenAI to integrate ChatGPT into the iPhone?")
    assert answer.refused and "iPhone" in answer.text and "OpenAI" in answer.text
    assert answer.refusal_reason == "not_mentioned"
    french = bot.ask("Quelle est la date de sortie de GPT-6 ?")
    assert french.refused and "GPT-6" in french.text and french.text.startswith("Les articles")
    cup = bot.ask("Who won the FIFA World Cup 2022?")
    assert cup.text == "The articles do not mention FIFA World Cup 2022."


@pytest.mark.parametrize(
    ("reply", "shown"),
    [
        ("WeChat est utilisée par près de 1,4 milliard de personnes [1].", True),
        # A French "billion" is a thousand times the English one the article writes.
        ("WeChat est utilisée par près de 1,4 billion de personnes [1].", False),
    ],
)
def test_scripted_a_number_given_another_magnitude_is_not_shown(
    scripted_bot, reply: str, shown: bool
) -> None:
    answer = scripted_bot(scripted_model(reply)).ask("Combien de personnes utilisent WeChat ?")
    assert (reply in answer.text) == shown, answer.text
    assert (answer.unsupported == [without_markers(reply)]) != shown


@pytest.mark.parametrize(
    ("question", "reply", "shown"),
    [
        (
            "Hợp đồng điện toán đám mây giữa Meta và Google trị giá bao nhiêu?",
            "Hợp đồng điện toán đám mây giữa Meta và Google trị giá 10 tỷ USD [1].",
            True,
        ),
        # The article's 10 billion is dollars: "10 tỷ năm" (years) is not what it writes.
        (
            "Hợp đồng điện toán đám mây giữa Meta và Google kéo dài bao nhiêu năm?",
            "Hợp đồng điện toán đám mây giữa Meta và Google kéo dài 10 tỷ năm [1].",
            False,
        ),
    ],
    ids=["dollars", "years"],
)
def test_scripted_an_amount_told_as_another_kind_of_thing_is_not_shown(
    scripted_bot, question: str, reply: str, shown: bool
) -> None:
    answer = scripted_bot(scripted_model(reply)).ask(question)
    assert (without_markers(reply) in without_markers(answer.text)) == shown, answer.text


CLOUD_DEAL = "Hợp đồng điện toán đám mây giữa Meta và Google"


@pytest.mark.parametrize(
    ("asked", "composed", "shown"),
    [
        ("trị giá bao nhiêu?", "trị giá 10 tỷ đô la.", True),
        # Without its currency, "10 tỷ" reads as đồng.
        ("trị giá bao nhiêu?", "trị giá 10 tỷ.", False),
        # The article writes 10 billion of dollars: it tells no number of years.
        ("kéo dài bao nhiêu năm?", "kéo dài 10 tỷ năm.", False),
    ],
    ids=["worth", "worth without its currency", "years"],
)
def test_scripted_copied_words_of_another_kind_than_asked_are_no_answer(
    scripted_bot, asked: str, composed: str, shown: bool
) -> None:
    """The model's own reply is not backed, and it copies "10" out of "10 milliards de
    dollars": the answer to how much, with its currency, not to how many years."""
    wrong = f"{CLOUD_DEAL} {asked.split()[0]} 75 tỷ [1]."
    model = scripted_model(wrong, f"{CLOUD_DEAL} {composed}", reading="10")
    answer = scripted_bot(model).ask(f"{CLOUD_DEAL} {asked}")
    assert (not answer.refused and composed in without_markers(answer.text)) == shown, answer.text
    assert shown or "10 tỷ năm" not in answer.text


def test_magnitudes_are_read_in_each_texts_language() -> None:
    french = quantities("une offre de 97,4 milliards de dollars", "fr")
    assert french == {"97.4": {(97_400_000_000, "money")}}
    assert (
        quantities("10 mil millones", "es") == quantities("10 tỷ", "vi") == {"10": {(10**10, "")}}
    )
    assert quantities("1,4 nghìn tỷ", "vi") == quantities("1.4 trillion", "en")
    assert changes_amount(quantities("97,4 миллиона долларов", "ru"), french)
    assert not changes_amount(quantities("97,4 миллиарда долларов", "ru"), french)
    assert not changes_amount(quantities("97.4 billion dollars", "en"), french)
    assert changes_amount(
        quantities("97,4 billions de dollars", "fr"), quantities("97.4 billion", "en")
    )
    assert not changes_amount(quantities("97.4 billion", "en"), quantities("97.4 dollars", "en"))
    # Chinese writes them into the next word: 1.4亿 is 140 million, 14亿 is 1.4 billion.
    wechat = quantities("WeChat is used by nearly 1.4 billion people", "en")
    assert quantities("微信有1.4亿用户", "zh") == {"1.4": {(140_000_000, "")}}
    assert changes_amount(quantities("微信有1.4亿用户", "zh"), wechat)
    assert not changes_amount(quantities("微信有14亿用户", "zh"), wechat)
    assert quantities("3千万人", "zh") == {"3": {(30_000_000, "")}}


@pytest.mark.parametrize(
    ("text", "language", "kind"),
    [
        ("10 milliards de dollars", "fr", "money"),
        ("10 milliards d’euros", "fr", "money"),
        ("$10 billion", "en", "money"),
        ("10 Mrd. Euro", "de", "money"),
        ("10 tỷ USD", "vi", "money"),
        ("10 tỷ đô la", "vi", "money"),
        ("1,4亿美元", "zh", "money"),
        ("1,4億日本円", "ja", "money"),  # 日本 (Japan) is no day
        ("10 tỷ năm", "vi", "time"),
        ("2,5 миллиона лет", "ru", "time"),
        ("3 billion %", "en", "share"),
        ("3 billion users", "en", ""),
        ("3 billion of them", "en", ""),
    ],
)
def test_an_amount_is_read_with_the_kind_its_unit_names(
    text: str, language: str, kind: str
) -> None:
    assert [a.kind for a in amounts(text, language)] == [kind]


@pytest.mark.parametrize(
    ("question", "language", "kind"),
    [
        ("Hợp đồng kéo dài bao nhiêu năm?", "vi", "time"),
        ("Duquesne đã cử bao nhiêu nam giới?", "vi", ""),  # "nam" is a man, "năm" a year
        ("How many years does the deal run?", "en", "time"),
        ("Combien d'années dure le contrat ?", "fr", "time"),
        ("Сколько лет длится контракт?", "ru", "time"),
        ("合同持续多少年？", "zh", "time"),
        ("How many dollars did Musk offer?", "en", "money"),
        ("How many people use WeChat?", "en", ""),
        ("Combien Musk a-t-il offert ?", "fr", ""),
    ],
)
def test_a_question_asks_the_kind_of_amount_its_unit_names(
    question: str, language: str, kind: str
) -> None:
    assert asked_kind(question, language) == kind


def test_copied_numbers_the_passage_writes_as_another_kind_are_of_another_kind() -> None:
    passage = "Un partenariat de 10 milliards de dollars, signé pour six ans."
    assert of_another_kind("10", passage, "fr", "time")
    assert not of_another_kind("10", passage, "fr", "money")
    assert not of_another_kind("10", passage, "fr", "")  # the question names no unit
    assert not of_another_kind("six ans", passage, "fr", "time")  # no amount: not judged


def test_an_amount_told_as_another_kind_of_thing_is_changed() -> None:
    dollars = quantities("un partenariat de 10 milliards de dollars", "fr")
    assert changes_amount(quantities("kéo dài 10 tỷ năm", "vi"), dollars)  # years for dollars
    assert not changes_amount(quantities("trị giá 10 tỷ USD", "vi"), dollars)
    assert not changes_amount(quantities("10 tỷ", "vi"), dollars)  # no unit: any kind
    assert not changes_amount(quantities("10 billion years", "en"), quantities("10 billion", "en"))


@pytest.mark.parametrize(
    ("text", "language", "reader", "written"),
    [
        ("used by nearly 1.4 billion people", "en", "zh", "used by nearly 14亿 people"),
        ("une offre de 97,4 milliards de dollars", "fr", "ru", "une offre de 97,4 млрд долларов"),
        ("une offre de 97,4 milliards de dollars", "fr", "en", "une offre de 97.4 billion dollars"),
        ("une offre de 97,4 milliards d'euros", "fr", "vi", "une offre de 97,4 tỷ euro"),
        ("an offer of $97.4 billion", "en", "vi", "an offer of 97,4 tỷ đô la"),
        ("an offer of US$97.4 billion", "en", "fr", "an offer of US$97,4 milliards"),
        ("65 tỷ đô la", "vi", "zh", "650亿美元"),
        ("a 10 billion pound deal", "en", "fr", "a 10 milliards pound deal"),
        ("1.4 billion people", "en", "fr", "1,4 milliard people"),
        ("2 billion people", "en", "fr", "2 milliards people"),
        ("微信有14亿用户", "zh", "vi", "微信有1,4 tỷ用户"),
        ("3千万人", "zh", "en", "30 million人"),
        ("65 tỷ USD", "vi", "es", "65 mil millones de dólares"),
        ("1.4 billion people", "en", "ko", "1.4 billion people"),
    ],
    ids=[
        *("en-zh", "fr-ru", "fr-en", "fr-vi euros", "en-vi sign", "en-fr sign in a word"),
        *("vi-zh two words", "a currency without the reader's words"),
        *("en-fr one", "en-fr many", "zh-vi", "zh-en", "vi-es", "ko"),
    ],
)
def test_amounts_are_written_in_the_readers_words(
    text: str, language: str, reader: str, written: str
) -> None:
    assert in_readers_amounts(text, language, reader) == written


@pytest.mark.parametrize("reader", sorted(WRITTEN_MAGNITUDES))
def test_an_amount_written_in_a_readers_words_is_read_there_as_the_same(reader: str) -> None:
    text = "3.5 million users, 97.4 billion dollars, 2 billion euros and a 2.5 trillion market"
    told = sorted((a.value, a.currency) for a in amounts(text, "en"))
    written = in_readers_amounts(text, "en", reader)
    assert sorted((a.value, a.currency) for a in amounts(written, reader)) == told, written


def test_a_number_copied_without_its_magnitude_or_currency_gets_them_from_the_passage() -> None:
    passage = "Musk a fait une offre de 97,4 milliards de dollars pour acquérir OpenAI."
    whole = "97,4 milliards de dollars"
    assert with_whole_amount("97,4", passage, "fr") == whole
    assert with_whole_amount("97,4 milliards", passage, "fr") == whole
    assert with_whole_amount(whole, passage, "fr") == whole
    assert with_whole_amount("OpenAI", passage, "fr") == "OpenAI"
    years = "Un contrat de 10 milliards d'années-lumière."  # no currency: the magnitude only
    assert with_whole_amount("10", years, "fr") == "10 milliards"


@pytest.mark.parametrize(
    ("sentence", "language", "shown"),
    [
        ("Musk đã đề nghị 97,4 tỷ [1].", "vi", "Musk đã đề nghị 97,4 tỷ đô la [1]."),
        ("Musk offered 97.4 billion.", "en", "Musk offered 97.4 billion dollars."),
        ("马斯克出价974亿[1]。", "zh", "马斯克出价974亿美元[1]。"),
        # Written with a unit, or with words after it that may be one, or at another value.
        ("Musk đã đề nghị 97,4 tỷ đô la [1].", "vi", "Musk đã đề nghị 97,4 tỷ đô la [1]."),
        ("Có 97,4 tỷ người [1].", "vi", "Có 97,4 tỷ người [1]."),
        ("Musk offered $97.4 billion [1].", "en", "Musk offered $97.4 billion [1]."),
        ("Musk đã đề nghị 10 tỷ [1].", "vi", "Musk đã đề nghị 10 tỷ [1]."),
    ],
    ids=["vi", "en", "zh", "unit", "people?", "sign", "another value"],
)
def test_an_amount_written_without_a_unit_gets_the_currency_its_passage_states(
    sentence: str, language: str, shown: str
) -> None:
    stated = currencies("Musk a fait une offre de 97,4 milliards de dollars.", "fr")
    assert with_currencies(sentence, language, stated) == shown


@pytest.mark.parametrize(
    ("sentence", "written", "shown"),
    [
        ("Rejected by Altmann [1].", "", "Rejected by Altman [1]."),
        ("Sam Atlman rejected it [1].", "", "Sam Altman rejected it [1]."),
        # A plural, a word some document writes, a short name: as the model wrote them.
        ("The Altmans rejected it [1].", "", "The Altmans rejected it [1]."),
        ("Rejected by Altmann [1].", "altmann", "Rejected by Altmann [1]."),
        ("Tim rejected it [1].", "", "Tim rejected it [1]."),
    ],
    ids=["one more letter", "two swapped", "plural", "written", "short"],
)
def test_a_name_no_document_writes_a_letter_off_the_passages_is_spelled_as_it_is(
    sentence: str, written: str, shown: str
) -> None:
    passage = "Sam Altman, whom Tom and Musk know, rejected the offer."
    known = {"the", "rejected", "by", "sam", "it", "tim", written}
    assert respelled(sentence, passage, known.__contains__) == shown


def test_names_in_a_chinese_question_are_its_words_in_other_letters(seeded_bot) -> None:
    # Run into the Chinese around them, they were one name the articles never wrote.
    asked = "Anthropic为新的Claude订阅档位定价多少？"
    assert seeded_bot.retriever.mentions(asked) == (["Anthropic", "Claude"], [])
    assert seeded_bot.retriever.mentions("苹果为GPT-6定价多少？") == ([], ["GPT-6"])


def test_a_name_of_several_words_is_mentioned_or_missing_whole(seeded_bot) -> None:
    # "world" is in the articles and "2022" is not: the name the reader asked about, not
    # its words apart ("The articles mention World, but not 2022, FIFA").
    asked = "Did OpenAI's Sam Altman watch the FIFA World Cup 2022?"
    assert seeded_bot.retriever.mentions(asked) == (
        ["OpenAI", "Sam Altman"],
        ["FIFA World Cup 2022"],
    )


def test_a_rank_the_articles_never_write_does_not_prove_them_silent(seeded_bot) -> None:
    # "the 15th century" is written "c. 1455" in XQuAD's Huguenot article: the rank is not
    # a coined name that every text writes alike, as GPT-6 is.
    assert seeded_bot.retriever.mentions("What did Meta build in the 21st century?") == (
        ["Meta"],
        [],
    )
    assert seeded_bot.retriever.mentions("Is GPT-6 the 2nd model?") == ([], ["GPT-6"])


def test_follow_up_is_condensed_before_retrieval(scripted_bot) -> None:
    bot = scripted_bot(scripted_model(MUSK, "He offered 97.4 billion dollars to buy OpenAI [1]."))
    answer = bot.ask("And how much did he offer?", history=[("Who is Elon Musk?", "A CEO.")])
    assert answer.question == MUSK
    assert answer.contexts[0].source == "003_ec62060a0c8869d6.txt"


def test_scripted_judge_that_finds_no_answer_in_the_sources_refuses_before_answering(
    scripted_bot,
) -> None:
    reply = scripted_model("Musk offered 97.4 billion dollars [1].", verdict="no")
    bot = scripted_bot(reply, judge=True, min_answerable=0.5)
    answer = bot.ask(MUSK)
    assert answer.refused and answer.refusal_reason == "unanswerable"
    assert answer.answerable == 0.0 and answer.text == localized("refusal", "en")


def test_scripted_judge_that_rejects_the_quote_shows_it_as_the_closest_passage(
    scripted_bot,
) -> None:
    reply = "Musk offered 97.4 billion dollars in 1802."
    model = scripted_model(reply, SPAN, verdict="no")
    bot = scripted_bot(model, judge=True, min_quote_confidence=0.5)
    answer = bot.ask(MUSK)
    assert answer.refused and answer.refusal_reason == "judged" and not answer.quoted
    assert answer.text.startswith(localized("closest", "en").format(origin=" (in French)"))
    assert "97" in answer.text and answer.citations and answer.quote_confidence == 0.0


def test_a_quote_in_another_language_names_its_language(scripted_bot) -> None:
    question = "Elon Musk đã đề nghị bao nhiêu tiền để mua OpenAI?"  # the answer is in French
    reply = "Musk đã đề nghị 97,4 tỷ đô la vào năm 1802."
    answer = scripted_bot(scripted_model(reply, SPAN, LOST)).ask(question)
    assert answer.quoted and answer.text.startswith("Các bài báo cho biết (bằng tiếng Pháp):")


def test_scripted_reply_in_another_language_than_the_question_is_not_shown(scripted_bot) -> None:
    """Backed from its first sentence, but not in the reader's language: the passage it
    read answers instead, its language named."""
    question = "Elon Musk đã đề nghị bao nhiêu tiền để mua OpenAI?"  # the answer is in French
    reply = "Musk a proposé 97,4 milliards de dollars pour acquérir OpenAI [1]."
    answer = scripted_bot(scripted_model(reply, SPAN, LOST)).ask(question)
    assert reply not in answer.text and answer.quoted
    assert answer.text.startswith("Các bài báo cho biết (bằng tiếng Pháp):")
    same = scripted_bot(scripted_model(reply)).ask("Combien Musk a-t-il proposé pour OpenAI ?")
    assert same.text == reply and not same.quoted


def test_scripted_short_reply_whose_letters_are_not_the_readers_is_not_shown(
    scripted_bot,
) -> None:
    """Under eight words the statistical model cannot tell a language, but four English
    words without one Vietnamese tone mark are not Vietnamese."""
    question = "Elon Musk đã đề nghị bao nhiêu tiền để mua OpenAI?"
    reply = "Musk has offered 97.4 billion dollars [1]."
    answer = scripted_bot(scripted_model(reply, SPAN, LOST)).ask(question)
    assert reply not in answer.text and answer.quoted
    assert scripted_bot(scripted_model(reply)).ask(MUSK).text == reply


def test_judge_reads_the_yes_probability_from_the_first_tokens_log_probabilities() -> None:
    top = [
        {"token": "Yes", "logprob": math.log(0.6)},
        {"token": " no", "logprob": math.log(0.2)},
        {"token": "Maybe", "logprob": math.log(0.2)},
    ]
    reply = AIMessage("Yes", response_metadata={"logprobs": {"content": [{"top_logprobs": top}]}})
    assert yes_probability(reply) == pytest.approx(0.75)
    assert yes_probability(AIMessage("No.")) == 0.0 and yes_probability(AIMessage("Oui")) == 1.0


def test_a_question_asking_how_much_is_answered_only_by_a_number_it_lacks() -> None:
    assert states_what_is_asked("Musk offered 97.4 billion dollars [1].", MUSK)
    assert not states_what_is_asked("Musk made an offer to buy OpenAI [1].", MUSK)
    assert states_what_is_asked("Le contrat court sur six ans.", "Pour combien d'années ?")
    assert not states_what_is_asked(
        "Hợp đồng kéo dài nhiều năm.", "Hợp đồng kéo dài bao nhiêu năm?"
    )
    assert states_what_is_asked("Meta made an offer.", "What did Meta offer?")  # no number asked


@pytest.mark.parametrize(
    ("question", "answer", "vague"),
    [
        ("Wie viel bot Musk für OpenAI?", "Musk bot 97,4 Milliarden Dollar.", "Musk bot Geld."),
        ("¿Cuántos años dura el contrato?", "El contrato dura seis años.", "Dura mucho."),
        ("Quanti anni dura il contratto?", "Il contratto dura dieci anni.", "Dura a lungo."),
        ("Quantos anos dura o contrato?", "O contrato dura seis anos.", "Dura muito."),
        ("Hoeveel bood Musk?", "Musk bood 97 miljard dollar.", "Musk deed een bod."),
        ("In welchem Jahr wurde OpenAI gegründet?", "OpenAI wurde 2015 gegründet.", "Vor Jahren."),
        ("Сколько предложил Маск?", "Маск предложил 97 млрд.", "Маск сделал предложение."),
        ("Сколько стоит сделка?", "Она стоит несколько миллиардов.", "Сделка дорогая."),
        ("Ile zaoferował Musk?", "Musk zaoferował 97 miliardów.", "Musk złożył ofertę."),
        ("Berapa tawaran Musk?", "Musk menawarkan 97 miliar dolar.", "Musk membuat tawaran."),
        ("马斯克出价多少？", "马斯克出价974亿美元。", "马斯克提出了收购。"),
    ],
)
def test_a_question_asking_how_much_is_told_in_every_language(
    question: str, answer: str, vague: str
) -> None:
    assert states_what_is_asked(answer, question)
    assert not states_what_is_asked(vague, question)


def test_scripted_context_before_the_number_is_held_until_the_number_comes(
    scripted_bot,
) -> None:
    context = "Elon Musk made an offer to buy OpenAI, which Altman rejected with irony [1]."
    number = "Musk offered 97.4 billion dollars to buy OpenAI [1]."
    stream = scripted_bot(scripted_model(f"{context} {number}")).ask_stream(MUSK)
    pieces = list(stream)
    assert pieces == [stream.answer.text] and stream.answer.text.endswith(number)
    alone = scripted_bot(scripted_model(context)).ask(MUSK)
    assert context not in alone.text and (alone.quoted or alone.refused)


def test_scripted_quote_in_another_language_is_shown_in_a_faithful_translation(
    scripted_bot,
) -> None:
    question = "Elon Musk đã đề nghị bao nhiêu tiền để mua OpenAI?"  # the answer is in French
    reply = "Musk đã đề nghị 97,4 tỷ đô la vào năm 1802."  # 1802: not backed
    translation = (
        "Hãy nhớ rằng Musk đã đưa ra lời đề nghị 97,4 tỷ đô la để mua lại OpenAI, "
        "lời đề nghị bị Altman từ chối với một chút mỉa mai."
    )
    unchecked = "Elon Musk đã đề nghị 97,4 tỷ đô la để mua OpenAI?"  # a question: no answer
    answer = scripted_bot(scripted_model(reply, "97,4", unchecked, translation)).ask(question)
    assert answer.quoted and answer.text.startswith(
        localized("translated", "vi").format(origin=" (bằng tiếng Pháp)")
    )
    assert "97,4 tỷ đô la để mua lại OpenAI" in answer.text and answer.text.endswith("[1].")
    wrong = translation.replace("97,4", "9,4")  # a translation that changes the number
    kept = scripted_bot(scripted_model(reply, "97,4", unchecked, wrong)).ask(question)
    assert kept.quoted and "97,4 milliards" in kept.text and "9,4" not in kept.text


STALLED = 1.0
"""BOT_TIMEOUT of the answers whose model stalls: each test waits it out."""


@pytest.mark.slow  # waits out a real deadline
def test_scripted_stall_ends_at_the_deadline_and_the_request_is_closed() -> None:
    """A server that stops sending (a slow prefill on a busy host) does not hold the reader
    past the deadline: the reply ends as late, and its request is closed when it resumes."""
    model = StallingModel(pieces=["Musk offered ", "97.4 billion", " dollars."])
    inputs = {"sources": "[1] Musk offered 97.4 billion dollars.", "question": MUSK}
    messages = chat_prompt("question").invoke(inputs | {"language": "English"})
    pieces = streamed(model, messages, time.monotonic() + 0.2)
    got = []
    with pytest.raises(StopIteration) as ended:
        while True:
            got.append(next(pieces))
    assert ended.value.value == LATE and "".join(got) == "Musk offered 97.4 billion"
    model.release.set()
    until(lambda: model.closed, "the stalled request is closed", 10, every=0.01)
    silent = StallingModel(pieces=["Musk offered 97.4 billion dollars."])
    with pytest.raises(TimeoutError):  # nothing came: the endpoint timed out
        "".join(streamed(silent, messages, time.monotonic() + 0.2))
    silent.release.set()


@pytest.mark.slow  # waits out a real deadline
def test_scripted_answer_stalled_after_its_first_sentence_shows_it_cut_short(
    scripted_bot, monkeypatch
) -> None:
    backed = "Musk offered 97.4 billion dollars to buy OpenAI [1]."
    model = StallingModel(pieces=[backed, " He also", " said more."])
    bot = scripted_bot(model, timeout=3.0)
    # The sources' sentences embedded, and a check as quick as its own: the first sentence is
    # shown well within the second, however busy the host and whatever the last test took.
    scripted_bot(scripted_model(backed)).ask(MUSK)
    monkeypatch.setattr(bot.grounder, "judging", Durations())  # none measured: no margin kept
    stream = bot.ask_stream(MUSK)
    shown = "".join(stream)
    assert not model.closed  # the answer came while the server still stalled
    model.release.set()
    assert shown == backed and stream.answer.cut_short and not stream.answer.refused
    until(lambda: model.closed, "the stalled request is closed", 10, every=0.01)


def test_scripted_sentence_finished_nearer_the_deadline_than_a_check_takes_stops_the_model(
    scripted_bot, monkeypatch
) -> None:
    """Checked while the model writes on, it would be shown past the deadline: the model is
    stopped first, and the sentence checked and shown, cut short."""
    backed = "Musk offered 97.4 billion dollars to buy OpenAI [1]."
    model = StallingModel(pieces=[backed, " He also", " said more."], stall=5.0)
    bot = scripted_bot(model)
    judging = Durations()
    judging.record(60.0)  # a check takes longer than is left
    monkeypatch.setattr(bot.grounder, "judging", judging)
    stream = bot.ask_stream(MUSK)
    shown = "".join(stream)
    assert not model.closed  # the answer did not wait for the rest of the reply
    model.release.set()
    assert shown == backed and stream.answer.cut_short


@pytest.mark.slow  # waits out a real deadline
def test_scripted_reading_that_takes_the_answers_time_is_a_late_refusal_at_once(
    scripted_bot,
) -> None:
    """The reading of the sources stalls, as its prefill does on a host slowed after its
    pace was measured: nothing could be checked in time, so the reader is told so at the
    answer's deadline, not shown a passage checked past it."""
    backed = "Musk offered 97.4 billion dollars to buy OpenAI [1]."
    model = StallingModel(pieces=[backed], stalls_reading=True)
    answer = scripted_bot(model, timeout=STALLED, second_reading=True).ask(MUSK)
    assert not model.read  # the answer did not wait for the stalled reading
    model.release.set()
    assert answer.refused and answer.refusal_reason == "late"
    assert answer.text == localized("late", "en") and answer.citations == []


@pytest.mark.slow  # waits out a real deadline
def test_scripted_answer_of_which_nothing_came_in_time_shows_the_closest_passage(
    scripted_bot,
) -> None:
    model = StallingModel(pieces=["Musk offered 97.4 billion dollars to buy OpenAI [1]."])
    answer = scripted_bot(model, timeout=STALLED).ask(MUSK)
    model.release.set()
    assert answer.refused and answer.refusal_reason == "closest" and "97,4" in answer.text


def test_scripted_translation_cut_off_by_its_token_limit_or_the_deadline_is_not_used() -> None:
    """The limit is what the time left holds: a translation that needs more, or is still
    being written when the deadline passes, is not shown."""
    from bot.answer.translating import translate

    later = time.monotonic() + 60
    cut = AIMessage("Musk a proposé 97,4", response_metadata={"finish_reason": "length"})
    assert translate(EndingModel(messages=iter([cut])), "Musk offered 97.4.", "fr", 5, later) == ""
    whole = AIMessage(
        "Musk a proposé 97,4.\n\nNote : ", response_metadata={"finish_reason": "stop"}
    )
    model = EndingModel(messages=iter([whole, whole]))
    assert translate(model, "Musk offered 97.4.", "fr", 50, later) == "Musk a proposé 97,4."
    assert translate(model, "Musk offered 97.4.", "fr", 50, time.monotonic() - 1) == ""


def test_scripted_reading_cut_off_by_its_token_limit_is_its_whole_words_so_far() -> None:
    """A copy that runs past its tokens (a sentence, where a few words were asked for) is
    still what the model read, and the answer must agree with it, where before it went
    unchecked; a word cut in two is not a copied word, and without a whole one there is no
    reading. In a script written without spaces, the last character is left out."""
    inputs = {"sources": "S", "question": "Luật nào?", "language": "Vietnamese"}
    cut = [
        AIMessage(text, response_metadata={"finish_reason": "length"})
        for text in ("Luật điều chỉnh giáo dục tư nhân ở Nam Ph", "Supercalifragi", "出价974亿美")
    ]
    model, later = EndingModel(messages=iter(cut), reads=True), time.monotonic() + 60
    assert read_sources(model, inputs, 12, later) == "Luật điều chỉnh giáo dục tư nhân ở Nam"
    assert read_sources(model, inputs, 12, later) is None
    # Chinese writes no spaces: a character is the smallest whole piece, and the last may be
    # half a word ("美" of "美元").
    assert read_sources(model, inputs, 12, later) == "出价974亿"


def test_scripted_answers_that_ended_past_their_deadline_bring_the_next_ones_forward(
    scripted_bot,
) -> None:
    """The checks and the closest passage after the model's last word take seconds more on
    a busy host: the next answers' deadlines come the longest recent overrun sooner, so
    whole answers end within BOT_TIMEOUT. Answers that ended before theirs say nothing of it."""
    bot = scripted_bot(scripted_model("unused"), timeout=15.0)
    asked = time.monotonic()
    assert bot._deadline(asked) == pytest.approx(asked + 15.0, abs=0.05)
    bot._overran(time.monotonic() + 5.0)  # ended 5 s early: no overrun
    assert bot._deadline(asked) == pytest.approx(asked + 15.0, abs=0.05)
    for past in (0.0, 3.0, 0.1):
        bot._overran(time.monotonic() - past)
    assert bot._deadline(asked) == pytest.approx(asked + 15.0 - 3.0, abs=0.05)
