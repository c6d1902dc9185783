"""Phrase patterns that the answer stage looks for, in the 15 languages the bot tells apart
(`bot.core.language.LANGUAGES`): English, French and Vietnamese first, then German, Spanish,
Italian, Portuguese, Dutch, Russian, Polish, Indonesian, Chinese, Japanese, Korean and Arabic.

Each list is a set of case-blind regular expressions, one alternative per line.
"""

from __future__ import annotations

import re


def _any(*alternatives: str) -> re.Pattern[str]:
    """One case-blind pattern matching any of the alternatives."""
    return re.compile("|".join(f"(?:{a})" for a in alternatives), re.IGNORECASE)


# A reply saying the sources do not answer: matched on its first sentence.
REFUSAL = _any(
    r"\bI (?:do not|don't|cannot|can't) (?:know|answer|find)\b",
    r"\b(?:not|no information) (?:mentioned|provided|stated|available|found) in the "
    r"(?:provided )?(?:sources|context|documents|articles)\b",
    r"\bthe (?:sources|context|documents|articles) (?:do not|don't) "
    r"(?:mention|contain|say|provide|answer)\b",
    r"\bje ne (?:sais|peux) pas\b",
    r"\bles sources ne (?:mentionnent|contiennent|disent|précisent) pas\b",
    r"\baucune information\b",
    r"\btôi không (?:biết|thể trả lời|tìm thấy)\b",
    r"\bkhông có thông tin\b",
    r"\bich weiß (?:es )?nicht\b|\bkeine informationen\b",
    r"\bdie quellen (?:nennen|erwähnen) \w+ nicht\b",
    r"\bno (?:lo )?sé\b|\bno hay información\b|\blas fuentes no (?:mencionan|dicen|indican)\b",
    r"\bnon (?:lo )?so\b|\bnessuna informazione\b|\ble fonti non (?:menzionano|dicono|indicano)\b",
    r"\bnão (?:o )?sei\b|\bnão há informaç\w+|\bas fontes não (?:mencionam|dizem|indicam)\b",
    r"\bik weet (?:het )?niet\b|\bgeen informatie\b|\bde bronnen (?:noemen|vermelden) \w+ niet\b",
    r"\bя не знаю\b|\bнет (?:никакой )?информации\b|\bв источниках (?:нет|не)\b",
    r"\bnie wiem\b|\bbrak informacji\b|\bźródła nie (?:podają|wspominają)\b",
    r"\bsaya tidak tahu\b|\btidak ada informasi\b",
    r"\bsumber(?:-sumber)? tidak (?:menyebutkan|menjelaskan)\b",
    r"我不知道|没有(?:相关)?信息|沒有(?:相關)?資訊|わかりません|分かりません|情報はありません",
    r"모르겠습니다|모릅니다|정보가 없습니다|لا أعرف|لا أعلم|لا توجد معلومات",
)

# Sentences in a document that talk to the assistant, not the reader: withheld from the
# model and from quotes (they stay in the store and in the sources the chat shows).
INJECTION = _any(
    r"\b(ignore|disregard|forget|override)\b.{0,40}\b(instructions?|prompts?|rules)\b",
    r"\b(reveal|print|show|repeat|output|leak)\b.{0,30}\bsystem prompt\b",
    r"\byou are now\b|\bfrom now on,? you\b|\bnew instructions\b",
    r"\b(visit|go to|click)\b.{0,40}\bhttps?://\S+.{0,60}\b(prize|reward|gift|claim)\b",
    r"\b(claim|win)\b.{0,30}\b(prize|reward|gift)\b.{0,60}https?://",
    r"\b(ignore[zr]?|oublie[zr]?)\b.{0,40}\b(instructions?|consignes?|r[èe]gles)\b",
    r"\b(ignorier\w*|vergiss|vergessen sie)\b.{0,40}\b(anweisung\w*|regeln)\b",
    r"\b(ignor[ae]\w*|olvid[ae]\w*|dimentica\w*|esque[cç]\w*)\b.{0,40}"
    r"\b(instrucci\w+|istruzion\w+|instruç\w+|reglas|regole|regras)\b",
    r"\b(negeer|vergeet)\b.{0,40}\b(instructies|regels)\b",
    r"\b(игнорируй\w*|забудь\w*)\b.{0,40}\b(инструкци\w+|правил\w*)",
    r"\b(zignoruj|zapomnij)\b.{0,40}\b(instrukcj\w+|zasad\w*)",
    r"\b(abaikan|lupakan)\b.{0,40}\b(instruksi|perintah|aturan)\b",
    r"(忽略|无视|無視).{0,20}(指令|指示|说明|說明|规则|規則)|지시.{0,20}무시|무시.{0,20}지시",
    r"تجاهل.{0,40}(التعليمات|الأوامر)",
    r"\b(r[ée]v[èe]le[zr]?|affiche[zr]?)\b.{0,30}\b(prompt|invite) syst[èe]me\b",
    r"\bb[ỏo] qua\b.{0,40}\b(h[ưu][ớo]ng d[ẫa]n|ch[ỉi] d[ẫa]n|l[ệe]nh)\b",
    r"\bti[ếe]t l[ộo]\b.{0,30}\b(l[ờo]i nh[ắa]c|prompt) h[ệe] th[ốo]ng\b",
)

# Words for "the sources": a sentence with one of them and no name is about the sources.
# The Russian "article" by its endings: the verb "стать" (become) shares its stem.
_RU_ARTICLE = r"\bстать(?:я|и|ю|е|ей|ях|ям|ями)\b"
SOURCE_TALK = _any(
    r"\bsources?\b",
    r"\bcontexte?\b",
    r"\barticles?\b",
    r"\bdocuments?\b",
    r"\bnguồn\b",
    r"\bbài (?:báo|viết)\b",
    r"\btài liệu\b",
    r"\b(?:quellen|die quelle|der quelle|fuentes?|fonti|fontes?|bronnen|sumber)\b",
    r"\b(?:artikel\w*|artículos?|articol[oi]|artigos?|artykuł\w*|dokument\w*|documentos?)\b",
    r"\b(?:источник|документ|źródł)\w*|\bdokumen\b",
    _RU_ARTICLE,
    r"来源|來源|资料|資料|出典|情報源|출처|자료|المصادر|مصدر",
)

# Markup or chat-template fragments in a reply: the model is copying its prompt.
MARKUP = re.compile(r"</?[a-z][\w-]*[\s>/=]|<\|[\w]+\|>|```|&lt;|\bsource id=", re.IGNORECASE)

# "According to X", "X reported": who a sentence says stated it. X, a run of capitalised
# words, must be a name the backing source writes, or the attribution is made up.
_NAME_RUN = (
    r"((?:[A-ZÀ-ÝĐА-ЯЁ][\w'\u2019.&-]*)"
    r"(?:\s+(?:(?:de|du|of|von|van|del|di|da)\s+)?[A-ZÀ-ÝĐА-ЯЁ][\w'\u2019.&-]*)*)"
)
ATTRIBUTION = (
    re.compile(
        r"(?i:\b(?:according to|reported by|cited by|selon|d['\u2019]après|theo|dẫn lời|"
        # "secondo" and "segundo" are "second" after an article.
        r"laut|según|(?<!il )(?<!al )(?<!un )secondo|(?<!o )(?<!el )(?<!um )(?<!un )segundo|"
        r"volgens|по данным|по словам|согласно|według|menurut)"
        r"(?:\s+(?:the|le|la|les|l['\u2019]|báo|tờ|trang|der|dem|el|il|lo|o|a|de))?\s+)" + _NAME_RUN
    ),
    re.compile(
        _NAME_RUN
        + r"\s+(?i:reported|reports|report|said|says|say|wrote|writes|write|told|announced|"
        r"a rapporté|rapporte|a indiqué|a déclaré|a affirmé|a écrit|écrit|"
        r"đưa tin|cho biết|cho hay|khẳng định|viết|"
        r"berichtete|berichtet|meldete|sagte|schrieb|erklärte|informó|dijo|afirmó|escribió|"
        r"ha riferito|ha detto|ha scritto|ha dichiarato|informou|disse|afirmou|escreveu|"
        r"meldde|zei|schreef|сообщил\w*|заявил\w*|написал\w*|poinformował\w*|powiedział\w*|"
        r"napisał\w*|melaporkan|mengatakan|menulis)\b"
    ),
)

# How many, how much: an amount or a count.
_AMOUNT = (
    r"\bhow (?:many|much)\b",
    r"\bcombien\b",
    r"\bbao nhiêu\b",
    r"\bmấy\b",
    r"\bwie viele?\b|\bcu[áa]nt[oa]s?\b|\bquant[oiae]s?\b|\bhoeveel\b",
    r"\bсколько\b|\bile\b|\bilu\b|\bberapa\b",
    r"多少|几个|幾個|いくつ|いくら|何人|몇|얼마|\bكم\b",
)

# A question that asks how many or how much: the unit right after says of what.
AMOUNT = _any(*_AMOUNT)

# A question that asks for a quantity or a year: its answer states a number.
QUANTITY = _any(
    *_AMOUNT,
    r"\bhow (?:long|old|far)\b",
    r"\b(?:what|which) (?:year|percentage|percent)\b",
    r"\b(?:quelle?|en quelle) (?:année|âge|pourcentage)\b",
    r"\bnăm nào\b",
    r"\bwie (?:alt|lange|weit)\b|\bwelche[mrs]? (?:jahr|prozentsatz)\b",
    r"\bqué (?:año|porcentaje)\b|\bquale (?:anno|percentuale)\b|\bin che anno\b",
    r"\bque (?:ano|percentagem|porcentagem)\b|\bin welk jaar\b|\bhoe (?:oud|lang|ver)\b",
    r"\bв каком году\b|\bкакой процент\b|\bw którym roku\b|\bjaki procent\b",
    r"\btahun berapa\b|哪一年|哪年|何年|몇 년|في أي (?:عام|سنة)",
)

# Numbers written as words (folded) and the digits they stand for, cardinal and ordinal (a
# translation may write "sixth" as "thứ 6"), in the languages written in Latin letters (the
# others' words are not tokens); not the words that are as often another word once folded
# (une, một; ba: Mrs, tư: from, năm: year, sáu: after, bảy: fly, tám: heart; dos: back, tres:
# very, tre: young, due, elf, once, sei, tien: money, dua: race) or a name (Lima, Otto).
_CARDINALS = {
    **dict.fromkeys(["two", "deux", "hai", "zwei", "twee", "dwa", "dwie", "dois", "duas"], "2"),
    **dict.fromkeys(["three", "trois", "drei", "drie", "trzy", "tiga"], "3"),
    **dict.fromkeys(
        ["four", "quatre", "bon", "vier", "cuatro", "quattro", "quatro", "cztery", "empat"], "4"
    ),
    **dict.fromkeys(["five", "cinq", "funf", "vijf", "cinco", "cinque", "piec"], "5"),
    **dict.fromkeys(["six", "sechs", "zes", "seis", "szesc", "enam"], "6"),
    **dict.fromkeys(
        ["seven", "sept", "sieben", "zeven", "siete", "sette", "sete", "siedem", "tujuh"], "7"
    ),
    **dict.fromkeys(["eight", "huit", "acht", "ocho", "oito", "osiem", "delapan"], "8"),
    **dict.fromkeys(
        ["nine", "chin", "neun", "negen", "nueve", "nove", "dziewiec", "sembilan"], "9"
    ),
    **dict.fromkeys(
        ["ten", "dix", "muoi", "zehn", "diez", "dieci", "dez", "dziesiec", "sepuluh"], "10"
    ),
    **dict.fromkeys(["eleven", "onze", "undici", "jedenascie", "sebelas"], "11"),
    **dict.fromkeys(
        ["twelve", "douze", "zwolf", "twaalf", "doce", "dodici", "doze", "dwanascie"], "12"
    ),
    **dict.fromkeys(
        ["twenty", "vingt", "zwanzig", "twintig", "veinte", "venti", "vinte", "dwadziescia"], "20"
    ),
    **dict.fromkeys(
        ["thirty", "trente", "dreissig", "dertig", "treinta", "trenta", "trinta", "trzydziesci"],
        "30",
    ),
}
_ORDINALS = {
    **dict.fromkeys(["second", "deuxieme"], "2"),
    **dict.fromkeys(["third", "troisieme"], "3"),
    **dict.fromkeys(["fourth", "quatrieme"], "4"),
    **dict.fromkeys(["fifth", "cinquieme"], "5"),
    **dict.fromkeys(["sixth", "sixieme"], "6"),
    **dict.fromkeys(["seventh", "septieme"], "7"),
    **dict.fromkeys(["eighth", "huitieme"], "8"),
    **dict.fromkeys(["ninth", "neuvieme"], "9"),
    **dict.fromkeys(["tenth", "dixieme"], "10"),
    **dict.fromkeys(["eleventh"], "11"),
    **dict.fromkeys(["twelfth"], "12"),
}
# A date's month, named, is the number another language writes ("April 5" is "ngày 5 tháng 4",
# "January 1756" is "tháng 1/1756"); not May and mai, as often a verb and "tomorrow", nor a
# month that is as often a name or another word (Marco, Julio, Mayo, Mei, Maja; marca: brand).
_MONTHS = {
    **dict.fromkeys(
        [
            "january",
            "janvier",
            "januar",
            "januari",
            "enero",
            "gennaio",
            "janeiro",
            "styczen",
            "stycznia",
        ],
        "1",
    ),
    **dict.fromkeys(
        [
            "february",
            "fevrier",
            "februar",
            "februari",
            "febrero",
            "febbraio",
            "fevereiro",
            "luty",
            "lutego",
        ],
        "2",
    ),
    **dict.fromkeys(["march", "mars", "marz", "maart", "marzo", "maret", "marzec"], "3"),
    **dict.fromkeys(["april", "avril", "abril", "aprile", "kwiecien", "kwietnia"], "4"),
    **dict.fromkeys(["maggio", "maio"], "5"),
    **dict.fromkeys(
        ["june", "juin", "juni", "junio", "giugno", "junho", "czerwiec", "czerwca"], "6"
    ),
    **dict.fromkeys(["july", "juillet", "juli", "luglio", "julho", "lipiec", "lipca"], "7"),
    **dict.fromkeys(
        ["august", "aout", "agosto", "augustus", "agustus", "sierpien", "sierpnia"], "8"
    ),
    **dict.fromkeys(
        ["september", "septembre", "settembre", "setembro", "septiembre", "wrzesien", "wrzesnia"],
        "9",
    ),
    **dict.fromkeys(
        [
            "october",
            "octobre",
            "oktober",
            "octubre",
            "ottobre",
            "outubro",
            "pazdziernik",
            "pazdziernika",
        ],
        "10",
    ),
    **dict.fromkeys(
        ["november", "novembre", "noviembre", "novembro", "listopad", "listopada"], "11"
    ),
    **dict.fromkeys(
        [
            "december",
            "decembre",
            "dezember",
            "diciembre",
            "dicembre",
            "dezembro",
            "desember",
            "grudzien",
            "grudnia",
        ],
        "12",
    ),
}
SPELLED_NUMBERS = _CARDINALS | _ORDINALS | _MONTHS
MONTH_NUMBERS = {name: int(number) for name, number in _MONTHS.items()}
"""A month's name, folded, in any of the languages above, to its number."""

# What a magnitude word after a number multiplies it by, as a power of ten, in each language
# (folded): "billion" is 10^9 in English and 10^12 in French and German, where 10^9 is a
# "milliard". Words in a row add up: "mil millones" (10^9), "nghìn tỷ" (10^12), and so do
# the characters Chinese and Japanese write right after the digits ("1.4亿", "3千万").
MAGNITUDES: dict[str, dict[str, int]] = {
    "en": {"thousand": 3, "million": 6, "millions": 6, "billion": 9, "billions": 9}
    | {"trillion": 12, "trillions": 12},
    "fr": {"mille": 3, "million": 6, "millions": 6, "milliard": 9, "milliards": 9}
    | {"billion": 12, "billions": 12},
    "vi": {"nghin": 3, "ngan": 3, "trieu": 6, "ty": 9},
    "de": {"tausend": 3, "million": 6, "millionen": 6, "mio": 6, "milliarde": 9}
    | {"milliarden": 9, "mrd": 9, "billion": 12, "billionen": 12},
    "es": {"mil": 3, "millon": 6, "millones": 6, "billon": 12, "billones": 12},
    "it": {"mila": 3, "mille": 3, "milione": 6, "milioni": 6, "miliardo": 9, "miliardi": 9},
    "pt": {"mil": 3, "milhao": 6, "milhoes": 6, "bilhao": 9, "bilhoes": 9},
    "nl": {"duizend": 3, "miljoen": 6, "miljoenen": 6, "miljard": 9, "miljarden": 9}
    | {"biljoen": 12},
    "ru": {"тысяча": 3, "тысячи": 3, "тысяч": 3, "тыс": 3, "миллион": 6, "миллиона": 6}
    | {"миллионов": 6, "млн": 6, "миллиард": 9, "миллиарда": 9, "миллиардов": 9, "млрд": 9}
    | {"триллион": 12, "триллиона": 12, "триллионов": 12, "трлн": 12},
    "pl": {"tysiac": 3, "tysiace": 3, "tysiecy": 3, "tys": 3, "milion": 6, "miliony": 6}
    | {"milionow": 6, "mln": 6, "miliard": 9, "miliardy": 9, "miliardow": 9, "mld": 9},
    "id": {"ribu": 3, "juta": 6, "miliar": 9, "triliun": 12},
    "zh": {"千": 3, "万": 4, "萬": 4, "亿": 8, "億": 8},
    "ja": {"千": 3, "万": 4, "億": 8, "兆": 12},
}

# Money, by currency: the words (folded, but Vietnamese with its marks) each language writes
# for one after an amount, so that an amount is written again in the reader's words whole,
# its currency too: "97,4 milliards de dollars" is "97,4 tỷ đô la", not "97,4 tỷ de dollars"
# (and a bare "10 tỷ" reads as đồng).
CURRENCIES: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {"usd": ("dollar", "dollars", "usd"), "eur": ("euro", "euros", "eur")}
    | {"gbp": ("pound", "pounds")},
    "fr": {"usd": ("dollar", "dollars", "usd"), "eur": ("euro", "euros", "eur")}
    | {"gbp": ("livres",)},
    "vi": {"usd": ("usd", "đô", "đô la"), "eur": ("euro",), "gbp": ("bảng",), "vnd": ("đồng",)},
    "de": {"usd": ("dollar", "usd"), "eur": ("euro", "eur"), "gbp": ("pfund",)},
    "es": {"usd": ("dolares", "usd"), "eur": ("euros",), "gbp": ("libras",)},
    "it": {"usd": ("dollari", "usd"), "eur": ("euro",), "gbp": ("sterline",)},
    "pt": {"usd": ("dolares", "usd"), "eur": ("euros",), "gbp": ("libras",), "brl": ("reais",)},
    "nl": {"usd": ("dollar", "usd"), "eur": ("euro",), "gbp": ("pond",)},
    "ru": {"usd": ("долларов", "доллара"), "eur": ("евро",), "rub": ("рублей", "рубля")},
    "pl": {"usd": ("dolarow", "dolary"), "eur": ("euro",), "pln": ("zlotych",)},
    "id": {"usd": ("dolar", "usd"), "eur": ("euro",), "idr": ("rupiah",)},
    "zh": {"usd": ("美元",), "eur": ("欧元",), "gbp": ("英镑",), "cny": ("元",)},
    "ja": {"usd": ("ドル",), "eur": ("ユーロ",), "jpy": ("円", "日本円")},
}
CURRENCY_OF: dict[str, dict[str, str]] = {
    language: {word: code for code, words in currencies.items() for word in words}
    for language, currencies in CURRENCIES.items()
}
CURRENCY_SIGNS = {"$": "usd", "€": "eur", "£": "gbp"}
"""Signs written before an amount that say which money it is."""

# How each language writes a currency after an amount with a magnitude word, its link word
# included ("milliards de dollars", "Mrd. Dollar"). A currency not here keeps its own words.
WRITTEN_CURRENCIES: dict[str, dict[str, str]] = {
    "en": {"usd": "dollars", "eur": "euros"},
    "fr": {"usd": "de dollars", "eur": "d'euros"},
    "vi": {"usd": "đô la", "eur": "euro"},
    "de": {"usd": "Dollar", "eur": "Euro"},
    "es": {"usd": "de dólares", "eur": "de euros"},
    "it": {"usd": "di dollari", "eur": "di euro"},
    "pt": {"usd": "de dólares", "eur": "de euros"},
    "nl": {"usd": "dollar", "eur": "euro"},
    "ru": {"usd": "долларов", "eur": "евро"},
    "pl": {"usd": "dolarów", "eur": "euro"},
    "id": {"usd": "dolar", "eur": "euro"},
    "zh": {"usd": "美元", "eur": "欧元"},
    "ja": {"usd": "ドル", "eur": "ユーロ"},
}

# What an amount counts, from the unit word a language writes after it (folded, but
# Vietnamese with its marks: "năm" is a year, "nam" a man), so that "10 tỷ năm" (years) is
# not "10 milliards de dollars": money (`CURRENCIES`), time or a share. A link word may
# stand between ("milliards de dollars"). Chinese and Japanese run the unit into the amount
# ("亿美元"). An amount whose unit is not here is of no known kind, and any kind matches it.
UNITS: dict[str, dict[str, str]] = {
    language: dict.fromkeys(CURRENCY_OF.get(language, {}), "money")
    | {word: kind for kind, words in kinds.items() for word in words}
    for language, kinds in {
        "en": {
            "time": ("year", "years", "month", "months", "week", "weeks", "day", "days"),
            "share": ("percent",),
        },
        "fr": {"time": ("ans", "annees", "mois", "semaines", "jours")},
        "vi": {"time": ("năm", "tháng", "tuần", "ngày")},
        "de": {
            "time": ("jahre", "jahren", "monate", "monaten", "wochen", "tage", "tagen"),
            "share": ("prozent",),
        },
        "es": {"time": ("anos", "meses", "semanas", "dias")},
        "it": {"time": ("anni", "mesi", "settimane", "giorni")},
        "pt": {"time": ("anos", "meses", "semanas", "dias")},
        "nl": {"time": ("jaar", "jaren", "maanden", "weken", "dagen"), "share": ("procent",)},
        "ru": {
            "time": ("лет", "года", "месяцев", "месяца", "недель", "дней"),
            "share": ("процентов", "процента"),
        },
        "pl": {"time": ("lat", "miesiecy", "tygodni", "dni"), "share": ("procent",)},
        "id": {"time": ("tahun", "bulan", "minggu", "hari"), "share": ("persen",)},
        "zh": {"time": ("年", "个月", "周", "天")},
        "ja": {"time": ("年", "か月", "ヶ月", "週間", "日間")},
    }.items()
}
UNIT_LINKS: dict[str, frozenset[str]] = {
    "en": frozenset({"of"}),
    "fr": frozenset({"de", "d"}),
    "es": frozenset({"de"}),
    "it": frozenset({"di"}),
    "pt": frozenset({"de"}),
    "nl": frozenset({"van"}),
}
UNIT_SIGNS = {"$": "money", "€": "money", "£": "money", "¥": "money", "%": "share"}
"""Signs any language writes before an amount (money) or after it (a share)."""

# How each language writes a magnitude after a number, as a power of ten: (singular,
# plural). Russian, Polish and German agree the word with the number, so their abbreviation
# is written; 10^9 is two words in Spanish ("mil millones") and 10^12 in Vietnamese.
WRITTEN_MAGNITUDES: dict[str, dict[int, tuple[str, str]]] = {
    "en": {6: ("million", "million"), 9: ("billion", "billion"), 12: ("trillion", "trillion")},
    "fr": {6: ("million", "millions"), 9: ("milliard", "milliards"), 12: ("billion", "billions")},
    "vi": {6: ("triệu", "triệu"), 9: ("tỷ", "tỷ"), 12: ("nghìn tỷ", "nghìn tỷ")},
    "de": {6: ("Mio.", "Mio."), 9: ("Mrd.", "Mrd."), 12: ("Billion", "Billionen")},
    "es": {6: ("millón", "millones"), 9: ("mil millones", "mil millones")}
    | {12: ("billón", "billones")},
    "it": {6: ("milione", "milioni"), 9: ("miliardo", "miliardi")},
    "pt": {6: ("milhão", "milhões"), 9: ("bilhão", "bilhões")},
    "nl": {6: ("miljoen", "miljoen"), 9: ("miljard", "miljard"), 12: ("biljoen", "biljoen")},
    "ru": {6: ("млн", "млн"), 9: ("млрд", "млрд"), 12: ("трлн", "трлн")},
    "pl": {6: ("mln", "mln"), 9: ("mld", "mld")},
    "id": {6: ("juta", "juta"), 9: ("miliar", "miliar"), 12: ("triliun", "triliun")},
    "zh": {4: ("万", "万"), 8: ("亿", "亿"), 12: ("万亿", "万亿")},
    "ja": {4: ("万", "万"), 8: ("億", "億"), 12: ("兆", "兆")},
}

# Words that state a quantity as digits do: the cardinals, magnitudes and halves, and
# "neuf", which says a number when one is asked for, but is as often "new" as 9.
NUMBER_WORDS = frozenset(_CARDINALS) | {
    *("dozen", "hundred", "thousand", "million", "billion", "trillion", "half"),
    *("neuf", "cent", "mille", "milliard", "moitie"),
    *("tram", "nghin", "ngan", "trieu", "ty"),
    *("hundert", "tausend", "millionen", "milliarde", "milliarden", "billionen", "halfte"),
    *("cien", "ciento", "cientos", "mil", "millon", "millones", "billon", "billones", "mitad"),
    *("cento", "milione", "milioni", "miliardo", "miliardi"),
    *("cem", "milhao", "milhoes", "bilhao", "bilhoes", "metade"),
    *("honderd", "duizend", "miljoen", "miljoenen", "miljard", "miljarden", "helft"),
    *("sto", "tysiac", "tysiace", "tysiecy", "milion", "miliony", "milionow"),
    *("miliard", "miliardy", "miliardow", "ratus", "ribu", "juta", "miliar", "triliun"),
    *("тысяча", "тысячи", "тысяч", "миллион", "миллиона", "миллионов", "миллиард"),
    *("миллиарда", "миллиардов", "триллион", "триллиона", "триллионов"),
}

# A question about an article itself, not about what it reports: the article word must be
# there too ("who wrote the article on …", not "who wrote the letter"). In every language the
# bot tells apart: English, French, Vietnamese, then German, Spanish, Italian, Portuguese,
# Dutch, Russian, Polish, Indonesian, Chinese, Japanese, Korean and Arabic (words in scripts
# without spaces match without \b).
ARTICLE_WORD = _any(
    r"\b(?:article|story|piece|report|post)s?\b",
    r"\bl['\u2019]article\b",
    r"\bbài(?: báo| viết)?\b",
    r"\b(?:artikel|bericht|beitrag)(?:s|es|e|en)?\b",
    r"\b(?:artículo|noticia|reportaje)s?\b",
    r"\b(?:articol[oi]|notizi[ae])\b|\bl['\u2019]articolo\b",
    r"\b(?:artigo|notícia|reportagem|matéria)s?\b",
    r"\b(?:stuk|berichten|artikelen)\b",
    _RU_ARTICLE,
    r"\b(?:заметк|публикаци)\w*",
    r"\b(?:artykuł|tekst)\w*",
    r"\b(?:berita|tulisan)\b",
    r"文章|报道|報導|新闻|新聞|記事|기사|보도|مقال|التقرير|الخبر",
)
ASKS_AUTHOR = _any(
    r"\bwho (?:wrote|authored|is the author of)\b",
    r"\b(?:the )?author of\b",
    r"\bqui a écrit\b",
    r"\bauteure? de\b",
    r"\bai (?:đã )?viết\b",
    r"\btác giả\b",
    r"\bwer hat\b.{0,80}\b(?:geschrieben|verfasst)\b|\b(?:autorin|verfasser(?:in)?)\b",
    r"\bquién (?:escribió|firmó|es (?:el autor|la autora))\b",
    r"\bchi ha (?:scritto|firmato)\b|\bautore\b|\bautrice\b",
    r"\bquem (?:escreveu|assinou|é (?:o autor|a autora))\b",
    r"\bwie (?:schreef|heeft\b.{0,80}\bgeschreven)\b|\b(?:auteur|schrijver) van\b",
    r"\bкто (?:написал|автор)\b|\bавтор\w*",
    r"\bkto (?:napisał|jest autorem)\b|\bautor(?:em|ka|ką)?\b",
    r"\bsiapa (?:yang )?(?:menulis|penulis)\b|\bpenulis\b",
    r"谁写|誰寫|作者|誰が書|著者|筆者|執筆者|누가 썼|누가 작성|작성자|필자|من كتب|كاتب",
)
ASKS_OUTLET = _any(
    r"\b(?:which|what) (?:outlet|newspaper|paper|publication|site|website|media|magazine)\b",
    r"\bwho published\b",
    r"\bqu(?:el|elle) (?:média|journal|site|publication|magazine)\b",
    r"\bqui a publié\b",
    r"\b(?:báo|trang|tờ|tạp chí) nào\b",
    r"\bwelche[rs]? (?:zeitung|medium|website|seite|zeitschrift|magazin|portal)\b",
    r"\bwer hat\b.{0,80}\bveröffentlicht\b",
    r"\bqu[ée] (?:medio|periódico|diario|sitio|web|revista|publicación)\b",
    r"\bqui[ée]n (?:publicó|ha publicado)\b",
    r"\bquale (?:giornale|testata|sito|rivista|quotidiano)\b|\bchi ha pubblicato\b",
    r"\bqu(?:e|al) (?:jornal|veículo|site|revista|publicação)\b|\bquem publicou\b",
    r"\bwelke? (?:krant|medium|site|website|tijdschrift|blad)\b",
    r"\bwie (?:publiceerde|heeft\b.{0,80}\bgepubliceerd)\b",
    r"\b(?:как\w+|в как\w+) (?:издани|газет|сайт|журнал|СМИ)\w*|\bкто опубликовал\b",
    r"\b(?:jak\w+|któr\w+|w jak\w+) (?:gazet|serwis|portal|medium|czasopism|dzienni)\w*",
    r"\bkto opublikował\b",
    r"\b(?:media|koran|situs|surat kabar|majalah) apa\b|\bsiapa yang menerbitkan\b",
    r"(?:哪家|哪个|哪個|什么|什麼)(?:媒体|媒體|报纸|報紙|网站|網站|杂志|雜誌)|谁发表|誰發表",
    r"(?:どの|どこの)(?:新聞|媒体|メディア|サイト|雑誌)|どこが(?:掲載|発表|公開)",
    r"(?:어느|어떤) (?:언론|매체|신문|사이트|잡지)",
    r"(?:أي|أية) (?:صحيفة|وسيلة|موقع|مجلة)|من نشر",
)
ASKS_PUBLISHED = _any(
    r"\bwhen was\b.{0,120}\bpublished\b",
    r"\b(?:what|which) (?:date|day)\b.{0,120}\bpublished\b",
    r"\bpublication date\b",
    r"\bquand\b.{0,120}\bpublié",
    r"\bdate de (?:publication|parution)\b",
    r"\b(?:đăng|xuất bản)\b.{0,20}\b(?:khi nào|ngày nào|lúc nào|bao giờ)\b",
    r"\bngày (?:đăng|xuất bản)\b",
    r"\bwann\b.{0,120}\b(?:veröffentlicht|erschienen)\b|\b(?:veröffentlichungs|erscheinungs)datum\b",
    r"\bcu[áa]ndo\b.{0,120}\bpublic(?:ó|ado|ada|aron)\b|\bfecha de publicación\b",
    r"\bquando\b.{0,120}\b(?:pubblicat[oaie]|publicad[oa]s?)\b",
    r"\bdata di pubblicazione\b|\bdata de publicação\b",
    r"\bwanneer\b.{0,120}\b(?:gepubliceerd|verschenen)\b|\bpublicatiedatum\b",
    r"\bкогда\b.{0,120}\b(?:опубликован|вышл|вышел)\w*|\bдат\w* публикации\b",
    r"\bkiedy\b.{0,120}\b(?:opublikowan|ukazał)\w*|\bdat\w* publikacji\b",
    r"\bkapan\b.{0,120}\b(?:diterbitkan|dipublikasikan|terbit)\b|\btanggal terbit\b",
    r"(?:什么时候|什麼時候|何时|何時|哪天|哪一天).{0,40}(?:发表|發表|发布|發布|刊登|出版)",
    r"(?:发表|發表|发布|發布)(?:日期|时间|時間)|いつ.{0,40}(?:公開|掲載|発表|出版)",
    r"(?:公開|掲載|発行)日|언제.{0,40}(?:게재|발행|공개|출간)|(?:발행|게재)일",
    r"متى.{0,120}نُ?شر|تاريخ النشر",
)

# A question after the newest news: newer articles are read first.
LATEST = _any(
    r"\b(?:latest|most recent|newest|recently|lately|what['’]?s new)\b",
    r"\b(?:dernière?s?|plus récente?s?|récemment|quoi de neuf)\b",
    r"\b(?:mới nhất|gần đây nhất|gần đây|có gì mới)\b",
    r"\b(?:neueste|jüngste|kürzlich|zuletzt)\w*",
    r"\b(?:más reciente|recientemente|últim[oa]s?)\b",
    r"\b(?:più recent[ei]|recentemente|ultim[oaie])\b",
    r"\b(?:mais recentes?|recentemente)\b",
    r"\b(?:nieuwste|meest recente|onlangs)\b",
    r"\b(?:последн|новейш|недавн)\w*",
    r"\b(?:najnowsz|niedawn)\w*",
    r"\b(?:terbaru|terkini|baru-baru ini)\b",
    r"最新|最近|최신|최근|أحدث|مؤخر",
)

# Relative periods a question names, counted from today (see `periods`): days, weeks, months.
TODAY = _any(
    r"\btoday\b",
    r"\baujourd.hui\b",
    r"\bhôm nay\b",
    r"\b(?:heute|hoy|oggi|hoje|vandaag|сегодня|dzi(?:ś|siaj)|hari ini)\b",
    r"今天|今日|本日|오늘|اليوم",
)
YESTERDAY = _any(
    r"\byesterday\b",
    r"\bhôm qua\b",
    r"\b(?:gestern|ayer|ieri|ontem|gisteren|вчера|wczoraj|kemarin)\b",
    r"昨天|昨日|어제|أمس|البارحة",
)
FRENCH_YESTERDAY = _any(r"\bhier\b")
"""French "hier" (yesterday), apart: German and Dutch write it for "here"."""
HIER_MEANS_HERE = frozenset({"de", "nl"})
THIS_WEEK = _any(
    r"\bthis week\b",
    r"\bcette semaine\b",
    r"\btuần này\b",
    r"\bdiese[rn]? woche\b|\besta semana\b|\bquesta settimana\b|\bdeze week\b",
    r"\bна этой неделе\b|\bw tym tygodniu\b|\bminggu ini\b",
    r"这周|本周|這週|本週|今週|이번 주|هذا الأسبوع",
)
LAST_WEEK = _any(
    r"\b(?:last|past) week\b",
    r"\bla semaine (?:dernière|passée)\b",
    r"\btuần (?:trước|qua)\b",
    r"\b(?:letzte|vergangene)[rn]? woche\b|\bla semana pasada\b|\bsettimana scorsa\b",
    r"\bsemana passada\b|\bvorige week\b|\bна прошлой неделе\b",
    r"\bw (?:zeszłym|ubiegłym|poprzednim) tygodniu\b|\bminggu lalu\b",
    r"上周|上週|先週|지난주|الأسبوع الماضي",
)
THIS_MONTH = _any(
    r"\bthis month\b",
    r"\bce mois(?:-ci)?\b",
    r"\btháng này\b",
    r"\bdiese[mn]? monat\b|\beste mes\b|\bquesto mese\b|\beste mês\b|\bdeze maand\b",
    r"\bв этом месяце\b|\bw tym miesiącu\b|\bbulan ini\b",
    r"这个月|本月|這個月|今月|이번 달|هذا الشهر",
)
LAST_MONTH = _any(
    r"\b(?:last|past) month\b",
    r"\ble mois (?:dernier|passé)\b",
    r"\btháng (?:trước|qua)\b",
    r"\b(?:letzte|vergangene)[nm]? monat\b|\bel mes pasado\b|\bmese scorso\b",
    r"\bmês passado\b|\bvorige maand\b|\bв прошлом месяце\b",
    r"\bw (?:zeszłym|ubiegłym|poprzednim) miesiącu\b|\bbulan lalu\b",
    r"上个月|上個月|先月|지난달|الشهر الماضي",
)
# "the last 3 days", "les 10 derniers jours", "7 ngày qua": that many days up to today.
LAST_DAYS = _any(
    r"\b(?:last|past) (\d{1,3}) days\b",
    r"\b(\d{1,3}) derniers jours\b",
    r"\b(\d{1,3}) ngày (?:qua|gần đây)\b",
    r"\b(?:letzten|vergangenen) (\d{1,3}) tagen?\b|\búltimos (\d{1,3}) d[íi]as\b",
    r"\bultimi (\d{1,3}) giorni\b",
    r"\b(?:afgelopen|laatste) (\d{1,3}) dagen\b|\bпоследние (\d{1,3}) дн\w*",
    r"\b(?:ostatnich|ostatnie) (\d{1,3}) dni\b|\b(\d{1,3}) hari terakhir\b",
    r"(?:过去|過去|最近の?)\s?(\d{1,3})\s?(?:天|日)|지난 (\d{1,3})일",
    r"آخر (\d{1,3}) (?:أيام|يوما)",
)

# A question about something that changes over time: an amount or count, or how things stand
# now; its answer holds as of its newest source's date.
CHANGING = _any(
    *_AMOUNT,
    r"\b(?:still|currently|now)\b",
    r"\b(?:encore|toujours|actuellement|aujourd.hui)\b",
    r"\b(?:vẫn|hiện nay|hiện tại|bây giờ)\b",
    r"\b(?:immer noch|noch immer|derzeit|aktuell|jetzt|todavía|actualmente|ahora)\b",
    r"\b(?:ancora|attualmente|adesso|ainda|atualmente|agora|nog steeds|momenteel|nu)\b",
    r"\b(?:сейчас|всё ещё|все еще|по-прежнему|nadal|obecnie|teraz|wciąż|masih|saat ini)\b",
    r"\bsekarang\b|现在|目前|仍然|現在|今も|まだ|현재|아직|지금|حاليا|الآن|لا يزال",
)
