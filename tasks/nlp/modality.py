"""How firmly a claim is stated, and by whom, read on the dependency parse of its sentence.

Two functions the claim grammar (``frames.py``) calls for each trigger of a parsed sentence:

- ``modality(trigger)``: one of asserted, reported, hedged, hypothetical, denied, from the words that
  govern or modify the trigger in its own clause (``data/modality.json``, section ``parse``). A hedge
  or a negation elsewhere in the sentence does not count.
- ``source(trigger, ...)``: the subject of the speech or report verb that governs the trigger's
  clause ('South Korea's spy agency said Pyongyang had sent ...'), or the noun of 'according to'; the
  subject is named by its mention or read as a described source ('South Korean officials'), never a
  fragment of the sentence.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from spacy.tokens import Token

from .resources import load_data
from .syntax import children, is_negated, negation_words, relation

CLAUSE_RELATIONS = ("open_complement", "conjunct")  # the verbs a trigger hangs on within its own clause


class ModalityCues:
    def __init__(self) -> None:
        data = load_data("modality")["parse"]
        self.modals = frozenset(data["modals"])
        self.perfect = frozenset(data["perfect_auxiliaries"])
        self.inverting = frozenset(data["inverting_auxiliaries"])
        self.conditional = frozenset(data["conditional_markers"])
        self.denial = frozenset(data["denial_governors"])
        self.hedge_modifiers = frozenset(data["hedge_modifiers"])
        self.hedge_governors = frozenset(data["hedge_governors"])
        self.intent = frozenset(data["intent_governors"])
        self.own_clause = frozenset(data["own_clause_markers"])


@lru_cache(maxsize=1)
def cues() -> ModalityCues:
    return ModalityCues()


def clause(trigger: Token) -> list[Token]:
    """The trigger and the verbs it hangs on as a complement or conjunct ('could begin to supply'); a
    noun trigger starts from the verb whose object it is ('could provide support', 'is believed to
    have received Russian help')."""
    out = [trigger]
    t = trigger
    if trigger.tag_.startswith("NN") and relation(trigger) == "object" and trigger.head.i != trigger.i:
        t = trigger.head
        out.append(t)
    while relation(t) in CLAUSE_RELATIONS and t.head.i != t.i and len(out) < 6:
        if relation(t) == "conjunct" and any(c.lower_ == "but" for c in children(t, "coordinator")):
            break  # 'did not deploy troops but supplied shells'
        t = t.head
        out.append(t)
    return out


def _negated(t: Token) -> bool:
    """``syntax.is_negated``, or a determiner of negation ('no deployment')."""
    return is_negated(t) or any(relation(k) == "determiner" and k.lower_ in negation_words() for k in t.children)


def _inverted(t: Token, c: ModalityCues) -> bool:
    """'Had North Korea not supplied ...', 'were Russia to send ...': the clause opens with an
    auxiliary that comes before its subject."""
    subjects = [k for k in t.children if relation(k) in ("subject", "passive_subject")]
    first = t.left_edge.i
    return bool(subjects) and any(
        relation(k) in ("auxiliary", "passive_auxiliary") and k.lower_ in c.inverting and k.i < subjects[0].i
        and (k.i == first or (k.i == first + 1 and t.doc[first].is_punct))
        for k in t.children
    )


def _opens_inverted(top: Token, c: ModalityCues) -> bool:
    """The clause opens with an inverting auxiliary followed by a noun, whatever the parser made of it
    ('Had North Korea not supplied ...' parsed with 'Had' as the main verb)."""
    first = top.left_edge
    doc = top.doc
    start = first.i
    if first.is_punct and start + 1 < len(doc):
        start += 1
    word = doc[start]
    return (word.lower_ in c.inverting and start + 1 < len(doc) and doc[start + 1].tag_.startswith(("NN", "PRP", "DT"))
            and (start == word.sent.start or doc[start - 1].is_punct))


def _denial_above(trigger: Token, c: ModalityCues) -> bool:
    """A verb of denial or refusal among the trigger's nearest heads ('refrained from supplying', also
    where the parser took 'supplying' for a noun)."""
    t = trigger
    for _ in range(3):
        if t.head.i == t.i or any(k.lower_ in c.own_clause for k in children(t, "marker")):
            return False  # 'While Iran has admitted selling Moscow drones ..., it has denied ...': a clause of its own
        t = t.head
        if t.lower_ in c.denial:
            return True
    return False


def denied_above(trigger: Token) -> bool:
    """A verb or adjective of denial or refusal governs the trigger ('has been unwilling to risk U.S.
    sanctions by overtly supplying Moscow'): read by the word rules' modality too."""
    return bool(trigger.dep_) and _denial_above(trigger, cues())


def _conditional_clause_on(verb: Token, c) -> bool:
    """An 'if' or 'unless' clause hanging on the top verb of the trigger's clause ('agreed to support
    each other if either country was dealing with aggression'): the act holds only on that condition."""
    return any(
        relation(k) == "clause_modifier" and k.i > verb.i and any(m.lower_ in c.conditional for m in children(k, "marker"))
        for k in verb.children
    )


def modality(trigger: Token, reported: bool) -> str:
    c = cues()
    words = clause(trigger)
    governor = words[-1].head if words[-1].head.i != words[-1].i else None
    if any(_inverted(t, c) for t in words) or _opens_inverted(words[-1], c) or any(
        k.lower_ in c.conditional for t in words for k in children(t, "marker")
    ) or _conditional_clause_on(words[-1], c):
        return "hypothetical"
    if any(_negated(t) for t in words):
        return "denied"
    if (governor is not None and governor.lower_ in c.denial) or _denial_above(trigger, c):
        return "denied"
    for t in words:
        for k in t.children:
            if relation(k) == "auxiliary" and k.lower_ in c.modals:
                after = [a for a in t.children if relation(a) == "auxiliary" and a.i > k.i]
                return "hedged" if any(a.lower_ in c.perfect for a in after) else "hypothetical"
    if any(t.lower_ in c.intent for t in words[1:]) or (governor is not None and governor.lower_ in c.intent):
        return "hypothetical"  # 'plans to send', 'offered to supply': not done yet
    if any(k.lower_ in c.hedge_modifiers for t in words for k in t.children
           if relation(k) in ("adverb_modifier", "adjective_modifier")):
        return "hedged"
    if any(t.lower_ in c.hedge_governors for t in words[1:]) or (governor is not None and governor.lower_ in c.hedge_governors):
        return "hedged"
    return "reported" if reported else "asserted"


def reporting_verb(trigger: Token, report_verbs: frozenset[str]) -> Token | None:
    """The speech or report verb whose clause holds the trigger ('said (that) Pyongyang sent ...',
    '..., the ministry said', 'told the BBC they believed at least 1,000 of the troops sent ... had
    been killed'), the nearest among the trigger's heads; a claim inside the speaker's own phrase
    ('officials who visited Pyongyang said') is not theirs. None when the claim is the writer's."""
    for t in clause(trigger):
        for child in t.children:
            if relation(child) == "parataxis" and child.lower_ in report_verbs and child.i > trigger.i:
                return child  # 'North Korea has sent troops, the spy agency said'
    t = trigger
    for _ in range(8):
        if t.head.i == t.i:
            return None
        rel = relation(t)
        head = t.head
        if head.lower_ in report_verbs and rel is not None and rel not in ("subject", "passive_subject"):
            return head
        t = head
    return None


def according_to(trigger: Token) -> Token | None:
    """The noun of 'according to X' that modifies the trigger's clause."""
    for t in clause(trigger):
        for child in t.children:
            if any(k.lower_ == "according" for k in child.children if relation(k) == "case"):
                return child
            if child.lower_ == "according":  # ClearNLP: prep 'according' -> prep 'to' -> pobj
                for to in child.children:
                    for noun in children(to, "preposition_object"):
                        return noun
    return None


def source(trigger: Token, report_verbs: frozenset[str], name_of: Callable[[int, int], str | None]) -> tuple[str | None, bool]:
    """(who the claim is attributed to, whether it is reported). ``name_of(start, end)`` names a
    source phrase by its token span (a mention's name or a described source), or returns None."""
    noun = according_to(trigger)
    if noun is not None:
        return name_of(*_phrase(noun)), True
    verb = reporting_verb(trigger, report_verbs)
    if verb is None:
        return None, False
    seen: set[int] = set()
    while verb is not None and verb.i not in seen:
        seen.add(verb.i)
        subjects = [k for k in verb.children if relation(k) == "subject"]
        if not subjects:
            return None, True  # 'it was reported that ...'
        if subjects[0].tag_ != "PRP":
            return name_of(*_phrase(subjects[0])), True
        # 'officials told the BBC they believed ...': the pronoun's speaker is the next reporter up
        outer = reporting_verb(verb, report_verbs)
        if outer is None:
            return None, True
        verb = outer
    return None, True


def _phrase(head: Token) -> tuple[int, int]:
    """The token span of a noun phrase without its clauses: left modifiers, the head, and what is
    joined to it by 'of', a name or an apposition in brackets; a relative clause or a comma ends it."""
    start = head.left_edge.i
    for child in head.lefts:
        if relation(child) == "case":
            start = max(start, child.right_edge.i + 1)  # 'According to customs data': the phrase is 'customs data'
    for k in range(head.i - 1, start - 1, -1):
        if head.doc[k].is_punct and head.doc[k].text not in ("'", "’", "-", ".", "&"):
            start = k + 1  # 'Even more significant, leaked documents revealed': the phrase is 'leaked documents'
            break
    end = head.i + 1
    for child in head.rights:
        rel = relation(child)
        if rel in ("relative_clause", "clause_modifier", "punctuation", "conjunct", "coordinator"):
            break
        end = child.right_edge.i + 1
    return start, end
