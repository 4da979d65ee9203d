"""RSS 2.0, RSS 1.0 and Atom feeds: one article per item or entry.

A feed is parsed whole (bounded by ``max_parsed_file_bytes``), with entities left unresolved and
nothing fetched: a feed cannot expand a billion laughs or read a local file through an external
entity. Each item is a record bounded by ``max_bytes``.
"""

from __future__ import annotations

import re
from typing import Any, Iterator

import lxml.etree

from tasks.dates import parse_published
from tasks.formats.base import RecordProblem, Source, accept, as_text, new_row, reject, sha256_of
from tasks.formats.decoding import HEAD_CHARS, decode_file
from tasks.formats.html import XML_DECLARATION, drop_invalid_char_refs, html_fragment_to_text
from tasks.params import IngestParams

_ATOM = "http://www.w3.org/2005/Atom"
_CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
_DC = "http://purl.org/dc/elements/1.1/"
_XML_PARSER_OPTIONS = dict(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]{0,300}?encoding\s*=\s*["']([A-Za-z0-9_.:-]{1,40})""")


def read_feed(source: Source, params: IngestParams) -> Iterator[dict]:
    try:
        data = source.read(params.max_parsed_file_bytes)
    except RecordProblem as problem:
        yield reject(source.file_row(), problem.reason, f"{problem.detail} (max_parsed_file_bytes)")
        return
    file_row = new_row(source.source_path, sha256_of(data), len(data), source.fmt)
    found = XML_ENCODING.search(data[:HEAD_CHARS])
    declared = found.group(1).decode("ascii") if found else None
    try:
        text, file_row["encoding"] = decode_file(data, params, declared)
    except RecordProblem as problem:
        yield reject(file_row, problem.reason, problem.detail)
        return
    yield from _read_feed(source.source_path, text, file_row, params)


def _local(element: Any) -> str:
    return lxml.etree.QName(element).localname if isinstance(element.tag, str) else ""


def _children(element: Any, name: str, namespace: str | None = None) -> list:
    """Child elements by local name (any namespace unless one is given)."""
    return [
        c
        for c in element
        if isinstance(c.tag, str)
        and _local(c) == name
        and (namespace is None or lxml.etree.QName(c).namespace == namespace)
    ]


def _child_text(element: Any, name: str, namespace: str | None = None) -> str | None:
    for child in _children(element, name, namespace):
        text = "".join(child.itertext()).strip()
        if text:
            return text
    return None


def _atom_content(element: Any) -> str | None:
    """Text of an Atom ``content``/``summary``: xhtml is inline markup, html is escaped markup."""
    kind = (element.get("type") or "text").lower()
    if kind == "xhtml":
        inner = "".join(lxml.etree.tostring(c, encoding="unicode") for c in element)
        inner = re.sub(r"\sxmlns(?::\w+)?=\"[^\"]{0,300}\"", "", inner)
        return html_fragment_to_text((element.text or "") + inner)
    text = "".join(element.itertext())
    return html_fragment_to_text(text) if kind in ("html", "text/html") else text


def _read_feed(source_path: str, text: str, file_row: dict, params: IngestParams) -> Iterator[dict]:
    looks_atom = "<feed" in text[:HEAD_CHARS]
    file_row = {**file_row, "format": "atom" if looks_atom else "rss"}
    parser = lxml.etree.XMLParser(**_XML_PARSER_OPTIONS)
    try:
        root = lxml.etree.fromstring(XML_DECLARATION.sub("", drop_invalid_char_refs(text), count=1).encode("utf-8"), parser)
    except lxml.etree.XMLSyntaxError as exc:
        yield reject(file_row, "ingest_bad_feed", f"XML: {exc}")
        return
    if root is None:
        yield reject(file_row, "ingest_bad_feed", "no root element")
        return
    kind = _local(root)
    if kind == "feed":
        fmt, items, outlet = "atom", _children(root, "entry"), _child_text(root, "title")
        language = root.get("{http://www.w3.org/XML/1998/namespace}lang")
    elif kind == "rss":
        channel = (_children(root, "channel") or [root])[0]
        fmt, items, outlet = "rss", _children(channel, "item"), _child_text(channel, "title")
        language = _child_text(channel, "language")
    elif kind == "RDF":  # RSS 1.0: items are siblings of the channel
        channel = (_children(root, "channel") or [root])[0]
        fmt, items, outlet = "rss", _children(root, "item"), _child_text(channel, "title")
        language = _child_text(channel, "language", _DC)
    else:
        yield reject(file_row, "ingest_bad_feed", f"root element <{kind}> is neither <rss> nor an Atom <feed>")
        return
    file_row = {**file_row, "format": fmt}
    if not items:
        yield reject(file_row, "ingest_empty", f"the {fmt} feed has no items")
        return
    for index, item in enumerate(items):
        raw = lxml.etree.tostring(item)
        row = new_row(source_path, sha256_of(raw), len(raw), fmt, index, file_row["encoding"])
        if len(raw) > params.max_bytes:  # the limit is per item, not per feed
            yield reject(row, "ingest_too_large", f"item of {len(raw)} bytes > max_bytes={params.max_bytes}")
            continue
        try:
            body, meta = (_atom_entry if fmt == "atom" else _rss_item)(item)
        except (ValueError, lxml.etree.LxmlError) as exc:
            yield reject(row, "ingest_bad_feed", f"item {index}: {exc}")
            continue
        meta = {**meta, "outlet": as_text(outlet), "language_hint": as_text(language)}
        if body is None:
            yield reject({**row, **meta}, "ingest_no_text_field", "item has no content, description or summary")
            continue
        yield accept(row, body, meta, params)


def _rss_item(item: Any) -> tuple[str | None, dict]:
    content = _child_text(item, "encoded", _CONTENT_NS) or _child_text(item, "description")
    meta = {
        "title": as_text(_child_text(item, "title")),
        "published": parse_published(_child_text(item, "pubDate") or _child_text(item, "date", _DC)),
        "author": as_text(_child_text(item, "creator", _DC) or _child_text(item, "author")),
        "url": as_text(_child_text(item, "link")),
    }
    return (html_fragment_to_text(content) if content else None), meta


def _atom_entry(entry: Any) -> tuple[str | None, dict]:
    body = None
    for name in ("content", "summary"):
        for element in _children(entry, name):
            body = _atom_content(element)
            if body and body.strip():
                break
        if body and body.strip():
            break
    link = None
    for element in _children(entry, "link"):
        if element.get("rel", "alternate") == "alternate" and element.get("href"):
            link = element.get("href")
            break
    authors = [_child_text(a, "name") for a in _children(entry, "author")]
    meta = {
        "title": as_text(next((_atom_content(t) for t in _children(entry, "title")), None)),
        "published": parse_published(_child_text(entry, "published") or _child_text(entry, "updated")),
        "author": as_text([a for a in authors if a]),
        "url": as_text(link),
    }
    return body or None, meta


