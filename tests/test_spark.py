"""Spark: the same records as the local engine, field by field (one local[2] session, ~15-40 s)."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import civicnlp
from civicnlp.cli import main

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "spark"
CORPUS = ROOT / "corpus"

pyspark = pytest.importorskip("pyspark", reason="pyspark is not installed (pip install 'civicnlp[spark]')")
pytest.importorskip("pandas", reason="pandas is not installed (pip install 'civicnlp[spark]')")
pytest.importorskip("pyarrow", reason="pyarrow is not installed (pip install 'civicnlp[spark]')")
if not (shutil.which("java") or os.environ.get("JAVA_HOME")):
    pytest.skip("no Java: Spark needs a JRE 17+ (java on PATH or JAVA_HOME)", allow_module_level=True)

pytestmark = pytest.mark.filterwarnings("ignore::FutureWarning", "ignore::DeprecationWarning", "ignore::UserWarning")


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    from civicnlp.engine.spark import SparkUnavailable, spark_session

    try:
        session, own = spark_session("local[2]", "civicnlp-tests")
    except SparkUnavailable as exc:
        pytest.skip(f"Spark cannot start here: {exc}")
    yield session
    if own:
        session.stop()


def inputs() -> Path:
    """The bundled corpus when it has documents, else the small texts of tests/fixtures/spark."""
    if CORPUS.is_dir() and any(p.suffix in (".txt", ".docx", ".html") for p in CORPUS.iterdir()):
        return CORPUS
    return FIXTURES


def records(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def assert_same_records(got: list[dict[str, Any]], want: list[dict[str, Any]]) -> None:
    assert [r["id"] for r in got] == [r["id"] for r in want]
    for g, w in zip(got, want, strict=True):
        assert sorted(g) == sorted(w), g["id"]
        for field in w:
            assert g[field] == w[field], f"{g['id']}: field {field!r} differs"


def test_cli_spark_engine_equals_local_engine(spark: Any, tmp_path: Path) -> None:
    folder = inputs()
    local_out, spark_out = tmp_path / "local.jsonl", tmp_path / "spark.jsonl"
    local_rc = main(["extract", str(folder), str(FIXTURES / "rows.jsonl"), "-o", str(local_out), "--workers", "1"])
    spark_args = ["--engine", "spark", "--master", "local[2]"]
    spark_rc = main(["extract", str(folder), str(FIXTURES / "rows.jsonl"), "-o", str(spark_out), *spark_args])
    assert spark_rc == local_rc
    want = records(local_out)
    assert len(want) >= 5
    assert_same_records(records(spark_out), want)


def test_extract_dataframe_equals_the_api(spark: Any) -> None:
    from civicnlp.spark import RESULT_COLUMNS, extract_dataframe

    rows = [(p.stem, p.read_text(encoding="utf-8")) for p in sorted(FIXTURES.glob("*.txt"))]
    rows.append(("no-text", None))
    df = spark.createDataFrame(rows, "doc string, body string")
    out = extract_dataframe(df, text_col="body", id_col="doc").collect()
    assert [f.name for f in extract_dataframe(df, "body", "doc").schema.fields] == [n for n, _ in RESULT_COLUMNS]

    by_input: dict[str, list[Any]] = {}
    for row in out:
        by_input.setdefault(row["input_id"], []).append(row)
    failed = by_input.pop("no-text")
    assert [(r["error_code"], r["part"]) for r in failed] == [("E108", None)]
    for doc_id, text in rows[:-1]:
        want = [d.to_dict() for d in civicnlp.extract(text, doc_id=doc_id)]
        got = sorted(by_input[doc_id], key=lambda r: r["part"])
        assert_same_records([json.loads(r["record"]) for r in got], want)
        for r, w in zip(got, want, strict=True):
            assert (r["id"], r["title"], r["doc_date"], r["part"]) == (
                w["id"],
                w["title"],
                w["doc_date"],
                w["source"]["part"],
            )
            assert r["doc_type"] == (w["doc_type"] or {}).get("label")


def test_extract_dataframe_names_a_missing_column(spark: Any) -> None:
    from civicnlp.spark import extract_dataframe

    df = spark.createDataFrame([("a", "x")], "id string, content string")
    with pytest.raises(ValueError, match="no column 'text'"):
        extract_dataframe(df)
