"""Language identification, so documents are labelled and answers match the asker."""

from __future__ import annotations

import re

import py3langid

LANGUAGES = {
    "en": "English",
    "fr": "French",
    "vi": "Vietnamese",
    "de": "German",
    "es": "Spanish",
    "it": "Italian",
    "pt": "Portuguese",
    "nl": "Dutch",
    "zh": "Chinese",
    "ja": "Japanese",
    "ko": "Korean",
    "ru": "Russian",
    "ar": "Arabic",
    "pl": "Polish",
    "id": "Indonesian",
}
"""The languages told apart (py3langid's others read as the default), by ISO 639-1 code, with
their English names; `prompts/reader/` has each one's texts."""
# Letters only Vietnamese uses (French shares â, ê and ô, so they are left out).
_VIETNAMESE_MARKS = re.compile(r"[ăđơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịĩọỏốồổỗộớờởỡợụủũứừửữựỳỵỷỹ]", re.I)
_VIETNAMESE_SHARE = 0.02
_WORD = re.compile(r"[^\W\d_]{2,}")
_KANA_LETTERS, _HAN_LETTERS = "\u3040-\u30ff", "\u3400-\u9fff"
_HANGUL_LETTERS = "\uac00-\ud7af\u1100-\u11ff"
_KANA = re.compile(f"[{_KANA_LETTERS}]")
_HANGUL = re.compile(f"[{_HANGUL_LETTERS}]")
_UNSPACED = re.compile(f"[{_KANA_LETTERS}{_HAN_LETTERS}]")
UNSPACED_RUN = re.compile(f"[{_KANA_LETTERS}{_HAN_LETTERS}]+")
"""Kana and Han: Chinese and Japanese write words without spaces between them."""
UNSPACED_LANGUAGES = ("zh", "ja")
"""The languages written in them, with no spaces and no capitals."""
_EAST_ASIAN = re.compile(f"[{_KANA_LETTERS}{_HAN_LETTERS}{_HANGUL_LETTERS}]")
_SCRIPT_SHARE = 0.5
"""East Asian letters a text needs to be in an East Asian language: most of its letters, as
names in Latin letters ("OpenAI") do not change the language of a Chinese question."""
_READ_AS = {"ms": "id"}
"""py3langid reads short Indonesian as Malay, a language the bot does not tell apart."""
_OWN_SCRIPTS = ((re.compile("[\u0400-\u04ff]"), "ru"), (re.compile("[\u0600-\u06ff]"), "ar"))
"""Scripts only one told language writes (Cyrillic: Russian; Arabic: Arabic): a short text
py3langid reads as a language the bot does not tell apart (short Russian as Bulgarian) is
the one its script names."""
_LEFT = 3
SWITCH_WORDS = 8
"""Texts shorter than this are too short for the statistical model to tell their language;
only their letters can."""


def load_language_model() -> None:
    """Load py3langid's model now: it loads on first use, 0.7 s of a first question."""
    py3langid.classify("load")


def detect_language(text: str, default: str = "en") -> str:
    """Return an ISO 639-1 code; short or letterless text falls back to `default`."""
    sample = text[:4000]
    if len(_WORD.findall(sample)) < 2 and len(_UNSPACED.findall(sample)) < 2:
        return default
    told = _without_names(sample)
    # Vietnamese tone marks are unambiguous and beat the statistical model on short questions.
    letters = sum(ch.isalpha() for ch in told)
    if _makes_up(_VIETNAMESE_MARKS, told, letters, _VIETNAMESE_SHARE):
        return "vi"
    # So are the scripts of Japanese (kana), Korean (Hangul) and Chinese (Han alone), which
    # py3langid splits into dialects the bot does not name.
    if _makes_up(_EAST_ASIAN, told, letters, _SCRIPT_SHARE):
        return "ja" if _KANA.search(told) else "ko" if _HANGUL.search(told) else "zh"
    code, _ = py3langid.classify(told)
    code = _READ_AS.get(code, code)
    if code in LANGUAGES:
        return code
    return _by_script(told, letters, default) if len(told.split()) < SWITCH_WORDS else default


def _by_script(text: str, letters: int, default: str) -> str:
    """The told language whose script makes up most of a short text's letters, else
    `default`."""
    for script, code in _OWN_SCRIPTS:
        if _makes_up(script, text, letters, _SCRIPT_SHARE):
            return code
    return default


def _makes_up(letters_of: re.Pattern[str], text: str, letters: int, share: float) -> bool:
    """Whether the letters `letters_of` matches are two or more and `share` of the text's
    `letters`: what tells a language by its letters alone."""
    return len(letters_of.findall(text)) >= max(2, share * letters)


def _without_names(text: str) -> str:
    """The text less its names and numbers (capitalised past its first word, or with a
    digit): they are written alike in every language, and a short sentence dense with them
    ("Carl Wilhelm Scheele discovered oxygen in Uppsala, Sweden, in 1773") reads as Dutch,
    one with Vietnamese names ("the Battle of Bạch Đằng (1288)") as Vietnamese.
    The whole text when fewer than three other words are left to tell its language by.
    Chinese and Japanese run their words and names together ("百度发布了Ernie X1"): their
    runs are words apart, so a Chinese text's names are left out as another's are."""
    if _UNSPACED.search(text):
        text = " ".join(UNSPACED_RUN.sub(r" \g<0> ", text).split())
    first, *rest = text.split(" ", 1)
    words = [w for w in rest[0].split() if not _is_name(w)] if rest else []
    return f"{first} {' '.join(words)}" if len(words) >= _LEFT else text


def _is_name(word: str) -> bool:
    """A capitalised word or one with a digit ("Uppsala", "1773", "GPT-5")."""
    letters = [ch for ch in word if ch.isalnum()]
    return bool(letters) and (letters[0].isupper() or any(ch.isdigit() for ch in letters))


def vietnamese_by_letters(text: str) -> bool | None:
    """Whether a text too short for the statistical model is Vietnamese, as its lowercase
    words show: two with tone marks are; three or more with none are not ("The Doctor has
    never traveled alone"); None when they do not tell. Names are left out: Vietnamese
    ones keep their marks in any language's sentence."""
    words = common_words(text)
    marked = sum(bool(_VIETNAMESE_MARKS.search(w)) for w in words)
    if marked >= 2:
        return True
    return False if len(words) >= 3 and not marked else None


def common_words(text: str) -> list[str]:
    """The words of two letters or more that start lowercase: what tells a language by its
    letters, as names (written alike in every language) do not."""
    return [w for w in _WORD.findall(text) if w[0].islower()]


def writes_vietnamese(text: str) -> bool:
    """Whether a text writes a word only Vietnamese spells (names aside): one such word
    in a sentence for a reader of another language is a phrase left untranslated."""
    return any(_VIETNAMESE_MARKS.search(w) for w in common_words(text))


def written_in(text: str, language: str) -> bool:
    """Whether a text may be in `language`: by the statistical model when it is long enough,
    by its letters alone when it is short (a short text they do not tell may be)."""
    if len(text.split()) >= SWITCH_WORDS:
        return detect_language(text) == language
    vietnamese = vietnamese_by_letters(text)
    return vietnamese is None or vietnamese == (language == "vi")


def language_name(code: str) -> str:
    """English name of a language, as the chat prompt names it to the model."""
    return LANGUAGES.get(code, "English")
