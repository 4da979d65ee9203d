"""Build dossier's English tagger and dependency parser from the UD treebanks (``make model``).

    .venv/bin/python training/build_model.py                      # ../shared/treebanks -> models/en_dossier_parser
    .venv/bin/python training/build_model.py --max-steps 2000     # a quicker, weaker model
    .venv/bin/python training/build_model.py --evaluate-only      # score the committed model again
    .venv/bin/python training/build_model.py --package-only       # repackage build/model's last training

Steps: join the train (and dev) files of UD English EWT and of GUM's CC BY part, convert them with
``spacy convert --converter conllu``, train ``training/parser.cfg`` with ``spacy train`` on the CPU,
add the PTB -> UPOS mapping (``training/tag_map.json``) as an attribute ruler, write the pipeline to
``models/en_dossier_parser/`` with its ``meta.json`` and ``README.md``, and print tag accuracy, UAS
and LAS on the EWT test set and on GUM's news test documents. Work files go to ``build/model/``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TREEBANKS = ROOT.parent / "shared" / "treebanks"
CONFIG = ROOT / "training" / "parser.cfg"
TAG_MAP = ROOT / "training" / "tag_map.json"
MODEL = ROOT / "models" / "en_dossier_parser"
WORK = ROOT / "build" / "model"
NAME = "dossier_parser"
VERSION = "1.0.0"

EWT = "ud_english_ewt/en_ewt-ud-{split}.conllu"
# scored: each test set as documents of 10 sentences (the parser splits them) and one sentence per
# document (the sentence given, as in dossier)
TEST_SETS = ("ewt_test", "gum_news_test", "ewt_test_sentences", "gum_news_test_sentences")
GUM = "ud_english_gum_ccby/en_gum-ccby-ud-{split}.conllu"
SOURCES = [
    {"name": "UD English EWT", "url": "https://github.com/UniversalDependencies/UD_English-EWT",
     "commit": "15d613d8447b3478787d4c278730a1e48a945efb", "license": "CC BY-SA 4.0"},
    {"name": "UD English GUM (the genres under CC BY 4.0 or public domain only)",
     "url": "https://github.com/UniversalDependencies/UD_English-GUM",
     "commit": "afb41ee9bca57991125814fa04d96a0e61470c8b", "license": "CC BY 4.0"},
]


def documents(path: Path) -> list[tuple[str, str]]:
    """A CoNLL-U file as (newdoc id, text of its sentence blocks) pairs."""
    docs: list[tuple[str, list[str]]] = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        if not block.strip():
            continue
        for line in block.splitlines():
            if line.startswith("# newdoc id = "):
                docs.append((line.split("=", 1)[1].strip(), []))
        if not docs:
            docs.append(("", []))
        docs[-1][1].append(block.strip("\n"))
    return [(doc_id, "\n\n".join(blocks) + "\n\n") for doc_id, blocks in docs]


def join(paths: list[Path], target: Path, keep=lambda doc_id: True) -> Path:
    target.write_text("".join(text for p in paths for doc_id, text in documents(p) if keep(doc_id)),
                      encoding="utf-8")
    return target


def convert(conllu: Path, out_dir: Path, n_sents: int = 10) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-m", "spacy", "convert", str(conllu), str(out_dir),
                    "--converter", "conllu", "--n-sents", str(n_sents)], check=True, stdout=subprocess.DEVNULL)
    return out_dir / f"{conllu.stem}.spacy"


def prepare(treebanks: Path) -> dict[str, Path]:
    WORK.mkdir(parents=True, exist_ok=True)
    conllu = WORK / "conllu"
    conllu.mkdir(exist_ok=True)
    spacy_dir = WORK / "corpus"
    spacy_dir.mkdir(exist_ok=True)
    sets = {
        "train": join([treebanks / EWT.format(split="train"), treebanks / GUM.format(split="train")],
                      conllu / "train.conllu"),
        "dev": join([treebanks / EWT.format(split="dev"), treebanks / GUM.format(split="dev")],
                    conllu / "dev.conllu"),
        "ewt_test": join([treebanks / EWT.format(split="test")], conllu / "ewt_test.conllu"),
        "gum_news_test": join([treebanks / GUM.format(split="test")], conllu / "gum_news_test.conllu",
                              keep=lambda doc_id: doc_id.startswith("GUM_news_")),
    }
    corpus = {name: convert(path, spacy_dir) for name, path in sets.items()}
    # the test sets again, one sentence per document: how dossier runs the parser (on sentences its
    # splitter found), so the scores do not count the parser's own sentence splitting
    for name in ("ewt_test", "gum_news_test"):
        corpus[f"{name}_sentences"] = convert(sets[name], WORK / "corpus_sentences", n_sents=1)
    return corpus


def train(corpus: dict[str, Path], max_steps: int | None) -> Path:
    out = WORK / "train"
    if out.exists():
        shutil.rmtree(out)
    command = [sys.executable, "-m", "spacy", "train", str(CONFIG), "--output", str(out),
               "--paths.train", str(corpus["train"]), "--paths.dev", str(corpus["dev"])]
    if max_steps:
        command += ["--training.max_steps", str(max_steps)]
    subprocess.run(command, check=True)
    return out / "model-best"


def package(trained: Path) -> None:
    import spacy

    nlp = spacy.load(trained)
    tags = json.loads(TAG_MAP.read_text())
    ruler = nlp.add_pipe("attribute_ruler", after="parser")
    ruler.load_from_tag_map({tag: {"POS": pos} for tag, pos in tags["map"].items()})
    for rule in tags["by_dependency"]:  # later patterns win: the dependency settles an ambiguous tag
        ruler.add([[{"TAG": {"IN": rule["tags"]}, "DEP": {"IN": rule["deps"]}}]], {"POS": rule["pos"]})
    nlp.meta.update({
        "name": NAME, "version": VERSION, "lang": "en",
        "description": "dossier's English tagger (PTB tags, UPOS by mapping) and dependency parser "
                       "(Universal Dependencies labels), trained by `make model` on UD English EWT "
                       "and the CC BY part of UD English GUM.",
        "author": "dossier", "license": "CC BY-SA 4.0", "sources": SOURCES,
        "training": {"config": "training/parser.cfg (also config.cfg here)", "tag_map": "training/tag_map.json",
                     "seed": nlp.config["training"]["seed"], "max_steps": nlp.config["training"]["max_steps"],
                     "patience": nlp.config["training"]["patience"],
                     "train": "EWT train + GUM (CC BY part) train", "dev": "EWT dev + GUM (CC BY part) dev",
                     "converter": "spacy convert --converter conllu --n-sents 10"},
    })
    if MODEL.exists():
        shutil.rmtree(MODEL)
    MODEL.parent.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(MODEL)


def evaluate(corpus: dict[str, Path]) -> dict[str, dict[str, float]]:
    scores = {}
    for name in TEST_SETS:
        out = WORK / f"scores_{name}.json"
        subprocess.run([sys.executable, "-m", "spacy", "evaluate", str(MODEL), str(corpus[name]),
                        "--output", str(out)], check=True, stdout=subprocess.DEVNULL)
        raw = json.loads(out.read_text())
        scores[name] = {k: round(float(raw[k]), 4) for k in ("tag_acc", "pos_acc", "dep_uas", "dep_las",
                                                              "sents_f", "speed") if raw.get(k) is not None}
    return scores


def write_record(scores: dict[str, dict[str, float]], seconds: float | None) -> None:
    meta_path = MODEL / "meta.json"
    meta = json.loads(meta_path.read_text())
    meta["performance"] = {**meta.get("performance", {}), "test_sets": scores}
    if seconds is not None:
        meta["training_seconds"] = round(seconds)
    meta_path.write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n")
    rows = "\n".join(
        f"| {name} | {s.get('tag_acc', 0):.3f} | {s.get('pos_acc', 0):.3f} | {s.get('dep_uas', 0):.3f} | "
        f"{s.get('dep_las', 0):.3f} | {s.get('sents_f', 0):.3f} |" for name, s in scores.items())
    training = meta.get("training_seconds")
    (MODEL / "README.md").write_text(f"""# {NAME} {VERSION}: dossier's English tagger and dependency parser

Built by `make model` (`training/build_model.py`) from the config `training/parser.cfg`: spaCy
{meta.get('spacy_version', '')}, tok2vec (hash embeddings of NORM, PREFIX, SUFFIX, SHAPE; a 4-layer
CNN, width 96) shared by a tagger (Penn Treebank tags) and a transition-based dependency parser
(Universal Dependencies labels), then an attribute ruler that maps the tags to Universal POS,
helped by the dependency label where a tag covers two (`training/tag_map.json`). Seeded, trained on the CPU{f' in {training // 60} minutes' if training else ''};
no word vectors, no download.

## Training data and licences

- UD English EWT (the English Web Treebank), CC BY-SA 4.0: train split, dev split for model
  selection, test split for the scores below.
- UD English GUM, only its genres under CC BY 4.0 or in the public domain (news and interviews,
  biographies, travel guides, textbooks, vlogs, speeches, conversation): train and dev splits; the
  news documents of its test split for the scores below.

The treebanks' provenance is in `../shared/treebanks/SOURCE.md` where it is present. As an
adaptation of CC BY-SA data, this model is shared under CC BY-SA 4.0.

## Scores (`spacy evaluate`)

| test set | tag acc. | UPOS acc. (mapped) | UAS | LAS | sentence F |
|---|---|---|---|---|---|
{rows}

`ewt_test` and `gum_news_test` are the test files as documents of ten sentences, so that the parser
also finds the sentence boundaries (an attachment across a wrong boundary counts as an error);
the `_sentences` rows give it one sentence at a time, as dossier does (its rule splitter finds the
sentences, the parser may split one further).

Heads follow UD: a multi-word name is headed on its first token ("North" <-flat- "Korea"), and
objects are `obj`, obliques `obl`, noun modifiers `nmod`; dossier maps these and spaCy's English
pipelines' labels onto one set in `tasks/nlp/data/dependencies.json`.
""")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--treebanks", type=Path, default=TREEBANKS)
    parser.add_argument("--max-steps", type=int, default=None, help="override training.max_steps")
    parser.add_argument("--evaluate-only", action="store_true", help="score the model in models/ again")
    parser.add_argument("--package-only", action="store_true",
                        help="package the best model of the last training in build/model again (after a change "
                             "to the tag map or the record) and score it")
    args = parser.parse_args()
    if not (args.treebanks / EWT.format(split="train")).exists():
        sys.exit(f"dossier: no treebanks at {args.treebanks} (see ../shared/treebanks/SOURCE.md); "
                 f"the committed model in {MODEL.relative_to(ROOT)} is used as it is")
    corpus = prepare(args.treebanks)
    seconds = None
    if args.package_only:
        seconds = json.loads((MODEL / "meta.json").read_text()).get("training_seconds") if MODEL.exists() else None
        package(WORK / "train" / "model-best")
    elif not args.evaluate_only:
        started = time.monotonic()
        package(train(corpus, args.max_steps))
        seconds = time.monotonic() - started
    scores = evaluate(corpus)
    write_record(scores, seconds)
    for name, s in scores.items():
        print(f"{name:14s} tag {s.get('tag_acc', 0):.3f}  upos {s.get('pos_acc', 0):.3f}  "
              f"UAS {s.get('dep_uas', 0):.3f}  LAS {s.get('dep_las', 0):.3f}  sents F {s.get('sents_f', 0):.3f}")
    print(f"model: {MODEL}")


if __name__ == "__main__":
    main()
