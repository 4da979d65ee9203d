"""How clean the articles of a real crawl come out of ingest and cleaning.

    .venv/bin/python bench/input_quality.py                      # ../shared/corpora/real/
    .venv/bin/python bench/input_quality.py --input ~/crawl      # any folder of articles
    .venv/bin/python bench/input_quality.py --output data        # read articles of a finished run

Runs the same pure ingest and clean functions the flow's tasks call (or reads the ``documents`` and
``articles`` tables of a run with ``--output``) and prints, per top-level folder: files, records,
accepted, rejected (each rejection with its file, reason and detail), the notes of repaired values,
and the residue left in ``articles.text`` that is not article prose: HTML entities, wire notes,
glued sentences, photo captions, crawler lines, front-matter text. Examples of each residue are
printed so a regression can be read, not only counted.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEFAULT_INPUT = ROOT.parent / "shared" / "corpora" / "real"

# What must not be left in an article's text. These are the yardsticks of the measurement, kept
# apart from the patterns cleaning uses (tasks/data/furniture.toml) so that one does not grade itself.
RESIDUE = {
    "html_entity": re.compile(r"&(?:[A-Za-z][A-Za-z0-9]{1,9}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});"),
    "wire_note": re.compile(r"\((?:LEAD|URGENT|\d+(?:st|nd|rd|th) LD|ATTN:[^)]{0,200}|END|News Focus)\)"),
    "glued_sentence": re.compile(r"(?<=[a-z0-9%])[.!?][\"”’]?(?=[A-Z“‘]|\"\w)|(?<=[a-z])[\"”’](?=[A-Z])"),
    "caption": re.compile(
        r"^(?:This|The|A) (?:file )?(?:photo|image|picture|screenshot|handout)\b[^\n]{0,400}\bshows?\b"
        r"|\((?:[A-Z][\w.&' -]{0,30}-)?Yonhap\)\s*(?:$|[A-Z])|PHOTO NOT FOR SALE",
        re.M,
    ),
    "dateline": re.compile(r"\((?:Yonhap|AP|Reuters|AFP)\) (?:--|—|-)"),
    "byline": re.compile(r"^By [A-Z][a-z]+(?:[ -][A-Z][a-z]+){0,3}\b(?! of)", re.M),
    "crawler_line": re.compile(r"Crawled at:|원문 보기|^\*\*[^*\n]{1,40}\*\* \|", re.M),
    "front_matter": re.compile(
        r"^-{3}\\n|^(?:title|date|draft|tags|categories|published_at|crawled_at|content_hash|slug):\s", re.M
    ),
    "markup": re.compile(r"</?(?:p|strong|a|em|div|span|br|li|ul|h[1-6])\b[^>]{0,200}>"),
}
EXAMPLES_PER_KIND = 3


def _folder(source_path: str) -> str:
    return source_path.split("/", 1)[0] if "/" in source_path else "."


def from_functions(input_dir: Path):
    from tasks.clean import clean_documents
    from tasks.ingest import ingest_files, list_inputs
    from tasks.params import CleanParams, IngestParams

    ingest_params, clean_params = IngestParams(), CleanParams()
    documents = list(ingest_files(list_inputs(input_dir, ingest_params), ingest_params))
    articles = []
    for (row, reason), doc in zip(clean_documents(documents, clean_params), [d for d in documents if d["status"] == "ok"]):
        articles.append(row if row is not None else {"doc_id": doc["doc_id"], "source_path": doc["source_path"], "rejected": reason})
    return documents, articles


def from_run(output: Path):
    import pyarrow.parquet as pq

    run = output / "latest" if (output / "latest").exists() else output
    documents = pq.read_table(run / "documents.parquet").to_pylist()
    articles = pq.read_table(run / "articles.parquet").to_pylist()
    return documents, articles


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--input", type=Path, default=DEFAULT_INPUT)
    parser.add_argument("--output", type=Path, help="read the tables of this output store or run folder instead")
    parser.add_argument("--examples", type=int, default=EXAMPLES_PER_KIND)
    args = parser.parse_args()
    if args.output is None and not args.input.is_dir():
        sys.exit(f"input_quality: {args.input} is not a folder (pass --input)")
    documents, articles = from_run(args.output) if args.output else from_functions(args.input)

    per_folder: dict[str, Counter] = defaultdict(Counter)
    rejections = []
    notes: Counter = Counter()
    for doc in documents:
        folder = per_folder[_folder(doc["source_path"])]
        folder["records"] += 1
        folder["accepted" if doc["status"] == "ok" else "rejected"] += 1
        if doc["status"] != "ok":
            rejections.append((doc["source_path"], doc["reject_reason"], (doc.get("reject_detail") or "")[:160]))
        notes.update(doc.get("ingest_notes") or [])
    residue: dict[str, Counter] = defaultdict(Counter)
    examples: dict[str, list[str]] = defaultdict(list)
    for art in articles:
        folder = per_folder[_folder(art["source_path"])]
        if art.get("rejected"):
            folder[art["rejected"]] += 1
            continue
        folder["articles"] += 1
        notes.update(art.get("clean_notes") or [])
        for field in ("title", "published", "author"):
            folder[f"with_{field}"] += art.get(field) is not None
        text = art["text"]
        for kind, pattern in RESIDUE.items():
            found = list(pattern.finditer(text))
            if kind != "front_matter" and art.get("title"):
                found += list(pattern.finditer(art["title"])) if kind in ("html_entity", "wire_note", "markup") else []
            if found:
                residue[kind][_folder(art["source_path"])] += len(found)
                residue[kind]["articles"] += 1
                if len(examples[kind]) < args.examples:
                    m = found[0]
                    examples[kind].append(
                        f"{art['source_path']}: …{text[max(0, m.start() - 50):m.end() + 50]!r}…"
                        if m.string is text else f"{art['source_path']}: title {art['title'][:120]!r}"
                    )

    print(f"{'folder':<16}{'records':>9}{'accepted':>10}{'rejected':>10}{'articles':>10}{'title':>7}{'date':>6}{'author':>8}")
    for name, c in sorted(per_folder.items()):
        print(f"{name:<16}{c['records']:>9}{c['accepted']:>10}{c['rejected']:>10}{c['articles']:>10}"
              f"{c['with_title']:>7}{c['with_published']:>6}{c['with_author']:>8}")
        others = {k: v for k, v in c.items() if k.startswith("clean_")}
        if others:
            print(f"{'':<16}not articles after cleaning: {dict(sorted(others.items()))}")
    print(f"\nrejected records: {len(rejections)}")
    for path, reason, detail in rejections:
        print(f"  {path}: {reason}: {detail}")
    print(f"\nnotes on repaired values: {dict(sorted(notes.items())) or 'none'}")
    print("\nresidue in articles.text (occurrences per folder; articles affected):")
    for kind in RESIDUE:
        counts = residue.get(kind, Counter())
        n_articles = counts.pop("articles", 0)
        print(f"  {kind:<16} {sum(counts.values()):>6} in {n_articles:>4} articles  {dict(sorted(counts.items()))}")
        for example in examples.get(kind, []):
            print(f"      {example}")


if __name__ == "__main__":
    main()
