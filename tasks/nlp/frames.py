"""The claim grammar: frames of ``data/claim_frames.json`` applied to the dependency parse.

A frame is a predicate with its trigger lemmas and, for each kind of trigger (an active verb, a
passive one, a noun, a verb of receiving), the dependency paths that fill its roles: subject and
object (actors), item (what is supplied, deployed, tested or used). This engine is generic: it finds
the triggers of a parsed sentence, walks the role paths, widens each filler to the words coordinated
with it, resolves fillers to actor mentions and item slots, and takes modality and source from
``modality.py``. A new sentence shape is a path in the data, with a test sentence from a real article.

A trigger with no subject of its own takes the subject of the verb it complements or is coordinated
with ('began shipping', 'deployed troops and supplied shells'), the noun a relative clause modifies
('Iran, which has supplied drones'), or the subject of the light verb whose object it is ('paid a
visit', 'imposed sanctions').
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Token

from .parse import ACTOR_LABELS as ACTORS
from .resources import load_data
from .syntax import children, is_passive, prepositional_phrases, relation

NOUN_KINDS = ("noun", "receive_noun", "giver_noun", "receiver_noun")  # triggers that are nouns
RECEIVING_KINDS = ("receive", "receive_noun", "receiver_noun", "reliance")  # whose subject on the parse receives
MODIFIER_RELATIONS = ("possessor", "adjective_modifier", "name_part")  # an actor named inside a noun phrase


def inflections(lemma: str, pos: str, irregular: dict[str, list[str]]) -> set[str]:
    """The forms of a trigger lemma: regular English endings, plus the irregular forms listed in the
    data (which also stand in for doubled consonants: 'shipped')."""
    forms = {lemma}
    forms.update(irregular.get(lemma, []))
    consonant_y = lemma.endswith("y") and len(lemma) > 1 and lemma[-2] not in "aeiou"
    sibilant = lemma.endswith(("s", "x", "z", "ch", "sh"))
    forms.add(lemma[:-1] + "ies" if consonant_y else lemma + ("es" if sibilant else "s"))
    if pos == "verb":
        if consonant_y:
            forms.add(lemma[:-1] + "ied")
        elif lemma.endswith("e"):
            forms.add(lemma + "d")
        else:
            forms.add(lemma + "ed")
        forms.add(lemma[:-1] + "ing" if lemma.endswith("e") and not lemma.endswith("ee") else lemma + "ing")
    return forms


@dataclass(frozen=True)
class Trigger:
    predicate: str
    kind: str  # active, passive, noun, receive


class Grammar:
    def __init__(self, data: dict):
        self.version = data["version"]
        irregular = data["irregular"]
        self.verbs: dict[str, list[tuple[str, bool]]] = {}
        self.nouns: dict[str, list[str]] = {}
        self.receive_nouns: dict[str, list[str]] = {}
        self.agent_nouns: dict[str, list[tuple[str, str]]] = {}
        self.reliance: dict[str, list[str]] = {}  # 'relied on', 'reliance on', 'dependent on': kind 'reliance'
        self.paths: dict[tuple[str, str], dict[str, list[list[str]]]] = {}
        self.needs_item = frozenset(p for p, f in data["frames"].items() if f.get("needs_item"))
        self.itemless_nouns = frozenset(form for f in data["frames"].values() for lemma in f.get("itemless_nouns", [])
                                        for form in inflections(lemma, "noun", irregular))
        self.needs_object = frozenset(p for p, f in data["frames"].items() if f.get("needs_object"))
        self.object_required = frozenset(p for p, f in data["frames"].items() if f.get("no_claim_without_object"))
        # triggers whose claim may stand without an object where the frame otherwise requires one
        self.objectless: dict[str, frozenset] = {
            p: frozenset(form for lemma in f["objectless_triggers"] for pos in ("verb", "noun")
                         for form in inflections(lemma, pos, irregular))
            for p, f in data["frames"].items() if f.get("objectless_triggers")
        }
        self.objectless_phrases = frozenset(p for p, f in data["frames"].items() if f.get("objectless_phrases"))
        self.parse_only = frozenset(p for p, f in data["frames"].items() if f.get("engine") == "parse")
        self.place_objects = frozenset(data["place_object_predicates"])
        self.target_paths = {(p, kind): paths for p, f in data["frames"].items() for kind, paths in f.get("target_paths", {}).items()}
        self.place_object_paths = data["place_object_paths"]
        self.place_labels = frozenset(data["place_labels"])
        self.parse_only_nouns = frozenset(p for p, f in data["frames"].items() if f.get("noun_engine") == "parse")
        self.person_subject = frozenset(p for p, f in data["frames"].items() if f.get("person_subject"))
        self.not_with_objects = {p: frozenset(f["not_with_objects"]) for p, f in data["frames"].items() if f.get("not_with_objects")}
        self.mutual = frozenset(p for p, f in data["frames"].items() if f.get("mutual"))
        self.reciprocals = frozenset(tuple(words.split()) for words in data["reciprocals"])
        self.item_examples = frozenset(data["item_examples"])
        self.pronouns = {w: (frozenset(p["labels"]), p["previous_sentence"]) for w, p in data["pronouns"].items()}
        self.nearest_pronouns = {w: frozenset(p.get("not_after", [])) for w, p in data["pronouns"].items() if p.get("nearest")}
        self.counter_nouns = frozenset(data["counter_nouns"])
        self.subject_pronouns = frozenset(w for w, p in data["pronouns"].items() if p.get("previous_subject"))
        self.object_markers = frozenset(data["object_markers"])
        self.noun_needs = frozenset(p for p, f in data["frames"].items() if f.get("noun_needs_object_or_of_item"))
        self.report_sense = frozenset(data["report_sense_relations"])
        self.opposing = frozenset(data["opposing_prefixes"])
        for predicate, frame in data["frames"].items():
            for lemma in frame.get("verbs", []):
                for form in inflections(lemma, "verb", irregular):
                    self.verbs.setdefault(form, []).append((predicate, False))
            for lemma in frame.get("receive_verbs", []):
                for form in inflections(lemma, "verb", irregular):
                    self.verbs.setdefault(form, []).append((predicate, True))
            for lemma in frame.get("passive_verbs", []):
                for form in inflections(lemma, "verb", irregular):
                    self.verbs.setdefault(form, []).append((predicate, None))
            for lemma in frame.get("nouns", []):
                for form in inflections(lemma, "noun", irregular):
                    self.nouns.setdefault(form, []).append(predicate)
            for lemma in frame.get("receive_nouns", []):
                for form in inflections(lemma, "noun", irregular):
                    self.receive_nouns.setdefault(form, []).append(predicate)
            words = frame.get("reliance_words", {})
            for pos in ("verbs", "nouns", "adjectives"):
                for lemma in words.get(pos, []):
                    for form in inflections(lemma, pos[:-1], irregular) if pos != "adjectives" else [lemma]:
                        self.reliance.setdefault(form, []).append(predicate)
            for kind in ("giver_nouns", "receiver_nouns"):
                for lemma in frame.get(kind, []):
                    for form in inflections(lemma, "noun", irregular):
                        self.agent_nouns.setdefault(form, []).append((predicate, kind[:-1]))
            for kind, roles in data["kinds"].items():
                self.paths[(predicate, kind)] = frame.get("roles", {}).get(kind, roles if "roles" not in frame else {})
        self.light_verbs = frozenset(f for lemma in data["light_verbs"] for f in inflections(lemma, "verb", irregular))
        self.event_determiners = frozenset(data["event_determiners"])
        self.event_predicates = frozenset(data["event_predicates"])
        self.event_window = data["event_reference_window"]
        self.composition_verbs = frozenset(f for lemma in data["composition_verbs"] for f in inflections(lemma, "verb", irregular))
        self.instrument_verbs = frozenset(f for lemma in data["instrument_verbs"] for f in inflections(lemma, "verb", irregular))
        self.receiving_verbs = frozenset(f for lemma in data["receiving_light_verbs"] for f in inflections(lemma, "verb", irregular))
        inherit = data["inheriting_relations"]
        self.from_governor = tuple(inherit["from_governor"])
        self.from_head_noun = tuple(inherit["from_head_noun"])
        self.from_governor_after = {rel: frozenset(words) for rel, words in inherit["from_governor_after"].items()}
        self.participle_relations = tuple(inherit["participle_relations"])
        self.participle_blockers = frozenset(inherit["participle_blockers"])
        self.state_anaphors = frozenset(load_data("triggers")["state_anaphors"])
        self.indefinite_subjects = frozenset(load_data("triggers")["indefinite_subjects"])

    def triggers(self, token: Token) -> list[Trigger]:
        word = token.lower_
        tag = token.tag_
        if tag.startswith("NN") and word.endswith("ing") and word in self.verbs and children(token, "object", "indirect_object"):
            tag = "VBG"  # 'in supplying Russia with drones' tagged as a noun, parsed with an object: a verb
        if word in self.reliance and tag.startswith(("VB", "NN", "JJ")):
            return [Trigger(p, "reliance") for p in self.reliance[word]]
        if tag.startswith("VB") and word in self.verbs:
            out = []
            for predicate, receive in self.verbs[word]:
                if receive:
                    out.append(Trigger(predicate, "receive"))
                elif receive is None:  # a frame's 'passive_verbs': a trigger in the passive only
                    if _passive(token):
                        out.append(Trigger(predicate, "passive"))
                else:
                    out.append(Trigger(predicate, "passive" if _passive(token) else "active"))
            return out
        if tag.startswith("NN") and (word in self.nouns or word in self.receive_nouns or word in self.agent_nouns):
            return [Trigger(p, "noun") for p in self.nouns.get(word, [])] + [
                Trigger(p, "receive_noun") for p in self.receive_nouns.get(word, [])] + [
                Trigger(p, kind) for p, kind in self.agent_nouns.get(word, [])]
        return []


@lru_cache(maxsize=1)
def grammar() -> Grammar:
    return Grammar(load_data("claim_frames"))


def _passive(token: Token) -> bool:
    """A passive verb, or a participle modifying a noun ('missiles supplied by Iran')."""
    return is_passive(token) or (token.tag_ == "VBN" and relation(token) == "clause_modifier"
                                 and token.head.tag_.startswith("NN"))


def walk(token: Token, path: list[str]) -> list[Token]:
    """The tokens a path reaches from ``token``."""
    here = [token]
    for n, step in enumerate(path):
        nxt: list[Token] = []
        if n > 0:
            # a phrase shared by a list may hang on any of its words ('SRBMs, missiles and shells to Russia')
            here = [c for t in here for c in coordinated(t)]
        for t in here:
            if step.startswith("prep:"):
                word = step[5:]
                nxt.extend(noun for prep, noun in prepositional_phrases(t) if prep == word)
            elif step == "purpose":
                # an infinitive of purpose: 'sent more than 5,000 troops to assist Russia'
                nxt.extend(c for c in children(t, "clause_modifier") if any(
                    relation(k) == "marker" and k.lower_ == "to" for k in c.children))
            else:
                nxt.extend(children(t, step))
        here = nxt
    return here


def coordinated(token: Token) -> list[Token]:
    """The token and the words coordinated with it ('China, Iran and North Korea')."""
    out = [token]
    stack = [token]
    while stack:
        t = stack.pop()
        for c in children(t, "conjunct"):
            if c not in out:
                out.append(c)
                stack.append(c)
    return out


class SentenceView:
    """What the engine needs of a sentence: its mentions by token, its item slots by token."""

    def __init__(self, sent, slots: list[dict]):
        self.sent = sent
        self.slots = slots
        self.slot_at: dict[int, dict] = {}
        for slot in slots:
            for k in range(slot["s"], slot["e"]):
                self.slot_at.setdefault(k, slot)

    def mention(self, token: Token) -> dict | None:
        m = self.sent.mention_at.get(token.i)
        if m is None and token.lower_ in grammar().pronouns:
            return self.antecedent(token)
        if m is None and token.lower_ in grammar().state_anaphors and any(c.lower_ == "the" for c in children(token, "determiner")):
            return self.state_antecedent(token)
        return m if m is not None and m["label"] in ACTORS else None

    def state_antecedent(self, token: Token) -> dict | None:
        """'the country' (triggers.json: state_anaphors): the last state named before it, in this
        sentence or the one before, other than the subject of the verb it hangs on ('the Security
        Council voted on a draft resolution that sought to ... levy additional sanctions on the country')."""
        verb = token.head
        while verb.head.i != verb.i and not verb.tag_.startswith("VB"):
            verb = verb.head
        own = {m["id"] for k in children(verb, "subject") if (m := self.sent.mention_at.get(k.i)) is not None}
        return state_before(self.sent, token.i - 1, token.i + 1, own)

    def antecedent(self, pronoun: Token) -> dict | None:
        """What a pronoun stands for (data: ``pronouns``): the actor subject of a verb its clause hangs
        on, else the last actor of the pronoun's labels named before it (this sentence, then the one
        before); a 'nearest' pronoun (possessive 'its') that last actor first."""
        labels, previous = grammar().pronouns[pronoun.lower_]
        before = [m for m in self.sent.mentions if m["e"] <= pronoun.i and m["label"] in labels]
        skip = grammar().nearest_pronouns.get(pronoun.lower_)
        if skip is not None:
            main = self._main_clause_subject(pronoun, labels)
            if main is not None:
                return main
            near = [m for m in before if not partner_of_noun(self.sent.doc, m["s"], skip)]
            if near:
                return near[-1]
        t = pronoun.head
        for _ in range(5):
            if t.head.i == t.i:
                break
            t = t.head
            for k in t.children:
                if relation(k) in ("subject", "passive_subject") and k.i != pronoun.i:
                    m = self.sent.mention_at.get(k.i)
                    if m is not None and m["label"] in labels:
                        return m
        if before:
            return before[-1]
        if pronoun.lower_ in grammar().subject_pronouns and relation(pronoun) == "subject":
            m = self._previous_subject(labels)
            if m is not None or not previous:
                return m
        earlier = [m for m in getattr(self.sent, "prev_mentions", []) if m["label"] in labels] if previous else []
        return earlier[-1] if earlier else None

    def _main_clause_subject(self, pronoun: Token, labels) -> dict | None:
        """A possessive inside the subject of a subordinate clause ('North Korea could supply Iran with
        missiles if its shipments to Russia slow down') stands for the subject of the clause that one
        hangs on, not for the last actor named."""
        noun = pronoun.head
        verb = noun.head
        if relation(noun) != "subject" or relation(verb) != "clause_modifier" or not verb.tag_.startswith("VB"):
            return None
        if not any(relation(k) == "marker" for k in verb.children) or not verb.head.tag_.startswith(("VB", "MD")):
            return None
        for k in verb.head.children:
            m = self.sent.mention_at.get(k.i) if relation(k) == "subject" else None
            if m is not None and m["label"] in labels:
                return m
        return None

    def _previous_subject(self, labels) -> dict | None:
        """The subject of the sentence before, read in words (that sentence is seldom parsed): its first
        actor, when that is of the pronoun's labels and no preposition's object ('Until last year Shoigu
        ... was rotated out ... In June 2025 alone he visited the DPRK twice': Shoigu)."""
        if getattr(self.sent, "prev_bounds", None) is None:
            return None
        actors = [m for m in self.sent.prev_mentions if m["label"] in ACTORS]
        if not actors or actors[0]["label"] not in labels:
            return None
        first = actors[0]
        before = self.sent.norms[first["s"] - 1] if first["s"] > self.sent.prev_bounds[0] else ""
        return None if before in grammar().object_markers else first

    def actor(self, token: Token, modifiers: bool = True, of_items: bool = False) -> dict | None:
        """The actor a filler names: its own mention, or one named inside its noun phrase ('the North
        Korean leader', 'Russia's defence ministry', 'Ukrainian cities'); inside an item's phrase
        only when ``of_items`` (people who travel for their state: 'Chinese military officers')."""
        m = self.mention(token)
        if m is not None or not modifiers:
            return m
        if token.i in self.slot_at and not of_items:
            return None  # 'North Korean troops' is an item; its nationality is not the actor
        for child in token.children:
            if relation(child) in MODIFIER_RELATIONS:
                m = self.mention(child)
                if m is not None and not self._opposed(m):
                    return m
        for child in token.children:
            if relation(child) == "apposition":
                m = self.mention(child)
                if m is not None:
                    return m
        return None

    def destination(self, token: Token, modifiers: bool = True) -> dict | None:
        """An actor, or a place that stands for its state as where troops, goods or a visitor go
        ('dispatched thousands of troops to Kursk': Russia; data: ``place_object_predicates``)."""
        m = self.actor(token, modifiers)
        if m is not None:
            return m
        place = self.sent.mention_at.get(token.i)
        return as_state(place) if place is not None else None

    def person(self, token: Token, modifiers: bool = True) -> dict | None:
        """A person filler: a PERSON mention, or a noun that is no mention with the actor it belongs
        to ('the South Korean delegation', 'Chinese military officers'); not a bare country."""
        m = self.mention(token)
        if m is not None:
            return m if m["label"] == "PERSON" else None
        return self.actor(token, modifiers, of_items=True) if modifiers and token.tag_.startswith("NN") else None

    def _opposed(self, m: dict) -> bool:
        return after_opposing_prefix(self.sent, m["s"])

    def item(self, token: Token) -> dict | None:
        """The item slot a filler names: the slot holding the filler, or one in its noun phrase."""
        slot = self.slot_at.get(token.i)
        if slot is not None:
            return slot
        for child in token.children:
            if relation(child) in ("name_part", "adjective_modifier"):
                slot = self.slot_at.get(child.i)
                if slot is not None:
                    return slot
        return None

    def items(self, token: Token, modifiers: bool = True) -> list[dict]:
        """The item slots a filler gives: its own, else those of its examples and parts ('millions of
        artillery shells', 'ammunition ..., including shells, guns and missiles'; data:
        ``item_examples``), each with its coordinated words."""
        own = self.item(token)
        found = [own] if own is not None else []
        examples = grammar().item_examples
        for prep, noun in prepositional_phrases(token):
            if prep in examples:
                for t in coordinated(noun):
                    for slot in self.items(t) if t.i != token.i else []:
                        if all(slot is not f for f in found):
                            found.append(slot)
        return found


def state_before(sent, s: int, e: int, exclude) -> dict | None:
    """What 'the country' at tokens s..e stands for (triggers.json: state_anaphors): the last state
    named before it, in its sentence or the one before, that is not in ``exclude``; read by both engines."""
    before = [m for m in sent.mentions if m["e"] <= s]
    for m in list(reversed(before)) + list(reversed(getattr(sent, "prev_mentions", []))):
        if m["label"] in ("GPE", "NORP") and len(m["id"]) == 3 and m["id"] not in exclude:
            return {"id": m["id"], "label": "GPE", "name": m["name"], "s": s, "e": e}
    return None


def partner_of_noun(doc, k: int, words: frozenset[str]) -> bool:
    """The mention at token k follows one of ``words`` that follows a noun ('relationship with Russia',
    'ties with Moscow'; not ', with North Korea having begun ...'), past articles; a tagged sentence only."""
    j = k - 1
    while j >= 0 and doc[j].lower_ in ("the", "a", "an"):
        j -= 1
    return j >= 1 and doc[j].lower_ in words and doc[j - 1].tag_.startswith("NN")


def as_state(place: dict) -> dict | None:
    """A place mention (a region, a city the gazetteer ties to a state) as that state, for an object;
    None for a place of no known state or one that is an actor already."""
    if place["label"] not in grammar().place_labels or not place.get("state"):
        return None
    return {**place, "id": place["state"], "label": "GPE"}


def after_opposing_prefix(sent, k: int) -> bool:
    """Token ``k`` follows an opposing prefix (data: ``opposing_prefixes``), with or without a dash
    between: 'anti-Israel' names no party supported, 'anti-ship missiles' no ships."""
    doc = sent.doc
    before = [doc[j].lower_ for j in range(max(sent.a, k - 2), k)]
    if before and before[-1] in ("-", "–"):
        before = before[:-1]
    return bool(before) and before[-1] in grammar().opposing


def _fill(view: SentenceView, token: Token, paths: list[list[str]], get, extra: list[Token] | None = None) -> list:
    """The first path whose fillers resolve: the resolved values of all fillers and their conjuncts
    (and of ``extra`` words once a filler is found). ``get`` gives a value or None, or a list."""
    for path in paths:
        found = []
        if path and path[-1] == "origin":
            # the actor named inside the item's own phrase: 'imports of North Korean arms' come from North Korea
            path, get = path[:-1], (lambda t, modifiers=True: view.actor(t, modifiers, of_items=True))
        fillers = walk(token, path)
        words = [t for filler in fillers for t in coordinated(filler)]
        if words and extra:
            words += [t for t in extra if t not in words]
        for t in words:
            # a coordinated word counts for itself only: in 'the invasion of Ukraine and the Iran-Israel
            # war' the war's modifier is no second object
            value = get(t) if t in fillers else get(t, modifiers=False)
            for v in value if isinstance(value, list) else [value]:
                if v is not None and all(v is not f for f in found):
                    found.append(v)
        if found:
            return found
    return []


def _stray_conjuncts(trigger: Token) -> list[Token]:
    """Nouns the parser coordinated with the trigger verb itself, which belong to the list of its
    object ('provided Pyongyang with MiG-29 fighters, air defense systems, and more')."""
    if not trigger.tag_.startswith("VB"):
        return []
    return [c for c in children(trigger, "conjunct") if c.tag_.startswith("NN")]


def _inherited_subject(view: SentenceView, token: Token, g: Grammar, subject_of, depth: int = 0) -> list[dict]:
    """The subject of a trigger that has none of its own (see the module's docstring), read with
    ``subject_of`` (an actor, or a person for a frame whose subject travels)."""
    if depth > 4 or token.head.i == token.i:
        return []
    token = _counted(token, g)
    rel = relation(token)
    head = token.head
    if rel in g.from_head_noun:
        m = subject_of(head)
        return [m] if m is not None else []
    if rel in g.from_governor_after and head.tag_.startswith("VB") and any(
            k.lower_ in g.from_governor_after[rel] for k in children(token, "case")):
        relations = ("subject",)  # 'emerged as a major supplier of munitions'
    elif rel in g.from_governor or (rel in g.participle_relations and token.tag_ == "VBG" and head.tag_.startswith("VB")
                                  and not any(k.i < token.i and k.lower_ in g.participle_blockers for k in token.children)
                                  and (token.i == 0 or token.doc[token.i - 1].lower_ not in g.indefinite_subjects)):
        relations = ("subject", "passive_subject")
    elif rel == "object" and head.lower_ in g.light_verbs:
        relations = ("subject",)
    else:
        return []
    own = [m for k in head.children if relation(k) in relations for t in coordinated(k) if (m := subject_of(t)) is not None]
    return own or _inherited_subject(view, head, g, subject_of, depth + 1)


def _counted(token: Token, g: Grammar) -> Token:
    """A noun trigger counted by a 'counter_nouns' word ('imposed 19 rounds of sanctions on Russia')
    takes that word's place in the clause."""
    head = token.head
    if relation(token) == "noun_modifier" and head.lower_ in g.counter_nouns and any(c.lower_ == "of" for c in children(token, "case")):
        return head
    return token


def frame_triggers(view: SentenceView) -> Iterator[tuple[Token, Trigger]]:
    g = grammar()
    for token in view.sent.doc[view.sent.a : view.sent.b]:
        if token.tag_.startswith("VB") and any(relation(c) in g.report_sense for c in token.children):
            continue  # 'concluded that North Korea is responsible': a verb reporting a clause
        for trig in g.triggers(token):
            blocked = g.not_with_objects.get(trig.predicate)
            if blocked and any(c.lower_ in blocked for c in children(token, "object", "passive_subject")):
                continue  # 'signed a joint letter'
            if trig.kind in NOUN_KINDS:
                slot = view.slot_at.get(token.i)
                if slot is not None and slot["e"] - slot["s"] > 1:
                    continue  # 'military assistance' is an item, not a support claim
                if relation(token) == "name_part" and token.head.tag_.startswith("NN"):
                    continue  # 'the sanctions regime', 'supply chains': a noun naming no event
            yield token, trig


def named_before(token: Token) -> bool:
    """A noun trigger that refers back to an event named before: 'the attack', 'this strike', with no
    possessor of its own (data: ``event_determiners``)."""
    return any(relation(k) == "determiner" and k.lower_ in grammar().event_determiners for k in token.children) and not any(
        relation(k) == "possessor" for k in token.children)


def event_items(view: SentenceView, token: Token) -> list[dict]:
    """What an event noun is made of, from the verb it is the subject of ('the attack involved 242 drones,
    13 ballistic missiles ...'; data: ``composition_verbs``)."""
    head = token.head
    if relation(token) != "subject" or head.i == token.i or head.lower_ not in grammar().composition_verbs:
        return []
    return _fill(view, head, [["object"]], view.items, _stray_conjuncts(head))


def _reciprocal_object(token: Token) -> bool:
    """The trigger's object is 'each other' or 'one another' (claim_frames.json: reciprocals)."""
    words = grammar().reciprocals
    for child in children(token, "object"):
        nxt = child.doc[child.i + 1] if child.i + 1 < len(child.doc) else None
        if nxt is not None and (child.lower_, nxt.lower_) in words:
            return True
    return False


def roles(view: SentenceView, token: Token, trig: Trigger) -> dict[str, list]:
    """Subjects, objects (actor mentions) and items (slots) of one trigger."""
    g = grammar()
    paths = g.paths.get((trig.predicate, trig.kind), {})
    subject_of = view.person if trig.predicate in g.person_subject else view.actor
    place = _counted(token, g) if trig.kind in NOUN_KINDS else token
    subjects = _fill(view, token, paths.get("subject", []), subject_of)
    if not subjects and place.i != token.i:
        subjects = _fill(view, place, paths.get("subject", []), subject_of)  # 'Turkey is one of the suppliers'
    objects = _fill(view, token, paths.get("object", []), view.actor)
    if not objects and trig.predicate in g.place_objects:
        objects = _fill(view, token, g.place_object_paths, view.destination)  # 'dispatched troops to Kursk'
    if not objects and (trig.predicate, trig.kind) in g.target_paths:
        # 'attempted to strike a presidential palace in the Novgorod region': the place stands for its state
        objects = _fill(view, token, g.target_paths[(trig.predicate, trig.kind)], view.destination)
    items = _fill(view, token, paths.get("item", []), view.items, _stray_conjuncts(token))
    if trig.kind == "noun" and relation(token) == "oblique" and token.head.lower_ in g.instrument_verbs:
        # 'it used its new hypersonic Oreshnik missile in an attack against Ukraine': who uses the weapon
        # attacks with it
        verb = token.head
        subjects = subjects or _fill(view, verb, [["subject"]], subject_of) or _inherited_subject(view, verb, g, subject_of)
        items = items or _fill(view, verb, [["object"]], view.items)
    if not subjects and trig.kind not in RECEIVING_KINDS:
        subjects = _inherited_subject(view, token, g, subject_of)
    if not objects and trig.kind in ("receiver_noun", "reliance"):
        # 'Turkey has become the top buyer of Russian oil', 'Moscow began to rely on Iranian drones'
        objects = _inherited_subject(view, token, g, view.actor)
    if trig.kind == "passive" and relation(token) == "clause_modifier" and not items:
        slot = view.item(token.head)  # 'missiles supplied by Iran'
        if slot is not None:
            items = [slot]
    if place.i != token.i and not objects:
        objects = _fill(view, place, paths.get("object", []), view.actor)  # '19 rounds of sanctions on Russia'
    if trig.kind == "noun" and not objects and relation(place) == "object" and place.head.lower_ in g.light_verbs:
        objects = _fill(view, place.head, paths.get("object", []), view.actor)  # 'provided support to Russia'
    if trig.kind == "noun" and not objects and relation(token) == "object" and token.head.lower_ in g.receiving_verbs:
        # 'North Korea is believed to have received Russian help': who receives is the object
        objects = _fill(view, token.head, [["subject"], ["passive_subject"]], view.actor) or _inherited_subject(
            view, token.head, g, view.actor)
        if not subjects:
            subjects = _fill(view, token.head, [["prep:from"]], subject_of)
    if trig.kind == "noun" and trig.predicate in g.noun_needs and not objects:
        of_items = _fill(view, token, [["prep:of"]], view.items)
        if not of_items:
            return {"subject": [], "object": [], "item": []}
    if trig.predicate in g.mutual and not objects and len(subjects) > 1:
        return {"subject": subjects, "object": subjects, "item": items}  # each the other's (subject == object is skipped)
    if not objects and len(subjects) > 1 and _reciprocal_object(token):
        # 'Putin and Kim agreed to support each other': each supports the other
        return {"subject": subjects, "object": subjects, "item": items}
    return {"subject": subjects, "object": objects, "item": items}
