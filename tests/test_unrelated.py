"""Precision on unrelated news: claims found in the 2,225 BBC articles of 2004-2005
(../shared/corpora/bbc/, bench/unrelated_claims.py). None of them is about the story, so every claim
there is a candidate error; those in sport and entertainment articles are plainly wrong. Their number
and share must not grow. Skipped when the corpus is absent."""

from __future__ import annotations

import pytest

from bench.unrelated_claims import DEFAULT_BBC, PLAINLY_WRONG, measure

# measured with bench/unrelated_claims.py; before the claim grammar (issue 15's end): 207 claims,
# 63 plainly wrong (30.4 %); at issue 16's first step 150 claims, 32 plainly wrong (21.3 %)
MEASURED = {"claims": 64, "plainly_wrong": 9, "plainly_wrong_share": 0.141}
MARGIN = 0.05  # of the counts: ties in the parse of a few sentences may move


@pytest.mark.skipif(not DEFAULT_BBC.is_dir(), reason=f"no BBC corpus at {DEFAULT_BBC}")
def test_claims_in_unrelated_news_do_not_grow():
    r = measure(DEFAULT_BBC)
    assert r["articles"] == 2225
    assert set(r["articles_by_category"]) >= set(PLAINLY_WRONG)
    assert r["claims"] <= MEASURED["claims"] * (1 + MARGIN), r
    assert r["plainly_wrong"] <= MEASURED["plainly_wrong"] * (1 + MARGIN), r
    assert r["plainly_wrong_share"] <= MEASURED["plainly_wrong_share"] + 0.02, r
