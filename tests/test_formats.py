"""Every input format, the golden extraction set, and a folder of hostile inputs.

The golden files live in tests/golden/: HTML pages written to look like real news layouts (each with
a ``*.expect.json`` of what must and must not survive extraction and the metadata it states), and
one file of every other format with the rows it must give. Changing an expectation or the floor is a
deliberate, reviewed act.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import time
from datetime import date
from pathlib import Path

import pyarrow as pa
import pytest
from pydantic import ValidationError

from tasks.clean import detect_language
from tasks.dates import parse_published
from tasks.formats import ingest_bytes, ingest_record
from tasks.formats.markdown import markdown_to_text
from tasks.ingest import ingest_files, list_inputs
from tasks.text import longest_unpunctuated_run
from tasks.params import IngestParams
from tasks.schemas import DOCUMENTS, to_arrow

GOLDEN = Path(__file__).parent / "golden"
PARAMS = IngestParams()
# The pinned extraction floor over tests/golden/html (measured: kept 1.00, leaked 0.00 with
# html_focus='precision'). A change that drops below it makes extraction worse: fix it, or lower the
# floor in a reviewed commit that says why.
MIN_KEPT_SHARE = 0.95
MAX_LEAKED_SHARE = 0.05
ARTICLE = "North Korea has sent troops to Russia. Officials said so on Monday."


def _expect(path: Path):
    return json.loads(path.with_name(path.name.removesuffix(".html") + ".expect.json").read_text("utf-8"))


def _golden_pages() -> list[Path]:
    return sorted((GOLDEN / "html").glob("*.html"))


def _rows(root: Path, params: IngestParams = PARAMS) -> list[dict]:
    return list(ingest_files(list_inputs(root, params), params))


# ------------------------------------------------------------------------------ golden HTML


@pytest.fixture(scope="module")
def golden_html_rows() -> dict[str, dict]:
    return {p.name: ingest_record(p.name, p.read_bytes(), "html", PARAMS) for p in _golden_pages()}


def test_golden_set_is_big_enough():
    assert len(_golden_pages()) >= 6


def test_golden_html_extraction_floor(golden_html_rows):
    kept, leaked = [], []
    for page in _golden_pages():
        expect, text = _expect(page), golden_html_rows[page.name]["raw_text"] or ""
        kept.append(sum(s in text for s in expect["must_contain"]) / len(expect["must_contain"]))
        leaked.append(sum(s in text for s in expect["must_not_contain"]) / len(expect["must_not_contain"]))
    mean_kept, mean_leaked = sum(kept) / len(kept), sum(leaked) / len(leaked)
    assert mean_kept >= MIN_KEPT_SHARE, f"extraction keeps less of the articles: {mean_kept:.3f}"
    assert mean_leaked <= MAX_LEAKED_SHARE, f"more boilerplate leaks into the text: {mean_leaked:.3f}"


@pytest.mark.parametrize("page", _golden_pages(), ids=lambda p: p.stem)
def test_golden_html_metadata_and_lines(page, golden_html_rows):
    expect, row = _expect(page), golden_html_rows[page.name]
    assert row["status"] == "ok" and row["format"] == "html"
    assert row["title"] == expect["title"]
    assert row["published"] == date.fromisoformat(expect["published"])
    assert row["author"] == expect["author"]
    assert row["outlet"] == expect["outlet"]
    if "encoding" in expect:
        assert row["encoding"] == expect["encoding"]
    if "language_hint" in expect:
        assert row["language_hint"] == expect["language_hint"]
    assert detect_language(row["raw_text"]) == expect["language"]
    # One paragraph per line: no blank lines, and paragraphs are not run together.
    lines = row["raw_text"].split("\n")
    assert all(line.strip() for line in lines)
    assert len(lines) >= 4


# --------------------------------------------------------------------- golden other formats


@pytest.fixture(scope="module")
def golden_record_rows(tmp_path_factory) -> list[dict]:
    root = tmp_path_factory.mktemp("records")
    for path in (GOLDEN / "records").iterdir():
        if not path.name.endswith(".expect.json"):
            shutil.copy(path, root / path.name)
    return _rows(root)


def _record_expectations() -> list[Path]:
    return sorted((GOLDEN / "records").glob("*.expect.json"))


@pytest.mark.parametrize("expect_path", _record_expectations(), ids=lambda p: p.name.split(".")[0] + "." + p.name.split(".")[1])
def test_golden_records(expect_path, golden_record_rows):
    source = expect_path.name.removesuffix(".expect.json")
    expected = json.loads(expect_path.read_text("utf-8"))
    rows = [r for r in golden_record_rows if r["source_path"].split("#")[0] == source]
    rows.sort(key=lambda r: r["record_index"] if r["record_index"] is not None else -1)
    assert len(rows) == len(expected), [(r["source_path"], r["reject_reason"]) for r in rows]
    for row, want in zip(rows, expected):
        where = row["source_path"]
        if "record_index" in want:
            assert row["record_index"] == want["record_index"], where
            assert row["source_path"] == f"{source}#{want['record_index']}"
        assert row["status"] == want["status"], (where, row["reject_reason"], row["reject_detail"])
        assert row["format"] == want["format"], where
        assert row["reject_reason"] == want.get("reject_reason"), (where, row["reject_detail"])
        if "reject_detail_contains" in want:
            assert want["reject_detail_contains"] in row["reject_detail"], (where, row["reject_detail"])
        for field in ("title", "author", "outlet", "url", "language_hint", "encoding"):
            if field in want:
                assert row[field] == want[field], (where, field)
        if "published" in want:
            wanted = date.fromisoformat(want["published"]) if want["published"] else None
            assert row["published"] == wanted, where
        text = row["raw_text"] or ""
        if "lines" in want:
            assert text.split("\n") == want["lines"], where
        for s in want.get("must_contain", []):
            assert s in text, (where, s)
        for s in want.get("must_not_contain", []):
            assert s not in text, (where, s)
        if "language" in want:
            assert detect_language(text) == want["language"], where


def test_golden_rows_fit_the_documents_schema(golden_record_rows, golden_html_rows):
    rows = golden_record_rows + list(golden_html_rows.values())
    table = to_arrow(DOCUMENTS, rows)
    assert table.num_rows == len(rows)
    assert table.schema.field("published").type == pa.date32()
    assert len(set(table.column("doc_id").to_pylist())) == len(rows)


# ------------------------------------------------------------------ multi-record identities


def test_multi_record_ids_are_per_record_and_stable():
    data = b'{"text": "One article. It is short."}\n{"text": "One article. It is short."}\n'
    first = list(ingest_bytes("feeds/export.jsonl", data, "jsonl", PARAMS))
    again = list(ingest_bytes("feeds/export.jsonl", data, "jsonl", PARAMS))
    elsewhere = list(ingest_bytes("other/export.jsonl", data, "jsonl", PARAMS))
    assert [r["source_path"] for r in first] == ["feeds/export.jsonl#0", "feeds/export.jsonl#1"]
    assert [r["record_index"] for r in first] == [0, 1]
    assert first[0]["sha256"] == first[1]["sha256"]  # same content: NLP work can be shared
    assert first[0]["doc_id"] != first[1]["doc_id"]  # different place: different record
    assert [r["doc_id"] for r in first] == [r["doc_id"] for r in again]
    assert not {r["doc_id"] for r in first} & {r["doc_id"] for r in elsewhere}


def test_single_record_files_have_no_index():
    row = ingest_record("a.txt", ARTICLE.encode(), "txt", PARAMS)
    assert row["record_index"] is None and row["source_path"] == "a.txt"


# ------------------------------------------------------------------------ format edge cases


def _one(source: str, data: bytes | str, fmt: str, params: IngestParams = PARAMS) -> list[dict]:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return list(ingest_bytes(source, raw, fmt, params))


def test_truncated_json_file_is_one_rejected_row_with_line_number():
    rows = _one("x.json", '[\n  {"text": "Fine."},\n  {"text": "cut', "json")
    assert len(rows) == 1
    row = rows[0]
    assert (row["status"], row["reject_reason"], row["source_path"]) == ("rejected", "ingest_bad_json", "x.json")
    assert "line 3" in row["reject_detail"]


def test_json_shapes():
    single = _one("one.json", json.dumps({"title": "T", "body": ARTICLE}), "json")
    assert [(r["status"], r["source_path"], r["title"]) for r in single] == [("ok", "one.json", "T")]
    assert _one("n.json", "42", "json")[0]["reject_reason"] == "ingest_bad_json"
    assert _one("e.json", "[]", "json")[0]["reject_reason"] == "ingest_empty"
    deep = _one("d.json", "[" * 100_000 + "]" * 100_000, "json")
    assert deep[0]["reject_reason"] == "ingest_bad_json"


def test_field_mapping_is_configurable():
    params = IngestParams(text_fields=("story",), title_fields=("hed",), outlet_fields=("meta.paper",))
    rows = _one("m.jsonl", json.dumps({"hed": "H", "story": ARTICLE, "meta": {"paper": "P"}}), "jsonl", params)
    assert (rows[0]["status"], rows[0]["title"], rows[0]["outlet"]) == ("ok", "H", "P")
    with pytest.raises(ValidationError, match="text_fields"):
        IngestParams(text_fields=())
    with pytest.raises(ValidationError, match="start with a dot"):
        IngestParams(extensions=("txt",))


def test_csv_edge_cases():
    no_text = _one("a.csv", "title,when\nA,2024-01-01\n", "csv")
    assert [r["reject_reason"] for r in no_text] == ["ingest_no_text_field"]
    header_only = _one("b.csv", "title,text\n", "csv")
    assert [r["reject_reason"] for r in header_only] == ["ingest_empty"]
    semicolons = _one("c.csv", f'title;text\nA;"{ARTICLE}"\nB;"{ARTICLE} Again."\n', "csv")
    assert [(r["status"], r["title"]) for r in semicolons] == [("ok", "A"), ("ok", "B")]
    unclosed = _one("d.csv", f'title,text\nA,"{ARTICLE}"\nB,"never closed\n', "csv")
    assert [r["status"] for r in unclosed] == ["ok", "rejected"]


def test_bad_feeds():
    broken = _one("f.rss", "<rss><channel><item><title>x</title>", "rss")
    assert [(r["reject_reason"], r["source_path"]) for r in broken] == [("ingest_bad_feed", "f.rss")]
    not_feed = _one("g.xml", "<html><body>hi</body></html>", "rss")
    assert not_feed[0]["reject_reason"] == "ingest_bad_feed"
    empty = _one("h.atom", '<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title></feed>', "atom")
    assert (empty[0]["reject_reason"], empty[0]["format"]) == ("ingest_empty", "atom")


def test_feed_entities_are_not_expanded_or_fetched(tmp_path: Path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    xml = (
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://{secret}">'
        '<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        "<rss><channel><title>T</title><item><title>x</title>"
        f"<description>{ARTICLE} &xxe; &b;</description></item></channel></rss>"
    )
    rows = _one("x.rss", xml, "rss")
    assert len(rows) == 1
    assert "TOP SECRET" not in (rows[0]["raw_text"] or "")
    assert "aaaaaaaaaa" not in (rows[0]["raw_text"] or "")


def test_html_without_article_text():
    rows = _one("n.html", "<html><head><script>track()</script></head><body><img src=x></body></html>", "html")
    assert rows[0]["reject_reason"] == "ingest_no_main_text"
    assert _one("e.html", "  \n ", "html")[0]["reject_reason"] == "ingest_empty"


def test_markdown_front_matter_and_markup():
    # what strict YAML refuses is read line by line and noted; the article is kept
    bad = _one("b.md", "---\ntitle: [unclosed\n---\nBody text here.\n", "md")
    assert (bad[0]["status"], bad[0]["title"], bad[0]["raw_text"]) == ("ok", "[unclosed", "Body text here.")
    assert bad[0]["ingest_notes"] == ["front_matter_repaired"]
    unclosed = _one("u.md", "---\ntitle: x\nBody text here.\n", "md")
    assert unclosed[0]["reject_reason"] == "ingest_bad_front_matter"
    plain = _one("p.md", f"{ARTICLE}\n", "md")
    assert (plain[0]["status"], plain[0]["title"], plain[0]["raw_text"]) == ("ok", None, ARTICLE)
    text = markdown_to_text(
        "Title\n=====\n\nA *wrapped*\nparagraph with `code` and a [link](http://x).\n\n"
        "1. first\n2. second\n\n```\nkept code\n```\n[ref]: http://example.com\n---\n"
    )
    assert text.split("\n") == ["Title", "A wrapped paragraph with code and a link.", "first", "second", "kept code"]


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2024-11-04T08:15:00+00:00", date(2024, 11, 4)),
        ("Thu, 11 Jul 2024 23:00:00 -0500", date(2024, 7, 11)),
        ("19 June 2024", date(2024, 6, 19)),
        ("June 19, 2024", date(2024, 6, 19)),
        (date(2024, 1, 2), date(2024, 1, 2)),
        (1727740800, date(2024, 10, 1)),
        (1727740800000, date(2024, 10, 1)),
        ("2024-13-45", None),
        ("yesterday", None),
        (None, None),
    ],
)
def test_parse_published(value, expected):
    assert parse_published(value) == expected


def test_non_utf8_legacy_encodings():
    russian = "Северная Корея отправила войска в Россию, сообщили в понедельник официальные лица."
    row = _one("r.txt", russian.encode("cp1251"), "txt")[0]
    assert (row["status"], row["encoding"], row["raw_text"]) == ("ok", "cp1251", russian)
    assert detect_language(row["raw_text"]) == "ru"
    utf16_html = f"<html><body><article><p>{ARTICLE} {ARTICLE}</p><p>{ARTICLE}</p></article></body></html>"
    row = _one("u.html", utf16_html.encode("utf-16"), "html")[0]
    assert row["status"] == "ok" and row["encoding"] == "utf-16"


# --------------------------------------------------------------------------- hostile inputs


def _write_hostile_folder(root: Path, outside: Path) -> dict[str, str]:
    """Every hostile case, and the reject reason (or 'ok') each record must get."""
    rng = random.Random(7)
    (root / "sub dir ünï").mkdir(parents=True)
    expected: dict[str, str] = {}

    def put(name: str, data: bytes, outcome: str) -> None:
        (root / name).write_bytes(data)
        expected[name] = outcome

    put("good.txt", ARTICLE.encode(), "ok")
    put("sub dir ünï/naïve name with spaces.txt", (ARTICLE + " Again.").encode(), "ok")
    put("empty.txt", b"", "ingest_empty")
    put("whitespace.txt", b" \n\t\r\n   \n", "ingest_empty")
    put("binary.txt", rng.randbytes(4096), "ingest_not_text")
    put("png-in-disguise.html", b"\x89PNG\r\n\x1a\n" + rng.randbytes(2048), "ingest_not_text")
    put("nul-and-escapes.txt", b"North\x00 Korea \x1b[31msent\x1b[0m troops.\x1b]0;pwned\x07 Officials said so.", "ok")
    put("truncated.json", b'{"articles": [{"text": "cut off in the mid', "ingest_bad_json")
    put("empty-records.jsonl", b"\n\n   \n", "ingest_empty")
    put("image.png", b"\x89PNG\r\n", "ingest_unsupported_format")
    # A single 30 MB file: rejected by its size, never read.
    with open(root / "huge.txt", "wb") as handle:
        chunk = (ARTICLE + "\n").encode() * 10_000
        while handle.tell() < 30_000_000:
            handle.write(chunk)
    expected["huge.txt"] = "ingest_too_large"
    # A 2 MB line without punctuation: longer than any record may be.
    put("long-line.txt", b"token " * 350_000, "ingest_too_large")
    # A JSONL export broken in the middle: its good records still get through.
    lines = [json.dumps({"title": f"T{i}", "text": f"{ARTICLE} Number {i}."}) for i in range(3)]
    put("partly-broken.jsonl", "\n".join([lines[0], '{"text": "broken', lines[1], "", lines[2]]).encode(), "")
    expected.update(
        {
            "partly-broken.jsonl#0": "ok",
            "partly-broken.jsonl#1": "ingest_bad_json",
            "partly-broken.jsonl#2": "ok",
            "partly-broken.jsonl#3": "ok",
        }
    )
    del expected["partly-broken.jsonl"]
    # Links out of the input folder are refused, a file link and a folder link alike.
    (outside / "secret.txt").write_text("outside the input")
    os.symlink(outside / "secret.txt", root / "link.txt")
    os.symlink(outside, root / "linked-folder")
    expected["link.txt"] = "ingest_outside_input"
    expected["linked-folder"] = "ingest_outside_input"
    return expected


def test_hostile_folder_is_fast_complete_and_keeps_good_records(tmp_path: Path):
    root, outside = tmp_path / "in", tmp_path / "outside"
    outside.mkdir()
    expected = _write_hostile_folder(root, outside)
    started = time.monotonic()
    rows = _rows(root)
    elapsed = time.monotonic() - started
    assert elapsed < 10, f"ingest took {elapsed:.1f}s over the hostile folder"
    got = {r["source_path"]: (r["reject_reason"] or r["status"]) for r in rows}
    assert got == expected
    assert len({r["doc_id"] for r in rows}) == len(rows)
    for row in rows:
        assert row["reject_reason"] is None or row["reject_detail"], row["source_path"]
        assert (row["raw_text"] is None) == (row["status"] == "rejected")
    cleaned = next(r for r in rows if r["source_path"] == "nul-and-escapes.txt")["raw_text"]
    assert cleaned == "North Korea sent troops. Officials said so."
    to_arrow(DOCUMENTS, rows)  # every row fits the declared schema


def test_token_soup_line_is_rejected_in_linear_time():
    params = IngestParams(max_record_chars=5_000_000)
    soup = b"token " * 350_000  # 2.1 MB, one line, no sentence end
    started = time.monotonic()
    row = ingest_record("soup.txt", soup, "txt", params)
    assert time.monotonic() - started < 2
    assert row["reject_reason"] == "ingest_no_sentences"
    assert "max_unpunctuated_chars" in row["reject_detail"]
    # The same words with full stops are text: long lines of real sentences are fine.
    prose = ("This is a sentence. " * 100_000).encode()
    assert ingest_record("prose.txt", prose, "txt", params)["status"] == "ok"
    assert longest_unpunctuated_run("a. bb!\nccc") == 3


def test_oversized_html_is_rejected_before_extraction():
    page = b"<html><body><p>" + b"North Korea sent troops. " * 1000 + b"</p></body></html>"
    row = ingest_record("big.html", page, "html", IngestParams(max_html_bytes=10_000))
    assert row["reject_reason"] == "ingest_too_large" and "max_html_bytes" in row["reject_detail"]


def test_file_growing_after_listing_is_still_capped(tmp_path: Path):
    root = tmp_path / "in"
    root.mkdir()
    (root / "a.txt").write_text(ARTICLE)
    params = IngestParams(max_bytes=100)
    files = list_inputs(root, params)
    (root / "a.txt").write_text(ARTICLE * 10)
    rows = list(ingest_files(files, params))
    assert rows[0]["reject_reason"] == "ingest_too_large"


# ------------------------------------------------------------------ shapes seen in real exports


def test_front_matter_dates_authors_and_toml():
    bad_date = _one("a.md", f"---\ntitle: A\ndate: 2024-13-45\nauthor: Jane Doe\n---\n{ARTICLE}\n", "md")[0]
    assert (bad_date["status"], bad_date["title"], bad_date["published"], bad_date["author"]) == (
        "ok", "A", None, "Jane Doe"
    )
    stamp = _one("b.md", f"---\ndate: 2024-11-29T23:30:00-05:00\n---\n{ARTICLE}\n", "md")[0]
    assert stamp["published"] == date(2024, 11, 29)  # the day as written, not moved to UTC
    written = _one("c.md", f"---\ndate: Nov. 29, 2024\nauthors:\n  - Jane Doe\n  - name: John Roe\n---\n{ARTICLE}\n", "md")[0]
    assert (written["published"], written["author"]) == (date(2024, 11, 29), "Jane Doe; John Roe")
    compact = _one("d.md", f"---\ntitle: 1984\ndate: 20241129\n---\n{ARTICLE}\n", "md")[0]
    assert (compact["title"], compact["published"]) == ("1984", date(2024, 11, 29))
    toml = _one("e.md", f'+++\ntitle = "T"\ndate = 2024-11-29\nauthor = "Jane Doe"\n+++\n\n{ARTICLE}\n', "md")[0]
    assert (toml["status"], toml["title"], toml["published"], toml["author"], toml["raw_text"]) == (
        "ok", "T", date(2024, 11, 29), "Jane Doe", ARTICLE
    )
    # front matter a strict parser refuses is read line by line: the article is never lost
    bad_toml = _one("f.md", f"+++\ntitle = \ndate = 2024-11-29\n+++\n{ARTICLE}\n", "md")[0]
    assert (bad_toml["status"], bad_toml["title"], bad_toml["published"], bad_toml["raw_text"]) == (
        "ok", None, date(2024, 11, 29), ARTICLE
    )
    assert bad_toml["ingest_notes"] == ["front_matter_repaired"]
    # an unsafe YAML tag constructs nothing: it is only text
    unsafe = _one("g.md", f"---\ntitle: !!python/object/apply:os.system ['true']\n---\n{ARTICLE}\n", "md")[0]
    assert (unsafe["status"], unsafe["ingest_notes"]) == ("ok", ["front_matter_repaired"])


def test_json_records_nested_under_a_wrapper():
    doc = {"status": "ok", "data": {"articles": [{"title": "A", "text": ARTICLE}, {"title": "B", "text": ARTICLE}]}}
    rows = _one("n.json", json.dumps(doc), "json")
    assert [(r["source_path"], r["status"], r["title"]) for r in rows] == [("n.json#0", "ok", "A"), ("n.json#1", "ok", "B")]
    other_key = {"response": {"docs": [{"headline": "H", "body": ARTICLE}]}}
    rows = _one("o.json", json.dumps(other_key), "json")
    assert [(r["source_path"], r["status"], r["title"]) for r in rows] == [("o.json#0", "ok", "H")]


def test_json_text_field_of_other_types():
    wordpress = {"title": {"rendered": "Kim &amp; Putin"}, "content": {"rendered": f"<p>{ARTICLE}</p>"}}
    row = _one("wp.json", json.dumps(wordpress), "json")[0]
    assert (row["status"], row["title"], row["raw_text"]) == ("ok", "Kim & Putin", ARTICLE)
    paragraphs = _one("p.json", json.dumps({"text": [ARTICLE, ARTICLE]}), "json")[0]
    assert paragraphs["raw_text"] == f"{ARTICLE}\n{ARTICLE}"
    number = _one("n.json", json.dumps({"title": "N", "text": 12345}), "json")[0]
    assert (number["reject_reason"], number["reject_detail"]) == ("ingest_no_text_field", "the text field holds a number, not text")
    assert _one("b.json", json.dumps({"text": True}), "json")[0]["reject_reason"] == "ingest_no_text_field"
    assert _one("z.json", json.dumps({"text": None}), "json")[0]["reject_reason"] == "ingest_no_text_field"
    nan = _one("f.json", '{"title": NaN, "text": "' + ARTICLE + '", "date": Infinity}', "json")[0]
    assert (nan["status"], nan["title"], nan["published"]) == ("ok", None, None)


def test_json_that_python_cannot_convert_is_a_bad_record_not_a_crash():
    huge = '{"text": "' + ARTICLE + '", "date": ' + "9" * 5000 + "}"
    assert _one("h.json", huge, "json")[0]["reject_reason"] == "ingest_bad_json"
    rows = _one("h.jsonl", huge + "\n" + json.dumps({"text": ARTICLE}), "jsonl")
    assert [r["reject_reason"] or r["status"] for r in rows] == ["ingest_bad_json", "ok"]


def test_json_lines_and_json_saved_under_each_others_names():
    pretty = json.dumps({"title": "P", "text": ARTICLE}, indent=2)
    assert [(r["status"], r["title"]) for r in _one("p.jsonl", pretty, "jsonl")] == [("ok", "P")]
    lines = "\n".join(json.dumps({"title": t, "text": ARTICLE}) for t in "AB")
    rows = _one("l.json", lines, "json")
    assert [(r["source_path"], r["status"], r["title"]) for r in rows] == [("l.json#0", "ok", "A"), ("l.json#1", "ok", "B")]
    bom_blank = "\ufeff" + json.dumps({"title": "A", "text": ARTICLE}) + "\r\n\r\n" + json.dumps({"title": "B", "text": ARTICLE})
    rows = _one("b.jsonl", bom_blank, "jsonl")
    assert [(r["source_path"], r["title"]) for r in rows] == [("b.jsonl#0", "A"), ("b.jsonl#1", "B")]


def test_csv_with_excel_separator_line_and_multiline_fields():
    rows = _one("x.csv", f'sep=;\ntitle;text;date\nA;"{ARTICLE}\n\nSecond paragraph.";Nov. 29, 2024\n', "csv")
    assert [(r["status"], r["title"], r["published"]) for r in rows] == [("ok", "A", date(2024, 11, 29))]
    assert rows[0]["raw_text"] == f"{ARTICLE}\nSecond paragraph."  # one paragraph per line


def test_web_page_saved_as_txt_is_read_as_html():
    page = f"<!DOCTYPE html>\n<html><head><title>T</title></head><body><article><p>{ARTICLE}</p><p>{ARTICLE}</p></article><script>track()</script></body></html>"
    row = _one("page.txt", page, "txt")[0]
    assert (row["status"], row["format"]) == ("ok", "html")
    assert "<p>" not in row["raw_text"] and "track()" not in row["raw_text"]
    # text that merely mentions a tag stays text
    assert _one("t.txt", f"Use <html> tags. {ARTICLE}", "txt")[0]["format"] == "txt"
    # comments before the page are skipped, and a run of them cannot make the sniffing backtrack
    assert _one("c.txt", "<!-- saved -->\n" + page, "txt")[0]["format"] == "html"
    started = time.monotonic()
    assert _one("n.txt", "<!-- x -->" * 490 + "<!--", "txt")[0]["format"] == "txt"
    assert time.monotonic() - started < 1


def test_html_date_is_not_guessed_from_a_copyright_line():
    page = f"<html><body><article><p>{ARTICLE}</p><p>{ARTICLE}</p></article><footer>© 2021 Outlet</footer></body></html>"
    assert _one("c.html", page, "html")[0]["published"] is None


def test_deeply_nested_html_says_why_it_has_no_text():
    page = "<html><body>" + "<div>" * 5000 + f"<p>{ARTICLE}</p>" + "</div>" * 5000 + "</body></html>"
    row = _one("deep.html", page, "html")[0]
    assert row["reject_reason"] == "ingest_no_main_text" and "255 deep" in row["reject_detail"]


def test_atom_html_title_is_unescaped():
    feed = (
        '<feed xmlns="http://www.w3.org/2005/Atom"><entry><title type="html">Kim &amp;amp; &lt;b&gt;Putin&lt;/b&gt;</title>'
        f'<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>{ARTICLE}</p></div></content></entry></feed>'
    )
    row = _one("a.atom", feed, "atom")[0]
    assert (row["status"], row["title"], row["raw_text"]) == ("ok", "Kim & Putin", ARTICLE)


@pytest.mark.parametrize(
    "value, expected",
    [
        (20241129, date(2024, 11, 29)),
        ("20241129", date(2024, 11, 29)),
        ("1727740800", date(2024, 10, 1)),
        ("Nov. 29, 2024", date(2024, 11, 29)),
        ("2024-11-29T10:00:00+09:00", date(2024, 11, 29)),
        ({"$date": "2024-11-29T00:00:00Z"}, date(2024, 11, 29)),
        (0, None),
        (20241399, None),
        (float("nan"), None),
    ],
)
def test_parse_published_more_shapes(value, expected):
    assert parse_published(value) == expected


def test_lone_surrogates_from_json_escapes_are_replaced_not_a_crash():
    data = json.dumps({"title": "T\ud800", "text": ARTICLE + " \udc80", "author": ["\udfff"]})
    rows = _one("s.jsonl", data, "jsonl") + _one("s.json", data, "json")
    assert [(r["status"], r["title"], r["author"], r["raw_text"]) for r in rows] == [
        ("ok", "T\ufffd", "\ufffd", ARTICLE + " \ufffd")
    ] * 2
    to_arrow(DOCUMENTS, rows)  # stored as UTF-8


@pytest.mark.parametrize("ref", ["&#x1b;", "&#27;", "&#0;", "&#xD800;", "&#xFFFE;", "&#x110000;"])
def test_character_references_xml_cannot_hold_do_not_lose_the_text(ref):
    body = f"<p>{ARTICLE} {ARTICLE} {ARTICLE}{ref}</p><p>{ARTICLE} {ARTICLE}</p>"
    page = _one("p.html", f"<html><body><article>{body}</article></body></html>", "html")[0]
    assert page["status"] == "ok" and page["raw_text"].startswith(ARTICLE)
    feed = f"<rss><channel><item><title>T{ref}</title><description>{ARTICLE}{ref}</description></item></channel></rss>"
    item = _one("f.rss", feed, "rss")[0]
    assert (item["status"], item["title"], item["raw_text"]) == ("ok", "T", ARTICLE)


def test_json_list_without_objects_is_one_rejected_row():
    rows = _one("v.json", json.dumps(list(range(10_000))), "json")
    assert [(r["source_path"], r["reject_reason"], r["reject_detail"]) for r in rows] == [
        ("v.json", "ingest_bad_json", "a list of 10000 int values, not of objects")
    ]
    mixed = _one("m.json", json.dumps([{"text": ARTICLE}, "stray"]), "json")
    assert [r["reject_reason"] or r["status"] for r in mixed] == ["ok", "ingest_bad_json"]


def test_escaped_markup_in_a_text_field_is_read_as_html():
    row = _one("e.jsonl", json.dumps({"text": f"&lt;p&gt;{ARTICLE}&lt;/p&gt;&lt;p&gt;Two &amp;amp; three.&lt;/p&gt;"}), "jsonl")[0]
    assert row["raw_text"] == f"{ARTICLE}\nTwo & three."
    # an entity in plain text is decoded (one text normaliser for every reader), and stays text
    plain = _one("p.jsonl", json.dumps({"text": f"{ARTICLE} Profits &lt; costs."}), "jsonl")[0]
    assert plain["raw_text"] == f"{ARTICLE} Profits < costs."


def test_schema_org_json_ld_article():
    ld = {
        "@context": "https://schema.org", "@type": "NewsArticle", "headline": "LD", "articleBody": ARTICLE,
        "description": "A summary.", "datePublished": "2024-11-29T10:00:00+09:00",
        "author": [{"@type": "Person", "name": "Jane Doe"}], "publisher": {"@type": "Organization", "name": "Outlet"},
    }
    row = _one("ld.json", json.dumps(ld), "json")[0]
    assert (row["status"], row["title"], row["published"], row["author"], row["outlet"], row["raw_text"]) == (
        "ok", "LD", date(2024, 11, 29), "Jane Doe", "Outlet", ARTICLE
    )


def test_metadata_nested_to_the_recursion_limit_is_never_a_crash():
    # json parses a document a few frames above where its values are read: at the limit, reading
    # the title, author or date must give a row, not a RecursionError that stops the run.
    import sys

    limit = sys.getrecursionlimit()
    for depth in range(limit - 150, limit, 2):
        for field, key in (("title", "name"), ("date", "$date")):
            nested = f'{{"{key}": ' * depth + '"x"' + "}" * depth
            data = f'{{"{field}": {nested}, "body": "{ARTICLE}"}}'
            for fmt in ("jsonl", "json"):
                rows = _one(f"d.{fmt}", data, fmt)
                assert len(rows) == 1 and rows[0]["status"] in ("ok", "rejected")


def test_front_matter_nested_too_deeply_is_read_line_by_line():
    row = _one("y.md", "---\ntitle: " + "[" * 5000 + "]" * 5000 + f"\n---\n{ARTICLE}\n", "md")[0]
    assert (row["status"], row["title"], row["raw_text"]) == ("ok", None, ARTICLE)
    assert row["ingest_notes"] == ["front_matter_repaired", "title_too_long"]
