"""Wire and crawl furniture (tasks/data/furniture.toml): every pattern against the real line it was
written from, then whole leads as the real crawls arrange them."""

from __future__ import annotations

from datetime import date

import pytest

from tasks.clean import _remove_inline, _take_lead, _Found, clean_document, clean_text, clean_title, load_furniture
from tasks.formats import ingest_record
from tasks.params import CleanParams, IngestParams

PARAMS = CleanParams()
PATTERNS = [p for kind in load_furniture().values() for p in kind]
PROSE = "The ministry said on Monday that the plan would be reviewed by the cabinet next week, officials added."


def _apply(pattern) -> str:
    """What the pattern's own kind leaves of its example."""
    line = pattern.example
    if pattern.kind == "title":
        return pattern.regex.sub("", line).strip()
    if pattern.kind == "inline":
        return _remove_inline(line, _Found())
    if pattern.kind == "lead":
        return pattern.regex.sub("", line, count=1).strip() if pattern.regex.match(line) else line
    return "" if pattern.regex.search(line) else line  # line, lead_line, tail_line: the line goes


@pytest.mark.parametrize("pattern", PATTERNS, ids=[f"{p.kind}-{p.name}-{i}" for i, p in enumerate(PATTERNS)])
def test_each_pattern_on_the_real_line_it_was_written_from(pattern):
    assert _apply(pattern) == pattern.expect


def test_patterns_leave_prose_alone():
    lines = [
        PROSE,
        "North Korea has sent more than 10,000 troops to Russia, according to South Korea's spy agency.",
        '"We will respond firmly," Defence Minister Ahn Gyu-back told lawmakers in Seoul on Tuesday.',
        "By December, talks had accelerated and both sides exchanged drafts.",
        "The Korea Herald reported the figures (citing the ministry) on Friday.",
    ]
    out = clean_text("\n".join(lines), PARAMS)
    assert out["text"] == "\n".join(lines)
    assert out["notes"] == {}


def test_yonhap_lead_slug_headline_attn_byline_dateline_end():
    title = "(LEAD) U.N. Command says military boundary between two Koreas under its authority"
    raw = "\n".join([
        "U.N. Command says military boundary between two Koreas under its authority",
        "연합뉴스 | 2025-12-28 00:00 |",
        "(LEAD) S Korea-UN command-military (LEAD) U.N. Command says military boundary between two Koreas "
        "under its authority(ATTN: ADDS details in last 3 paras; TRIMS)",
        "By Kim Hyun-soo SEOUL, Dec. 28 (Yonhap) -- The American-led United Nations Command (UNC) has said a "
        "Military Demarcation Line marking the boundary between the two Koreas has been under its authority.",
        PROSE + " sookim@yna.co.kr(END)",
        "Crawled at: 2025-12-28 00:50:32 Source: 원문 보기",
    ])
    doc = {"doc_id": "d", "source_path": "y.md", "raw_text": raw, "title": title, "published": None,
           "author": None, "outlet": "연합뉴스", "url": None, "retrieved": date(2025, 12, 28)}
    article, reason = clean_document(doc, PARAMS)
    assert reason is None
    assert article["title"] == "U.N. Command says military boundary between two Koreas under its authority"
    assert article["text"].startswith("The American-led United Nations Command (UNC) has said")
    assert article["text"].endswith("officials added.")
    for residue in ("(LEAD)", "(ATTN:", "By Kim", "(Yonhap) --", "(END)", "Crawled at", "command-military"):
        assert residue not in article["text"]
    assert (article["author"], article["place"], article["published"]) == ("Kim Hyun-soo", "Seoul", date(2025, 12, 28))
    assert "published_from_dateline" in article["clean_notes"]


def test_glued_headline_and_dateline_without_attn():
    raw = ("stocks-morningSeoul shares open lower on tech losses SEOUL, Dec. 29 (Yonhap) -- Seoul shares opened "
           "lower Monday as investors sold technology stocks after overnight losses on Wall Street.\n" + PROSE)
    out = clean_text(raw, PARAMS, "Seoul shares open lower on tech losses")
    assert out["text"].startswith("Seoul shares opened lower Monday")
    assert out["dateline"] == (12, 29) and out["place"] == "Seoul"


def test_a_headline_inside_a_sentence_is_not_cut():
    raw = "North Korean leader Kim visits Russia again, state media said, and met officials there.\n" + PROSE
    out = clean_text(raw, PARAMS, "Kim visits Russia again")
    assert out["text"].startswith("North Korean leader Kim visits Russia again")


def test_korea_herald_caption_before_the_first_sentence():
    raw = ingest_record(
        "kh.md",
        ("---\ntitle: \"MC Mong denies claims\"\n---\nMC Mong denies allegations during a live broadcast\n\n"
         "From left: MC Mong and One Hundred Label chair Cha Ga-won (One Hundred Label)Singer-producer MC Mong "
         "has strongly denied allegations, calling them false claims.During a livestream Wednesday, he said the "
         "label was a company he founded and later expanded with outside investment.\n").encode(),
        "md", IngestParams(),
    )
    out = clean_text(raw["raw_text"], PARAMS, raw["title"])
    assert "From left" not in out["text"] and "(One Hundred Label)" not in out["text"]
    assert "Singer-producer MC Mong has strongly denied allegations, calling them false claims.\nDuring" in out["text"]


def test_fox_html_body_promo_headlines_and_contributors():
    body = (
        "<p>Ukraine said Russia launched drones overnight.</p><p>Officials in Kyiv said the attack hit power "
        "lines in the east of the country.</p><p><a href=\"https://www.foxnews.com/x\"><strong>ZELENSKYY "
        "DENIES REPORTS OF NEW TALKS</strong></a></p><p>Earlier on Saturday, the Kremlin said talks would "
        "continue next week in Moscow.</p><p><i>The Associated Press contributed to this report.</i></p>"
    )
    row = ingest_record("f.md", f"---\ntitle: 'T'\ndate: 2025-12-28\n---\n{body}\n".encode(), "md", IngestParams())
    assert "overnight.\nOfficials" in row["raw_text"]
    out = clean_text(row["raw_text"], PARAMS, row["title"])
    assert "ZELENSKYY" not in out["text"] and "contributed to this report" not in out["text"]
    assert out["text"].endswith("continue next week in Moscow.")


def test_titles_lose_wire_notes_and_bot_prefixes():
    assert clean_title("(2nd LD) Special counsel accuses ex-first lady", PARAMS) == "Special counsel accuses ex-first lady"
    assert clean_title("Big News: N Korea confirms it sent troops", PARAMS) == "N Korea confirms it sent troops"
    assert clean_title("New York mayor visits Seoul", PARAMS) == "New York mayor visits Seoul"


def test_report_tail_bios_and_pull_quotes():
    raw = "\n".join([
        PROSE,
        "The open violation of the sanctions by Russia could have a serious knock-on effect for the regime",
        "Analysts warn that the open violation of the sanctions by Russia could have a serious knock-on effect "
        "for the regime more broadly, and for other embargoes.",
        PROSE,
        "Daniel Salisbury is a Senior Research Fellow at the Centre for Science and Security Studies.",
    ])
    out = clean_text(raw, PARAMS)
    assert "Salisbury" not in out["text"]
    assert out["text"].count("knock-on effect") == 1
    assert out["notes"] == {"author_bio": 1, "pull_quote": 1}


def test_furniture_can_be_turned_off():
    raw = "By Kim Hyun-soo SEOUL, Dec. 28 (Yonhap) -- " + PROSE
    assert clean_text(raw, CleanParams(furniture_patterns=False))["text"] == raw
