"""python -m eval.quick [--all] [--errors] [--dump FILE]

The fast rerun of the answer figures the stance and who-answer work moves: stance accuracy on
both labelled sets and the who-answer figures (eval/who_metrics.py) on both corpora, answering
only the who-questions (``--all``: every question, with gold cited and abstentions). Each
corpus's index is an index folder in var/cache/<corpus>/, built like a user's (``ensure_index``:
rebuilt when the corpus, the settings, the model or the attribution engine changed): about 20 s
a rerun against a few minutes for ``python -m eval``.
``--errors`` lists every stance error (quote, gold, predicted, cues); ``--dump`` writes each
who-question's listed actors and answer as JSON, to diff two runs.
"""
import json, sys, time
from pathlib import Path
from eval.corpora import CORPORA
from eval.questions import load_questions
from eval.answers import evaluate_answers, evaluate_stance
from eval.who_metrics import evaluate_who
from index.corpus import load_corpus
from index.encoder import load_encoder, set_offline_env
from index.build import ensure_index
from index.store import read_index
from index.cli import resolve_index_args, add_index_args
from retrieval.searcher import Searcher
from retrieval.__main__ import add_search_args, search_settings
from retrieval.answer import Answerer
import argparse


def main() -> int:
    set_offline_env()
    p = argparse.ArgumentParser(); add_index_args(p); add_search_args(p)
    p.add_argument("--all", action="store_true"); p.add_argument("--dump"); p.add_argument("--errors", action="store_true")
    args = p.parse_args(); dump = args.dump; full = args.all
    ia = resolve_index_args(args); search = search_settings(args)
    encoder = load_encoder(ia.model_path, ia.backend)
    cache = Path(__file__).resolve().parent.parent / "var" / "cache"; cache.mkdir(parents=True, exist_ok=True)
    out = {}
    for name, ec in CORPORA.items():
        corpus = load_corpus(ec.directory())
        questions = load_questions(corpus, ec.questions)
        folder = cache / name
        t = time.time()
        if ensure_index(ec.directory(), folder, ia.chunking, encoder.model_id, lambda: encoder) is not None:
            print(f"built {name} in {time.time()-t:.0f}s")
        index = read_index(folder)
        texts = {d.source: d.text for d in corpus.documents}
        qs = questions if full else [q for q in questions if q.kind == "who"]
        answerer = Answerer(Searcher(index, encoder, search))
        rep = evaluate_answers(answerer, qs, texts)
        who = evaluate_who(qs, rep.answers)
        st = evaluate_stance(ec.stance, texts)
        if args.errors:
            from retrieval.stance import stance
            from eval.answers import _stance_quote
            for line in open(ec.stance, encoding="utf-8"):
                rec = json.loads(line) if line.strip() else None
                if rec is None:
                    continue
                quote = _stance_quote(rec, texts, ec.stance)
                got = stance(quote, rec["proposition"])
                if got.label != rec["stance"]:
                    print(f"[{name} {rec['id']}] gold {rec['stance']}, got {got.label} {list(got.cues)}\n"
                          f"    {rec['proposition']} | {quote}")
        print(f"== {name}: {st.summary()}")
        print(f"   {who.summary()}")
        if full:
            print("   " + rep.summary().replace("\n", "\n   "))
        for s in who.scores:
            out.setdefault(name, []).append({"q": s.qid, "side": s.side, "gold": s.gold_actors, "named": s.named,
                "listed": [(a.label, a.stance) for a in s.listed], "wrong": s.wrong, "unmatched": s.unmatched,
                "answer": rep.answers[s.qid].answer})
    if dump:
        Path(dump).write_text(json.dumps(out, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
