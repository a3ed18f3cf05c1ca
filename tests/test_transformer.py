"""The transformer backend, offline, on a tiny model built here (2 layers, hidden size 32).

Tests that need torch/transformers skip without the extra; the missing-extra message is
tested everywhere by hiding torch from the import system.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest

from civicnlp.classify.transformer_deps import INSTALL, MissingExtraError, try_transformers_import
from civicnlp.classify.transformer_model import _with_title
from civicnlp.document import DocType
from civicnlp.errors import CivicError, ModelError

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"

# our own example sentences (never corpus text): two kinds of short civic documents
APPEAL = [
    "致全体居民的一封倡议信：让我们从身边小事做起，节约每一滴水。",
    "倡议大家绿色出行，少开一天车，多走一段路，共建美丽家园。",
    "我们向全校师生发出倡议：文明用餐，光盘行动，拒绝浪费。",
    "倡议广大志愿者积极报名，参与社区清洁日活动，人人动手。",
    "让我们携起手来，爱护公共设施，争做文明市民，特此倡议。",
    "发出倡议：垃圾分类从我做起，分类投放，减量回收，共同参与。",
]
REVIEW = [
    "本年度工作总结：全年共完成培训十二场，覆盖职工三百余人。",
    "一年来我们扎实推进各项任务，取得了阶段性成效，也存在不足。",
    "现将上半年工作总结如下：一是完善制度，二是加强队伍建设。",
    "回顾过去一年，项目建设进展顺利，下一步将继续巩固成果。",
    "总结经验做法：坚持问题导向，狠抓落实，群众满意度明显提升。",
    "今年以来共走访企业四十家，解决实际困难二十余个，成效明显。",
]
TEXTS = APPEAL + REVIEW
LABELS = ["initiative"] * len(APPEAL) + ["summary"] * len(REVIEW)


def tiny_options() -> Any:
    from civicnlp.classify.transformer_pretrain import PretrainOptions

    return PretrainOptions(
        vocab_size=400, min_frequency=1, layers=2, hidden=32, heads=2, steps=4, seq_len=32, batch=4, max_position=64
    )


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny pretrained checkpoint."""
    pytest.importorskip("torch")
    pytest.importorskip("transformers")
    from civicnlp.classify.transformer_pretrain import pretrain

    out = tmp_path_factory.mktemp("base")
    pretrain(TEXTS * 2, out, options=tiny_options())
    return out


@pytest.fixture(scope="module")
def model_dir(base: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny classifier fine-tuned from ``base``."""
    from civicnlp.classify.transformer_model import train_transformer

    out = tmp_path_factory.mktemp("model")
    steps: list[int] = []
    card = train_transformer(
        TEXTS, LABELS, base=base, out=out, epochs=2, max_length=24, seed=0, batch_size=4, holdout=0.2,
        progress=lambda step, total, loss: steps.append(step),
    )  # fmt: skip
    assert steps == list(range(1, len(steps) + 1)) and steps
    assert card["backend"] == "transformer"
    return out


def copy_dir(src: Path, dst: Path) -> Path:
    dst.mkdir()
    for p in src.iterdir():
        (dst / p.name).write_bytes(p.read_bytes())
    return dst


# -- pretraining --------------------------------------------------------------------------
def test_pretrain_writes_a_safetensors_checkpoint_and_card(base: Path) -> None:
    names = {p.name for p in base.iterdir()}
    assert {"config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json", "pretrain.json"} <= names
    assert not any(n.endswith((".bin", ".pt", ".pkl")) for n in names)
    card = json.loads((base / "pretrain.json").read_text(encoding="utf-8"))
    assert card["corpus"]["documents"] == len(TEXTS) * 2
    assert card["options"]["layers"] == 2 and card["options"]["hidden"] == 32
    assert set(card["files"]) == names - {"pretrain.json"}
    assert card["training"]["final_loss"] > 0


def test_pretrain_vocabulary_is_character_level(base: Path) -> None:
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(base, local_files_only=True)
    assert tok.convert_ids_to_tokens(tok("倡议节约", add_special_tokens=False)["input_ids"]) == ["倡", "议", "节", "约"]
    assert tok.mask_token == "[MASK]" and tok.pad_token == "[PAD]"


def test_pretrain_is_reproducible(base: Path, tmp_path: Path) -> None:
    from civicnlp.classify.transformer_pretrain import pretrain

    pretrain(TEXTS * 2, tmp_path / "again", options=tiny_options())
    assert (tmp_path / "again" / "model.safetensors").read_bytes() == (base / "model.safetensors").read_bytes()


# -- fine-tuning, saving, loading ---------------------------------------------------------
def test_card_has_the_sklearn_cards_fields(model_dir: Path) -> None:
    card = json.loads((model_dir / "model.json").read_text(encoding="utf-8"))
    assert card["format"] == "civicnlp.model/1"
    assert card["backend"] == "transformer" and card["task"] == "doc_type"
    assert card["labels"] == ["initiative", "summary"]
    assert card["training"]["counts"] == {"initiative": 6, "summary": 6}
    assert card["training"]["documents"] == 12
    assert len(card["training"]["data_sha256"]) == 64
    assert card["cross_validation"] is None
    held = card["held_out"]
    assert held["documents"] == card["training"]["held_out"] == 2  # one of six per label
    assert set(held["per_label"]) == {"initiative", "summary"}
    assert {"precision", "recall", "f1", "support"} <= set(held["per_label"]["summary"])
    assert {"torch", "transformers", "tokenizers", "safetensors", "civicnlp"} <= set(card["versions"])
    assert {"config.json", "model.safetensors", "tokenizer.json"} <= set(card["files"])
    assert card["model"]["long_documents"].startswith("head+tail truncation")
    assert card["created"]


def test_model_io_dispatches_to_the_transformer_backend(model_dir: Path) -> None:
    from civicnlp.classify import load_model
    from civicnlp.classify.transformer_model import TransformerClassifier

    clf = load_model(model_dir)
    assert isinstance(clf, TransformerClassifier)
    assert clf.labels == ["initiative", "summary"]


def test_load_predicts_identical_probabilities(model_dir: Path) -> None:
    from civicnlp.classify.transformer_model import TransformerClassifier

    first = TransformerClassifier.load(model_dir)
    second = TransformerClassifier.load(model_dir)
    docs = [*TEXTS, "一段没有见过的新文字，用来检验模型的输出。"]
    a, b = first.predict_proba(docs), second.predict_proba(docs)
    assert a == b
    assert all(abs(sum(row) - 1.0) < 1e-9 for row in a)


def test_classify_returns_a_doc_type(model_dir: Path) -> None:
    from civicnlp.classify.transformer_model import TransformerClassifier

    clf = TransformerClassifier.load(model_dir)
    dt = clf.classify(TEXTS[0], title="倡议书")
    assert isinstance(dt, DocType)
    assert dt.label in clf.labels and set(dt.scores) == set(clf.labels)
    assert dt.score == max(dt.scores.values())


def test_tampered_weights_are_refused(model_dir: Path, tmp_path: Path) -> None:
    from civicnlp.classify.transformer_model import TransformerClassifier

    bad = copy_dir(model_dir, tmp_path / "bad")
    data = bytearray((bad / "model.safetensors").read_bytes())
    data[-1] ^= 0xFF
    (bad / "model.safetensors").write_bytes(bytes(data))
    with pytest.raises(ModelError) as err:
        TransformerClassifier.load(bad)
    assert err.value.code == "E302" and "sha256" in err.value.message


def test_a_pickle_beside_the_weights_is_refused(model_dir: Path, tmp_path: Path) -> None:
    from civicnlp.classify.transformer_model import TransformerClassifier

    bad = copy_dir(model_dir, tmp_path / "bad")
    (bad / "pytorch_model.bin").write_bytes(b"not loaded")
    with pytest.raises(ModelError) as err:
        TransformerClassifier.load(bad)
    assert err.value.code == "E302" and "pytorch_model.bin" in err.value.message


@pytest.mark.parametrize(
    ("edit", "code"),
    [
        pytest.param(lambda c: c.update(backend="sklearn"), "E302", id="other-backend"),
        pytest.param(lambda c: c.update(labels=["only"]), "E302", id="one-label"),
        pytest.param(lambda c: c.pop("files"), "E302", id="no-hashes"),
    ],
)
def test_bad_cards_are_refused(model_dir: Path, tmp_path: Path, edit: Any, code: str) -> None:
    from civicnlp.classify.transformer_model import TransformerClassifier

    bad = copy_dir(model_dir, tmp_path / "bad")
    card = json.loads((bad / "model.json").read_text(encoding="utf-8"))
    edit(card)
    (bad / "model.json").write_text(json.dumps(card), encoding="utf-8")
    with pytest.raises(ModelError) as err:
        TransformerClassifier.load(bad)
    assert err.value.code == code


def test_folder_without_card_is_e301(tmp_path: Path) -> None:
    from civicnlp.classify.transformer_model import TransformerClassifier

    with pytest.raises(ModelError) as err:
        TransformerClassifier.load(tmp_path)
    assert err.value.code == "E301"


def test_base_without_safetensors_is_e310(base: Path, tmp_path: Path) -> None:
    from civicnlp.classify.transformer_model import train_transformer

    bare = copy_dir(base, tmp_path / "bare")
    (bare / "model.safetensors").unlink()
    with pytest.raises(ModelError) as err:
        train_transformer(TEXTS, LABELS, base=bare, out=tmp_path / "m", epochs=1)
    assert err.value.code == "E310" and "safetensors" in err.value.message


def test_too_few_documents_for_a_label_is_e304(base: Path, tmp_path: Path) -> None:
    from civicnlp.classify.transformer_model import train_transformer

    with pytest.raises(ModelError) as err:
        train_transformer([*TEXTS, "单独一篇"], [*LABELS, "plan"], base=base, out=tmp_path / "m", epochs=1)
    assert err.value.code == "E304"


@pytest.mark.skipif("torch" in sys.modules and sys.modules["torch"].cuda.is_available(), reason="a GPU is present")
def test_cuda_without_a_gpu_is_a_clear_error(base: Path, tmp_path: Path) -> None:
    from civicnlp.classify.transformer_model import train_transformer

    with pytest.raises(CivicError) as err:
        train_transformer(TEXTS, LABELS, base=base, out=tmp_path / "m", epochs=1, device="cuda")
    assert err.value.code == "E403" and "--device cpu" in err.value.message


# -- long documents and titles ------------------------------------------------------------
@pytest.mark.parametrize(
    ("n", "max_length", "expect"),
    [
        pytest.param(5, 16, list(range(5)), id="short-untouched"),
        pytest.param(14, 16, list(range(14)), id="exactly-fits"),
        pytest.param(40, 16, [*range(10), *range(36, 40)], id="long-head-and-tail"),
        pytest.param(40, 6, [0, 1, 2, 39], id="tiny-budget"),
    ],
)
def test_head_tail_truncation(n: int, max_length: int, expect: list[int]) -> None:
    from civicnlp.classify.transformer_model import encode_head_tail

    class Tok:  # ids are positions; [CLS]=100 … [SEP]=101
        def __call__(self, texts: Any, add_special_tokens: bool = True) -> dict[str, Any]:
            one = isinstance(texts, str)
            rows = [[ord(c) - ord("a") for c in t] for t in ([texts] if one else texts)]
            if add_special_tokens:
                rows = [[100, *r, 101] for r in rows]
            return {"input_ids": rows[0] if one else rows}

    text = "".join(chr(ord("a") + i) for i in range(n))
    (ids,) = encode_head_tail(Tok(), [text], max_length, head_fraction=0.75)
    assert ids == [100, *expect, 101]
    assert len(ids) <= max_length


@pytest.mark.parametrize(
    ("text", "title", "expect"),
    [
        pytest.param("正文内容", None, "正文内容", id="no-title"),
        pytest.param("正文内容", "标题", "标题\n正文内容", id="title-prepended"),
        pytest.param("标题\n正文内容", "标题", "标题\n正文内容", id="title-already-first"),
        pytest.param("正文内容", "  ", "正文内容", id="blank-title"),
    ],
)
def test_title_goes_in_front(text: str, title: str | None, expect: str) -> None:
    assert _with_title(text, title) == expect


# -- the missing extra --------------------------------------------------------------------
def test_missing_extra_names_the_install_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "torch", None)  # `import torch` now raises ImportError
    monkeypatch.setitem(sys.modules, "safetensors.torch", None)
    with pytest.raises(MissingExtraError) as err:
        try_transformers_import()
    assert isinstance(err.value, ImportError)
    assert err.value.code == "E403"
    assert 'pip install "civicnlp[transformers]"' in err.value.message
    assert INSTALL == 'pip install "civicnlp[transformers]"'


def test_loading_a_model_without_the_extra_is_e303(model_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import civicnlp.classify.transformer_model as tm

    def missing() -> Any:
        raise MissingExtraError(tm.Errors.E403, detail="torch", install=INSTALL)

    monkeypatch.setattr(tm, "try_transformers_import", missing)
    with pytest.raises(ModelError) as err:
        tm.TransformerClassifier.load(model_dir)
    assert err.value.code == "E303" and INSTALL in err.value.message


def test_pretrain_command_without_the_extra_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from civicnlp.cli import main

    corpus = tmp_path / "c.txt"
    corpus.write_text("一段文字。", encoding="utf-8")
    monkeypatch.setitem(sys.modules, "torch", None)
    monkeypatch.setitem(sys.modules, "safetensors.torch", None)
    assert main(["pretrain", str(corpus), "-o", str(tmp_path / "out")]) == 2
    assert INSTALL in capsys.readouterr().err


# -- the command --------------------------------------------------------------------------
def test_pretrain_command_end_to_end(base: Path, tmp_path: Path) -> None:
    from civicnlp.cli import main

    rows = tmp_path / "corpus.jsonl"
    rows.write_text(
        "".join(json.dumps({"id": str(i), "text": t}, ensure_ascii=False) + "\n" for i, t in enumerate(TEXTS))
    )
    (tmp_path / "more").mkdir()
    (tmp_path / "more" / "a.txt").write_text(APPEAL[0], encoding="utf-8")
    argv = ["pretrain", str(rows), str(tmp_path / "more"), "-o", str(tmp_path / "out"), "--steps", "2",
            "--layers", "1", "--hidden", "32", "--heads", "2", "--seq-len", "16", "--batch", "2", "--vocab-size", "300",
            "--min-frequency", "1"]  # fmt: skip
    assert main(argv) == 0
    card = json.loads((tmp_path / "out" / "pretrain.json").read_text(encoding="utf-8"))
    assert card["corpus"]["documents"] == len(TEXTS) + 1


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        pytest.param(["--hidden", "30", "--heads", "4"], "multiple of --heads", id="heads-do-not-divide"),
        pytest.param(["--steps", "0"], "at least 1", id="zero-steps"),
    ],
)
def test_pretrain_command_usage_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    from civicnlp.cli import main

    corpus = tmp_path / "c.txt"
    corpus.write_text("一段文字。", encoding="utf-8")
    try:
        code = main(["pretrain", str(corpus), "-o", str(tmp_path / "out"), *extra])
    except SystemExit as exc:  # argparse rejects bad numbers itself
        code = int(exc.code or 0)
    assert code == 2
    assert message in capsys.readouterr().err


def test_pretrain_command_missing_corpus_is_e401(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("torch")
    from civicnlp.cli import main

    assert main(["pretrain", str(tmp_path / "nope"), "-o", str(tmp_path / "out")]) == 2
    assert "E401" in capsys.readouterr().err


def test_train_backend_transformer_options_and_run(
    base: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import argparse

    from civicnlp.classify.data import LabeledData
    from civicnlp.cli.transformer_train import add_transformer_options, run_transformer

    parser = argparse.ArgumentParser()
    parser.add_argument("data")
    parser.add_argument("-o", "--output")
    add_transformer_options(parser)
    argv = ["x.jsonl", "-o", str(tmp_path / "m"), "--backend", "transformer", "--base", str(base), "--epochs", "1",
            "--max-length", "24", "--batch-size", "4", "--holdout", "0.2"]  # fmt: skip
    data = LabeledData(source="x.jsonl", texts=list(TEXTS), labels=list(LABELS))
    assert run_transformer(parser.parse_args(argv), data) == 0
    assert "macro-F1" in capsys.readouterr().out
    card = json.loads((tmp_path / "m" / "model.json").read_text(encoding="utf-8"))
    assert card["training"]["data"] == "x.jsonl" and card["training"]["epochs"] == 1
    no_base = parser.parse_args(["x.jsonl", "-o", str(tmp_path / "n"), "--backend", "transformer"])
    assert run_transformer(no_base, data) == 2
    assert "--base" in capsys.readouterr().err


def test_train_command_with_the_transformer_backend(base: Path, tmp_path: Path) -> None:
    from civicnlp.classify import load_model
    from civicnlp.cli import main

    data = tmp_path / "labeled.jsonl"
    rows = (
        json.dumps({"id": str(i), "text": t, "label": y}, ensure_ascii=False)
        for i, (t, y) in enumerate(zip(TEXTS, LABELS, strict=True))
    )
    data.write_text("\n".join(rows) + "\n", encoding="utf-8")
    argv = ["train", str(data), "-o", str(tmp_path / "m"), "--backend", "transformer", "--base", str(base),
            "--epochs", "1", "--max-length", "24", "--batch-size", "6", "--holdout", "0"]  # fmt: skip
    assert main(argv) == 0
    clf = load_model(tmp_path / "m")
    assert clf is not None and clf.labels == ["initiative", "summary"]


SHIPPED = Path(__file__).resolve().parent.parent / "models" / "pretrained-base"


@pytest.mark.skipif(not (SHIPPED / "pretrain.json").is_file(), reason="models/pretrained-base is not shipped")
def test_shipped_pretrained_base_is_intact_and_small() -> None:
    from civicnlp.classify.model_io import sha256_file

    card = json.loads((SHIPPED / "pretrain.json").read_text(encoding="utf-8"))
    assert {"config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json"} <= set(card["files"])
    for name, digest in card["files"].items():
        assert sha256_file(SHIPPED / name) == digest, name
    assert sum(p.stat().st_size for p in SHIPPED.iterdir()) < 30 * 1024 * 1024
    assert not any(p.suffix in (".bin", ".pt", ".pkl") for p in SHIPPED.iterdir())
