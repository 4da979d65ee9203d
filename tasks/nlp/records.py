"""Rows of the extract tables from a processed Doc (column names as in tasks/schemas.py)."""

from __future__ import annotations

from spacy.tokens import Doc

from tasks.dates import period_start

from .state import get_state


def doc_rows(doc: Doc, doc_id: str) -> dict[str, list[dict]]:
    """{'mentions', 'quantities', 'claims', 'quotes'} rows of one document; ids are deterministic."""
    state = get_state(doc)
    text = doc.text
    mentions = [
        {
            "mention_id": f"{doc_id}:m:{m['start']}:{m['end']}",
            "doc_id": doc_id,
            "sentence_id": m["sent"],
            "start_char": m["start"],
            "end_char": m["end"],
            "text": text[m["start"] : m["end"]],
            "label": m["label"],
            "entity_id": m["id"],
            "name": m["name"],
            "normalized": m["normalized"],
            "source": m["source"],
        }
        for m in state["mentions"]
    ]
    quantities = []
    # a number that counts nothing named is no figure ('Pillar 2', '(3)', 'around 2016', '16 have
    # been taken to hospital'): kept only where a claim takes its value
    counted = {c["qi"] for c in state["claims"] if c["qi"] is not None}
    for n, q in enumerate(state["quantities"]):
        if q["item"] is None and n not in counted:
            continue
        qid = _quantity_id(doc_id, q)
        quantities.append(
            {
                "quantity_id": qid,
                "doc_id": doc_id,
                "sentence_id": q["sent"],
                "start_char": q["start"],
                "end_char": q["end"],
                "text": text[q["start"] : q["end"]],
                "value": q["value"],
                "low": q["low"],
                "high": q["high"],
                "qualifier": q["qualifier"],
                "item": q["item"],
            }
        )
    sents = state.get("sents", [])
    claims = []
    seen: dict[tuple, int] = {}
    for c in state["claims"]:
        a, b, _ = sents[c["sent"]]
        span = doc[a:b]
        # the evidence span is the sentence without surrounding whitespace
        start, end = span.start_char, span.end_char
        while end > start and text[end - 1].isspace():
            end -= 1
        q = state["quantities"][c["qi"]] if c["qi"] is not None else None
        base = (start, end)
        k = seen.get(base, 0)
        seen[base] = k + 1
        claims.append(
            {
                "claim_id": f"{doc_id}:c:{start}:{end}:{k}",
                "doc_id": doc_id,
                "sentence_id": c["sent"],
                "start_char": start,
                "end_char": end,
                "text": text[start:end],
                "subject_id": c["subject_id"],
                "subject_actor": c.get("subject_actor"),
                "predicate": c["predicate"],
                "object_id": c["object_id"],
                "item": c["item"],
                "quantity_id": _quantity_id(doc_id, q) if q is not None else None,
                "value": q["value"] if q else None,
                "qualifier": q["qualifier"] if q else None,
                "attributed_to": c["attributed_to"],
                "modality": c["modality"],
                "low": q["low"] if q else None,
                "high": q["high"] if q else None,
                "claim_date": period_start(c["claim_date"]),
                "claim_period": c["claim_date"],
                "trigger": c["trigger"],
            }
        )
    quotes = [
        {
            "quote_id": f"{doc_id}:u:{u['start']}:{u['end']}",
            "doc_id": doc_id,
            "start_char": u["start"],
            "end_char": u["end"],
            "quote": text[u["start"] : u["end"]],
            "speaker": u["speaker"],
            "speaker_id": u["speaker_id"],
            "speaker_role": u["speaker_role"],
        }
        for u in state["quotes"]
    ]
    return {"mentions": mentions, "quantities": quantities, "claims": claims, "quotes": quotes}


def _quantity_id(doc_id: str, q: dict) -> str:
    return f"{doc_id}:q:{q['start']}:{q['end']}"
