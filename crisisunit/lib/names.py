"""A name's spelling-blind key, to find the same person typed another way.

"Әлия Қасымова", "Алия Касымова", "ALIYA KASYMOVA" and "Aliia Qasymova" get the same
key: letter case is ignored, Kazakh letters fold to their Russian neighbours, Cyrillic is
transliterated to Latin, and the Latin spellings that transliterations disagree on
(zh/j, kh/h/q, y/i, ya/ia...) fold to one."""

import functools
import re
import unicodedata

KAZAKH_TO_RUSSIAN = str.maketrans(
    {"ә": "а", "ғ": "г", "қ": "к", "ң": "н", "ө": "о", "ұ": "у", "ү": "у", "һ": "х", "і": "и"}
)
CYRILLIC_TO_LATIN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "sh", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "iu",
    "я": "ia",
}  # fmt: skip
# Applied in order to the Latin spelling, so that every variant ends the same way.
LATIN_FOLDS = [
    ("shch", "sh"),
    ("zh", "j"),
    ("dj", "j"),
    ("kh", "h"),
    ("q", "k"),
    ("ts", "c"),
    ("yu", "iu"),
    ("ya", "ia"),
    ("yo", "e"),
    ("y", "i"),
    ("w", "v"),
    ("x", "ks"),
]


@functools.lru_cache(maxsize=8192)  # an import keys the same surnames thousands of times
def name_key(name: str) -> str:
    text = unicodedata.normalize("NFC", name).lower().translate(KAZAKH_TO_RUSSIAN)
    text = "".join(CYRILLIC_TO_LATIN.get(ch, ch) for ch in text)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if ch.isascii() and ch.isalpha())
    text = re.sub(r"^ye", "e", text)  # Ерлан is "Yerlan" as often as "Erlan"
    for variant, folded in LATIN_FOLDS:
        text = text.replace(variant, folded)
    # Doubled letters are often typed single ("Alla"/"Ala"): fold runs to one letter.
    return re.sub(r"(.)\1+", r"\1", text)
