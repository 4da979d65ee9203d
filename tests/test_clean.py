from datetime import date
from pathlib import Path

from tasks.clean import clean_document, clean_text, detect_language
from tasks.dates import parse_date
from tasks.params import CleanParams

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
PARAMS = CleanParams()
PROSE = "This is a long paragraph of running prose that talks about the war and the many officials involved."


def test_parse_date_forms():
    assert parse_date("Department of Research 14-11-2024") == date(2024, 11, 14)
    assert parse_date("Published November 29, 2024") == date(2024, 11, 29)
    assert parse_date("29 Nov 2024") == date(2024, 11, 29)
    assert parse_date("2024-06-19T10:00") == date(2024, 6, 19)
    assert parse_date("no date here 2024") is None


def test_title_byline_and_trailing_lists():
    raw = "\n".join(
        [
            "A Headline About Things",
            "By Staff Writer 03-02-2024",
            PROSE,
            "What You Will Learn",
            "- a bullet",
            "- another bullet",
            "Section heading",
            PROSE,
            "You Might Also Like",
            "Celebrity story one",
            "Article Recommendations",
            "- Some Link 12345",
        ]
    )
    out = clean_text(raw, PARAMS)
    assert out["title"] == "A Headline About Things"
    assert out["published"] == date(2024, 2, 3)
    assert out["text"] == "\n".join([PROSE, "Section heading", PROSE])
    assert out["n_boilerplate_chars"] == sum(
        len(x) + 1
        for x in [
            "By Staff Writer 03-02-2024",
            "What You Will Learn",
            "- a bullet",
            "- another bullet",
            "You Might Also Like",
            "Celebrity story one",
            "Article Recommendations",
            "- Some Link 12345",
        ]
    )


def test_first_paragraph_is_not_a_title():
    out = clean_text(PROSE + "\n" + PROSE, PARAMS)
    assert out["title"] is None and out["text"] == PROSE + "\n" + PROSE


def test_seed_003_recommendations_are_dropped():
    raw = (SEEDS / "003_765dbf10bb0c6160.txt").read_text()
    text = clean_text(raw, PARAMS)["text"]
    for junk in ("You Might Also Like", "Brittney Griner", "Article Recommendations", "Puppy Bowl", "Tiffany Gomas"):
        assert junk not in text
    assert text.endswith("reshape the balance of power in the region.")
    assert "Christopher Chivvis" in text


def test_seed_001_title_and_date():
    raw = (SEEDS / "001_c41701d4820933d4.txt").read_text()
    out = clean_text(raw, PARAMS)
    assert out["published"] == date(2024, 11, 14)
    assert out["title"].startswith("North Korea and Russia’s Growing Alliance")
    assert "14-11-2024" not in out["text"]


def test_short_document_is_rejected_with_reason():
    doc = {"doc_id": "d", "source_path": "d.txt", "status": "ok", "raw_text": "Too short."}
    assert clean_document(doc, PARAMS) == (None, "clean_too_short")


def test_language():
    assert detect_language(PROSE) == "en"
    assert detect_language("Der Krieg in der Ukraine dauert an und die Lage bleibt schwierig, sagen Beobachter in Berlin.") == "de"
