"""Small string helpers shared by the components: token normalisation, slugs, singular forms."""

from __future__ import annotations

import re
import unicodedata

HYPHENS = frozenset({"-", "‐", "‑", "‒", "–"})
DASHES = frozenset({"—", "―", "--"})
APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "ʼ": "'"})
POSSESSIVES = frozenset({"'s", "’s", "'", "’"})

_SLUG_DROP = re.compile(r"[^a-z0-9]+")


def norm_token(text: str) -> str:
    """The form a token is looked up by: lower case, straight apostrophes, hyphen-like dashes unified."""
    text = text.translate(APOSTROPHES).lower()
    return "-" if text in HYPHENS else text


def slugify(text: str) -> str:
    """A stable id part: ASCII, lower case, words joined by single hyphens ('Kim Jong-un' -> 'kim-jong-un')."""
    text = unicodedata.normalize("NFKD", text.translate(APOSTROPHES))
    text = text.encode("ascii", "ignore").decode("ascii").lower().replace("'", "")
    return _SLUG_DROP.sub("-", text).strip("-") or "x"


def is_capitalised(text: str) -> bool:
    """A word that starts with an upper-case letter ('Kim', 'U.S.', 'KN-23')."""
    return bool(text) and text[0].isupper()


def is_all_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


_IRREGULAR_SINGULAR = {
    "personnel": "personnel",
    "men": "man",
    "women": "woman",
    "people": "person",
    "children": "child",
    "ammunition": "ammunition",
    "artillery": "artillery",
    "aircraft": "aircraft",
    "news": "news",
    "arms": "arms",
    "series": "series",
    "species": "species",
    "forces": "force",
    "analyses": "analysis",
    "crises": "crisis",
}


def singular(word: str) -> str:
    """English singular of a lower-case noun, good enough for item names ('missiles' -> 'missile')."""
    if word in _IRREGULAR_SINGULAR:
        return _IRREGULAR_SINGULAR[word]
    if len(word) <= 3 or word.endswith(("ss", "us", "is")):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "xes", "zes", "sses")):
        return word[:-2]
    if word.endswith("s"):
        return word[:-1]
    return word


def plural(word: str) -> str:
    """English plural of a noun ('missile' -> 'missiles', 'KN-23' -> 'KN-23s')."""
    lower = word.lower()
    if lower.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    if lower.endswith("y") and len(lower) > 1 and lower[-2] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"
