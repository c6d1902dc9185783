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


def language_name(code: str) -> str:
    """English name of a language, as the chat prompt names it to the model."""
    return _NAMES.get(code, "English")
