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
