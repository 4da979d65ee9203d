import os

import pyarrow as pa
import pytest

from tasks.schemas import TABLES, to_arrow
from tasks.store import RunStore, new_run_id


def test_run_ids_sort_by_time():
    from datetime import datetime, timezone
    a = new_run_id(datetime(2026, 1, 1, tzinfo=timezone.utc))
    b = new_run_id(datetime(2026, 1, 2, tzinfo=timezone.utc))
    assert a < b and a.startswith("20260101T000000Z-")


def test_stage_refuses_a_table_with_another_schema(tmp_path):
    store = RunStore.create(tmp_path)
    with pytest.raises(TypeError, match="schema differs"):
        store.stage(TABLES["entities"], pa.table({"entity_id": ["x"]}))


def test_same_rows_same_bytes(tmp_path):
    rows = [{"entity_a": "PRK", "entity_b": "RUS", "n_docs": 2, "n_sentences": 1},
            {"entity_a": "CHN", "entity_b": "PRK", "n_docs": 1, "n_sentences": 0}]
    digests = []
    for name in ("a", "b"):
        store = RunStore.create(tmp_path / name)
        store.stage(TABLES["cooccurrence"], to_arrow(TABLES["cooccurrence"], rows[::-1] if name == "b" else rows))
        digests.append(store.publish("cooccurrence").sha256)
    assert digests[0] == digests[1]


def test_latest_is_swapped_atomically(tmp_path):
    first = RunStore.create(tmp_path)
    first.mark_latest()
    second = RunStore.create(tmp_path)
    link = second.mark_latest()
    assert os.readlink(link) == f"runs/{second.run_id}"
    assert not list(tmp_path.glob(".latest*"))


def _documents(n):
    import hashlib
    rows = []
    for i in range(n):
        doc_id = hashlib.sha256(str(i).encode()).hexdigest()[:16]  # ids in no particular order, as ingest's
        rows.append({"doc_id": doc_id, "source_path": f"f{i}.txt", "sha256": "0" * 64, "n_bytes": 10,
                     "format": "txt", "status": "ok", "raw_text": f"text {i}", "ingest_notes": []})
    return rows


@pytest.mark.parametrize("batch", [1, 7, 250, 2000])
def test_streamed_writes_in_any_batches_give_the_bytes_of_one_sorted_write(tmp_path, batch, monkeypatch):
    """Out-of-order batches become sorted runs merged on close; row groups are cut by the table's
    chunk size only, so the bytes do not depend on the batching (nor on the merge fan-in)."""
    import pyarrow.parquet as pq

    from tasks import store as store_module

    monkeypatch.setattr(store_module, "MERGE_FAN_IN", 3)  # several merge passes
    rows = _documents(2500)
    whole = RunStore.create(tmp_path / "whole")
    whole.stage(TABLES["documents"], to_arrow(TABLES["documents"], rows))
    streamed = RunStore.create(tmp_path / "streamed")
    writer = streamed.writer("documents")
    for i in range(0, len(rows), batch):
        writer.write(to_arrow(TABLES["documents"], rows[i : i + batch]))
    streamed.stage_written(writer)
    assert whole.publish("documents").sha256 == streamed.publish("documents").sha256
    meta = pq.ParquetFile(streamed.table_path("documents")).metadata
    assert [meta.row_group(i).num_rows for i in range(meta.num_row_groups)] == [1000, 1000, 500]
    ids = pq.read_table(streamed.table_path("documents")).column("doc_id").to_pylist()
    assert ids == sorted(r["doc_id"] for r in rows)
    assert not list((tmp_path / "streamed").rglob("*.run*")) and not list((tmp_path / "streamed").rglob("*.writing"))


def test_reading_back_a_table_in_chunks_and_by_key_range(tmp_path):
    rows = _documents(2500)
    store = RunStore.create(tmp_path)
    store.stage(TABLES["documents"], to_arrow(TABLES["documents"], rows))
    store.publish("documents")
    chunks = list(store.iter_table("documents", ["doc_id"]))
    assert [c.num_rows for c in chunks] == [1000, 1000, 500]
    ids = sorted(r["doc_id"] for r in rows)
    found = store.read_between("documents", ["doc_id"], "doc_id", ids[10], ids[20]).column("doc_id").to_pylist()
    assert found == ids[10:21]
