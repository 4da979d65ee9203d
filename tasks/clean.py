"""Clean: keep the article, drop what is not part of it, and read the title and date it states.

Works line by line on the ingested text (one paragraph or heading per line):

- a first line that reads as a headline (short, no sentence-final full stop, more text below) is the
  title, not body;
- short header lines that carry a date (a byline or dateline such as "Department of Research ...
  14-11-2024") give ``published`` and are dropped from the body;
- a boilerplate heading ("You Might Also Like", "Article Recommendations", ...) starts a block that is
  not the article: at the end of the text the block is dropped whole unless prose follows it; inside
  the text the heading and the list lines right after it are dropped.
"""

from __future__ import annotations

import functools
import hashlib
import re
import string
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Iterable, Iterator

from tasks.dates import check_published, month_number, parse_date, resolve_day
from tasks.params import CleanParams
from tasks.text import one_line

_WORD = re.compile(r"\w+(?:[-'’]\w+)*")
_LIST_MARK = re.compile(r"^\s*(?:[-*•·▪–]|\d{1,2}[.)])\s+")
_SENTENCE_END = re.compile(r"[.!?][\"'”’)]*$")
_STOPWORDS = frozenset(
    "the of and to a in is that for it as was with be by on not he i this are or his from at which "
    "but have an they you were her she there been one all we their has would when who will more "
    "if no out so said what up its about than into them can only other new some could time these "
    "two may then do first any my now such like our over also".split()
)


def count_words(text: str) -> int:
    return len(_WORD.findall(text))


# Language identification: py3langid ships its model (a naive Bayes over byte n-grams) inside the
# wheel, so it runs offline, fast and deterministically. Only labels that are ISO 639-1 codes are
# allowed, so the answer always fits the contract.
_LANGUAGE_SAMPLE_CHARS = 2000  # enough for a confident guess; the model costs time per character
# Fewer words and letters than these is too little to tell ('und' unless plainly English); the
# letter count lets a short CJK sentence, one "word" to the tokenizer, still be identified.
_LANGUAGE_MIN_WORDS = 5
_LETTER = re.compile(r"[^\W\d_]")
_LANGUAGE_MIN_LETTERS = 12
_LANGUAGE_MIN_CONFIDENCE = 0.5
_ENGLISH_STOPWORD_SHARE = 0.25
# English prose has 35-50% of its words in _STOPWORDS; German, French or Spanish text has a few
# percent (shared words such as "in", "a", "on"). Above this share the text is English outright.
_FAST_ENGLISH_STOPWORD_SHARE = 0.35
_FAST_ENGLISH_MIN_WORDS = 40


@functools.lru_cache(maxsize=1)
def _language_identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages([code for code in identifier.labels if len(code) == 2])
    return identifier


def _english_by_stopwords(words: list[str]) -> bool:
    stop = sum(w in _STOPWORDS for w in words)
    return stop >= 2 and stop / len(words) >= _ENGLISH_STOPWORD_SHARE


def detect_language(text: str) -> str:
    """ISO 639-1 code of the text's language, or ``und`` when it cannot be told.

    Very short texts are ``und`` unless English function words make them plainly English; a guess
    the model is not confident about falls back to the same English test.
    """
    sample = text[:_LANGUAGE_SAMPLE_CHARS]
    words = [w.lower() for w in _WORD.findall(sample)]
    letters = len(_LETTER.findall(sample))
    if not letters:
        return "und"
    if len(words) < _LANGUAGE_MIN_WORDS and letters < _LANGUAGE_MIN_LETTERS:
        return "en" if words and _english_by_stopwords(words) else "und"
    if len(words) >= _FAST_ENGLISH_MIN_WORDS and (
        sum(w in _STOPWORDS for w in words) / len(words) >= _FAST_ENGLISH_STOPWORD_SHARE
    ):
        return "en"  # plainly English: no need for the model, which costs ~1 ms per article
    code, confidence = _language_identifier().classify(sample)
    if confidence >= _LANGUAGE_MIN_CONFIDENCE:
        return code
    return "en" if _english_by_stopwords(words) else "und"


def _heading_key(line: str) -> str:
    return line.lower().strip().strip(string.punctuation + "“”‘’ ").strip()


def _is_prose(line: str) -> bool:
    """A paragraph of running text: long enough and ending like a sentence."""
    return count_words(line) >= 12 and bool(_SENTENCE_END.search(line.strip()))


def _looks_like_title(line: str, rest: list[str], params: CleanParams) -> bool:
    words = count_words(line)
    stripped = line.strip()
    return (
        0 < words <= params.max_title_words
        and not stripped.endswith((".", ",", ";", ":"))
        and not _LIST_MARK.match(stripped)
        and any(_is_prose(r) for r in rest)
    )


def _is_boilerplate_heading(line: str, params: CleanParams) -> bool:
    key = _heading_key(line)
    return bool(key) and any(
        key == h or (key.startswith(h) and count_words(key) <= count_words(h) + 3)
        for h in params.boilerplate_headings
    )


FURNITURE_FILE = Path(__file__).resolve().parent / "data" / "furniture.toml"
_KINDS = ("title", "inline", "line", "lead", "lead_line", "tail_line")
_MIN_PULL_QUOTE_WORDS = 8  # shorter lines (headings, names) may recur inside prose
_MAX_PULL_QUOTE_WORDS = 60
_LEAD_LINES = 4  # the lead: at most this many lines before (and including) the first prose
_MAX_SLUG_WORDS = 8  # a wire slug before a repeated headline ("S Korea-UN command-military")
_SLUG_STOP = re.compile(r"[.!?,;:]\s")


@dataclass(frozen=True)
class FurniturePattern:
    name: str
    kind: str
    regex: re.Pattern
    example: str
    expect: str


@functools.lru_cache(maxsize=4)
def load_furniture(path: Path = FURNITURE_FILE) -> dict[str, tuple[FurniturePattern, ...]]:
    """The furniture patterns of ``tasks/data/furniture.toml``, by kind."""
    with open(path, "rb") as handle:
        data = tomllib.load(handle)
    by_kind: dict[str, list[FurniturePattern]] = {kind: [] for kind in _KINDS}
    for entry in data["pattern"]:
        if entry["kind"] not in by_kind:
            raise ValueError(f"{path}: pattern {entry['name']!r} has kind {entry['kind']!r}; expected one of {_KINDS}")
        by_kind[entry["kind"]].append(
            FurniturePattern(entry["name"], entry["kind"], re.compile(entry["regex"]), entry["example"], entry["expect"])
        )
    return {kind: tuple(patterns) for kind, patterns in by_kind.items()}


@dataclass
class _Found:
    """What cleaning learns from the furniture it removes."""

    notes: Counter = field(default_factory=Counter)
    dropped: int = 0
    author: str | None = None
    place: str | None = None
    month: int | None = None
    day: int | None = None


def clean_title(title: str | None, params: CleanParams) -> str | None:
    """A title without wire notes, bot prefixes and section tags at its start."""
    if not title or not params.furniture_patterns:
        return title
    for pattern in load_furniture()["title"]:
        title = pattern.regex.sub("", title).strip()
    return title or None


def _remove_inline(line: str, found: _Found) -> str:
    for pattern in load_furniture()["inline"]:
        if pattern.regex.search(line):
            before = len(line)
            line = pattern.regex.sub(" " if pattern.name in ("wire_note", "attn_note") else "", line)
            line = re.sub(r" {2,}", " ", line).strip()
            found.notes[pattern.name] += 1
            found.dropped += max(0, before - len(line))
    return line


def _furniture_line(line: str) -> str | None:
    for pattern in load_furniture()["line"]:
        if pattern.regex.search(line):
            return pattern.name
    return None


def _take_lead(line: str, found: _Found) -> str:
    """The line without the datelines, bylines and tags at its start; what they say is kept."""
    changed = True
    while changed and line:
        changed = False
        for pattern in load_furniture()["lead"]:
            match = pattern.regex.match(line)
            if not match or match.end() == 0:
                continue
            groups = match.groupdict()
            if groups.get("author") and not found.author:
                found.author = groups["author"].strip()
            if groups.get("place") and not found.place:
                found.place = groups["place"].strip().title() if groups["place"].isupper() else groups["place"].strip()
            if groups.get("month") and groups.get("day"):
                found.month, found.day = month_number(groups["month"]), int(groups["day"])
            found.notes[pattern.name] += 1
            found.dropped += match.end()
            line = line[match.end():].lstrip()
            changed = True
            break
    return line


def _cut_repeated_headline(line: str, title: str | None) -> str | None:
    """The line after a headline repeated at its start (behind at most a short wire slug), when
    what follows is the lead's dateline or byline or nothing; None when the line does not start so."""
    if not title or len(title) < 12:
        return None
    at = line.lower().find(title.lower(), 0, 600 + len(title))
    if at < 0:
        return None
    slug = line[:at]
    if len(slug.split()) > _MAX_SLUG_WORDS or _SLUG_STOP.search(slug + " "):
        return None
    rest = line[at + len(title):].lstrip()
    if rest and not any(p.regex.match(rest) for p in load_furniture()["lead"]):
        return None
    return rest


def _drop_pull_quotes(lines: list[str], found: _Found, dropped: list[str]) -> list[str]:
    """Without the lines that repeat a passage of another line word for word (a pull quote set
    off in a report, a deck that restates the first sentence)."""
    keys = [" ".join(_WORD.findall(line.casefold())) for line in lines]
    kept = []
    for i, line in enumerate(lines):
        key = keys[i]
        if _MIN_PULL_QUOTE_WORDS <= count_words(line) <= _MAX_PULL_QUOTE_WORDS and any(
            j != i and len(keys[j]) > len(key) and key in keys[j] for j in range(len(lines))
        ):
            found.notes["pull_quote"] += 1
            dropped.append(line)
            continue
        kept.append(line)
    return kept


def clean_text(raw_text: str, params: CleanParams, title: str | None = None) -> dict:
    """Split raw text into title, published date, body and the number of characters dropped.

    ``title`` is the title the record states (front matter, feed): a repeated headline in the body
    is recognised by it. Furniture (``tasks/data/furniture.toml``) is removed first; what its
    datelines and bylines say comes back as ``author``, ``place`` and ``dateline`` (month, day)."""
    lines = [ln.strip() for ln in raw_text.split("\n")]
    lines = [ln for ln in lines if ln]
    found = _Found()
    dropped: list[str] = []
    use_furniture = params.furniture_patterns
    if use_furniture:
        kept_lines = []
        for line in lines:
            line = _remove_inline(line, found)
            name = _furniture_line(line) if line else "empty"
            if name:
                if line:
                    found.notes[name] += 1
                    dropped.append(line)
                continue
            kept_lines.append(line)
        lines = kept_lines
    title = clean_title(title, params)
    found_title = None
    if lines and _looks_like_title(lines[0], lines[1:], params):
        found_title = clean_title(lines.pop(0), params)
    if use_furniture and lines:
        for i in range(min(_LEAD_LINES, len(lines))):
            if i >= len(lines):
                break
            rest = _cut_repeated_headline(lines[i], title or found_title)
            if rest is not None:
                found.notes["repeated_headline"] += 1
                found.dropped += len(lines[i]) - len(rest)
                lines[i] = rest
        i = 0
        while i < min(_LEAD_LINES, len(lines)):
            line = _take_lead(lines[i], found)
            if not line:
                lines.pop(i)
                continue
            lead_line = next((p for p in load_furniture()["lead_line"] if p.regex.search(line)), None)
            if lead_line and not _is_prose(line):
                found.notes[lead_line.name] += 1
                dropped.append(lines.pop(i))
                continue
            lines[i] = line
            if _is_prose(line):
                break
            i += 1
    if use_furniture:
        while lines and any(p.regex.search(lines[-1]) for p in load_furniture()["tail_line"]):
            found.notes["author_bio"] += 1
            dropped.append(lines.pop())
        lines = _drop_pull_quotes(lines, found, dropped)
    published = None
    # Header lines before the first paragraph of prose: a dated byline gives the publication date.
    head = 0
    while head < min(len(lines), 3) and not _is_prose(lines[head]):
        found_date = parse_date(lines[head])
        if found_date and count_words(lines[head]) <= params.max_title_words:
            published = published or found_date
            dropped.append(lines.pop(head))
            continue
        head += 1

    kept: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if _is_boilerplate_heading(line, params):
            if not any(_is_prose(r) for r in lines[i + 1 :]):
                dropped.extend(lines[i:])  # a trailing block: nothing after it is the article
                break
            dropped.append(line)
            i += 1
            while i < len(lines) and _LIST_MARK.match(lines[i]):
                dropped.append(lines[i])
                i += 1
            continue
        kept.append(line)
        i += 1

    return {
        "title": found_title,
        "published": published,
        "text": "\n".join(kept),
        "n_boilerplate_chars": sum(len(d) + 1 for d in dropped) + found.dropped,
        "author": found.author,
        "place": found.place,
        "dateline": (found.month, found.day) if found.month and found.day else None,
        "notes": dict(found.notes),
    }


def clean_document(doc: dict, params: CleanParams) -> tuple[dict | None, str | None]:
    """One accepted ``documents`` row to an ``articles`` row, or ``(None, reason)``.

    What the record states about itself (HTML meta tags, front matter, feed fields) wins over what
    cleaning reads from the text. A date read from the text that cannot be a publication date is
    dropped with a note, as ingest does."""
    cleaned = clean_text(doc["raw_text"], params, doc.get("title"))
    n_words = count_words(cleaned["text"])
    if n_words < params.min_words:
        return None, "clean_too_short"
    notes = set(cleaned["notes"])
    latest = params.latest_published_date()
    published = doc.get("published")
    if published is None and cleaned["published"] is not None:
        published, note = check_published(cleaned["published"], latest)
        notes.update([note] if note else [])
    if published is None and cleaned["dateline"]:
        # "Dec. 29" in a dateline: the year is that of the crawl, else of the run
        reference = doc.get("retrieved") or (latest - timedelta(days=params.max_days_ahead))
        published, note = check_published(resolve_day(*cleaned["dateline"], reference), latest)
        notes.update(["published_from_dateline"] if published else [note] if note else [])
    title = clean_title(doc.get("title"), params) or cleaned["title"]
    author = doc.get("author") or (one_line(cleaned["author"]) if cleaned["author"] else None)
    return {
        "doc_id": doc["doc_id"],
        "title": title,
        "published": published,
        "text": cleaned["text"],
        "language": detect_language(cleaned["text"]),
        "n_words": n_words,
        "n_boilerplate_chars": cleaned["n_boilerplate_chars"],
        "source_path": doc["source_path"],
        "text_sha256": hashlib.sha256(cleaned["text"].encode("utf-8")).hexdigest(),
        "author": author,
        "outlet": doc.get("outlet"),
        "url": doc.get("url"),
        "place": cleaned["place"],
        "clean_notes": sorted(notes),
    }, None


def clean_documents(docs: Iterable[dict], params: CleanParams) -> Iterator[tuple[dict | None, str | None]]:
    """Clean every accepted document; rejected ones are not articles and are passed over."""
    for doc in docs:
        if doc["status"] == "ok":
            yield clean_document(doc, params)


# --- Prefect task below ---

from prefect import get_run_logger, task  # noqa: E402
from prefect.cache_policies import NO_CACHE  # noqa: E402

from collections import Counter  # noqa: E402

from tasks.step import StepOutput, StepReport, count_reasons, input_hashes, run_step  # noqa: E402
from tasks.store import RunStore  # noqa: E402

_DOCUMENT_COLUMNS = [
    "doc_id", "source_path", "status", "raw_text", "title", "published", "author", "outlet", "url", "retrieved",
]


@task(name="clean", task_run_name="clean-{store.run_id}", cache_policy=NO_CACHE)
def clean(store: RunStore, params: CleanParams) -> StepReport:
    """``documents`` -> ``articles``."""
    logger = get_run_logger()

    def compute(report: StepReport) -> StepReport:
        # documents are read in key order, a chunk at a time, so articles come out in key order too
        output = StepOutput(store, report, ["articles"])
        reasons: Counter = Counter()
        notes: Counter = Counter()
        try:
            for docs in store.iter_table("documents", _DOCUMENT_COLUMNS):
                articles = []
                for row, reason in clean_documents(docs.to_pylist(), params):
                    reasons[reason] += 1
                    if row is not None:
                        articles.append(row)
                        notes.update(row["clean_notes"])
                output.write("articles", articles)
        except BaseException:
            output.abort()
            raise
        report.rows_out = reasons.pop(None, 0)
        report.rows_in = report.rows_out + sum(reasons.values())
        report.rejects = count_reasons(reasons.elements())
        report.details["notes"] = dict(sorted(notes.items()))  # articles with each removal or repair
        output.parameters["articles"] = {"n_articles": report.rows_out, "min_words": params.min_words}
        return output.publish()

    report = run_step(store, "clean", params, input_hashes(store, ["documents"]), compute)
    logger.info("clean: %d articles, rejects %s, notes %s%s", report.rows_out, report.rejects,
                report.details.get("notes", {}), " (reused)" if report.cached else "")
    return report
