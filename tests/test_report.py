"""The analyst's report (tasks/report.py): built from a real pipeline run over a small input folder
that includes an article carrying script payloads, parsed and checked for content and safety, and
opened in headless Chromium."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urljoin, unquote, urlsplit

import lxml.html
import pyarrow.parquet as pq
import pytest

from tasks.report import (
    REPORT_FILE,
    json_for_script,
    readable_numbers,
    render_report,
    safe_href,
    source_link,
    write_report,
)
from tasks.schemas import TABLES, to_arrow

ARTICLES = {
    "a_shells.txt": (
        "North Korea ships shells to Russia\n"
        "Published 2024-10-03\n"
        "North Korea has supplied at least 3 million artillery shells to Russia since August 2023, "
        "according to HUR. The shipments arrived by rail through the port of Rajin, Ukrainian "
        "intelligence said.\n"
        '"The scale of these deliveries is unprecedented," said Samuel Ramani, an associate fellow '
        "at the Royal United Services Institute.\n"
        "Kim Jong Un visited Russia in September 2023 and met Vladimir Putin at the Vostochny "
        "Cosmodrome.\n"
    ),
    "b_shells.txt": (
        "Seoul gives a lower count of North Korean munitions\n"
        "Published 2024-11-20\n"
        "North Korea has supplied up to 1 million artillery shells to Russia, South Korean officials "
        "said on Wednesday. The officials added that North Korea has also deployed around 10,000 "
        "troops to Russia.\n"
        '"Pyongyang is being paid in food and oil," said Christopher Chivvis, a senior fellow at the '
        "Carnegie Endowment.\n"
    ),
    # The payloads: a script element, an event handler, javascript: links (Markdown and HTML), a
    # </script> that would close a JSON block, and an SVG handler inside an evidence sentence.
    "c_evil.txt": (
        "<script>alert(1)</script> Evil headline <img src=x onerror=alert(1)>\n"
        "Published 2024-12-01\n"
        "Readers were told to click [here](javascript:alert(1)) or "
        '<a href="javascript:alert(2)">this link</a> for more. </script><script>alert(3)</script>\n'
        "North Korea has supplied about 2 million artillery shells to Russia, U.S. intelligence said. "
        "<svg onload=alert(4)> The deliveries continued through the winter.\n"
    ),
    "d_empty.txt": "",
}
OUR_SCRIPTS = {"plotly-js", "report-charts"}
CONTRACT_TABLES = ("documents", "articles", "mentions", "quantities", "claims", "quotes", "doc_clusters",
                   "claim_summary", "entities", "cooccurrence")
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--enable-logging=stderr", "--v=0", "--virtual-time-budget=10000",
]


@pytest.fixture(scope="module")
def report_run(prefect_harness, tmp_path_factory):
    """A real pipeline run over ARTICLES, with its report written. Yields (run_dir, input, html)."""
    from flows.params import PipelineParameters
    from flows.pipeline import dossier_pipeline

    base = tmp_path_factory.mktemp("report")
    input_dir = base / "input"
    input_dir.mkdir()
    for name, text in ARTICLES.items():
        (input_dir / name).write_text(text, encoding="utf-8")
    manifest = dossier_pipeline(PipelineParameters(input_dir=str(input_dir), output_dir=str(base / "out")))
    run_dir = base / "out" / "runs" / manifest["run_id"]
    path = write_report(run_dir)
    return run_dir, input_dir, path.read_text("utf-8")


@pytest.fixture(scope="module")
def page(report_run):
    return lxml.html.document_fromstring(report_run[2])


def _text(element) -> str:
    return " ".join(element.text_content().split())


def _claims(page):
    return page.xpath('//details[contains(concat(" ", @class, " "), " claim ")]')


# --- content ----------------------------------------------------------------------------------


def test_report_is_written_atomically_and_equals_the_rendering(report_run):
    run_dir, _, html = report_run
    assert (run_dir / REPORT_FILE).read_text("utf-8") == html == render_report(run_dir)
    assert not [p for p in run_dir.iterdir() if p.name.startswith(".report-")]
    assert 1_000_000 < len(html.encode()) < 8_000_000  # plotly.js once (~4.8 MB), not twice


def test_corroborated_conflicting_claim_comes_first_with_sources_figures_and_credits(page):
    claims = _claims(page)
    assert len(claims) >= 3
    first = claims[0]
    assert first.get("data-claim-key") == "PRK|supply|RUS|artillery shell"
    assert {"corroborated", "conflict"} <= set(first.get("class").split())
    summary = first.find("summary")
    assert _text(summary.find_class("sources")[0].find_class("n")[0]) == "3"
    assert [_text(w) for w in summary.find_class("who")] == ["North Korea", "Russia"]  # names, not ids
    assert _text(summary.find_class("item")[0]) == "artillery shell"
    assert [_text(f) for f in summary.find_class("figures")[0].find_class("figure")] == [
        "≤ 1 million", "≈ 2 million", "≥ 3 million"]
    credits = {_text(c) for c in summary.find_class("credited")[0].find_class("credit")}
    assert credits == {"HUR", "South Korean officials", "U.S. intelligence"}
    reason = _text(summary.find_class("conflict-reason")[0])
    assert "at least 3 million cannot hold with one of at most 1 million" in reason
    # Single-source claims follow, none flagged as corroborated.
    sources = [int(_text(c.find_class("sources")[0].find_class("n")[0])) for c in claims]
    assert sources == sorted(sources, reverse=True)
    assert not [c for c in claims if c.get("data-claim-key") == "PERSON:kim-jong-un|visit|RUS|-"
                and "corroborated" in c.get("class")]


def test_each_claim_expands_to_its_evidence_with_document_and_source_file_link(report_run, page):
    run_dir, input_dir, _ = report_run
    first = _claims(page)[0]
    items = first.xpath('.//div[@class="evidence"]//li')
    sentences = [_text(li.find(".//blockquote")) for li in items]
    assert len(sentences) == 3
    assert any("at least 3 million artillery shells to Russia since August 2023" in s for s in sentences)
    assert any("up to 1 million artillery shells" in s for s in sentences)
    marks = [_text(m) for m in first.xpath(".//blockquote/mark")]
    assert "at least 3 million" in marks
    titles = {_text(t) for t in first.find_class("doctitle")}
    assert "North Korea ships shells to Russia" in titles
    assert "<script>alert(1)</script> Evil headline <img src=x onerror=alert(1)>" in titles  # as text
    targets = set()
    for link in first.find_class("source-link"):
        href = link.get("href")
        assert not urlsplit(href).scheme and href.startswith("/") and not href.startswith("//")
        target = Path(unquote(href))
        assert target.is_file()
        # a browser resolves the link to the same file from the run folder and through `latest`
        via_run = urljoin((run_dir / "report.html").as_uri(), href)
        via_latest = urljoin((run_dir.parent.parent / "latest" / "report.html").as_uri(), href)
        assert via_run == via_latest == target.as_uri()
        targets.add(target)
    assert targets == {(input_dir / n).resolve() for n in ("a_shells.txt", "b_shells.txt", "c_evil.txt")}


def _chart(page, div_id: str) -> dict:
    [block] = page.xpath(f'//script[@class="chart-data"][@data-target="{div_id}"]')
    assert page.get_element_by_id(div_id) is not None
    return json.loads(block.text)


def test_timeline_has_dated_claims(page):
    spec = _chart(page, "chart-timeline")
    xs = {x for trace in spec["data"] for x in trace["x"]}
    assert {"2023-08-01", "2023-09-01"} <= xs  # dates stated in the claims
    assert "2024-12-01" in xs  # the evil article's publication date, for its undated claim
    assert any(t["name"] == "conflicting figures" for t in spec["data"])
    ys = {y for trace in spec["data"] for y in trace["y"]}
    assert "North Korea supply Russia · artillery shell" in ys


def test_entity_ranking_uses_names(page):
    rows = page.xpath('//table[@id="entity-ranking"]/tbody/tr')
    names = [_text(r.xpath("./td[2]/strong")[0]) for r in rows]
    assert len(rows) >= 5
    assert {"North Korea", "Russia"} <= set(names[:3])
    assert "PRK" not in names and not [n for n in names if n.startswith("DATE")]


def test_equipment_charts(page):
    figures = _chart(page, "chart-equipment-figures")
    axis = figures["layout"]["yaxis"]
    item_of = dict(zip(axis["tickvals"], axis["ticktext"]))
    points = {(t["name"], item_of[round(y)], x) for t in figures["data"] for x, y in zip(t["x"], t["y"])}
    assert {("at least", "artillery shell", 3e6), ("at most", "artillery shell", 1e6),
            ("about", "artillery shell", 2e6)} <= points
    counts = _chart(page, "chart-equipment-counts")
    per_item = {}
    for trace in counts["data"]:
        for y, x in zip(trace["y"], trace["x"]):
            per_item[y] = per_item.get(y, 0) + x
    assert per_item["artillery shell"] >= 3 and per_item["troop"] >= 1


def test_quotes_by_speaker(page):
    speakers = {_text(s.find(".//h3")): _text(s) for s in page.find_class("speaker")}
    ramani = next(v for k, v in speakers.items() if k.startswith("Samuel Ramani"))
    assert "associate fellow at the Royal United Services Institute" in ramani
    assert "The scale of these deliveries is unprecedented" in ramani
    assert any(k.startswith("Christopher Chivvis") for k in speakers)


def test_quality_panel_lists_documents_rejects_and_every_suite(report_run, page):
    run_dir = report_run[0]
    manifest = json.loads((run_dir / "manifest.json").read_text())
    assert _text(page.get_element_by_id("documents-summary")).startswith("3 accepted, 1 rejected of 4")
    reasons = {_text(r.xpath("./td[1]")[0]): _text(r.xpath("./td[2]")[0])
               for r in page.xpath('//table[@id="reject-reasons"]/tbody/tr')}
    assert reasons == {"ingest_empty": "1"}
    assert "d_empty.txt" in _text(page.get_element_by_id("rejected-documents"))
    suites = {r.get("data-table"): _text(r) for r in page.xpath('//table[@id="suites"]//tr[@data-table]')}
    expected = {name for step in manifest["steps"] for name in step["quality"]}
    assert set(suites) == expected and expected >= set(CONTRACT_TABLES)
    assert all("passed" in v for v in suites.values())
    steps = [_text(r.xpath("./td[1]")[0]).split()[0] for r in page.xpath('//table[@id="steps"]/tbody/tr')]
    assert steps == ["ingest", "clean", "extract", "dedup", "aggregate"]


# --- safety -----------------------------------------------------------------------------------


def test_no_payload_from_the_article_can_run(report_run, page):
    html = report_run[2]
    scripts = page.xpath("//script")
    for script in scripts:
        if script.get("type") == "application/json":
            assert script.get("class") == "chart-data"
            assert "<" not in script.text and ">" not in script.text and "&" not in script.text
            json.loads(script.text)
        else:
            assert script.get("id") in OUR_SCRIPTS, lxml.html.tostring(script)[:200]
    assert {s.get("id") for s in scripts if s.get("id")} == OUR_SCRIPTS
    for element in page.iter():
        if not isinstance(element.tag, str):
            continue
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), (element.tag, name, value)
            if name.lower() in ("href", "src", "action", "formaction", "xlink:href"):
                assert "javascript" not in value.lower() and "alert" not in value
    assert not page.xpath("//img | //iframe | //object | //embed | //form")
    for href in page.xpath("//a/@href"):
        scheme = urlsplit(href).scheme
        assert scheme in ("", "http", "https"), href
    outside_library = re.sub(r'<script id="plotly-js">.*?</script>', "", html, flags=re.S)
    for raw in ("<script>alert", "<img src=x", "<svg onload", 'href="javascript', "</script><script>alert"):
        assert raw not in outside_library
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in outside_library  # shown, escaped
    # Defence in depth: only the page's own scripts may run.
    [csp] = page.xpath('//meta[@http-equiv="Content-Security-Policy"]/@content')
    assert "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]


def test_safe_href_and_json_escaping():
    assert safe_href("https://example.org/a?b=1") == "https://example.org/a?b=1"
    assert safe_href("../../input/a%20b.txt") == "../../input/a%20b.txt"
    for bad in ("javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)", "data:text/html,x",
                "vbscript:x", "//evil.example/x", "java\tscript:alert(1)", "file:///etc/passwd", "", None):
        assert safe_href(bad) is None, bad
    escaped = str(json_for_script({"t": "</script><script>alert(1)</script> & <!--"}))
    assert "<" not in escaped and ">" not in escaped and "&" not in escaped
    assert json.loads(escaped) == {"t": "</script><script>alert(1)</script> & <!--"}
    link = source_link(Path("/o/runs/r1"), Path("/in"), "feeds/news.jsonl#3")
    assert link == {"href": "/in/feeds/news.jsonl", "label": "feeds/news.jsonl", "record": 3}
    assert source_link(Path("/o/runs/r1"), Path("/in"), "javascript:alert(1)")["href"] == \
        "/in/javascript%3Aalert%281%29"
    assert readable_numbers("at least 3e+06 cannot hold with one of at most 1e+06") == \
        "at least 3 million cannot hold with one of at most 1 million"


# --- incomplete runs --------------------------------------------------------------------------


def test_a_folder_without_anything_says_what_is_missing(tmp_path):
    html = render_report(tmp_path)
    page = lxml.html.document_fromstring(html)
    missing = _text(page.get_element_by_id("missing-tables"))
    assert "manifest.json is missing" in missing
    for name in TABLES:
        assert f"{name}.parquet" in missing
    assert "claim_summary.parquet is missing" in _text(page.get_element_by_id("claims"))
    assert not page.xpath("//script")  # no chart, no library


def test_a_failed_run_reports_where_it_failed_and_what_it_lacks(report_run, tmp_path):
    run_dir = tmp_path / "run"
    shutil.copytree(report_run[0], run_dir)
    for name in ("mentions", "quantities", "claims", "quotes", "doc_clusters", "claim_summary",
                 "entities", "cooccurrence"):
        (run_dir / f"{name}.parquet").unlink()
        (run_dir / "quality" / f"{name}.json").unlink()
    manifest = json.loads((run_dir / "manifest.json").read_text())
    failed = {"table": "quantities", "success": False, "evaluated": 12, "failed": 1,
              "failures": ["expect_column_values_to_be_between on value (observed 3); e.g. [3000000.0]"]}
    manifest.update(status="failed", failed_step="extract",
                    error="DataQualityError: table 'quantities' failed 1 expectation(s)",
                    steps=manifest["steps"][:2] + [{"name": "extract", "verdict": "failed", "tables": {},
                                                    "quality": {"quantities": failed}}])
    (run_dir / "manifest.json").write_text(json.dumps(manifest))
    page = lxml.html.document_fromstring(render_report(run_dir))
    assert "failed at step “extract”" in _text(page.get_element_by_id("run-failed"))
    assert "DataQualityError" in _text(page.get_element_by_id("run-failed"))
    assert "claims.parquet" in _text(page.get_element_by_id("missing-tables"))
    assert "Not available" in _text(page.get_element_by_id("claims"))
    row = page.xpath('//tr[@data-table="quantities"]')[0]
    assert "failed" in _text(row)
    assert "expect_column_values_to_be_between on value" in _text(row.getnext())
    assert not _claims(page)


def test_a_run_without_claims_says_so(report_run, tmp_path):
    run_dir = tmp_path / "run"
    shutil.copytree(report_run[0], run_dir)
    for name in ("claims", "claim_summary", "quantities", "quotes"):
        pq.write_table(to_arrow(TABLES[name], []), run_dir / f"{name}.parquet")
    page = lxml.html.document_fromstring(render_report(run_dir))
    assert page.get_element_by_id("no-claims") is not None
    assert "No claim has a known date" in _text(page.get_element_by_id("timeline"))
    assert "No quotes" in _text(page.get_element_by_id("quotes"))
    assert not _claims(page)


def test_sources_that_only_speculate_deny_or_share_one_upstream_are_shown_apart(report_run, tmp_path):
    run_dir = tmp_path / "run"
    shutil.copytree(report_run[0], run_dir)
    rows = pq.read_table(run_dir / "claim_summary.parquet").to_pylist()
    docs = sorted({d for r in rows for d in r["doc_ids"]})
    for r in rows:
        if r["claim_key"] == "PRK|supply|RUS|artillery shell":
            r.update(n_upstream_sources=1, n_hypothetical_sources=1, hypothetical_doc_ids=docs[:1],
                     n_denying_sources=1, denying_doc_ids=docs[:1])
        elif r["predicate"] == "visit":
            r.update(n_independent_sources=0, n_hypothetical_sources=1, hypothetical_doc_ids=docs[:1])
    pq.write_table(to_arrow(TABLES["claim_summary"], rows), run_dir / "claim_summary.parquet")
    page = lxml.html.document_fromstring(render_report(run_dir))
    [shells] = [c for c in _claims(page) if c.get("data-claim-key") == "PRK|supply|RUS|artillery shell"]
    sources = _text(shells.find_class("sources")[0])
    assert "3 outlets, 1 upstream source" in sources and "+1 only speculates" in sources and "1 denies" in sources
    groups = [_text(g) for g in page.find_class("claims-group")]
    assert groups[-1].startswith("Not stated by any source")
    assert _claims(page)[-1].get("data-claim-key").startswith("PERSON:kim-jong-un|visit")


# --- in a browser -----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def chromium() -> str:
    """Debian's chromium, installed with apt-get when missing (skips only if that fails)."""
    found = shutil.which("chromium")
    if found is None:
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        try:
            subprocess.run(["apt-get", "update"], env=env, capture_output=True, timeout=600)
            done = subprocess.run(["apt-get", "install", "-y", "chromium"], env=env,
                                  capture_output=True, text=True, timeout=1200)
            reason = done.stderr[-500:]
        except (OSError, subprocess.TimeoutExpired) as exc:
            reason = str(exc)
        found = shutil.which("chromium")
        if found is None:
            pytest.skip(f"chromium is not installed and `apt-get install -y chromium` failed: {reason}")
    return found


def test_report_renders_in_headless_chromium_without_console_errors(report_run, chromium, tmp_path):
    report = report_run[0] / REPORT_FILE
    done = subprocess.run(
        [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", report.as_uri()],
        capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    console = [line for line in done.stderr.splitlines() if ":CONSOLE" in line or "Uncaught" in line]
    assert not console, "\n".join(console)
    dom = lxml.html.document_fromstring(done.stdout)
    for div_id in ("chart-timeline", "chart-equipment-figures", "chart-equipment-counts"):
        chart = dom.get_element_by_id(div_id)
        assert chart.xpath('.//*[contains(concat(" ", @class, " "), " main-svg ")]'), div_id
        assert "chart-error" not in chart.get("class", "")
    assert not dom.xpath("//img | //iframe")  # the article's payload stayed text
    for element in dom.iter():
        if isinstance(element.tag, str):
            assert not [a for a in element.attrib if a.lower().startswith("on")], element.tag
