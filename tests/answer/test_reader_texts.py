"""What the reader sees around an answer (refusals, frames, provenance) in their language:
every language the bot detects has every text, with the same names to fill in."""

from __future__ import annotations

import string
import tomllib

import pytest

from bot.answer.prompts import localized, localized_group, origin, prompts_dir
from bot.core.language import LANGUAGES

ENGLISH = tomllib.loads((prompts_dir() / "reader" / "en.toml").read_text("utf-8"))


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _flat(texts: dict) -> dict[str, str]:
    """Every text by its key, groups' texts as `group.kind`."""
    return {
        f"{key}.{kind}" if isinstance(value, dict) else key: text
        for key, value in texts.items()
        for kind, text in (value.items() if isinstance(value, dict) else [("", value)])
    }


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_every_detected_language_has_every_text_with_the_same_fields(language: str) -> None:
    path = prompts_dir() / "reader" / f"{language}.toml"
    texts = _flat(tomllib.loads(path.read_text("utf-8")))
    english = _flat(ENGLISH)
    assert texts.keys() == english.keys()
    for key, text in english.items():
        left_as_written = key.startswith("dates.") and not texts[key]  # no form for it
        assert left_as_written or _fields(texts[key]) == _fields(text), (language, key)
    assert len(localized_group("dates", language)["months"].split(",")) == 12
    assert set(localized_group("languages", language)) == set(LANGUAGES)


def test_a_german_reader_gets_german_frames_and_refusals() -> None:
    assert localized("refusal", "de").startswith("Ich habe")
    assert origin("fr", "de") == " (auf Französisch)"
    assert localized("extractive", "de").format(origin=origin("fr", "de")) == (
        "Die Artikel schreiben (auf Französisch):"
    )


def test_a_language_without_texts_reads_english() -> None:
    assert localized("refusal", "sw") == ENGLISH["refusal"]
    assert origin("vi", "sw") == " (in Vietnamese)"
    assert localized_group("provenance", "sw") == ENGLISH["provenance"]
