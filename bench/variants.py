"""Copies, variants and look-alikes of an article, with known ground truth, for dedup benchmarks
and tests.

Every generator is deterministic: it takes the article text and a ``random.Random`` (or a seed) and
returns a new text. Two families:

copies (dedup must put them in their original's cluster)
    ``exact_copy``, ``cosmetic_copy`` (case, spacing, line wrapping, curly quotes, HTML entities and
    tags), ``repost`` (new headline, wire dateline, a few edited words, trailing wire boilerplate),
    ``truncated_copy`` (the first 70-90 %), ``shuffled_copy`` (paragraphs re-ordered: a re-ordered
    re-post is still the same article), ``paraphrased_copy`` (10-20 % of the sentences reworded),
    ``inserted_copy`` (ads and links between paragraphs), ``excerpt_copy`` (without the first
    paragraph, the end cut), ``respelled_copy`` (house-style spelling), ``heavy_copy`` (cut,
    reworded, furniture inserted and re-posted at once), ``lead_copy`` (only the first 35-60 %: a
    syndicated lead, "continue reading on ...");

look-alikes (dedup must keep them apart from the article)
    ``quoting_article`` (a short piece that quotes one paragraph of the article),
    ``same_event_article`` (the same story retold: its names and figures, new sentences, one shared
    quote), ``roundup`` (two articles under one heading: it may join one of them, never both),
    ``sentence_roundup`` (sentences of several articles, quoted one by one) and ``live_blog``
    (timestamped entries reposting paragraphs of several articles); different articles of the same
    BBC category are natural look-alikes too.

Articles that are copies of nothing: ``mosaic_article`` (sentences drawn from many articles) and
``synthetic_article`` (Zipf-distributed words, where the BBC corpus is absent). The commentary in
look-alikes is filled from a few sentence templates (``synthetic_sentence``).
"""

from __future__ import annotations

import random
import re
import textwrap
from typing import Callable, Sequence

COPY_KINDS = (
    "exact", "cosmetic", "repost", "truncated", "shuffled", "paraphrased", "inserted", "excerpt",
    "respelled", "heavy", "lead",
)
LOOKALIKE_KINDS = ("quoting", "same_event")

_CITIES = (
    "SEOUL", "LONDON", "WASHINGTON", "MOSCOW", "KYIV", "TOKYO", "BEIJING", "PARIS", "BERLIN",
    "NEW YORK", "BRUSSELS", "GENEVA", "SYDNEY", "NAIROBI", "MUMBAI", "SAO PAULO",
)
_MONTHS = ("Jan", "Feb", "March", "April", "May", "June", "July", "Aug", "Sept", "Oct", "Nov", "Dec")
_AGENCIES = ("Reuters", "AP", "AFP", "Bloomberg", "dpa", "Yonhap")
_NAMES = (
    "Hyonhee Shin", "Josh Smith", "Guy Faulconbridge", "Mark Trevelyan", "Ju-min Park", "Kim Tong-hyung",
    "Sarah Morland", "Alex Richardson", "David Brunnstrom", "Lidia Kelly", "Gerry Doyle", "Jan Harvey",
    "Tom Balmforth", "Ed Osmond", "Jane Merriman", "Nick Macfie", "Michael Perry", "Kim Coghill",
)
_HEADLINE_PREFIXES = ("UPDATE 2-", "UPDATE 1-", "EXCLUSIVE-", "ANALYSIS-", "WRAPUP 1-", "FACTBOX-", "")
_HEADLINE_TEMPLATES = (
    "{a} and {b}: what we know so far",
    "Officials weigh {a} as {b} row deepens",
    "{a} says {b} talks to continue",
    "Why {a} matters for {b}",
    "{a} under pressure over {b}",
)
_REPLACEMENTS = (
    "reportedly", "officials", "new", "latest", "major", "several", "key", "senior", "local",
    "recent", "significant", "widely", "still", "further", "already", "largely",
)
# Word swaps used to reword sentences; both directions are used.
_SYNONYMS = {
    "said": "stated", "says": "states", "told": "informed", "company": "firm", "firm": "company",
    "big": "large", "large": "big", "also": "additionally", "but": "however", "however": "but",
    "show": "indicate", "shows": "indicates", "showed": "indicated", "help": "assist",
    "helped": "assisted", "buy": "purchase", "bought": "purchased", "sell": "offload",
    "rise": "increase", "rose": "climbed", "fell": "dropped", "fall": "drop", "expected": "forecast",
    "government": "administration", "people": "individuals", "country": "nation", "new": "fresh",
    "start": "begin", "started": "began", "many": "numerous", "about": "around", "around": "about",
    "before": "prior to", "after": "following", "because": "since", "plan": "proposal",
    "plans": "proposals", "game": "match", "match": "game", "win": "victory", "film": "movie",
    "movie": "film", "users": "customers", "customers": "clients", "minister": "secretary",
    "important": "crucial", "major": "significant", "top": "leading", "chief": "head",
    "market": "sector", "profits": "earnings", "sales": "revenues", "added": "continued",
    "year": "twelve months", "month": "four weeks", "week": "seven days", "would": "could",
    "will": "is set to", "may": "might", "might": "may", "very": "highly", "good": "strong",
}
_BOILERPLATE = (
    lambda r: f"Reporting by {r.choice(_NAMES)} in {r.choice(_CITIES).title()}; "
    f"Additional reporting by {r.choice(_NAMES)}; Editing by {r.choice(_NAMES)} and {r.choice(_NAMES)}",
    lambda r: f"(Reporting by {r.choice(_NAMES)}; Editing by {r.choice(_NAMES)})",
    lambda r: f"(c) Copyright Thomson Reuters {r.randint(2004, 2025)}. All rights reserved.",
    lambda r: f"Copyright {r.randint(2004, 2025)} The Associated Press. All rights reserved. This "
    "material may not be published, broadcast, rewritten or redistributed without permission.",
    lambda r: "Our Standards: The Thomson Reuters Trust Principles.",
    lambda r: f"Read more: https://www.example.com/world/{r.randrange(10**6, 10**7)}-story.html",
    lambda r: "Read more: Sign up for our daily briefing and follow us on social media for updates.",
    lambda r: f"© {r.randint(2004, 2025)} Agence France-Presse",
)
_SENTENCE = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"'”’)]))\s+(?=[\"'“‘(]?[A-Z0-9])")
_WORD = re.compile(r"\S+")


def as_rng(rng: random.Random | int) -> random.Random:
    return rng if isinstance(rng, random.Random) else random.Random(rng)


def split_article(text: str) -> tuple[str, list[str]]:
    """(headline, paragraphs): the first paragraph and the others. Paragraphs are separated by blank
    lines where the text has any (a single line break inside one is a wrapped line), else by line
    breaks."""
    text = text.strip().replace("\r\n", "\n")
    separator = r"\n\s*\n" if re.search(r"\n\s*\n", text) else r"\n"
    blocks = [b.strip() for b in re.split(separator, text)]
    blocks = [b for b in blocks if b]
    if not blocks:
        return "", []
    return blocks[0], blocks[1:]


def join_article(headline: str, paragraphs: Sequence[str]) -> str:
    return "\n\n".join([headline, *paragraphs]) if headline else "\n\n".join(paragraphs)


def split_sentences(paragraph: str) -> list[str]:
    return [s for s in _SENTENCE.split(paragraph) if s]


# ---------------------------------------------------------------- copies


def exact_copy(text: str, rng: random.Random | int = 0) -> str:
    return text


def cosmetic_copy(text: str, rng: random.Random | int = 0) -> str:
    """The same words, typed differently: at least three of case, spacing, line wrapping, quotes,
    HTML entities and tags, dashes, line endings."""
    rng = as_rng(rng)
    headline, paragraphs = split_article(text)
    steps: list[Callable[[str, list[str]], tuple[str, list[str]]]] = [
        lambda h, ps: (h.upper(), ps),
        lambda h, ps: (h, [p.replace("'", "’").replace(' "', " “").replace('" ', "” ") for p in ps]),
        lambda h, ps: (h, [p.replace("’", "'").replace("“", '"').replace("”", '"') for p in ps]),
        lambda h, ps: (h, [p.replace("&", "&amp;").replace("'", "&#8217;").replace('"', "&quot;") for p in ps]),
        lambda h, ps: (h, [p.replace(". ", ".&nbsp; ").replace(" - ", " &mdash; ") for p in ps]),
        lambda h, ps: (f"<h1>{h}</h1>", [f"<p>{p}</p>" for p in ps]),
        lambda h, ps: (h, [textwrap.fill(p, width=rng.randint(55, 80)) for p in ps]),
        lambda h, ps: (h, [p.replace(" ", "  ").replace(",", " ,") for p in ps]),
        lambda h, ps: (h, [p.replace(" - ", " -- ").replace("%", " per cent") for p in ps]),
        lambda h, ps: (h.lower(), [p.lower() for p in ps]),
    ]
    for step in rng.sample(steps, rng.randint(3, 5)):
        headline, paragraphs = step(headline, paragraphs)
    out = join_article(headline, paragraphs)
    if rng.random() < 0.5:
        out = out.replace("\n", "\r\n")
    return "  " + out + "\n\n" if rng.random() < 0.5 else out


def dateline(rng: random.Random) -> str:
    return f"{rng.choice(_CITIES)}, {rng.choice(_MONTHS)} {rng.randint(1, 28)} ({rng.choice(_AGENCIES)}) -"


def new_headline(headline: str, rng: random.Random) -> str:
    words = [w for w in _WORD.findall(headline) if w[:1].isupper()] or _WORD.findall(headline) or ["News"]
    a, b = rng.choice(words), rng.choice(words)
    return rng.choice(_HEADLINE_PREFIXES) + rng.choice(_HEADLINE_TEMPLATES).format(a=a, b=b)


def edit_words(paragraphs: Sequence[str], n_edits: int, rng: random.Random) -> list[str]:
    """``n_edits`` single-word edits (replace, delete, insert, change a figure) at random places."""
    words = [p.split(" ") for p in paragraphs]
    places = [(i, j) for i, ws in enumerate(words) for j in range(len(ws))]
    for i, j in sorted(rng.sample(places, min(n_edits, len(places))), reverse=True):
        op = rng.choice(("replace", "delete", "insert", "figure"))
        word = words[i][j]
        if op == "figure" and any(c.isdigit() for c in word):
            words[i][j] = re.sub(r"\d", lambda m: str((int(m.group()) + 1) % 10), word, count=1)
        elif op == "delete" and len(words[i]) > 3:
            del words[i][j]
        elif op == "insert":
            words[i].insert(j, rng.choice(_REPLACEMENTS))
        else:
            words[i][j] = rng.choice(_REPLACEMENTS)
    return [" ".join(ws) for ws in words]


def wire_boilerplate(rng: random.Random, n_lines: int | None = None) -> list[str]:
    n_lines = rng.randint(1, 3) if n_lines is None else n_lines
    return [make(rng) for make in rng.sample(_BOILERPLATE, n_lines)]


def repost(text: str, rng: random.Random | int = 0) -> str:
    """A wire re-post: new headline, a dateline before the first paragraph, 2-6 edited words and
    1-3 lines of trailing boilerplate (credits, copyright, "Read more:" links)."""
    rng = as_rng(rng)
    headline, paragraphs = split_article(text)
    paragraphs = edit_words(paragraphs, rng.randint(2, 6), rng)
    if paragraphs:
        paragraphs[0] = f"{dateline(rng)} {paragraphs[0]}"
    return join_article(new_headline(headline, rng), paragraphs + wire_boilerplate(rng))


def truncated_copy(text: str, rng: random.Random | int = 0, low: float = 0.7, high: float = 0.9) -> str:
    """The first ``low``-``high`` share of the words (cut mid-paragraph), as syndication feeds do."""
    rng = as_rng(rng)
    headline, paragraphs = split_article(text)
    words = [(i, w) for i, p in enumerate(paragraphs) for w in p.split(" ")]
    keep = words[: max(1, round(len(words) * rng.uniform(low, high)))]
    out: list[list[str]] = [[] for _ in paragraphs]
    for i, w in keep:
        out[i].append(w)
    body = [" ".join(ws) for ws in out if ws]
    return join_article(headline, body + (["..."] if rng.random() < 0.5 else []))


def shuffled_copy(text: str, rng: random.Random | int = 0) -> str:
    """The paragraphs in another order (headline kept first)."""
    rng = as_rng(rng)
    headline, paragraphs = split_article(text)
    order = list(range(len(paragraphs)))
    if len(order) > 1:
        while order == sorted(order):
            rng.shuffle(order)
    return join_article(headline, [paragraphs[i] for i in order])


def reword_sentence(sentence: str, rng: random.Random) -> str:
    """Swap words for synonyms, swap a pair of neighbours and drop a word."""
    words = sentence.split(" ")
    swapped = False
    for j, word in enumerate(words):
        core = word.strip(".,;:!?\"'“”’").lower()
        if core in _SYNONYMS and rng.random() < 0.8:
            words[j] = word.replace(word.strip(".,;:!?\"'“”’"), _SYNONYMS[core])
            swapped = True
    if len(words) > 4:
        j = rng.randrange(1, len(words) - 2)
        words[j], words[j + 1] = words[j + 1], words[j]
        if not swapped:
            del words[rng.randrange(1, len(words) - 1)]
    return " ".join(words)


def paraphrased_copy(text: str, rng: random.Random | int = 0, low: float = 0.1, high: float = 0.2) -> str:
    """``low``-``high`` of the sentences reworded by word swaps; the rest as they were."""
    rng = as_rng(rng)
    headline, paragraphs = split_article(text)
    sentences = [split_sentences(p) for p in paragraphs]
    places = [(i, j) for i, ss in enumerate(sentences) for j in range(len(ss))]
    n = max(1, round(len(places) * rng.uniform(low, high)))
    for i, j in rng.sample(places, min(n, len(places))):
        sentences[i][j] = reword_sentence(sentences[i][j], rng)
    return join_article(headline, [" ".join(ss) for ss in sentences])


_INSERTS = (
    "Advertisement",
    "READ MORE: {h}",
    "Related: {h}",
    "Sign up for our newsletter to get the day's top stories.",
    "Watch: {h} (video, 2:14)",
    "Click here to follow live updates.",
)
_SPELLING = (
    ("our", "or"), ("ise", "ize"), ("isation", "ization"), ("tre", "ter"), ("ogue", "og"),
    ("%", " percent"), ("£", "GBP "), ("bn", " billion"), (" m ", " million "),
)


def inserted_copy(text: str, rng: random.Random | int = 0) -> str:
    """The article with 1-3 lines of site furniture between paragraphs (ads, "READ MORE:" and
    "Related:" links, newsletter prompts)."""
    rng = as_rng(rng)
    headline, paragraphs = split_article(text)
    out = list(paragraphs)
    for _ in range(rng.randint(1, 3)):
        line = rng.choice(_INSERTS).format(h=new_headline(headline, rng))
        out.insert(rng.randint(1, max(1, len(out))), line)
    return join_article(headline, out)


def excerpt_copy(text: str, rng: random.Random | int = 0) -> str:
    """The article without its first paragraph and with its last 0-20 % cut: an excerpt run as a
    "more on this story" box."""
    rng = as_rng(rng)
    headline, paragraphs = split_article(text)
    body = paragraphs[1:] if len(paragraphs) > 2 else paragraphs
    return truncated_copy(join_article(headline, body), rng, 0.8, 1.0)


def respelled_copy(text: str, rng: random.Random | int = 0) -> str:
    """House-style changes throughout: British to American spellings, "%" to "percent", currency
    and unit spelled out."""
    rng = as_rng(rng)
    out = text
    for old, new in rng.sample(_SPELLING, rng.randint(4, len(_SPELLING))):
        if old.isalpha():
            out = re.sub(rf"(?<=[a-z]){old}\b", new, out)
        else:
            out = out.replace(old, new)
    return out


def heavy_copy(text: str, rng: random.Random | int = 0) -> str:
    """Several treatments at once: cut to 80-95 %, reworded, furniture inserted, re-posted."""
    rng = as_rng(rng)
    out = truncated_copy(text, rng, 0.8, 0.95)
    out = paraphrased_copy(out, rng, 0.1, 0.2)
    out = inserted_copy(out, rng)
    return repost(out, rng)


def lead_copy(text: str, rng: random.Random | int = 0) -> str:
    """The first 35-60 % of the article and a line sending the reader to the rest: a syndicated
    lead. Every claim in it is the original's."""
    rng = as_rng(rng)
    out = truncated_copy(text, rng, 0.35, 0.6).removesuffix("\n\n...")
    return out + "\n\n" + rng.choice(("Continue reading on the publisher's site.", "Read the full story.", "..."))


COPY_MAKERS: dict[str, Callable[[str, random.Random], str]] = {
    "exact": exact_copy,
    "cosmetic": cosmetic_copy,
    "repost": repost,
    "truncated": truncated_copy,
    "shuffled": shuffled_copy,
    "paraphrased": paraphrased_copy,
    "inserted": inserted_copy,
    "excerpt": excerpt_copy,
    "respelled": respelled_copy,
    "heavy": heavy_copy,
    "lead": lead_copy,
}


def make_copy(kind: str, text: str, rng: random.Random | int) -> str:
    if kind not in COPY_MAKERS:
        raise ValueError(f"unknown copy kind {kind!r}; expected one of {sorted(COPY_MAKERS)}")
    return COPY_MAKERS[kind](text, as_rng(rng))


# ---------------------------------------------------------------- look-alikes

_SUBJECTS = (
    "Officials", "Analysts", "Critics", "Observers", "Diplomats", "Economists", "Campaigners",
    "Investors", "Residents", "Experts", "Lawmakers", "Commentators", "Rivals", "Supporters",
)
_VERBS = (
    "warned", "argued", "suggested", "noted", "insisted", "conceded", "predicted", "cautioned",
    "acknowledged", "claimed", "stressed", "questioned", "doubted", "welcomed", "feared",
)
_NOUNS = (
    "decision", "deal", "proposal", "outcome", "talks", "figures", "report", "move", "change",
    "agreement", "review", "policy", "vote", "launch", "result", "ruling", "budget", "strategy",
    "inquiry", "campaign", "forecast", "timetable", "response", "shift", "dispute", "offer",
)
_ADJECTIVES = (
    "unexpected", "cautious", "bold", "delayed", "controversial", "modest", "sweeping", "fragile",
    "surprising", "limited", "ambitious", "uncertain", "long-awaited", "partial", "costly", "rapid",
)
_TIMES = (
    "on Monday", "on Tuesday", "late on Wednesday", "on Thursday", "early on Friday", "at the weekend",
    "last month", "this week", "in recent days", "earlier this year", "overnight", "before the summer",
)
_TEMPLATES = (
    "{S} {v} {t} that the {a} {n} could reshape the {n2} for {x}.",
    "The {a} {n} came as {x} faced questions over the {n2}, {s} {v}.",
    "{X} said the {n} was {a} but that the {n2} would need more work {t}.",
    "According to {s}, the {n} linked to {x} was {a} and the {n2} remained {a2}.",
    "{S} {v} that {x} had not explained the {a} {n} or its effect on the {n2}.",
    "It is the {o} {a} {n} involving {x} {t}, after a {a2} {n2}.",
    "{X} is expected to respond to the {n} {t}, while {s} {v} about a {a} {n2}.",
    "Some {s} {v} the {n} would be {a}; others said {x} had little choice over the {n2}.",
)
_ORDINALS = ("first", "second", "third", "latest", "biggest", "most serious")
_FILLER_NAMES = (
    "the regulator", "the ministry", "the board", "the coalition", "the union", "the agency",
    "the council", "the club", "the studio", "the committee", "the bank", "the court",
)


def synthetic_sentence(rng: random.Random, names: Sequence[str] = _FILLER_NAMES) -> str:
    x = rng.choice(list(names))
    s = rng.choice(_SUBJECTS)
    sentence = rng.choice(_TEMPLATES).format(
        S=s, s=s.lower(), v=rng.choice(_VERBS), t=rng.choice(_TIMES), a=rng.choice(_ADJECTIVES),
        a2=rng.choice(_ADJECTIVES), n=rng.choice(_NOUNS), n2=rng.choice(_NOUNS), x=x,
        X=x[:1].upper() + x[1:], o=rng.choice(_ORDINALS),
    )
    return sentence[:1].upper() + sentence[1:]


_COMMON = (
    "the of and to a in that is was he for it with as his on be at by i this had not are but from or "
    "have an they which one you were her all she there would their we him been has when who will more "
    "no if out so said what up its about into than them can only other new some could time these two "
    "may then do first any my now such like our over man me even most made after also did many before "
    "must through back years where much your way well down should because each just those people how "
    "too little state good very make world still own see men work long get here between both life being "
    "under never day same another know while last might us great old year off come since against go "
    "came right used take three government minister company market police group country week officials"
).split()
_SYLLABLES = ("ka", "ro", "mi", "tel", "an", "sor", "vi", "den", "lu", "pra", "go", "ste", "bar", "ni",
              "quo", "fen", "dra", "li", "mon", "zu", "ter", "ca", "pol", "ri", "sa", "ven", "do", "har")


def _synthetic_vocabulary(size: int = 4000) -> tuple[list[str], list[float]]:
    """Common English words first, then made-up words; Zipf weights by rank."""
    gen = random.Random(20041122)
    words, seen = list(_COMMON), set(_COMMON)
    while len(words) < size:
        word = "".join(gen.choice(_SYLLABLES) for _ in range(gen.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    cumulative, total = [], 0.0
    for rank in range(len(words)):
        total += 1.0 / (rank + 1)
        cumulative.append(total)
    return words, cumulative


_VOCABULARY, _CUMULATIVE = _synthetic_vocabulary()


def synthetic_article(rng: random.Random | int, n_paragraphs: tuple[int, int] = (4, 12)) -> str:
    """A made-up article of Zipf-distributed words (sentences of 8-30 words, paragraphs of 1-4
    sentences): stands in for a real article where no corpus is at hand. Two such articles share
    common words but almost no five-word sequences, like two real articles on different stories."""
    rng = as_rng(rng)

    def sentence(n: int) -> str:
        words = rng.choices(_VOCABULARY, cum_weights=_CUMULATIVE, k=n)
        return " ".join(words).capitalize() + "."

    headline = sentence(rng.randint(4, 9))[:-1].title()
    paragraphs = [
        " ".join(sentence(rng.randint(8, 30)) for _ in range(rng.randint(1, 4)))
        for _ in range(rng.randint(*n_paragraphs))
    ]
    return join_article(headline, paragraphs)


def mosaic_article(sentence_pool: Sequence[str], rng: random.Random | int, n_sentences: tuple[int, int] = (10, 30)) -> str:
    """A new article stitched from sentences drawn at random from a pool (each from anywhere): it
    shares single sentences with many articles and is a copy of none."""
    rng = as_rng(rng)
    picked = [rng.choice(sentence_pool) for _ in range(rng.randint(*n_sentences))]
    paragraphs = [" ".join(picked[i : i + 2]) for i in range(1, len(picked), 2)]
    return join_article(picked[0].rstrip("."), paragraphs)


def _names_in(text: str) -> list[str]:
    found = re.findall(r"\b(?:[A-Z][a-z]+(?:\s+[A-Z][a-z]+)*|[A-Z]{2,}|\d[\d,.]*%?)", text)
    return sorted(set(found) - {"The", "A", "It", "He", "She", "But", "In", "And", "This", "On"}) or list(_FILLER_NAMES)


def quoted_passage(text: str, rng: random.Random, max_share: float = 0.25) -> str:
    """Consecutive sentences of one paragraph, at most ``max_share`` of the article's words (and at
    least one sentence)."""
    headline, paragraphs = split_article(text)
    if not paragraphs:
        return headline
    limit = max_share * sum(len(p.split()) for p in paragraphs)
    sentences = split_sentences(rng.choice(paragraphs))
    start = rng.randrange(len(sentences))
    passage = [sentences[start]]
    for sentence in sentences[start + 1 :]:
        if len(" ".join(passage + [sentence]).split()) > limit:
            break
        passage.append(sentence)
    return " ".join(passage)


def quoting_article(text: str, rng: random.Random | int = 0) -> str:
    """A short commentary (2-5 sentences of its own) that quotes a passage of ``text``: consecutive
    sentences making up at most a quarter of it."""
    rng = as_rng(rng)
    headline, _ = split_article(text)
    quoted = quoted_passage(text, rng)
    names = _names_in(text)
    before = " ".join(synthetic_sentence(rng, names) for _ in range(rng.randint(1, 3)))
    after = " ".join(synthetic_sentence(rng, names) for _ in range(rng.randint(1, 2)))
    return join_article(
        f"Comment: {new_headline(headline, rng)}",
        [before, f"As one report put it: \u201c{quoted}\u201d", after],
    )


def same_event_article(text: str, rng: random.Random | int = 0) -> str:
    """The same story told by someone else: the article's names and figures in new sentences, as
    many paragraphs as the original, and one sentence quoted word for word (a shared quotation)."""
    rng = as_rng(rng)
    headline, paragraphs = split_article(text)
    names = _names_in(text)
    sentences = [s for p in paragraphs for s in split_sentences(p)]
    shared = rng.choice(sentences) if sentences else headline
    body = [
        " ".join(synthetic_sentence(rng, names) for _ in range(rng.randint(2, 3)))
        for _ in range(max(3, len(paragraphs)))
    ]
    body.insert(rng.randrange(len(body) + 1), f"\u201c{shared}\u201d")
    return join_article(new_headline(headline, rng), body)


def roundup(texts: Sequence[str], rng: random.Random | int = 0) -> str:
    """Several articles under one heading, as a newsletter digest prints them."""
    rng = as_rng(rng)
    parts = [f"{rng.choice(('Morning', 'Evening', 'Weekend'))} briefing: the stories you need to know"]
    for text in texts:
        parts.append(text.strip())
    return "\n\n".join(parts)


def sentence_roundup(texts: Sequence[str], rng: random.Random | int = 0, share: tuple[float, float] = (0.3, 0.6)) -> str:
    """A piece of its own that quotes several articles sentence for sentence: from each, a run of
    ``share`` of its sentences, introduced by a line of commentary, with one or two words edited."""
    rng = as_rng(rng)
    parts = [f"What the reports say: {rng.choice(('a reading guide', 'the week in review', 'an overview'))}"]
    for i, text in enumerate(texts):
        _, paragraphs = split_article(text)
        sentences = [s for p in paragraphs for s in split_sentences(p)]
        if not sentences:
            continue
        n = max(1, round(rng.uniform(*share) * len(sentences)))
        start = rng.randrange(len(sentences) - n + 1)
        quoted = edit_words([" ".join(sentences[start : start + n])], rng.randint(1, 2), rng)[0]
        parts.append(synthetic_sentence(rng) + f" The {('first', 'second', 'third', 'next')[min(i, 3)]} report reads:")
        parts.append(quoted)
    parts.append(synthetic_sentence(rng))
    return join_article(parts[0], parts[1:])


def live_blog(texts: Sequence[str], rng: random.Random | int = 0, n_entries: tuple[int, int] = (6, 12)) -> str:
    """A live blog: time-stamped entries, each reposting one paragraph of one of ``texts`` (a few
    words edited) or a line of the blog's own, newest first."""
    rng = as_rng(rng)
    pools = [split_article(t)[1] for t in texts]
    pools = [p for p in pools if p]
    entries = []
    minutes = rng.randint(6 * 60, 9 * 60)
    for _ in range(rng.randint(*n_entries)):
        minutes += rng.randint(3, 40)
        stamp = f"{minutes // 60 % 24:02d}:{minutes % 60:02d} GMT"
        if pools and rng.random() < 0.75:
            paragraph = rng.choice(rng.choice(pools))
            body = edit_words([paragraph], rng.randint(0, 2), rng)[0]
        else:
            body = synthetic_sentence(rng)
        entries.append(f"{stamp}\n{body}")
    return join_article("Live: the latest as it happens", entries[::-1])


LOOKALIKE_MAKERS: dict[str, Callable[[str, random.Random], str]] = {
    "quoting": quoting_article,
    "same_event": same_event_article,
}


def make_lookalike(kind: str, text: str, rng: random.Random | int) -> str:
    if kind not in LOOKALIKE_MAKERS:
        raise ValueError(f"unknown look-alike kind {kind!r}; expected one of {sorted(LOOKALIKE_MAKERS)}")
    return LOOKALIKE_MAKERS[kind](text, as_rng(rng))
