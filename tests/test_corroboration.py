"""Dedup and corroboration through the whole flow: copies of the seeds, and round-ups and live blogs
that reprint their sentences, never add sources."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from bench.variants import exact_copy, lead_copy, live_blog, repost, roundup, sentence_roundup, truncated_copy

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


def _run(input_dir: Path, output_dir: Path) -> Path:
    from flows.params import PipelineParameters
    from flows.pipeline import dossier_pipeline

    manifest = dossier_pipeline(PipelineParameters(input_dir=str(input_dir), output_dir=str(output_dir)))
    return Path(manifest["run_dir"])


def _summary(run_dir: Path) -> dict[str, dict]:
    return {r["claim_key"]: r for r in pq.read_table(run_dir / "claim_summary.parquet").to_pylist()}


def html_page(text: str, rng: int = 0) -> str:
    """The article as a web page: navigation, byline, related links and a footer around it."""
    lines = [line for line in text.strip().splitlines() if line.strip()]
    nav = "".join(f'<li><a href="/{s}">{s.title()}</a></li>' for s in ("world", "asia", "politics", "video"))
    related = "".join(f'<li><a href="/story/{i}">Another story about the region, part {i}</a></li>' for i in range(5))
    body = "\n".join(f"<p>{line}</p>" for line in lines)
    return (
        f"<!DOCTYPE html><html><head><title>World News Daily</title></head><body><header><nav><ul>{nav}"
        f"</ul></nav></header><main><article><p class='byline'>By Staff Writer, Reuters</p>\n{body}\n"
        f"</article><aside><h2>Related stories</h2><ul>{related}</ul></aside></main><footer><p>&copy; 2024 "
        "World News Daily. All rights reserved.</p><p><a href='/privacy'>Privacy</a> | <a href='/terms'>"
        "Terms</a></p></footer></body></html>"
    )


@pytest.fixture(scope="module")
def runs(prefect_harness, tmp_path_factory):
    plain = tmp_path_factory.mktemp("plain")
    shutil.copytree(ROOT / "seeds", plain / "in")
    copies = tmp_path_factory.mktemp("copies")
    shutil.copytree(ROOT / "seeds", copies / "in")
    makers = (exact_copy, repost, truncated_copy, lead_copy, html_page)
    for i, seed in enumerate(SEEDS):
        text = seed.read_text("utf-8")
        for k, make in enumerate(makers):
            name = seed.with_suffix(".html").name if make is html_page else seed.name
            (copies / "in" / "mirror" / make.__name__).mkdir(parents=True, exist_ok=True)
            (copies / "in" / "mirror" / make.__name__ / name).write_text(make(text, rng=100 * i + k), "utf-8")
    texts = [seed.read_text("utf-8") for seed in SEEDS]
    reuse = copies / "in" / "reuse"
    reuse.mkdir()
    (reuse / "digest.txt").write_text(roundup([texts[3], texts[4]], 1), "utf-8")  # two seeds under one heading
    (reuse / "reading_guide.txt").write_text(sentence_roundup([texts[1], texts[3], texts[4]], 2), "utf-8")
    (reuse / "live.txt").write_text(live_blog(texts, 3), "utf-8")
    dated = sentence_roundup([texts[2], texts[4]], 4)  # dated, where most seeds are not
    (reuse / "weekly.md").write_text(f"---\ntitle: The week\ndate: 2024-12-20\n---\n{dated}", "utf-8")
    return _run(plain / "in", plain / "out"), _run(copies / "in", copies / "out")


def test_copies_join_their_originals_cluster(runs):
    _, with_copies = runs
    docs = {d["doc_id"]: d["source_path"] for d in pq.read_table(with_copies / "documents.parquet").to_pylist()}
    clusters = [r for r in pq.read_table(with_copies / "doc_clusters.parquet").to_pylist()
                if "reuse" not in Path(docs[r["doc_id"]]).parts]  # round-ups are no copies of a seed
    by_seed: dict[str, set[str]] = {}
    for row in clusters:
        by_seed.setdefault(Path(docs[row["doc_id"]]).stem, set()).add(row["cluster_id"])
    assert len(by_seed) == 5
    assert all(len(ids) == 1 for ids in by_seed.values()), by_seed  # each seed and its copies: one cluster
    assert len(clusters) == 5 * 6  # every copy was read and kept
    assert len({next(iter(ids)) for ids in by_seed.values()}) == 5  # the five seeds stay apart
    representatives = [docs[r["doc_id"]] for r in clusters if r["is_representative"]]
    assert len(representatives) == 5


COUNTS = ("n_independent_sources", "n_hypothetical_sources", "n_denying_sources")


def test_copies_and_reprinted_sentences_leave_every_source_count_unchanged(runs):
    plain, with_copies = _summary(runs[0]), _summary(runs[1])
    assert plain
    for key, row in with_copies.items():
        before = plain.get(key, dict.fromkeys(COUNTS, 0))  # a claim only a reprint states gains nothing either
        assert [row[c] for c in COUNTS] == [before[c] for c in COUNTS], (key, row["source_sentences"])
        assert row["n_docs"] >= plain.get(key, {"n_docs": 0})["n_docs"]
    reprinted = [r for r in with_copies.values() if r["n_copied_mentions"]]
    assert reprinted  # the round-ups' sentences were found and counted for their origins


def test_shells_have_two_sources_and_one_speculation_and_troops_three(runs):
    for run_dir in runs:  # a copy of a seed is named after it: mirror/repost/003_....txt
        seed = {d["doc_id"]: Path(d["source_path"]).name[:3] for d in pq.read_table(run_dir / "documents.parquet").to_pylist()}
        summary = _summary(run_dir)
        shells, troops = summary["PRK|supply|RUS|artillery shell"], summary["PRK|deploy|RUS|troop"]
        assert shells["n_independent_sources"] == 2
        assert {seed.get(s.split(":")[0]) for s in shells["source_sentences"]} == {"003", "004"}
        assert shells["n_hypothetical_sources"] == 1
        assert {seed.get(d) for d in shells["hypothetical_doc_ids"]} == {"002"}
        assert troops["n_independent_sources"] == 3
        assert {seed.get(s.split(":")[0]) for s in troops["source_sentences"]} == {"001", "003", "004"}


def test_the_timeline_dates_a_claim_by_its_sentence(runs):
    timeline = pq.read_table(runs[0] / "timeline.parquet").to_pylist()
    [trip] = [r for r in timeline if r["claim_key"] == "PERSON:kim-jong-un|visit|RUS|-"]
    assert (trip["date"].year, trip["date_source"], trip["period"]) == (2023, "claim", "2023")
    summary = _summary(runs[0])
    assert summary["PERSON:kim-jong-un|visit|RUS|-"]["first_seen"].year == 2023


def test_shells_and_troops_are_each_one_claim_with_every_document(runs):
    plain = _summary(runs[0])
    shells = [r for r in plain.values() if r["item"] == "artillery shell" and r["predicate"] == "supply"]
    troops = [r for r in plain.values() if r["item"] == "troop" and r["predicate"] == "deploy" and r["values"]]
    assert len(shells) == 1 and len(troops) == 1
    [shells], [troops] = shells, troops
    assert shells["subject_id"] == "PRK" and shells["object_id"] == "RUS"
    docs = {d["source_path"]: d["doc_id"] for d in pq.read_table(runs[0] / "documents.parquet").to_pylist()}
    assert 5_000_000 in shells["values"]
    assert {docs["003_765dbf10bb0c6160.txt"], docs["004_cf506477191a8972.txt"]} <= set(shells["doc_ids"])
    assert 10_000 in troops["values"] and troops["n_docs"] >= 2
    assert shells["conflict"] is False  # "as many as", "around" and "more than" 5 million can all hold
