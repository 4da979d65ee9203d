"""Counted quantities: '5 million', 'over 100', 'up to 10,000', 'hundreds', '5.2-5.8 million'.

``find_quantities(doc, mentions)`` is pure; the qualifier vocabulary and number words are in
``data/numbers.json``, what is counted in ``data/items.json`` and the equipment gazetteer.
"""

from __future__ import annotations

import re
from functools import lru_cache

from spacy.tokens import Doc

from .resources import Gazetteer, alias_key, item_lexicon, load_data
from .state import get_state, token_norms, token_sentence_index, token_table
from .syntax import relation
from .text import norm_token, singular

DIGITS = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^\d+(?:\.\d+)?$")
DIGIT_SCALE = re.compile(r"^(\d+(?:\.\d+)?)(bn|mn|mln|m|k|b)$", re.I)
STOP = frozenset(
    "is are was were be been being have has had will would could should may might can do does did of to in on at "
    "for from by with and or but that which who whom the a an this these those it its their his her our per than "
    "more less over under as since ago each percent so such also been not no into onto while when where".split()
)
PARTITIVE_DETERMINERS = frozenset({"the", "these", "those", "its", "their", "our"})
QUOTE_MARKS = frozenset({'"', "“", "”", "'", "‘", "’"})
SKIP_MODIFIERS = frozenset(
    "additional more new extra further active regular elite fresh other military modern advanced old "
    "young trained armed combat-ready heavy light large-caliber different various separate distinct".split()
)


class NumberLexicon:
    def __init__(self) -> None:
        data = load_data("numbers")
        items = load_data("items")
        self.units = {k: float(v) for k, v in data["units"].items()}
        self.unit_keys = {alias_key(k): float(v) for k, v in data["units"].items()}
        self.scales = {k: float(v) for k, v in data["scales"].items()}
        self.vague = {alias_key(k): float(v) for k, v in data["vague"].items()}
        self.prefix = {alias_key(k): v for k, v in data["qualifiers"]["prefix"].items()}
        self.max_prefix = max(len(k) for k in self.prefix)
        self.suffix = {alias_key(k): v for k, v in data["qualifiers"]["suffix"].items()}
        self.high_bound = {alias_key(k) for k in data["qualifiers"]["high_bound_approx"]}
        self.not_after = {alias_key(k): frozenset(v) for k, v in data["qualifiers"].get("not_after", {}).items()}
        self.range_joiners = frozenset(data["range_joiners"])
        self.not_counts_after = frozenset(data["not_counts_after"])
        self.hyphen_currencies = data["hyphen_currencies"]
        self.elided = {"window": data["elided_item"]["window"], "followers": frozenset(data["elided_item"]["followers"])}
        self.skip_det = frozenset(data["skip_after_determiners"])
        self.id_prefixes = frozenset(data["id_prefixes"])
        self.min_year, self.max_year = data["min_year"], data["max_year"]
        self.time_units = frozenset(items["time_units"])
        self.time_words = frozenset(items["time_words"])
        self.discourse_nouns = frozenset(items["discourse_nouns"])
        self.calibre_units = frozenset(items["calibre_units"])
        self.counter_nouns = frozenset(items["counter_nouns"])
        self.currency = items["currency_symbols"]
        restatement = load_data("triggers")["restatement"]
        self.restatement_nouns = frozenset(restatement["nouns"])
        self.restatement_preps = frozenset(restatement["preps"])
        # the first normalised token of every word-number phrase: only these (or a digit) can start a number
        self.starters = frozenset(k[0] for table in (self.vague, self.unit_keys) for k in table)


@lru_cache(maxsize=1)
def number_lexicon() -> NumberLexicon:
    return NumberLexicon()


def _digit_value(text: str) -> float | None:
    if DIGITS.match(text):
        return float(text.replace(",", ""))
    return None


class _Parser:
    def __init__(self, doc: Doc, norms: list[str], lex: NumberLexicon):
        self.doc, self.norms, self.lex, self.n = doc, norms, lex, len(doc)
        table = token_table(doc)
        self.texts, self.ws = table.texts, table.ws

    def _phrase(self, i: int, table: dict) -> tuple[float, int] | None:
        for length in (3, 2, 1):
            key = tuple(self.norms[i : i + length])
            if len(key) == length and key in table:
                return table[key], i + length
        return None

    def number(self, i: int) -> tuple[float, int, bool] | None:
        """(value, end, vague) of the number starting at token i, scales included."""
        norms = self.norms
        if i >= self.n:
            return None
        vague = self._phrase(i, self.lex.vague)
        if vague is not None:
            value, end = vague
            # 'hundreds of thousands' is in the table; 'thousands of' stays thousands
            return value, end, True
        text = self.texts[i]
        value = _digit_value(text)
        end = i + 1
        if value is None:
            m = DIGIT_SCALE.match(text)
            if m:
                scale = {"bn": 1e9, "b": 1e9, "mn": 1e6, "mln": 1e6, "m": 1e6, "k": 1e3}[m.group(2).lower()]
                return float(m.group(1)) * scale, end, False
            unit = self._phrase(i, self.lex.unit_keys)
            if unit is None:
                return None
            value, end = unit
            # 'twenty-five', 'twenty five'
            k = end + 1 if end < self.n and norms[end] == "-" else end
            if value >= 20 and value % 10 == 0 and k < self.n and norms[k] in self.lex.units and self.lex.units[norms[k]] < 10:
                value += self.lex.units[norms[k]]
                end = k + 1
        # scales: '5 million', 'two hundred thousand'
        while end < self.n:
            k = end + 1 if norms[end] == "-" and end + 1 < self.n else end
            scale = self.lex.scales.get(norms[k])
            if scale is None or norms[k] in ("m", "k") and self.ws[k - 1]:
                break
            value *= scale
            end = k + 1
        return value, end, False


def find_quantities(doc: Doc, mentions: list[dict]) -> list[dict]:
    """Quantities in document order, each with value, low, high, qualifier, item and token spans."""
    lex = number_lexicon()
    norms = token_norms(doc)
    parser = _Parser(doc, norms, lex)
    n = len(doc)
    in_mention = [None] * n
    for m in mentions:
        for t in range(m["s"], m["e"]):
            in_mention[t] = m
    items = item_lexicon()
    texts = parser.texts
    starters = lex.starters
    out = []
    i = 0
    while i < n:
        if (in_mention[i] is not None and in_mention[i]["label"] != "NORP") or not (
            texts[i][:1].isdigit() or norms[i] in starters
        ):
            i += 1
            continue
        parsed = parser.number(i)
        if parsed is None or (i > 0 and norms[i - 1] in lex.not_counts_after):
            i += 1  # ('minus 20 outside': a temperature)
            continue
        value, end, vague = parsed
        q = _build(doc, norms, lex, parser, items, in_mention, i, end, value, vague)
        if q is None:
            i = end
            continue
        if q["item"] is None and q["e"] + 1 < n and norms[q["e"]] == "of" and norms[q["e"] + 1] in ("them", "these", "those"):
            q["item"] = _antecedent_item(doc, norms, items, in_mention, q["s"], out)
        if q.pop("needs_antecedent") and q["item"] is None:
            i = end  # 'two of them' with nothing counted before: no count
            continue
        if q["item"] is None and q["s"] >= 2 and norms[q["s"] - 1] in lex.restatement_preps and norms[q["s"] - 2] in lex.restatement_nouns:
            # 'raised its estimate to more than 10,000': the figure counts what the last figure counted
            q["item"] = _antecedent_item(doc, norms, items, in_mention, q["s"], out)
        elif q["item"] is None and q["s"] >= 1 and norms[q["s"] - 1] in lex.restatement_preps:
            # 'revised its tally of North Korean artillery shells delivered to Russia upwards, to over 5 million'
            q["item"] = _tally_item(doc, norms, items, lex, in_mention, q["s"] - 1)
        if q["item"] is None:
            q["item"] = _elided_item(doc, norms, q, out)
        out.append(q)
        ie = q.get("ie") or 0
        shared = any(texts[j][:1].isdigit() or norms[j] in starters for j in range(max(q["e"], end) + 1, ie)
                     if norms[j - 1] in ("and", "or") or (norms[j - 1] in PARTITIVE_DETERMINERS and norms[j - 2] == "of"))
        # 'four million 152 mm and 1.6 million 122 mm artillery shells': the next figure shares the noun
        i = max(q["e"], end) if shared else max(q["e"], ie, end)
    return out


def _elided_item(doc, norms, q: dict, before: list[dict]) -> str | None:
    """A number followed by no noun and no unit counts what the figure just before it in its sentence
    counts ('killing at least 27 people and injuring more than 30', 'Of the 28 injured, ..., 16 have
    been taken to hospital'); a year, a percentage or a number in a name never reach here."""
    elided = number_lexicon().elided
    e = q["e"]
    if e < len(doc) and doc[e].is_alpha and norms[e] not in elided["followers"]:
        return None  # a word follows that is no verb or joint ('11 Sprut-SDM1 guns'): not an elided noun
    if not before:
        return None
    p = before[-1]
    sent_of = token_sentence_index(doc)
    if sent_of[p["s"]] != sent_of[q["s"]] or q["s"] - p["e"] > elided["window"]:
        return None
    return p["item"]


def _tally_item(doc, norms, items: Gazetteer, lex: NumberLexicon, in_mention, p: int) -> str | None:
    """What 'its tally of X' / 'the number of X' earlier in the sentence counts, for a figure after 'to' at p."""
    sent_of = token_sentence_index(doc)
    for k in range(p - 1, max(-1, p - 20), -1):
        if sent_of[k] != sent_of[p] or norms[k] in (";", "."):
            return None
        if norms[k] in lex.restatement_nouns and k + 1 < p and norms[k + 1] == "of":
            j = k + 2
            while j < p and norms[j] in PARTITIVE_DETERMINERS:
                j += 1  # 'the total number of its troops there to roughly 12,000'
            return _item(doc, norms, items, lex, in_mention, j, False, fallback=False)[0]
    return None


def _antecedent_item(doc, norms, items: Gazetteer, in_mention, t: int, before: list[dict]) -> str | None:
    """'about 60 of them': the thing last counted in this or the previous sentence ('more than 100
    KN-23 ... missiles'), else the nearest plural thing named before."""
    sent_of = token_sentence_index(doc)
    first = max(0, sent_of[t] - 1)
    for q in reversed(before):
        if sent_of[q["s"]] < first:
            break
        if q["item"] is not None and not (q["is"] is not None and norms[q["is"]].endswith("ed")):
            return q["item"]  # not '2,700 wounded': 'of them' stands for a noun
    k = t - 1
    while k >= 0 and sent_of[k] >= first:
        m = in_mention[k]
        if m is not None and m["label"] == "EQUIPMENT" and norms[m["e"] - 1].endswith("s"):
            return m.get("item") or m["name"].lower()
        if norms[k].endswith("s"):
            for j in range(max(0, k - 3), k + 1):
                found = _item_at(doc, norms, items, j)
                if found is not None and found[1] == k + 1:
                    return found[0]
        k -= 1
    return None


def _build(doc, norms, lex: NumberLexicon, parser: _Parser, items: Gazetteer, in_mention, i, end, value, vague):
    texts = parser.texts
    n = len(doc)
    text = texts[i]
    low = high = None
    qualifier = None
    # a range: '5.2-5.8 million', '10,000 to 12,000', 'between 10,000 and 12,000'
    b = i - 1 if i >= 1 and texts[i - 1] in lex.currency else i  # 'between $9.6 and $12.3 billion'
    between = b >= 1 and norms[b - 1] in ("between", "from")
    joiner = end < n and (norms[end] in lex.range_joiners or (between and norms[end] == "and"))
    if joiner:
        # 'between $9.6 and $12.3 billion': the currency sign again before the second figure
        second = parser.number(end + 2 if end + 2 < n and texts[end + 1] in lex.currency else end + 1)
        if second is not None and not second[2]:
            v2, end2, _ = second
            first2 = end + 2 if texts[end + 1] in lex.currency else end + 1
            if end2 > first2 + 1 and value < v2 and end == i + 1:
                # the scale after the second figure applies to the first ('5.2-5.8 million')
                scale = v2 / _plain(doc, norms, parser, first2)
                value *= scale
            if value < v2:
                low, high, qualifier = value, v2, "range"
                end = end2
    start = i
    # a currency sign sits between the qualifier and the figure: 'around £18 million'
    p = i - 1 if i >= 1 and texts[i - 1] in lex.currency else i
    if qualifier is None:
        for length in range(lex.max_prefix, 0, -1):
            if p - length < 0:
                continue
            key = tuple(norms[p - length : p])
            if key in lex.prefix and p - length >= 1 and norms[p - length - 1] in lex.not_after.get(key, ()):
                break  # 'handed over 50': a particle, no qualifier
            if key in lex.prefix:
                qualifier = lex.prefix[key]
                start = p - length
                if key in lex.high_bound:
                    high = value
                break
    elif between:
        start = b - 1
    # suffixes: 'or more', '-plus', '+'
    k = end
    for length in (2, 1):
        key = tuple(norms[k : k + length])
        if len(key) == length and key in lex.suffix and qualifier in (None,):
            qualifier = lex.suffix[key]
            end = k + length
            break
    # what follows decides whether this is a count at all
    nxt_i = end + 1 if end < n and norms[end] == "-" else end
    nxt = norms[nxt_i] if nxt_i < n else ""
    if nxt in lex.time_units or nxt in lex.calibre_units or nxt == "%":
        return None
    prev = norms[start - 1] if start >= 1 else ""
    prev_text = texts[start - 1] if start >= 1 else ""
    # after a determiner a number is a known set ('the two sides', 'its 27 members'), unless it is a
    # large figure written in digits ('at least 1,000 of the 11,000 troops sent from North Korea')
    large = _digit_value(text) is not None and ("," in text or value >= 10000)  # not 'the 1718 Committee', 'the 2022 invasion'
    if (prev in lex.skip_det and not large) or prev_text in lex.id_prefixes or prev in ("#", "no.", "no", "number"):
        return None
    if prev_text[:1].isupper() and prev_text.isalpha() and start >= 2 and not doc[start - 1].is_sent_start \
            and qualifier is None and (in_mention[start - 1] is None or (
                text.isdigit() and value < 100 and in_mention[start - 1]["label"] not in ("GPE", "NORP", "PERSON"))):
        # a number in a name: 'the Power of Siberia 2 pipeline' (after a region's name too; not 'sent
        # Russia 12 howitzers'), 'Type 096 submarine', 'Tier 3A'
        return None
    if start >= 1 and norms[start - 1] == "-" and start >= 2 and texts[start - 2][:1].isalpha():
        return None  # 'Su-27', 'anti-2'
    item, item_s, item_e = _item(doc, norms, items, lex, in_mention, end, vague, fallback=True if _digit_value(text) is not None else ("plural" if value >= 2 and not vague else False))
    currency = texts[i - 1] if i >= 1 and texts[i - 1] in lex.currency else None
    if currency:
        if item is not None and item_e == item_s + 1 and in_mention[item_s] is None and not items.lengths.get(norms[item_s]):
            item = item_s = item_e = None  # '$5.5 billion profit': a sum of money counts money, not the noun after it
        item = item or lex.currency[currency]
        start = min(start, i - 1)
    is_digit = _digit_value(text) is not None
    if is_digit and qualifier is None and item is None and "," not in text and "." not in text:
        if lex.min_year <= value <= lex.max_year:
            return None  # a year
    of_them = end + 1 < n and norms[end] == "of" and norms[end + 1] in ("them", "those") and prev not in ("the", "these", "those", "all")
    needs_antecedent = not is_digit and item is None and not vague and value < 10 and qualifier is None
    if needs_antecedent and not (of_them and value >= 2):
        return None  # 'two' on its own is too often not a count ('the two', 'one of'); 'captured two of them' is one
    if norms[i] == "one" and (item is None or (end < n and norms[end] == "of")):
        return None  # 'one of its go-to weapons', 'one of the largest': a member of a set, no count
    if qualifier is None:
        qualifier = "at_least" if vague else "exact"
    if qualifier == "exact":
        low = high = value
    elif qualifier == "at_least":
        low = value
    elif qualifier == "at_most":
        high = value
    # an item only the plural-noun fallback of a word number found ('two civilians')
    weak = (
        item is not None and item_s is not None and _digit_value(text) is None and item_e == item_s + 1
        and in_mention[item_s] is None and not items.lengths.get(norms[item_s])
    )
    return {
        "needs_antecedent": needs_antecedent,
        "weak_item": weak,
        "s": start,
        "e": end,
        "value": float(value if qualifier != "range" else low),
        "low": None if low is None else float(low),
        "high": None if high is None else float(high),
        "qualifier": qualifier,
        "item": item,
        "is": item_s,
        "ie": item_e,
    }


def _plain(doc, norms, parser: _Parser, i: int) -> float:
    """The value of the number at token i without its scale."""
    texts = parser.texts
    value = _digit_value(texts[i])
    if value is None:
        value = parser.lex.units.get(norms[i], 1.0)
    return value or 1.0


def _item(doc, norms, items: Gazetteer, lex: NumberLexicon, in_mention, k: int, vague: bool, fallback: bool = True):
    """What the number counts: the first item-lexicon match after it, past modifiers and nationalities."""
    texts = token_table(doc).texts
    n = len(doc)
    j = k
    steps = 0
    while j < n and steps < 6:
        if norms[j] == "of" and (vague or steps == 0):
            j += 1
            steps += 1
            if j < n and norms[j] in PARTITIVE_DETERMINERS:
                j += 1  # '8,000 of the troops'
                if j < n and _digit_value(texts[j]) is not None:
                    j += 1  # 'at least 1,000 of the 11,000 troops'
            continue
        matches = _item_at(doc, norms, items, j)
        if matches is not None:
            item, end = matches
            if end == j + 1 and norms[j] in lex.counter_nouns and end + 1 < n and norms[end] == "of":
                # '19 rounds of sanctions': a round of something that is no ammunition counts rounds
                after = _item_at(doc, norms, items, end + 1)
                return (after[0] if after is not None else singular(norms[j])), j, end
            return _coordinated_head(norms, items, item, j, end) + (j, end)
        if _digit_value(texts[j]) is not None and j + 1 < n and norms[j + 1] in lex.calibre_units:
            j += 2  # a calibre written solid: '170mm guns'
            steps += 1
            continue
        if j + 2 < n and norms[j + 1] == "-" and texts[j].isalpha() and texts[j + 2].isalpha() and texts[j + 2].islower() \
                and not token_table(doc).ws[j] and not token_table(doc).ws[j + 1]:
            j += 3  # a hyphenated modifier: 'self-propelled', 'Russian-made', 'Iranian-designed', 'long-range'
            steps += 1
            continue
        if norms[j] in QUOTE_MARKS:
            j += 1  # 'at least 19 "dark vessels"'
            continue
        if j + 3 < n and texts[j].isalpha() and texts[j].islower() and norms[j + 1] in ("and", "or") \
                and _digit_value(texts[j + 2]) is not None:
            # '18 ballistic and 7 cruise missiles': this figure's own modifier with the shared head
            shared, hs, he = _item(doc, norms, items, lex, in_mention, j + 3, False, fallback=False)
            if shared is not None and he is not None:
                own = items.by_key.get((norms[j], singular(norms[he - 1]))) or items.by_key.get((norms[j], norms[he - 1]))
                return (own[0].entry.item or own[0].entry.name.lower()) if own else shared, j, j + 1
        if norms[j] in ("and", "or") and j + 1 < n and _digit_value(texts[j + 1]) is not None and steps < 4:
            # figures sharing one noun: '18 ballistic and 7 cruise missiles', 'four million 152 mm and
            # 1.6 million 122 mm artillery shells'
            j += 2
            while j < n and norms[j] in lex.scales:
                j += 1
            steps += 1
            continue
        m = in_mention[j]
        if m is not None and m["label"] == "EQUIPMENT":
            # a system the item list does not know ('a dozen KN-31 launchers')
            return (m.get("item") or m["name"].lower()), m["s"], m["e"]
        if m is not None and m["label"] in ("NORP", "GPE"):
            j = m["e"]
            steps += 1
            continue
        if _digit_value(texts[j]) is not None and j + 2 < n and norms[j + 1] == "-" and norms[j + 2] in lex.calibre_units:
            j += 3  # a calibre: '170-mm guns'
            steps += 1
            continue
        if norms[j] in SKIP_MODIFIERS or norms[j] == "-":
            j += 1
            steps += 1
            continue
        break
    if fallback and j > k:
        # past the modifiers stepped over above ('10 high-level meetings', 'at least 19 "dark vessels"')
        found = _plain_plural(doc, norms, items, lex, j)
        if found is not None:
            return found
    # fallback (figures only): one plain lower-case noun right after the number
    # word numbers ('two players') only count a plural noun
    if k + 1 < n and norms[k] == "-" and norms[k + 1] in lex.hyphen_currencies and not token_table(doc).ws[k]:
        return lex.hyphen_currencies[norms[k + 1]], k + 1, k + 2  # 'a 5.6 trillion-won contract'
    if k + 1 < n and norms[k + 1] == "-" and not token_table(doc).ws[k]:
        return None, None, None  # the first part of a hyphenated word is no item ('self' of 'self-propelled')
    if fallback and k < n and doc[k].dep_:
        counted = _counted_noun(doc, norms, items, lex, k)
        if counted is not None:
            return counted
    if fallback and k < n and texts[k].isalpha() and texts[k].islower() and norms[k].endswith(("ly", "ed")):
        # 'an additional 11,000-12,000 highly motivated and well-prepared soldiers': past adverbs and
        # participles to the first plural noun, within the phrase
        for j in range(k + 1, min(n, k + 8)):
            w = norms[j]
            if not (texts[j].isalpha() or w == "-"):
                break
            if texts[j].isalpha() and texts[j].islower() and w.endswith("s") and not w.endswith("ss") and len(w) > 3 \
                    and w not in STOP and not _uncountable(w, lex):
                return _noun_item(doc, norms, items, j)
    if fallback and k < n and not norms[k].endswith("s"):
        found = _plain_plural(doc, norms, items, lex, k + 1, first=k)  # '14 sensitive goods', '20 residential buildings'
        if found is not None:
            return found
    plural_ok = fallback is True or (norms[k].endswith("s") and not norms[k].endswith("ss") if k < n else False)
    if fallback and plural_ok and k < n and texts[k].isalpha() and texts[k].islower() and norms[k] not in STOP and len(norms[k]) > 2:
        if _uncountable(norms[k], lex):
            return None, None, None
        return singular(norms[k]), k, k + 1
    return None, None, None


def _noun_item(doc, norms, items: Gazetteer, p: int):
    """A plain noun at ``p`` as an item: the item list's when it knows the noun ('soldiers': troop),
    else the noun in the singular."""
    known = _item_at(doc, norms, items, p)
    return (known[0] if known is not None else singular(norms[p])), p, p + 1


def _plain_plural(doc, norms, items: Gazetteer, lex: NumberLexicon, j: int, first: int | None = None):
    """The first plain plural noun from ``j`` on, past at most two plain lower-case words (and the
    word at ``first`` before ``j``), as its item: the item list's when it knows the noun ('soldiers':
    troop), else the noun in the singular. None at a function word, a capital, a figure or a unit."""
    texts = token_table(doc).texts
    words = ([first] if first is not None else []) + list(range(j, min(len(doc), j + 3)))
    for p in words:
        w = norms[p]
        if not (texts[p].isalpha() and texts[p].islower()) or w in STOP:
            return None
        if p != first and w.endswith("s") and not w.endswith("ss") and len(w) > 3:
            if _uncountable(w, lex):
                return None
            return _noun_item(doc, norms, items, p)
    return None


def _uncountable(word: str, lex: NumberLexicon) -> bool:
    """A word after a number that counts no thing: a time, a calibre or weight unit, a discourse noun."""
    return word in lex.time_units or word in lex.time_words or word in lex.calibre_units or word in lex.discourse_nouns


_NUMBER_PARTS = ("name_part", "number_modifier", "quantity_modifier")
_NOUN_MODIFIERS = ("name_part", "adjective_modifier")


def _counted_noun(doc, norms, items: Gazetteer, lex: NumberLexicon, k: int):
    """From the parse, where there is one: the noun the number before ``k`` modifies (its head in a
    ``nummod`` relation), with the noun modifiers between them ('18 ballistic missiles' counts
    'ballistic missile', '56 construction projects' 'construction project'). None when the number
    modifies no noun after it, or the noun is a unit of time, calibre or discourse."""
    number = doc[k - 1]
    while relation(number) in _NUMBER_PARTS and number.head.tag_ == "CD" and number.head.i < k + 2:
        number = number.head  # '1.7 million': the last word of the number
    head = number.head
    if relation(number) != "number_modifier" or head.i < k or head.i - k > 5 or not head.tag_.startswith("NN"):
        return None
    if number.i + 1 < len(doc) and doc[number.i + 1].text in ("-", "\u2013") and not number.whitespace_:
        return None  # 'the independent eight-member body', 'a 20-point plan': an adjective, no count
    while relation(head) == "name_part" and head.head.i == head.i + 1 and head.head.tag_.startswith("NN"):
        head = head.head  # '56 construction projects' with the number hung on 'construction': the projects
    word = norms[head.i]
    if word in lex.time_units or word in lex.time_words or word in lex.calibre_units or word in lex.discourse_nouns:
        return None
    known = _item_at(doc, norms, items, head.i)
    if known is not None and known[1] == head.i + 1:
        return known[0], k, head.i + 1
    modifiers = [t for t in doc[k : head.i] if t.head == head and relation(t) in _NOUN_MODIFIERS and t.is_alpha and t.is_lower]
    if len(modifiers) != head.i - k:
        modifiers = []  # only a modifier run right before the noun: 'ballistic', not 'highly motivated'
    return " ".join([norms[t.i] for t in modifiers] + [singular(word)]), k, head.i + 1


def _coordinated_head(norms, items: Gazetteer, item: str, j: int, end: int) -> tuple[str]:
    """'artillery and mortar shells': a modifier coordinated with another before a shared head noun
    counts the head ('artillery shell'), when the list knows that combination."""
    if end + 1 >= len(norms) or norms[end] not in ("and", "or"):
        return (item,)
    k = end + 1
    while k < len(norms) and k - end < 4 and norms[k] not in (",", ".", ";", "and", "or"):
        aliases = items.by_key.get(tuple(norms[j:end]) + (singular(norms[k]),)) or items.by_key.get(tuple(norms[j:end]) + (norms[k],))
        if aliases:
            return (aliases[0].entry.item or aliases[0].entry.name.lower(),)
        k += 1
    return (item,)


def _item_at(doc, norms, items: Gazetteer, j: int):
    lengths = items.lengths.get(norms[j])
    if not lengths:
        return None
    for length in lengths:
        key: list[str] = []
        e = j
        while e < len(doc) and len(key) < length:
            if norms[e] == "-":
                if not key:
                    break
                e += 1
                continue
            key.append(norms[e])
            e += 1
        if len(key) < length:
            continue
        aliases = items.by_key.get(tuple(key))
        if aliases:
            alias = aliases[0]
            return (alias.entry.item or alias.entry.name.lower()), e
    return None


class QuantityFinder:
    """spaCy component: stores quantities in ``doc.user_data['dossier']['quantities']``."""

    def __init__(self, nlp=None, name: str = "dossier_quantities"):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        state = get_state(doc)
        sent_of = token_sentence_index(doc)
        rows = []
        tok = token_table(doc)
        for q in find_quantities(doc, state["mentions"]):
            q.update(start=tok.idx[q["s"]], end=tok.ends[q["e"] - 1], sent=sent_of[q["s"]])
            rows.append(q)
        state["quantities"] = rows
        return doc
