"""Text logic every stage shares: sentences, folded tokens, names and numbers, `[n]` markers.

One definition of each, so chunking, retrieval, verification and the answer agree on what a
sentence, a word and a name are, in English, French and Vietnamese alike.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from itertools import pairwise, takewhile

from bot.core.language import UNSPACED_LANGUAGES, UNSPACED_RUN, detect_language
from bot.core.patterns import SPELLED_NUMBERS

# A sentence ends at . ! ? … (closing quotes and brackets stay with it), then whitespace, or
# at a line break; a dot after a lone capital (U.S., J. Smith) or a title (St. Johns,
# Dr. Lee) is an abbreviation.
# Chinese and Japanese put no space after their full stops (。！？), so a sentence ends there
# before any next character but a closing quote or bracket.
_SENTENCE_END = re.compile(
    r"(?:(?<=[.!?…。！？])|(?<=[.!?…。！？][\"'»”)\]])|(?<=[.!?…] »))(?<!\b[A-Z]\.)"
    r"(?<!\b(?:St|Mt|Dr|Mr|Ms|Jr|Sr|Ft)\.)(?<!\b(?:Mrs|Gen|Rev|Col|Sgt)\.)(?<!\bProf\.)"
    r"[ \t]+(?=[^\s»”)\]])|[ \t]*\n+[ \t]*"
    r"|(?:(?<=[。！？])|(?<=[。！？][」』”）]))(?=[^\s。！？」』”）\[])"
)
SENTENCE_CLOSERS = tuple(".!?…\"'»”\u2019)]。！？」』）")
"""What a finished sentence ends with: a stop, or a quote or bracket closing one."""
_MARKER_GROUP = r"\[\d+(?:\s*[,;]\s*\d+)*\]"
MARKER = re.compile(r"\[(\d+(?:\s*[,;]\s*\d+)*)\]")
# Markers between two words, read as one of them ("methods such as [1] and [2]").
MARKER_AS_WORD = re.compile(rf"(?<=\w)(?:\s*{_MARKER_GROUP})+\s+(?=[^\W\d_])")
_MARKERS_AFTER_STOP = re.compile(rf"([.!?。！？])[ \t]*((?:{_MARKER_GROUP}[ \t]*)+)")
_SPACE_BEFORE_STOP = re.compile(r"[ \t]+([.,;:!?。，；：！？])")
# l'article, d'OpenAI, qu'il, n'est: the elided article is not a word of its own.
_ELISION = re.compile(r"\b(?:[ldjmnstc]|qu|jusqu|lorsqu|puisqu)['\u2019](?=\w)", re.IGNORECASE)
# 97,4 / 97.4 / 1,4 / 1.4: one number whatever the decimal mark; 10 000 / 10,000 -> 10000.
_THOUSANDS = re.compile(r"(?<=\d)[ ,.\u00a0\u202f](?=\d{3}\b)")
_DECIMAL = re.compile(r"(?<=\d),(?=\d)")
_SPELLED_OUT_LETTERS = {"đ": "d", "ß": "ss", "ł": "l", "œ": "oe", "æ": "ae", "ø": "o"}
_SPELLED_OUT = str.maketrans(_SPELLED_OUT_LETTERS)
_MARK = "Mn"
"""The Unicode category of a combining mark, an accent or a tone: what `fold` drops."""
INFLECTION = 3
"""Letters an inflected language changes at the end of a word (case, number, gender)."""
# Letters of any script are words (Cyrillic, Greek, Arabic, Hangul), and Latin ones are a-z
# once folded; Chinese and Japanese write no spaces, so their runs of characters are read
# as overlapping pairs, the usual stand-in for their words.
_TOKEN = re.compile(r"[a-z0-9]+(?:\.[0-9]+)?|[^\W\d_a-z]+")
_UNSPACED_SPLIT = re.compile(f"({UNSPACED_RUN.pattern})")
_UNSPACED_END = re.compile(f"{UNSPACED_RUN.pattern}$")
_NUMBER = re.compile(r"^\d")
_ORDINAL = re.compile(r"\d+(?:st|nd|rd|th|er|re|e|ème|eme)", re.IGNORECASE)
_WORD = re.compile(r"[^\W_][\w'\u2019.,-]*")
_ELIDED_START = re.compile(r"^(?:[ldjmnstc]|qu)['\u2019]", re.IGNORECASE)
_POSSESSIVE = re.compile(r"['\u2019]s$", re.IGNORECASE)
_SYLLABLE = re.compile(
    r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?[aeiouy]{1,3}(?:ng|nh|ch|[cmnpt])?"
)
_APART = re.compile(r"[,;:()\[\]/\u2013\u2014]")
_CLOSED_UP = re.compile(r"[。！？：；，、」』）]$")
_BULLET = re.compile(r"^\s*(?:[-*•·▪‣]|\d+[.)])\s+")
_LETTERS = re.compile(r"[^\W\d_]+")
RESPELLED_LETTERS = 5
"""A name this long or longer, one letter away from another, is that one spelled another
way; shorter names one letter apart are often two (Tom, Tim)."""


def split_sentences(text: str) -> list[str]:
    """Sentences in order; a `[n]` written just after a full stop stays with its sentence."""
    text = _MARKERS_AFTER_STOP.sub(lambda m: f" {m.group(2).strip()}{m.group(1)} ", text)
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


def passage_sentences(text: str) -> list[str]:
    """A passage's sentences, or the passage whole when it has none: the units the evidence
    picks and the verifier checks, whose vectors ingest stores beside the chunk's."""
    return split_sentences(text) or [text]


def complete_sentences(text: str) -> list[str]:
    """The sentences of text still being written that can no longer change.

    The last sentence is finished only once the next one has begun (or a line break ends
    it), and a marker that may still follow a full stop (`… 2025. [`) keeps it open.
    """
    sentences = split_sentences(text)
    if not sentences or text.endswith("\n"):
        return sentences
    last = sentences.pop()
    if re.fullmatch(r"\[[\d,; ]*\]?", last) and sentences:
        sentences.pop()
    return sentences


def joined(parts: Iterable[str]) -> str:
    """Sentences, or a lead and its passage, as one text: a space between them, none after
    a Chinese or Japanese stop or colon ("微信有14亿用户[3]。它是…"), as those scripts write
    none."""
    text = ""
    for part in filter(None, parts):
        text += gap_after(text) + part
    return text


def gap_after(text: str) -> str:
    """What goes between the text and a sentence after it (see `joined`)."""
    return "" if not text or _CLOSED_UP.search(text) else " "


def unbulleted(line: str) -> str:
    """A list item's text without its bullet or number."""
    return _BULLET.sub("", line)


def first_sentence(text: str) -> str:
    """The opening sentence, where a reply says whether it answers at all."""
    sentences = split_sentences(text)
    return sentences[0] if sentences else ""


def markers(sentence: str) -> list[int]:
    """The source numbers a sentence claims, in order, once each."""
    found = [int(n) for group in MARKER.findall(sentence) for n in re.split(r"\s*[,;]\s*", group)]
    return list(dict.fromkeys(found))


def without_markers(sentence: str) -> str:
    """The sentence as a reader says it: no `[n]`, no space left before its full stop."""
    return _SPACE_BEFORE_STOP.sub(r"\1", MARKER.sub("", sentence)).strip()


def with_markers(sentence: str, numbers: list[int]) -> str:
    """The sentence with `[n]` markers placed before its closing punctuation, closed up
    after Chinese or Japanese ("14亿用户[3]。"), which set no space before them. A closing
    quote or bracket stays with its words, and the punctuation it enclosed follows the
    markers: `strategy" [3].`, not a marker inside the quotation (`strategy [3]."`)."""
    match = re.search(r"([.!?。！？…]+)([\"'»”)\]」』）]*)$", sentence)
    end = match.start() if match else len(sentence)
    gap = "" if _UNSPACED_END.search(sentence[:end]) else " "
    tail = "".join(f"{gap}[{n}]" for n in numbers)
    stops, closers = (match[1], match[2]) if match else ("", "")
    return sentence[:end] + closers + tail + stops


def spliced(text: str, edits: list[tuple[int, int, str]]) -> str:
    """The text with each (start, end) span, in order and apart, replaced by its new words."""
    parts, last = [], 0
    for start, end, new in edits:
        parts += [text[last:start], new]
        last = end
    return "".join([*parts, text[last:]])


def fold(text: str) -> str:
    """Lowercase and strip diacritics (đ -> d), so `Mỹ` and `My` or `Élysée` and `elysee` match;
    the letters Unicode does not decompose (đ, ß, ł, œ) are spelled out: "cœur" is "coeur"
    as a reader types it, not "c ur"."""
    decomposed = unicodedata.normalize("NFD", text.lower().translate(_SPELLED_OUT))
    bare = "".join(ch for ch in decomposed if unicodedata.category(ch) != _MARK)
    return bare if bare.isascii() else unicodedata.normalize("NFC", bare)  # Hangul whole


def marks(word: str) -> str:
    """What `fold` takes off a word, wherever it stands on it: its marks, and the letters it
    spells out. In Vietnamese a mark makes another word: "Bà" (Mrs) is not "Ba" (three),
    nor "Đa" "Da"."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    kept = (
        ch for ch in decomposed if unicodedata.category(ch) == _MARK or ch in _SPELLED_OUT_LETTERS
    )
    return "".join(sorted(kept))


def tokenize(text: str) -> list[str]:
    """Syllables and words of any script (pairs of characters in Chinese and Japanese),
    accent-folded, elisions dropped, numbers in one canonical form."""
    text = plain_numbers(_ELISION.sub(" ", text))
    tokens = _TOKEN.findall(fold(text))
    if text.isascii():
        return tokens
    letters = [t for t in tokens if t.isascii() or t.isalpha()]  # not "½" or "²"
    if not UNSPACED_RUN.search(text):
        return letters
    return [word for token in letters for word in _unspaced_words(token)]


def plain_numbers(text: str) -> str:
    """The text with its numbers in one form, whatever its language's: no separators
    between groups of digits ("40.000", "40,000" and "40 000" are 40000), a decimal point."""
    return _DECIMAL.sub(".", _THOUSANDS.sub("", text))


def one_by_one(text: str) -> str:
    """The text with the characters of a script written without spaces set apart: matched
    character by character, a copy stands in a sentence whose pairs differ at its edges
    ("974亿" in "出价974亿美元")."""
    return UNSPACED_RUN.sub(lambda run: " ".join(run[0]), text)


def _unspaced_words(token: str) -> list[str]:
    """A token as words: itself, or, in a script written without spaces, its pairs of
    characters ("百度发布" is "百度", "度发", "发布")."""
    words = []
    for i, part in enumerate(_UNSPACED_SPLIT.split(token)):  # odd parts are the runs
        if i % 2 and len(part) > 1:
            words += [part[j : j + 2] for j in range(len(part) - 1)]
        elif part:
            words.append(part)
    return words


def whole_words(cut: str) -> str:
    """A text cut off mid-word, less its last word, which may be cut in two: what follows
    its last space, or in a script written without spaces, its last character."""
    text = cut.strip()
    if _UNSPACED_END.search(text):
        return text[:-1].rstrip()
    return text.rpartition(" ")[0]


def word_count(text: str) -> int:
    """How many words a text holds, two characters a word where none are spaced (Chinese,
    Japanese): how long a line is, whatever its script."""
    unspaced = sum(len(run) for run in UNSPACED_RUN.findall(text))
    return len(_spaced(text).split()) + (unspaced + 1) // 2


def stated_numbers(tokens: Iterable[str]) -> tuple[set[str], set[str]]:
    """The numbers tokens write in digits, and those they spell out ("six", "sixth",
    "hai"), as digits: one number, however it is written."""
    told = set(tokens)
    return {t for t in told if is_number(t)}, {
        SPELLED_NUMBERS[t] for t in told if t in SPELLED_NUMBERS
    }


def shingles(text: str, size: int = 3) -> set[str]:
    """The text's runs of `size` folded words: what a copy shares with its original."""
    words = tokenize(text)
    return {" ".join(words[i : i + size]) for i in range(max(1, len(words) - size + 1))}


def is_number(token: str) -> bool:
    """A token that states a quantity, a year or a version."""
    return bool(_NUMBER.match(token))


def is_ordinal(token: str) -> bool:
    """A number with an ordinal ending (15th, 15e, 1er): a rank, which a text may write in
    words, in its own language's ordinal or as a year ("c. 1455" for the 15th century)."""
    return bool(_ORDINAL.fullmatch(token))


def content_words(sentence: str) -> set[str]:
    """Folded words of three letters or more, numbers, and the character pairs of a script
    without spaces: what a claim is made of."""
    return {t for t in tokenize(sentence) if len(t) >= 3 or is_number(t) or UNSPACED_RUN.match(t)}


def names(text: str) -> list[str]:
    """Names and numbers, as written: the words that mean the same in every language.

    Capitalised past a sentence's first word (a capital there says nothing: "This", "The"),
    with an inner capital (OpenAI) or with a digit, without a possessive 's (Kublai's is
    Kublai, not a name "s" any text holds); short all-capital acronyms (AI/IA, US/EU, CEO)
    are words of one language, not names. A sentence's first word counts too when it is
    Vietnamese and the word cannot be a Vietnamese syllable ("Newcastle có bao nhiêu trường
    đại học?"), as every Vietnamese word is one.
    """
    return [name for sentence in split_sentences(text) for name in _sentence_names(sentence)]


def _sentence_names(text: str) -> list[str]:
    """The names and numbers of one sentence (see `names`)."""
    keep: list[str] = []
    uncased = bool(UNSPACED_RUN.search(text)) and detect_language(text) in UNSPACED_LANGUAGES
    for i, word in enumerate(_WORD.findall(_spaced(text))):
        word = _POSSESSIVE.sub("", _ELIDED_START.sub("", word.strip(".,'\u2019-")))
        if not word or (word.isupper() and len(word) <= 3 and word.isalpha()):
            continue
        inner_caps = any(ch.isupper() for ch in word[1:])
        capital = word[0].isupper() and (i > 0 or uncased or _foreign_first_word(word, text))
        if has_digit(word) or inner_caps or capital:
            keep.append(word)
    return keep


def _spaced(text: str) -> str:
    """The text with its runs of Chinese or Japanese as spaces: they write no capitals to
    tell a name by, so the names among them are the words in other letters, and in a
    Chinese or Japanese sentence the first one too ("Meta正在与OpenAI洽谈" names Meta and
    OpenAI)."""
    return UNSPACED_RUN.sub(" ", text)


def whole_names(text: str) -> list[list[str]]:
    """Each name as the folded tokens of its words, run together ("Tây Tạng" is one name,
    not two): a list's items are apart ("Mông Cổ, Phật giáo" holds two)."""
    return [tokenize(" ".join(run)) for run in _name_runs(text, [text])]


def name_runs(text: str) -> list[str]:
    """Each name as the text writes it, its words together: "FIFA World Cup 2022" is one
    name to tell a reader of, not four; a sentence's end or a run of Chinese or Japanese
    parts two ("Anthropic为新的Claude")."""
    parts = [part for sentence in split_sentences(text) for part in UNSPACED_RUN.split(sentence)]
    return [" ".join(run) for run in _name_runs(text, parts)]


def _name_runs(text: str, pieces: list[str]) -> list[list[str]]:
    """The runs of words, in the pieces of the text, whose tokens are all of the text's
    `names`, each word as written without an elision before it or a possessive after it; a
    list's items are apart, and a possessive ends a name ("OpenAI's Sora" is two)."""
    named = set(tokenize(" ".join(names(text))))
    runs: list[list[str]] = []
    for part in (part for piece in pieces for part in _APART.split(piece)):
        run: list[str] = []
        for word in _WORD.findall(part):
            word = _ELIDED_START.sub("", word.rstrip(".,"))
            written = _POSSESSIVE.sub("", word)
            tokens = tokenize(written)
            is_name = bool(tokens) and named.issuperset(tokens)
            run += [written] if is_name else []
            if run and (not is_name or written != word):
                runs.append(run)
                run = []
        runs += [run] if run else []
    return runs


def is_syllable(word: str) -> bool:
    """Whether a word could be one Vietnamese syllable (onset, vowels, final consonant)."""
    return bool(_SYLLABLE.fullmatch(fold(word)))


def _foreign_first_word(word: str, text: str) -> bool:
    """A Vietnamese text that opens on a word no Vietnamese syllable spells opens on a name."""
    return not is_syllable(word) and detect_language(text) == "vi"


def written_names(text: str) -> set[str]:
    """The folded tokens of the words a text writes as names (a capital or a digit, anywhere):
    the "who" of "people who" is not the "Who" of "Doctor Who"."""
    words = [_POSSESSIVE.sub("", w.rstrip(".,")) for w in _WORD.findall(_spaced(text))]
    return _name_tokens([w for w in words if has_digit(w) or any(ch.isupper() for ch in w)], text)


def is_coined(name: str) -> bool:
    """A name no language translates: it has a digit or a capital inside (GPT-6, iPhone);
    a capital after a hyphen starts a compound's next word (États-Unis, Jean-Pierre)."""
    inner = [ch for prev, ch in pairwise(name) if prev != "-"]
    return has_digit(name) or any(ch.isupper() for ch in inner)


def stems(tokens: Iterable[str]) -> set[str]:
    """Folded names without a plural or possessive s: Normans and Norman are one name."""
    return set(map(stem, tokens))


def stem(token: str) -> str:
    """The folded token without a plural or possessive s (`stems`)."""
    return token[:-1] if len(token) > 4 and token.endswith("s") else token


def reinflects(copied: str, written: str) -> bool:
    """Whether a copied token is the written one, or it with another ending: a small model
    copying out "57 миллиардов долларов" writes "57 миллиарды долларов". Both may change
    up to `INFLECTION` letters after a longer shared stem; numbers and Vietnamese syllables,
    whose last letters make another word ("nguồn" is not "người"), must match whole."""
    if copied == written:
        return True
    if not (copied.isalpha() and written.isalpha()) or is_syllable(copied) or is_syllable(written):
        return False
    shared = zip(copied, written, strict=False)
    stem = sum(1 for _ in takewhile(lambda pair: pair[0] == pair[1], shared))
    return stem > INFLECTION and max(len(copied), len(written)) - stem <= INFLECTION


def respelled(sentence: str, passage: str, written: Callable[[str], bool]) -> str:
    """The sentence with each capitalised word no document writes (`written` tells, of a
    folded token) spelled as the passage spells the one name a letter away from it: the
    model's "Altmann" for the passage's "Altman" is a slip, not another person. A plural
    ("Normans" of "Norman") is the same name, as the model wrote it."""
    spellings = {fold(w): w for w in _LETTERS.findall(passage) if w[0].isupper()}

    def as_spelled(match: re.Match[str]) -> str:
        word, token = match[0], fold(match[0])
        if not word[0].isupper() or written(token):
            return word
        close = [w for t, w in spellings.items() if _respells(token, t)]
        return close[0] if len(close) == 1 else word

    return _LETTERS.sub(as_spelled, sentence)


def _respells(token: str, name: str) -> bool:
    """A letter off the name, and not it or its plural."""
    return stem(token) != stem(name) and spelled_alike(token, name)


def spelled_alike(a: str, b: str) -> bool:
    """Two folded words that are one name: the same, or, long enough, one letter apart
    ("License" and "licence", "Brazil" and "Brasil", a slip's "Altmann" and "Altman")."""
    return a == b or (min(len(a), len(b)) >= RESPELLED_LETTERS and _one_letter_apart(a, b))


def _one_letter_apart(a: str, b: str) -> bool:
    """One letter added, dropped, changed, or two side by side swapped."""
    if len(a) > len(b):
        a, b = b, a
    if a == b or len(b) - len(a) > 1:
        return False
    i = next((k for k, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), len(a))
    if len(a) < len(b):
        return a[i:] == b[i + 1 :]
    swapped = a[i : i + 2] == b[i : i + 2][::-1] and a[i + 2 :] == b[i + 2 :]
    return a[i + 1 :] == b[i + 1 :] or swapped


def name_tokens(text: str) -> set[str]:
    """The folded tokens of a text's names and numbers, for matching against evidence."""
    return _name_tokens(names(text), text)


def _name_tokens(named: list[str], text: str) -> set[str]:
    """The folded tokens of the `named` words of a text, each read alone, and of every number
    as the text writes it ("3 500 000" is one, "687 and 760" two): joined, the words ran two
    numbers into one ("687760")."""
    words = {token for name in named for token in tokenize(name) if not has_digit(token)}
    return words | set(filter(has_digit, tokenize(text)))


def has_digit(token: str) -> bool:
    """Whether a word writes a digit: a number, or a name such as "A4"."""
    return any(ch.isdigit() for ch in token)


def snippet(text: str, limit: int = 240) -> str:
    """The opening of a text, cut at a word boundary: what a list of sources shows."""
    flat = " ".join(text.split()).lstrip("…")
    if len(flat) <= limit:
        return flat
    return flat[:limit].rsplit(" ", 1)[0] + "…"
