"""HTML: whole pages (main text and metadata by trafilatura) and fragments (a feed item's content,
a JSON body field, a Markdown body written as HTML), one block per line.

Block-level elements end a paragraph, so sentences of two ``<p>`` never run together.
"""

from __future__ import annotations

import re
from typing import Any, Iterator

import lxml.etree
import lxml.html
import trafilatura

from tasks.dates import parse_published
from tasks.formats.base import RecordProblem, accept, as_text, new_row, reject, sha256_of
from tasks.formats.decoding import HEAD_CHARS, decode_file
from tasks.params import IngestParams
from tasks.text import decode_entities, tidy_lines

_BLOCK_TAGS = frozenset(
    "p div br li ul ol h1 h2 h3 h4 h5 h6 blockquote tr table section article header footer figure "
    "figcaption pre hr dt dd dl aside main address".split()
)
_LAYOUT_MARKERS = ("p", "h1", "h2", "h3", "div", "table", "ul", "ol", "blockquote", "article")
_DROP_TAGS = ("script", "style", "noscript", "template", "iframe", "object", "svg")
# A numeric character reference in markup (&#27; &#x1b;), bounded so a long digit run stays cheap.
_CHAR_REF = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));")
HTML_CHARSET = re.compile(rb"""<meta[^>]{0,300}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.I)
XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]{0,300}\?>")
_HTML_LANG = re.compile(r"""<html\b[^>]{0,1000}?\blang\s*=\s*["']?([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})?)""", re.I)
LOOKS_LIKE_HTML = re.compile(
    r"</?(?:p|br|div|span|a|em|strong|b|i|u|ul|ol|li|h[1-6]|img|blockquote|figure|table|section)\b[^<>]{0,500}>",
    re.I,
)
# Block-level tags: a text with a few of these is an HTML fragment, not prose that mentions a tag.
_BLOCK_MARKUP = re.compile(r"</?(?:p|div|br|li|h[1-6]|blockquote|figure|table)\b[^<>]{0,500}>", re.I)
_MIN_BLOCK_TAGS = 2
# A whole HTML document (not text that mentions a tag): a doctype or <html> first, maybe after a
# UTF-8 byte order mark, white space and comments.
# Atomic groups: a comment ends at its first "-->", so a run of comments matches one way only
# (a lazy ".*?-->" could also stretch over the next comment: exponential backtracking).
LOOKS_LIKE_PAGE = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*(?>(?><!--(?:(?!-->).){0,2000}-->)\s*)*<(?:!doctype\s+html|html)[\s>]", re.I | re.S
)
# libxml2 keeps at most this many levels of nested elements; deeper content is lost.
_HTML_MAX_DEPTH = 255


def _char_ref(match: re.Match) -> str:
    hex_digits, digits = match.groups()
    code = int(hex_digits, 16) if hex_digits else int(digits)
    allowed = (
        code in (0x9, 0xA, 0xD)
        or 0x20 <= code <= 0xD7FF
        or 0xE000 <= code <= 0xFFFD
        or 0x10000 <= code <= 0x10FFFF
    )
    return match.group(0) if allowed else ""


def drop_invalid_char_refs(markup: str) -> str:
    """Markup without character references to what XML cannot hold (&#x1b;, &#0;, &#xFFFE;, a
    surrogate): an XML parser rejects the whole feed for one, and one in an HTML page makes
    trafilatura drop the page's text."""
    return _CHAR_REF.sub(_char_ref, markup) if "&#" in markup else markup


def html_fragment_to_text(fragment: str) -> str:
    """Text of a piece of HTML (a feed item's content, a body field): one block per line.

    This is tag stripping for content that is already the article, not boilerplate removal; whole
    pages go through trafilatura (``extract_html``).
    """
    if not fragment.strip():
        return ""
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return tidy_lines(fragment)
    for element in list(root.iter(*_DROP_TAGS)):
        element.drop_tree()
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.lower() in _BLOCK_TAGS:
            element.tail = "\n" + (element.tail or "")
            if element.tag.lower() != "br":
                element.text = "\n" + (element.text or "")
    return tidy_lines(root.text_content())


def maybe_html(text: str) -> str:
    if LOOKS_LIKE_HTML.search(text):
        return html_fragment_to_text(text)
    if "&lt;" in text:  # markup escaped once more ("&lt;p&gt;"), as some exports store it
        unescaped = decode_entities(text)
        if LOOKS_LIKE_HTML.search(unescaped):
            return html_fragment_to_text(unescaped)
    return text


def _unwrap_layout_tables(tree: Any) -> None:
    """Turn tables used for page layout (cells holding paragraphs, headings or other tables) into
    plain blocks, so that trafilatura weighs their cells as page regions instead of keeping or
    dropping the whole grid as one data table. Tables of data are left alone."""
    for table in list(tree.iter("table")):
        if next(table.iterdescendants(*_LAYOUT_MARKERS), None) is None:
            continue
        for element in [table, *table.iterdescendants("tbody", "thead", "tfoot", "tr", "td", "th")]:
            element.tag = "div"
            for attribute in ("width", "valign", "align", "colspan", "rowspan"):
                element.attrib.pop(attribute, None)


# libxml2 keeps at most this many levels of nested elements; deeper content is lost.
_HTML_MAX_DEPTH = 255


def _depth_reaches(tree: Any, limit: int) -> bool:
    """Whether any element of the tree is ``limit`` levels deep."""
    stack = [(tree, 1)]
    while stack:
        element, depth = stack.pop()
        if depth >= limit:
            return True
        stack.extend((child, depth + 1) for child in element)
    return False


def extract_html(text: str, params: IngestParams) -> tuple[str, dict]:
    """Main text (one paragraph per line) and metadata of an HTML page, with trafilatura.

    Comments are left out. Nothing is fetched: trafilatura only reads the string it is given.
    """
    try:
        tree = lxml.html.document_fromstring(XML_DECLARATION.sub("", drop_invalid_char_refs(text), count=1))
    except (lxml.etree.ParserError, ValueError) as exc:
        raise RecordProblem("ingest_no_main_text", f"HTML does not parse: {exc}") from exc
    _unwrap_layout_tables(tree)
    try:
        doc = trafilatura.bare_extraction(
            tree,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            include_images=False,
            include_links=False,
            deduplicate=False,
            favor_precision=params.html_focus == "precision",
            favor_recall=params.html_focus == "recall",
            # the date the page states in its markup, not one guessed from its text (a footer's
            # "© 2024" would otherwise be read as 2024-01-01)
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except (ValueError, TypeError, lxml.etree.LxmlError) as exc:
        raise RecordProblem("ingest_no_main_text", f"trafilatura failed: {exc}") from exc
    if doc is None or not (doc.text or "").strip():
        detail = "trafilatura found no article text in the page"
        if _depth_reaches(tree, _HTML_MAX_DEPTH):
            detail += f" (elements nest {_HTML_MAX_DEPTH} deep: the parser drops what is deeper)"
        raise RecordProblem("ingest_no_main_text", detail)
    lang = _HTML_LANG.search(text[:HEAD_CHARS])
    meta = {
        "title": as_text(doc.title),
        "published": parse_published(doc.date),
        "author": as_text(doc.author),
        "outlet": as_text(doc.sitename),
        "url": as_text(doc.url),
        "language_hint": lang.group(1).lower() if lang else None,
    }
    return tidy_lines(doc.text), meta




def is_html_fragment(text: str) -> bool:
    """Whether a body is written as HTML (a few block-level tags), not prose mentioning a tag."""
    return len(_BLOCK_MARKUP.findall(text[:HEAD_CHARS * 4], 0)) >= _MIN_BLOCK_TAGS


def read_html(source_path: str, data: bytes, params: IngestParams, fmt: str = "html") -> Iterator[dict]:
    """A saved web page: one row."""
    row = new_row(source_path, sha256_of(data), len(data), fmt)
    if len(data) > params.max_html_bytes:
        yield reject(row, "ingest_too_large", f"{len(data)} bytes of HTML > max_html_bytes={params.max_html_bytes}")
        return
    found = HTML_CHARSET.search(data[:HEAD_CHARS])
    declared = found.group(1).decode("ascii") if found else None
    try:
        text, row["encoding"] = decode_file(data, params, declared)
        text, meta = extract_html(text, params)
    except RecordProblem as problem:
        yield reject(row, problem.reason, problem.detail)
        return
    yield accept(row, text, meta, params)
