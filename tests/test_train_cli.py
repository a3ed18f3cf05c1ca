"""``civicnlp train`` / ``classify`` / ``evaluate`` on a tiny labeled folder of our own, and a new
label set used end to end by ``civicnlp extract --model``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from civicnlp.cli import main

PLACES = ["东风社区", "向阳街道", "柳河村", "新桥小区", "城南片区", "北湖镇"]
# a label set of our own, unlike the default model's
TEMPLATES = {
    "complaint": "关于{p}夜间噪音扰民的投诉\n{p}夜间施工噪音很大，居民无法休息，多次反映没有结果，请有关部门尽快处理并答复。",
    "thanks": "致{p}工作人员的感谢信\n在这次困难中，{p}的工作人员热心帮助我们解决了实际问题，服务周到，我们全家表示衷心感谢。",
    "request": "{p}关于申请维修道路的请示\n{p}主干道路面破损严重，雨天积水，影响出行安全。现申请拨付维修资金，妥否，请批示。",
}


def write_folder(root: Path, per_label: int = 6, templates: dict[str, str] = TEMPLATES) -> Path:
    for label, tpl in templates.items():
        (root / label).mkdir(parents=True, exist_ok=True)
        for i, p in enumerate(PLACES[:per_label]):
            (root / label / f"{i}.txt").write_text(tpl.format(p=p), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("tiny")
    data = write_folder(root / "my_folder")
    out = root / "my_model"
    assert main(["train", str(data), "-o", str(out), "--folds", "3", "--calibration-folds", "3"]) == 0
    return out


def test_train_reports_cv_and_writes_folder(trained: Path, capsys: pytest.CaptureFixture[str]) -> None:
    card = json.loads((trained / "model.json").read_text(encoding="utf-8"))
    assert card["labels"] == ["complaint", "request", "thanks"]
    assert card["training"]["counts"] == {"complaint": 6, "request": 6, "thanks": 6}
    cv = card["cross_validation"]
    assert cv["folds"] == 3 and set(cv["per_label"]) == set(TEMPLATES)
    assert len(cv["confusion"]) == 3 and sum(map(sum, cv["confusion"])) == 18
    assert len(card["training"]["data_sha256"]) == 64


def test_train_output_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = write_folder(tmp_path / "d", templates={k: TEMPLATES[k] for k in ("complaint", "thanks")})
    assert main(["train", str(data), "-o", str(tmp_path / "m"), "--folds", "3", "--calibration-folds", "3"]) == 0
    out = capsys.readouterr().out
    assert "precision" in out and "confusion matrix" in out and "macro-F1" in out
    assert (tmp_path / "m" / "model.json").is_file()


def test_classify_cli(trained: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = tmp_path / "new.txt"
    doc.write_text("关于楼下烧烤油烟扰民的投诉\n烧烤店油烟很大，影响居民生活，请尽快处理。", encoding="utf-8")
    assert main(["classify", str(doc), "--model", str(trained), "--explain"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1
    doc_id, label, prob, explain = lines[0].split("\t")
    assert (doc_id, label) == ("new.txt", "complaint")
    assert 0.0 < float(prob) <= 1.0
    assert ":" in explain


def test_classify_json_and_folder(trained: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a.txt").write_text("致物业公司的感谢信\n物业人员热心服务，我们非常感谢。", encoding="utf-8")
    (tmp_path / "b.txt").write_text("关于申请修缮路灯的请示\n路灯损坏，现申请维修，妥否，请批示。", encoding="utf-8")
    assert main(["classify", str(tmp_path), "--model", str(trained), "--json"]) == 0
    recs = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["id"], r["label"]) for r in recs] == [("a.txt", "thanks"), ("b.txt", "request")]
    assert all(abs(sum(r["scores"].values()) - 1) < 1e-9 for r in recs)


def test_extract_with_new_model_end_to_end(trained: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = tmp_path / "in.txt"
    doc.write_text("关于小区停车难问题的投诉\n小区车位不足，乱停乱放严重，请有关部门尽快处理。", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["extract", str(doc), "--model", str(trained), "-o", str(out)]) == 0
    rec = json.loads(out.read_text(encoding="utf-8").splitlines()[0])
    assert rec["doc_type"]["label"] == "complaint"
    assert set(rec["doc_type"]["scores"]) == set(TEMPLATES)


def test_evaluate_cli(trained: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = write_folder(tmp_path / "eval", per_label=3)
    (tmp_path / "eval" / "other").mkdir()
    (tmp_path / "eval" / "other" / "x.txt").write_text("一段没有类别的文字。", encoding="utf-8")
    assert main(["evaluate", str(data), "--model", str(trained), "--json"]) == 0
    res = json.loads(capsys.readouterr().out)
    assert res["documents"] == 9 and res["left_out"] == {"other": 1}
    assert res["macro_f1"] == 1.0 and res["confusion"] == [[3, 0, 0], [0, 3, 0], [0, 0, 3]]


def test_train_from_jsonl_with_fields(tmp_path: Path) -> None:
    rows = [{"body": tpl.format(p=p), "kind": label} for label, tpl in TEMPLATES.items() for p in PLACES]
    path = tmp_path / "d.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    out = tmp_path / "m"
    argv = ["train", str(path), "-o", str(out), "--text-field", "body", "--label-field", "kind", "--folds", "0",
            "--calibration-folds", "3"]  # fmt: skip
    assert main(argv) == 0
    card = json.loads((out / "model.json").read_text(encoding="utf-8"))
    assert card["training"]["documents"] == 18 and card["cross_validation"] is None


@pytest.mark.parametrize(
    ("setup", "code"),
    [
        ("too few", "E304"),
        ("one label", "E307"),
        ("empty", "E305"),
        ("missing", "E401"),
    ],
)
def test_train_refuses(tmp_path: Path, capsys: pytest.CaptureFixture[str], setup: str, code: str) -> None:
    data = tmp_path / "d"
    if setup == "too few":
        write_folder(data)
        for f in sorted((data / "thanks").iterdir())[2:]:
            f.unlink()
    elif setup == "one label":
        write_folder(data, templates={"thanks": TEMPLATES["thanks"]})
    elif setup == "empty":
        (data / "thanks").mkdir(parents=True)
    assert main(["train", str(data), "-o", str(tmp_path / "m")]) == 2
    err = capsys.readouterr().err
    assert code in err
    if code == "E304":
        assert "'thanks' has 2 documents" in err
    assert not (tmp_path / "m" / "model.json").exists()


def test_classify_bad_model_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = tmp_path / "a.txt"
    doc.write_text("一段文字。", encoding="utf-8")
    (tmp_path / "notmodel").mkdir()
    assert main(["classify", str(doc), "--model", str(tmp_path / "notmodel")]) == 2
    assert "E301" in capsys.readouterr().err
