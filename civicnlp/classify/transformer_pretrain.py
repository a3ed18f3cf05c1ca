"""Pretrain a small Chinese BERT-style encoder from a corpus, offline: the base for fine-tuning.

A character-level WordPiece vocabulary is built with ``tokenizers`` (CJK characters are split
one by one by the BERT normalizer; Latin words and numbers become word pieces), then a small
``BertForMaskedLM`` is trained with masked-language modelling on fixed-length blocks of the
concatenated corpus. The folder written is an ordinary Hugging Face checkpoint
(``config.json``, ``model.safetensors``, ``tokenizer.json``, ``tokenizer_config.json``) plus
``pretrain.json``, a card saying how it was made; ``train_transformer(base=FOLDER)`` and
``civicnlp train --backend transformer --base FOLDER`` fine-tune from it.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from civicnlp.classify.transformer_deps import TransformerLibs, resolve_device, try_transformers_import

__all__ = ["PRETRAIN_CARD", "SPECIAL_TOKENS", "PretrainOptions", "build_tokenizer", "pretrain"]

PRETRAIN_CARD = "pretrain.json"
SPECIAL_TOKENS = ("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]")

Progress = Callable[[int, int, float], None]


@dataclass(frozen=True)
class PretrainOptions:
    """Sizes and schedule of a pretraining run; the defaults fit a laptop CPU in minutes.

    The defaults made ``models/pretrained-base`` (1.6 M parameters, 6.5 MB): about 6 minutes
    on one busy CPU core for a 2 M-character corpus.
    """

    vocab_size: int = 6000
    min_frequency: int = 2
    layers: int = 4
    hidden: int = 128
    heads: int = 2
    intermediate: int = 0  # 0: 4 x hidden
    max_position: int = 512
    seq_len: int = 128
    batch: int = 16
    steps: int = 800
    lr: float = 5e-4
    warmup: float = 0.06
    weight_decay: float = 0.01
    mask_prob: float = 0.15
    seed: int = 0


def build_tokenizer(texts: list[str], vocab_size: int, min_frequency: int, libs: TransformerLibs) -> Any:
    """A character-level WordPiece ``PreTrainedTokenizerFast`` trained on ``texts``."""
    tk = libs.tokenizers
    tok = tk.Tokenizer(tk.models.WordPiece(unk_token="[UNK]"))
    tok.normalizer = tk.normalizers.BertNormalizer(
        clean_text=True, handle_chinese_chars=True, strip_accents=False, lowercase=True
    )
    tok.pre_tokenizer = tk.pre_tokenizers.BertPreTokenizer()
    trainer = tk.trainers.WordPieceTrainer(
        vocab_size=vocab_size, min_frequency=min_frequency, special_tokens=list(SPECIAL_TOKENS), show_progress=False
    )
    tok.train_from_iterator(texts, trainer=trainer)
    cls, sep = tok.token_to_id("[CLS]"), tok.token_to_id("[SEP]")
    tok.post_processor = tk.processors.TemplateProcessing(
        single="[CLS] $A [SEP]",
        pair="[CLS] $A [SEP] $B:1 [SEP]:1",
        special_tokens=[("[CLS]", cls), ("[SEP]", sep)],
    )
    tok.decoder = tk.decoders.WordPiece()
    return libs.transformers.PreTrainedTokenizerFast(
        tokenizer_object=tok,
        unk_token="[UNK]",
        pad_token="[PAD]",
        cls_token="[CLS]",
        sep_token="[SEP]",
        mask_token="[MASK]",
        model_max_length=512,
    )


def _blocks(texts: list[str], tokenizer: Any, seq_len: int, libs: TransformerLibs) -> Any:
    """The corpus as one stream of ids (documents joined by [SEP]) cut into [CLS] … [SEP] blocks."""
    torch = libs.torch
    sep, cls = tokenizer.sep_token_id, tokenizer.cls_token_id
    stream: list[int] = []
    for enc in tokenizer(texts, add_special_tokens=False)["input_ids"]:
        stream.extend(enc)
        stream.append(sep)
    body = seq_len - 2
    n = max(1, len(stream) // body)
    stream += [tokenizer.pad_token_id] * max(0, n * body - len(stream))
    data = torch.tensor(stream[: n * body], dtype=torch.long).view(n, body)
    return torch.cat([torch.full((n, 1), cls), data, torch.full((n, 1), sep)], dim=1)


def _mask(batch: Any, tokenizer: Any, prob: float, gen: Any, libs: TransformerLibs) -> tuple[Any, Any]:
    """BERT masking: ``prob`` of the ordinary tokens are targets; 80% [MASK], 10% random, 10% kept."""
    torch = libs.torch
    special = torch.tensor(sorted(set(tokenizer.all_special_ids)))
    can = ~torch.isin(batch, special)
    target = (torch.rand(batch.shape, generator=gen) < prob) & can
    inputs = batch.clone()
    roll = torch.rand(batch.shape, generator=gen)
    inputs[target & (roll < 0.8)] = tokenizer.mask_token_id
    rand_pos = target & (roll >= 0.8) & (roll < 0.9)
    inputs[rand_pos] = torch.randint(len(SPECIAL_TOKENS), len(tokenizer), batch.shape, generator=gen)[rand_pos]
    return inputs, target


def linear_schedule(step: int, total: int, warmup: float) -> float:
    """Learning-rate factor: linear warm-up over ``warmup`` of the steps, then linear decay to 0."""
    w = max(1, int(total * warmup))
    if step < w:
        return (step + 1) / w
    return max(0.0, (total - step) / max(1, total - w))


def optimizer_step(loss: Any, model: Any, optim: Any, sched: Any, libs: TransformerLibs) -> None:
    """Back-propagate ``loss``, clip the gradient norm to 1, step the optimizer and the schedule."""
    loss.backward()
    libs.torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    optim.step()
    sched.step()
    optim.zero_grad(set_to_none=True)


def pretrain(
    texts: Iterable[str],
    out: Path,
    *,
    options: PretrainOptions | None = None,
    device: str = "cpu",
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Build a vocabulary and pretrain a small BERT on ``texts``; write the checkpoint to ``out``.

    Returns the ``pretrain.json`` card (also written). ``progress(step, total, loss)`` is called after
    every optimizer step. Runs are reproducible for a given seed, corpus and device.
    """
    from civicnlp.classify.data import data_hash
    from civicnlp.classify.model_io import now_iso
    from civicnlp.classify.transformer_model import all_versions, file_hashes, portable_tokenizer

    libs = try_transformers_import()
    torch, tf = libs.torch, libs.transformers
    opt = options or PretrainOptions()
    docs = [t for t in texts if t and t.strip()]
    if not docs:
        raise ValueError("pretrain needs at least one non-empty text")
    torch.manual_seed(opt.seed)
    dev = resolve_device(libs, device)
    started = time.perf_counter()

    tokenizer = build_tokenizer(docs, opt.vocab_size, opt.min_frequency, libs)
    blocks = _blocks(docs, tokenizer, opt.seq_len, libs)
    config = tf.BertConfig(
        vocab_size=len(tokenizer),
        hidden_size=opt.hidden,
        num_hidden_layers=opt.layers,
        num_attention_heads=opt.heads,
        intermediate_size=opt.intermediate or 4 * opt.hidden,
        max_position_embeddings=max(opt.max_position, opt.seq_len),
        pad_token_id=tokenizer.pad_token_id,
    )
    model = tf.BertForMaskedLM(config).to(dev)
    decay = [p for n, p in model.named_parameters() if p.ndim >= 2 and "LayerNorm" not in n]
    no_decay = [p for n, p in model.named_parameters() if not (p.ndim >= 2 and "LayerNorm" not in n)]
    optim = torch.optim.AdamW(
        [{"params": decay, "weight_decay": opt.weight_decay}, {"params": no_decay, "weight_decay": 0.0}], lr=opt.lr
    )
    sched = torch.optim.lr_scheduler.LambdaLR(optim, lambda s: linear_schedule(s, opt.steps, opt.warmup))
    gen = torch.Generator().manual_seed(opt.seed)
    model.train()
    losses: list[float] = []
    for step in range(opt.steps):
        idx = torch.randint(0, blocks.shape[0], (opt.batch,), generator=gen)
        inputs, target = _mask(blocks[idx], tokenizer, opt.mask_prob, gen, libs)
        labels = blocks[idx][target].to(dev)
        if labels.numel() == 0:
            continue
        attention = (inputs != tokenizer.pad_token_id).long()
        hidden = model.bert(input_ids=inputs.to(dev), attention_mask=attention.to(dev)).last_hidden_state
        logits = model.cls(hidden[target.to(dev)])  # the MLM head on masked positions only
        loss = torch.nn.functional.cross_entropy(logits, labels)
        optimizer_step(loss, model, optim, sched, libs)
        losses.append(float(loss.item()))
        if progress is not None:
            progress(step + 1, opt.steps, losses[-1])

    out.mkdir(parents=True, exist_ok=True)
    model.cpu().save_pretrained(out)
    tokenizer.save_pretrained(out)
    portable_tokenizer(out)
    tail = losses[-max(1, len(losses) // 10) :]
    card: dict[str, Any] = {
        "format": "civicnlp.pretrained/1",
        "backend": "transformer",
        "kind": "masked-lm base (character-level WordPiece BERT)",
        "created": now_iso(),
        "corpus": {
            "documents": len(docs),
            "characters": sum(len(t) for t in docs),
            "tokens": int(blocks.numel()),
            "sha256": data_hash(docs, [""] * len(docs)),
        },
        "options": asdict(opt),
        "vocab_size": len(tokenizer),
        "parameters": int(sum(p.numel() for p in model.parameters())),
        "training": {
            "device": str(dev),
            "seconds": round(time.perf_counter() - started, 1),
            "final_loss": round(sum(tail) / len(tail), 4) if tail else None,
            "final_perplexity": round(math.exp(min(50.0, sum(tail) / len(tail))), 2) if tail else None,
        },
        "versions": all_versions(libs),
    }
    card["files"] = file_hashes(out, exclude=(PRETRAIN_CARD,))
    (out / PRETRAIN_CARD).write_text(json.dumps(card, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return card
