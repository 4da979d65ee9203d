"""The whole pipeline on seeds/ under the real Prefect engine."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from tasks import quality
from tasks.quality import DataQualityError
from tasks.schemas import TABLES

ROOT = Path(__file__).resolve().parents[1]


def _run(input_dir: Path, output_dir: Path):
    from flows.params import PipelineParameters
    from flows.pipeline import dossier_pipeline

    return dossier_pipeline(PipelineParameters(input_dir=str(input_dir), output_dir=str(output_dir)))


@pytest.fixture(scope="module")
def seed_runs(prefect_harness, tmp_path_factory):
    """Two runs over the same seeds into the same output root."""
    out = tmp_path_factory.mktemp("out")
    first = _run(ROOT / "seeds", out)
    second = _run(ROOT / "seeds", out)
    return out, first, second


def _table(out: Path, name: str):
    return pq.read_table(out / "latest" / f"{name}.parquet")


def test_every_contract_table_and_the_manifest_land_in_latest(seed_runs):
    out, first, second = seed_runs
    latest = out / "latest"
    assert latest.resolve() == (out / "runs" / second["run_id"]).resolve()
    for name, spec in TABLES.items():
        table = pq.read_table(latest / f"{name}.parquet")
        assert table.schema.equals(spec.schema), name
        result = json.loads((latest / "quality" / f"{name}.json").read_text())
        assert result["success"] is True, name
    manifest = json.loads((latest / "manifest.json").read_text())
    assert manifest["status"] == "succeeded"
    assert [s["name"] for s in manifest["steps"]] == ["ingest", "clean", "extract", "dedup", "aggregate"]
    assert {i["path"] for i in manifest["inputs"]} == {p.name for p in (ROOT / "seeds").iterdir()}
    assert all(len(i["sha256"]) == 64 for i in manifest["inputs"])
    for step in manifest["steps"]:
        assert step["verdict"] == "passed"
        for name, info in step["tables"].items():
            assert info["rows"] == pq.ParquetFile(latest / info["path"]).metadata.num_rows
    assert manifest["code_version"] and manifest["parameters"]["extract"]["nlp_model"] == "dossier"


def test_reruns_give_identical_tables(seed_runs):
    out, first, second = seed_runs
    assert first["run_id"] != second["run_id"]
    tables = lambda m: {n: i["sha256"] for s in m["steps"] for n, i in s["tables"].items()}  # noqa: E731
    assert tables(first) == tables(second)
    assert len(tables(first)) == len(TABLES)


def test_seed_facts(seed_runs):
    out = seed_runs[0]
    docs = _table(out, "documents").to_pylist()
    assert len(docs) == 5 and {d["status"] for d in docs} == {"ok"}
    articles = {a["source_path"]: a for a in _table(out, "articles").to_pylist()}
    assert articles["001_c41701d4820933d4.txt"]["published"] == date(2024, 11, 14)
    assert "You Might Also Like" not in articles["003_765dbf10bb0c6160.txt"]["text"]
    mentions = _table(out, "mentions").to_pylist()
    assert not [m for m in mentions if "Griner" in m["text"] or "Netflix" in m["text"]]
    ids = {m["entity_id"] for m in mentions}
    assert {"PRK", "RUS", "UKR", "USA", "KOR"} <= ids
    quantities = _table(out, "quantities").to_pylist()
    assert any(q["value"] == 5_000_000 and q["item"] == "artillery shell" for q in quantities)
    assert not [q for q in quantities if q["text"].startswith(("170", "240"))]
    summary = _table(out, "claim_summary").to_pylist()
    assert any(r["subject_id"] == "PRK" and r["predicate"] == "supply" and r["object_id"] == "RUS" for r in summary)
    clusters = _table(out, "doc_clusters").to_pylist()
    assert all(c["reason"] == "unique" for c in clusters)


def test_a_failed_check_stops_the_run_and_publishes_nothing(prefect_harness, tmp_path, monkeypatch, seed_runs):
    out = seed_runs[0]
    before = os.readlink(out / "latest")
    broken = tmp_path / "expectations"
    shutil.copytree(ROOT / "expectations", broken)
    suite = json.loads((broken / "quantities.json").read_text())
    suite["expectations"].append({"type": "expect_column_values_to_be_between",
                                  "kwargs": {"column": "value", "max_value": 1000},
                                  "meta": {"why": "no figure above a thousand (a test)"}})
    (broken / "quantities.json").write_text(json.dumps(suite))
    monkeypatch.setattr(quality, "EXPECTATIONS_DIR", broken)
    with pytest.raises(DataQualityError) as err:
        _run(ROOT / "seeds", out)
    message = str(err.value)
    assert "table 'quantities' failed 1 check and was not published" in message
    # what the expectation guards, in the suite's words; distinct values with their counts; where
    # the full result is
    assert "no figure above a thousand (a test): expect_column_values_to_be_between on value" in message
    assert "5000000.0 x3" in message and "10000.0 x2" in message
    assert f"full result: {out.resolve()}" in message or f"full result: {out}" in message
    assert os.readlink(out / "latest") == before
    failed = sorted((out / "runs").iterdir())[-1]
    manifest = json.loads((failed / "manifest.json").read_text())
    assert manifest["status"] == "failed" and manifest["failed_step"] == "extract"
    assert "quantities" in manifest["error"]
    assert not (failed / "quantities.parquet").exists()
    assert not (failed / "mentions.parquet").exists()  # the whole step is held back
    assert not (failed / "doc_clusters.parquet").exists()  # later steps never ran
    assert (failed / "quality" / "quantities.json").exists()
    assert not (failed / ".staging").exists()


def test_cli_runs_and_prints_a_summary(ephemeral_env, tmp_path):
    env = ephemeral_env
    done = subprocess.run(
        [sys.executable, "-m", "flows.pipeline", "--input", str(ROOT / "seeds"), "--output", str(tmp_path / "o")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "documents: 5 read, 5 accepted, 0 rejected" in done.stdout
    assert "claim_summary" in done.stdout and "FAILED" not in done.stdout
    assert f"latest:     {tmp_path / 'o' / 'latest'}" in done.stdout
    assert (tmp_path / "o" / "latest" / "manifest.json").exists()

    # the same input through two NLP worker processes (no cache: a new output folder): same tables
    done = subprocess.run(
        [sys.executable, "-m", "flows.cli", "run", "--input", str(ROOT / "seeds"), "--output", str(tmp_path / "o2"),
         "--n-process", "2"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]

    def steps(out):
        return {s["name"]: s for s in json.loads((out / "latest" / "manifest.json").read_text())["steps"]}

    one, two = steps(tmp_path / "o"), steps(tmp_path / "o2")
    assert one["extract"]["n_process"] == 1 and "worker_tasks" not in one["extract"]
    assert two["extract"]["n_process"] == 2 and two["extract"]["worker_tasks"] >= 1
    assert two["extract"]["documents_processed"] == 5
    for name in ("mentions", "quantities", "claims", "quotes", "claim_summary"):
        step = next(s for s in one.values() if name in s["tables"])
        assert step["tables"][name]["sha256"] == two[step["name"]]["tables"][name]["sha256"], name


def test_cli_refuses_a_missing_input_folder(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "flows.cli", "run", "--input", str(tmp_path / "missing"), "--output", str(tmp_path / "o")],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 2 and "does not exist" in done.stderr
    assert not (tmp_path / "o").exists()


def _mutated_real_records(folder: Path) -> dict[str, str]:
    """Records shaped like the real crawls (a Naver export, a Fox RSS item saved as Markdown, a
    JSON lines export), each with one value that used to fail a run or lose the record."""
    body = ("North Korea has sent about 10,000 troops to Russia, South Korean officials said on Monday. "
            "The soldiers were deployed to the Kursk region after training in the Russian far east.")
    files = {
        "naver.md": ("---\nid: 001_1\ntitle: \"N. Korea&#x27;s troops &quot;in Kursk&quot;\"\npublisher: 연합뉴스\n"
                     "author: \n\t\t\n\t\t\t김현수(sookim@yna.co.kr)\n\t\t\n\t\npublished_at: 2025-12-28 00:00\n---\n\n"
                     f"# N. Korea&#x27;s troops &quot;in Kursk&quot;\n\nS Korea-NK troops N. Korea&#x27;s troops &quot;in Kursk&quot; SEOUL, Dec. 28 (Yonhap) -- {body}"
                     " sookim@yna.co.kr(END)\n"),
        "literal.md": f"---\\ntitle: 'Escaped header'\ndate: 2025-12-29\n---\n<p>{body}</p><p>It was the first such report.</p>\n",
        "future.md": f"---\ntitle: From the future\ndate: 2150-01-01\n---\n{body}\n",
        "ancient.md": f"---\ntitle: Very old\ndate: 1850-06-01\n---\n{body} A second sentence follows here.\n",
        "long_title.md": f"---\ntitle: {'A' * 50_000}\n---\n{body} It was repeated.\n",
        "numbers.md": f"---\ntitle: 1984\nauthor: 42\n---\n{body} Numbers were written in the header.\n",
        "future_byline.txt": f"A Headline About Troops\nBy Staff Writer 01-01-2150\n{body} The byline is dated wrongly.\n",
        "export.jsonl": "\n".join([
            json.dumps({"title": "J1", "text": body + " One.", "date": "2150-01-01"}),
            "{not json",
            json.dumps({"title": 12, "text": body + " Two.", "date": 0}),
            json.dumps({"title": "J3", "text": body + " Three.", "date": "2025-02-30"}),
        ]) + "\n",
    }
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return files


def test_no_single_record_can_fail_a_run(prefect_harness, tmp_path):
    """Mutated real-shaped records through the whole flow: the run succeeds, every record is a
    row, the bad values are dropped where they are read and counted with their notes."""
    folder = tmp_path / "in"
    folder.mkdir()
    _mutated_real_records(folder)
    manifest = _run(folder, tmp_path / "out")
    assert manifest["status"] == "succeeded"
    documents = pq.read_table(tmp_path / "out" / "latest" / "documents.parquet").to_pylist()
    by_path = {d["source_path"]: d for d in documents}
    assert len(documents) == 7 + 4
    assert by_path["export.jsonl#1"]["reject_reason"] == "ingest_bad_json"
    assert [d["source_path"] for d in documents if d["status"] != "ok"] == ["export.jsonl#1"]
    assert by_path["future.md"]["ingest_notes"] == ["published_in_future"]
    assert by_path["ancient.md"]["ingest_notes"] == ["published_too_early"]
    assert by_path["long_title.md"]["ingest_notes"] == ["title_too_long"]
    assert by_path["numbers.md"]["ingest_notes"] == ["author_not_text", "title_number_as_text"]
    assert by_path["literal.md"]["ingest_notes"] == ["front_matter_literal_newlines"]
    assert by_path["naver.md"]["ingest_notes"] == ["author_email_removed", "front_matter_repaired"]
    assert by_path["export.jsonl#0"]["ingest_notes"] == ["published_in_future"]
    assert by_path["export.jsonl#3"]["ingest_notes"] == ["published_unreadable"]
    ingest = next(s for s in manifest["steps"] if s["name"] == "ingest")
    assert ingest["notes"]["published_in_future"] == 2
    assert {"file": "export.jsonl#1", "reason": "ingest_bad_json", "detail": by_path["export.jsonl#1"]["reject_detail"]} in ingest["rejected_records"]
    articles = {a["source_path"]: a for a in pq.read_table(tmp_path / "out" / "latest" / "articles.parquet").to_pylist()}
    assert articles["future_byline.txt"]["published"] is None
    assert "published_in_future" in articles["future_byline.txt"]["clean_notes"]
    naver = articles["naver.md"]
    assert naver["text"].startswith("North Korea has sent about 10,000 troops")
    assert (naver["title"], naver["author"], naver["place"]) == ('N. Korea\'s troops "in Kursk"', "김현수", "Seoul")
    assert "(END)" not in naver["text"] and "&#x27;" not in naver["title"]
    assert "Russian far east.\nIt was the first such report." in articles["literal.md"]["text"]
    timeline = pq.read_table(tmp_path / "out" / "latest" / "timeline.parquet").to_pylist()
    assert all(date(1900, 1, 1) <= t["date"] <= date(2100, 12, 31) for t in timeline)
