"""Claims: who did what to whom, with what, how many, according to whom, and how firmly.

Rules over tokens (no parser): a trigger word from ``data/triggers.json`` gives the predicate; the
subject is the nearest actor mention before a verb trigger (not inside a prepositional phrase), or the
possessor / 'by' / 'from' actor of a noun trigger, or the nationality modifying the item ('North
Korean munitions'); the object is the first actor after the trigger ('to X', 'X with'); items are the
equipment mentions, quantities and goods in the trigger's scope, one claim each. Modality and source
come from ``data/modality.json`` and ``data/reporting.json``. No subject, no claim.

Across a sentence's claims (``_prune``): exact repeats, a generic item ('arms') next to a specific one,
an object-less copy of a claim with an object, and a support claim that is only the purpose of a
supply or deployment are dropped. Across sentences (``_deny_back_references``): a denial of 'these
claims' / 'the reports' makes the previous sentence's claims ``denied``. Receipt verbs ('denied
receiving North Korean weapons') turn the roles round; 'launched ... at <place>' is an attack on the
place's state; a visit without 'to X' goes to the nearest place of another state in the sentence.
"""

from __future__ import annotations

from functools import lru_cache

from spacy.tokens import Doc

from tasks.dates import claim_period, period_start

from . import frames
from . import modality as modal
from .quantities import _item_at
from .resources import goods_lexicon, item_lexicon, load_data, trigger_lexicon
from .syntax import children, prepositional_phrases, relation
from .state import drop_scratch, get_state, sentences, token_norms, token_sentence_index
from .text import POSSESSIVES, norm_token

ACTORS = frozenset({"GPE", "NORP", "ORG", "PERSON"})
CLAIM_DATES = ("1900-01-01", "2100-12-31")  # the timeline suite's range, as the ISO dates mentions carry
DETERMINERS = frozenset({"the", "a", "an", "its", "their", "his", "her", "this", "that", "these", "those", "'s", "of", "our"})
CLAUSE_STOP = frozenset({";", "which", "who", "whom", "whose"})
VERB_BLOCKERS = frozenset({"the", "a", "an", "its", "their", "his", "her", "this", "these", "those", "'s", "our"})
MAX_SUBJECT_DISTANCE = 22


class ClaimLexicon:
    def __init__(self) -> None:
        t = trigger_lexicon()
        self.t = t
        data = load_data("triggers")
        modality = load_data("modality")
        reporting = load_data("reporting")
        self.location_preps = frozenset(data["location_preps"])
        self.receive = frozenset(data["receive_verbs"])
        self.person_items = frozenset(data["person_items"])
        self.needs_item = frozenset(data["needs_item_predicates"])
        self.item_predicates = frozenset(data["item_predicates"])
        self.vague_items = frozenset(data["unquantified_item_exclude"])
        self.be_forms = frozenset(data["be_forms"])
        self.verb_lexicon = frozenset(data["verb_lexicon"]) | frozenset(t["verbs"])
        self.subject_blockers = frozenset(data["subject_blockers"])
        self.object_preps = frozenset(data["object_preps"])
        self.attack_preps = frozenset(data["attack_object_preps"])
        self.item_scope_stops = frozenset(data["item_scope_stops"])
        self.non_item_heads = frozenset(data["equipment_non_item_heads"])
        self.designation_joiners = frozenset(data["designation_joiners"])
        self.clause_openers = frozenset(data["item_clause_openers"])
        self.helping_verbs = frozenset(data["helping_verbs"])
        self.destination_preps = frozenset(data["destination_preps"])
        self.noun_context = (frozenset(data["noun_context_words"]) | self.location_preps | frozenset(data["object_preps"])) - {"to"}
        self.purpose = frozenset(data["purpose_markers"])
        self.parse_object_preps = {k: frozenset(v) for k, v in data["parse_object_preps"].items()}
        self.parse_recipient_marker = data["parse_recipient_marker"]
        self.topic_relations = frozenset(data["topic_noun_relations"])
        self.topic_governors = frozenset(data["topic_noun_governors"])
        self.source_nouns = frozenset(reporting["source_nouns"])
        self.window = modality["window"]
        self.negations = frozenset(modality["negations"])
        self.negation_exceptions = [tuple(x.split()) for x in modality["negation_exceptions"]]
        self.denial = frozenset(modality["denial_verbs"])
        self.hypothetical_modals = frozenset(modality["hypothetical_modals"])
        self.cond_sentence = _phrase_index(modality["conditional_sentence"])
        self.cond_window = _phrase_index(modality["conditional_window"])
        self.inverted_openers = frozenset(modality["inverted_openers"])
        self.hedges = _phrase_index(modality["hedges"])
        self.infinitive_subject_preps = frozenset(data["infinitive_subject_preps"])
        self.state_anaphors = frozenset(data["state_anaphors"])
        self.indefinite_subjects = frozenset(data["indefinite_subjects"])
        self.gerund_adjective_heads = frozenset(data["gerund_adjective_heads"])
        self.means_markers = frozenset(data["means_markers"])
        self.hedge_exceptions = _phrase_index(modality["hedge_exceptions"])
        self.sentence_hedges = _phrase_index(modality["sentence_hedges"])
        self.report = frozenset(reporting["report"])
        self.contact_clauses = [tuple(x.split()) for x in reporting["source_contact_clauses"]]
        self.generic_sources = frozenset(reporting["generic_sources"])
        self.pronouns = frozenset({"it", "they", "he", "she", "which", "who"})
        self.back_ref_dets = frozenset(modality["back_reference_determiners"])
        self.back_ref_nouns = frozenset(modality["back_reference_nouns"])
        self.back_ref_window = modality["back_reference_window"]
        self.generic_items = frozenset(data["generic_items"])
        self.object_stops = frozenset(data["object_clause_stops"])
        self.needs_beneficiary = frozenset(data["needs_beneficiary_predicates"])
        self.state_subject = frozenset(data["state_subject_predicates"])
        self.launch_verbs = frozenset(data["launch_verbs"])
        self.launch_preps = frozenset(data["launch_target_preps"])
        self.joint_subjects = [tuple(x.split()) for x in data["joint_subjects"]]
        self.joint_heads = frozenset(p[-1] for p in self.joint_subjects)
        self.source_verbs = self.report | self.denial
        self.phrasal_by_first: dict[str, list] = {}
        for phrase, predicate in t["phrasal"].items():
            self.phrasal_by_first.setdefault(phrase[0], []).append((phrase, predicate))
        self.receipt = frozenset(data["receipt_verbs"])
        self.receipt_particles = frozenset(data["receipt_particles"])
        self.revenue_verbs = _phrase_index(data["revenue_verbs"])
        self.presence_preps = frozenset(data["presence_preps"])
        self.with_item_verbs = frozenset(data["with_item_verbs"])
        self.origin_phrases = _phrase_index(data["origin_phrases"])
        self.transport_verbs = frozenset(data["transport_verbs"])
        self.transport_goods = frozenset(data["transport_goods"])
        self.origin_nouns = frozenset(data["origin_source_nouns"])
        # every word that can start a trigger: other tokens are skipped at once
        self.trigger_words = (
            frozenset(t["verbs"]) | frozenset(t["nouns"]) | frozenset(t["needs_item_verbs"]) | frozenset(t["needs_item_nouns"])
            | frozenset(t["after_to"]) | self.receipt | frozenset(self.phrasal_by_first)
            | frozenset(t["person_only_verbs"]) | frozenset(data["meeting_verbs"])
            | frozenset(p.split()[0] for p in data["meeting_phrases"])
        )
        self.giving = frozenset(data["giving_verbs"])
        self.weapon_item_predicates = frozenset(data["weapon_item_predicates"])
        self.person_item_predicates = frozenset(data["person_item_predicates"])
        self.trade_triggers = frozenset(data["trade_triggers"])
        self.weapon_items = frozenset(
            a.entry.item for aliases in item_lexicon().by_key.values() for a in aliases if a.entry.label == "EQUIPMENT" and a.entry.item
        )
        self.agree_to_blockers = frozenset({"the", "a", "an", "terms", "demands", "it", "this", "that"})
        self.modified_vague = frozenset(data["modified_vague_items"])
        self.noun_modifiers = frozenset(data["noun_modifiers"])
        self.object_only_preps = {prep: frozenset(preds) for prep, preds in data["object_only_preps"].items()}
        self.objectless = frozenset(data["objectless_predicates"])
        self.preps = (self.location_preps | self.object_preps) - {"to"}
        self.modals = frozenset(modality["hypothetical_modals"]) | {"will", "must"}
        roles = load_data("roles")
        self.title_words = frozenset(w.lower() for t in roles["titles"] for w in t.split()) | frozenset(roles["office_words"])
        self.including = [tuple(x.split()) for x in data["including_markers"]]
        self.money_items = frozenset(data["money_items"])
        self.measure_items = frozenset(data["measure_items"])
        self.victim_items = frozenset(data["victim_items"])
        self.object_carry = data["object_carry"]
        self.reciprocal = _phrase_index(self.object_carry["reciprocal_phrases"])  # 'in return', 'in exchange'
        self.travellers = frozenset(data["traveller_nouns"]) | frozenset(roles["role_nouns"]) | self.title_words
        self.person_only = t["person_only_verbs"]
        self.phrasal_item_before = t["phrasal_item_before"]
        self.verb_chain = frozenset(data["verb_chain_words"])
        self.restatement = {k: frozenset(v) for k, v in data["restatement"].items()}
        self.event_verbs = frozenset(data["event_verbs"])
        self.meeting_verbs = frozenset(data["meeting_verbs"])
        self.meeting_phrases = _phrase_index(data["meeting_phrases"])
        self.norp_place_nouns = frozenset(data["norp_place_nouns"])
        self.non_state_groups = frozenset(data["non_state_groups"])
        self.style_suffixes = frozenset(data["style_suffixes"])
        self.anaphoric_dets = frozenset(data["anaphoric_item_determiners"])
        self.anaphoric_sources = {k: tuple(v) for k, v in reporting["anaphoric_sources"].items()}


@lru_cache(maxsize=1)
def claim_lexicon() -> ClaimLexicon:
    return ClaimLexicon()


def _phrase_index(phrases: list[str]) -> dict[str, list[tuple[str, ...]]]:
    """Phrases keyed by their first word, so that a scan looks at each token once."""
    index: dict[str, list[tuple[str, ...]]] = {}
    for phrase in phrases:
        words = tuple(phrase.split())
        index.setdefault(words[0], []).append(words)
    return index


def _has_phrase(norms: list[str], start: int, end: int, index: dict, unless: dict | None = None) -> bool:
    """A phrase of ``index`` starts between ``start`` and ``end``, not where a phrase of ``unless`` does."""
    for i in range(max(start, 0), end):
        options = index.get(norms[i])
        if options and any(tuple(norms[i : i + len(p)]) == p for p in options):
            if unless and _has_phrase(norms, i, i + 1, unless):
                continue
            return True
    return False


class _Sentence:
    previous_source = None

    def __init__(self, doc, norms, a, b, mention_at, mentions, quantities):
        self.doc, self.norms, self.a, self.b = doc, norms, a, b
        self.mention_at = mention_at
        self.mentions = mentions  # those of this sentence
        self.quantities = quantities


ENGINES = ("both", "words", "parse")


def _names_no_party(norms: list[str], state_at: dict[int, dict], m: dict, lex: ClaimLexicon) -> bool:
    """A state or nationality (``state_at``: those of the Doc by first token) that names no party
    (triggers.json: non_state_groups, style_suffixes):
    before a team or a band ('a British team', 'the British and Irish Lions tour'), or as the model of
    something ('a Madrid-style pre-election bombing')."""
    k = m["e"]
    if k + 1 < len(norms) and norms[k] == "-" and norms[k + 1] in lex.style_suffixes:
        return True
    if k < len(norms) and norms[k] in ("and", "&"):
        nxt = state_at.get(k + 1)
        if nxt is not None:
            k = nxt["e"]
    return k < len(norms) and norms[k] in lex.non_state_groups


def find_claims(doc: Doc, mentions: list[dict], quantities: list[dict], quotes: list[dict], engine: str = "both") -> list[dict]:
    """The claims of a Doc. ``engine``: "both" (the default: on a parsed sentence the claim grammar
    and the word rules merged, see ``_merge``), "words" (the word rules alone) or "parse" (the claim
    grammar alone where the sentence was parsed, the word rules elsewhere); the last two are for
    comparing the engines (bench/claim_errors.py --engine)."""
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {ENGINES}, not {engine!r}")
    lex = claim_lexicon()
    norms = token_norms(doc)
    # 'a British team toured New Zealand': a nationality before a team or a band names no party
    state_at = {m["s"]: m for m in mentions if m["label"] in ("NORP", "GPE")}  # states and nationalities by first token
    mentions = [m for m in mentions if not (m["label"] in ("NORP", "GPE") and _names_no_party(norms, state_at, m, lex))]
    mention_at: dict[int, dict] = {}
    for m in mentions:
        for t in range(m["s"], m["e"]):
            mention_at[t] = m
    out: list[dict] = []
    launches: list[dict] = []
    bounds = sentences(doc)
    sent_of = token_sentence_index(doc)
    states = {m["id"]: m.get("state") for m in mentions if m.get("state")}
    by_sent_m: dict[int, list[dict]] = {}
    by_sent_q: dict[int, list[dict]] = {}
    for m in mentions:
        by_sent_m.setdefault(sent_of[m["s"]], []).append(m)
    for q in quantities:
        by_sent_q.setdefault(sent_of[q["s"]], []).append(q)
    for sent_id, (a, b, heading) in enumerate(bounds):
        if heading or sent_id not in by_sent_m:
            continue
        sent = _Sentence(doc, norms, a, b, mention_at, by_sent_m[sent_id], by_sent_q.get(sent_id, []))
        sent.states = states
        sent.prior = out
        sent.launches = launches
        sent.earlier_mentions = [m for m in mentions if m["s"] < a]
        prev = sent_id - 1
        while prev >= 0 and bounds[prev][2]:
            prev -= 1
        sent.prev_mentions = by_sent_m.get(prev, []) if prev >= 0 else []
        sent.prev_bounds = bounds[prev][:2] if prev >= 0 else None
        sent.equipment_items = {m.get("item") or m["name"].lower() for m in sent.mentions if m["label"] == "EQUIPMENT"}
        sent.previous_source = _previous_source_finder(doc, norms, bounds, sent_id, mention_at, by_sent_m, states, quotes, lex)
        if not any(m["label"] in ACTORS or m.get("state") for m in sent.mentions):
            # (a place of a known state counts: 'Recovery operations after the strikes also continue in the
            # Lviv region' refers back to the strikes on Ukraine)
            continue
        parsed = bool(doc[a].dep_) and engine != "words"
        slots = _item_slots(sent, lex) if parsed else None
        framed = _frame_claims(sent, lex, slots, quotes, sent_id) if parsed else []
        if parsed and engine == "parse":
            out.extend(_prune(framed, lex))
            continue
        triggers = _triggers(sent, lex)
        if slots is None:
            slots = _item_slots(sent, lex)
        in_items = {k for slot in slots if slot["e"] - slot["s"] > 1 for k in range(slot["s"], slot["e"])}
        # a trigger word inside an item phrase is part of the item ('military assistance'), and so is a
        # support noun right after one that names no beneficiary ('supplied ... space technology assistance,
        # air defense equipment'; 'arms shipments' and 'missile support for Russia's war' stay events)
        item_ends = {slot["e"] for slot in slots}
        triggers = [tr for tr in triggers if tr["t"] not in in_items and not (
            tr["pos"] == "noun" and tr["predicate"] == "support" and tr["t"] in item_ends
            and (tr["end"] >= sent.b or norms[tr["end"]] not in lex.object_preps))]
        if not triggers:
            out.extend(_prune(_merge(framed, [], parsed, doc), lex))
            continue
        attribution = _attribution(sent, lex, quotes)
        rows: list[dict] = []
        sent.current = rows
        subjects: dict[int, list[dict]] = {}
        for n_trig, trig in enumerate(triggers):
            nxt = triggers[n_trig + 1]["t"] if n_trig + 1 < len(triggers) else b
            rows.extend(_claims_for(sent, lex, trig, nxt, triggers, slots, attribution, sent_id, subjects))
        _inherit_hypothesis(sent, rows, triggers)
        out.extend(_prune(_merge(framed, rows, parsed, doc), lex))
    out = _launch_users(out, launches)
    _carry_objects(out, norms, bounds)
    _launches_in_a_war(doc, norms, out, lex)
    out = _restatements(doc, norms, bounds, out, by_sent_m, by_sent_q, mention_at, states, lex)
    _deny_back_references(doc, norms, bounds, out, lex)
    required = frames.grammar().object_required
    # a town or a region inside a state acts for no one ('seizing Pokrovsk and attacking Kramatorsk')
    places = {m["id"] for m in mentions if m["label"] in ("GPE", "LOC", "FAC") and m.get("state") and len(m["id"]) != 3}
    out = [c for c in out if c["subject_id"] not in places]
    # two private persons ('Vieira threatened Neville', 'Weitz said he had visited Pullman') are no parties of a story
    out = [c for c in out if not (str(c["subject_id"]).startswith("PERSON:") and str(c["object_id"]).startswith("PERSON:"))]
    objectless, phrases = frames.grammar().objectless, frames.grammar().objectless_phrases
    return [c for c in out if (c["object_id"] is not None or c["predicate"] not in required
                               or c["trigger"].lower() in objectless.get(c["predicate"], ())
                               or (c["predicate"] in phrases and " " in c["trigger"]))
            and (c["item"] is None or c["predicate"] not in lex.person_item_predicates or c["item"] in lex.person_items)
            and not (c["predicate"] in lex.person_item_predicates and c["trigger"].lower() in lex.trade_triggers)]


def _restatements(doc, norms, bounds, claims: list[dict], by_sent_m, by_sent_q, mention_at, states, lex) -> list[dict]:
    """'(NIS) later raised its estimate to more than 10,000', 'South Korea's defence ministry puts the
    total at more than 20,000 containers': a new figure for the article's last supply or deployment
    claim before it (same subject and object; the figure's own item if it counts one), attributed to
    whoever restates it (the source of that claim when the sentence names nobody else)."""
    rs = lex.restatement
    out = list(claims)
    for sent_id, q_list in sorted(by_sent_q.items()):
        a, b, heading = bounds[sent_id]
        if heading:
            continue
        for q in q_list:
            p = q["s"]
            if not (p - 3 >= a and norms[p - 1] in rs["preps"] and norms[p - 2] in rs["nouns"]
                    and norms[p - 3] in rs["determiners"] and p - 4 >= a and norms[p - 4] in rs["verbs"]):
                continue
            v = p - 4
            refs = [c for c in out if (c["sent"], c["t"]) < (sent_id, v) and c["predicate"] in ("supply", "deploy")
                    and c["modality"] in ("asserted", "reported", "hedged") and c["item"] is not None]
            if not refs:
                continue
            item = q["item"] or refs[-1]["item"]
            predicate = "deploy" if item in lex.person_items else "supply"
            same = [c for c in refs if c["predicate"] == predicate]
            if not same:
                continue
            ref = same[-1]
            sent = _Sentence(doc, norms, a, b, mention_at, by_sent_m.get(sent_id, []), q_list)
            sent.states = states
            e = v
            while e > a and norms[e - 1] in ("later", "also", "has", "have", "had", "then", "now", "since", "recently", "first"):
                e -= 1
            k = e
            while k > a and e - k < 10 and norms[k - 1] not in CLAUSE_OPENERS and norms[k - 1] not in ('"', "“", "”"):
                k -= 1
            source = _np_source(sent, lex, k, e) if k < e else None
            if source is None and ref["sent"] == sent_id:
                source = ref["attributed_to"]
            if source is None:
                continue
            date = _sentence_date(sent, v)
            out.append({
                "sent": sent_id, "t": v, "trigger": " ".join(doc[v:p].text.split()),
                "subject_id": ref["subject_id"], "predicate": predicate, "object_id": ref["object_id"], "item": item,
                "q": q, "attributed_to": source, "modality": _modality(sent, lex, v, q["e"], True),
                "claim_date": date or ref.get("claim_date"),
            })
    out.sort(key=lambda c: (c["sent"], c["t"]))
    return out


def _previous_source_finder(doc, norms, bounds, sent_id, mention_at, by_sent_m, states, quotes, lex):
    """A function giving the named source of the previous sentence (for 'It also claims ...'), or None."""
    def find():
        prev = sent_id - 1
        while prev >= 0 and bounds[prev][2]:
            prev -= 1
        if prev < 0 or prev not in by_sent_m:
            return None
        a, b, _ = bounds[prev]
        sent = _Sentence(doc, norms, a, b, mention_at, by_sent_m[prev], [])
        sent.states = states
        for att in _attribution(sent, lex, quotes):
            if att["kind"] in ("verb", "according") and att["source"]:
                return att["source"]
        return None
    return find


def _inherit_hypothesis(sent: _Sentence, rows: list[dict], triggers: list[dict]) -> None:
    """'North Korea could send troops ... in exchange for Russian assistance': a noun trigger in the
    clause of a hypothetical verb is hypothetical too."""
    verbs = {tr["t"] for tr in triggers if tr["pos"] == "verb"}
    hypothetical = sorted(r["t"] for r in rows if r["t"] in verbs and r["modality"] == "hypothetical")
    if not hypothetical:
        return
    for r in rows:
        if r["t"] in verbs or r["modality"] not in ("asserted", "reported"):
            continue
        before = [t for t in hypothetical if t < r["t"]]
        if before and not any(sent.norms[k] in (";", "but", "while", "whereas", ".") for k in range(before[-1], r["t"])):
            r["modality"] = "hypothetical"


def _prune(rows: list[dict], lex: ClaimLexicon) -> list[dict]:
    """One sentence's claims without repeats and without generic duplicates of a specific claim.

    A claim is dropped when another claim of the sentence says the same thing more specifically: same
    subject and predicate, the same object or one where this one has none, and a specific item where
    this one has none or a generic one ('arms' next to 'short-range ballistic missile'), or the same
    item with an object where this one has none. A denial and an assertion never stand in for each other.
    """
    def generic(item):
        return item is None or item in lex.generic_items

    keep = []
    seen = set()
    concrete = {(o["subject_id"], o["object_id"]) for o in rows if o["predicate"] in ("supply", "deploy")}
    for r in rows:
        if r["predicate"] == "support" and r["item"] is None and (
            (r["subject_id"], r["object_id"]) in concrete or (r["object_id"] is None and any(s == r["subject_id"] for s, _ in concrete))
        ):
            continue  # 'sent 10,000 troops to support Russian operations': the support is the deployment
        key = (r["subject_id"], r["predicate"], r["object_id"], r["item"], id(r["q"]) if r["q"] is not None else None, r["modality"])
        if key in seen:
            continue
        redundant = False
        for o in rows:
            if o is r or o["subject_id"] != r["subject_id"] or o["predicate"] != r["predicate"]:
                continue
            if (o["modality"] == "denied") != (r["modality"] == "denied"):
                continue  # 'admitted selling Moscow drones ..., it has denied supplying Russia with military aid': both stand
            same_or_wider = o["object_id"] == r["object_id"] or (r["object_id"] is None and o["object_id"] is not None)
            if not same_or_wider:
                continue
            if generic(r["item"]) and not generic(o["item"]):
                redundant = True
            elif generic(r["item"]) and r["item"] is not None and generic(o["item"]) and o["q"] is not None and r["q"] is None:
                redundant = True  # 'between 8,000 and 12,000 containers of munitions': the counted one
            elif o["item"] == r["item"] and r["object_id"] is None and o["object_id"] is not None:
                redundant = True
            elif (o["item"] == r["item"] and o["object_id"] == r["object_id"] and r["q"] is None and o["q"] is not None):
                redundant = True
            if redundant:
                break
        if not redundant:
            seen.add(key)
            keep.append(r)
    return keep


def _deny_back_references(doc, norms, bounds, claims: list[dict], lex: ClaimLexicon) -> None:
    """'Moscow and Pyongyang deny these claims': the previous sentence's claims become denied."""
    if not claims:
        return
    by_sent: dict[int, list[dict]] = {}
    for c in claims:
        by_sent.setdefault(c["sent"], []).append(c)
    for sent_id, (a, b, heading) in enumerate(bounds):
        if heading or sent_id == 0:
            continue
        hit = False
        for k in range(a, b):
            if norms[k] not in lex.denial:
                continue
            window = norms[k + 1 : min(b, k + 1 + lex.back_ref_window)]
            for j, w in enumerate(window):
                if w in lex.back_ref_dets and any(x in lex.back_ref_nouns for x in window[j + 1 : j + 3]):
                    hit = True
                    break
            if hit:
                break
        if not hit:
            continue
        prev = sent_id - 1
        while prev >= 0 and bounds[prev][2]:
            prev -= 1
        for c in by_sent.get(prev, []):
            c["modality"] = "denied"


# --- triggers -----------------------------------------------------------------------------------


def _sentence_date(sent: _Sentence, t: int | None = None):
    """The date or period the claim's sentence gives it (an ISO form: '2024-11-29', '2023-06',
    '2023', '2023-08/..' for 'since August 2023'), when it can date a claim of this story and
    within CLAIM_DATES, the timeline's range ('in May 1870' is history). On a parsed sentence, of
    the DATE mentions that give a year, the one attached nearest the trigger ``t`` on its path to
    the root ('sent troops in October' after 'said on Monday' takes October, 'the largest
    deployment since the war that ravaged the peninsula from 1950' takes nothing), a date phrase
    opening the sentence counting as attached to its root; unparsed, the first."""
    found = []
    for m in sent.mentions:
        if m["label"] != "DATE":
            continue
        period = claim_period(m.get("normalized"), sent.norms[m["s"] - 1] if m["s"] > sent.a else None)
        start = period_start(period)
        if start is not None and CLAIM_DATES[0] <= start.isoformat() <= CLAIM_DATES[1]:
            found.append((m, period))
    if not found:
        return None
    if t is None or not sent.doc[t].dep_:
        return found[0][1]
    path = _root_path(sent, sent.doc[t])
    ranked = [(path.index(att), period) for m, period in found
              for att in [path[-1] if _opens_sentence(sent, m) else _attachment(sent.doc, m)] if att in path]
    return min(ranked)[1] if ranked else None


def _root_path(sent: _Sentence, token) -> list[int]:
    """Token indices from ``token`` up to its sentence's root."""
    path = [token.i]
    while token.head.i != token.i and sent.a <= token.head.i < sent.b and len(path) <= sent.b - sent.a:
        token = token.head
        path.append(token.i)
    return path


def _opens_sentence(sent: _Sentence, m: dict) -> bool:
    """'On November 29, ...', 'In June 2024, ...': a date phrase opening the sentence before a comma
    sets the time of the whole sentence, wherever the parser hung it."""
    k = sent.a
    while k < m["s"] and sent.doc[k].pos_ == "ADP":
        k += 1
    return k == m["s"] and m["e"] < sent.b and sent.norms[m["e"]] == ","


def _attachment(doc: Doc, m: dict) -> int:
    """The word a mention's phrase attaches to: the first head outside it, past a preposition."""
    token = doc[m["e"] - 1]
    for _ in range(m["e"] - m["s"]):  # bounded, as spaCy gives the root itself as its head
        if not m["s"] <= token.head.i < m["e"] or token.head.i == token.i:
            break
        token = token.head
    head = token.head
    if head.pos_ == "ADP" and head.head.i != head.i:
        head = head.head
    return head.i


def _topic_noun(token, lex: ClaimLexicon) -> bool:
    """From the tagger and parser, where they ran: a trigger word tagged as a noun that modifies
    another noun ('the UN sanctions regime', which the word rules alone read as a verb) or is
    governed by a word of evasion ('bypass Western sanctions') names no event."""
    if not token.dep_ or not token.tag_.startswith("NN"):
        return False  # not parsed, or not a noun: the word rules decide alone
    head = token.head
    if relation(token) in lex.topic_relations and head.i != token.i and head.pos_ in ("NOUN", "PROPN"):
        return True
    return head.i != token.i and head.lower_ in lex.topic_governors


def _triggers(sent: _Sentence, lex: ClaimLexicon) -> list[dict]:
    t_lex = lex.t
    norms = sent.norms
    found = []
    i = sent.a
    trigger_words = lex.trigger_words
    while i < sent.b:
        origin = next((p for p in lex.origin_phrases.get(norms[i], ()) if tuple(norms[i : i + len(p)]) == p), None)
        if origin is not None:
            # 'the rounds Russia fired came from North Korean stocks': a supply by the source's state
            found.append({"t": i, "end": i + len(origin), "predicate": "supply", "pos": "verb", "origin": True})
            i += len(origin)
            continue
        if norms[i] in lex.transport_verbs and i + 1 < sent.b and norms[i + 1] in ("between", "from"):
            # 'the cargo ship Angara shuttling between the port of Rajin and Vostochny with munitions'
            found.append({"t": i, "end": i + 1, "predicate": "supply", "pos": "verb", "transport": True})
            i += 1
            continue
        if norms[i] not in trigger_words:
            i += 1
            continue
        m = sent.mention_at.get(i)
        if m is not None:
            i = m["e"]
            continue
        if norms[i] in lex.helping_verbs and _bare_verb_after(sent, i + 1):
            i += 1  # 'has aimed to help broker peace between Ukraine and Russia' helps no party
            continue
        if norms[i].endswith("ing") and i + 1 < sent.b and norms[i + 1] in lex.gerund_adjective_heads:
            i += 1  # 'best supporting actor', 'an attacking midfielder': a kind of role, no event
            continue
        hit = None
        for phrase, predicate in lex.phrasal_by_first.get(norms[i], ()):
            if tuple(norms[i : i + len(phrase)]) == phrase:
                hit = {"t": i, "end": i + len(phrase), "predicate": predicate, "pos": "verb"}
                if phrase in lex.phrasal_item_before:
                    hit["item_before"] = True  # 'the North's soldiers ... started taking part in combat'
                break
        if hit is None:
            w = norms[i]
            prev = norms[i - 1] if i > sent.a else ""
            is_noun_ctx = (
                prev in DETERMINERS or prev in lex.noun_context or _after_modifier(sent, i) or prev in lex.giving
                or (i + 1 < sent.b and norms[i + 1] in ("of", "for"))
            )
            after_prep = prev in lex.preps and not w.endswith("ing")  # 'moving west by train'
            if prev == "to" and w.endswith("s") and not w.endswith("ss"):
                # 'responses to attacks on Iran': no infinitive ends in -s, so the word is a noun
                is_noun_ctx, after_prep = True, True
            # 'the ballistic missiles launched at Kyiv and Kharkiv': who launched them is not said there
            launch_relative = (
                w in lex.launch_verbs and w.endswith("ed") and i + 1 < sent.b and norms[i + 1] in lex.launch_preps
                and (sent.mention_at.get(i - 1) or {}).get("label") == "EQUIPMENT" and not _reduced_relative(sent, i)
            )
            reduced_relative = _reduced_relative(sent, i) or launch_relative
            after_prep = after_prep or (w not in t_lex["nouns"] and not reduced_relative and _modifier_before(sent, lex, i))
            if w in t_lex["after_to"] and prev == "to":
                hit = {"t": i, "end": i + 1, "predicate": t_lex["after_to"][w], "pos": "verb"}
            elif w in t_lex["nouns"] and (is_noun_ctx or w not in t_lex["verbs"]):
                hit = {"t": i, "end": i + 1, "predicate": t_lex["nouns"][w], "pos": "noun",
                       "needs_item": w in t_lex["needs_item_nouns"]}
            elif w in t_lex["verbs"] and prev not in VERB_BLOCKERS and not after_prep:
                hit = {"t": i, "end": i + 1, "predicate": t_lex["verbs"][w], "pos": "verb"}
            elif w in t_lex["needs_item_verbs"] and prev not in VERB_BLOCKERS and not after_prep:
                hit = {"t": i, "end": i + 1, "predicate": t_lex["needs_item_verbs"][w], "pos": "verb", "item_before": True}
            elif w in lex.person_only and prev not in VERB_BLOCKERS and not after_prep:
                hit = {"t": i, "end": i + 1, "predicate": lex.person_only[w], "pos": "verb", "item_before": True,
                       "person_only": True}
            elif w in lex.meeting_verbs and prev not in VERB_BLOCKERS:
                place = _meeting_place(sent, lex, i + 1)
                if place is not None:
                    hit = {"t": i, "end": i + 1, "predicate": "visit", "pos": "verb", "place": place}
            elif w in t_lex["needs_item_nouns"]:
                hit = {"t": i, "end": i + 1, "predicate": t_lex["needs_item_nouns"][w], "pos": "noun", "item_before": True}
            elif w in lex.meeting_phrases and prev not in VERB_BLOCKERS:
                # 'held talks with her Russian counterpart, Sergei Lavrov, in Moscow'
                phrase = next((p for p in lex.meeting_phrases[w] if tuple(norms[i : i + len(p)]) == p), None)
                place = _meeting_place(sent, lex, i + len(phrase)) if phrase is not None else None
                if place is not None:
                    hit = {"t": i, "end": i + len(phrase), "predicate": "visit", "pos": "verb", "place": place}
            if hit is not None and hit["pos"] == "noun" and prev in lex.purpose:
                if hit["predicate"] == "supply" and _actor_after_to(sent, i + 1):
                    hit["purpose"] = True  # 'drones, possibly for export to Russia': an intended supply
                else:
                    hit = None  # 'deployed troops for training': a purpose, not an event
            if hit is None and w in lex.receipt and prev not in VERB_BLOCKERS and not _trigger_ahead(sent, lex, i + 1) \
                    and (i + 1 >= sent.b or norms[i + 1] not in lex.receipt_particles):  # 'get back to work
                hit = {"t": i, "end": i + 1, "predicate": "supply", "pos": "verb", "receive": True}
            if hit is not None and reduced_relative and hit["pos"] == "verb":
                hit["reduced_relative"] = True  # 'North Korean artillery shells delivered to Russia'
            if hit is not None and w in lex.launch_verbs and hit["predicate"] == "test":
                hit["launch"] = True
                if launch_relative:
                    hit["launch_relative"] = True
        if hit is not None and hit["end"] == i + 1 and _topic_noun(sent.doc[i], lex):
            hit = None
        if hit is not None:
            if hit["predicate"] in lex.needs_item:
                hit["needs_item"] = True
            found.append(hit)
            i = hit["end"]
        else:
            i += 1
    return found


def _bare_verb_after(sent: _Sentence, k: int) -> bool:
    """A bare verb at ``k`` (or after 'to'), where the sentence was tagged: 'help broker peace'."""
    if k < sent.b and sent.norms[k] == "to":
        k += 1
    return k < sent.b and sent.doc[k].tag_ == "VB"


def _reduced_relative(sent: _Sentence, i: int) -> bool:
    """A past participle right after a weapon mention and before 'to'/'by'/'from': 'shells delivered to Russia'."""
    m = sent.mention_at.get(i - 1) if i > sent.a else None
    w = sent.norms[i]
    return (m is not None and m["label"] == "EQUIPMENT" and (w.endswith("ed") or w in ("sent", "sold", "given"))
            and i + 1 < sent.b and sent.norms[i + 1] in ("to", "by", "from"))


def _actor_after_to(sent: _Sentence, k: int) -> bool:
    """'to Russia', 'to the Russian military': 'to' at token k, then an actor."""
    if k >= sent.b or sent.norms[k] != "to":
        return False
    k += 1
    while k < sent.b and sent.norms[k] in ("the", "a", "an"):
        k += 1
    m = sent.mention_at.get(k)
    return m is not None and m["label"] in ACTORS


def _meeting_place(sent: _Sentence, lex: ClaimLexicon, k: int) -> dict | None:
    """'met her Russian counterpart Sergei Lavrov in Moscow': the state place after 'in' in the clause."""
    commas = 0
    for j in range(k, min(sent.b, k + 14)):
        w = sent.norms[j]
        if w == ",":
            commas += 1
            nxt = sent.mention_at.get(j + 1)
            # only an apposition naming the partner: ', Sergei Lavrov,'
            if commas == 1 and nxt is not None and nxt["label"] == "PERSON" and nxt["e"] < sent.b and sent.norms[nxt["e"]] == ",":
                continue
            if commas == 2:
                continue
            return None
        if w in CLAUSE_STOP or w in lex.object_stops or w in (".", "and", "to"):
            return None
        if w == "in" and j + 1 < sent.b:
            m = sent.mention_at.get(j + 1)
            if m is not None and m["label"] == "GPE" and m["s"] == j + 1:
                return m
            return None
    return None


def _modifier_before(sent: _Sentence, lex: ClaimLexicon, i: int) -> bool:
    """'electric trains', 'air travel', 'Russian supplies': the word before makes a verb form a noun."""
    if i == sent.a:
        return False
    prev = sent.norms[i - 1]
    if prev in (")", "]"):
        # 'intercontinental ballistic missile (ICBM) tests': the word before the bracket
        opening = _bracket_opening(sent, i - 1)
        return opening is not None and _after_modifier(sent, opening)
    m = sent.mention_at.get(i - 1)
    if m is not None:
        return m["label"] in ("NORP", "EQUIPMENT")
    return prev in lex.noun_modifiers or (sent.doc[i - 1].text.islower() and prev.endswith(("ic", "ous", "ful")))


def _trigger_ahead(sent: _Sentence, lex: ClaimLexicon, k: int) -> bool:
    """A noun trigger within a few words ('receiving technological support from X' is handled there)."""
    nouns = lex.t["nouns"]
    return any(sent.norms[j] in nouns for j in range(k, min(sent.b, k + 4)))


def _bracket_opening(sent: _Sentence, close: int) -> int | None:
    """The opening bracket of the short parenthesis that token ``close`` closes ('(ICBM)'), or None."""
    return next((k for k in range(close - 1, max(sent.a, close - 8) - 1, -1) if sent.norms[k] in ("(", "[")), None)


def _after_modifier(sent: _Sentence, i: int) -> bool:
    """A noun-like context: right after an adjective-like word ('military support', 'arms transfers')."""
    if i == sent.a:
        return False
    prev = sent.norms[i - 1]
    if prev in (")", "]"):
        # 'intercontinental ballistic missile (ICBM) tests': the word before the bracket
        opening = _bracket_opening(sent, i - 1)
        return opening is not None and _after_modifier(sent, opening)
    m = sent.mention_at.get(i - 1)
    if m is not None and m["label"] in ("NORP", "EQUIPMENT"):
        return True
    return prev.endswith(("al", "ic", "ary", "ed", "ive", "ous", "ful")) and prev not in ("had", "has") or prev in ("arms", "missile", "military", "mutual", "economic", "political", "international", "western", "continued")


# --- items -------------------------------------------------------------------------------------


def _item_slots(sent: _Sentence, lex: ClaimLexicon) -> list[dict]:
    """Things a claim can be about: quantities with items, equipment mentions, goods."""
    slots = []
    taken = set()
    for q in sent.quantities:
        if q.get("weak_item"):
            continue  # 'killing two civilians': counted, but not what a claim is about
        s = q["s"]
        e = max(q["e"], q["ie"] or 0)
        item = q["item"]
        if e + 1 < sent.b and sent.norms[e] == "of":
            # 'two battalions of engineers': one thing, counted in battalions
            hit = _item_at(sent.doc, sent.norms, item_lexicon(), e + 1)
            if hit is not None:
                e = hit[1]
                if item in lex.measure_items:
                    item = hit[0]  # 'millions of barrels of oil': the item is oil
        if item in lex.measure_items or item in lex.victim_items:
            taken.update(range(s, e))
            continue  # '339,400 barrels per day': a measure, no goods; 'killed 28 people': victims
        elif q["item"] is not None and e < sent.b:
            # 'a dozen KN-31 launchers', 'six KN-23 missiles': the class after the counted system
            hit = _item_at(sent.doc, sent.norms, item_lexicon(), e)
            if hit is not None:
                e = hit[1]
        slots.append({"s": s, "e": e, "item": item, "q": q, "ds": q["is"] if q["is"] is not None else s})
        taken.update(range(s, e))
    # a counted system named before its class is one thing: 'six KN-23 missiles', '40 F-7 (MiG-21) fighter jets'
    for m in sent.mentions:
        slot = next((sl for sl in slots if _joined(sent, lex, sl["e"], m["s"])), None)
        if m["label"] == "EQUIPMENT" and slot is not None and m["s"] not in taken:
            taken.update(range(slot["e"], m["e"]))
            slot["e"] = m["e"]
    equipment = [m for m in sent.mentions if m["label"] == "EQUIPMENT" and m["s"] not in taken]
    # adjacent equipment mentions are one thing: the named system wins over its class
    # ('Scud-B/Hwasong-5 short-range ballistic missiles (SRBMs)')
    groups: list[list[dict]] = []
    for m in equipment:
        if groups and _joined(sent, lex, groups[-1][-1]["e"], m["s"]):
            groups[-1].append(m)
        else:
            groups.append([m])
    for g in groups:
        after = sent.norms[g[-1]["e"]] if g[-1]["e"] < sent.b else ""
        if after in lex.non_item_heads:
            continue
        system = next((m for m in g if m.get("kind") == "system"), None)
        head = system or g[-1]
        slots.append({"s": g[0]["s"], "e": g[-1]["e"], "item": head.get("item") or head["name"].lower(), "q": None, "ds": g[0]["s"],
                      "system": system is not None})
        taken.update(range(g[0]["s"], g[-1]["e"]))
    systems = {slot["e"]: slot for slot in slots if slot.get("system")}
    items = goods_lexicon()  # equipment words are mentions already (or were refused as such: "satellite subscription")
    j = sent.a
    while j < sent.b:
        m = sent.mention_at.get(j)
        if j in taken or (m is not None and m["label"] != "EQUIPMENT"):
            j += 1
            continue
        hit = _item_at(sent.doc, sent.norms, items, j)
        if hit is None:
            j += 1
            continue
        item, end = hit
        if (sent.doc[end - 1].tag_.startswith("VB") or item in lex.victim_items or item in lex.measure_items
                or frames.after_opposing_prefix(sent, j)):
            j = end
            continue  # tagged as a verb: 'to fuel the invasion' names no fuel; 'anti-ship missiles' are no ships; '(bpd)' is a unit
        named = systems.get(j)
        if named is not None:
            # 'KN-25 launchers': the class noun after a named system is that system, not a second item
            named["e"] = end
            taken.update(range(j, end))
            j = end
            continue
        after = sent.norms[end] if end < sent.b else ""
        vague = end - j == 1 and sent.norms[j] in lex.vague_items and not (
            sent.norms[j] in lex.modified_vague and j > sent.a and _is_modifier(sent, lex, j - 1)
        ) and not (
            # 'to deploy forces to Ukraine': what a deployment verb sends right after it is its item
            j > sent.a and lex.t["verbs"].get(sent.norms[j - 1]) == "deploy" and item in lex.person_items
        )
        if vague or after in lex.non_item_heads:
            j = end
            continue
        slots.append({"s": j, "e": end, "item": item, "q": None, "ds": j})
        # 'space and submarine technology': the first modifier makes an item of its own with the head
        if end - j >= 2 and j - 2 >= sent.a and sent.norms[j - 1] in ("and", "or") and (j - 2) not in taken:
            shared = items.by_key.get((sent.norms[j - 2],) + tuple(sent.norms[j + 1 : end]))
            if shared and shared[0].entry.item and shared[0].entry.item != item:
                slots.append({"s": j - 2, "e": j - 1, "item": shared[0].entry.item, "q": None, "ds": j - 2})
        j = end
    slots.sort(key=lambda s: s["s"])
    return [slot for slot in slots if not _gloss(sent, slot, slots)]


def _gloss(sent: _Sentence, slot: dict, slots: list[dict]) -> bool:
    """An item in a short parenthesis right after another item restates it: 'Shahed-136 loitering
    munitions (suicide drones)' names one thing, not two."""
    ends = {other["e"] for other in slots if other is not slot}
    o = slot["s"] - 1
    while o >= sent.a and o >= slot["s"] - 3 and sent.norms[o] not in ("(", "["):
        if sent.mention_at.get(o) is not None:
            return False
        o -= 1
    if o < sent.a or sent.norms[o] not in ("(", "[") or o not in ends:
        return False
    return any(sent.norms[c] in (")", "]") for c in range(slot["e"], min(sent.b, slot["e"] + 3)))


def _joined(sent: _Sentence, lex: ClaimLexicon, e: int, s: int) -> bool:
    """Words from ``e`` to ``s`` that join two names of one thing: none, a slash or a designation word
    ('Scud-B/Hwasong-5', 'Fateh-110 family SRBMs'), or a short parenthesis ('F-7 (MiG-21) fighter
    jets'; triggers.json: designation_joiners)."""
    if s < e or s - e > 4:
        return False
    words = sent.norms[e:s]
    if words and words[0] == "(" and ")" in words:
        words = words[words.index(")") + 1 :]
    return all(w in lex.designation_joiners for w in words)


def _is_modifier(sent: _Sentence, lex: ClaimLexicon, k: int) -> bool:
    """A plain lower-case word that can modify a noun ('nuclear-propulsion technology', 'advanced hardware')."""
    tok = sent.doc[k]
    w = sent.norms[k]
    return (tok.is_alpha and tok.text.islower() and sent.mention_at.get(k) is None and w not in DETERMINERS
            and w not in lex.preps and w not in lex.trigger_words and w not in lex.verb_lexicon and w not in lex.receive
            and w not in lex.be_forms and w not in ("and", "or", "to", "with", "more", "such", "other", "any", "some", "no"))


# --- attribution and modality -------------------------------------------------------------------


def _np_source(sent: _Sentence, lex: ClaimLexicon, s: int, e: int) -> str | None:
    """The name of a source phrase: a person's full name, an organisation, or the phrase itself when
    it names a country or contains a source noun ('U.S. intelligence', 'South Korean officials'); 'the
    agency' / 'the ministry' is the organisation of that kind named before (``_anaphoric_source``)."""
    definite = s < e and sent.norms[s] == "the"
    while s < e and sent.norms[s] in ("the", "a", "an", ",", "both"):
        s += 1
    while e > s and sent.norms[e - 1] in (",", "also", "has", "have", "had", "reportedly"):
        e -= 1
    if s >= e:
        return None
    ms = [m for m in sent.mentions if s <= m["s"] and m["e"] <= e]
    if definite and not ms and e - s <= 3 and sent.norms[e - 1] in lex.anaphoric_sources and all(
        sent.doc[k].text.islower() for k in range(s, e)
    ):
        resolved = _anaphoric_source(sent, lex, sent.norms[e - 1], s)
        if resolved is not None:
            return resolved
    people = [m for m in ms if m["label"] == "PERSON"]
    if people:
        return people[0]["name"]
    orgs = [m for m in ms if m["label"] == "ORG"]
    joined = any(sent.norms[k] in ("and", "&") for k in range(s, e))
    if orgs and not joined:
        return orgs[0]["name"]  # 'South Korea's National Intelligence Service (NIS)', 'an assessment by CESS'
    if e - s > 7:
        return None
    text = " ".join(sent.doc[s:e].text.split())
    if text.lower() in lex.generic_sources:
        return None
    covered = {t for m in ms for t in range(m["s"], m["e"])}
    words = [t for t in range(s, e) if t not in covered and sent.doc[t].text.isalpha()]
    only_places = all(sent.norms[t] in ("and", "&") for t in words) and ms and all(m["label"] in ACTORS for m in ms)
    # the head of the phrase must be a source noun: 'U.S. intelligence', not 'Western analyst foresight'
    head = next((t for t in range(e - 1, s - 1, -1) if sent.doc[t].text.isalpha()), None)
    place = sent.mention_at.get(head) if head is not None else None
    if place is not None and place["label"] == "GPE" and place["e"] == e and place["s"] - 2 >= s \
            and sent.norms[place["s"] - 1] in ("in", "from") and sent.norms[place["s"] - 2] in lex.source_nouns:
        return text  # 'officials in Seoul', 'diplomats from Washington'

    if only_places or (head is not None and head not in covered and sent.norms[head] in lex.source_nouns):
        return text
    return None


def _anaphoric_source(sent: _Sentence, lex: ClaimLexicon, head: str, s: int) -> str | None:
    """'The agency said ...' after 'South Korea's National Intelligence Service': the last organisation
    named before token s whose name has a word of that kind; 'the ministry' after 'Defense Minister
    Kim Yong-hyun' with no ministry named is that minister's ministry ('Defense Ministry')."""
    words = lex.anaphoric_sources[head]
    before = list(getattr(sent, "earlier_mentions", [])) + [m for m in sent.mentions if m["e"] <= s]
    for m in reversed(before):
        if m["label"] == "ORG" and any(w in m["name"].lower().replace("'s", "").split() for w in words):
            return m["name"]
    if head == "ministry":
        for m in reversed(before):
            role = m.get("role") or ""
            if m["label"] == "PERSON" and role.split() and role.split()[-1].lower() == "minister" and len(role.split()) > 1:
                return " ".join(role.split()[:-1] + ["Ministry"])
    return None


def _attribution(sent: _Sentence, lex: ClaimLexicon, quotes: list[dict]) -> list[dict]:
    """Sources stated in the sentence: [{'pos': token, 'source': name|None, 'kind': ...}]."""
    norms, a, b = sent.norms, sent.a, sent.b
    found = []
    for q in quotes:
        if q["s"] < b and a < q["e"]:
            found.append({"pos": a, "end": b, "source": q["speaker"], "kind": "quote", "qs": q["s"], "qe": q["e"],
                          "state": sent.states.get(q.get("speaker_id"))})
    for i in range(a, b - 1):
        if norms[i] == "according" and norms[i + 1] == "to":
            e = i + 2
            while e < b and norms[e] not in (",", ";", ".", '"', "“") and e - i < 12:
                e += 1
            found.append({"pos": i, "end": e, "source": _np_source(sent, lex, i + 2, e), "kind": "according"})
    rs = lex.restatement
    for v in range(a, b):
        # 'revised its tally of ...', 'raised its estimate of ...': the reviser is a source
        restating = v + 2 < b and norms[v] in rs["verbs"] and norms[v + 1] in rs["determiners"] and (
            norms[v + 2] in rs["nouns"]
            # 'officials put the force Kim sent at 11,000 to 12,000 men': an estimate of a figure
            or any(norms[k] in rs["preps"] and any(q["s"] == k + 1 for q in sent.quantities) for k in range(v + 2, min(b - 1, v + 10)))
        )
        if (norms[v] not in lex.source_verbs and not restating) or sent.mention_at.get(v) is not None:
            continue
        # 'Ukrainian artillery officers we spoke to believe that ...': how the writer reached the source
        contact = next((c for c in lex.contact_clauses if v - len(c) > a and tuple(norms[v - len(c) : v]) == c), ())
        if v > a and not contact and (norms[v - 1] in VERB_BLOCKERS or norms[v - 1] in lex.object_preps or norms[v - 1] in lex.location_preps):
            continue  # 'the alleged transfer', 'with reports that': not a reporting verb
        # the source before the verb, stepping over auxiliaries and an apposition
        e = v - len(contact)
        while e > a and (norms[e - 1] in ("has", "have", "had", "also", "reportedly", "recently", "publicly", "previously", "is", "are", "was", "were", "repeatedly")
                         or (sent.mention_at.get(e - 1) or {}).get("label") == "DATE"):
            e = sent.mention_at[e - 1]["s"] if sent.mention_at.get(e - 1) is not None else e - 1  # 'last week revised'

        if v + 1 < b and norms[v + 1] == "to" and any(norms[k] in lex.be_forms for k in range(e, v)):
            continue  # 'Pyongyang is believed to have shipped': a hedge on the claim, its subject is no source
        if e > a and norms[e - 1] == ",":
            p = e - 2
            while p > a and norms[p] != "," and e - p < 20:
                p -= 1
            if p > a and norms[p] == ",":
                e = p
        s = e
        while s > a and e - s <= 12:
            prev = norms[s - 1]
            if prev == ")" and s - 3 >= a and "(" in norms[max(a, s - 5) : s - 1]:
                s = max(k for k in range(max(a, s - 5), s - 1) if norms[k] == "(")  # '... Service (NIS) said'
                continue
            joined = prev in ("and", "&") and sent.mention_at.get(s - 2) is not None and sent.mention_at.get(s) is not None
            if prev in (",", ";", ":", "that", "—", "–", "(", ")", '"', "“", "”", "and", "but", "while", "as") and not joined:
                break
            s -= 1
        source = _np_source(sent, lex, s, e)
        pronoun = s < e and norms[s] in ("it", "they", "he", "she")
        if source is None and not pronoun and not (s < e and norms[e - 1] in lex.source_nouns):
            continue
        found.append({"pos": v, "end": v + 1, "source": source, "kind": "verb", "src_s": s, "src_e": e,
                      # 'It also claims that ...' refers back; 'it is reported that ...' does not
                      "pronoun": pronoun and e - s == 1 and not any(norms[k] in lex.be_forms for k in range(e, v))})
    return found


def _pick_attribution(sent: _Sentence, attribution: list[dict], t: int) -> tuple[str | None, bool]:
    """(source, is_reported) for a trigger at token t."""
    norms = sent.norms
    for att in attribution:
        if att["kind"] == "quote" and att["qs"] <= t < att["qe"]:
            return att["source"], True
    for att in attribution:
        if att["kind"] == "according":
            return att["source"], True
    # a reporting verb before the trigger scopes over it unless a new clause starts in between
    before = [
        att for att in attribution
        if att["kind"] == "verb" and att["pos"] < t
        and not any(norms[k] in ("but", ";", "while", "whereas") for k in range(att["pos"], t))
    ]
    for att in reversed(before):
        if att["source"]:
            return att["source"], True
        if att.get("pronoun") and sent.previous_source is not None:
            # 'The HUR says ... . It also claims that ...': the source of the sentence before
            source = sent.previous_source()
            if source:
                return source, True
    after = [att for att in attribution if att["kind"] == "verb" and att["pos"] > t and att["src_s"] > t]
    for att in after:
        if att["source"] and att["src_s"] > t + 1 and norms[att["src_s"] - 1] == ",":
            return att["source"], True
        if att.get("pronoun") and att["src_s"] > t + 1 and norms[att["src_s"] - 1] == "," and sent.previous_source is not None:
            # '..., he said, ...': the source the sentence before named
            source = sent.previous_source()
            if source:
                return source, True
    if before:
        return None, True
    return None, False


def _inverted_opening(sent: _Sentence, lex: ClaimLexicon) -> bool:
    """A sentence opened by an inverted auxiliary before its subject ('Should the agreement come into
    effect, it could ease ...', 'Had North Korea not supplied shells, ...'): a condition, all of it."""
    k = sent.a
    while k < sent.b and sent.norms[k] in ('"', "\u201c", "'", "\u2018"):
        k += 1
    if k + 1 >= sent.b or sent.norms[k] not in lex.inverted_openers:
        return False
    nxt = sent.doc[k + 1]
    return nxt.lower_ in ("the", "a", "an", "this", "that", "these", "those") or (nxt.text[:1].isupper() and nxt.is_alpha)


def _modality(sent: _Sentence, lex: ClaimLexicon, t: int, scope_end: int, reported: bool) -> str:
    norms, a = sent.norms, sent.a
    w0 = max(a, t - lex.window)
    if _inverted_opening(sent, lex):
        return "hypothetical"  # a counterfactual too: 'Had North Korea not supplied shells, ...'
    neg = False
    for k in range(w0, t):
        if norms[k] in lex.negations and not any(tuple(norms[k : k + len(x)]) == x for x in lex.negation_exceptions):
            neg = True
    if neg or any(norms[k] in lex.denial for k in range(max(a, t - 2 * lex.window), t)) or modal.denied_above(sent.doc[t]):
        return "denied"
    if _has_phrase(norms, a, t, lex.cond_sentence) or _has_phrase(norms, w0, t, lex.cond_window):
        return "hypothetical"
    for k in range(w0, t):
        if norms[k] in lex.hypothetical_modals and (sent.mention_at.get(k) or {}).get("label") != "DATE":
            # ('In May 2024': a month inside a date, not the modal)
            nxt = norms[k + 1] if k + 1 < len(norms) else ""
            return "hedged" if nxt == "have" else "hypothetical"
    if _has_phrase(norms, a, max(scope_end, t + 1), lex.hedges, lex.hedge_exceptions) or _has_phrase(norms, a, sent.b, lex.sentence_hedges):
        return "hedged"
    return "reported" if reported else "asserted"


# --- subject and object --------------------------------------------------------------------------


def _prep_before(sent: _Sentence, m: dict, lex: ClaimLexicon) -> str | None:
    k = m["s"] - 1
    while k >= sent.a and sent.norms[k] in ("the", "a", "an", "both"):
        k -= 1
    if k < sent.a:
        return None
    if sent.norms[k] == "-" and k - 1 >= sent.a and sent.norms[k - 1] == "anti":
        return "anti"
    return sent.norms[k]


def _modifies_item(m: dict, slots: list[dict], sent: _Sentence) -> dict | None:
    """A nationality right before an item ('North Korean munitions', 'North Korean personnel')."""
    for slot in slots:
        if slot["ds"] == m["e"] or (slot["ds"] == m["e"] + 1 and sent.norms[m["e"]] in ("military", "-")):
            return slot
    return None


def _actor_id(m: dict, predicate: str) -> str:
    """A person or an organ of a state acts for that state ('Putin sent', 'Russia's foreign ministry
    denied'); a visit stays with the person."""
    if m["label"] in ("PERSON", "ORG") and m.get("state") and predicate != "visit":
        return m["state"]
    return m["id"]


def _named_actor(m: dict, subject_id: str) -> str | None:
    """The person or organisation named as the subject when the claim's subject is the state they act
    for ('Putin sent ...': subject RUS, subject_actor PERSON:vladimir-putin); None when the subject is
    the named actor itself."""
    return m["id"] if m["id"] != subject_id else None


def _object_id(m: dict, predicate: str) -> str:
    """The object's id: as ``_actor_id``, except that whom a visit goes to is a place, so a visited
    person stands for their state ('Kim Jong Un visited President Putin': Russia)."""
    if predicate == "visit" and m["label"] == "PERSON" and m.get("state"):
        return m["state"]
    return _actor_id(m, predicate)


def _coordinated_before(sent: _Sentence, m: dict) -> list[dict]:
    """'Putin and Kim', 'the U.S., South Korea and Japan' -> the other actors coordinated before m."""
    out = []
    k = _skip_titles(sent, m["s"] - 1)
    if k <= sent.a or sent.norms[k] not in ("and", "&"):
        return out
    if sent.norms[k - 1] == ",":
        # '..., and X travelled': a new clause unless a list 'A, B, and X' runs before it
        first = sent.mention_at.get(k - 2)
        if first is None or sent.norms[_skip_titles(sent, first["s"] - 1)] != ",":
            return out
    while k > sent.a and sent.norms[k] in ("and", ",", "&"):
        j = k - 1
        while j > sent.a and sent.norms[j] == ",":
            j -= 1  # 'the U.S., and Japan'
        prev = sent.mention_at.get(j)
        if prev is None or prev["label"] not in ACTORS:
            break
        out.insert(0, prev)
        k = _skip_titles(sent, prev["s"] - 1)
    return out


def _skip_titles(sent: _Sentence, k: int) -> int:
    """Back from token k over a determiner and a title with its nationality ('the', 'Russian President')."""
    lex = claim_lexicon()
    start = k
    while k > sent.a and start - k < 5:
        m = sent.mention_at.get(k)
        if m is not None and m["label"] == "NORP":
            k = m["s"] - 1
        elif sent.norms[k] in lex.title_words or sent.norms[k] in ("the", "leader", "'s"):
            k -= 1
        else:
            break
    return k


def _agent_after(sent: _Sentence, k: int) -> dict | None:
    """The actor of a 'by X' / 'from X' phrase starting after token k (a person wins over its title)."""
    found = []
    for j in range(k + 1, min(sent.b, k + 8)):
        if sent.norms[j] in (",", ";", ".", "who", "which", "that") or sent.doc[j].is_space:
            break
        m = sent.mention_at.get(j)
        if m is not None and m["label"] in ACTORS and m not in found:
            found.append(m)
    people = [m for m in found if m["label"] == "PERSON"]
    return people[0] if people else (found[0] if found else None)


def _listed_agents_after(sent: _Sentence, k: int) -> list[dict]:
    """The states of a list after 'from' at token k, past a plain noun and 'in' ('gets components from
    companies in Europe, the United States and Taiwan': the United States and Taiwan)."""
    found = []
    j = k + 1
    while j < min(sent.b, k + 14):
        w = sent.norms[j]
        m = sent.mention_at.get(j)
        if m is not None:
            if m["label"] in ("GPE", "NORP") and len(m["id"]) == 3 and m not in found:
                found.append(m)
            j = m["e"]
            continue
        if w in (",", "and", "the", "in", "from") or (not found and sent.doc[j].is_alpha and sent.doc[j].is_lower):
            j += 1
            continue
        break
    return found if len(found) > 1 else []


def _nearest_actor_before(sent, lex, k, person: bool | None):
    j = k
    while j >= sent.a:
        m = sent.mention_at.get(j)
        if m is not None and m["label"] in ACTORS:
            ok_kind = person is None or (m["label"] == "PERSON") == person
            prep = _prep_before(sent, m, lex)
            if ok_kind and prep not in lex.location_preps and not (person and prep in ("with", "met")):
                return m  # 'Shoigu ... met with Kim Jong-un, in his second trip': his is Shoigu's
            j = m["s"] - 1
            continue
        j -= 1
    return None


def _subject(sent, lex, trig, slots):
    norms = sent.norms
    t = trig["t"]
    if t - 2 >= sent.a and norms[t - 1] == "-" and not sent.doc[t - 2].whitespace_ and not sent.doc[t - 1].whitespace_:
        m = sent.mention_at.get(t - 2)
        if m is not None and m["label"] in ACTORS:
            return m  # 'the Iran-backed Houthis', 'Russian-supplied': the actor joined to the participle
    if trig["pos"] == "verb":
        j = t - 1
        while j > sent.a and (norms[j] in lex.be_forms or norms[j] in ("have", "has", "had", "also", "now", "still", "already", "not", "n't")
                              or norms[j] in lex.modals or norms[j].endswith("ly")):
            j -= 1
        if j >= sent.a and norms[j] in ("they", "it"):
            pron = _sentence_subject(sent, lex, j)
            if pron is not None:
                return pron
        if j >= sent.a and j == t - 1 and norms[j] in lex.indefinite_subjects:
            return None  # 'foreign components, even from those aiding Ukraine': who aids is not named
        if j > sent.a and norms[j] == "to":
            m = sent.mention_at.get(j - 1)
            if m is not None and m["label"] in ACTORS and _prep_before(sent, m, lex) in lex.infinitive_subject_preps:
                return m  # 'Russia's reliance on China to provide components': China provides
        if j >= sent.a and norms[j] in lex.means_markers and norms[t].endswith("ing"):
            m = _governing_subject(sent, t)
            if m is not None:
                return m  # 'Beijing has been unwilling to risk U.S. sanctions by overtly supplying Moscow'
        # 'is supplying' is active; 'are routinely threatened', 'was reportedly supplied' are passive
        passive = (any(norms[x] in lex.be_forms for x in range(max(sent.a, j + 1), t)) and not norms[t].endswith("ing")) or (
            trig["end"] < sent.b and norms[trig["end"]] == "by")
        if passive:
            for k in range(trig["end"], min(sent.b, trig["end"] + 8)):
                if norms[k] == "by":
                    return _agent_after(sent, k)
            return None
        if j > sent.a and norms[j] in RELATIVE_WORDS:
            # 'Iran, which has supplied drones': the noun the relative pronoun stands for, when it is an
            # actor; 'those countries who buy cheap Russian oil' names none
            k = j - 1 if norms[j - 1] != "," else j - 2
            m = sent.mention_at.get(k) if k >= sent.a else None
            return m if m is not None and m["label"] in ACTORS else None
        k = t - 1
        while k >= max(sent.a, t - MAX_SUBJECT_DISTANCE):
            if norms[k] in lex.subject_blockers and k < t - 1:
                break
            if norms[k] in ("it", "they") and sent.mention_at.get(k) is None:
                # '..., it has denied supplying Russia': the pronoun is the subject, not a state before it
                return _sentence_subject(sent, lex, k)
            m = sent.mention_at.get(k)
            if m is not None:
                if m["label"] in ACTORS:
                    prep = _prep_before(sent, m, lex)
                    if prep not in lex.location_preps and prep not in ("to", "with", "for", "against", "of", "anti", "on"):
                        if (m["label"] == "NORP" and _modifies_item(m, slots, sent) is None and not _modifies_actor_noun(sent, m)
                                and not _heads_subject(sent, lex, m, t)):
                            k = m["s"] - 1
                            continue
                        return m
                k = m["s"] - 1
                continue
            k -= 1
        return None
    # noun trigger: possessor, modifier, 'by'/'from' X
    k = t - 1
    steps = 0
    while k >= sent.a and steps < 5:
        if norms[k] in lex.source_verbs:
            break  # 'HUR reported arms transfers from Pyongyang': HUR is the source, not the sender
        m = sent.mention_at.get(k)
        if m is not None and m["label"] in ACTORS:
            if m["label"] == "NORP" and m["e"] == t:
                return m  # the nationality modifies the trigger itself, whatever precedes it
            prep = _prep_before(sent, m, lex)
            return None if prep in lex.location_preps or prep in lex.object_preps else m
        if norms[k] in ("'s", "'"):
            m = sent.mention_at.get(k - 1)
            return m if m is not None and m["label"] in ACTORS else None
        if norms[k] in ("its", "their"):
            return _possessive_antecedent(sent, k) or _sentence_subject(sent, lex, k)
        if norms[k] in ("they", "it"):
            return _sentence_subject(sent, lex, k)
        if norms[k] in ("his", "her"):
            return _nearest_actor_before(sent, lex, k - 1, person=True)
        if norms[k] in (")", "]"):
            # 'conducted six intercontinental ballistic missile (ICBM) tests': past the bracket
            opening = _bracket_opening(sent, k)
            if opening is not None:
                k = opening - 1
                steps += 1
                continue
        if m is None and (norms[k] in ("the", "a", "an", "this", "that") or not (sent.doc[k].text.isalpha() or norms[k] == "-")):
            v = k - 1
            if v > sent.a and norms[v] == "out":
                v -= 1  # 'carried out a test'
            if v >= sent.a and norms[v] in lex.event_verbs and sent.mention_at.get(v) is None:
                # 'Kim Jong-un inspected a test of ...': the subject of the verb holds the event
                return _subject(sent, lex, {"t": v, "end": v + 1, "pos": "verb", "predicate": trig["predicate"]}, slots)
            break
        k = m["s"] - 1 if m is not None else k - 1
        steps += 1
    for k in range(trig["end"], min(sent.b, trig["end"] + 6)):
        if norms[k] in ("by", "from"):
            return _agent_after(sent, k)
        if norms[k] in lex.trigger_words:
            return None  # 'support for Iran following attacks by Israel': the agent of the other event
    return None


CLAUSE_OPENERS = frozenset({",", ";", ":", "as", "while", "that", "because", "when", "if", "but", "and", "although",
                            "though", "since", "after", "before", "where", "whereas", "so", "rather", "then", "—", "–"})


def _governing_subject(sent: _Sentence, t: int) -> dict | None:
    """Where the sentence was parsed: the actor subject of the nearest clause above token t ('by
    supplying' hangs on 'risk', 'risk' on 'unwilling', whose subject is Beijing)."""
    tok = sent.doc[t]
    if not tok.dep_:
        return None
    for _ in range(4):
        if tok.head.i == tok.i:
            return None
        tok = tok.head
        for child in children(tok, "subject"):
            m = sent.mention_at.get(child.i)
            if m is not None and m["label"] in ACTORS:
                return m
    return None


def _possessive_antecedent(sent: _Sentence, k: int) -> dict | None:
    """'its'/'their' before a noun trigger: the nearest state or organisation named before it in the
    sentence ('sanctions on Russia since its full-scale invasion of Ukraine'), past one named after a
    word of the pronoun's 'not_after' (claim_frames.json pronouns: "North Korea's normalising
    relationship with Russia, its alleged transfer")."""
    skip = frames.grammar().nearest_pronouns.get("its", frozenset())
    for m in reversed(sent.mentions):
        if m["e"] <= k and m["label"] in ("GPE", "ORG") and not frames.partner_of_noun(sent.doc, m["s"], skip):
            return m
    return None


def _sentence_subject(sent: _Sentence, lex: ClaimLexicon, k: int) -> dict | None:
    """The nearest state or organisation before token k that opens a clause (not the object of a verb
    or a preposition): what 'its'/'their'/'they' most often stand for ('North Korea could supply Iran
    ... if its shipments', 'as North Korea steps up its support')."""
    for m in reversed(sent.mentions):
        if m["s"] >= k or m["label"] not in ("GPE", "ORG"):
            continue
        if m["e"] < sent.b and sent.norms[m["e"]] in ("'s", "'"):
            continue
        j = m["s"] - 1
        while j >= sent.a and sent.norms[j] in ("the", "both"):
            j -= 1
        if j < sent.a or sent.norms[j] in CLAUSE_OPENERS:
            return m
    return None


def _heads_subject(sent: _Sentence, lex: ClaimLexicon, m: dict, t: int) -> bool:
    """'Russian intermediaries had shipped ...': a nationality, one or two plain nouns, auxiliaries, the verb."""
    j = t - 1
    while j >= m["e"] and (sent.norms[j] in lex.be_forms or sent.norms[j] in ("have", "has", "had", "also") or sent.norms[j] in lex.modals):
        j -= 1
    n = j - m["e"] + 1
    if not 1 <= n <= 2:
        return False
    for k in range(m["e"], j + 1):
        tok = sent.doc[k]
        if not (tok.is_alpha and tok.text.islower()) or sent.norms[k] in lex.preps or sent.norms[k] in DETERMINERS or sent.norms[k] in lex.trigger_words:
            return False
    return True


def _names_a_noun(sent: _Sentence, m: dict) -> bool:
    """Where the sentence was parsed: the mention is a name part of a common noun after it ('sent
    Islamic Revolutionary Guards Corps drone trainers'), so it says whose they are, not who receives."""
    doc = sent.doc
    if not doc[sent.a].dep_:
        return False
    root = next((doc[k] for k in range(m["s"], m["e"]) if not m["s"] <= doc[k].head.i < m["e"] or doc[k].head.i == k), None)
    if root is None or relation(root) != "name_part":
        return False
    head = root.head
    return head.i >= m["e"] and head.tag_ in ("NN", "NNS") and sent.mention_at.get(head.i) is None


def _modifies_actor_noun(sent: _Sentence, m: dict) -> bool:
    """'North Korean forces', 'Russian officials': a nationality standing for its state."""
    nxt = sent.norms[m["e"]] if m["e"] < sent.b else ""
    return nxt in {"forces", "troops", "military", "army", "government", "officials", "authorities", "leadership",
                   "regime", "leader", "leaders", "soldiers", "personnel", "navy", "side", "state", "media", "counterparts", "president"}


def _parse_object(sent, lex, trig, subject_ids, sources=()):
    """The receiver or target of a verb trigger from the parse, where there is one: an actor in a
    prepositional phrase attached to the verb (``parse_object_preps``), or the verb's object when a
    'with' phrase holds what is given. None without a parse."""
    verb = sent.doc[trig["t"]]
    if not verb.dep_:
        return None
    preps = lex.parse_object_preps.get(trig["predicate"], frozenset())

    def actor(token):
        m = sent.mention_at.get(token.i)
        if m is None or m["label"] not in ACTORS or m["id"] in subject_ids or _in_spans(m["s"], sources):
            return None
        return m if sent.a <= m["s"] < sent.b else None

    phrases = list(prepositional_phrases(verb))
    for prep, noun in phrases:
        if prep in preps and actor(noun) is not None:
            return actor(noun)
    if any(prep == lex.parse_recipient_marker for prep, _ in phrases) and trig["predicate"] == "supply":
        for child in children(verb, "object", "indirect_object"):
            if actor(child) is not None:
                return actor(child)
    return None


def _object(sent, lex, trig, subject_ids, slots, limit, sources=()):
    norms = sent.norms
    k = trig["end"]
    in_slot = set()
    for slot in slots:
        in_slot.update(range(slot["s"], slot["e"]))
    budget = 12  # tokens outside item phrases: '... 60 missiles and 3.7 million rounds of ammunition to Russia'
    window_end = limit
    visit = trig["predicate"] == "visit"
    while k < window_end and budget > 0:
        if norms[k] in CLAUSE_STOP or norms[k] in lex.object_stops:
            return None
        if k not in in_slot and norms[k] not in LIST_WORDS:
            budget -= 1  # a long list of items is no further away for its commas
        m = sent.mention_at.get(k)
        if m is None and norms[k] == "the" and k + 1 < window_end and norms[k + 1] in lex.state_anaphors and sent.mention_at.get(k + 1) is None:
            state = frames.state_before(sent, k, k + 2, subject_ids)
            if state is not None and _prep_before(sent, {"s": k + 1}, lex) not in lex.location_preps:
                return state  # 'Moscow reportedly supplied the country with Iranian attack drone technology'
        if m is not None:
            if m["label"] in ACTORS and m["id"] not in subject_ids and _listed_with(sent, m, subject_ids):
                k = m["e"]  # 'attacks by Israel and the United States': acting together, not on each other
                continue
            if m["label"] in ACTORS and _between_parties(sent, m):
                k = m["e"]  # 'help broker peace between Ukraine and Russia': the parties of something else
                continue
            if m["label"] in ACTORS and m["id"] not in subject_ids and not _in_spans(m["s"], sources):
                prep = _prep_before(sent, m, lex)
                located = prep in lex.location_preps and not (trig["predicate"] in ("attack", "sanction") and prep in lex.attack_preps)
                if prep in lex.object_only_preps and trig["predicate"] not in lex.object_only_preps[prep]:
                    located = True
                if prep in ("'s", "'") and sent.mention_at.get(m["s"] - 2) is not None and sent.mention_at[m["s"] - 2]["id"] in subject_ids:
                    located = True  # the subject's own organ
                if prep == "with" and trig["predicate"] not in frames.grammar().mutual and _with_a_noun(sent, lex, m):
                    located = True  # 'provided it with drone assistance in the war with Ukraine': the war's party
                if located or prep == "anti" or (trig["pos"] == "noun" and prep not in lex.object_preps):
                    k = m["e"]
                    continue
                if m["label"] == "NORP" and m["e"] < sent.b and sent.norms[m["e"]] in lex.t["nouns"]:
                    k = m["e"]  # 'in exchange for Russian assistance': Russia gives, it does not receive
                    continue
                if m["label"] == "NORP" and _modifies_item(m, slots, sent) is not None:
                    k = m["e"]
                    continue
                if m["label"] == "ORG" and trig["predicate"] in lex.needs_item and _names_a_noun(sent, m):
                    k = m["e"]  # 'sent Islamic Revolutionary Guards Corps drone trainers to Crimea': whose trainers
                    continue  # (what is sent is named; 'Iran-backed Houthi fighters' are still who is backed)
                if m["label"] == "GPE" and len(m["id"]) != 3 and m.get("state") in subject_ids:
                    k = m["e"]  # 'shipped from the port of Chongjin': a place of the sender's own state
                    continue
                if m["label"] == "NORP" and m["e"] < sent.b and sent.norms[m["e"]] in lex.norp_place_nouns:
                    k = m["e"]  # 'moved closer to the Ukrainian border': a place, not a party
                    continue
                if visit and (m["label"] not in ("GPE", "PERSON") or (m["label"] == "PERSON" and prep == "with")):
                    k = m["e"]
                    continue
                return m
            if trig["predicate"] in frames.grammar().place_objects and _prep_before(sent, m, lex) in lex.destination_preps:
                place = frames.as_state(m)  # 'dispatched thousands of troops to Kursk': to Russia
                if place is not None and place["id"] not in subject_ids:
                    return place
            k = m["e"]
            continue
        if norms[k] == "to" and k + 1 < window_end:
            nxt = k + 1
            while nxt < window_end and norms[nxt] in ("the", "a", "an"):
                nxt += 1
            if nxt < window_end and sent.mention_at.get(nxt) is None and norms[nxt] not in lex.verb_lexicon and sent.doc[nxt].text.islower():
                m_next = sent.mention_at.get(nxt + 1)
                if not (m_next is not None and m_next["label"] in ("GPE", "LOC") and sent.doc[nxt].is_alpha):
                    return _included_actor(sent, lex, nxt, subject_ids)
            if nxt < window_end and norms[nxt] in lex.verb_lexicon:
                budget = max(budget, 8)
                window_end = max(window_end, min(sent.b, nxt + 8))
        k += 1
    return None


LIST_WORDS = frozenset({",", "and", "or", "the", "as", "well", "both"})
RELATIVE_WORDS = frozenset({"that", "which", "who", "whom", "whose"})


def _list_before(sent: _Sentence, m: dict) -> tuple[list[dict], str]:
    """The mentions listed before ``m`` (nothing but commas, 'and' and articles between them) and the
    word before that list ('' at the sentence's start)."""
    listed = []
    k = m["s"]
    while k > sent.a:
        prev = sent.mention_at.get(k - 1)
        if prev is not None:
            listed.append(prev)
            k = prev["s"]
        elif sent.norms[k - 1] in LIST_WORDS:
            k -= 1
        else:
            return listed, sent.norms[k - 1]
    return listed, ""


def _listed_with(sent: _Sentence, m: dict, subject_ids) -> bool:
    """The mention stands in one list with a subject before it ('backed by Ukraine, the United States
    and several European countries')."""
    return any(p["id"] in subject_ids for p in _list_before(sent, m)[0])


def _between_parties(sent: _Sentence, m: dict) -> bool:
    """The mention is one of the parties after 'between' ('peace between Ukraine and Russia')."""
    return _list_before(sent, m)[1] == "between"


def _with_a_noun(sent: _Sentence, lex: ClaimLexicon, m: dict) -> bool:
    """The mention follows 'with' after a plain noun that is no trigger and no item ('the war with
    Ukraine', 'its relationship with Russia'), where the sentence was tagged: a party of that noun."""
    k = m["s"] - 1
    while k > sent.a and sent.norms[k] in ("the", "a", "an"):
        k -= 1
    if k <= sent.a or sent.norms[k] != "with":
        return False
    noun = sent.doc[k - 1]
    return noun.tag_ in ("NN", "NNS") and sent.norms[k - 1] not in lex.trigger_words and sent.mention_at.get(k - 1) is None


def _included_actor(sent: _Sentence, lex: ClaimLexicon, k: int, subject_ids) -> dict | None:
    """'to various groups opposed to Israel, including Hamas and Hezbollah': the first actor named
    after 'including' / 'such as' in the same clause, else None (the recipient is not named)."""
    for j in range(k, min(sent.b, k + 12)):
        if sent.norms[j] in CLAUSE_STOP or sent.norms[j] in lex.object_stops:
            return None
        for marker in lex.including:
            if tuple(sent.norms[j : j + len(marker)]) == marker:
                m = sent.mention_at.get(j + len(marker))
                if m is not None and m["label"] in ACTORS and m["id"] not in subject_ids:
                    return m
    return None


def _item_limit(sent: _Sentence, lex: ClaimLexicon, start: int, end: int) -> int:
    norms = sent.norms
    for k in range(start, end):
        if norms[k] in CLAUSE_STOP or (norms[k] == "according" and k + 1 < end and norms[k + 1] == "to"):
            return k
        if _has_phrase(norms, k, k + 1, lex.reciprocal):
            return k  # 'importing North Korean munitions, in return sharing sensitive defense technology': given back
        if norms[k] in lex.modals or (norms[k] == "to" and k + 1 < end and sent.doc[k + 1].tag_ == "VB"):
            # 'those deliveries would keep Russian troops supplied', 'supplying Houthi rebels with imagery to
            # target U.S. warships': what follows belongs to another verb
            return k
        if norms[k] in lex.clause_openers:
            return k  # 'attacks on Iran when ... stated, "Russia has given the S-400 ...': another clause's items
        if norms[k] == "," and k + 1 < end and norms[k + 1] in lex.item_scope_stops:
            if tuple(norms[k + 1 : k + 4]) == ("as", "well", "as"):
                continue  # '..., as well as 170mm Koksan guns': the list goes on
            return k
    return end


def _claims_for(sent, lex, trig, next_t, triggers, slots, attribution, sent_id, subjects_at=None):
    norms = sent.norms
    t = trig["t"]
    predicate = trig["predicate"]
    subjects_at = {} if subjects_at is None else subjects_at
    if trig.get("origin"):
        return _origin_claims(sent, lex, trig, slots, attribution, sent_id)
    if trig.get("transport"):
        return _transport_claims(sent, lex, trig, slots, attribution, sent_id)
    blocked = frames.grammar().not_with_objects.get(predicate)
    if blocked and trig["pos"] == "verb" and any(norms[k] in blocked for k in range(trig["end"], min(sent.b, trig["end"] + 4))):
        return []  # 'signed a joint letter' (claim_frames.json: not_with_objects)
    if predicate == "agree" and trig["pos"] == "verb" and trig["end"] + 1 < sent.b and norms[trig["end"]] == "to":
        after = sent.doc[trig["end"] + 1]
        if after.is_alpha and after.text.islower() and norms[trig["end"] + 1] not in lex.agree_to_blockers:
            return []  # 'has agreed to take the Bank of Israel job'

    # object scope: up to the next trigger, unless that one is coordinated with this one
    # ('deploy X and supply Y to Z') or is a purpose ('sent troops to support Russia')
    limit = next_t
    for nt in triggers:
        if nt["t"] <= t:
            continue
        if norms[nt["t"] - 1] in ("and", "or", "to"):
            limit = max(limit, _next_after(triggers, nt["t"], sent.b))
        break
    for att in attribution:
        if att["kind"] == "quote" and att["qs"] <= t < att["qe"]:
            limit = min(limit, att["qe"])  # '"... to assist these nations ...," Rodrigo Rato said'
            next_t = min(next_t, att["qe"])
    if trig["pos"] == "noun" and predicate == "supply" and _revenue_after(sent, lex, trig["end"]):
        return []  # 'arms exports brought in $5.5 billion': the money the trade made, not a transfer
    item_limit = _item_limit(sent, lex, trig["end"], next_t)
    sources = [(att["src_s"], att["src_e"]) for att in attribution if att["kind"] == "verb"]
    receiving = trig.get("receive") or any(norms[k] in lex.receive for k in range(max(sent.a, t - 3), t))
    joint = None
    if receiving:
        # 'North Korea is receiving technological support from Russia', 'Russia denied receiving North
        # Korean weapons': the giver (after 'from', or the nationality of the item) is the subject
        if trig["pos"] != "noun" and not trig.get("receive"):
            return []
        subj = None
        # 'by' names the giver after a receiving noun ('receiving support provided by Russia'), but the
        # receiver after a receive verb's participle ('customs data obtained by CSIS')
        givers = ("from",) if trig.get("receive") else ("from", "by")
        listed = []
        for k in range(trig["end"], min(sent.b, trig["end"] + 10)):
            if norms[k] in givers:
                subj = _agent_after(sent, k)
                listed = _listed_agents_after(sent, k)
                break
        if subj is None and trig.get("receive"):
            for s in slots:
                if trig["end"] <= s["s"] < item_limit:
                    subj = next((m for m in sent.mentions if m["label"] in ("NORP", "GPE") and m["e"] == s["ds"]), None)
                    if subj is not None:
                        break
        if subj is None and listed:
            subj = listed[0]
        if subj is None:
            return []
        rk = t if trig.get("receive") else next(k for k in range(t - 1, max(sent.a, t - 4) - 1, -1) if norms[k] in lex.receive)
        # who receives is the receive verb's subject, read as a verb trigger's subject is ('any country that
        # continues to purchase Russian oil' names none; 'Russia denied receiving ...' names Russia)
        receiver = _subject(sent, lex, {"t": rk, "end": rk + 1, "pos": "verb", "predicate": "supply"}, slots)
        if receiver is None:
            nearest = _nearest_actor_before(sent, lex, rk - 1, person=None)
            if nearest is not None and not any(norms[k] in RELATIVE_WORDS for k in range(nearest["e"], rk)):
                receiver = nearest  # 'India has signed a $40bn (£21bn) deal to import ... from Iran'
        receiver = receiver or _first_person_state(sent, attribution, rk)
        subjects = [subj] + [m for m in listed if m["id"] != subj["id"]]
        objects = [receiver] if receiver is not None else []
    else:
        joint = _joint_subject(sent, lex, trig)
        subj = _coordinated_verb_subject(sent, trig, subjects_at)
        if subj is None:
            subj = _subject(sent, lex, trig, slots)
        subjects, objects = [], []
    in_scope = [s for s in slots if trig["end"] <= s["s"] < item_limit]
    if trig.get("purpose"):
        # 'to mass-produce suicide drones, possibly for export to Russia': what is made for export,
        # by whoever makes it (the subject of the clause)
        in_scope = [s for s in slots if s["e"] <= t and t - s["e"] <= 4 and not _actor_between(sent, s["e"], t)]
        subj = _subject(sent, lex, {"t": t, "end": t + 1, "pos": "verb", "predicate": predicate}, slots)
    elif trig["pos"] == "noun":
        # 'missile-tests', 'intercontinental ballistic missile (ICBM) tests': past a dash or a closing bracket
        before = [s for s in slots if s["e"] == t or (s["e"] == t - 1 and norms[t - 1] in ("-", ")", "]"))]
        in_scope = before + in_scope
    before_verb = _slots_before_verb(sent, lex, t, slots)
    if trig.get("reduced_relative"):
        head = [s for s in slots if s["e"] == t]
        in_scope = head + in_scope
        owner = _item_owner(sent, head[0]) if head and not receiving else None
        if owner is not None:
            subj = owner  # 'North Korean artillery shells delivered to Russia': whose shells they are
    if trig.get("person_only"):
        # 'North Korean soldiers were spotted in Kursk': only people under arms before the verb
        in_scope = [s for s in before_verb if s["item"] in lex.person_items]
    elif _is_passive(sent, lex, trig) and before_verb:
        # 'North Korean troops have been deployed to ...', 'the missiles were supplied by North Korea':
        # the item is the passive subject, whatever follows the verb
        in_scope = before_verb
    elif trig.get("item_before") and predicate == "deploy":
        # 'troops fighting alongside Russian forces', 'they are fighting ... Ukrainian units': who
        # arrives, fights or serves stands before the verb
        in_scope = before_verb
    elif trig.get("item_before"):
        in_scope = [s for s in in_scope if _word_before(sent, s["s"]) not in lex.preps] or before_verb
    in_scope = [s for s in in_scope if s["item"] not in lex.money_items]  # '$5.5 billion' is no goods
    if norms[t] in lex.with_item_verbs:
        # 'repay the North with MiG-29 or Su-27 fighter jets', not 'repay the North for its shells'
        in_scope = [s for s in in_scope if any(norms[k] == "with" for k in range(max(trig["end"], s["s"] - 3), s["s"]))]
    if predicate == "support":
        # 'to assist Russia with artillery shells': support with things is supplying them
        given = [s for s in in_scope if any(norms[k] == "with" for k in range(max(trig["end"], s["s"] - 3), s["s"]))]
        if given:
            predicate, in_scope = "supply", given
    if predicate not in lex.item_predicates:
        in_scope = []
    elif predicate in lex.weapon_item_predicates:
        # 'at launch, from 17 transmission sites': what is tested or fired is a weapon
        in_scope = [s for s in in_scope if s["item"] in lex.weapon_items or s["item"] in sent.equipment_items]
    if trig.get("item_before") and predicate == "deploy" and not receiving and in_scope:
        # 'reports of North Korean troops fighting in Ukraine': whose troops they are, not who reports
        owner = next((o for o in map(lambda s: _item_owner(sent, s), in_scope) if o is not None), None)
        if owner is None and any(s["item"] in lex.person_items and _anaphoric(sent, lex, s) for s in in_scope):
            # '8,000 of them have already moved to Kursk': the article's deployer, not an actor further back
            state = _earlier_deployer(sent, lex)
            owner = {"id": state, "label": "GPE", "s": -1, "e": -1, "name": state} if state is not None else None
        if owner is not None:
            subj = owner
    if subj is None and not receiving:
        # the nationality of the item: 'transfer of North Korean munitions', '10,000 North Korean personnel have arrived'
        for s in in_scope:
            subj = _item_owner(sent, s)
            if subj is not None:
                break
    if subj is None and not receiving and predicate in ("deploy", "supply"):
        # 'the troops had started fighting', 'about 7,000 of them had been moved', 'some 11,000 troops
        # were shipped to Russia' (a passive with no agent): the article's deployer
        passive = _is_passive(sent, lex, trig) and not any(sent.norms[k] == "by" for k in range(trig["end"], min(sent.b, trig["end"] + 8)))
        if any(s["item"] in lex.person_items and (passive or _anaphoric(sent, lex, s)) for s in in_scope):
            state = _earlier_deployer(sent, lex)
            if state is not None:
                subj = {"id": state, "label": "GPE", "s": -1, "e": -1, "name": state}
    if joint is not None:
        subj = joint[0]
    if trig.get("launch_relative"):
        subj = None  # 'North Korean KN-23 missiles ... launched at Kyiv': the maker of the weapons is not the launcher
    if subj is None:
        if trig.get("launch") and not receiving:
            _agentless_launch(sent, lex, trig, limit, slots, attribution, sent_id)
        return []
    if not receiving:
        subjects = [subj] if joint is not None else _coordinated_before(sent, subj) + [subj]
        subjects_at[t] = subjects
        subject_ids = {m["id"] for m in subjects}
        if joint is not None:
            objects = [joint[1]]
        elif trig.get("place") is not None:
            own_state = (subj.get("state") or subj.get("role_state")) if subj["label"] == "PERSON" else None
            place = trig["place"]
            place_state = place["id"] if len(place["id"]) == 3 else place.get("state")
            if own_state is None or place_state is None or place_state == own_state:
                return []  # a meeting at home, or of someone who acts for no known state, is no visit
            objects = [place_state]
        elif predicate in lex.objectless:
            objects = []
        else:
            obj = _object(sent, lex, trig, subject_ids, slots, limit, sources)
            if obj is None and trig["pos"] == "verb":
                obj = _parse_object(sent, lex, trig, subject_ids, sources)
            objects = _coordinated_objects(sent, obj) if obj is not None else []
            if not objects and trig.get("person_only"):
                place = _presence_place(sent, lex, trig["end"], limit, {_actor_id(m, predicate) for m in subjects})
                objects = [place] if place is not None else []
        if predicate == "visit" and not objects and not _unknown_destination(sent, trig):
            place = _visit_place(sent, trig, subjects, sources) or _previous_visit_place(sent, subjects)
            objects = [place] if place is not None else []
        if predicate == "agree" and not objects and len(subjects) >= 2:
            objects = [subjects[-1]]
            subjects = subjects[:-1]
    if trig.get("launch"):
        target = _launch_target(sent, lex, trig, limit, {_actor_id(m, predicate) for m in subjects})
        if target is not None:
            predicate, objects = "attack", [target]
    if not receiving and predicate in ("deploy", "supply"):
        # 'dispatched drone operators to learn from Russian units': another state's people are not deployed by this one
        own = {_actor_id(m, predicate) for m in subjects}
        in_scope = [s for s in in_scope if s["item"] not in lex.person_items or (o := _item_owner(sent, s)) is None or o["id"] in own]
    # one slot per item: a counted mention wins over a bare one
    by_item: dict[str, dict] = {}
    for s in in_scope:
        if s["item"] is None:
            continue
        if s["item"] not in by_item or (by_item[s["item"]]["q"] is None and s["q"] is not None):
            by_item[s["item"]] = s
    chosen = sorted(by_item.values(), key=lambda s: s["s"])
    if predicate in lex.needs_item and not chosen and not (
        predicate == "deploy" and trig["pos"] == "noun" and subj["label"] == "NORP" and subj["e"] == t
    ):
        return []  # ('a North Korean deployment' is a claim without an item)
    if predicate in lex.needs_beneficiary and not objects and not chosen:
        return []
    source, reported = _pick_attribution(sent, attribution, t)
    scope_end = max([s["e"] for s in chosen] + [trig["end"]])
    modality = _modality(sent, lex, t, scope_end, reported)
    if trig.get("purpose") and modality != "denied":
        modality = "hypothetical"  # made for export is not yet exported
    date = _sentence_date(sent, t)
    rows = []
    for subj_m in subjects:
        subject_id = _actor_id(subj_m, predicate)
        if predicate in lex.state_subject and subj_m["label"] == "PERSON" and subject_id == subj_m["id"]:
            continue  # 'his battery fired 300 shells': a person who acts for no known state tests nothing
        if predicate == "visit" and subj_m["label"] != "PERSON" and not _owns_travellers(sent, lex, subj_m):
            continue  # 'Italy will visit', 'the Italians travel to Edinburgh': a country or a team is no traveller
        for obj_m in objects or [None]:
            object_id = obj_m if isinstance(obj_m, str) else (_object_id(obj_m, predicate) if obj_m is not None else None)
            if object_id == subject_id:
                continue  # 'North Korea ... providing Pyongyang': not a claim about two parties
            if predicate == "visit" and subj_m.get("state") is not None and subj_m.get("state") == object_id:
                continue  # 'in his second trip to the North' read as Kim's: nobody visits his own state
            trigger = " ".join(sent.doc[t : trig["end"]].text.split())
            for slot in chosen or [None]:
                rows.append(_row(lex, sent_id, t, trigger, subj_m, subject_id, predicate, object_id, slot, source, modality, date))
    return rows


def _row(lex, sent_id, t, trigger, subj_m, subject_id, predicate, object_id, slot, source, modality, date) -> dict:
    """One claim row, as both engines write it: people under arms are deployed, not supplied."""
    item = slot["item"] if slot else None
    return {
        "sent": sent_id, "t": t, "trigger": trigger, "subject_id": subject_id,
        "subject_actor": _named_actor(subj_m, subject_id),
        "predicate": "deploy" if predicate == "supply" and item in lex.person_items else predicate,
        "object_id": object_id, "item": item, "q": slot["q"] if slot else None,
        "attributed_to": source, "modality": modality, "claim_date": date,
    }


def _carry_objects(claims: list[dict], norms: list[str], bounds) -> None:
    """Objects carried over from the claims before (triggers.json: object_carry): the object of the
    same subject's last claim, or, in a sentence that gives something back ('in return'), the party
    that gave to this subject."""
    lex = claim_lexicon()
    carry = lex.object_carry
    window = carry["window_sentences"]
    for n, c in enumerate(claims):
        if c["object_id"] is not None or c["predicate"] not in carry["predicates"]:
            continue
        family = carry["same_predicates"][c["predicate"]]
        a, b, _ = bounds[c["sent"]]
        giving_back = _has_phrase(norms, a, b, lex.reciprocal)
        for p in reversed(claims[:n]):
            if c["sent"] - p["sent"] > window:
                break
            if p["predicate"] not in family:
                continue
            if (giving_back or p["sent"] == c["sent"]) and p["object_id"] == c["subject_id"] and p["subject_id"] != c["subject_id"]:
                c["object_id"] = p["subject_id"]
                break
            if p["subject_id"] == c["subject_id"] and p["object_id"] is not None and p["object_id"] != c["subject_id"]:
                c["object_id"] = p["object_id"]
                break


def _launches_in_a_war(doc: Doc, norms: list[str], claims: list[dict], lex: ClaimLexicon) -> None:
    """Weapons a party launches or fires with no target named are a test, except where the article has
    the same party attacking one other party: then they are attacks on it ('Russia launched 650
    drones and 30 missiles overnight' in an article on Russia's strikes on Ukraine)."""
    targets: dict[str, set[str]] = {}
    for c in claims:
        if c["predicate"] == "attack" and c["object_id"] is not None:
            targets.setdefault(c["subject_id"], set()).add(c["object_id"])
    for c in claims:
        t = c["t"]
        a_verb = doc[t].tag_.startswith("VB") if doc[t].tag_ else (t == 0 or (norms[t - 1] not in DETERMINERS and norms[t - 1] != "test"))
        if c["predicate"] == "test" and c["object_id"] is None and c["trigger"].lower() in lex.launch_verbs and a_verb \
                and len(targets.get(c["subject_id"], ())) == 1:  # 'its test launch of an ICBM' stays a test
            c["predicate"], c["object_id"] = "attack", next(iter(targets[c["subject_id"]]))


def _owns_travellers(sent: _Sentence, lex: ClaimLexicon, m: dict) -> bool:
    """A state or organisation named right before people who can travel ('Chinese military officers',
    "the DPRK's Foreign Minister"; triggers.json: traveller_nouns)."""
    k = m["e"]
    if k < sent.b and sent.norms[k] in POSSESSIVES:
        k += 1
    return any(sent.norms[j] in lex.travellers for j in range(k, min(sent.b, k + 3)))


def _merge(framed: list[dict], worded: list[dict], parsed: bool, doc: Doc) -> list[dict]:
    """One sentence's claims from the two engines. On a parsed sentence, a predicate whose frame says
    ``"engine": "parse"`` comes from the claim grammar alone, and so do the noun triggers of a frame
    saying ``"noun_engine": "parse"`` ('sanctions against North Korea' names no one imposing them).
    For the others the word rules' claims stand, a word claim without an object takes the objects the
    grammar found for the same trigger and subject ('providing SAM systems such as the HQ-9B to
    Iran'), and the grammar adds the claims of triggers the word rules left without one."""
    if not parsed:
        return worded
    g = frames.grammar()
    worded = [r for r in worded if r["predicate"] not in g.parse_only and not (
        r["predicate"] in g.parse_only_nouns and doc[r["t"]].tag_.startswith("NN") and doc[r["t"]].lower_ in g.nouns)]
    objects: dict[tuple, list[str]] = {}
    for r in framed:
        if r["object_id"] is not None:
            objects.setdefault((r["t"], r["subject_id"], r["predicate"]), []).append(r["object_id"])
    filled = []
    for r in worded:
        found = objects.get((r["t"], r["subject_id"], r["predicate"])) if r["object_id"] is None else None
        if found:
            filled.extend({**r, "object_id": o} for o in dict.fromkeys(found))
        else:
            filled.append(r)
    worded = filled
    taken = {r["t"] for r in worded}
    return worded + [r for r in framed if r["predicate"] in g.parse_only or r["t"] not in taken]


def _frame_claims(sent, lex, slots, quotes, sent_id) -> list[dict]:
    """A parsed sentence's claims: the frames of data/claim_frames.json on its parse."""
    view = frames.SentenceView(sent, slots)
    g = frames.grammar()
    rows = []
    for token, trig in frames.frame_triggers(view):
        date = _sentence_date(sent, token.i)
        found = frames.roles(view, token, trig)
        predicate = trig.predicate
        if trig.kind == "noun" and not found["subject"] and predicate in g.event_predicates and frames.named_before(token):
            _refer_back(sent, sent_id, predicate, found, frames.event_items(view, token))
        itemless = trig.kind in frames.NOUN_KINDS and token.lower_ in g.itemless_nouns and found["object"] and not any(
            prep == "of" for prep, _ in prepositional_phrases(token))  # 'imports of Russian equipment' name goods
        if not found["subject"] or (predicate in g.needs_item and not found["item"] and not itemless) or (
            predicate in g.needs_object and not found["object"]
        ):
            continue
        quote = next((q for q in quotes if q["s"] <= token.i < q["e"]), None)
        if quote is not None:
            source, reported = quote["speaker"], True
        else:
            source, reported = modal.source(token, lex.source_verbs, lambda s, e: _np_source(sent, lex, s, e))
        modality = modal.modality(token, reported)
        items = [slot for slot in found["item"] if slot["item"] not in lex.money_items]  # a sum is never the item
        if found["item"] and not items:
            continue
        for subj_m in found["subject"]:
            subject_id = _actor_id(subj_m, predicate)
            if predicate in lex.state_subject and subj_m["label"] == "PERSON" and subject_id == subj_m["id"]:
                continue
            for obj_m in found["object"] or [None]:
                object_id = _object_id(obj_m, predicate) if obj_m is not None else None
                if object_id == subject_id:
                    continue
                for slot in items or [None]:
                    rows.append(_row(lex, sent_id, token.i, token.text, subj_m, subject_id, predicate, object_id, slot,
                                     source, modality, date))
    return rows


def _refer_back(sent, sent_id: int, predicate: str, found: dict, items: list[dict]) -> None:
    """'The attack involved 242 drones ...', 'Lviv Mayor Andriy Sadoviy said the attack hit critical
    infrastructure': an event noun named before takes the parties of the article's last claim of its
    predicate at most ``event_reference_window`` sentences back (claim_frames.json), and its own items."""
    window = frames.grammar().event_window
    for p in reversed(sent.prior):
        if sent_id - p["sent"] > window:
            return
        if p["predicate"] == predicate and p["object_id"] is not None:
            found["subject"] = [{"id": p["subject_id"], "label": "GPE", "name": p["subject_id"]}]
            found["object"] = found["object"] or [{"id": p["object_id"], "label": "GPE", "name": p["object_id"]}]
            found["item"] = found["item"] or items
            return


def _origin_claims(sent, lex, trig, slots, attribution, sent_id) -> list[dict]:
    """'(around half of) the rounds Russia fired last year came from North Korean stocks', 'the
    missiles used in the strike came from North Korea': the source state supplied the weapons to
    their user (an actor between the weapons and the verb, or whose weapons they are)."""
    norms, t = sent.norms, trig["t"]
    j = trig["end"]
    while j < sent.b and norms[j] == "the":
        j += 1
    src = sent.mention_at.get(j)
    if src is None or src["s"] != j or src["label"] not in ("GPE", "NORP") or len(src["id"]) != 3:
        return []
    k = src["e"]
    possessive = k < sent.b and norms[k] in POSSESSIVES
    if possessive:
        k += 1
    if (src["label"] == "NORP" or possessive) and not (k < sent.b and norms[k] in lex.origin_nouns):
        return []  # 'came from North Korean defectors', 'came from Russia's own budget'
    state = src["id"]
    slot = None
    for s in sorted(slots, key=lambda s: -s["e"]):
        if s["e"] > t or t - s["e"] > 8:
            continue
        if any(norms[x] in (",", ";", ":", ".") or norms[x] in CLAUSE_STOP for x in range(s["e"], t)):
            break
        if s["item"] is not None and (s["item"] in lex.weapon_items or s["item"] in sent.equipment_items):
            slot = s  # the weapons, past 'fired by Russian troops'
            break
    if slot is None:
        return []
    user = next((m for m in sent.mentions if slot["e"] <= m["s"] < t and m["label"] in ("GPE", "NORP")
                 and len(m["id"]) == 3 and m["id"] != state), None)
    if user is None:
        owner = _item_owner(sent, slot)
        user = owner if owner is not None and len(owner["id"]) == 3 and owner["id"] != state else None
    source, reported = _pick_attribution(sent, attribution, t)
    modality = _modality(sent, lex, t, k, reported)
    date = _sentence_date(sent, t)
    return [{
        "sent": sent_id, "t": t, "trigger": " ".join(sent.doc[t : trig["end"]].text.split()),
        "subject_id": state, "predicate": "supply", "object_id": user["id"] if user is not None else None,
        "item": slot["item"], "q": slot["q"], "attributed_to": source, "modality": modality, "claim_date": date,
    }]


def _place_state(sent: _Sentence, a: int, b: int) -> str | None:
    """The one state the places (or nationalities) in tokens [a, b) belong to."""
    states = set()
    for m in sent.mentions:
        if a <= m["s"] < b and m["label"] in ("GPE", "LOC", "FAC", "NORP"):
            state = m["id"] if len(m["id"]) == 3 else m.get("state")
            if state:
                states.add(state)
    return next(iter(states)) if len(states) == 1 else None


def _transport_claims(sent, lex, trig, slots, attribution, sent_id) -> list[dict]:
    """'shuttling from Rajin to Vostochny with containers filled with munitions' (A supply B), or
    'between the port of Rajin and Vostochny' when the article has already said which way goods go."""
    norms, t = sent.norms, trig["t"]
    prep = norms[trig["end"]]
    joint = "and" if prep == "between" else "to"
    k = trig["end"] + 1
    mid = next((j for j in range(k, min(sent.b, k + 8)) if norms[j] == joint and sent.mention_at.get(j) is None), None)
    if mid is None:
        return []
    end = mid + 1
    while end < sent.b and end - mid < 8 and norms[end] not in (",", ";", "with", "carrying", "loaded", "laden") and norms[end] not in CLAUSE_STOP:
        end += 1
    first, second = _place_state(sent, k, mid), _place_state(sent, mid + 1, end)
    if first is None or second is None or first == second:
        return []
    if prep == "between":
        said = {(r["subject_id"], r["object_id"]) for r in list(sent.prior) + list(sent.current) if r["predicate"] == "supply"
                and (r["item"] in lex.weapon_items or r["item"] in lex.transport_goods)}
        if (first, second) not in said:
            if (second, first) not in said:
                return []
            first, second = second, first
    weapons = [s for s in slots if end <= s["s"] < min(sent.b, end + 25) and s["item"] is not None
               and (s["item"] in lex.weapon_items or s["item"] in sent.equipment_items or s["item"] in lex.transport_goods)]
    by_item: dict[str, dict] = {}
    for s in weapons:
        by_item.setdefault(s["item"], s)
    if not by_item:
        return []
    source, reported = _pick_attribution(sent, attribution, t)
    first_goods = min(s["s"] for s in by_item.values())
    # 'with containers that Western governments say are filled with munitions': the source of the goods
    rel = next((att for att in attribution if att["kind"] == "verb" and att["source"] and end <= att["src_s"]
                and att["pos"] < first_goods and norms[att["src_s"] - 1] in ("that", "which")), None)
    if rel is not None:
        source, reported = rel["source"], True
    scope_end = max(s["e"] for s in by_item.values())
    modality = _modality(sent, lex, t, scope_end, reported)
    date = _sentence_date(sent, t)
    return [{
        "sent": sent_id, "t": t, "trigger": sent.doc[t].text, "subject_id": first, "predicate": "supply",
        "object_id": second, "item": s["item"], "q": s["q"], "attributed_to": source, "modality": modality,
        "claim_date": date,
    } for s in by_item.values()]


def _agentless_launch(sent, lex, trig, limit, slots, attribution, sent_id) -> None:
    """'North Korean KN-23 missiles now make up a growing share of the ballistic missiles launched at
    Kyiv': a launch at another state's place with no launcher named, of weapons one state made. Kept
    for ``_launch_users``, which names the launcher only if the article says whom that state supplied
    them to."""
    norms, t = sent.norms, trig["t"]
    if any(norms[k] == "by" for k in range(trig["end"], min(sent.b, trig["end"] + 8))):
        return
    weapons = [s for s in slots if s["item"] is not None and (s["item"] in lex.weapon_items or s["item"] in sent.equipment_items)]
    owned = [(s, o) for s in weapons if (o := _item_owner(sent, s)) is not None and len(o["id"]) == 3]
    makers = {o["id"] for _, o in owned}
    if len(makers) != 1:
        return
    maker = makers.pop()
    target = _launch_target(sent, lex, trig, limit, {maker})
    if target is None:
        return
    source, reported = _pick_attribution(sent, attribution, t)
    sent.launches.append({
        "sent": sent_id, "t": t, "trigger": sent.doc[t].text, "maker": maker, "target": target,
        "owned": [s["item"] for s, _ in owned], "items": {s["item"] for s in weapons}, "attributed_to": source,
        "modality": _modality(sent, lex, t, trig["end"], reported),
        "claim_date": _sentence_date(sent, t),
    })


def _launch_users(out: list[dict], launches: list[dict]) -> list[dict]:
    """An agentless launch of state P's weapons at state S is R's attack on S when this or an adjacent
    sentence says P supplied R with those weapons (the same item), and names no other receiver."""
    for launch in launches:
        users = {
            r["object_id"] for r in out
            if r["predicate"] == "supply" and r["subject_id"] == launch["maker"] and abs(r["sent"] - launch["sent"]) <= 1
            and r["item"] in launch["items"] and r["modality"] not in ("denied", "hypothetical")
            and r["object_id"] not in (None, launch["maker"], launch["target"])
        }
        if len(users) != 1:
            continue
        user = users.pop()
        rows = [{
            "sent": launch["sent"], "t": launch["t"], "trigger": launch["trigger"], "subject_id": user,
            "predicate": "attack", "object_id": launch["target"], "item": item, "q": None,
            "attributed_to": launch["attributed_to"], "modality": launch["modality"], "claim_date": launch["claim_date"],
        } for item in dict.fromkeys(launch["owned"])]
        at = next((n for n, r in enumerate(out) if (r["sent"], r["t"]) > (launch["sent"], launch["t"])), len(out))
        out[at:at] = rows
    return out


def _presence_place(sent: _Sentence, lex: ClaimLexicon, k: int, limit: int, own: set[str]) -> str | None:
    """'(soldiers) have been observed near the front line in Russia's Kursk region': the state of the
    first place of another state after a presence preposition in the clause, else None."""
    for j in range(k, min(limit, sent.b)):
        if sent.norms[j] in CLAUSE_STOP or sent.norms[j] in lex.object_stops or sent.norms[j] in (",", "from"):
            return None
        if sent.norms[j] not in lex.presence_preps:
            continue
        p = j + 1
        while p < sent.b and sent.norms[p] in ("the", "a", "an"):
            p += 1
        m = sent.mention_at.get(p)
        if m is None or m["label"] not in ("GPE", "LOC", "FAC"):
            continue
        state = m["id"] if len(m["id"]) == 3 else m.get("state")
        if state and state not in own:
            return state
    return None


def _revenue_after(sent: _Sentence, lex: ClaimLexicon, k: int) -> bool:
    """A revenue verb right after a noun trigger (past auxiliaries and adverbs): 'exports (have) earned'."""
    while k < sent.b and (sent.norms[k] in ("have", "has", "had", "may", "might", "could", "also", "reportedly") or sent.norms[k].endswith("ly")):
        k += 1
    return _has_phrase(sent.norms, k, min(k + 1, sent.b), lex.revenue_verbs)


def _slots_before_verb(sent: _Sentence, lex: ClaimLexicon, t: int, slots: list[dict]) -> list[dict]:
    """Items standing as the subject of the verb at t: ending at most four tokens before it, or right
    before a chain of auxiliaries ('soldiers were reported to have started taking part'), or before a
    comma-bounded apposition ('11,000 soldiers, mostly from the Storm Corps, were deployed'); never
    with an actor in between ('the ammunition Russia fired': a relative clause)."""
    k = t
    while k > sent.a and sent.norms[k - 1] in lex.verb_chain:
        k -= 1
    starts = {k}
    if k > sent.a and sent.norms[k - 1] == ",":
        p = k - 2
        while p > sent.a and sent.norms[p] != "," and k - p < 15:
            p -= 1
        if p > sent.a and sent.norms[p] == ",":
            starts.add(p)
    return [
        s for s in slots
        if s["e"] <= t and (s["e"] in starts or (t - s["e"] <= 4 and not _actor_between(sent, s["e"], t)))
    ]


def _actor_between(sent: _Sentence, a: int, b: int) -> bool:
    return any((m := sent.mention_at.get(k)) is not None and m["label"] in ACTORS for k in range(a, b))


def _item_owner(sent: _Sentence, slot: dict) -> dict | None:
    """The state an item belongs to: 'North Korean munitions', 'North Korean military personnel',
    'the North's soldiers'."""
    ds, norms = slot["ds"], sent.norms
    for m in sent.mentions:
        if m["label"] not in ("NORP", "GPE"):
            continue
        if m["e"] == ds or (m["e"] + 1 == ds and norms[m["e"]] == "military"):
            return m
        if m["label"] == "GPE" and m["e"] + 1 == ds and norms[m["e"]] in ("'s", "'") and len(m["id"]) == 3:
            return m
    return None


def _anaphoric(sent: _Sentence, lex: ClaimLexicon, slot: dict) -> bool:
    """'the troops', 'these soldiers', 'about 7,000 of them': people named before."""
    a = max(sent.a, slot["s"] - 1)
    if any(sent.norms[k] in lex.anaphoric_dets or sent.norms[k] == "them" for k in range(a, slot["e"])):
        return True
    return tuple(sent.norms[slot["e"] : slot["e"] + 2]) in (("of", "them"), ("of", "those"))


def _earlier_deployer(sent: _Sentence, lex: ClaimLexicon) -> str | None:
    """The one state whose people the article has so far said were deployed (None when it named several)."""
    states = {
        c["subject_id"] for c in list(sent.prior) + list(sent.current)
        if c["predicate"] == "deploy" and c["item"] in lex.person_items and len(c["subject_id"]) == 3
    }
    return next(iter(states)) if len(states) == 1 else None


def _previous_visit_place(sent: _Sentence, subjects: list[dict]) -> str | None:
    """'Belousov ... stepped off his plane in Pyongyang ... . Belousov's visit, his first ...': a visit
    with no place in its sentence went to the foreign state the sentence before put the visitor in."""
    own = {m["id"] for m in subjects} | {m.get("state") for m in subjects if m.get("state")}
    people = {m["id"] for m in subjects if m["label"] == "PERSON"}
    if not people or not any(m["id"] in people for m in sent.prev_mentions):
        return None
    for m in sent.prev_mentions:
        if m["label"] == "GPE" and len(m["id"]) == 3 and m["id"] not in own:
            return m["id"]
    return None


def _first_person_state(sent: _Sentence, attribution: list[dict], k: int) -> str | None:
    """'"We have not received any weapons ...," Peskov said': 'we' in a quote is the speaker's state."""
    j = k - 1
    while j > sent.a and sent.norms[j] in ("have", "has", "had", "not", "never", "n't", "did", "do", "also", "ever"):
        j -= 1
    if sent.norms[j] not in ("we", "our"):
        return None
    for att in attribution:
        if att["kind"] == "quote" and att["qs"] <= k < att["qe"] and att.get("state"):
            return att["state"]
    return None


def _word_before(sent: _Sentence, k: int) -> str:
    """The word before token k, stepping back over determiners and mentions ('alongside the Russian forces')."""
    j = k - 1
    while j >= sent.a:
        m = sent.mention_at.get(j)
        if m is not None:
            j = m["s"] - 1
        elif sent.norms[j] in ("the", "a", "an", "its", "their", "more", "other"):
            j -= 1
        else:
            return sent.norms[j]
    return ""


def _is_passive(sent: _Sentence, lex: ClaimLexicon, trig: dict) -> bool:
    t = trig["t"]
    return trig["pos"] == "verb" and t - 1 >= sent.a and sent.norms[t - 1] in lex.be_forms and not sent.norms[t].endswith("ing")


def _coordinated_verb_subject(sent: _Sentence, trig: dict, subjects_at: dict) -> dict | None:
    """'Shoigu visited the North and toured an exhibition': the second verb shares the first's subject."""
    if trig["pos"] != "verb":
        return None
    norms, t = sent.norms, trig["t"]
    k = t - 1
    while k > sent.a and norms[k] in ("also", "then", "later", "has", "have", "had", "reportedly"):
        k -= 1
    if k <= sent.a or norms[k] not in ("and", "or"):
        return None
    earlier = [p for p in subjects_at if p < k]
    if not earlier:
        return None
    subjects = subjects_at[max(earlier)]
    return subjects[-1] if subjects else None


def _joint_subject(sent: _Sentence, lex: ClaimLexicon, trig: dict):
    """'... and the two sides signed an agreement': (first party, second party) named before it."""
    norms, t = sent.norms, trig["t"]
    if not any(norms[k] in lex.joint_heads for k in range(max(sent.a, t - 3), t)):
        return None
    for phrase in lex.joint_subjects:
        n = len(phrase)
        for k in range(max(sent.a, t - n - 2), t - n + 1):
            if tuple(norms[k : k + n]) != phrase:
                continue
            parties: list = []
            seen: set[str] = set()
            for m in sent.mentions:
                if m["s"] >= k or m["label"] not in ACTORS:
                    continue
                state = _actor_id(m, "agree")
                if len(state) == 3 and state not in seen:
                    seen.add(state)
                    parties.append(m)
            if len(parties) >= 2:
                return parties[0], parties[1]
            return None
    return None


def _coordinated_objects(sent: _Sentence, obj: dict) -> list[dict]:
    """'to X, Y and Z': every actor of a list closed by 'and'/'or'; a comma alone does not coordinate
    ('to Tehran, Israel would ...')."""
    objects = [obj]
    k = obj["e"]
    closed = False
    while k + 1 < sent.b and sent.norms[k] in ("and", ",", "&", "or"):
        nxt = sent.mention_at.get(k + 1)
        if nxt is None or nxt["label"] not in ACTORS or nxt["s"] != k + 1:
            break
        closed = sent.norms[k] != ","
        objects.append(nxt)
        k = nxt["e"]
        if closed:
            break
    if not closed:
        return objects[:1]
    return objects


def _unknown_destination(sent: _Sentence, trig: dict) -> bool:
    """'Trump's visit to the Gulf': the visit names where it went, a place the gazetteer does not know,
    so no other place of the sentence is taken for it."""
    k = trig["end"]
    if k >= sent.b or sent.norms[k] != "to":
        return False
    k += 1
    while k < sent.b and sent.norms[k] in ("the", "a", "an"):
        k += 1
    return k < sent.b and sent.mention_at.get(k) is None and sent.doc[k].text[:1].isupper() and sent.doc[k].is_alpha


def _visit_place(sent: _Sentence, trig: dict, subjects: list[dict], sources) -> dict | None:
    """Where a visit went when no 'to X' says it: the nearest place of another state in the sentence
    ('arrived in Pyongyang for his second visit', '... ties with North Korea during his visit')."""
    own = {_actor_id(m, "supply") for m in subjects} | {m["id"] for m in subjects}
    t = trig["t"]
    best = None
    for m in sent.mentions:
        if m["label"] != "GPE" or m["id"] in own or _in_spans(m["s"], sources):
            continue
        if len(m["id"]) != 3:
            continue
        distance = abs(m["s"] - t) + (0 if m["s"] > t else 1)
        if best is None or distance < best[0]:
            best = (distance, m)
    return best[1] if best else None


def _launch_target(sent: _Sentence, lex: ClaimLexicon, trig: dict, limit: int, own: set[str]) -> str | None:
    """'launched six KN-23 missiles at Kharkiv': the state of the place after 'at'/'on'/'against'."""
    if sent.norms[trig["t"]] not in lex.launch_verbs:
        return None
    for k in range(trig["end"], min(limit, trig["end"] + 12)):
        if sent.norms[k] in CLAUSE_STOP or sent.norms[k] in lex.object_stops:
            return None
        if sent.norms[k] in lex.launch_preps:
            j = k + 1
            while j < sent.b and sent.norms[j] in ("the", "a", "an"):
                j += 1
            m = sent.mention_at.get(j)
            if m is None or m["label"] not in ("GPE", "LOC", "NORP", "FAC"):
                continue
            state = m["id"] if len(m["id"]) == 3 else m.get("state")
            if state and state not in own:
                return state
    return None


def _in_spans(pos: int, spans) -> bool:
    return any(a <= pos < b for a, b in spans)


def _next_after(triggers, t, default):
    for trig in triggers:
        if trig["t"] > t:
            return trig["t"]
    return default


class ClaimFinder:
    """spaCy component: stores claims in ``doc.user_data['dossier']['claims']``."""

    def __init__(self, nlp=None, name: str = "dossier_claims"):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        state = get_state(doc)
        claims = find_claims(doc, state["mentions"], state["quantities"], state["quotes"])
        quantities = state["quantities"]
        index = {id(q): i for i, q in enumerate(quantities)}
        for c in claims:
            q = c.pop("q")
            c["qi"] = index.get(id(q)) if q is not None else None
        state["claims"] = claims
        drop_scratch(doc)
        return doc
