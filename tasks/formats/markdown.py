"""Markdown with front matter (Jekyll, Hugo, Pandoc, crawlers): metadata from the front matter,
the body as plain text, one paragraph, heading or list item per line.

Front matter that a strict parser refuses but a person reads without trouble is still read: when
YAML (or TOML) fails, a line-by-line ``key: value`` reading joins indented continuation lines, and
the row notes ``front_matter_repaired``. A header whose line breaks were saved as the two characters
``\\n`` is mended first (``front_matter_literal_newlines``). A body written as an HTML fragment (RSS
exports saved as Markdown) is read as HTML, so its paragraphs stay apart.
"""

from __future__ import annotations

import re
import tomllib
from typing import Iterator

import yaml

from tasks.formats.base import RecordProblem, accept, new_row, record_metadata, reject, sha256_of
from tasks.formats.decoding import decode_file
from tasks.formats.html import html_fragment_to_text, is_html_fragment
from tasks.params import IngestParams
from tasks.text import tidy_lines

_FRONT_MATTER_END = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.M)
_TOML_FRONT_MATTER_END = re.compile(r"^\+\+\+[ \t]*$", re.M)
_MD_FENCE = re.compile(r"^\s*(```|~~~)")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$")
_MD_SETEXT = re.compile(r"^\s{0,3}(?:=+|-+)\s*$")
_MD_RULE = re.compile(r"^\s{0,3}(?:[-*_]\s*){3,}$")
_MD_LIST = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])\s+")
_MD_QUOTE = re.compile(r"^\s*(?:>\s?)+")
_MD_IMAGE = re.compile(r"!\[([^\]\n]{0,500})\]\([^)\n]{0,2000}\)")
_MD_LINK = re.compile(r"\[([^\]\n]{0,500})\]\([^)\n]{0,2000}\)")
_MD_REF_LINK = re.compile(r"\[([^\]\n]{0,500})\]\[[^\]\n]{0,200}\]")
_MD_LINK_DEF = re.compile(r"^\s{0,3}\[[^\]\n]{1,200}\]:\s+\S")
_MD_EMPHASIS = re.compile(r"(\*\*|__|~~)(\S(?:[^\n]{0,2000}?\S)?)\1")
_MD_STAR = re.compile(r"(?<![\w*])\*(?!\s)([^*\n]{1,2000}?)(?<!\s)\*(?![\w*])")
_MD_CODE = re.compile(r"`([^`\n]{1,2000})`")
_MD_TAG = re.compile(r"</?[A-Za-z][^<>\n]{0,500}>")


# _emphasis_ with single underscores (not inside a word: snake_case stays).
_MD_UNDERSCORE = re.compile(r"(?<![\w_])_(?!\s)([^_\n]{1,2000}?)(?<!\s)_(?![\w_])")
_MD_BLOCK_TAG = re.compile(r"</?(?:p|div|br|li|ul|ol|h[1-6]|blockquote|figure|figcaption|table|tr|section|hr)\b[^<>\n]{0,500}>", re.I)
# A line of a front matter that strict YAML refused, read as "key: value" (or "key : value"); lines
# indented under it, or list items, continue its value.
_LENIENT_KEY = re.compile(r"^([A-Za-z_][\w.-]{0,60})[ \t]*[:=](?:[ \t]*(.*?))?[ \t]*$")
_LIST_ITEM = re.compile(r"^[ \t]*-[ \t]+(.*?)[ \t]*$")
_MAX_FRONT_MATTER_KEYS = 200


class _FrontMatterLoader(yaml.SafeLoader):
    """Safe YAML whose timestamps stay strings: ``parse_published`` reads them as written (with
    their own calendar date), and an impossible date such as 2024-13-45 is no date instead of a
    ``ValueError`` from the YAML constructor."""


_FrontMatterLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}




def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        inner = value[1:-1]
        return inner.replace("''", "'") if value[0] == "'" else inner.replace('\\"', '"')
    return value


def read_lenient_front_matter(block: str) -> dict:
    """Front matter read line by line: ``key: value``; indented lines join the value before them
    (an author spread over tab-indented lines); ``- item`` lines make a list. Lines that are
    neither are skipped. Never raises."""
    meta: dict[str, object] = {}
    key: str | None = None
    parts: list[str] = []
    items: list[str] = []

    def flush() -> None:
        if key is None:
            return
        if items and not any(p.strip() for p in parts):
            meta[key] = [_unquote(i) for i in items]
        else:
            meta[key] = _unquote(" ".join(p.strip() for p in [*parts, *items] if p.strip()))

    for line in block.split("\n"):
        if not line.strip():
            continue
        item = _LIST_ITEM.match(line)
        match = None if line[0] in " \t" else _LENIENT_KEY.match(line)
        if match and len(meta) < _MAX_FRONT_MATTER_KEYS:
            flush()
            key, parts, items = match.group(1), [match.group(2) or ""], []
        elif key is not None and item:
            items.append(item.group(1))
        elif key is not None and line[0] in " \t":
            parts.append(line)
    flush()
    return meta


def mend_literal_newlines(text: str) -> tuple[str, bool]:
    """A front matter whose first line holds ``\\n`` as two characters (``---\\ntitle: ...``), as a
    crawler that escaped its line breaks writes it: those become line breaks."""
    if not text.startswith(("---\\n", "+++\\n")):
        return text, False
    end = text.find("\n")
    head = text if end < 0 else text[:end]
    return head.replace("\\n", "\n") + text[len(head):], True


def split_front_matter(text: str) -> tuple[dict, str, list[str]]:
    """Front matter at the very top, the body after it, and notes on what was repaired: YAML
    between ``---`` fences (Jekyll, Hugo, Pandoc) or TOML between ``+++`` fences (Hugo)."""
    notes: list[str] = []
    text, mended = mend_literal_newlines(text)
    if mended:
        notes.append("front_matter_literal_newlines")
    fence = text[:3]
    if fence not in ("---", "+++"):
        return {}, text, notes
    first_newline = text.find("\n")
    if first_newline < 0 or text[:first_newline].strip() != fence:
        return {}, text, notes
    closing = _FRONT_MATTER_END if fence == "---" else _TOML_FRONT_MATTER_END
    end = closing.search(text, first_newline + 1)
    if end is None:
        raise RecordProblem("ingest_bad_front_matter", f"front matter opened with {fence} is never closed")
    block = text[first_newline + 1 : end.start()]
    body = text[end.end() :]
    try:
        if fence == "---":
            meta = yaml.load(block, Loader=_FrontMatterLoader)  # noqa: S506 (a SafeLoader)
        else:
            meta = tomllib.loads(block)
    except (yaml.YAMLError, tomllib.TOMLDecodeError, ValueError, TypeError, OverflowError, RecursionError):
        # What a strict parser refuses (a tab-indented continuation line, an unquoted colon) is
        # still readable line by line; the body is the article either way.
        meta = read_lenient_front_matter(block)
        notes.append("front_matter_repaired")
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        meta = read_lenient_front_matter(block)
        notes.append("front_matter_repaired")
    return meta, body, notes


def markdown_to_text(markdown: str) -> str:
    """Plain text of Markdown, one paragraph, heading or list item per line (hard-wrapped
    paragraphs are joined). Markup is dropped, link and image texts are kept."""
    blocks: list[str] = []
    paragraph: list[str] = []
    in_fence = False

    def flush() -> None:
        if paragraph:
            blocks.append(" ".join(paragraph))
            paragraph.clear()

    for line in markdown.split("\n"):
        if _MD_FENCE.match(line):
            flush()
            in_fence = not in_fence
            continue
        if in_fence:
            blocks.append(line)
            continue
        line = _MD_QUOTE.sub("", line)
        if not line.strip():
            flush()
            continue
        if _MD_SETEXT.match(line) and paragraph:
            flush()  # the paragraph above was a heading underlined with === or ---
            continue
        if _MD_RULE.match(line) or _MD_LINK_DEF.match(line):
            flush()
            continue
        heading = _MD_HEADING.match(line)
        if heading:
            flush()
            blocks.append(heading.group(1))
            continue
        if _MD_LIST.match(line):
            flush()
            paragraph.append(_MD_LIST.sub("", line).strip())
            continue
        paragraph.append(line.strip())
    flush()
    text = "\n".join(blocks)
    text = _MD_IMAGE.sub(lambda m: m.group(1) if " " in m.group(1).strip() else "", text)
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_REF_LINK.sub(r"\1", text)
    text = _MD_EMPHASIS.sub(r"\2", text)
    text = _MD_STAR.sub(r"\1", text)
    text = _MD_UNDERSCORE.sub(r"\1", text)
    text = _MD_CODE.sub(r"\1", text)
    text = _MD_BLOCK_TAG.sub("\n", text)
    text = _MD_TAG.sub("", text)
    return tidy_lines(text)



def read_markdown(source_path: str, data: bytes, params: IngestParams, fmt: str = "md") -> Iterator[dict]:
    """A Markdown file: one row; its front matter gives the metadata."""
    row = new_row(source_path, sha256_of(data), len(data), fmt)
    try:
        text, row["encoding"] = decode_file(data, params)
        front, body, notes = split_front_matter(text)
    except RecordProblem as problem:
        yield reject(row, problem.reason, problem.detail)
        return
    meta = record_metadata(front, params)
    meta["_notes"] = [*meta.get("_notes", []), *notes]
    body = html_fragment_to_text(body) if is_html_fragment(body) else markdown_to_text(body)
    yield accept(row, body, meta, params)
