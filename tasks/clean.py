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
from datetime import date
from typing import Iterable, Iterator

from tasks.params import CleanParams

_MONTHS = {
    name: i
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DATE_PATTERNS = (
    # ISO first: it is unambiguous.
    ("ymd", re.compile(r"\b(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)")),
    ("dmy_numeric", re.compile(r"\b(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})\b")),
    ("dmy_text", re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH_RE})\.?,?\s+(\d{{4}})\b", re.I)),
    ("mdy_text", re.compile(rf"\b({_MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.I)),
)
_WORD = re.compile(r"\w+(?:[-'’]\w+)*")
_LIST_MARK = re.compile(r"^\s*(?:[-*•·▪–]|\d{1,2}[.)])\s+")
_SENTENCE_END = re.compile(r"[.!?][\"'”’)]*$")
_STOPWORDS = frozenset(
    "the of and to a in is that for it as was with be by on not he i this are or his from at which "
    "but have an they you were her she there been one all we their has would when who will more "
    "if no out so said what up its about than into them can only other new some could time these "
    "two may then do first any my now such like our over also".split()
)


def parse_date(text: str, dayfirst: bool = True) -> date | None:
    """The first calendar date written in ``text``, or None."""
    for kind, pattern in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            a, b, c = match.groups()
            try:
                if kind == "ymd":
                    return date(int(a), int(b), int(c))
                if kind == "dmy_numeric":
                    first, second = int(a), int(b)
                    day, month = (first, second) if dayfirst or second > 12 else (second, first)
                    if month > 12:
                        day, month = month, day
                    return date(int(c), month, day)
                if kind == "dmy_text":
                    return date(int(c), _MONTHS[b.lower()], int(a))
                return date(int(c), _MONTHS[a.lower()], int(b))
            except ValueError:
                continue
    return None


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


def clean_text(raw_text: str, params: CleanParams) -> dict:
    """Split raw text into title, published date, body and the number of characters dropped."""
    lines = [ln.strip() for ln in raw_text.split("\n")]
    lines = [ln for ln in lines if ln]
    title = None
    published = None
    dropped: list[str] = []
    if lines and _looks_like_title(lines[0], lines[1:], params):
        title = lines.pop(0)
    # Header lines before the first paragraph of prose: a dated byline gives the publication date.
    head = 0
    while head < min(len(lines), 3) and not _is_prose(lines[head]):
        found = parse_date(lines[head])
        if found and count_words(lines[head]) <= params.max_title_words:
            published = published or found
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
        "title": title,
        "published": published,
        "text": "\n".join(kept),
        "n_boilerplate_chars": sum(len(d) + 1 for d in dropped),
    }


def clean_document(doc: dict, params: CleanParams) -> tuple[dict | None, str | None]:
    """One accepted ``documents`` row to an ``articles`` row, or ``(None, reason)``.

    What the record states about itself (HTML meta tags, front matter, feed fields) wins over what
    cleaning reads from the text."""
    cleaned = clean_text(doc["raw_text"], params)
    n_words = count_words(cleaned["text"])
    if n_words < params.min_words:
        return None, "clean_too_short"
    return {
        "doc_id": doc["doc_id"],
        "title": doc.get("title") or cleaned["title"],
        "published": doc.get("published") or cleaned["published"],
        "text": cleaned["text"],
        "language": detect_language(cleaned["text"]),
        "n_words": n_words,
        "n_boilerplate_chars": cleaned["n_boilerplate_chars"],
        "source_path": doc["source_path"],
        "text_sha256": hashlib.sha256(cleaned["text"].encode("utf-8")).hexdigest(),
        "author": doc.get("author"),
        "outlet": doc.get("outlet"),
        "url": doc.get("url"),
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

_DOCUMENT_COLUMNS = ["doc_id", "source_path", "status", "raw_text", "title", "published", "author", "outlet", "url"]


@task(name="clean", task_run_name="clean-{store.run_id}", cache_policy=NO_CACHE)
def clean(store: RunStore, params: CleanParams) -> StepReport:
    """``documents`` -> ``articles``."""
    logger = get_run_logger()

    def compute(report: StepReport) -> StepReport:
        # documents are read in key order, a chunk at a time, so articles come out in key order too
        output = StepOutput(store, report, ["articles"])
        reasons: Counter = Counter()
        try:
            for docs in store.iter_table("documents", _DOCUMENT_COLUMNS):
                articles = []
                for row, reason in clean_documents(docs.to_pylist(), params):
                    reasons[reason] += 1
                    if row is not None:
                        articles.append(row)
                output.write("articles", articles)
        except BaseException:
            output.abort()
            raise
        report.rows_out = reasons.pop(None, 0)
        report.rows_in = report.rows_out + sum(reasons.values())
        report.rejects = count_reasons(reasons.elements())
        output.parameters["articles"] = {"n_articles": report.rows_out, "min_words": params.min_words}
        return output.publish()

    report = run_step(store, "clean", params, input_hashes(store, ["documents"]), compute)
    logger.info("clean: %d articles, rejects %s%s", report.rows_out, report.rejects, " (reused)" if report.cached else "")
    return report
