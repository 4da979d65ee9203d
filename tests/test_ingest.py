import codecs
import os
from pathlib import Path

import pytest

from tasks.formats import ingest_record
from tasks.formats.base import make_doc_id
from tasks.formats.decoding import decode_bytes
from tasks.ingest import ingest_files, list_inputs
from tasks.text import normalise_text
from tasks.params import IngestParams

PARAMS = IngestParams()
ARTICLE = "North Korea has sent troops to Russia. Officials said so on Monday."


@pytest.mark.parametrize(
    "data, encoding",
    [
        (ARTICLE.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + ARTICLE.encode("utf-8"), "utf-8-sig"),
        (ARTICLE.encode("utf-16"), "utf-16"),
        (ARTICLE.encode("utf-16-le"), "utf-16-le"),
        ("Kim’s “visit” – café".encode("cp1252"), "cp1252"),
    ],
)
def test_decode_bytes_detects_encoding(data, encoding):
    text, found = decode_bytes(data)
    assert found == encoding
    assert text.lstrip("\ufeff") in (ARTICLE, "Kim’s “visit” – café")


def test_normalise_text_removes_controls_escapes_and_crlf():
    raw = "Line one\r\nLine\x00 two\x1b[31m red\x1b[0m\rend\u0065\u0301"
    assert normalise_text(raw) == "Line one\nLine two red\nendé"


def test_ingest_record_accepts_text_and_rejects_empty_and_binary():
    ok = ingest_record("a.txt", ARTICLE.encode(), "txt", PARAMS)
    assert ok["status"] == "ok" and ok["raw_text"] == ARTICLE and ok["reject_reason"] is None
    empty = ingest_record("b.txt", b"  \n\t \n", "txt", PARAMS)
    assert (empty["status"], empty["reject_reason"], empty["raw_text"]) == ("rejected", "ingest_empty", None)
    binary = ingest_record("c.txt", bytes(range(256)) * 20, "txt", PARAMS)
    assert binary["reject_reason"] == "ingest_not_text"


def test_doc_id_depends_on_place_and_content():
    sha = "0" * 64
    assert make_doc_id("a.txt", sha) == make_doc_id("a.txt", sha)
    assert make_doc_id("a.txt", sha) != make_doc_id("copy/a.txt", sha)
    assert make_doc_id("a.txt", sha) != make_doc_id("a.txt", "1" * 64)


def test_every_file_is_accounted_for(tmp_path: Path):
    root = tmp_path / "in"
    (root / "sub dir").mkdir(parents=True)
    (root / "good.txt").write_text(ARTICLE)
    (root / "sub dir" / "ünïcode name.txt").write_text(ARTICLE + " Again.")
    (root / "empty.txt").write_bytes(b"")
    (root / "image.png").write_bytes(b"\x89PNG\r\n")
    (root / "big.txt").write_text("word " * 100)
    outside = tmp_path / "secret.txt"
    outside.write_text("outside")
    os.symlink(outside, root / "link.txt")
    params = IngestParams(max_bytes=200)
    rows = list(ingest_files(list_inputs(root, params), params))
    by_path = {r["source_path"]: r for r in rows}
    assert len(rows) == 6
    assert by_path["good.txt"]["status"] == "ok"
    assert by_path["sub dir/ünïcode name.txt"]["status"] == "ok"
    assert by_path["empty.txt"]["reject_reason"] == "ingest_empty"
    assert by_path["image.png"]["reject_reason"] == "ingest_unsupported_format"
    assert by_path["big.txt"]["reject_reason"] == "ingest_too_large"
    assert by_path["link.txt"]["reject_reason"] == "ingest_outside_input"
    assert by_path["link.txt"]["raw_text"] is None


def test_missing_input_folder_is_a_clear_error(tmp_path: Path):
    with pytest.raises(FileNotFoundError, match="does not exist"):
        list_inputs(tmp_path / "nope", PARAMS)


def test_symlinked_folder_is_listed_not_followed(tmp_path: Path):
    root = tmp_path / "in"
    (root / "real").mkdir(parents=True)
    (root / "real" / "a.txt").write_text(ARTICLE)
    os.symlink(root / "real", root / "alias")  # inside the root: would read a.txt twice
    rows = list(ingest_files(list_inputs(root, PARAMS), PARAMS))
    got = {r["source_path"]: r["reject_reason"] or r["status"] for r in rows}
    assert got == {"real/a.txt": "ok", "alias": "ingest_not_a_file"}


def test_decode_bytes_uses_a_declared_charset_and_spots_other_scripts():
    text = "Grüße aus Köln: 5 €"
    assert decode_bytes(text.encode("iso-8859-15"), declared="ISO-8859-15") == (text, "iso8859-15")
    assert decode_bytes(text.encode("utf-8"), declared="ISO-8859-1") == (text, "utf-8")
    greek = "Η Βόρεια Κορέα έστειλε στρατεύματα στη Ρωσία, δήλωσαν αξιωματούχοι τη Δευτέρα."
    decoded, encoding = decode_bytes(greek.encode("cp1253"))
    assert decoded == greek and encoding == "cp1253"


def test_documents_table_from_every_format_passes_its_suite(tmp_path: Path):
    from tasks.quality import validate_table
    from tasks.schemas import DOCUMENTS, to_arrow

    golden = Path(__file__).parent / "golden"
    root = tmp_path / "in"
    root.mkdir()
    for path in [*(golden / "records").iterdir(), *(golden / "html").glob("0[12]*.html")]:
        if not path.name.endswith(".expect.json"):
            (root / path.name).write_bytes(path.read_bytes())
    (root / "empty.txt").write_bytes(b"")
    (root / "bad.json").write_text("{")
    rows = list(ingest_files(list_inputs(root, PARAMS), PARAMS))
    verdict = validate_table("documents", to_arrow(DOCUMENTS, rows), {"n_inputs": len(rows)})
    assert verdict.success, verdict.failures
    assert {r["format"] for r in rows} == {"txt", "html", "md", "json", "jsonl", "csv", "rss", "atom"}


# ------------------------------------------------------------------ entries that are not articles


def test_special_entries_are_rows_with_what_they_are(tmp_path: Path):
    import socket

    root = tmp_path / "in"
    root.mkdir()
    (root / "good.txt").write_text(ARTICLE)
    os.mkfifo(root / "pipe.txt")  # opening it would block the run
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(root / "sock.txt"))
    (root / "folder.txt").mkdir()
    (root / "folder.txt" / "inner.txt").write_text(ARTICLE)
    os.symlink("missing.txt", root / "dangling.txt")
    os.symlink("loop_b.txt", root / "loop_a.txt")
    os.symlink("loop_a.txt", root / "loop_b.txt")
    os.symlink("good.txt", root / "alias.txt")  # inside the folder: read like a copy
    rows = list(ingest_files(list_inputs(root, PARAMS), PARAMS))
    got = {r["source_path"]: (r["reject_reason"] or r["status"], r["reject_detail"]) for r in rows}
    assert got == {
        "good.txt": ("ok", None),
        "alias.txt": ("ok", None),
        "folder.txt/inner.txt": ("ok", None),
        "pipe.txt": ("ingest_not_a_file", "a named pipe (FIFO), not a regular file"),
        "sock.txt": ("ingest_not_a_file", "a socket, not a regular file"),
        "dangling.txt": ("ingest_unreadable", "a symbolic link to a file that does not exist"),
        "loop_a.txt": ("ingest_unreadable", "a symbolic link that loops back on itself"),
        "loop_b.txt": ("ingest_unreadable", "a symbolic link that loops back on itself"),
    }


def test_file_name_that_is_not_utf8_is_stored_escaped(tmp_path: Path):
    root = tmp_path / "in"
    root.mkdir()
    (root / os.fsdecode(b"caf\xe9.txt")).write_text(ARTICLE)  # a Latin-1 name on a UTF-8 system
    files = list_inputs(root, PARAMS)
    assert [f.source_path for f in files] == ["caf\\xe9.txt"]
    rows = list(ingest_files(files, PARAMS))
    assert rows[0]["status"] == "ok" and rows[0]["source_path"] == "caf\\xe9.txt"


def test_unreadable_file_and_folder_are_rows_not_a_crash(tmp_path: Path, monkeypatch):
    # chmod 000 does not stop root, so permission errors are simulated where the code meets them.
    root = tmp_path / "in"
    (root / "locked dir").mkdir(parents=True)
    (root / "locked dir" / "a.txt").write_text(ARTICLE)
    (root / "locked.txt").write_text(ARTICLE)
    (root / "good.txt").write_text(ARTICLE)
    real_open, real_scandir = os.open, os.scandir

    def fake_open(path, *args, **kwargs):
        if str(path).endswith("locked.txt"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    def fake_scandir(path="."):
        if str(path).endswith("locked dir"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "open", fake_open)
    monkeypatch.setattr(os, "scandir", fake_scandir)
    files = list_inputs(root, PARAMS)
    got = {f.source_path: (f.problem, f.detail) for f in files}
    assert got == {
        "good.txt": (None, None),
        "locked.txt": ("ingest_unreadable", "cannot be opened: Permission denied"),
        "locked dir": ("ingest_unreadable", "a folder that cannot be listed: Permission denied"),
    }
    monkeypatch.setattr(os, "scandir", lambda path=".": (_ for _ in ()).throw(PermissionError(13, "Permission denied", str(path))))
    with pytest.raises(PermissionError, match="cannot be listed"):
        list_inputs(root, PARAMS)


def test_stat_problems_say_what_is_wrong(tmp_path: Path):
    root = tmp_path / "in"
    root.mkdir()
    (root / "big.txt").write_text("x" * 300)
    (root / "notes.docx").write_text("x")
    got = {f.source_path: (f.problem, f.detail) for f in list_inputs(root, IngestParams(max_bytes=200))}
    assert got["big.txt"] == ("ingest_too_large", "300 bytes > max_bytes=200")
    assert got["notes.docx"][0] == "ingest_unsupported_format" and "'.docx'" in got["notes.docx"][1]


# ----------------------------------------------------------------------------- bytes and text


@pytest.mark.parametrize(
    "data, encoding",
    [
        (ARTICLE.encode("utf-32-le"), "utf-32-le"),
        (ARTICLE.encode("utf-32-be"), "utf-32-be"),
        (ARTICLE.encode("utf-32"), "utf-32"),
    ],
)
def test_decode_bytes_reads_utf32_with_or_without_bom(data, encoding):
    assert decode_bytes(data) == (ARTICLE, encoding)


def test_decode_bytes_keeps_utf8_when_a_few_bytes_are_latin1():
    data = "Café in Zürich – “quoted”. ".encode("utf-8") + "Le café était prêt.".encode("latin-1")
    assert decode_bytes(data) == ("Café in Zürich – “quoted”. Le café était prêt.", "utf-8+cp1252")
    # A legacy file with one accidental UTF-8 pair stays a legacy file.
    legacy_text = "Le président a déclaré à Genève que la réunion était prête. Ã© " + ARTICLE
    assert decode_bytes(legacy_text.encode("cp1252")) == (legacy_text, "cp1252")


@pytest.mark.parametrize(
    "data, kind",
    [
        (b"PK\x03\x04\x14\x00\x00\x00" + b"word/document.xml" + ARTICLE.encode() * 5, "ZIP archive"),
        (b"\x1f\x8b\x08\x00" + b"a" * 200, "gzip"),
        (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nBT (" + ARTICLE.encode() + b") Tj ET\n", "PDF"),
        (b"{\\rtf1\\ansi " + ARTICLE.encode() + b"}", "RTF"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + ARTICLE.encode() * 5, "OLE2"),
    ],
)
def test_binary_formats_with_a_text_extension_are_not_text(data, kind):
    row = ingest_record("renamed.txt", data, "txt", PARAMS)
    assert row["reject_reason"] == "ingest_not_text"
    assert kind in row["reject_detail"]


def test_invisible_characters_are_removed_and_do_not_count_as_text():
    raw = "\u202eevil\u202c Nor\u00adth \u200bKorea\ufeff sent\u2066 troops.\u2069"
    assert normalise_text(raw) == "evil North Korea sent troops."
    assert normalise_text("\u200d\U0001F469\u200d\U0001F467") == "\u200d\U0001F469\u200d\U0001F467"  # joiners stay
    row = ingest_record("zw.txt", "\u200b\u200c\u200d\u2060\ufeff \n".encode() * 20, "txt", PARAMS)
    assert row["reject_reason"] == "ingest_empty"


def test_page_breaks_and_unicode_line_breaks_end_a_line():
    assert normalise_text("Page one ends.\x0cPage two.\x0bNext\x85line\u2028and\u2029more") == (
        "Page one ends.\nPage two.\nNext\nline\nand\nmore"
    )


# --------------------------------------------------------------- real shapes (tests/golden, issue 14)

NAVER = (
    "---\nid: 001_0015816647\ntitle: \"N. Korea&#x27;s Kim inspects &quot;new&quot; factory\"\ncategory: \n"
    "publisher: 연합뉴스\nauthor: \n\t\t\n\t\t\t김현수(sookim@yna.co.kr)\n\t\t\n\t\npublished_at: 2025-12-28 00:00\n"
    "crawled_at: 2025-12-28 00:50:32\n---\n\n# N. Korea&#x27;s Kim inspects factory\n\n"
    "Officials said the factory&#x27;s output &quot;doubled&quot; this year.The plant makes shells.\n"
)


def test_front_matter_that_strict_yaml_refuses_is_read_and_noted():
    row = ingest_record("k.md", NAVER.encode(), "md", PARAMS)
    assert row["status"] == "ok"
    assert row["title"] == 'N. Korea\'s Kim inspects "new" factory'
    assert row["author"] == "김현수"
    assert str(row["published"]) == "2025-12-28" and str(row["retrieved"]) == "2025-12-28"
    assert row["ingest_notes"] == ["author_email_removed", "front_matter_repaired"]
    # entities decoded and the glued sentences split
    assert 'output "doubled" this year.\nThe plant makes shells.' in row["raw_text"]


def test_front_matter_with_literal_newlines_is_mended():
    text = "---\\ntitle: 'Pompeo says Putin needs a ''bigger stick'''\ndate: 2025-12-29\ndraft: false\n---\n" + ARTICLE
    row = ingest_record("f.md", text.encode(), "md", PARAMS)
    assert (row["status"], row["title"], row["raw_text"]) == ("ok", "Pompeo says Putin needs a 'bigger stick'", ARTICLE)
    assert row["ingest_notes"] == ["front_matter_literal_newlines"]


def test_impossible_values_are_dropped_with_a_note_and_the_record_kept():
    from datetime import date

    params = IngestParams(latest_published=date(2026, 12, 4))
    future = ingest_record("a.md", f"---\ntitle: T\ndate: 2150-01-01\n---\n{ARTICLE}".encode(), "md", params)
    assert (future["status"], future["published"], future["ingest_notes"]) == ("ok", None, ["published_in_future"])
    old = ingest_record("b.md", f"---\ndate: 1850-01-01\n---\n{ARTICLE}".encode(), "md", params)
    assert (old["published"], old["ingest_notes"]) == (None, ["published_too_early"])
    long_title = ingest_record("c.md", f"---\ntitle: {'A' * 50_000}\n---\n{ARTICLE}".encode(), "md", params)
    assert (long_title["status"], long_title["title"], long_title["ingest_notes"]) == ("ok", None, ["title_too_long"])
    numbers = ingest_record("d.md", f"---\nauthor: 12\nurl: true\n---\n{ARTICLE}".encode(), "md", params)
    assert (numbers["author"], numbers["url"], numbers["ingest_notes"]) == (None, None, ["author_not_text", "url_not_text"])


def test_limits_are_per_record_and_a_large_export_streams(tmp_path: Path):
    from tasks.formats.base import Source
    from tasks.formats.jsonfile import read_jsonl

    record = {"title": "T", "text": ARTICLE * 3}
    n = 2_000
    lines = [__import__("json").dumps({**record, "title": f"T{i}"}) for i in range(n)]
    lines.insert(7, __import__("json").dumps({"title": "huge", "text": "x. " * 40_000}))
    path = tmp_path / "export.jsonl"
    path.write_text("\n".join(lines) + "\n")
    params = IngestParams(max_bytes=100_000)  # the file is ~900 KB: nine times one record's limit
    assert path.stat().st_size > 5 * params.max_bytes
    files = list_inputs(tmp_path, params)
    assert [f.problem for f in files] == [None]
    rows = list(ingest_files(files, params))
    assert len(rows) == n + 1
    assert sum(r["status"] == "ok" for r in rows) == n
    [huge] = [r for r in rows if r["status"] != "ok"]
    assert (huge["reject_reason"], huge["source_path"]) == ("ingest_too_large", "export.jsonl#7")
    assert "line 8" in huge["reject_detail"]
    # the same rows whether the file is read from disk a line at a time or from bytes
    from_bytes = list(read_jsonl(Source.from_bytes("export.jsonl", path.read_bytes(), "jsonl"), params))
    assert [r["doc_id"] for r in from_bytes] == [r["doc_id"] for r in rows]
    # a file of many records has its own, larger bound
    assert list_inputs(tmp_path, IngestParams(max_file_bytes=1_000))[0].problem == "ingest_too_large"


def test_the_tally_names_rejected_and_repaired_records():
    from tasks.ingest import IngestTally

    tally = IngestTally(max_listed=1)
    rows = [
        ingest_record("a.md", NAVER.encode(), "md", PARAMS),
        ingest_record("b.txt", b"", "txt", PARAMS),
        ingest_record("c.txt", b"\x00\x01\x02" * 50, "txt", PARAMS),
    ]
    for row in rows:
        tally.add(row)
    assert tally.rejected == [{"file": "b.txt", "reason": "ingest_empty", "detail": rows[1]["reject_detail"]}]
    assert tally.repaired == [{"file": "a.md", "notes": "author_email_removed, front_matter_repaired"}]
    assert tally.notes == {"author_email_removed": 1, "front_matter_repaired": 1}
    assert tally.reasons == {None: 1, "ingest_empty": 1, "ingest_not_text": 1}
