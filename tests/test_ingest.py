import codecs
import os
from pathlib import Path

import pytest

from tasks.ingest import decode_bytes, ingest_files, ingest_record, list_inputs, make_doc_id, normalise_text
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
