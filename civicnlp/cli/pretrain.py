"""``civicnlp pretrain CORPUS -o DIR``: a small Chinese BERT from your own texts, offline."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from civicnlp.cli.common import add_read_options, fail, positive_int, progress_bar
from civicnlp.errors import CivicError, Errors

__all__ = ["corpus_texts", "register", "training_progress"]


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the ``pretrain`` subcommand."""
    from civicnlp.classify.transformer_pretrain import PretrainOptions

    d = PretrainOptions()
    p = sub.add_parser(
        "pretrain",
        help="pretrain a small Chinese BERT on a corpus (needs civicnlp[transformers])",
        description="Build a character-level vocabulary from CORPUS and train a small BERT encoder "
        "with masked-language modelling; the folder written is a base checkpoint for "
        "`civicnlp train --backend transformer --base DIR`. Works offline; defaults take "
        "minutes on a laptop CPU.",
    )
    p.add_argument("corpus", nargs="+", metavar="CORPUS", help="folders and files (txt/md, docx, html, jsonl, csv)")
    p.add_argument("-o", "--output", required=True, metavar="DIR", help="folder to write the checkpoint to")
    for flag, what in (
        ("--vocab-size", "at most N tokens"),
        ("--min-frequency", "keep tokens seen N times"),
        ("--layers", "encoder layers"),
        ("--hidden", "hidden size"),
        ("--heads", "attention heads; must divide --hidden"),
        ("--steps", "optimizer steps"),
        ("--seq-len", "tokens per training block"),
        ("--batch", "blocks per step"),
    ):
        default = getattr(d, flag[2:].replace("-", "_"))
        p.add_argument(flag, type=positive_int, default=default, metavar="N", help=f"{what} (default {default})")
    p.add_argument("--lr", type=float, default=d.lr, metavar="X", help=f"peak learning rate (default {d.lr})")
    p.add_argument("--seed", type=int, default=d.seed, help=f"random seed (default {d.seed})")
    p.add_argument("--device", default="cpu", help="cpu (default), cuda, cuda:N, mps or auto")
    add_read_options(p)
    p.set_defaults(func=run)


def corpus_texts(paths: list[str], options: object, warn: Callable[[str], None]) -> Iterator[str]:
    """Every readable text under ``paths`` (folders recursively); unreadable inputs are warned about."""
    from civicnlp.read import ReadOptions, read_file, reader_for
    from civicnlp.text.normalize import normalize

    assert isinstance(options, ReadOptions)
    for p in paths:
        path = Path(p)
        if path.is_dir():
            files = sorted(Path(dp) / f for dp, _, fs in os.walk(path) for f in fs)
            files = [f for f in files if reader_for(f) is not None]
        elif path.exists():
            files = [path]
        else:
            raise CivicError(Errors.E401, path=p)
        for f in files:
            for raw in read_file(f, options=options):
                if raw.error is not None:
                    warn(raw.error.message)
                elif raw.text.strip():
                    yield normalize(raw.text).text  # as the pipeline normalizes what it classifies


def training_progress(total: int, label: str, advance: Callable[[int], None]) -> Callable[[int, int, float], None]:
    """A ``progress(step, total, loss)`` callback: a bar on a terminal, or a loss line every ~5%."""
    every = max(1, total // 20)
    tty = sys.stderr.isatty()

    def report(step: int, _total: int, loss: float) -> None:
        advance(1)
        if not tty and (step % every == 0 or step == _total):
            print(f"civicnlp: {label} step {step}/{_total} loss {loss:.4f}", file=sys.stderr, flush=True)

    return report


def run(args: argparse.Namespace) -> int:
    """Run ``pretrain``."""
    from civicnlp.classify.transformer_deps import try_transformers_import
    from civicnlp.classify.transformer_pretrain import PretrainOptions, pretrain
    from civicnlp.read import ReadOptions

    if args.hidden % args.heads:
        return fail(f"--hidden {args.hidden} is not a multiple of --heads {args.heads}")
    try:
        try_transformers_import()
        opts = ReadOptions(text_field=args.text_field, id_field=args.id_field, max_bytes=args.max_bytes)
        texts = list(corpus_texts(args.corpus, opts, lambda m: print(f"civicnlp: warning: {m}", file=sys.stderr)))
    except CivicError as err:
        return fail(err)
    if not texts:
        return fail("no readable text in CORPUS: give folders or .txt/.jsonl/.csv files with text")
    options = PretrainOptions(
        vocab_size=args.vocab_size,
        min_frequency=args.min_frequency,
        layers=args.layers,
        hidden=args.hidden,
        heads=args.heads,
        steps=args.steps,
        seq_len=args.seq_len,
        batch=args.batch,
        lr=args.lr,
        seed=args.seed,
    )
    print(f"civicnlp: pretraining on {len(texts)} texts ({sum(map(len, texts))} characters)", file=sys.stderr)
    out = Path(args.output)
    try:
        with progress_bar(options.steps, "pretrain") as advance:
            card = pretrain(
                texts,
                out,
                options=options,
                device=args.device,
                progress=training_progress(options.steps, "pretrain", advance),
            )
    except CivicError as err:
        return fail(err)
    t = card["training"]
    print(
        f"civicnlp: wrote {out} ({card['parameters']} parameters, vocabulary {card['vocab_size']}, "
        f"final MLM loss {t['final_loss']}, {t['seconds']} s on {t['device']})",
        file=sys.stderr,
    )
    return 0
