"""The document-type classifier: estimator contract, structure features, safe model folders,
save -> load identical probabilities, and the default model on the shared data."""

from __future__ import annotations

import inspect
import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from civicnlp.classify import default_model_path, load_model
from civicnlp.classify.estimator import DocTypeClassifier
from civicnlp.classify.features import Cues, default_cues, make_view, structure_tokens
from civicnlp.classify.model_io import BACKENDS, load_model_dir, save_linear
from civicnlp.errors import CivicError, ModelError

PLACES = ["东湖社区", "南山街道", "西岭村", "北关镇", "中心城区", "河口乡"]
TEMPLATES = {
    "initiative": "关于{p}文明养犬的倡议书\n广大居民朋友们：\n为了营造整洁的环境，我们发出如下倡议：一、出门遛犬要牵绳；"
    "二、及时清理犬只粪便。让我们行动起来，从我做起！\n{p}居委会",
    "summary": "{p}2023年度工作总结\n一年来，{p}在上级的正确领导下，完成了环境整治、走访慰问等工作，取得了明显成效。"
    "一、主要做法……二、存在的不足……三、下一步打算。",
    "plan": "{p}关于开展环境卫生整治的实施方案\n为切实改善人居环境，结合实际，特制定本方案。一、工作目标……"
    "二、实施步骤：3月底前完成摸底排查。三、保障措施：各责任单位要落实责任。",
    "report": "{p}关于创建工作情况的汇报\n尊敬的各位领导：\n现将{p}创建工作开展情况汇报如下：一、基本情况……"
    "二、主要工作……三、存在问题。特此报告。",
}


def small_corpus() -> tuple[list[str], list[str]]:
    texts, labels = [], []
    for label, tpl in TEMPLATES.items():
        for p in PLACES:
            texts.append(tpl.format(p=p))
            labels.append(label)
    return texts, labels


@pytest.fixture(scope="module")
def fitted() -> DocTypeClassifier:
    texts, labels = small_corpus()
    return DocTypeClassifier(calibration_cv=3).fit(texts, labels)


# -- the estimator contract --------------------------------------------------------------
def test_init_stores_params_only() -> None:
    est = DocTypeClassifier(C=2.0, max_chars=100)
    params = est.get_params()
    signature = set(inspect.signature(DocTypeClassifier.__init__).parameters) - {"self"}
    assert set(params) == signature
    assert params["C"] == 2.0 and params["max_chars"] == 100
    assert not [k for k in vars(est) if k.endswith("_")], "no learned state before fit"
    assert set(vars(est)) == signature


def test_clone_and_set_params() -> None:
    est = DocTypeClassifier(C=3.0)
    twin = clone(est)
    assert twin is not est and twin.get_params() == est.get_params()
    assert est.set_params(C=0.1) is est and est.C == 0.1


def test_fit_returns_self_and_sets_underscore_state() -> None:
    texts, labels = small_corpus()
    est = DocTypeClassifier(calibration_cv=3)
    before = set(vars(est))
    assert est.fit(texts, labels) is est
    learned = set(vars(est)) - before
    assert learned and all(k.endswith("_") for k in learned)
    assert list(est.classes_) == sorted(TEMPLATES)


def test_not_fitted_raises() -> None:
    with pytest.raises(NotFittedError):
        DocTypeClassifier().predict(["一段文字"])


@pytest.mark.parametrize("method", ["fit", "predict", "predict_proba"])
@pytest.mark.parametrize("bare", ["关于开展垃圾分类的倡议书", b"bytes"], ids=["str", "bytes"])
def test_bare_string_is_refused(fitted: DocTypeClassifier, method: str, bare: object) -> None:
    with pytest.raises(CivicError) as info:
        if method == "fit":
            DocTypeClassifier().fit(bare, ["plan"])  # type: ignore[arg-type]
        else:
            getattr(fitted, method)(bare)
    assert info.value.code == "E306"


def test_predict_proba_rows_sum_to_one(fitted: DocTypeClassifier) -> None:
    proba = fitted.predict_proba(
        ["某社区关于防汛工作的实施方案\n特制定本方案。", "致全体居民的倡议书\n让我们行动起来！"]
    )
    assert proba.shape == (2, 4)
    assert np.allclose(proba.sum(axis=1), 1.0)
    assert list(fitted.predict(["致全体居民的倡议书\n广大居民朋友们：让我们行动起来，从我做起！"])) == ["initiative"]


@pytest.mark.parametrize(("folds", "calibration", "minimum"), [(5, 5, 7), (3, 3, 5), (0, 3, 3), (2, 2, 4)])
def test_minimum_per_label(folds: int, calibration: int, minimum: int) -> None:
    from civicnlp.classify.train import minimum_per_label

    assert minimum_per_label(folds, calibration) == minimum


def test_logreg_variant_saves_and_loads(tmp_path: Path) -> None:
    texts, labels = small_corpus()
    est = DocTypeClassifier(classifier="logreg", calibration_cv=3).fit(texts, labels)
    save_linear(est, tmp_path)
    model = load_model(tmp_path)
    assert np.abs(model.predict_proba(PROBES) - est.predict_proba(PROBES)).max() < 1e-12  # type: ignore[union-attr]


# -- structure features ------------------------------------------------------------------
CUES = Cues(default_cues())

STRUCTURE = [
    ("工作总结报告", "社区工作总结报告\n正文。", "twc=report"),
    ("情况总结汇报", "街道创建情况总结汇报\n正文。", "twc=report"),
    ("总结", "某局上半年工作总结\n正文。", "twc=summary"),
    ("实施方案的通知", "关于印发某某实施方案的通知\n正文。", "twc=notice"),
    ("compilation-suffix", "社区垃圾分类倡议书(通用5篇)\n正文。", "twc=initiative"),
    ("part-suffix", "镇防汛应急预案篇三\n正文。", "twc=plan"),
    ("no-title", "今年以来，我们做了很多工作，取得了成效。", "notitle"),
    ("run-in title", "某镇人大年度工作总结20xx年,我们围绕中心开展工作。", "twc=summary"),
    ("report below", "某村工作情况\n现将有关工作情况报告如下：一、基本情况", "cue=report_below"),
    ("zhusong", "某事项的报告\n主送：区人民政府\n正文", "cue=zhusong"),
    ("addressee leader", "汇报材料\n尊敬的各位领导：\n大家好", "cue=addressee_leader"),
    ("signature date", "某社区倡议书\n让我们行动起来！\n某社区居委会\n2024年3月5日", "cue=sig_date"),
    ("signature org", "某社区倡议书\n让我们行动起来！\n某社区居委会\n2024年3月5日", "cue=sig_org"),
    ("traditional", "社區工作總結\n正文。", "twc=summary"),
]


@pytest.mark.parametrize(("name", "text", "token"), STRUCTURE, ids=[s[0] for s in STRUCTURE])
def test_structure_tokens(name: str, text: str, token: str) -> None:
    view = make_view(text, None, CUES, 6000)
    assert token in structure_tokens(view, CUES)


def test_given_title_is_used() -> None:
    view = make_view("正文没有标题。", "某街道工作汇报", CUES, 6000)
    assert "twc=report" in structure_tokens(view, CUES)


# -- save and load -----------------------------------------------------------------------
@pytest.fixture(scope="module")
def saved(fitted: DocTypeClassifier, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("model")
    save_linear(fitted, folder, {"training": {"documents": 24}})
    return folder


PROBES = [
    "北湖社区关于开展消防安全检查的工作方案\n一、工作目标\n二、实施步骤",
    "致全区青少年的一封信\n同学们：让我们争做文明小卫士！",
    "街道2022年工作总结\n一年来取得了一定成绩，也存在不足。",
    "关于迎检工作情况的汇报\n各位领导：现将迎检工作汇报如下。",
    "没有标题的一段文字，说了一些事情。",
    "",
]


def test_save_load_gives_identical_probabilities(fitted: DocTypeClassifier, saved: Path) -> None:
    model = load_model(saved)
    assert model is not None and model.labels == [str(c) for c in fitted.classes_]
    expected = fitted.predict_proba(PROBES)
    got = model.predict_proba(PROBES)  # type: ignore[attr-defined]
    assert got.shape == expected.shape
    assert np.abs(got - expected).max() < 1e-12
    for text, row in zip(PROBES, expected, strict=True):
        dt = model.classify(text)
        assert dt.label == fitted.classes_[int(np.argmax(row))]
        assert abs(sum(dt.scores.values()) - 1.0) < 1e-9
        assert dt.score == max(dt.scores.values())


def test_card_contents(saved: Path) -> None:
    card = json.loads((saved / "model.json").read_text(encoding="utf-8"))
    assert card["format"] == "civicnlp.model/1" and card["backend"] == "sklearn"
    assert card["labels"] == sorted(TEMPLATES)
    assert set(card["files"]) == {"vocab.json", "weights.npz"}
    assert {"civicnlp", "scikit-learn", "numpy", "jieba"} <= set(card["versions"])
    assert card["created"] and card["model"]["cues"]["wenzhong"]


def test_explain_names_features(saved: Path) -> None:
    model = load_model(saved)
    feats = model.explain(PROBES[1], top=5)  # type: ignore[union-attr]
    assert 0 < len(feats) <= 5
    assert all(":" in name and weight > 0 for name, weight in feats)


def test_loading_never_unpickles(saved: Path) -> None:
    """np.load runs with allow_pickle=False: a weights file holding a pickle is refused (E302)."""
    import numpy as np

    from civicnlp.classify.model_io import sha256_file

    src = load_model(saved)
    assert src is not None
    evil = saved.parent / "evil"
    shutil.copytree(saved, evil)
    np.savez(evil / "weights.npz", idf=np.array([object()], dtype=object), coef=np.zeros(1), intercept=np.zeros(1),
             cal_a=np.zeros(1), cal_b=np.zeros(1))  # fmt: skip
    card = json.loads((evil / "model.json").read_text(encoding="utf-8"))
    card["files"]["weights.npz"] = sha256_file(evil / "weights.npz")  # a consistent, hostile folder
    (evil / "model.json").write_text(json.dumps(card), encoding="utf-8")
    with pytest.raises(ModelError) as info:
        load_model_dir(evil)
    assert info.value.code == "E302"


def _broken(saved: Path, tmp_path: Path, how: str) -> Path:
    folder = tmp_path / "m"
    shutil.copytree(saved, folder)
    card_path = folder / "model.json"
    card = json.loads(card_path.read_text(encoding="utf-8"))
    if how == "weights changed":
        data = bytearray((folder / "weights.npz").read_bytes())
        data[len(data) // 2] ^= 0xFF
        (folder / "weights.npz").write_bytes(bytes(data))
    elif how == "vocab changed":
        vocab = json.loads((folder / "vocab.json").read_text(encoding="utf-8"))
        vocab["chars"][0] = "篡改"
        (folder / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    elif how == "vocab missing":
        (folder / "vocab.json").unlink()
    elif how == "card not json":
        card_path.write_text("{not json", encoding="utf-8")
    elif how == "card a list":
        card_path.write_text("[1, 2]", encoding="utf-8")
    elif how == "no file hashes":
        card.pop("files")
        card_path.write_text(json.dumps(card), encoding="utf-8")
    elif how == "unknown backend":
        card["backend"] = "os.system"
        card_path.write_text(json.dumps(card), encoding="utf-8")
    elif how == "newer format":
        card["format"] = "civicnlp.model/99"
        card_path.write_text(json.dumps(card), encoding="utf-8")
    elif how == "pickle beside":
        (folder / "model.pkl").write_bytes(b"\x80\x04K\x01.")
    elif how == "path in file list":
        card["files"]["../outside"] = "0" * 64
        card_path.write_text(json.dumps(card), encoding="utf-8")
    return folder


BROKEN = [
    "weights changed",
    "vocab changed",
    "vocab missing",
    "card not json",
    "card a list",
    "no file hashes",
    "unknown backend",
    "newer format",
    "pickle beside",
    "path in file list",
]


@pytest.mark.parametrize("how", BROKEN)
def test_tampered_folder_is_e302(saved: Path, tmp_path: Path, how: str) -> None:
    folder = _broken(saved, tmp_path, how)
    with pytest.raises(ModelError) as info:
        load_model(folder)
    assert info.value.code == "E302"
    assert "Train it again" in str(info.value)


@pytest.mark.parametrize("kind", ["empty folder", "a file", "missing"])
def test_not_a_model_is_e301(tmp_path: Path, kind: str) -> None:
    target = tmp_path / "x"
    if kind == "empty folder":
        target.mkdir()
    elif kind == "a file":
        target.write_text("hello", encoding="utf-8")
    with pytest.raises(ModelError) as info:
        load_model(target)
    assert info.value.code == "E301"


def test_backend_with_missing_packages_is_e303(saved: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "m"
    shutil.copytree(saved, folder)
    card = json.loads((folder / "model.json").read_text(encoding="utf-8"))
    card["backend"] = "transformer"
    (folder / "model.json").write_text(json.dumps(card), encoding="utf-8")
    monkeypatch.setitem(BACKENDS, "transformer", "civicnlp_no_such_module:Model.load")
    with pytest.raises(ModelError) as info:
        load_model(folder)
    assert info.value.code == "E303"


def test_env_variable_names_the_default_model(saved: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CIVICNLP_MODEL", str(saved))
    assert default_model_path() == saved
    model = load_model()
    assert model is not None and model.labels == sorted(TEMPLATES)


# -- the shipped default model -----------------------------------------------------------
def _default() -> object:
    model = load_model()
    if model is None:
        pytest.skip(f"no default model at {default_model_path()} (run bench/train_default.py)")
    return model


def test_default_model_has_core_labels() -> None:
    model = _default()
    assert sorted(model.labels) == ["initiative", "plan", "report", "summary"]  # type: ignore[attr-defined]


@pytest.mark.shared
def test_seed_compilation_parts(shared: Path) -> None:
    _default()
    import civicnlp

    text = (shared / "gold" / "seed-compilation.txt").read_text(encoding="utf-8")
    docs = civicnlp.extract(text)
    assert [d.doc_type.label if d.doc_type else None for d in docs] == [
        "initiative",
        "initiative",
        "summary",
        "plan",
        "report",
    ]


@pytest.mark.shared
def test_default_model_on_dev(shared: Path) -> None:
    model = _default()
    from civicnlp.classify.data import load_labeled
    from civicnlp.classify.train import CORE_LABELS, evaluate

    dev = load_labeled(shared / "corpus" / "dev.jsonl", labels=CORE_LABELS)
    pred = [model.classify(t).label for t in dev.texts]  # type: ignore[attr-defined]
    metrics = evaluate(dev.labels, pred, CORE_LABELS)
    assert metrics.macro_f1 >= 0.95, metrics.table()
    assert min(m["f1"] for m in metrics.per_label.values()) >= 0.90, metrics.table()
