"""The analyst's report: one self-contained HTML page per run folder.

``render_report(run_dir)`` reads a run folder (its Parquet tables, ``manifest.json`` and
``quality/*.json``) and returns one HTML string: the claims, most corroborated first and each
expandable to its evidence sentences; a timeline; the most connected entities; the figures stated
per equipment type; quotes by speaker; and the data-quality panel. ``write_report(run_dir)`` writes
it to ``run_dir/report.html`` (temporary file, then ``os.replace``).

Charts are Plotly figures. The page embeds plotly.js once, from the ``plotly`` Python package, so it
opens offline (no CDN). Every string that comes from an article is escaped by the template engine
(Jinja2 with autoescape on); chart specifications are embedded as JSON in non-executable
``<script type="application/json">`` blocks with ``<``, ``>`` and ``&`` written as ``\\u003c``…;
links are only relative file paths or http(s) URLs; and a Content-Security-Policy lets only the
page's own two scripts run (by hash), so an injected handler could not run even if escaping failed.

A failed run, a missing or unreadable table, or an empty one is reported in the page: each section
says what it lacks instead of failing.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import os
import re
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence
from urllib.parse import quote, urlsplit

import pyarrow.parquet as pq
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from tasks.params import AggregateParams
from tasks.schemas import TABLES

REPORT_FILE = "report.html"
MANIFEST_FILE = "manifest.json"
QUALITY_DIR = "quality"
TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
TEMPLATE = "report.html.j2"

# How much of each ranking the page shows; the rest stays in the Parquet tables.
TOP_ENTITIES = 25
TOP_PARTNERS = 4
MAX_CHART_LABEL = 60  # characters of a claim label on a chart axis
MAX_HOVER_SENTENCE = 220  # characters of an evidence sentence in a chart's hover box
HOVER_WRAP = 70  # characters per line in a hover box
CORROBORATED_MIN_SOURCES = 2  # "corroborated" = stated by at least this many independent sources
# modalities that say a claim (the aggregate step's default): a mention in one that is not among the
# sentences counted is a reprint
SAYING_MODALITIES = tuple(AggregateParams().corroborating_modalities)
EXCLUDED_RANKING_LABELS = ("DATE",)  # not actors: dates co-occur with everything

QUALIFIER_SIGNS = {"exact": "", "approx": "≈ ", "at_least": "≥ ", "at_most": "≤ ", "range": ""}
QUALIFIER_WORDS = {
    "exact": "exactly",
    "approx": "about",
    "at_least": "at least",
    "at_most": "at most",
    "range": "between",
}
# One Plotly marker per qualifier, so the figures chart shows which way a bound points.
QUALIFIER_SYMBOLS = {
    "exact": "circle",
    "approx": "circle-open",
    "at_least": "triangle-right",
    "at_most": "triangle-left",
    "range": "line-ns-open",
}
QUALIFIER_OFFSETS = {"at_most": -0.24, "approx": -0.12, "exact": 0.0, "range": 0.12, "at_least": 0.24}
LOG_AXIS_PAD = 0.35  # decades of margin either side of the figures on a log axis
PREDICATE_COLORS = {
    "supply": "#1f6feb",
    "deploy": "#8250df",
    "visit": "#1a7f37",
    "agree": "#0a7b83",
    "train": "#9a6700",
    "test": "#bc4c00",
    "sanction": "#57606a",
    "support": "#2da44e",
    "attack": "#cf222e",
    "threaten": "#a40e26",
}
CONFLICT_COLOR = "#cf222e"
FIGURE_COLOR = "#1f6feb"
NEUTRAL_COLOR = "#57606a"
PLOTLY_CONFIG = {"displaylogo": False, "responsive": True, "modeBarButtonsToRemove": ["lasso2d", "select2d"]}
SAFE_URL_SCHEMES = ("http", "https")

# JSON placed inside <script> must not be able to close it or open a comment.
_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_RECORD_SUFFIX = re.compile(r"#(\d+)$")
_NUMBER = re.compile(r"(?<![\w.])\d+(?:\.\d+)?(?:e[+-]?\d+)?(?![\w.])", re.IGNORECASE)


# --- reading the run folder -------------------------------------------------------------------


@dataclass
class RunData:
    """What a run folder holds; ``problems`` says what could not be read."""

    run_dir: Path
    manifest: dict[str, Any] | None
    tables: dict[str, list[dict[str, Any]] | None]
    quality: dict[str, dict[str, Any]]
    problems: list[str] = field(default_factory=list)

    def rows(self, name: str) -> list[dict[str, Any]]:
        return self.tables.get(name) or []

    def has(self, name: str) -> bool:
        return self.tables.get(name) is not None


# What the page never shows is not read, so a large run's report needs memory for its claims,
# quantities, quotes and document titles only, not for the texts and every mention.
_NOT_SHOWN = frozenset({"mentions"})
_NOT_SHOWN_COLUMNS = {"documents": ("raw_text",), "articles": ("text",)}


def read_run(run_dir: Path) -> RunData:
    """Read the manifest, every contract table and every quality result a run folder has."""
    run_dir = Path(run_dir)
    problems: list[str] = []
    manifest = None
    manifest_path = run_dir / MANIFEST_FILE
    if not manifest_path.exists():
        problems.append(f"{MANIFEST_FILE} is missing: the run's parameters, steps and verdicts are unknown")
    else:
        try:
            manifest = json.loads(manifest_path.read_text("utf-8"))
        except (OSError, ValueError) as exc:
            problems.append(f"{MANIFEST_FILE} could not be read ({type(exc).__name__}: {exc})")
    tables: dict[str, list[dict[str, Any]] | None] = {}
    for name in TABLES:
        path = run_dir / f"{name}.parquet"
        if not path.exists():
            tables[name] = None
            continue
        try:
            parquet = pq.ParquetFile(path)
            if name in _NOT_SHOWN:  # checked to be readable, never loaded
                tables[name] = []
                continue
            columns = [c for c in parquet.schema_arrow.names if c not in _NOT_SHOWN_COLUMNS.get(name, ())]
            tables[name] = parquet.read(columns=columns).to_pylist()
        except Exception as exc:  # a damaged file is reported, not fatal to the report
            tables[name] = None
            problems.append(f"{path.name} could not be read ({type(exc).__name__}: {exc})")
    quality: dict[str, dict[str, Any]] = {}
    quality_dir = run_dir / QUALITY_DIR
    if quality_dir.is_dir():
        for path in sorted(quality_dir.glob("*.json")):
            try:
                quality[path.stem] = json.loads(path.read_text("utf-8"))
            except (OSError, ValueError) as exc:
                problems.append(f"{QUALITY_DIR}/{path.name} could not be read ({type(exc).__name__})")
    return RunData(run_dir, manifest, tables, quality, problems)


# --- small helpers ----------------------------------------------------------------------------


def json_for_script(payload: Any) -> Markup:
    """JSON safe to place inside a ``<script>`` element: no ``<``, ``>`` or ``&`` survive."""
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True, default=str)
    for char, replacement in _JSON_ESCAPES.items():
        text = text.replace(char, replacement)
    return Markup(text)


def safe_href(href: str | None) -> str | None:
    """``href`` when it is an http(s) URL or a relative path without a scheme, else None."""
    if not href:
        return None
    href = href.strip()
    if any(ord(c) < 0x20 or c in "\\<>\"'`" for c in href):  # browsers strip or reinterpret these
        return None
    try:
        parts = urlsplit(href)
    except ValueError:
        return None
    if parts.scheme:
        return href if parts.scheme.lower() in SAFE_URL_SCHEMES and parts.netloc else None
    if parts.netloc or href.startswith("//"):
        return None
    return href


def slug_name(entity_id: str) -> str:
    """A readable fallback for an id the entities table does not name: ``PERSON:kim-jong-un`` ->
    ``Kim Jong Un``."""
    _, _, slug = entity_id.partition(":")
    return slug.replace("-", " ").title() if slug else entity_id


def format_number(value: float | None) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    magnitude = abs(value)
    for size, word in ((1e9, "billion"), (1e6, "million")):
        if magnitude >= size:
            return f"{value / size:,.2f}".rstrip("0").rstrip(".") + f" {word}"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def readable_numbers(text: str) -> str:
    """``at least 3e+06`` -> ``at least 3 million`` (aggregate writes figures with ``%g``)."""
    return _NUMBER.sub(lambda m: format_number(float(m.group(0))), text)


def format_figure(value: float | None, qualifier: str | None, low: float | None = None,
                  high: float | None = None) -> str:
    """``≥ 3 million``, ``≈ 10,000``, ``100–200``."""
    if value is None:
        return ""
    if qualifier == "range" and low is not None and high is not None:
        return f"{format_number(low)}–{format_number(high)}"
    return QUALIFIER_SIGNS.get(qualifier or "exact", "") + format_number(value)


def shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def wrap_for_hover(text: str, width: int = HOVER_WRAP) -> str:
    """Escaped text with ``<br>`` line breaks: Plotly hover labels read a little HTML, so article
    text is escaped before it goes in (Plotly shows the entities as plain characters)."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    if line:
        lines.append(line)
    return "<br>".join(str(escape(part)) for part in lines)


def chart_text(text: str) -> str:
    """A label for a chart axis or legend: escaped for Plotly's pseudo-HTML."""
    return str(escape(text))


def highlight(sentence: str, fragment: str | None) -> Markup:
    """The sentence escaped, with the first occurrence of ``fragment`` marked."""
    if fragment:
        at = sentence.find(fragment)
        if at >= 0:
            end = at + len(fragment)
            return escape(sentence[:at]) + Markup("<mark>") + escape(sentence[at:end]) + \
                Markup("</mark>") + escape(sentence[end:])
    return escape(sentence)


def _sha256_csp(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode() + "'"


# --- links to the input files -----------------------------------------------------------------


def input_root(run_dir: Path, manifest: Mapping[str, Any] | None) -> Path | None:
    """The absolute input folder of the run.

    ``parameters.input_dir`` may be relative to the folder the run was started from; that folder is
    recovered from the manifest's absolute ``run_dir`` and the relative ``output_dir``.
    """
    if not manifest:
        return None
    params = manifest.get("parameters") or {}
    input_dir = params.get("input_dir")
    if not input_dir:
        return None
    path = Path(input_dir)
    if path.is_absolute():
        return path
    started_in = Path.cwd()
    recorded = manifest.get("run_dir")
    output_dir = params.get("output_dir")
    if recorded and output_dir and not Path(output_dir).is_absolute():
        tail = Path(output_dir) / "runs" / str(manifest.get("run_id", ""))
        recorded_path = Path(recorded)
        if len(recorded_path.parts) > len(tail.parts) and \
                recorded_path.parts[-len(tail.parts):] == tail.parts:
            started_in = Path(*recorded_path.parts[: -len(tail.parts)])
    return started_in / path


def source_link(run_dir: Path, root: Path | None, source_path: str | None) -> dict[str, Any]:
    """The input file of a document as a link: the file's absolute path on this machine, without a
    scheme, so the link works from ``runs/<run_id>/report.html`` and from ``latest/report.html``
    alike (a relative path would be one folder off through the ``latest`` link).

    ``source_path`` is relative to the input root; a record of a multi-record file ends with
    ``#N`` and links the file. The path is percent-encoded, so it can never carry a URL scheme.
    """
    if not source_path:
        return {"href": None, "label": "", "record": None}
    match = _RECORD_SUFFIX.search(source_path)
    file_part = source_path[: match.start()] if match else source_path
    record = int(match.group(1)) if match else None
    href = None
    if root is not None:
        target = Path(os.path.normpath(root.resolve() / file_part))
        href = safe_href(quote(target.as_posix(), safe="/"))
    return {"href": href, "label": file_part, "record": record}


# --- sections ---------------------------------------------------------------------------------


class Names:
    """Entity ids to human-readable names (``PRK`` -> ``North Korea``)."""

    def __init__(self, entities: Iterable[Mapping[str, Any]]):
        self._names = {e["entity_id"]: e["name"] for e in entities if e.get("name")}

    def __call__(self, entity_id: str | None) -> str:
        if not entity_id:
            return ""
        return self._names.get(entity_id) or slug_name(entity_id)


def _documents_by_id(data: RunData, root: Path | None) -> dict[str, dict[str, Any]]:
    articles = {a["doc_id"]: a for a in data.rows("articles")}
    docs: dict[str, dict[str, Any]] = {}
    for d in data.rows("documents") or []:
        a = articles.get(d["doc_id"], {})
        docs[d["doc_id"]] = {
            "doc_id": d["doc_id"],
            "title": a.get("title") or d.get("title"),
            "published": a.get("published") or d.get("published"),
            "outlet": a.get("outlet") or d.get("outlet"),
            "url": safe_href(a.get("url") or d.get("url")),
            "source_path": d.get("source_path"),
            "link": source_link(data.run_dir, root, d.get("source_path")),
        }
    for doc_id, a in articles.items():  # articles without documents (documents table missing)
        docs.setdefault(doc_id, {
            "doc_id": doc_id, "title": a.get("title"), "published": a.get("published"),
            "outlet": a.get("outlet"), "url": safe_href(a.get("url")),
            "source_path": a.get("source_path"),
            "link": source_link(data.run_dir, root, a.get("source_path")),
        })
    for doc in docs.values():
        doc["display_title"] = doc["title"] or doc["link"]["label"] or doc["doc_id"]
    return docs


def claim_label(names: Names, subject_id: str, predicate: str, object_id: str | None,
                item: str | None) -> str:
    parts = [names(subject_id), predicate]
    if object_id:
        parts.append(names(object_id))
    if item:
        parts.append(f"· {item}")
    return " ".join(parts)


def build_claims(data: RunData, names: Names, docs: Mapping[str, Mapping]) -> list[dict[str, Any]]:
    """One entry per ``claim_summary`` row, most independent sources first, with its evidence."""
    claims = {c["claim_id"]: c for c in data.rows("claims")}
    quantities = {q["quantity_id"]: q for q in data.rows("quantities")}
    out = []
    for row in data.rows("claim_summary"):
        counted = set(row.get("source_sentences") or [])
        evidence = []
        for claim_id in row.get("claim_ids") or []:
            c = claims.get(claim_id)
            if c is None:
                continue
            quantity = quantities.get(c.get("quantity_id") or "")
            doc = docs.get(c["doc_id"], {"display_title": c["doc_id"], "link": {"href": None}})
            evidence.append({
                "sentence": highlight(c["text"], quantity["text"] if quantity else None),
                "figure": format_figure(c.get("value"), c.get("qualifier"), c.get("low"), c.get("high")),
                "qualifier": c.get("qualifier"),
                "modality": c.get("modality"),
                "attributed_to": c.get("attributed_to"),
                "claim_date": c.get("claim_date"),
                "claim_period": c.get("claim_period"),
                # a statement that says the claim but is a reprint of a sentence counted elsewhere
                "reprint": c.get("modality") in SAYING_MODALITIES and f"{c['doc_id']}:{c.get('sentence_id')}" not in counted,
                "doc": doc,
            })
        evidence.sort(key=lambda e: (str(e["doc"].get("published") or ""), e["doc"]["display_title"]))
        figures: dict[tuple, dict[str, Any]] = {}
        for claim_id in row.get("claim_ids") or []:
            c = claims.get(claim_id)
            if c and c.get("value") is not None:
                key = (c["value"], c.get("qualifier"), c.get("low"), c.get("high"))
                figures.setdefault(key, {
                    "text": format_figure(c["value"], c.get("qualifier"), c.get("low"), c.get("high")),
                    "title": f"{QUALIFIER_WORDS.get(c.get('qualifier') or 'exact', '')} {c['value']:,.0f}",
                    "value": c["value"],
                })
        if not figures:  # claims table missing: fall back on the summary's own figures
            for value in row.get("values") or []:
                figures.setdefault((value,), {"text": format_number(value), "title": "", "value": value})
        out.append({
            "key": row["claim_key"],
            "subject": names(row["subject_id"]),
            "subject_id": row["subject_id"],
            "predicate": row["predicate"],
            "object": names(row.get("object_id")),
            "object_id": row.get("object_id"),
            "item": row.get("item"),
            "figures": sorted(figures.values(), key=lambda f: f["value"]),
            "n_independent_sources": row.get("n_independent_sources") or 0,
            "n_hypothetical_sources": row.get("n_hypothetical_sources") or 0,
            "n_denying_sources": row.get("n_denying_sources") or 0,
            "n_upstream_sources": row.get("n_upstream_sources") or 0,
            "n_copied_mentions": row.get("n_copied_mentions") or 0,
            "hypothetical_docs": [docs[d]["display_title"] if d in docs else d for d in row.get("hypothetical_doc_ids") or []],
            "denying_docs": [docs[d]["display_title"] if d in docs else d for d in row.get("denying_doc_ids") or []],
            "n_docs": row.get("n_docs") or 0,
            "n_mentions": row.get("n_mentions") or 0,
            "attributed_to": row.get("attributed_to") or [],
            "modalities": row.get("modalities") or [],
            "conflict": bool(row.get("conflict")),
            "conflict_reason": row.get("conflict_reason"),
            "conflict_reason_text": readable_numbers(row.get("conflict_reason") or "")
            or "the stated figures cannot all be true at once",
            "first_seen": row.get("first_seen"),
            "last_seen": row.get("last_seen"),
            "evidence": evidence,
            "missing_evidence": len(row.get("claim_ids") or []) - len(evidence),
        })
    out.sort(key=lambda c: (-c["n_independent_sources"], not c["conflict"], -c["n_mentions"], c["key"]))
    return out


@dataclass(frozen=True)
class Chart:
    """A Plotly figure to draw into ``<div id=div_id>``."""

    div_id: str
    spec: Markup
    height: int


def _chart(div_id: str, data: list[dict], layout: dict[str, Any]) -> Chart:
    base = {
        "margin": {"l": 10, "r": 20, "t": 30, "b": 40},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "font": {"family": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif", "size": 12,
                 "color": "#24292f"},
        "hoverlabel": {"align": "left"},
    }
    layout = {**base, **layout}
    return Chart(div_id, json_for_script({"data": data, "layout": layout, "config": PLOTLY_CONFIG}),
                 int(layout.get("height", 400)))


def build_timeline(data: RunData, names: Names, docs: Mapping[str, Mapping],
                   summary: Sequence[Mapping]) -> tuple[Chart | None, int, int]:
    """Claims on a time axis: the date the claim states, else the article's publication date.

    Returns the chart (None when no claim is dated), the number of dated and undated claims.
    """
    key_of = {}
    conflicting = set()
    for row in summary:
        for claim_id in row.get("claim_ids") or []:
            key_of[claim_id] = row
        if row.get("conflict"):
            conflicting.add(row["claim_key"])
    points: dict[str, list[dict[str, Any]]] = defaultdict(list)
    undated = 0
    labels: dict[str, str] = {}
    for c in data.rows("claims"):
        doc = docs.get(c["doc_id"], {})
        when = c.get("claim_date") or doc.get("published")
        if when is None:
            undated += 1
            continue
        row = key_of.get(c["claim_id"])
        key = row["claim_key"] if row else c["claim_id"]
        labels[key] = shorten(claim_label(names, c["subject_id"], c["predicate"], c.get("object_id"),
                                          c.get("item")), MAX_CHART_LABEL)
        basis = "date stated in the claim" if c.get("claim_date") else "article published"
        figure = format_figure(c.get("value"), c.get("qualifier"), c.get("low"), c.get("high"))
        hover = (
            f"<b>{chart_text(labels[key])}</b>" + (f": <b>{chart_text(figure)}</b>" if figure else "")
            + ("  ⚠ conflicting figures" if key in conflicting else "")
            + f"<br>{when.isoformat()} ({basis})<br>"
            + wrap_for_hover(shorten(c["text"], MAX_HOVER_SENTENCE))
            + "<br><i>" + chart_text(shorten(doc.get("display_title") or c["doc_id"], HOVER_WRAP)) + "</i>"
        )
        points[c["predicate"]].append({
            "x": when.isoformat(), "key": key, "hover": hover,
            "conflict": key in conflicting,
        })
    if not points:
        return None, 0, undated
    # Most corroborated claims at the top of the axis.
    rank = {row["claim_key"]: i for i, row in enumerate(summary)}
    order = sorted(labels, key=lambda k: (rank.get(k, len(rank)), k))
    categories = [chart_text(labels[k]) for k in order]
    traces = []
    for predicate in sorted(points):
        pts = points[predicate]
        traces.append({
            "type": "scatter", "mode": "markers", "name": predicate,
            "x": [p["x"] for p in pts],
            "y": [chart_text(labels[p["key"]]) for p in pts],
            "hovertext": [p["hover"] for p in pts], "hoverinfo": "text",
            "marker": {
                "size": 13, "color": PREDICATE_COLORS.get(predicate, NEUTRAL_COLOR),
                "line": {"width": 1, "color": "#ffffff"},
            },
        })
    flagged = [p for pts in points.values() for p in pts if p["conflict"]]
    if flagged:  # a ring around conflicting statements, with its own legend entry
        traces.append({
            "type": "scatter", "mode": "markers", "name": "conflicting figures",
            "x": [p["x"] for p in flagged], "y": [chart_text(labels[p["key"]]) for p in flagged],
            "hoverinfo": "skip",
            "marker": {"symbol": "circle-open", "size": 21, "color": CONFLICT_COLOR, "line": {"width": 2.5}},
        })
    height = max(260, 90 + 34 * len(categories))
    chart = _chart("chart-timeline", traces, {
        "height": height,
        "xaxis": {"type": "date", "title": {"text": "date"}, "gridcolor": "#eaeef2"},
        "yaxis": {"type": "category", "categoryorder": "array", "categoryarray": categories[::-1],
                  "automargin": True, "gridcolor": "#eaeef2"},
        "legend": {"title": {"text": "predicate"}, "orientation": "h", "y": 1.02, "yanchor": "bottom",
                   "x": 0},
        "margin": {"l": 10, "r": 20, "t": 50, "b": 50},
    })
    return chart, sum(len(p) for p in points.values()), undated


def _figure_hover(c: Mapping[str, Any], qualifier: str, names: Names, docs: Mapping[str, Mapping],
                  conflicting: bool) -> str:
    doc = docs.get(c["doc_id"], {})
    return (
        "<b>" + chart_text(format_figure(c["value"], qualifier, c.get("low"), c.get("high")))
        + " " + chart_text(c["item"]) + "</b><br>"
        + chart_text(claim_label(names, c["subject_id"], c["predicate"], c.get("object_id"), None))
        + (" (credited to " + chart_text(c["attributed_to"]) + ")" if c.get("attributed_to") else "")
        + ("<br><b>conflicting figures</b>" if conflicting else "")
        + "<br><i>" + chart_text(shorten(doc.get("display_title") or c["doc_id"], HOVER_WRAP)) + "</i>"
    )


def build_equipment(data: RunData, names: Names, docs: Mapping[str, Mapping],
                    summary: Sequence[Mapping]) -> tuple[Chart | None, Chart | None]:
    """Two charts per equipment type (claim ``item``): the figures stated for it, one marker per
    evidence sentence (shape = qualifier, red = the claim's figures conflict); and how many
    claims concern it, by predicate."""
    conflicting = {cid for row in summary if row.get("conflict") for cid in row.get("claim_ids") or []}
    claims = data.rows("claims")
    by_item: Counter = Counter()
    by_item_predicate: dict[str, Counter] = defaultdict(Counter)
    for c in claims:
        if c.get("item"):
            by_item[c["item"]] += 1
            by_item_predicate[c["predicate"]][c["item"]] += 1
    counts_chart = None
    if by_item:
        items = sorted(by_item, key=lambda i: (by_item[i], i))  # largest at the top of a bar chart
        traces = [
            {"type": "bar", "orientation": "h", "name": predicate,
             "y": [chart_text(i) for i in items], "x": [by_item_predicate[predicate][i] for i in items],
             "marker": {"color": PREDICATE_COLORS.get(predicate, NEUTRAL_COLOR)},
             "hovertemplate": "%{y}: %{x} claim(s)<extra>" + chart_text(predicate) + "</extra>"}
            for predicate in sorted(by_item_predicate)
        ]
        counts_chart = _chart("chart-equipment-counts", traces, {
            "barmode": "stack", "height": max(240, 80 + 26 * len(items)),
            "xaxis": {"title": {"text": "claims (evidence sentences)"}, "dtick": 1, "gridcolor": "#eaeef2"},
            "yaxis": {"automargin": True},
            "legend": {"title": {"text": "predicate"}},
        })
    figures: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for c in claims:
        if c.get("item") and c.get("value") is not None:
            figures[c.get("qualifier") or "exact"].append(c)
    figures_chart = None
    if figures:
        items = sorted({c["item"] for group in figures.values() for c in group})
        row_of = {item: len(items) - 1 - i for i, item in enumerate(items)}  # first item on top
        traces = []
        legend_shown: set[str] = set()
        # Conflicting statements last, so they are drawn on top of equal figures that are not.
        for flagged in (False, True):
            for qualifier in QUALIFIER_SYMBOLS:
                group = [c for c in figures.get(qualifier, []) if (c["claim_id"] in conflicting) == flagged]
                if not group:
                    continue
                color = CONFLICT_COLOR if flagged else FIGURE_COLOR
                traces.append({
                    "type": "scatter", "mode": "markers", "name": QUALIFIER_WORDS[qualifier],
                    "legendgroup": qualifier, "showlegend": qualifier not in legend_shown,
                    "x": [c["value"] for c in group],
                    # Each qualifier on its own line within the item's row: equal figures stay apart.
                    "y": [row_of[c["item"]] + QUALIFIER_OFFSETS[qualifier] for c in group],
                    "hovertext": [_figure_hover(c, qualifier, names, docs, flagged) for c in group],
                    "hoverinfo": "text",
                    "marker": {"symbol": QUALIFIER_SYMBOLS[qualifier], "size": 14, "color": color,
                               "line": {"width": 2, "color": color}},
                })
                legend_shown.add(qualifier)
        values = [c["value"] for group in figures.values() for c in group]
        xaxis: dict[str, Any] = {"title": {"text": "stated figure"}, "gridcolor": "#eaeef2"}
        if min(values) > 0:  # a log axis keeps 100 missiles and 5 million shells on one chart
            low, high = math.log10(min(values)), math.log10(max(values))
            xaxis.update(type="log", range=[low - LOG_AXIS_PAD, high + LOG_AXIS_PAD],
                         title={"text": "stated figure (log scale)"})
        figures_chart = _chart("chart-equipment-figures", traces, {
            "height": max(220, 100 + 48 * len(items)),
            "xaxis": xaxis,
            "yaxis": {"tickmode": "array", "tickvals": list(range(len(items))),
                      "ticktext": [chart_text(i) for i in items[::-1]], "range": [-0.6, len(items) - 0.4],
                      "automargin": True, "zeroline": False, "showgrid": False},
            "legend": {"title": {"text": "qualifier"}},
        })
    return figures_chart, counts_chart


def build_entities(data: RunData, names: Names) -> list[dict[str, Any]]:
    """Entities ranked by how many others they appear with (then documents, then mentions)."""
    entities = {e["entity_id"]: e for e in data.rows("entities")}
    partners: dict[str, dict[str, tuple[int, int]]] = defaultdict(dict)
    for edge in data.rows("cooccurrence"):
        a, b = edge["entity_a"], edge["entity_b"]
        weight = (edge.get("n_sentences") or 0, edge.get("n_docs") or 0)
        partners[a][b] = weight
        partners[b][a] = weight
    ids = set(entities) | set(partners)
    ranked = []
    for entity_id in ids:
        e = entities.get(entity_id, {})
        label = e.get("label") or entity_id.partition(":")[0]
        if label in EXCLUDED_RANKING_LABELS:
            continue
        links = {p: w for p, w in partners.get(entity_id, {}).items()
                 if entities.get(p, {}).get("label") not in EXCLUDED_RANKING_LABELS}
        top = sorted(links.items(), key=lambda kv: (-kv[1][0], -kv[1][1], names(kv[0])))[:TOP_PARTNERS]
        ranked.append({
            "entity_id": entity_id,
            "name": names(entity_id),
            "label": label,
            "n_docs": e.get("n_docs") or 0,
            "n_mentions": e.get("n_mentions") or 0,
            "degree": len(links),
            "shared_sentences": sum(w[0] for w in links.values()),
            "partners": [{"name": names(p), "n_sentences": w[0], "n_docs": w[1]} for p, w in top],
            "aliases": [a for a in e.get("aliases") or [] if a != names(entity_id)],
        })
    ranked.sort(key=lambda r: (-r["degree"], -r["shared_sentences"], -r["n_docs"], -r["n_mentions"],
                               r["name"]))
    return ranked[:TOP_ENTITIES]


def build_quotes(data: RunData, docs: Mapping[str, Mapping]) -> list[dict[str, Any]]:
    speakers: dict[str, dict[str, Any]] = {}
    for q in data.rows("quotes"):
        key = q.get("speaker_id") or q["speaker"]
        entry = speakers.setdefault(key, {"speaker": q["speaker"], "roles": [], "quotes": []})
        role = (q.get("speaker_role") or "").strip().rstrip(".")
        if role and role not in entry["roles"]:
            entry["roles"].append(role)
        entry["quotes"].append({"quote": q["quote"].strip().rstrip(","),
                                "doc": docs.get(q["doc_id"], {"display_title": q["doc_id"],
                                                              "link": {"href": None}})})
    return sorted(speakers.values(), key=lambda s: (-len(s["quotes"]), s["speaker"]))


def _suite_from_result(name: str, result: Mapping[str, Any]) -> dict[str, Any]:
    """A verdict read from a Great Expectations result file (for suites the manifest lacks)."""
    failures = []
    results = result.get("results") or []
    for r in results:
        if not r.get("success"):
            config = r.get("expectation_config") or {}
            column = (config.get("kwargs") or {}).get("column")
            failures.append(config.get("type", "expectation") + (f" on {column}" if column else ""))
    return {"table": name, "success": bool(result.get("success")), "evaluated": len(results),
            "failed": len(failures), "failures": failures, "result_path": f"{QUALITY_DIR}/{name}.json"}


def build_quality(data: RunData, docs: Mapping[str, Mapping]) -> dict[str, Any]:
    manifest = data.manifest or {}
    documents = data.rows("documents")
    rejected = [d for d in documents if d.get("status") != "ok"]
    reasons = Counter(d.get("reject_reason") or "unknown" for d in rejected)
    steps, suites, seen = [], [], set()
    for step in manifest.get("steps") or []:
        rejects = step.get("rejects") or {}
        steps.append({
            "name": step.get("name"), "verdict": step.get("verdict", "unknown"),
            "cached": step.get("cached"), "reused_from": step.get("reused_from"),
            "rows_in": step.get("rows_in"), "rows_out": step.get("rows_out"),
            "rejects": sorted(rejects.items()),
            "tables": sorted((n, (i or {}).get("rows")) for n, i in (step.get("tables") or {}).items()),
        })
        for name, verdict in sorted((step.get("quality") or {}).items()):
            seen.add(name)
            suites.append({**verdict, "table": verdict.get("table", name), "step": step.get("name")})
    for name, result in sorted(data.quality.items()):
        if name not in seen:
            suites.append({**_suite_from_result(name, result), "step": TABLES[name].step if name in TABLES
                           else None, "from_file": True})
    suite_tables = {s["table"] for s in suites}
    unchecked = [name for name in TABLES if name not in suite_tables]
    duplicates = [
        {"doc": docs.get(c["doc_id"], {"display_title": c["doc_id"]}),
         "of": docs.get(c["cluster_id"].removeprefix("cluster-"), {"display_title": c["cluster_id"]}),
         "reason": c["reason"], "similarity": c.get("similarity")}
        for c in data.rows("doc_clusters") if not c.get("is_representative")
    ]
    return {
        "n_documents": len(documents),
        "n_accepted": len(documents) - len(rejected),
        "n_rejected": len(rejected),
        "reasons": sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0])),
        "rejected": [{"reason": d.get("reject_reason"), "detail": d.get("reject_detail"),
                      "doc": docs.get(d["doc_id"], {"display_title": d.get("source_path"),
                                                    "link": {"href": None}})}
                     for d in sorted(rejected, key=lambda d: d.get("source_path") or "")],
        "steps": steps,
        "suites": suites,
        "n_suites_failed": sum(1 for s in suites if not s.get("success")),
        "unchecked": unchecked,
        "duplicates": duplicates,
        "has_documents": data.has("documents"),
    }


def missing_tables(data: RunData) -> list[dict[str, str]]:
    """Contract tables the folder lacks, with the step that should have written each."""
    return [{"name": name, "step": spec.step} for name, spec in TABLES.items() if not data.has(name)]


# --- the page ---------------------------------------------------------------------------------

_BOOT_SCRIPT = """
(function () {
  var blocks = document.querySelectorAll('script.chart-data');
  for (var i = 0; i < blocks.length; i++) {
    var target = document.getElementById(blocks[i].getAttribute('data-target'));
    if (!target) { continue; }
    try {
      var spec = JSON.parse(blocks[i].textContent);
      if (typeof Plotly === 'undefined') { throw new Error('plotly.js did not load'); }
      Plotly.newPlot(target, spec.data, spec.layout, spec.config);
    } catch (err) {
      target.textContent = 'This chart could not be drawn: ' + err.message;
      target.className += ' chart-error';
    }
  }
})();
""".strip()


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=True,  # every {{ }} is HTML-escaped unless it is a Markup built in this module
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["number"] = format_number
    env.filters["iso"] = lambda d: d.isoformat() if isinstance(d, date) else (d or "")
    env.filters["safe_href"] = safe_href
    return env


def _plotly_js() -> str:
    from plotly.offline import get_plotlyjs

    # A literal "</script" inside the library would end the element early; "<\/" means the same
    # inside JS strings and regular expressions (plotly.js has none today; this keeps it so).
    return get_plotlyjs().replace("</script", "<\\/script")


def render_report(run_dir: Path) -> str:
    """The report of one run folder as a self-contained HTML page (no network needed to open it)."""
    run_dir = Path(run_dir)
    data = read_run(run_dir)
    manifest = data.manifest or {}
    names = Names(data.rows("entities"))
    root = input_root(run_dir, data.manifest)
    docs = _documents_by_id(data, root)
    claims = build_claims(data, names, docs)
    summary_rows = sorted(data.rows("claim_summary"),
                          key=lambda r: (-(r.get("n_independent_sources") or 0), not r.get("conflict"),
                                         -(r.get("n_mentions") or 0), r["claim_key"]))
    timeline, n_dated, n_undated = build_timeline(data, names, docs, summary_rows)
    figures_chart, counts_chart = build_equipment(data, names, docs, summary_rows)
    charts = [c for c in (timeline, figures_chart, counts_chart) if c is not None]
    plotly_js = _plotly_js() if charts else ""
    scripts = [s for s in (plotly_js, _BOOT_SCRIPT if charts else "") if s]
    csp = "; ".join([
        "default-src 'none'",
        "script-src " + (" ".join(_sha256_csp(s) for s in scripts) if scripts else "'none'"),
        "style-src 'unsafe-inline'",  # plotly.js styles its SVG inline
        "img-src data:",
        "font-src data:",
        "base-uri 'none'",
        "form-action 'none'",
    ])
    corroborated = [c for c in claims if c["n_independent_sources"] >= CORROBORATED_MIN_SOURCES]
    single = [c for c in claims if 0 < c["n_independent_sources"] < CORROBORATED_MIN_SOURCES]
    unsaid = [c for c in claims if c["n_independent_sources"] == 0]  # only speculated or denied
    quality = build_quality(data, docs)
    template = _environment().get_template(TEMPLATE)
    return template.render(
        run_dir=run_dir,
        manifest=manifest,
        run_id=manifest.get("run_id") or run_dir.name,
        status=manifest.get("status") or "unknown",
        problems=data.problems,
        missing=missing_tables(data),
        has=data.has,
        input_root=str(root) if root else None,
        claims=claims,
        corroborated=corroborated,
        single=single,
        unsaid=unsaid,
        n_conflicts=sum(1 for c in claims if c["conflict"]),
        n_claim_rows=len(data.rows("claims")),
        timeline=timeline,
        n_dated=n_dated,
        n_undated=n_undated,
        figures_chart=figures_chart,
        counts_chart=counts_chart,
        entities=build_entities(data, names),
        quotes=build_quotes(data, docs),
        quality=quality,
        charts=charts,
        csp=csp,
        plotly_js=Markup(plotly_js),
        boot_js=Markup(_BOOT_SCRIPT),
        qualifier_words=QUALIFIER_WORDS,
        predicate_colors=PREDICATE_COLORS,
        corroborated_min=CORROBORATED_MIN_SOURCES,
    )


def write_report(run_dir: Path) -> Path:
    """Write ``run_dir/report.html`` atomically (temporary file in the folder, then rename)."""
    run_dir = Path(run_dir)
    html = render_report(run_dir)
    target = run_dir / REPORT_FILE
    fd, tmp = tempfile.mkstemp(prefix=".report-", suffix=".html.tmp", dir=run_dir)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(html)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


# --- Prefect task below ---

from prefect import get_run_logger, task  # noqa: E402
from prefect.cache_policies import NO_CACHE  # noqa: E402

from tasks.artifacts import publish_summary_artifact  # noqa: E402
from tasks.store import RunStore  # noqa: E402


def write_report_anywhere(store: RunStore) -> str:
    """Write ``report.html`` into a run folder on a local disk or an object store.

    For an object store the run folder is read into a temporary folder, the report written there
    and uploaded (one PUT). Returns where the report is, for a person."""
    if store.location.is_local:
        return str(write_report(Path(store.run_dir)).resolve())
    with tempfile.TemporaryDirectory(prefix="dossier-report-") as tmp:
        store.location.fs.get(store.run_path.rstrip("/") + "/", tmp + "/", recursive=True)
        local = write_report(Path(tmp))
        target = str(store.run_dir / REPORT_FILE)
        store.location.write_bytes_atomic(target, local.read_bytes())
    return store.location.display(target)


@task(name="report", task_run_name="report-{store.run_id}", cache_policy=NO_CACHE)
def report(store: RunStore) -> str:
    """Write the run's ``report.html`` and link it from the claims artifact in the Prefect UI."""
    where = write_report_anywhere(store)
    if store.has("claim_summary"):
        publish_summary_artifact(store.read("claim_summary").to_pylist(), store, where)
    get_run_logger().info("report: %s", where)
    return REPORT_FILE
