"""The transformer backend: fine-tune a local checkpoint for document types; load it safely.

**Long documents** are cut with *head + tail truncation*: a document longer than
``max_length`` tokens keeps its first ``head_fraction`` of the token budget (title, addressee,
opening — where the genre shows) and its last tokens (signature, date, closing formula such as
an appeal's sign-off). One forward pass per document, so prediction cost does not grow with length.

**Titles**: ``classify(text, title)`` puts the title in front of the text unless the text
already starts with it, so a model trained on full texts sees the same shape at prediction.

**Safety**: a model folder is loaded only from ``model.safetensors`` after every file's sha256
was checked against ``model.json``; a folder holding pickles (``.bin``/``.pt``/…) is refused,
and nothing is fetched from a model hub.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from civicnlp.classify.model_io import CARD, FORMAT, now_iso, read_card, sha256_file, verify_files, versions
from civicnlp.classify.transformer_deps import (
    INSTALL,
    MissingExtraError,
    TransformerLibs,
    resolve_device,
    try_transformers_import,
)
from civicnlp.document import DocType
from civicnlp.errors import Errors, ModelError

__all__ = ["BACKEND", "TransformerClassifier", "encode_head_tail", "train_transformer"]

BACKEND = "transformer"
WEIGHTS = "model.safetensors"
REQUIRED_FILES = ("config.json", WEIGHTS, "tokenizer.json")
DEFAULT_HEAD_FRACTION = 0.75

Progress = Callable[[int, int, float], None]


def _special_frame(tokenizer: Any) -> tuple[list[int], list[int]]:
    """The special ids a tokenizer puts before and after one sequence (e.g. [CLS] … [SEP])."""
    probe = "一"
    bare = tokenizer(probe, add_special_tokens=False)["input_ids"]
    full = tokenizer(probe, add_special_tokens=True)["input_ids"]
    for i in range(len(full) - len(bare) + 1):
        if full[i : i + len(bare)] == bare:
            return list(full[:i]), list(full[i + len(bare) :])
    return [], []


def _with_title(text: str, title: str | None) -> str:
    if title and title.strip() and not text.lstrip().startswith(title.strip()):
        return title.strip() + "\n" + text
    return text


def encode_head_tail(
    tokenizer: Any, texts: Sequence[str], max_length: int, head_fraction: float = DEFAULT_HEAD_FRACTION
) -> list[list[int]]:
    """Token ids with special tokens, at most ``max_length``: head + tail of long documents."""
    prefix, suffix = _special_frame(tokenizer)
    budget = max(1, max_length - len(prefix) - len(suffix))
    head = max(1, min(budget, round(budget * head_fraction)))
    tail = budget - head
    out: list[list[int]] = []
    for ids in tokenizer(list(texts), add_special_tokens=False)["input_ids"]:
        if len(ids) > budget:
            ids = ids[:head] + (ids[len(ids) - tail :] if tail else [])
        out.append(prefix + list(ids) + suffix)
    return out


def _pad(batch: list[list[int]], pad_id: int, libs: TransformerLibs) -> tuple[Any, Any]:
    torch = libs.torch
    width = max(len(x) for x in batch)
    ids = torch.full((len(batch), width), pad_id, dtype=torch.long)
    mask = torch.zeros((len(batch), width), dtype=torch.long)
    for i, x in enumerate(batch):
        ids[i, : len(x)] = torch.tensor(x, dtype=torch.long)
        mask[i, : len(x)] = 1
    return ids, mask


class TransformerClassifier:
    """A fine-tuned sequence classifier; implements the ``Classifier`` protocol."""

    labels: list[str]

    def __init__(
        self,
        model: Any,
        tokenizer: Any,
        labels: list[str],
        *,
        max_length: int,
        head_fraction: float = DEFAULT_HEAD_FRACTION,
        card: dict[str, Any] | None = None,
        libs: TransformerLibs | None = None,
        device: Any = None,
        batch_size: int = 16,
    ) -> None:
        self.libs = libs or try_transformers_import()
        self.device = device if device is not None else self.libs.torch.device("cpu")
        self.model = model.to(self.device).eval()
        self.tokenizer = tokenizer
        self.labels = list(labels)
        self.max_length = max_length
        self.head_fraction = head_fraction
        self.card = card or {}
        self.batch_size = batch_size
        self._pad_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else 0

    @classmethod
    def load(cls, folder: Path, *, device: str = "cpu") -> TransformerClassifier:
        """Load a folder written by :func:`train_transformer`, checking its card and hashes first.

        Raises ``ModelError`` E301/E302 for a missing or damaged folder, E303 without the extra.
        """
        folder = Path(folder)
        card = read_card(folder)
        if card.get("backend") != BACKEND:
            raise ModelError(
                Errors.E302,
                path=str(folder),
                detail=f"model.json says backend {card.get('backend')!r}, not 'transformer'",
            )
        labels = card.get("labels")
        if not isinstance(labels, list) or len(labels) < 2 or not all(isinstance(x, str) for x in labels):
            raise ModelError(Errors.E302, path=str(folder), detail="model.json has no list of labels")
        verify_files(folder, card, REQUIRED_FILES)
        try:
            libs = try_transformers_import()
        except MissingExtraError:
            raise ModelError(Errors.E303, path=str(folder), backend=BACKEND, install=INSTALL) from None
        tf = libs.transformers
        try:
            config = tf.AutoConfig.from_pretrained(folder, local_files_only=True)
            model = tf.AutoModelForSequenceClassification.from_pretrained(
                folder, config=config, local_files_only=True, use_safetensors=True, trust_remote_code=False
            )
            tokenizer = tf.AutoTokenizer.from_pretrained(folder, local_files_only=True, trust_remote_code=False)
        except (OSError, ValueError, KeyError) as exc:
            raise ModelError(Errors.E302, path=str(folder), detail=f"transformers could not load it: {exc}") from None
        id2label = {int(k): v for k, v in dict(config.id2label).items()}
        if [id2label.get(i) for i in range(len(labels))] != labels:
            raise ModelError(Errors.E302, path=str(folder), detail="config.json labels differ from model.json")
        settings = card.get("model") or {}
        return cls(
            model,
            tokenizer,
            labels,
            max_length=int(settings.get("max_length", 256)),
            head_fraction=float(settings.get("head_fraction", DEFAULT_HEAD_FRACTION)),
            card=card,
            libs=libs,
            device=resolve_device(libs, device),
        )

    def predict_proba(self, texts: Sequence[str], titles: Sequence[str | None] | None = None) -> list[list[float]]:
        """Each text's probability for every label (in ``labels`` order), in batches."""
        torch = self.libs.torch
        docs = [_with_title(t, titles[i] if titles else None) for i, t in enumerate(texts)]
        encoded = encode_head_tail(self.tokenizer, docs, self.max_length, self.head_fraction)
        order = sorted(range(len(encoded)), key=lambda i: len(encoded[i]))  # similar lengths share a batch
        probs: list[list[float]] = [[] for _ in encoded]
        with torch.inference_mode():
            for start in range(0, len(order), self.batch_size):
                chunk = order[start : start + self.batch_size]
                ids, mask = _pad([encoded[i] for i in chunk], self._pad_id, self.libs)
                logits = self.model(input_ids=ids.to(self.device), attention_mask=mask.to(self.device)).logits
                p = torch.softmax(logits.double(), dim=-1).cpu().tolist()
                for i, row in zip(chunk, p, strict=True):
                    probs[i] = [float(x) for x in row]
        return probs

    def classify(self, text: str, title: str | None = None) -> DocType:
        """The document type of one document, with every label's probability."""
        row = self.predict_proba([text], [title])[0]
        best = max(range(len(row)), key=row.__getitem__)
        return DocType(
            label=self.labels[best],
            score=round(row[best], 6),
            scores={k: round(v, 6) for k, v in zip(self.labels, row, strict=True)},
        )


def _split(labels: Sequence[str], fraction: float, seed: int) -> tuple[list[int], list[int]]:
    """Stratified train / held-out indices: ``fraction`` of every label (at least one) is held out."""
    if fraction <= 0:
        return list(range(len(labels))), []
    rng = random.Random(seed)
    train: list[int] = []
    held: list[int] = []
    for label in sorted(set(labels)):
        idx = [i for i, x in enumerate(labels) if x == label]
        rng.shuffle(idx)
        k = max(1, round(len(idx) * fraction))
        held += idx[:k]
        train += idx[k:]
    return sorted(train), sorted(held)


def file_hashes(folder: Path, exclude: Sequence[str] = (CARD,)) -> dict[str, str]:
    """sha256 of every file directly in ``folder`` except ``exclude``, by name."""
    return {p.name: sha256_file(p) for p in sorted(folder.iterdir()) if p.is_file() and p.name not in exclude}


def all_versions(libs: TransformerLibs) -> dict[str, str]:
    """The sklearn card's library versions plus torch, transformers, tokenizers and safetensors."""
    return {**versions(), **libs.versions()}


def train_transformer(
    texts: Sequence[str],
    labels: Sequence[str],
    *,
    base: Path,
    out: Path,
    epochs: int = 3,
    max_length: int = 256,
    seed: int = 0,
    device: str = "cpu",
    progress: Progress | None = None,
    batch_size: int = 16,
    lr: float | None = None,
    holdout: float = 0.1,
    head_fraction: float = DEFAULT_HEAD_FRACTION,
    source: str | None = None,
) -> dict[str, Any]:
    """Fine-tune the local checkpoint ``base`` on ``texts``/``labels``; write the model folder ``out``.

    ``holdout`` of every label (stratified, seeded) is kept out of training and scored: its
    per-label precision/recall/F1 go on the card as ``held_out``; the saved model is the one
    trained on the rest (``holdout=0`` trains on everything and ``held_out`` is null).
    Cross-validation, as the scikit-learn backend does, would cost k fine-tunings, so the card's
    ``cross_validation`` is null. ``source`` names the training data on the card. ``lr`` defaults to 3e-4 for
    small encoders (hidden size < 512) and 5e-5 for base-size ones. ``progress(step, total, loss)``
    is called after every optimizer step. Returns the model card (also written as ``model.json``).
    """
    if len(texts) != len(labels):
        raise ValueError(f"{len(texts)} texts but {len(labels)} labels")
    from civicnlp.classify.data import data_hash
    from civicnlp.classify.train import check_counts, evaluate

    counts = check_counts(labels, 2 if holdout > 0 else 1, source or "the training texts")
    libs = try_transformers_import()
    torch, tf = libs.torch, libs.transformers
    base = Path(base)
    if not (base / "config.json").is_file():
        raise ModelError(Errors.E310, path=str(base), detail="no config.json")
    if not any(base.glob("*.safetensors")):
        raise ModelError(
            Errors.E310,
            path=str(base),
            detail="no *.safetensors weights; pickled .bin checkpoints are not loaded, convert one with "
            "transformers' save_pretrained(dir, safe_serialization=True)",
        )
    label_list = sorted(counts)
    label2id = {x: i for i, x in enumerate(label_list)}
    torch.manual_seed(seed)
    random.seed(seed)
    dev = resolve_device(libs, device)
    started = time.perf_counter()

    try:
        tokenizer = tf.AutoTokenizer.from_pretrained(base, local_files_only=True, trust_remote_code=False)
        model = tf.AutoModelForSequenceClassification.from_pretrained(
            base,
            num_labels=len(label_list),
            id2label=dict(enumerate(label_list)),
            label2id=label2id,
            local_files_only=True,
            use_safetensors=True,
            trust_remote_code=False,
            ignore_mismatched_sizes=True,
        ).to(dev)
    except (OSError, ValueError, KeyError) as exc:
        raise ModelError(Errors.E310, path=str(base), detail=f"transformers could not load it: {exc}") from None
    if tokenizer.pad_token_id is None:
        tokenizer.pad_token = tokenizer.eos_token or tokenizer.unk_token
    if model.config.pad_token_id is None:
        model.config.pad_token_id = tokenizer.pad_token_id
    hidden = int(getattr(model.config, "hidden_size", 768) or 768)
    rate = lr if lr is not None else (3e-4 if hidden < 512 else 5e-5)

    train_idx, held_idx = _split(labels, holdout, seed)
    encoded = encode_head_tail(tokenizer, texts, max_length, head_fraction)
    y = [label2id[x] for x in labels]
    steps_per_epoch = max(1, -(-len(train_idx) // batch_size))
    total = steps_per_epoch * epochs
    optim = torch.optim.AdamW(model.parameters(), lr=rate, weight_decay=0.01)
    from civicnlp.classify.transformer_pretrain import linear_schedule, optimizer_step

    sched = torch.optim.lr_scheduler.LambdaLR(optim, lambda s: linear_schedule(s, total, 0.1))
    rng = random.Random(seed)
    pad_id = tokenizer.pad_token_id
    step = 0
    model.train()
    for _ in range(epochs):
        order = list(train_idx)
        rng.shuffle(order)
        for start in range(0, len(order), batch_size):
            chunk = order[start : start + batch_size]
            ids, mask = _pad([encoded[i] for i in chunk], pad_id, libs)
            target = torch.tensor([y[i] for i in chunk], dtype=torch.long, device=dev)
            logits = model(input_ids=ids.to(dev), attention_mask=mask.to(dev)).logits
            loss = torch.nn.functional.cross_entropy(logits, target)
            optimizer_step(loss, model, optim, sched, libs)
            step += 1
            if progress is not None:
                progress(step, total, float(loss.item()))
    train_seconds = time.perf_counter() - started

    model = model.cpu().eval()
    clf = TransformerClassifier(
        model, tokenizer, label_list, max_length=max_length, head_fraction=head_fraction, libs=libs
    )
    held_out: dict[str, Any] | None = None
    if held_idx:
        probs = clf.predict_proba([texts[i] for i in held_idx])
        pred = [label_list[max(range(len(p)), key=p.__getitem__)] for p in probs]
        gold = [labels[i] for i in held_idx]
        held_out = {"fraction": holdout, "documents": len(held_idx), **evaluate(gold, pred, label_list).to_dict()}

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    for stale in (out / CARD, *(p for p in out.glob("*.safetensors"))):
        stale.unlink(missing_ok=True)
    model.save_pretrained(out)
    tokenizer.save_pretrained(out)
    portable_tokenizer(out)
    base_card = base / "pretrain.json"
    card: dict[str, Any] = {
        "format": FORMAT,
        "backend": BACKEND,
        "task": "doc_type",
        "labels": label_list,
        "model": {
            "architecture": ", ".join(getattr(model.config, "architectures", None) or []) or type(model).__name__,
            "model_type": str(getattr(model.config, "model_type", "")),
            "parameters": int(sum(p.numel() for p in model.parameters())),
            "base": base.resolve().name,
            "base_corpus": json.loads(base_card.read_text(encoding="utf-8")).get("corpus")
            if base_card.is_file()
            else None,
            "max_length": max_length,
            "head_fraction": head_fraction,
            "long_documents": "head+tail truncation (head_fraction of the token budget from the start, the rest "
            "from the end)",
        },
        "training": {
            "data": Path(source).name if source else None,
            "documents": len(texts),
            "counts": counts,
            "data_sha256": data_hash(list(texts), list(labels)),
            "trained_on": len(train_idx),
            "held_out": len(held_idx),
            "seed": seed,
            "epochs": epochs,
            "batch_size": batch_size,
            "lr": rate,
            "device": str(dev),
            "seconds": round(train_seconds, 1),
        },
        "cross_validation": None,
        "held_out": held_out,
        "versions": all_versions(libs),
        "created": now_iso(),
    }
    card["files"] = file_hashes(out)
    (out / CARD).write_text(json.dumps(card, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return card


def portable_tokenizer(out: Path) -> None:
    """Keep a fast tokenizer loadable by transformers 4.x and 5.x alike."""
    path = out / "tokenizer_config.json"
    if not path.is_file():
        return
    cfg = json.loads(path.read_text(encoding="utf-8"))
    if cfg.get("tokenizer_class") in (None, "TokenizersBackend"):
        cfg["tokenizer_class"] = "PreTrainedTokenizerFast"
        cfg.pop("backend", None)
        path.write_text(json.dumps(cfg, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
