"""The versioned data files under ``data/`` and the lookup structures built from them.

Everything is loaded once per process (``functools.lru_cache``) and is read-only afterwards, so the
components stay picklable and cheap to copy into worker processes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import pycountry

from .text import POSSESSIVES, is_all_caps, norm_token, plural, slugify

DATA_DIR = Path(__file__).parent / "data"


@lru_cache(maxsize=None)
def load_data(name: str) -> dict[str, Any]:
    """One JSON data file by stem ('countries', 'triggers', ...)."""
    with open(DATA_DIR / f"{name}.json", encoding="utf-8") as handle:
        return json.load(handle)


@lru_cache(maxsize=1)
def _tokenizer():
    import spacy

    return spacy.blank("en").tokenizer


def alias_key(alias: str) -> tuple[str, ...]:
    """The lookup key of a surface form: normalised tokens without hyphen tokens.

    'Kim Jong-un' and 'Kim Jong Un' share the key ('kim', 'jong', 'un').
    """
    return tuple(k for k in (norm_token(t.text) for t in _tokenizer()(alias)) if k != "-")


@dataclass(frozen=True)
class Entry:
    """A gazetteer entity: what a matched alias resolves to."""

    entity_id: str
    label: str
    name: str
    kind: str | None = None  # equipment: 'system' | 'class'
    item: str | None = None  # equipment: the normalised item name
    state: str | None = None  # ORG/PERSON: the state it acts for
    short: bool = False  # a short form of a person ('Putin')


@dataclass(frozen=True)
class Alias:
    entry: Entry
    surface: str
    case: str  # 'exact' | 'title' | 'any'
    context_only: bool = False


@dataclass
class Gazetteer:
    """Aliases keyed by their token key, with an index of possible key lengths per first token."""

    by_key: dict[tuple[str, ...], list[Alias]] = field(default_factory=dict)
    lengths: dict[str, list[int]] = field(default_factory=dict)

    def add(self, surface: str, entry: Entry, case: str | None = None, context_only: bool = False):
        surface = surface.strip()
        if surface.lower().startswith("the ") and entry.label != "EVENT":
            surface = surface[4:]
        key = alias_key(surface)
        if not key:
            return
        if case is None:
            if is_all_caps(surface) and " " not in surface:
                case = "exact"
            elif surface[0].isupper():
                case = "title"
            else:
                case = "any"
        aliases = self.by_key.setdefault(key, [])
        if any(a.entry.entity_id == entry.entity_id and a.case == case for a in aliases):
            return
        aliases.append(Alias(entry, surface, case, context_only))
        lens = self.lengths.setdefault(key[0], [])
        if len(key) not in lens:
            lens.append(len(key))
            lens.sort(reverse=True)


def _equipment_plurals(alias: str) -> list[str]:
    words = alias.split(" ")
    if " of " in alias:
        i = words.index("of") - 1
        return [" ".join(words[:i] + [plural(words[i])] + words[i + 1 :])]
    if is_all_caps(alias):
        return [alias + "s"]
    return [" ".join(words[:-1] + [plural(words[-1])])]


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """All named things: people, organisations, equipment, events, places, states."""
    gaz = Gazetteer()
    for person in load_data("people")["entries"]:
        entry = Entry(f"PERSON:{slugify(person['name'])}", "PERSON", person["name"], state=person.get("state"))
        for alias in person["aliases"]:
            gaz.add(alias, entry)
        short = Entry(entry.entity_id, "PERSON", person["name"], state=person.get("state"), short=True)
        for alias in person.get("short", []):
            gaz.add(alias, short)
    orgs = load_data("organizations")
    for org in orgs["entries"]:
        entry = Entry(org.get("id") or f"ORG:{slugify(org['name'])}", "ORG", org["name"], state=org.get("state"))
        for alias in org["aliases"]:
            gaz.add(alias, entry)
    equipment = load_data("equipment")
    context_only = set(equipment.get("shell_context_only", []))
    for eq in equipment["entries"]:
        entry = Entry(f"EQUIPMENT:{slugify(eq['name'])}", "EQUIPMENT", eq["name"], kind=eq["kind"], item=eq["item"])
        for alias in eq["aliases"]:
            forms = [alias] + _equipment_plurals(alias)
            for form in forms:
                gaz.add(form, entry, context_only=alias in context_only)
    for event in load_data("events")["entries"]:
        entry = Entry(f"EVENT:{slugify(event['name'])}", "EVENT", event["name"])
        for alias in event["aliases"]:
            gaz.add(alias, entry)
    for place in load_data("places")["entries"]:
        label = place["label"]
        entry = Entry(f"{label}:{slugify(place['name'])}", label, place["name"], state=place.get("state"))
        for alias in place["aliases"]:
            gaz.add(alias, entry)
    _add_countries(gaz)
    return gaz


def country_name(iso3: str) -> str:
    names = load_data("countries")["names"]
    if iso3 in names:
        return names[iso3]
    country = pycountry.countries.get(alpha_3=iso3)
    if country is None:
        return iso3
    return getattr(country, "common_name", None) or country.name


def _add_countries(gaz: Gazetteer) -> None:
    data = load_data("countries")
    for hist in data["historical"] + data["blocs"]:
        entry = Entry(hist["id"], hist["label"], hist["name"])
        for alias in hist["aliases"]:
            gaz.add(alias, entry)
    for iso3, aliases in data["aliases"].items():
        entry = Entry(iso3, "GPE", country_name(iso3))
        for alias in aliases:
            gaz.add(alias, entry)
    for iso3, aliases in data["demonyms"].items():
        entry = Entry(iso3, "NORP", country_name(iso3))
        for alias in aliases:
            gaz.add(alias, entry)
    for iso3, aliases in data["capitals"].items():
        entry = Entry(iso3, "GPE", country_name(iso3))
        for alias in aliases:
            gaz.add(alias, entry)
    for iso3, aliases in data["metonyms"].items():
        entry = Entry(iso3, "GPE", country_name(iso3))
        for alias in aliases:
            gaz.add(alias, entry)
    excluded = set(data["exclude_pycountry_names"])
    for country in pycountry.countries:
        entry = Entry(country.alpha_3, "GPE", country_name(country.alpha_3))
        for attr in ("name", "official_name", "common_name"):
            value = getattr(country, attr, None)
            if value and "," not in value and value not in excluded:
                gaz.add(value, entry)


@lru_cache(maxsize=1)
def fuzzy_choices() -> dict[str, Entry]:
    """Single-word proper names a misspelt capitalised token may be matched against."""
    choices: dict[str, Entry] = {}
    for key, aliases in gazetteer().by_key.items():
        if len(key) != 1 or len(key[0]) < 5:
            continue
        for alias in aliases:
            if alias.case == "title" and alias.entry.label in ("GPE", "NORP", "LOC") and not alias.entry.short:
                choices.setdefault(alias.surface, alias.entry)
    return choices


@lru_cache(maxsize=1)
def goods_lexicon() -> Gazetteer:
    """Surface forms of the things that are no equipment (people, goods, aid) -> normalised item."""
    lex = Gazetteer()
    data = load_data("items")
    items = data["items"]
    for surface, item in items.items():
        lex.add(surface, Entry(f"ITEM:{slugify(item)}", "ITEM", item, item=item), case="any")
    for item, aliases in data["goods"].items():
        entry = Entry(f"ITEM:{slugify(item)}", "ITEM", item, item=item)
        for alias in aliases:
            for form in [alias] + _equipment_plurals(alias):
                if form.lower() not in items:
                    lex.add(form, entry, case=None if is_all_caps(alias) else "any")
    return lex


@lru_cache(maxsize=1)
def item_lexicon() -> Gazetteer:
    """Surface forms of counted things -> normalised item (in Entry.item): goods and equipment."""
    lex = Gazetteer()
    for key, aliases in goods_lexicon().by_key.items():
        lex.by_key[key] = list(aliases)
    for first, lens in goods_lexicon().lengths.items():
        lex.lengths[first] = list(lens)
    for key, aliases in gazetteer().by_key.items():
        for alias in aliases:
            if alias.entry.label == "EQUIPMENT":
                lex.by_key.setdefault(key, []).append(alias)
                lens = lex.lengths.setdefault(key[0], [])
                if len(key) not in lens:
                    lens.append(len(key))
                    lens.sort(reverse=True)
    return lex


@lru_cache(maxsize=1)
def title_lexicon() -> Gazetteer:
    """Titles that precede a person's name ('President', 'Secretary of State')."""
    lex = Gazetteer()
    for title in load_data("roles")["titles"]:
        lex.add(title, Entry("TITLE", "TITLE", title), case="title")
    return lex


@lru_cache(maxsize=1)
def trigger_lexicon() -> dict[str, Any]:
    """Trigger words -> (predicate, part of speech) and the phrasal triggers."""
    data = load_data("triggers")
    verbs: dict[str, str] = {}
    nouns: dict[str, str] = {}
    needs_item_verbs: dict[str, str] = {}
    needs_item_nouns: dict[str, str] = {}
    after_to: dict[str, str] = {}
    person_only: dict[str, str] = {}
    for predicate, spec in data["predicates"].items():
        for word in spec.get("person_only_verbs", []):
            person_only.setdefault(word, predicate)
        for word in spec.get("verbs_after_to", []):
            after_to.setdefault(word, predicate)
        for word in spec.get("verbs", []):
            verbs.setdefault(word, predicate)
        for word in spec.get("nouns", []):
            nouns.setdefault(word, predicate)
        for word in spec.get("needs_item_verbs", []):
            needs_item_verbs.setdefault(word, predicate)
        for word in spec.get("needs_item_nouns", []):
            needs_item_nouns.setdefault(word, predicate)
    phrasal = {tuple(p["tokens"]): p["predicate"] for p in data["phrasal"]}
    return {
        "person_only_verbs": person_only,
        "phrasal_item_before": {tuple(p["tokens"]) for p in data["phrasal"] if p.get("item_before")},
        "verbs": verbs,
        "nouns": nouns,
        "needs_item_verbs": needs_item_verbs,
        "needs_item_nouns": needs_item_nouns,
        "after_to": after_to,
        "phrasal": phrasal,
        "person_item": {p: s["person_item_predicate"] for p, s in data["predicates"].items() if "person_item_predicate" in s},
        **{k: set(v) for k, v in data.items() if isinstance(v, list) and k != "phrasal"},
    }


def is_possessive(text: str) -> bool:
    return text in POSSESSIVES
