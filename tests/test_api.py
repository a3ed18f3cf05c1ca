"""The Python API: ``civicnlp.extract(text)`` and ``civicnlp.extract_path(path)``."""

from __future__ import annotations

from pathlib import Path

import pytest

import civicnlp
from civicnlp.document import RECORD_FIELDS, Document
from civicnlp.pipeline import ErrorRecord

SCHEMA_FIELDS = set(RECORD_FIELDS)
TEXT = "关于做好冬季供暖保障的工作方案\n一、工作目标\n确保全镇居民温暖过冬。\n二、工作措施\n加强巡查。\n"


def test_exports() -> None:
    for name in ("extract", "extract_path", "Document", "SCHEMA", "CivicError", "__version__"):
        assert name in civicnlp.__all__
        assert getattr(civicnlp, name) is not None
    assert civicnlp.SCHEMA == "civicnlp.document/1"


def test_extract_text() -> None:
    docs = civicnlp.extract(TEXT, doc_id="winter")
    assert len(docs) == 1
    (doc,) = docs
    assert isinstance(doc, Document)
    record = doc.to_dict()
    assert set(record) >= SCHEMA_FIELDS
    assert record["id"] == "winter"
    assert record["source"]["part"] == 1 and record["source"]["parts"] == 1
    assert record["text"].startswith("关于做好冬季供暖保障的工作方案\n一、工作目标")
    assert "text" not in doc.to_dict(include_text=False)


def test_extract_compilation_gives_one_document_per_part() -> None:
    parts = "".join(
        f"冬季供暖倡议书篇{n}\n各位居民：\n一、节约用热，从我做起，人人争当节能先锋，共建温暖家园。\n" for n in "一二三"
    )
    docs = civicnlp.extract("冬季供暖倡议书（精选3篇）\n" + parts, doc_id="many")
    assert [d.id for d in docs] == ["many#1", "many#2", "many#3"]
    assert [d.source.part for d in docs] == [1, 2, 3]
    assert all(d.source.parts == 3 for d in docs)


@pytest.mark.parametrize("value", [b"bytes", None, 42, ["list"]], ids=["bytes", "none", "int", "list"])
def test_extract_refuses_non_text(value: object) -> None:
    with pytest.raises(TypeError):
        civicnlp.extract(value)  # type: ignore[arg-type]


def test_extract_path_folder_yields_documents_and_error_records(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "a.txt").write_bytes(TEXT.encode("utf-16"))
    (tmp_path / "c.txt").write_bytes(b"")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "d.html").write_text("<p>一、第一项</p><p>二、第二项</p>", encoding="utf-8")
    results = list(civicnlp.extract_path(tmp_path))
    assert [r.id for r in results] == ["a.txt", "b.txt", "c.txt", "sub/d.html"]
    kinds = [type(r).__name__ for r in results]
    assert kinds == ["Document", "Document", "ErrorRecord", "Document"]
    err = results[2]
    assert isinstance(err, ErrorRecord)
    assert err.error.code == "E101"
    assert set(err.to_dict()) == {"schema", "id", "source", "error"}
    docs = [r for r in results if isinstance(r, Document)]
    assert docs[0].text == docs[1].text  # UTF-16 and UTF-8 read alike
    assert docs[0].source.encoding == "utf-16"


def test_extract_path_single_file(tmp_path: Path) -> None:
    path = tmp_path / "one.txt"
    path.write_text(TEXT, encoding="utf-8")
    (doc,) = civicnlp.extract_path(path)
    assert isinstance(doc, Document)
    assert doc.id == "one.txt"


def test_extract_path_accepts_str_and_never_raises_for_bad_files(tmp_path: Path) -> None:
    (tmp_path / "fake.docx").write_bytes(b"plain bytes")
    (result,) = civicnlp.extract_path(str(tmp_path))
    assert isinstance(result, ErrorRecord)
    assert result.error.code == "E106"
