"""python -m eval attribution [--split dev] [--engine product|textacy|both] [--examples N] [--json PATH]

Speaker attribution measured three ways, one table each:

1. PolNeAR (default dev; the test split is held out): recall, coverage and precision of the
   issue's metric on the direct quotes whose source is named, exact-span source and content
   P/R/F1 over every attribution, and the errors by kind; for the product and for textacy's
   direct_quotations as a peer, on the same articles, each timed;
2. the team's NHS labelled set (eval/data/attribution.jsonl on ../shared/corpus): speaker and
   organisation accuracy of the product;
3. organisation accuracy on the hand-labelled PolNeAR quotes
   (eval/data/polnear/organisations.jsonl), when that file exists.

The rules are in eval/polnear_metric.py and eval/README.md ("Attribution on PolNeAR").
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from eval.polnear import (
    ORG_LABELS,
    RECORDED,
    SPLITS,
    EngineRun,
    HeldOut,
    LabelMismatch,
    load_documents,
    load_org_labels,
    organisations,
    run_engine,
)
from eval.polnear_corpus import PolnearMissing
from eval.polnear_metric import ERROR_KINDS, READINGS, Document, OrgScore, Score, score

LITERATURE = ("for scale, exact-span source / content F1 on PolNeAR's test split (CofeNet, COLING 2022): "
              "BERT+Cofe 83.2 / 72.9, CoreNLP 13.9 / 17.5, a rule-based system 10.7 / 5.6")
NHS_TARGETS = {"speaker": 0.99, "organisation": 0.97}


def _prf(p) -> str:
    return f"{p.precision:.3f} / {p.recall:.3f} / {p.f1:.3f}"


def _rate(r) -> str:
    return f"{r.value:.3f} ({r.hits}/{r.total})"


def _render(table) -> str:
    from rich.console import Console

    console = Console(width=170, record=True, force_terminal=False)
    with console.capture() as cap:
        console.print(table)
    return cap.get()


def format_scores(split: str, rows: list[tuple[EngineRun, Score]]) -> str:
    from rich.table import Table

    counted = rows[0][1].counted if rows else 0
    table = Table(title=f"Attribution on PolNeAR {split}: {counted} direct quotes whose source is named")
    for col in ("engine", "recall", "coverage", "precision", "source P / R / F1", "content P / R / F1",
                "claims", "seconds", "docs/s"):
        table.add_column(col, justify="left" if col == "engine" else "right")
    for run, s in rows:
        table.add_row(run.name, _rate(s.recall), _rate(s.coverage), _rate(s.precision), _prf(s.source),
                      _prf(s.content), str(s.claims), f"{run.seconds:.1f}", f"{run.docs_per_second:.1f}")
    return _render(table)


def format_errors(rows: list[tuple[EngineRun, Score, OrgScore | None]]) -> str:
    from rich.table import Table

    counted = rows[0][1].counted if rows else 0
    table = Table(title=f"Errors by kind, of {counted} counted quotes")
    table.add_column("engine")
    for k in ERROR_KINDS:
        table.add_column(k, justify="right")
    for run, s, org in rows:
        e = s.errors()
        wrong_org = f"{len(org.wrong())} of {org.accuracy_matched.total} labelled" if org is not None else "no labels"
        table.add_row(run.name, *(str(e[k]) for k in ERROR_KINDS[:3]), wrong_org)
    return _render(table)


def format_examples(run: EngineRun, s: Score, docs: list[Document], org: OrgScore | None, n: int) -> str:
    by_id = {d.doc_id: d for d in docs}
    lines = [f"Examples ({run.name}, up to {n} per kind)"]
    for kind in ERROR_KINDS[:3]:
        picked = [o for o in s.outcomes if o.kind == kind][:n]
        lines.append(f"  {kind}:")
        for o in picked:
            doc = by_id[o.doc_id]
            g = doc.gold[o.index]
            ext = g.extent
            content = " ".join(doc.text[ext[0]:ext[1]].split()) if ext else ""
            got = (f"claim speaker {o.speaker!r}, organisation {o.organisation!r}"
                   if kind != "no claim" else "no claim")
            lines.append(f"    {o.doc_id} #{o.index}: gold source {o.source_text!r}; {got}")
            lines.append(f"      {content[:110]!r}")
    if org is not None:
        lines.append("  wrong organisation:")
        for o in org.wrong()[:n]:
            lines.append(f"    {o.doc_id} #{o.quote} ({o.id}): expected {o.expected!r}, got {o.predicted!r}")
    return "\n".join(lines)


def other_reading_line(run: EngineRun, docs_all: list[Document]) -> str:
    s = score(docs_all, run.claims, "all")
    return (f"  {run.name}: {s.counted} quotes; recall {_rate(s.recall)}, coverage {_rate(s.coverage)}, "
            f"precision {_rate(s.precision)}")


def nhs_report() -> tuple[str, dict | None]:
    from eval.attribution import evaluate_attribution
    from index.corpus import load_corpus
    from index.paths import default_corpus_dir

    try:
        report = evaluate_attribution(load_corpus(default_corpus_dir()))
    except Exception as exc:  # a missing corpus should not hide the PolNeAR figures
        return f"NHS labelled set: not measured ({exc})", None
    sp, org = report.speaker_accuracy, report.organisation_accuracy
    met = ", ".join(f"{k} {'met' if v >= NHS_TARGETS[k] else 'NOT met'} (target {NHS_TARGETS[k]:.0%})"
                    for k, v in (("speaker", sp), ("organisation", org)))
    return (f"NHS labelled set (product, eval/data/attribution.jsonl): {report.summary()}; {met}",
            {"accuracy": report.accuracy, "speaker": sp, "organisation": org, "n": len(report.results)})


def org_line(run: EngineRun, org: OrgScore | None, path: Path) -> str:
    if org is None:
        return f"  {run.name}: not measured: {path} does not exist (no organisation labels yet)"
    return (f"  {run.name}: {_rate(org.accuracy)} of labels (no matching claim counts as wrong); "
            f"{_rate(org.accuracy_matched)} of labels a claim matches")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval attribution", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", default="dev", help=f"one of {', '.join(SPLITS)} (default dev; test is held out)")
    parser.add_argument("--engine", default="both", choices=("product", "textacy", "both"))
    parser.add_argument("--examples", type=int, default=0, metavar="N", help="print N examples of each error kind")
    parser.add_argument("--json", type=Path, help="write every figure and per-quote outcome here")
    parser.add_argument("--marks", default="double", choices=READINGS,
                        help="what counts as a quotation mark (default double: the issue's reading)")
    parser.add_argument("--organisations", type=Path, default=ORG_LABELS,
                        help=f"organisation labels (default {ORG_LABELS.relative_to(ORG_LABELS.parents[2])})")
    parser.add_argument("--no-nhs", action="store_true", help="skip the NHS labelled set")
    parser.add_argument("--record", action="store_true",
                        help=f"save the engines' figures as the regression gate's reference ({RECORDED.name}; dev only)")
    args = parser.parse_args(argv)
    try:
        docs = load_documents(args.split, args.marks)
        labels = load_org_labels(docs, args.organisations)
    except (HeldOut, PolnearMissing, LabelMismatch) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    names = ["product", "textacy"] if args.engine == "both" else [args.engine]
    rows = []
    for name in names:
        run = run_engine(name, docs)
        rows.append((run, score(docs, run.claims, args.marks), organisations(labels, docs, run)))
    n_attr = sum(len(d.gold) for d in docs)
    print(format_scores(args.split, [(r, s) for r, s, _ in rows]))
    print(f"{len(docs)} articles, {n_attr} gold attributions; {LITERATURE} (ours: {args.split}).")
    print("precision: claims matching a named gold attribution of any kind; restricted to counted quotes: "
          + "; ".join(f"{r.name} {_rate(s.precision_counted)}" for r, s, _ in rows))
    for r, _, _ in rows:
        if r.note:
            print(f"{r.name}: {r.note}")
    if args.marks == "double":
        docs_all = load_documents(args.split, "all")
        print("with NYT's '' and single quotation marks counted as well (--marks all):")
        for r, _, _ in rows:
            print(other_reading_line(r, docs_all))
    _print_recorded(args.split, args.marks, rows)
    print()
    print(format_errors(rows))
    if args.examples:
        for run, s, org in rows:
            print(format_examples(run, s, docs, org, args.examples))
    nhs_text, nhs = (None, None) if args.no_nhs else nhs_report()
    if nhs_text:
        print(nhs_text)
    print(f"Organisation accuracy on hand-labelled PolNeAR {args.split} quotes "
          f"({f'{len(labels)} labels' if labels is not None else 'no labels'}):")
    for run, _, org in rows:
        print(org_line(run, org, args.organisations))
    if args.record:
        if args.split != "dev" or args.marks != "double":
            print("error: --record keeps dev figures under the default reading only", file=sys.stderr)
            return 2
        record(rows)
        print(f"recorded {', '.join(r.name for r, _, _ in rows)} in {RECORDED}")
    if args.json:
        out = {"split": args.split, "reading": args.marks, "articles": len(docs), "attributions": n_attr,
               "engines": {r.name: {"seconds": round(r.seconds, 3), "docs_per_second": round(r.docs_per_second, 2),
                                    "note": r.note, "score": s.to_json(),
                                    "organisations": org.to_json() if org is not None else None}
                           for r, s, org in rows},
               "nhs": nhs}
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {args.json}")
    return 0


def figures(s: Score) -> dict:
    return {"recall": round(s.recall.value, 4), "coverage": round(s.coverage.value, 4),
            "precision": round(s.precision.value, 4), "recall_hits": s.recall.hits,
            "coverage_hits": s.coverage.hits, "precision_hits": s.precision.hits,
            "precision_claims": s.precision.total}


def record(rows) -> None:
    """Write (or update) eval/attribution_recorded.json with these engines' dev figures."""
    rec = json.loads(RECORDED.read_text(encoding="utf-8")) if RECORDED.is_file() else {}
    rec.update({"split": "dev", "reading": "double", "tolerance": rec.get("tolerance", 0.01)})
    for r, s, _ in rows:
        rec["counted"] = s.counted
        rec.setdefault("engines", {})[r.name] = figures(s)
    RECORDED.write_text(json.dumps(rec, indent=2) + "\n", encoding="utf-8")


def _print_recorded(split: str, reading: str, rows) -> None:
    """The recorded figures (eval/attribution_recorded.json) and the issue's, beside this run's."""
    if not RECORDED.is_file():
        return
    rec = json.loads(RECORDED.read_text(encoding="utf-8"))
    if rec.get("split") != split or rec.get("reading") != reading:
        return
    for r, s, _ in rows:
        issue = rec.get("issue", {}).get(r.name)
        if issue:
            print(f"{r.name}, the issue's figures: recall {issue['recall']:.3f}, coverage {issue['coverage']:.3f}, "
                  f"precision {issue['precision']:.3f} (eval/README.md says why recall and precision differ)")


if __name__ == "__main__":
    sys.exit(main())
