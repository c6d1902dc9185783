"""Language identification, so documents are labelled and answers match the asker."""

from __future__ import annotations

import re

import py3langid

_NAMES = {
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
# Letters only Vietnamese uses (French shares â, ê and ô, so they are left out).
_VIETNAMESE_MARKS = re.compile(r"[ăđơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịĩọỏốồổỗộớờởỡợụủũứừửữựỳỵỷỹ]", re.I)
_VIETNAMESE_SHARE = 0.02
_WORD = re.compile(r"[^\W\d_]{2,}")


def detect_language(text: str, default: str = "en") -> str:
    """Return an ISO 639-1 code; short or letterless text falls back to `default`."""
    sample = text[:4000]
    if len(_WORD.findall(sample)) < 2:
        return default
    # Vietnamese tone marks are unambiguous and beat the statistical model on short questions.
    letters = sum(ch.isalpha() for ch in sample)
    if len(_VIETNAMESE_MARKS.findall(sample)) >= max(2, _VIETNAMESE_SHARE * letters):
        return "vi"
    code, _ = py3langid.classify(sample)
    return code if code in _NAMES else default


def vietnamese_by_letters(text: str) -> bool | None:
    """Whether a text too short for the statistical model is Vietnamese, as its lowercase
    words show: two with tone marks are; three or more with none are not ("The Doctor has
    never traveled alone"); None when they do not tell. Names are left out: Vietnamese
    ones keep their marks in any language's sentence."""
    words = [w for w in _WORD.findall(text) if w[0].islower()]
    marked = sum(bool(_VIETNAMESE_MARKS.search(w)) for w in words)
    if marked >= 2:
        return True
    return False if len(words) >= 3 and not marked else None


def language_name(code: str) -> str:
    """English name of a language, as the chat prompt names it to the model."""
    return _NAMES.get(code, "English")
