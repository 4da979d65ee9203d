"""Direct quotations and who said them.

Quote marks are paired per paragraph (curly and straight); a paragraph that opens a quote without
closing it continues into the next paragraph when that one opens with a quote mark (news style).
The speaker is looked for right after the quote ('..." Chivvis explained', '..." said X', '..." he
added') and then right before it ('X said: "...', 'According to X, <role>, "...'). A pronoun is the
last named speaker. Short quotes (a few words) without a speaker are scare quotes and are skipped.
"""

from __future__ import annotations

from functools import lru_cache

from spacy.tokens import Doc

from .entities import lexicons
from .syntax import children, relation
from .resources import load_data
from .state import get_state, sentences, token_norms, token_sentence_index, token_table
from .text import norm_token

OPEN_CURLY, CLOSE_CURLY, STRAIGHT = "“", "”", '"'
SPEAKER_LABELS = ("PERSON", "ORG", "GPE")  # a state speaks by its institutions: "the Kremlin said"
MIN_WORDS_WITHOUT_SPEAKER = 4
MIN_WORDS_INHERITED = 5
# words that may stand between 'of'/'from' and an organisation a person belongs to ('of the ruling party')
ORG_MODIFIERS = frozenset({"ruling", "main", "conservative", "liberal", "governing", "state-run", "state-owned", "state",
                           "ruling", "minor", "progressive", "far-right", "centrist", "opposition", "parliamentary"})


@lru_cache(maxsize=1)
def _pronouns() -> frozenset[str]:
    return frozenset(load_data("reporting")["pronouns"])


@lru_cache(maxsize=1)
def _speech_only() -> frozenset[str]:
    """Verbs that introduce speech ('said', 'told'), without report verbs that are also nouns ('claims')."""
    return frozenset(load_data("reporting")["speech"]) - {"claims", "states", "notes", "suggests", "thinks", "believes"}


@lru_cache(maxsize=1)
def _role_words() -> frozenset[str]:
    """Words of a speaker's description before the verb ('a senior JCS official', 'GUR spokesman')."""
    roles = load_data("roles")
    words = {w.lower().rstrip(".") for t in roles["titles"] for w in t.split()}
    words |= set(roles["role_nouns"]) | set(roles["role_starters"]) | set(roles["office_words"])
    words |= {"a", "an", "the", "'s", "press", "foreign", "policy", "defence", "defense", "military", "intelligence",
              "government", "ministry", "agency", "state", "top", "high-ranking", "unnamed", "anonymous", "national",
              "security", "affairs", "public", "relations", "news", "media", "statement", "spy", "opposition", "managing",
              "vice", "assistant", "acting", "interim", "executive", "general", "deputy", "chief", "senior", "former"}
    return frozenset(words)


def find_quote_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each quote's inner text, quote marks excluded."""
    spans: list[tuple[int, int]] = []
    paragraphs = []
    pos = 0
    for line in text.split("\n"):
        paragraphs.append((pos, pos + len(line)))
        pos += len(line) + 1
    open_at: int | None = None
    carried = False
    for p_start, p_end in paragraphs:
        i = p_start
        if carried:
            # a continued quote reopens with a mark at the paragraph start
            j = p_start
            while j < p_end and text[j] in " \t":
                j += 1
            if j < p_end and text[j] in (OPEN_CURLY, STRAIGHT):
                i = j + 1
            else:
                open_at = None
            carried = False
        while i < p_end:
            ch = text[i]
            if ch == OPEN_CURLY or (ch == STRAIGHT and open_at is None and _opens(text, i, p_start, p_end)):
                if open_at is None:
                    open_at = i + 1
            elif ch == CLOSE_CURLY or (ch == STRAIGHT and open_at is not None):
                if open_at is not None and i > open_at:
                    spans.append((open_at, i))
                open_at = None
            i += 1
        if open_at is not None:
            if open_at < p_end and text[open_at:p_end].strip():
                carried = True
            else:
                open_at = None
    return spans


def _opens(text: str, i: int, p_start: int, p_end: int) -> bool:
    before = text[i - 1] if i > p_start else " "
    after = text[i + 1] if i + 1 < p_end else " "
    return (before.isspace() or before in "([{—–-") and not after.isspace()


def find_quotes(doc: Doc, mentions: list[dict], roles: dict) -> list[dict]:
    """Quotes with their speaker (full name), speaker id and role."""
    text = token_table(doc).text
    lex = lexicons()
    mention_at: dict[int, dict] = {}
    for m in mentions:
        for t in range(m["s"], m["e"]):
            mention_at[t] = m
    norms = token_norms(doc)
    sent_of = token_sentence_index(doc)
    sents = sentences(doc)
    out = []
    last_speaker: dict | None = None
    last_end_para = -1
    spans = find_quote_spans(text)
    people = _people_outside_quotes(doc, mentions, spans)
    as_written = _names_as_written(doc, mentions)
    for start, end in spans:
        # trim the quote to its words
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start >= end:
            continue
        inner = doc.char_span(start, end, alignment_mode="expand")
        if inner is None:
            continue
        n_words = sum(1 for t in inner if t.is_alpha)
        if n_words < _parse_lexicon()["min_words"] or _is_phrase(inner, n_words):
            continue  # 'almost all', 'open-ended', 'heavy smoke of unknown origin': a quoted term, never a quote
        first_tok, last_tok = inner.start, inner.end  # quote-mark tokens are just outside
        para = text.count("\n", 0, start)
        recent = last_speaker if last_speaker is not None and para - last_end_para <= 1 else None
        pronoun_speaker = _person_before(people, first_tok, doc, para, text, norms, lex, sents, sent_of) or recent
        # a quote closed by a full stop ends its sentence: what follows is the next sentence
        closed = text[end - 1] == "."
        speaker = None if closed else _speaker_after(doc, norms, mention_at, lex, last_tok, sent_of, pronoun_speaker)
        if speaker is None and first_tok > sents[sent_of[first_tok]][0] + 1:
            # a quotation inside its sentence: the verb of speech that governs it on the parse, before the
            # last verb of speech before it in words ('X said ..., while the ministry accused Y of "..."')
            speaker = _governing_speaker(inner, mention_at, pronoun_speaker)
        if speaker is None:
            speaker = _speaker_before(doc, norms, mention_at, lex, first_tok, sents, sent_of, pronoun_speaker, n_words)
        if speaker is None:
            speaker = _subject_before(doc, norms, mention_at, first_tok, sents[sent_of[first_tok]][0])
        if speaker is None:
            speaker = _according_to_after(doc, norms, mention_at, last_tok)
        if speaker is None and n_words >= MIN_WORDS_INHERITED and recent is not None:
            speaker = recent
        if speaker is None or (n_words < MIN_WORDS_WITHOUT_SPEAKER and speaker.get("_weak")):
            speaker = _governing_speaker(inner, mention_at, pronoun_speaker) or speaker
        if speaker is None:
            continue
        if n_words < MIN_WORDS_WITHOUT_SPEAKER and speaker.get("_weak"):
            continue
        last_speaker = {k: v for k, v in speaker.items() if k != "_weak"}
        last_end_para = text.count("\n", 0, end)
        out.append(
            {
                "start": start,
                "end": end,
                "speaker": _written_name(doc, speaker, as_written),
                "speaker_id": speaker["id"] if speaker["id"].startswith("PERSON:") else None,
                "speaker_role": roles.get(speaker["id"]) if speaker["id"].startswith("PERSON:") else None,
                "s": inner.start,
                "e": inner.end,
            }
        )
    return out


@lru_cache(maxsize=1)
def _parse_lexicon() -> dict:
    data = load_data("reporting")
    return {
        "verbs": frozenset(data["quote_verbs"]),
        "min_words": data["min_quote_words"],
        "min_verbless_words": data["min_verbless_quote_words"],
    }


def _is_phrase(inner, n_words: int) -> bool:
    """A parsed quotation with no clause of its own, short: a term or description (reporting.json:
    ``min_verbless_quote_words``). Unparsed text is never judged here."""
    if n_words >= _parse_lexicon()["min_verbless_words"] or not all(t.dep_ for t in inner):
        return False
    return not any(
        t.tag_.startswith(("VB", "MD")) and relation(t) not in ("clause_modifier", "adjective_modifier") for t in inner
    )


def _described_subject(subject) -> dict | None:
    """A speaker named by its description ('the Russian foreign affairs ministry accused Zelensky of
    "..."'): the subject's phrase when its head is a source noun of reporting.json."""
    if subject.lower_ not in load_data("reporting")["source_nouns"]:
        return None
    words = [t for t in subject.doc[subject.left_edge.i : subject.i + 1] if t.lower_ not in ("the", "a", "an")]
    return {"name": " ".join(t.text for t in words), "id": "", "_weak": True} if len(words) > 1 else None


def _governing_speaker(inner, mention_at: dict[int, dict], pronoun_speaker: dict | None) -> dict | None:
    """From the parse, where there is one: the speaker of a quotation inside a sentence is the
    subject of the speech verb that governs it ('Zelenskyy addressed the attack, saying that the
    aftermath was "still being dealt with"'), when the quotation holds a clause (a verb); a participle with no subject of its own speaks for the
    subject of the verb it hangs on; a pronoun subject is the last named speaker."""
    root = inner.root
    if not root.dep_ or not any(t.tag_.startswith(("VB", "MD")) for t in inner):
        return None  # not parsed, or no clause: a quoted noun phrase is a term ('heavy smoke of unknown origin')
    verbs = _parse_lexicon()["verbs"]
    node, steps = root, 0
    while node.head.i != node.i and steps < 5:
        node, steps = node.head, steps + 1
        if node.i >= inner.start and node.i < inner.end:
            continue
        if node.lower_ not in verbs:
            continue
        speaker_verb = node
        for _ in range(3):
            subjects = children(speaker_verb, "subject")
            if subjects:
                if subjects[0].lower_ in _pronouns():
                    return dict(pronoun_speaker) if pronoun_speaker else None
                named = [mention_at[t.i] for subject in subjects for t in subject.subtree
                         if t.i in mention_at and mention_at[t.i]["label"] in SPEAKER_LABELS]
                people = [m for m in named if m["label"] == "PERSON"]
                if named:
                    return _as_speaker((people or named)[0])
                return _described_subject(subjects[0])
            if relation(speaker_verb) not in ("clause_modifier", "complement", "open_complement", "conjunct") or speaker_verb.head.i == speaker_verb.i:
                return None
            speaker_verb = speaker_verb.head
        return None
    return None


def _written_name(doc: Doc, speaker: dict, as_written: dict[str, str]) -> str:
    """The speaker as the article names it: a person by their full name as spelt here, an
    organisation by the words of its mention ('the Russian Defence Ministry', not the gazetteer's
    'Russian Ministry of Defense')."""
    if speaker.get("label") in ("ORG", "NORP", "GPE") and speaker.get("span", (-1, -1))[0] >= 0:
        s, e = speaker["span"]
        return _without_article(doc[s:e].text)
    return _without_article(as_written.get(speaker["id"], speaker["name"]))


def _without_article(name: str) -> str:
    """A body named in several words as an analyst writes it: 'national security office', not 'the
    national security office'; a one-word description keeps its article ('the source', 'the command'),
    and so does a name that is written with a capital 'The' ('The Kyiv Independent')."""
    first, _, rest = name.partition(" ")
    return rest if first in ("the", "a", "an") and " " in rest else name


def _names_as_written(doc: Doc, mentions: list[dict]) -> dict[str, str]:
    """A person's full name as this article spells it: its first mention with at least as many
    words as the canonical name ("Volodymyr Zelenskyy" where the gazetteer says "Volodymyr
    Zelensky"). An article that gives only a surname keeps the canonical full name. The speaker_id
    is the canonical person either way."""
    names: dict[str, str] = {}
    for m in mentions:
        if m["label"] != "PERSON" or not m["id"].startswith("PERSON:") or m["id"] in names:
            continue
        written = doc[m["s"] : m["e"]].text
        canonical = str(m["name"]).split()
        need = len(canonical) - len(written.split())
        if need > 0 and m["s"] - need >= 0:
            # 'Vasily Nebenzia' where only the surname matched the gazetteer's 'Vasily Nebenzya'
            before = [t.text for t in doc[m["s"] - need : m["s"]]]
            if [w.lower() for w in before] == [w.lower() for w in canonical[:need]]:
                written = " ".join(before + [written])
        if len(written.split()) >= len(canonical):
            names[m["id"]] = written
    return names


def _people_outside_quotes(doc, mentions: list[dict], spans: list[tuple[int, int]]) -> list[dict]:
    """People named in the narrative (not inside a quote), in text order."""
    out = []
    for m in sorted((m for m in mentions if m["label"] == "PERSON"), key=lambda m: m["s"]):
        c = doc[m["s"]].idx
        if not any(a <= c < b for a, b in spans):
            out.append(m)
    return out


def _person_before(people, t: int, doc, para: int, text: str, norms, lex, sents, sent_of) -> dict | None:
    """Who 'he'/'she' is for a quote at token t: of the people named before it in the same or the
    previous paragraph, the last one who speaks or opens a sentence ('Mr Straw insisted ...', 'Prof
    Reddy thinks ...'), else the last one named."""
    before = [m for m in people if m["e"] <= t]
    window = [m for m in before if text.count("\n", 0, doc[m["s"]].idx) == para]  # the quote's paragraph first
    if not window:
        window = [m for m in before if para - text.count("\n", 0, doc[m["s"]].idx) == 1]
    if not window:
        return None
    best = window[-1]
    for m in reversed(window):
        k = _skip_aux(norms, _skip_apposition(doc, norms, m["e"]), len(doc))
        sent_start = sents[sent_of[m["s"]]][0]
        opens = all(doc[j].text[:1].isupper() or norms[j] in ("the", "'s")
                    for j in range(sent_start, m["s"]))
        if (k < len(doc) and norms[k] in lex.speech) or opens:
            best = m
            break
    return {"name": best["name"], "id": best["id"], "_weak": False}


def _speaker_run(doc, norms, mention_at, lex, t):
    """'GUR spokesman Andriy Yusov said', 'a JCS official told', 'the SBU said': the speaker named in a
    short description that ends at a speech verb (the person if any, else the organisation), or None."""
    n = len(doc)
    roles = _role_words()
    j = t
    people, orgs, places = [], [], []
    while j < n and j - t < 9:
        m = mention_at.get(j)
        if m is not None and m["s"] == j:
            (people if m["label"] == "PERSON" else orgs if m["label"] == "ORG" else places).append(m)
            j = m["e"]
            continue
        if norms[j] in lex.speech and j > t:
            break
        if norms[j] in roles or (norms[j] == "-" and people == []):
            j += 1
            continue
        return None
    k = _skip_aux(norms, j, n)
    if k >= n or norms[k] not in _speech_only():
        return None
    if people:
        return _as_speaker(people[-1])
    if orgs or places:
        return _as_speaker((orgs or places)[0], weak=True)
    if norms[t] == "the" and 1 < j - t <= 3:
        return _as_speaker(_person_by_role(mention_at, norms[j - 1], t))  # 'the general told'
    return None


def _person_by_role(mention_at: dict[int, dict], word: str, t: int) -> dict | None:
    """The last person named before token t whose role has ``word`` ('Gen Oleksandr Syrskyi' for
    'the general'), titles written in full (roles.json: title_abbreviations)."""
    if word not in load_data("roles")["role_nouns"] and word not in _title_words():
        return None
    people = sorted({id(m): m for k, m in mention_at.items() if k < t and m["label"] == "PERSON"}.values(), key=lambda m: m["s"])
    for m in reversed(people):
        if word in _role_words_of(m.get("role") or ""):
            return m
    return None


@lru_cache(maxsize=1)
def _title_words() -> frozenset[str]:
    roles = load_data("roles")
    return frozenset(w.lower().rstrip(".") for t in roles["titles"] for w in t.split()) | frozenset(roles["title_abbreviations"].values())


def _role_words_of(role: str) -> set[str]:
    full = load_data("roles")["title_abbreviations"]
    words = {w.lower().rstrip(".") for w in role.replace("'s", " ").split()}
    return words | {full[w] for w in words if w in full}


def _as_speaker(m: dict, weak: bool = False) -> dict | None:
    if m is None or m["label"] not in SPEAKER_LABELS:
        return None
    return {"name": m["name"], "id": m["id"], "_weak": weak, "label": m["label"], "span": (m["s"], m["e"])}


def _skip_aux(norms, k, n):
    while k < n and norms[k] in ("has", "have", "had", "also", "later", "recently", "then", "previously"):
        k += 1
    return k


def _skip_apposition(doc, norms, k, limit=22):
    """From a ',' after a name, the token after the closing ',' of an apposition (or k if none)."""
    if k >= len(doc) or norms[k] != ",":
        return k
    j = k + 1
    while j < len(doc) and j - k < limit:
        if norms[j] == ",":
            return j + 1
        if norms[j] in ('"', "“", "”", ".", ";") or doc[j].is_space:
            return k
        j += 1
    return k


def _speaker_after(doc, norms, mention_at, lex, t, sent_of, last_speaker):
    n = len(doc)
    t = _past_closing_marks(norms, t)
    if t >= n or doc[t].is_space:
        return None
    m = mention_at.get(t)
    if m is not None and m["s"] == t:
        k = _skip_apposition(doc, norms, m["e"])
        k = _skip_aux(norms, k, n)
        if k < n and norms[k] in lex.speech:
            return _as_speaker(m)
    if norms[t] not in lex.speech and norms[t] not in _pronouns():
        return _speaker_run(doc, norms, mention_at, lex, t) or _unnamed_speaker(doc, norms, mention_at, lex, t)
    if norms[t] in lex.speech:
        k = t + 1
        roles = _role_words()
        while k < n and k - t < 6 and mention_at.get(k) is None and norms[k] in roles:
            k += 1  # 'said managing director Rodrigo Rato'
        m = mention_at.get(k)
        if m is not None and m["s"] == k:
            return _as_speaker(m)
        if k < n and norms[k] in _pronouns() and last_speaker is not None:
            return dict(last_speaker)
        return None
    if norms[t] in _pronouns() and t + 1 < n:
        k = _skip_aux(norms, t + 1, n)
        if k < n and norms[k] in lex.speech and last_speaker is not None:
            return dict(last_speaker)
    return None


def _speaker_before(doc, norms, mention_at, lex, t, sents, sent_of, last_speaker, n_words=99):
    """Attribution before the opening mark, in the same sentence."""
    k = t - 1
    while k >= 0 and norms[k] in ('"', "“", "”", "'"):
        k -= 1
    if k < 0:
        return None
    if t < len(doc) and sent_of[k] != sent_of[t] and norms[k] != ":":
        return None  # the quote opens its sentence: the previous sentence's speaker is no attribution
    sent_start = sents[sent_of[k]][0]
    while k >= sent_start and norms[k] in (",", ":", "—", "–"):
        k -= 1
    # 'X told Newsweek: "' -> step over the listener
    m = mention_at.get(k)
    if m is not None and m["e"] == k + 1 and m["s"] - 1 >= sent_start and norms[m["s"] - 1] in ("told", "tells"):
        k = m["s"] - 1
    if k >= sent_start and norms[k] in lex.speech:
        j = _subject_end(norms, mention_at, k - 1, sent_start)
        m = mention_at.get(j)
        if m is not None:
            return _as_speaker(m)
        if j >= sent_start and norms[j] in _pronouns() and last_speaker is not None:
            return dict(last_speaker)
        # 'said X: "...'
        m = mention_at.get(k + 1)
        if m is not None:
            return _as_speaker(m)
        described = _description_before(doc, norms, mention_at, j, sent_start)
        if described is not None:
            return described
    # 'According to X, <role>, "...'
    for j in range(t - 1, sent_start, -1):
        if norms[j] == "to" and norms[j - 1] == "according":
            m = mention_at.get(j + 1)
            if m is not None and m["s"] == j + 1:
                return _as_speaker(m)
            break
    # 'Peskov said military cooperation with the DPRK "is not directed ..."', 'Choe told Lavrov that
    # Pyongyang would "stand firmly ..."': the subject of the last speech verb before the quote
    if n_words < 2:
        return None  # 'cut £35bn in "wasteful" spending': a word in quote marks
    speech = _speech_only()
    v0 = t - 1
    while v0 > sent_start and norms[v0] in ('"', "“", "”", "'"):
        v0 -= 1
    for v in range(v0, sent_start - 1, -1):
        if norms[v] in ('"', "“", "”"):
            return None
        if norms[v] not in speech or mention_at.get(v) is not None:
            continue
        j = _subject_end(norms, mention_at, v - 1, sent_start)
        m = mention_at.get(j)
        if m is not None and m["label"] in SPEAKER_LABELS:
            return _as_speaker(_person_of(mention_at, norms, m, sent_start))
        if j >= sent_start and norms[j] in _pronouns() and last_speaker is not None:
            return dict(last_speaker)
        return _description_before(doc, norms, mention_at, j, sent_start)
    return None


AUX_BEFORE_VERB = ("has", "have", "had", "also", "later", "recently", "then", "again", "publicly", "only", "previously")
REFLEXIVES = ("himself", "herself", "themselves", "itself")


def _subject_end(norms, mention_at, j: int, sent_start: int) -> int:
    """The last token of the subject of a speech verb whose previous token is j: steps over auxiliaries,
    a reflexive ('Putin himself said') and an apposition or relative clause between commas ('Choe, who
    met Lavrov last week, said'; 'Putin, pressed on the matter, said')."""
    while j >= sent_start and norms[j] in AUX_BEFORE_VERB:
        j -= 1
    if j >= sent_start and norms[j] == ",":
        p = j - 1
        while p > sent_start and norms[p] != "," and j - p < 22 and norms[p] not in ('"', "“", "”"):
            p -= 1
        if norms[p] == "," and p - 1 >= sent_start:
            j = p - 1
    if j >= sent_start and norms[j] in REFLEXIVES:
        j -= 1
    return j


def _person_of(mention_at, norms, m: dict, sent_start: int) -> dict:
    """'David Graham from the FDA's Office of Drug Safety told ...': the person the organisation qualifies."""
    if m["label"] != "ORG":
        return m
    k = m["s"] - 1
    roles = _role_words()
    while k >= sent_start and m["s"] - k < 10:
        p = mention_at.get(k)
        if p is not None:
            if p["label"] == "PERSON":
                return p
            k = p["s"] - 1
            continue
        if norms[k] not in ("from", "of", "at", "with", "'s", ",") and norms[k] not in roles and norms[k] not in ORG_MODIFIERS:
            break
        k -= 1
    return m


def _past_closing_marks(norms, t: int) -> int:
    """The first token after a quotation's closing mark and the comma or dash after it."""
    while t < len(norms) and norms[t] in ('"', "”", "“", ",", "—", "–", "'"):
        t += 1
    return t


def _according_to_after(doc, norms, mention_at, t: int) -> dict | None:
    """'"...," according to a Reuters source familiar with this matter': the source named right after
    the quote, when nothing else in the sentence speaks it."""
    n = len(doc)
    t = _past_closing_marks(norms, t)
    if not (t + 2 < n and norms[t] == "according" and norms[t + 1] == "to"):
        return None
    m = mention_at.get(t + 2)
    if m is not None and m["s"] == t + 2 and m["label"] in SPEAKER_LABELS:
        return _as_speaker(m)
    return _description_after(doc, norms, mention_at, t + 2)


def _subject_before(doc, norms, mention_at, first_tok: int, sent_start: int) -> dict | None:
    """'Putin "praised the assistance provided by ..."': a quotation that opens with the verb of a
    speaker named right before it continues that speaker's sentence."""
    if first_tok >= len(doc) or not doc[first_tok].tag_.startswith("VB"):  # also where the sentence was not tagged
        return None
    k = first_tok - 1
    while k >= sent_start and norms[k] in ('"', "“", "”", "'"):
        k -= 1
    m = mention_at.get(k)
    return _as_speaker(m) if m is not None and m["e"] == k + 1 and m["label"] in ("PERSON", "ORG") else None


def _unnamed_speaker(doc, norms, mention_at, lex, t: int) -> dict | None:
    """'"...," a source told Fox News Digital', '"...," the source said': a speaker the article does not
    name, by its description with its article, when a verb of speech follows it."""
    if norms[t] not in ("a", "an", "the"):
        return None
    described = _description_after(doc, norms, mention_at, t, bare=True)
    if described is None:
        return None
    k = _skip_aux(norms, described["_end"], len(doc))
    if k >= len(doc) or norms[k] not in _speech_only():
        return None
    return {"name": doc[t : described["_end"]].text, "id": "", "_weak": True}


def _description_after(doc, norms, mention_at, k: int, bare: bool = False) -> dict | None:
    """'according to a Reuters source familiar with this matter': an unnamed source named by its
    description, from its first word to its head noun (a role noun or a source noun of
    reporting.json), with an organisation, a country or capitalised words before the head (``bare``:
    or the head alone, 'a source')."""
    heads = set(load_data("roles")["role_nouns"]) | set(load_data("reporting")["source_nouns"])
    roles = _role_words()
    while k < len(doc) and norms[k] in ("a", "an", "the", "one"):
        k += 1
    start = j = k
    while j < len(doc) and j - start < 6:
        m = mention_at.get(j)
        if m is not None and m["label"] in ("GPE", "NORP", "ORG"):
            j = m["e"]
        elif norms[j] in heads and (j > start or bare):
            return {"name": doc[start : j + 1].text, "id": "", "_weak": True, "_end": j + 1}
        elif norms[j] in roles or (doc[j].text[:1].isupper() and doc[j].is_alpha):
            j += 1
        else:
            return None
    return None


def _description_before(doc, norms, mention_at, j: int, sent_start: int) -> dict | None:
    """'But a UK Government official responded: "...': an unnamed speaker is named by its description."""
    roles = _role_words()
    if j < sent_start or norms[j] not in load_data("roles")["role_nouns"]:
        return None
    k = j
    while k > sent_start:
        m = mention_at.get(k - 1)
        if m is not None and m["label"] in ("GPE", "NORP", "ORG"):
            k = m["s"]
        elif norms[k - 1] in roles or (doc[k - 1].text[:1].isupper() and doc[k - 1].is_alpha and k - 1 > sent_start):
            k -= 1
        else:
            break
    while k < j and norms[k] in ("a", "an", "the", "one"):
        k += 1
    if k >= j:
        return None  # a bare 'official said' is no description
    return {"name": doc[k : j + 1].text, "id": "", "_weak": True}


class QuoteFinder:
    """spaCy component: stores quotes in ``doc.user_data['dossier']['quotes']``."""

    def __init__(self, nlp=None, name: str = "dossier_quotes"):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        state = get_state(doc)
        state["quotes"] = find_quotes(doc, state["mentions"], state["roles"])
        return doc
