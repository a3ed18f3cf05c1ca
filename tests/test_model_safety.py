"""Untrusted model folders: loading never unpickles or runs code, and a tampered folder gives a
clear E30x error before any large allocation.

A tiny model is trained once with ``civicnlp train`` on made-up texts; each test tampers with a
copy. Most tamperings are "resealed": the card's sha256 of every file is recomputed, as an
attacker (not an accident) would do, so the loader's own checks are what is tested, not the hash.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from civicnlp.classify import load_model
from civicnlp.cli import main
from civicnlp.errors import CivicError

PLACES = ["东湖社区", "西山街道", "南岭村", "北苑小区", "中心片区", "江边镇"]
TEMPLATES = {
    "notice": "关于{p}停水检修的通知\n因管道检修，{p}将于周六停水一天，请居民提前储水，给您带来不便敬请谅解。",
    "praise": "{p}志愿者表扬信\n{p}的志愿者们连续多日坚守岗位，帮助老人购买生活用品，特此提出表扬。",
    "ask": "{p}关于增设路灯的请示\n{p}部分路段夜间照明不足，存在安全隐患，现申请增设路灯十盏，请予批准。",
}


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("safety")
    for label, tpl in TEMPLATES.items():
        (root / "data" / label).mkdir(parents=True)
        for i, p in enumerate(PLACES):
            (root / "data" / label / f"{i}.txt").write_text(tpl.format(p=p), encoding="utf-8")
    out = root / "model"
    assert main(["train", str(root / "data"), "-o", str(out), "--folds", "0", "--calibration-folds", "3"]) == 0
    return out


@pytest.fixture
def copy(model_dir: Path, tmp_path: Path) -> Path:
    dst = tmp_path / "m"
    shutil.copytree(model_dir, dst)
    return dst


def _card(folder: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((folder / "model.json").read_text(encoding="utf-8"))
    return data


def _write_card(folder: Path, card: dict[str, Any]) -> None:
    (folder / "model.json").write_text(json.dumps(card, ensure_ascii=False), encoding="utf-8")


def _reseal(folder: Path) -> None:
    """Recompute the card's sha256 of every file it lists: a deliberate tampering, not damage."""
    card = _card(folder)
    for name in card["files"]:
        card["files"][name] = hashlib.sha256((folder / name).read_bytes()).hexdigest()
    _write_card(folder, card)


def _arrays(folder: Path) -> dict[str, np.ndarray]:
    with np.load(folder / "weights.npz", allow_pickle=False) as npz:
        return {k: npz[k] for k in npz.files}


def _save(folder: Path, arrays: dict[str, Any]) -> None:
    np.savez_compressed(folder / "weights.npz", **arrays)
    _reseal(folder)


def _error(folder: Path) -> CivicError:
    with pytest.raises(CivicError) as err:
        load_model(folder)
    return err.value


def _npz_with_declared_shape(path: Path, key: str, shape: tuple[int, ...], real: dict[str, np.ndarray]) -> None:
    """An .npz whose member ``key`` declares ``shape`` in its header but holds only a few bytes."""
    buf = io.BytesIO()
    np.lib.format.write_array_header_1_0(buf, {"descr": "<f8", "fortran_order": False, "shape": shape})
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for k, arr in real.items():
            if k == key:
                zf.writestr(f"{k}.npy", buf.getvalue() + b"\0" * 64)
            else:
                b = io.BytesIO()
                np.save(b, arr)
                zf.writestr(f"{k}.npy", b.getvalue())


def test_the_untampered_model_loads(model_dir: Path) -> None:
    model = load_model(model_dir)
    assert model is not None and sorted(model.labels) == sorted(TEMPLATES)


# -- tamperings that must give a clear E30x --------------------------------------------------------
def _pickle_file(f: Path) -> None:
    (f / "model.pkl").write_bytes(b"\x80\x04K\x01.")


def _object_array(f: Path) -> None:
    arrays = _arrays(f)
    buf = io.BytesIO()
    np.save(buf, np.array([{"a": 1}], dtype=object), allow_pickle=True)  # a pickle inside the .npz
    with zipfile.ZipFile(f / "weights.npz", "w") as zf:
        for k, arr in arrays.items():
            b = io.BytesIO()
            np.save(b, arr if k != "coef" else np.array([{"a": 1}], dtype=object), allow_pickle=True)
            zf.writestr(f"{k}.npy", b.getvalue())
    _reseal(f)


def _wrong_shape(f: Path) -> None:
    arrays = _arrays(f)
    arrays["coef"] = arrays["coef"].T.copy()
    _save(f, arrays)


def _missing_array(f: Path) -> None:
    arrays = _arrays(f)
    del arrays["cal_a"]
    _save(f, arrays)


def _string_array(f: Path) -> None:
    arrays = _arrays(f)
    arrays["idf"] = np.array(["x"] * arrays["idf"].shape[0])
    _save(f, arrays)


def _missing_vocab_block(f: Path) -> None:
    vocab = json.loads((f / "vocab.json").read_text(encoding="utf-8"))
    vocab.pop(next(iter(vocab)))
    (f / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    _reseal(f)


def _vocab_not_json(f: Path) -> None:
    (f / "vocab.json").write_text("{not json", encoding="utf-8")
    _reseal(f)


def _missing_card_key(f: Path) -> None:
    card = _card(f)
    del card["labels"]
    _write_card(f, card)


def _code_backend(f: Path) -> None:
    card = _card(f)
    card["backend"] = "os:system"
    _write_card(f, card)


def _newer_format(f: Path) -> None:
    card = _card(f)
    card["format"] = "civicnlp.model/99"
    _write_card(f, card)


def _file_outside_by_name(f: Path) -> None:
    card = _card(f)
    card["files"]["../../etc/passwd"] = "0" * 64
    _write_card(f, card)


def _absolute_file_name(f: Path) -> None:
    card = _card(f)
    card["files"]["/etc/hostname"] = "0" * 64
    _write_card(f, card)


def _changed_weights(f: Path) -> None:  # damage, not resealed: the hash catches it
    with open(f / "weights.npz", "r+b") as fh:
        fh.seek(100)
        fh.write(b"\xff\xff\xff\xff")


def _card_not_object(f: Path) -> None:
    (f / "model.json").write_text("[1, 2, 3]", encoding="utf-8")


def _no_card(f: Path) -> None:
    (f / "model.json").unlink()


def _labels_mismatch(f: Path) -> None:
    card = _card(f)
    card["labels"] = [*card["labels"], "extra"]
    _write_card(f, card)


TAMPERED: dict[str, tuple[Callable[[Path], None], str]] = {
    "pickle-file-in-folder": (_pickle_file, "E302"),
    "object-array-in-npz": (_object_array, "E302"),
    "wrong-shape": (_wrong_shape, "E302"),
    "missing-array": (_missing_array, "E302"),
    "string-array": (_string_array, "E302"),
    "missing-vocab-block": (_missing_vocab_block, "E302"),
    "vocab-not-json": (_vocab_not_json, "E302"),
    "missing-card-key": (_missing_card_key, "E302"),
    "backend-naming-code": (_code_backend, "E302"),
    "newer-format": (_newer_format, "E302"),
    "file-outside-by-relative-name": (_file_outside_by_name, "E302"),
    "file-outside-by-absolute-name": (_absolute_file_name, "E302"),
    "weights-changed": (_changed_weights, "E302"),
    "card-not-an-object": (_card_not_object, "E302"),
    "no-card": (_no_card, "E301"),
    "labels-do-not-match-weights": (_labels_mismatch, "E302"),
}


@pytest.mark.parametrize("case", list(TAMPERED))
def test_tampered_model_gives_a_clear_error(copy: Path, case: str) -> None:
    tamper, code = TAMPERED[case]
    tamper(copy)
    err = _error(copy)
    assert err.code == code, err.message
    assert str(copy) in err.message


# -- checks model_io lacks (fix described in each reason) -------------------------------------------
def test_huge_declared_shape_is_refused_before_allocating(copy: Path) -> None:
    _npz_with_declared_shape(copy / "weights.npz", "idf", (1 << 40,), _arrays(copy))  # 8 TiB declared
    _reseal(copy)
    err = _error(copy)
    assert err.code == "E302"


def test_large_declared_shape_allocates_nothing(copy: Path) -> None:
    _npz_with_declared_shape(copy / "weights.npz", "idf", (1 << 26,), _arrays(copy))  # 512 MiB declared
    _reseal(copy)
    tracemalloc.start()
    try:
        err = _error(copy)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert err.code == "E302"
    assert peak < 64 << 20, f"{peak >> 20} MiB allocated before the error"


def test_extra_array_is_refused(copy: Path) -> None:
    arrays = _arrays(copy)
    arrays["backdoor"] = np.zeros(3)
    _save(copy, arrays)
    assert _error(copy).code == "E302"


def test_extra_vocab_block_is_refused(copy: Path) -> None:
    vocab = json.loads((copy / "vocab.json").read_text(encoding="utf-8"))
    vocab["extra"] = ["x"] * 10
    (copy / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    _reseal(copy)
    assert _error(copy).code == "E302"


def test_listed_file_linking_outside_the_folder_is_refused(copy: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside_vocab.json"
    shutil.move(copy / "vocab.json", outside)
    os.symlink(outside, copy / "vocab.json")
    assert _error(copy).code == "E302"


def test_deeply_nested_vocab_is_a_clear_error(copy: Path) -> None:
    (copy / "vocab.json").write_text("[" * 200_000, encoding="utf-8")
    _reseal(copy)
    assert _error(copy).code == "E302"


def test_huge_card_is_refused_before_reading(copy: Path) -> None:
    with open(copy / "model.json", "r+b") as fh:  # sparse: 256 MiB of nothing after the card
        fh.truncate(256 << 20)
    tracemalloc.start()
    try:
        err = _error(copy)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert err.code == "E302" and peak < 64 << 20


def test_loading_never_unpickles(copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import pickle

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("pickle used while loading a model")

    monkeypatch.setattr(pickle, "load", refuse)
    monkeypatch.setattr(pickle, "loads", refuse)
    assert load_model(copy) is not None
