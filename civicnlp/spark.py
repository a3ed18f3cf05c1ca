"""civicnlp on Apache Spark: the same extraction over a DataFrame of texts, for millions of documents.

>>> from civicnlp.spark import extract_dataframe          # doctest: +SKIP
>>> out = extract_dataframe(spark.read.json("hdfs:///civic/*.jsonl"), text_col="text", id_col="id")
>>> out.select("id", "doc_type", "title").show()

Output: one row per *document* (a compilation text gives one row per part), with

- ``record``: the whole ``civicnlp.document/1`` record as a JSON string, exactly the line the local
  engine writes (``json.loads(row.record) == civicnlp.extract(text, doc_id=id)[i].to_dict()``);
- scalar columns for filtering and joining without parsing it: ``id`` (the document id: the
  input id, plus ``#n`` for the n-th part of a compilation), ``input_id``, ``part``, ``parts``,
  ``title``, ``doc_type``, ``doc_type_score``, ``doc_date`` and ``error_code`` (set, with every
  other scalar null, when a row has no text).

A JSON string rather than a nested struct, because the record's item lists (sections, dates,
metrics …) grow fields as civicnlp learns more, and a struct schema would tie every saved table to
one version; Spark reads it with ``from_json`` or ``get_json_object`` when needed.

The pipeline and its model are loaded once per executor Python process (a module-level cache;
Spark reuses its Python workers), never once per row or batch. Rows reach the executors in Arrow
batches through ``mapInPandas``, so ``pandas`` and ``pyarrow`` are needed there too
(``pip install 'civicnlp[spark]'``).
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from civicnlp.document import Source
from civicnlp.errors import CivicError, Errors
from civicnlp.pipeline import ErrorRecord, Pipeline, Result

if TYPE_CHECKING:
    import pandas as pd
    from pyspark.sql import DataFrame

__all__ = ["RESULT_COLUMNS", "RESULT_SCHEMA", "extract_dataframe", "pipeline_for", "results_for_text"]

RESULT_COLUMNS = (
    ("id", "string"),
    ("input_id", "string"),
    ("part", "int"),
    ("parts", "int"),
    ("title", "string"),
    ("doc_type", "string"),
    ("doc_type_score", "double"),
    ("doc_date", "string"),
    ("error_code", "string"),
    ("record", "string"),
)
RESULT_SCHEMA = ", ".join(f"{name} {kind}" for name, kind in RESULT_COLUMNS)

_CHUNK_ROWS = 256  # output rows per Arrow batch sent back from an executor

_PIPELINES: dict[tuple[str | None, float], Pipeline] = {}


def pipeline_for(model: str | None = None, time_budget: float = 30.0) -> Pipeline:
    """The pipeline for ``model`` in this process, loaded on first use and kept."""
    key = (model, time_budget)
    pipe = _PIPELINES.get(key)
    if pipe is None:
        from civicnlp.classify import load_model

        pipe = _PIPELINES[key] = Pipeline(load_model(model), time_budget=time_budget)
    return pipe


def results_for_text(pipeline: Pipeline, input_id: str, text: object, text_col: str = "text") -> list[Result]:
    """The documents of one row's text (ids and paths are ``input_id``), or its error record."""
    if not isinstance(text, str) or not text.strip():
        err = CivicError(Errors.E108, row=input_id, path="the DataFrame", field=text_col)
        return [ErrorRecord(input_id, Source(input_id), err)]
    return list(pipeline.process_text(text, doc_id=input_id, path=input_id))


def _row(res: Result, input_id: str, include_text: bool) -> dict[str, Any]:
    rec = res.to_dict(include_text=include_text)
    src = rec.get("source") or {}
    doc_type = rec.get("doc_type") or {}
    error = rec.get("error") or {}
    failed = isinstance(res, ErrorRecord)
    return {
        "id": rec["id"],
        "input_id": input_id,
        "part": None if failed else src.get("part"),
        "parts": None if failed else src.get("parts"),
        "title": rec.get("title"),
        "doc_type": doc_type.get("label"),
        "doc_type_score": doc_type.get("score"),
        "doc_date": rec.get("doc_date"),
        "error_code": error.get("code"),
        "record": json.dumps(rec, ensure_ascii=False),
    }


def _frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """Rows as a pandas frame with the result schema's types (nullable integers)."""
    import pandas as pd

    dtypes = {"int": "Int32", "double": "Float64", "string": "object"}
    return pd.DataFrame({name: pd.array([r[name] for r in rows], dtype=dtypes[kind]) for name, kind in RESULT_COLUMNS})


def _map_texts(
    model: str | None, time_budget: float, include_text: bool, text_col: str, batches: Iterator[pd.DataFrame]
) -> Iterator[pd.DataFrame]:
    """mapInPandas body: ``_id``/``_text`` batches in, result rows out (runs on the executors)."""
    pipe = pipeline_for(model, time_budget)
    rows: list[dict[str, Any]] = []
    for batch in batches:
        for input_id, text in zip(batch["_id"].tolist(), batch["_text"].tolist(), strict=True):
            rid = "" if input_id is None else str(input_id)
            rows.extend(_row(res, rid, include_text) for res in results_for_text(pipe, rid, text, text_col))
            if len(rows) >= _CHUNK_ROWS:
                yield _frame(rows)
                rows = []
    if rows:
        yield _frame(rows)


def extract_dataframe(
    df: DataFrame,
    text_col: str = "text",
    id_col: str = "id",
    *,
    model: str | os.PathLike[str] | None = None,
    include_text: bool = True,
    time_budget: float = 30.0,
) -> DataFrame:
    """Extract every row's text of ``df``: one output row per document (see the module doc).

    ``model`` is a model folder that every executor can read at that path — a relative path is
    resolved in each executor's working directory, which is where ``spark-submit --archives
    model.tgz#model`` unpacks it (default: the model bundled with the installed civicnlp).
    ``include_text=False`` leaves ``text`` out of ``record``. Each executor holds one Arrow batch of
    input rows at a time: with long texts, lower ``spark.sql.execution.arrow.maxRecordsPerBatch``.
    """
    from pyspark.sql import functions as F

    for col in (text_col, id_col):
        if col not in df.columns:
            raise ValueError(f"no column {col!r} in the DataFrame (columns: {', '.join(df.columns)})")
    model_path = os.fspath(model) if model is not None else None  # resolved where the executor runs
    fn = functools.partial(_map_texts, model_path, time_budget, include_text, text_col)
    src = df.select(F.col(id_col).cast("string").alias("_id"), F.col(text_col).cast("string").alias("_text"))
    return src.mapInPandas(fn, RESULT_SCHEMA)  # type: ignore[arg-type]
