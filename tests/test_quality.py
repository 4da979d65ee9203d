import json
from pathlib import Path

import pyarrow as pa
import pytest

from tasks import quality, schemas
from tasks.quality import DataQualityError, load_suite, validate_table
from tasks.schemas import TABLES, to_arrow
from tasks.step import StepReport, publish_checked
from tasks.store import RunStore

EXPECTATIONS = Path(__file__).resolve().parents[1] / "expectations"


def _suite(name):
    return json.loads((EXPECTATIONS / f"{name}.json").read_text())


@pytest.mark.parametrize("name", sorted(TABLES))
def test_every_table_has_a_suite_matching_its_schema(name):
    suite = _suite(name)
    load_suite(name)  # loads as a GX suite
    [columns] = [e for e in suite["expectations"] if e["type"] == "expect_table_columns_to_match_set"]
    assert columns["kwargs"]["column_set"] == TABLES[name].columns
    checked_not_null = {e["kwargs"]["column"] for e in suite["expectations"]
                        if e["type"] == "expect_column_values_to_not_be_null" and "row_condition" not in e["kwargs"]}
    assert set(TABLES[name].required) <= checked_not_null


@pytest.mark.parametrize(
    "table, column, vocabulary",
    [
        ("documents", "status", schemas.STATUSES),
        ("quantities", "qualifier", schemas.QUALIFIERS),
        ("claims", "predicate", schemas.PREDICATES),
        ("claims", "modality", schemas.MODALITIES),
        ("claim_summary", "predicate", schemas.PREDICATES),
        ("doc_clusters", "reason", schemas.CLUSTER_REASONS),
    ],
)
def test_suites_hold_the_contract_vocabularies(table, column, vocabulary):
    sets = [e["kwargs"]["value_set"] for e in _suite(table)["expectations"]
            if e["type"] == "expect_column_values_to_be_in_set" and e["kwargs"]["column"] == column]
    assert sets == [list(vocabulary)]


def test_mentions_labels_include_contract_labels():
    [labels] = [e["kwargs"]["value_set"] for e in _suite("mentions")["expectations"]
                if e["type"] == "expect_column_values_to_be_in_set" and e["kwargs"]["column"] == "label"]
    assert set(schemas.LABELS) <= set(labels)


def _mention(**overrides):
    row = {"mention_id": "d1:m:0:5", "doc_id": "d1", "sentence_id": 0, "start_char": 0, "end_char": 5,
           "text": "Kim J", "label": "PERSON", "entity_id": "PERSON:kim-jong-un"}
    row.update(overrides)
    return row


TEXTS = {"d1": "Kim Jong Un met Putin."}


def test_good_mentions_pass():
    table = to_arrow(TABLES["mentions"], [_mention(), _mention(mention_id="d1:m:16:21", start_char=16, end_char=21, text="Putin", entity_id="PERSON:vladimir-putin")])
    verdict = validate_table("mentions", table, {"max_rows": 10}, TEXTS)
    assert verdict.success, verdict.failures


def test_bad_mentions_fail_with_table_expectation_and_values():
    rows = [
        _mention(text="WRONG"),  # not its slice
        _mention(mention_id="d1:m:16:99", start_char=16, end_char=99, text="Putin."),  # past the end
        _mention(mention_id="d1:m:0:3", end_char=3, text="Kim", label="ROBOT"),  # label outside the vocabulary
    ]
    verdict = validate_table("mentions", to_arrow(TABLES["mentions"], rows), {"max_rows": 10}, TEXTS)
    assert not verdict.success
    failed = {f.expectation for f in verdict.failures}
    assert {"expect_column_pair_values_to_be_equal", "expect_column_values_to_be_in_set",
            "expect_column_pair_values_a_to_be_greater_than_b"} <= failed
    with pytest.raises(DataQualityError) as err:
        quality.require(verdict)
    message = str(err.value)
    assert "table 'mentions'" in message and "ROBOT" in message and "WRONG" in message


def test_row_count_parameter():
    table = to_arrow(TABLES["doc_clusters"], [
        {"doc_id": "d1", "cluster_id": "cluster-d1", "is_representative": True, "similarity": 1.0, "reason": "unique"}])
    assert validate_table("doc_clusters", table, {"n_articles": 1}, TEXTS).success
    verdict = validate_table("doc_clusters", table, {"n_articles": 2}, TEXTS)
    assert [f.expectation for f in verdict.failures] == ["expect_table_row_count_to_be_between"]


def test_failed_table_is_not_published(tmp_path):
    store = RunStore.create(tmp_path)
    rows = [_mention(text="WRONG")]
    report = StepReport("extract")
    with pytest.raises(DataQualityError, match="mentions") as err:
        publish_checked(store, report, {"mentions": to_arrow(TABLES["mentions"], rows)},
                        {"mentions": {"max_rows": 10}}, TEXTS)
    assert not Path(store.table_path("mentions")).exists()
    assert not Path(store.staged_path("mentions")).exists()
    assert (store.quality_dir / "mentions.json").exists()
    assert err.value.step_report["quality"]["mentions"]["success"] is False
    good = to_arrow(TABLES["mentions"], [_mention()])
    publish_checked(store, StepReport("extract"), {"mentions": good}, {"mentions": {"max_rows": 10}}, TEXTS)
    assert store.read("mentions").equals(good)


def test_checks_in_chunks_add_up_to_one_check_of_the_whole_table():
    """Row-wise expectations run per chunk (counts summed, samples joined); keys are unique across
    chunks, not only within each."""
    from tasks.quality import derive_columns, validate_chunks

    good = [_mention(mention_id=f"d1:m:0:5:{i}") for i in range(6)]
    bad_label = _mention(mention_id="d1:m:0:5:x", label="ROBOT")
    first = to_arrow(TABLES["mentions"], good[:3])
    second = to_arrow(TABLES["mentions"], [*good[3:], bad_label, good[0]])  # a key of the first chunk again
    frames = [derive_columns(t, TEXTS) for t in (first, second)]
    wide = pa.concat_tables([first, second]).select(["mention_id"]).to_pandas()
    verdict = validate_chunks("mentions", frames, wide, {"max_rows": 100})
    assert not verdict.success
    failed = {f.expectation: f for f in verdict.failures}
    assert set(failed) == {"expect_column_values_to_be_in_set", "expect_column_values_to_be_unique"}
    assert failed["expect_column_values_to_be_in_set"].sample == ["ROBOT"]
    in_set = next(r for r in verdict.result["results"] if r["expectation_config"]["type"] == "expect_column_values_to_be_in_set"
                  and r["expectation_config"]["kwargs"]["column"] == "label")
    assert in_set["result"]["element_count"] == 8 and in_set["result"]["unexpected_count"] == 1
    assert verdict.result["meta"]["dossier"] == {"rows": 8, "chunks": 2, "table_wide_rows": 8}
    whole = validate_table("mentions", pa.concat_tables([first, second]), {"max_rows": 100}, TEXTS)
    assert [f.expectation for f in whole.failures] == [f.expectation for f in verdict.failures]
    assert verdict.evaluated == whole.evaluated == len(_suite("mentions")["expectations"])
