"""Entity mentions: gazetteers, naming rules, dates, misspellings, short forms and acronyms.

``find_mentions(doc)`` is the pure matching step (a list of mention dicts);
``EntityRecognizer`` is the spaCy component that stores them on the Doc and sets ``doc.ents``.
A trained pipeline's entities, when present on the Doc, are merged in: ours win where they overlap.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein
from spacy.tokens import Doc, Span

from tasks.dates import find_dates
from .resources import Alias, Gazetteer, alias_key, gazetteer, fuzzy_choices, item_lexicon, load_data, title_lexicon
from .state import get_state, sentences, token_norms, token_sentence_index, token_table
from .text import APOSTROPHES, POSSESSIVES, is_all_caps, norm_token, slugify

ORDINAL = re.compile(r"^\d{1,3}(?:st|nd|rd|th)$")
LABEL_FROM_PREFIX = {"PERSON", "ORG", "GPE", "LOC", "NORP", "EQUIPMENT", "EVENT", "DATE", "FAC", "MISC"}

# candidate priorities: ties on length are won by the higher one
PRIO_GAZ, PRIO_STRONG_RULE, PRIO_RULE, PRIO_WEAK = 4, 3, 2, 1


class Lexicons:
    """Word lists used by the naming rules, loaded once."""

    def __init__(self) -> None:
        roles = load_data("roles")
        names = load_data("names")
        reporting = load_data("reporting")
        orgs = load_data("organizations")
        events = load_data("events")
        places = load_data("places")
        equipment = load_data("equipment")
        self.role_nouns = frozenset(roles["role_nouns"])
        self.role_starters = frozenset(roles["role_starters"])
        self.honorifics = frozenset(roles["honorifics"])
        self.given_names = frozenset(names["given_names"])
        self.family_first = frozenset(names["family_first_surnames"])
        self.never_short = frozenset(names["never_short_forms"])
        self.name_particles = frozenset(names["name_particles"])
        self.ambiguous_short = frozenset(names["ambiguous_short_forms"])
        self.speech = frozenset(reporting["speech"]) | frozenset(reporting["report"])
        self.org_heads = frozenset(orgs["heads"])
        self.event_heads = frozenset(events["heads"])
        self.loc_heads = frozenset(places["heads"]["LOC"])
        self.fac_heads = frozenset(places["heads"]["FAC"])
        self.shell_context = frozenset(equipment["shell_context_words"])
        self.not_equipment_before = frozenset(equipment["not_equipment_before"])
        self.not_equipment_after = {k: frozenset(v) for k, v in equipment["not_equipment_after"].items()}
        self.designation = re.compile(equipment["designation_pattern"])
        self.designation_exclude = frozenset(equipment["designation_exclude"])
        self.designation_context = frozenset(equipment["designation_context"])
        self.model = load_data("model")
        self.openers = frozenset(load_data("sentences")["openers"])
        self.other_facility_heads = frozenset(places["other_facility_heads"])
        fuzzy = load_data("countries")["fuzzy"]
        self.fuzzy_place_preps = frozenset(fuzzy["place_preps"])
        self.fuzzy_not_before = frozenset(fuzzy["not_before"]) | self.other_facility_heads
        self.fuzzy_not_after = frozenset(fuzzy["not_after"])
        self.fuzzy_strong_ratio = fuzzy["strong_ratio"]
        self.fuzzy_min_length = fuzzy["min_length_without_preposition"]


@lru_cache(maxsize=1)
def lexicons() -> Lexicons:
    return Lexicons()


AUX = frozenset({"has", "have", "had", "also", "recently", "previously", "later", "then", "once", "further", "has", "told", "was", "is"})
CONNECTORS = frozenset({"of", "for", "on", "and", "&", "the", "de"})
WORD_END = frozenset({",", ".", ";", ":", "!", "?", '"', "“", "”", "(", ")", "—", "–"})


def _cand(s, e, label, entity_id, name, source, prio, **extra) -> dict:
    c = {"s": s, "e": e, "label": label, "id": entity_id, "name": name, "src": source, "prio": prio}
    c.update(extra)
    return c


def match_lexicon(doc: Doc, norms: list[str], lex: Gazetteer, check_case: bool = True) -> list[tuple[int, int, Alias]]:
    """Leftmost-longest matches of a token-keyed lexicon; hyphen tokens inside a word are skipped."""
    n = len(doc)
    ws = token_table(doc).ws
    out: list[tuple[int, int, Alias]] = []
    i = 0
    while i < n:
        first = norms[i]
        lengths = lex.lengths.get(first)
        if not lengths:
            i += 1
            continue
        found = None
        for length in lengths:
            key: list[str] = []
            j = i
            while j < n and len(key) < length:
                if norms[j] == "-":
                    if not key or ws[j - 1] or ws[j]:
                        break
                    j += 1
                    continue
                key.append(norms[j])
                j += 1
            if len(key) < length:
                continue
            for alias in lex.by_key.get(tuple(key), ()):
                if not check_case or _case_ok(doc, i, j, alias):
                    found = (i, j, alias)
                    break
            if found:
                break
        if found:
            out.append(found)
            i = found[1]
        else:
            i += 1
    return out


def _case_ok(doc: Doc, start: int, end: int, alias: Alias) -> bool:
    if alias.case == "any":
        return True
    if alias.case == "exact":
        return doc[start:end].text.translate(APOSTROPHES) == alias.surface.translate(APOSTROPHES)
    first = doc[start].text
    if not first[:1].isupper():
        return False
    # an all-caps alias part must stay all caps ('US' in 'US forces', not 'Us')
    return True


def _is_cap_word(text: str) -> bool:
    return bool(text) and text[0].isupper() and any(c.isalpha() for c in text) and text not in POSSESSIVES


class _DocView:
    """Per-doc precomputed token facts shared by the rules."""

    def __init__(self, doc: Doc):
        self.doc = doc
        self.n = len(doc)
        self.norms = token_norms(doc)
        self.tok = token_table(doc)
        self.texts = self.tok.texts
        self.ws = self.tok.ws
        self.sents = sentences(doc)
        self.sent_of = token_sentence_index(doc)
        self.heading = [self.sents[self.sent_of[i]][2] for i in range(self.n)] if self.n else []
        self.initial = set()
        tok = self.tok
        for start, end, _ in self.sents:
            for t in range(start, end):
                if tok.is_space[t] or tok.is_punct[t] or tok.texts[t] in ("-", "•", "*"):
                    continue
                self.initial.add(t)
                break

    def span_text(self, a: int, b: int) -> str:
        """The text of tokens a..b (what ``doc[a:b].text`` gives)."""
        if b <= a:
            return ""
        return self.tok.text[self.tok.idx[a] : self.tok.ends[b - 1]]

    def positions(self, text: str) -> list[int]:
        """Token indices whose text is exactly ``text``."""
        return [i for i, t in enumerate(self.texts) if t == text]

    def joiner(self, i: int) -> bool:
        """A hyphen glued to the words on both sides ('Tae-yul')."""
        return (
            self.norms[i] == "-"
            and 0 < i < self.n - 1
            and not self.ws[i - 1]
            and not self.ws[i]
            and self.texts[i + 1][:1].isalpha()
        )

    def cap_runs(self) -> list[tuple[int, int]]:
        """Maximal runs of capitalised words (hyphen compounds included), within a sentence."""
        runs = []
        i = 0
        while i < self.n:
            if not _is_cap_word(self.texts[i]):
                i += 1
                continue
            j = i + 1
            particles = lexicons().name_particles
            while j < self.n and self.sent_of[j] == self.sent_of[i]:
                if self.joiner(j):
                    j += 2
                elif _is_cap_word(self.texts[j]) and self.ws[j - 1] == " ":
                    j += 1
                elif self.texts[j] in particles and j + 1 < self.n and self.ws[j - 1] == " " and self.ws[j] == " " \
                        and _is_cap_word(self.texts[j + 1]) and self.sent_of[j + 1] == self.sent_of[i]:
                    j += 2  # 'Hamish de Bretton-Gordon': a particle inside one name
                else:
                    break
            runs.append((i, j))
            i = j
        return runs


def find_mentions(doc: Doc, published=None) -> list[dict]:
    """All entity mentions of the doc (non-overlapping), in document order."""
    if len(doc) == 0:
        return []
    lex = lexicons()
    view = _DocView(doc)
    cands: list[dict] = []
    covered = [False] * view.n

    def mark(s, e):
        for t in range(s, e):
            covered[t] = True

    _gazetteer_candidates(view, lex, cands, mark)
    _designation_candidates(view, lex, covered, cands, mark)
    _fuzzy_candidates(view, covered, cands, mark)
    _contextual_candidates(view, cands, covered, mark)
    titles = match_lexicon(doc, view.norms, title_lexicon())
    title_tokens = [False] * view.n
    for s, e, _ in titles:
        for t in range(s, e):
            title_tokens[t] = True
    view.titles = titles
    _title_person_candidates(view, titles, title_tokens, cands)
    _run_candidates(view, lex, covered, title_tokens, cands)
    _date_candidates(view, published, cands)
    chosen = _resolve(cands)
    chosen = _short_forms(view, lex, chosen)
    chosen = _acronyms(view, chosen)
    chosen = _merge_model(view, lex, chosen)
    _add_roles(view, lex, chosen)
    return chosen


# --- candidate generators -------------------------------------------------------------------


def _gazetteer_candidates(view: _DocView, lex: Lexicons, cands: list, mark) -> None:
    doc = view.doc
    for s, e, alias in match_lexicon(doc, view.norms, gazetteer()):
        entry = alias.entry
        if alias.context_only:
            a, b = view.sents[view.sent_of[s]][:2]
            if not any(view.norms[t] in lex.shell_context for t in range(a, b) if not s <= t < e):
                continue
        if entry.label == "EQUIPMENT" and entry.kind == "class" and _not_equipment(view, lex, s, e, entry):
            continue  # 'satellite imagery', 'think tank'
        if entry.short and _starts_longer_name(view, lex, s, e):
            continue  # 'Kim Sung-bae' is not Kim Jong Un: the run rules name the whole person
        other = _other_facility(view, lex, s, e, alias)
        if other == "after":
            continue  # 'Russia's Dunai and Vostochny terminals' are ports, not the Vostochny Cosmodrome
        if other == "before":  # 'the port of Rajin and Vostochny': a place of that name, not the cosmodrome
            cands.append(_cand(s, e, "LOC", f"LOC:{slugify(alias.surface)}", alias.surface, "gazetteer", PRIO_GAZ,
                               kind=None, item=None, state=entry.state, short=False))
            mark(s, e)
            continue

        # a lone 'Washington'/'Kursk' inside a longer capitalised name is left to the run rules
        extra = {"kind": entry.kind, "item": entry.item, "state": entry.state, "short": entry.short}
        cands.append(_cand(s, e, entry.label, entry.entity_id, entry.name, "gazetteer", PRIO_GAZ, **extra))
        mark(s, e)


def _other_facility(view: _DocView, lex: Lexicons, s: int, e: int, alias) -> str | None:
    """A short form of a longer place name ('Vostochny' for 'Vostochny Cosmodrome') followed by the
    head of another kind of facility ('Vostochny terminals', 'Dunai and Vostochny ports'), or named
    after one ('the port of Vostochny', 'the port of Rajin and Vostochny')."""
    entry = alias.entry
    if entry.label not in ("LOC", "GPE", "FAC") or alias.surface == entry.name or not entry.name.startswith(alias.surface):
        return None
    own = set(entry.name.lower().split())
    k = e
    while k < view.n and k - e < 4 and (view.norms[k] in ("and", ",", "&") or _is_cap_word(view.texts[k])):
        k += 1  # 'Vostochny and Nakhodka ports'
    if k < view.n and view.norms[k] in lex.other_facility_heads and view.norms[k] not in own:
        return "after"
    # 'the port of Vostochny', 'the port of Rajin and Vostochny', 'the ports of Nakhodka, Vostochny'
    k = s - 1
    while k >= 0 and s - k < 8 and view.sent_of[k] == view.sent_of[s] and (
            view.norms[k] in ("and", ",", "&") or (_is_cap_word(view.texts[k]) and view.norms[k] not in own)):
        k -= 1
    if k >= 1 and view.norms[k] == "of" and view.norms[k - 1] in lex.other_facility_heads:
        return "before"
    return None


def _starts_longer_name(view: _DocView, lex: Lexicons, s: int, e: int) -> bool:
    """A family-first surname ('Kim', 'Choe') followed by given names ('Sung-bae', 'Yong Bok') opens
    another person's full name, not the short form of the gazetteer's person."""
    if e - s != 1 or view.texts[s] not in lex.family_first or e >= view.n or view.ws[s] != " ":
        return False
    if view.sent_of[e] != view.sent_of[s] or view.heading[s]:
        return False
    nxt = view.texts[e]
    return _is_cap_word(nxt) and nxt.isalpha() and not is_all_caps(nxt) and nxt not in POSSESSIVES


def _not_equipment(view: _DocView, lex: Lexicons, s: int, e: int, entry) -> bool:
    nxt = view.norms[e] if e < view.n else ""
    prv = view.norms[s - 1] if s > 0 else ""
    return nxt in lex.not_equipment_before or prv in lex.not_equipment_after.get(entry.item, ())


def _designation_candidates(view: _DocView, lex: Lexicons, covered: list, cands: list, mark) -> None:
    """Weapon designations no gazetteer knows yet ('a dozen KN-31 launchers', 'the new Hwasong-20')."""
    for i in range(view.n):
        text = view.texts[i]
        if covered[i] or "-" not in text or not lex.designation.match(text) or text in lex.designation_exclude:
            continue
        a, b = view.sents[view.sent_of[i]][:2]
        if not any(view.norms[t] in lex.designation_context for t in range(a, b) if t != i):
            continue
        cands.append(_cand(i, i + 1, "EQUIPMENT", f"EQUIPMENT:{slugify(text)}", text, "rule", PRIO_RULE,
                           kind="system", item=text.lower()))
        mark(i, i + 1)


@lru_cache(maxsize=4096)
def _fuzzy_lookup(text: str, strong_ratio: int = 88, weak: bool = True):
    """The gazetteer entry a misspelt word stands for; a one-letter substitution only when ``weak``."""
    choices = fuzzy_choices()
    hit = process.extractOne(text, list(choices), scorer=fuzz.ratio, score_cutoff=strong_ratio)
    if hit is None and weak and len(text) >= 6:
        # one letter wrong in a longer name ('Moskow'): the same length, first letter and one substitution
        hit = process.extractOne(text, [c for c in choices if len(c) == len(text)], scorer=Levenshtein.distance, score_cutoff=1)
        if hit is not None and (hit[0][0] != text[0] or hit[0][-1] != text[-1] and hit[0][-2] != text[-2]):
            hit = None
    if hit is None:
        return None
    surface = hit[0]
    if surface[0] != text[0] or abs(len(surface) - len(text)) > 2:
        return None
    return choices[surface]


def _fuzzy_candidates(view: _DocView, covered: list, cands: list, mark) -> None:
    """Capitalised tokens close to a known place or people name ('Pyrongyang' -> Pyongyang)."""
    lex = lexicons()
    for i, text in enumerate(view.texts):
        if covered[i] or len(text) < 5 or not text[0].isupper() or not text.isalpha() or text.isupper():
            continue
        if text in lex.given_names or view.heading[i]:
            continue
        if text in fuzzy_choices():
            continue  # spelt right: the gazetteer took it or turned it down on purpose
        prev = view.norms[i - 1] if i > 0 else ""
        nxt = view.norms[i + 1] if i + 1 < view.n else ""
        if prev in lex.fuzzy_not_after or nxt in lex.fuzzy_not_before:
            continue  # 'the Angara', 'Angara tanker': a ship or a firm, never a misspelt capital
        placed = prev in lex.fuzzy_place_preps
        if not placed and len(text) < lex.fuzzy_min_length:
            continue  # a short unknown name is a state only where a place is expected ('to Moskow')
        entry = _fuzzy_lookup(text, lex.fuzzy_strong_ratio, weak=placed)
        if entry is not None:
            cands.append(_cand(i, i + 1, entry.label, entry.entity_id, entry.name, "rule", PRIO_RULE, fuzzy=True))
            mark(i, i + 1)


def _contextual_candidates(view: _DocView, cands: list, covered: list, mark) -> None:
    """'the North' for North Korea in an article that names it."""
    present = {c["id"] for c in cands}
    for rule in load_data("countries")["contextual"]:
        if rule["requires"] not in present:
            continue
        before = set(rule["before"])
        for i in view.positions(rule["word"]):
            if covered[i] or i == 0 or view.norms[i - 1] not in before:
                continue
            nxt = view.texts[i + 1] if i + 1 < view.n else ""
            if _is_cap_word(nxt) or nxt == "-":
                continue
            cands.append(_cand(i, i + 1, rule["label"], rule["entity_id"], _name_of(rule["entity_id"]), "rule", PRIO_RULE))
            mark(i, i + 1)


def _name_of(entity_id: str) -> str:
    from .resources import country_name

    return country_name(entity_id) if len(entity_id) == 3 else entity_id.split(":", 1)[1]


def _name_tokens_ok(view: _DocView, s: int, e: int) -> bool:
    words = [view.texts[t] for t in range(s, e) if view.norms[t] != "-"]
    return 1 <= len(words) <= 4 and all(w[:1].isalpha() for w in words)


def _run_end(view: _DocView, i: int) -> int:
    """End of the capitalised run starting at token i."""
    j = i + 1
    while j < view.n and view.sent_of[j] == view.sent_of[i]:
        if view.joiner(j):
            j += 2
        elif _is_cap_word(view.texts[j]) and view.ws[j - 1] == " ":
            j += 1
        else:
            break
    return j


def _title_person_candidates(view: _DocView, titles, title_tokens: list, cands: list) -> None:
    """'President Vladimir Putin', 'General No Kwang Chol', 'Secretary of State Antony Blinken'."""
    for s, e, _alias in titles:
        if e >= view.n or view.heading[s] or not _is_cap_word(view.texts[e]) or title_tokens[e]:
            continue
        if view.ws[e - 1] != " ":
            continue
        end = _run_end(view, e)
        # the name stops before another title or an organisation head ('Minister Kim Yong Hyun Ministry')
        if not _name_tokens_ok(view, e, end):
            continue
        lex = lexicons()
        if any(view.texts[t] in lex.org_heads or view.texts[t] in lex.loc_heads for t in range(e, end)):
            continue  # 'the Korean People's Army General Staff', 'Commander Far East Command': no person
        name = _clean_name(view.span_text(e, end))
        cands.append(_cand(e, end, "PERSON", f"PERSON:{slugify(name)}", name, "rule", PRIO_STRONG_RULE, title=(s, e)))


def _clean_name(text: str) -> str:
    return " ".join(text.split())


def _followed_by_speech(view: _DocView, lex: Lexicons, e: int) -> bool:
    j = e
    steps = 0
    while j < view.n and steps < 3 and view.norms[j] in AUX and view.norms[j] not in lex.speech:
        j += 1
        steps += 1
    return j < view.n and view.norms[j] in lex.speech


def apposition_role(view: _DocView, lex: Lexicons, e: int) -> tuple[str | None, int]:
    """', associate fellow at the Royal United Services Institute,' after a name -> (role, end token)."""
    doc = view.doc
    if e >= view.n or view.texts[e] != ",":
        return None, e
    j = e + 1
    limit = min(view.n, j + 18)
    has_role = False
    k = j
    while k < limit and view.sent_of[k] == view.sent_of[e]:
        t = view.norms[k]
        if t in {",", ";", ":", "(", ")", "—", "–", '"', "“", "”"} or view.tok.is_space[k]:
            break
        if t in lex.role_nouns or t.rstrip("s") in lex.role_nouns:
            has_role = True
        k += 1
    if k == j or not has_role:
        return None, e
    first = view.norms[j]
    if first in {"who", "which", "that", "and", "but"}:
        return None, e
    words = doc[j:k]
    start = j + 1 if first in {"a", "an", "the"} else j
    role = _clean_name(view.span_text(start, k))
    return (role or None), k


def _preceding_role(view: _DocView, lex: Lexicons, s: int) -> tuple[str | None, int]:
    """'former U.S. national intelligence officer Christopher Chivvis' -> (the role before the name,
    its first token)."""
    if s == 0:
        return None, s
    last = view.norms[s - 1]
    if last not in lex.role_nouns and not (last.endswith("s") and last[:-1] in lex.role_nouns):
        return None, s  # 'officer Christopher Chivvis', 'envoys Steve Witkoff and Jared Kushner'
    j = s - 1
    stop = {"said", "says", "told", "according", "to", "by", "with", "and", "that", "as", ",", "said", "from", "of", "in"}
    while j > 0 and s - j < 9:
        t = view.norms[j - 1]
        if t in stop or view.tok.is_punct[j - 1] or view.tok.is_space[j - 1] or view.sent_of[j - 1] != view.sent_of[s]:
            break
        j -= 1
    if view.norms[j] in {"a", "an", "the"}:
        j += 1
    return _clean_name(view.span_text(j, s)) or None, j


def _run_candidates(view: _DocView, lex: Lexicons, covered: list, title_tokens: list, cands: list) -> None:
    """Capitalised runs: organisations, events and places by their head word; people by context."""
    for a, b in view.cap_runs():
        if view.heading[a]:
            continue
        # organisations / events / places named by their head word
        if view.norms[a] == "the" and b - a > 1:
            a += 1
        head_label = _head_label(view, lex, a, b)
        if head_label:
            label, end = head_label
            if a > 0 and ORDINAL.match(view.texts[a - 1]) and label == "ORG":
                a -= 1  # 'the 11th Army Corps'
            if end - a >= 2 and not all(covered[a:end]):
                name = _clean_name(view.span_text(a, end))
                if name.lower().startswith("the "):
                    name = name[4:]
                cands.append(_cand(a, end, label, f"{label}:{slugify(name)}", name, "rule", PRIO_STRONG_RULE))
                for t in range(a, end):
                    covered[t] = True
                continue
        # uncovered stretches of the run
        t = a
        while t < b:
            if covered[t] or title_tokens[t]:
                t += 1
                continue
            u = t
            while u < b and not covered[u] and not title_tokens[u]:
                u += 1
            _classify_stretch(view, lex, t, u, cands)
            t = u


def _head_label(view: _DocView, lex: Lexicons, a: int, b: int):
    texts = [view.texts[t] for t in range(a, b)]
    last = texts[-1]
    if last in lex.event_heads:
        return "EVENT", b
    if last in lex.loc_heads:
        return "LOC", b
    if last in lex.fac_heads:
        return "FAC", b
    has_head = any(t in lex.org_heads for t in texts)
    if not has_head:
        return None
    end = b
    # extend over 'of'/'for'/'on' (+ 'the') and 'and' + another run ending in a head
    while end < view.n - 1 and view.norms[end] in CONNECTORS and view.sent_of[end] == view.sent_of[a]:
        k = end
        conn = view.norms[k]
        k += 1
        if k < view.n and view.norms[k] == "the":
            k += 1
        if k >= view.n or not _is_cap_word(view.texts[k]):
            break
        nxt = _run_end(view, k)
        if conn in {"and", "&"} and view.texts[nxt - 1] not in lex.org_heads and not (
            end > b and _name_part_after_of(view, k, nxt)
        ):
            break  # 'Institute for International and Security Affairs': 'and' inside the 'for' part
        if conn == "the":
            break
        end = nxt
    if last in lex.org_heads or end > b:
        return "ORG", end
    return None


def _name_part_after_of(view: _DocView, k: int, nxt: int) -> bool:
    """The run k..nxt after 'X of/for Y and' continues the name when it is no named thing of its own
    ('... for International and Security Affairs', not '... of Defence and Russia')."""
    if nxt < view.n and view.norms[nxt] in ("'s", "’s"):
        return False
    key = tuple(view.norms[t] for t in range(k, nxt) if view.norms[t] != "-")
    gaz = gazetteer()
    return not any(key[:n] in gaz.by_key for n in range(1, len(key) + 1))


def _run_start(view: _DocView, k: int) -> int:
    """The first token of the capitalised run that ends at token k (k + 1 when token k is no capital)."""
    j = k
    while j >= 0 and _is_cap_word(view.texts[j]) and view.sent_of[j] == view.sent_of[k]:
        j -= 1
    return max(j + 1, 1)


def _role_noun(lex: Lexicons, word: str) -> bool:
    """A role noun, also in the plural ('envoys Steve Witkoff and Jared Kushner')."""
    return word in lex.role_nouns or (word.endswith("s") and word[:-1] in lex.role_nouns)


def _classify_stretch(view: _DocView, lex: Lexicons, s: int, e: int, cands: list) -> None:
    words = [view.texts[t] for t in range(s, e) if view.norms[t] != "-"]
    n_words = len(words)
    if n_words == 0:
        return
    initial = s in view.initial
    if initial and n_words >= 2 and (view.norms[s] in lex.openers or (view.norms[s].endswith("ly") and words[0] not in lex.given_names)):
        view.initial.add(s + 1)  # the rest still opens the sentence
        _classify_stretch(view, lex, s + 1, e, cands)
        return
    if n_words >= 3 and words[0] not in lex.given_names and words[1] in lex.given_names and e - s == n_words:
        # 'Conservative Graham Brady', 'Attorney Paul McNulty': a word before a given name is no part of it
        _classify_stretch(view, lex, s + 1, e, cands)
        return
    name = _clean_name(view.span_text(s, e))
    according = s >= 2 and view.norms[s - 2] == "according" and view.norms[s - 1] == "to"
    after_said = s >= 1 and view.norms[s - 1] in {"said", "says", "told", "added", "explained"}
    speech = _followed_by_speech(view, lex, e)
    role, _ = apposition_role(view, lex, e)
    preceded_role = s >= 1 and (
        _role_noun(lex, view.norms[s - 1]) or (s >= 2 and view.norms[s - 1] == "," and _role_noun(lex, view.norms[s - 2]))
        or (s >= 3 and view.norms[s - 1] == "and" and _role_noun(lex, view.norms[_run_start(view, s - 2) - 1]))
    )  # 'envoys Steve Witkoff and Jared Kushner': both named after the role
    honorific = s >= 1 and view.texts[s - 1] in lex.honorifics
    name_like = 2 <= n_words <= 4 and all(w[:1].isalpha() and not is_all_caps(w) for w in words)
    given = words[0] in lex.given_names or (
        n_words <= 3 and (words[0] in lex.family_first or words[-1] in lex.family_first)
    )
    context = speech or role is not None or according or after_said or preceded_role or honorific
    if name_like and (context or given):
        cands.append(_cand(s, e, "PERSON", f"PERSON:{slugify(name)}", name, "rule", PRIO_RULE))
        return
    if n_words == 1 and (speech or according or honorific or preceded_role) and words[0][:1].isalpha():
        if initial:
            return
        label = "ORG" if is_all_caps(words[0]) else "PERSON"
        # a capitalised word before 'said' ('Nintendo said', 'Western claims') is a person only when it is
        # the surname of someone named in full, or a title or honorific says so
        weak = not (honorific or preceded_role) and label == "PERSON"
        cands.append(_cand(s, e, label, f"{label}:{slugify(name)}", name, "rule", PRIO_RULE, single=True, weak_single=weak))
        return
    if n_words >= 2 and not initial:
        cands.append(_cand(s, e, "MISC", f"MISC:{slugify(name)}", name, "rule", PRIO_WEAK))


def _date_candidates(view: _DocView, published, cands: list) -> None:
    doc = view.doc
    items = item_lexicon()
    qualifier_words = {"over", "than", "some", "about", "around", "nearly", "almost", "least", "approximately", "roughly"}
    for m in find_dates(view.tok.text, published):
        span = doc.char_span(m.start, m.end)
        if span is None:
            continue
        if view.heading[span.start] and len(span) == 1 and m.normalized and len(m.normalized) == 4:
            pass
        if len(span) == 1 and view.texts[span.start].isdigit():
            # '2000 troops', 'over 2000' are counts, not years
            nxt = view.norms[span.end] if span.end < view.n else ""
            prv = view.norms[span.start - 1] if span.start > 0 else ""
            up_to = span.start > 1 and view.norms[span.start - 2] == "up" and prv == "to"
            if nxt in items.lengths or prv in qualifier_words or up_to:
                continue
        value = m.value.isoformat() if m.value else None
        text = _clean_name(span.text)
        cands.append(
            _cand(span.start, span.end, "DATE", f"DATE:{slugify(m.normalized or text)}", text, "rule", PRIO_GAZ,
                  normalized=m.normalized, date=value)
        )


# --- resolution -----------------------------------------------------------------------------


def _resolve(cands: list[dict]) -> list[dict]:
    """Longest span first, then priority; overlapping candidates are dropped."""
    cands = sorted(cands, key=lambda c: (-(c["e"] - c["s"]), -c["prio"], c["s"]))
    taken: dict[int, bool] = {}
    chosen = []
    for c in cands:
        if any(t in taken for t in range(c["s"], c["e"])):
            continue
        for t in range(c["s"], c["e"]):
            taken[t] = True
        chosen.append(c)
    chosen.sort(key=lambda c: c["s"])
    return chosen


def _short_forms_of(view: _DocView, lex: Lexicons, m: dict) -> list[str]:
    parts = view.doc[m["s"] : m["e"]].text.split()
    if len(parts) < 2:
        return []
    short = parts[0] if parts[0] in lex.family_first and parts[-1] not in lex.family_first else parts[-1]
    return [] if short in lex.never_short else [short]


def _short_forms(view: _DocView, lex: Lexicons, chosen: list[dict]) -> list[dict]:
    """A surname alone ('Chivvis explained', "Belousov's trip") is the person introduced in full."""
    doc = view.doc
    chosen = _names_confirmed_by_surname(view, lex, chosen)
    intro: dict[str, list[tuple[int, dict]]] = {}
    confirmed: dict[str, list[tuple[int, dict]]] = {}  # short forms that are also common words ('Park')
    for m in chosen:
        if m["label"] == "PERSON" and not m.get("short") and not m.get("single"):
            for short in _short_forms_of(view, lex, m):
                intro.setdefault(short, []).append((m["s"], m))
            parts = view.doc[m["s"] : m["e"]].text.split()
            if len(parts) >= 2 and parts[0] in lex.never_short and parts[0] in lex.family_first:
                confirmed.setdefault(parts[0], []).append((m["s"], m))
    if not intro and not confirmed and not any(m.get("short") for m in chosen):
        return chosen

    def resolve(text: str, pos: int, single: bool = False):
        options = intro.get(text) or (confirmed.get(text) if single else None)
        if not options:
            return None
        before = [(s, m) for s, m in options if s < pos]
        if not before:
            return options[0][1]
        if len({m["id"] for _, m in before}) == 1:
            return before[-1][1]
        # two people of one surname ('President Lee Jae Myung' ... 'Samsung Electronics Executive
        # Chairman Lee Jae-yong'): the one introduced with the title this mention has ('President
        # Lee'), else the one named in this sentence or the one before, else the first introduced,
        # whom the article is about (a second namesake in an aside is written in full)
        title = view.norms[pos - 1] if pos >= 1 and view.texts[pos - 1][:1].isupper() else None
        if title is not None:
            titled = [m for s, m in before if s >= 1 and view.norms[s - 1] == title]
            if len({m["id"] for m in titled}) == 1:
                return titled[-1]
        last_s, last = before[-1]
        if view.sent_of[pos] - view.sent_of[last_s] <= 1:
            return last
        return before[0][1]

    out = []
    covered = set()
    for m in chosen:
        covered.update(range(m["s"], m["e"]))
        if m["label"] == "PERSON" and (m.get("short") or m.get("single") or m["e"] - m["s"] == 1):
            # also a surname after an honorific ('Mr. Araghchi' after 'Foreign Minister Abbas Araghchi')
            full = resolve(doc[m["s"] : m["e"]].text, m["s"], single=bool(m.get("single")))
            if full is not None:
                m = dict(m, id=full["id"], name=full["name"], state=full.get("state"), short=True)
            elif m.get("short") and doc[m["s"]].text in lex.ambiguous_short:
                continue
            elif m.get("weak_single"):
                continue
        out.append(m)
    for i, text in enumerate(view.texts):
        if i in covered or text not in intro:
            continue
        if view.heading[i] or (i + 1 < view.n and _is_cap_word(view.texts[i + 1])):
            continue
        full = resolve(text, i)
        if full is None:
            continue
        out.append(_cand(i, i + 1, "PERSON", full["id"], full["name"], "rule", PRIO_RULE, state=full.get("state"), short=True))
    out.sort(key=lambda c: c["s"])
    return out


def _names_confirmed_by_surname(view: _DocView, lex: Lexicons, chosen: list[dict]) -> list[dict]:
    """A name the gazetteer and the given-name list do not know is a person's when its last word
    speaks alone later ("Cameron Chell's comments came as ...", then '"...," Chell told Fox News'): the
    first two-word capitalised run ending in that word, not inside another mention, becomes the person."""
    singles = {view.texts[m["s"]] for m in chosen if m.get("weak_single") and m["e"] - m["s"] == 1}
    if not singles:
        return chosen
    covered = {k for m in chosen for k in range(m["s"], m["e"])}
    found: dict[str, dict] = {}
    for i in range(1, view.n):
        word = view.texts[i]
        if word not in singles or word in found or i in covered or (i - 1) in covered:
            continue
        first = view.texts[i - 1]
        if not (_is_cap_word(first) and first.isalpha() and not is_all_caps(first)) or view.norms[i - 1] in lex.openers:
            continue
        if view.sent_of[i - 1] != view.sent_of[i] or view.heading[i] or (i + 1 < view.n and _is_cap_word(view.texts[i + 1])):
            continue
        name = f"{first} {word}"
        found[word] = _cand(i - 1, i + 1, "PERSON", f"PERSON:{slugify(name)}", name, "rule", PRIO_RULE)
    if not found:
        return chosen
    return sorted(chosen + list(found.values()), key=lambda c: c["s"])


def _last_of_a_list(view: _DocView, by_end: dict[int, dict], s: int) -> bool:
    """The mention starting at ``s`` ends a list of names ('Iran, and North Korea', 'Russia and China')."""
    k = s
    while k > 0 and view.norms[k - 1] in ("and", "or", ",", "&"):
        k -= 1
    return k < s and k in by_end


def _acronyms(view: _DocView, chosen: list[dict]) -> list[dict]:
    """'United Nations Security Council (UNSC)', "Ukraine's military intelligence, known as HUR"."""
    doc = view.doc
    by_start = {m["s"]: m for m in chosen}
    by_end = {m["e"]: m for m in chosen}
    covered = {t for m in chosen for t in range(m["s"], m["e"])}
    aliases: dict[str, dict] = {}
    added = []
    for i in range(view.n):
        text = view.texts[i]
        if len(text) > 8 or len(text) < 2 or not text.isupper() or not is_all_caps(text):
            continue
        long_form = None
        if i >= 2 and view.norms[i - 1] == "(" and i + 1 < view.n and view.norms[i + 1] == ")":
            long_form = by_end.get(i - 1)
        elif i >= 3 and view.norms[i - 1] == "as" and view.norms[i - 2] == "known":
            k = i - 3
            if view.norms[k] == "also":
                k -= 1
            if view.norms[k] == ",":
                long_form = by_end.get(k)
        if long_form is None or long_form["label"] not in ("ORG", "GPE", "LOC", "EQUIPMENT", "MISC"):
            continue
        if _last_of_a_list(view, by_end, long_form["s"]):
            continue  # 'China, Russia, Iran, and North Korea (CRINK)': the acronym names the group, not the last
        if i in covered:
            short = by_start.get(i)
            if short is not None and short["e"] == i + 1 and short["label"] == "ORG" and long_form["label"] == "MISC":
                long_form.update(label="ORG", id=short["id"], name=short["name"])
            continue
        label = "ORG" if long_form["label"] == "MISC" else long_form["label"]
        if long_form["label"] == "MISC":
            long_form.update(label="ORG", id=f"ORG:{slugify(long_form['name'])}")
        # the acronym stands for what its long form stands for: 'the AFRF' acts for Russia as the
        # 'Armed Forces of the Russian Federation' do
        m = _cand(i, i + 1, label, long_form["id"], long_form["name"], "rule", PRIO_RULE, state=long_form.get("state"))
        added.append(m)
        covered.add(i)
        aliases[text] = long_form
    if aliases:
        for m in chosen:
            lf = aliases.get(doc[m["s"] : m["e"]].text)
            if lf is not None and m.get("single") and m["src"] == "rule":
                m.update(label=lf["label"], id=lf["id"], name=lf["name"], state=lf.get("state"))
        for i, text in enumerate(view.texts):
            if i not in covered and text in aliases:
                lf = aliases[text]
                added.append(_cand(i, i + 1, lf["label"], lf["id"], lf["name"], "rule", PRIO_RULE, state=lf.get("state")))
                covered.add(i)
    if not added:
        return chosen
    return sorted(chosen + added, key=lambda c: c["s"])


def _merge_model(view: _DocView, lex: Lexicons, chosen: list[dict]) -> list[dict]:
    """A trained pipeline's entities that do not overlap ours are kept with source 'model'."""
    doc = view.doc
    model_ents = list(doc.ents)
    if not model_ents:
        return chosen
    ignore = set(lex.model["ignore_labels"])
    keep = set(lex.model["keep_labels"])
    covered = {t for m in chosen for t in range(m["s"], m["e"])}
    out = list(chosen)
    gaz = gazetteer()
    for ent in model_ents:
        if ent.label_ in ignore or any(t in covered for t in range(ent.start, ent.end)):
            continue
        label = ent.label_ if ent.label_ in keep else "MISC"
        name = _clean_name(ent.text)
        entity_id = f"{label}:{slugify(name)}"
        aliases = gaz.by_key.get(alias_key(ent.text))
        if aliases:
            entity_id, name = aliases[0].entry.entity_id, aliases[0].entry.name
        extra = {}
        if label == "DATE":
            found = find_dates(ent.text, None)
            extra["normalized"] = found[0].normalized if found else None
        out.append(_cand(ent.start, ent.end, label, entity_id, name, "model", PRIO_WEAK, **extra))
    out.sort(key=lambda c: c["s"])
    return out


def _add_roles(view: _DocView, lex: Lexicons, chosen: list[dict]) -> None:
    """The role a person is introduced with (apposition, title, or a role phrase before the name), and
    the state a person the gazetteer does not tie to one travels for, when the role names it
    (``role_state``): a state or nationality, or a person of a known state, inside the role ('Russian
    Deputy Foreign Minister Andrei Rudenko', ", Russia's ambassador to Pyongyang,", "Trump's envoys
    Steve Witkoff and Jared Kushner"). Only a meeting abroad reads it (claims.py): for what a person
    does, the gazetteer's state alone makes the state the actor."""
    doc = view.doc
    for n, m in enumerate(chosen):
        if m["label"] != "PERSON" or m.get("short"):
            continue
        role, end = apposition_role(view, lex, m["e"])
        span = (m["e"] + 1, end)
        title = m.get("title") or next(((ts, te) for ts, te, _ in view.titles if te == m["s"]), None)
        if role is None and title:
            ts, te = title
            role = _clean_name(view.span_text(ts, te))
            span = (ts, te)
            # include a nationality or country right before the title ('Russian President')
            k = ts
            prev = [c for c in chosen if c["e"] == k and c["label"] in ("NORP", "GPE")]
            if prev:
                role = _clean_name(doc[prev[0]["s"] : te].text)
                span = (prev[0]["s"], te)
        if role is None:
            role, start = _preceding_role(view, lex, _first_of_pair(view, chosen, n))
            span = (start, m["s"])
        if role:
            m["role"] = role
            if not m.get("state"):
                m["role_state"] = _role_state(chosen, *span)


def _first_of_pair(view: _DocView, chosen: list[dict], n: int) -> int:
    """Where the name(s) after a role begin: the first of two persons joined by 'and' ("Trump's envoys
    Steve Witkoff and Jared Kushner": both have the role)."""
    m = chosen[n]
    if n >= 1 and chosen[n - 1]["label"] == "PERSON" and chosen[n - 1]["e"] == m["s"] - 1 and view.norms[m["s"] - 1] == "and":
        return chosen[n - 1]["s"]
    return m["s"]


def _role_state(chosen: list[dict], start: int, end: int) -> str | None:
    """The state a role phrase at tokens start..end names: its first state or nationality mention, or
    the state of a person named in it."""
    for c in chosen:
        if start <= c["s"] and c["e"] <= end:
            if c["label"] in ("GPE", "NORP") and len(c["id"]) == 3:
                return c["id"]
            if c["label"] == "PERSON" and c.get("state"):
                return c["state"]
    return None


class EntityRecognizer:
    """spaCy component: finds mentions and stores them in ``doc.user_data['dossier']['mentions']``."""

    def __init__(self, nlp=None, name: str = "dossier_entities"):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        from .state import context_published

        state = get_state(doc)
        mentions = find_mentions(doc, context_published(doc))
        sent_of = token_sentence_index(doc)
        rows = []
        spans = []
        tok = token_table(doc)
        for m in mentions:
            rows.append(
                {
                    "s": m["s"],
                    "e": m["e"],
                    "start": tok.idx[m["s"]],
                    "end": tok.ends[m["e"] - 1],
                    "label": m["label"],
                    "id": m["id"],
                    "name": m["name"],
                    "normalized": m.get("normalized"),
                    "date": m.get("date"),
                    "source": m["src"],
                    "sent": sent_of[m["s"]],
                    "kind": m.get("kind"),
                    "item": m.get("item"),
                    "state": m.get("state"),
                    "role_state": m.get("role_state"),
                    "role": m.get("role"),
                    "short": bool(m.get("short")),
                }
            )
            spans.append(Span(doc, m["s"], m["e"], label=m["label"]))
        state["mentions"] = rows
        roles = state["roles"]
        for r in rows:
            if r["label"] == "PERSON" and r["role"] and r["id"] not in roles:
                roles[r["id"]] = r["role"]
        doc.ents = spans
        return doc
