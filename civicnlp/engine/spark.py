"""``civicnlp extract --engine spark``: files and folders through Spark, records as the local engine's.

The driver lists the inputs exactly as the local engine does (same order, ids and skips), Spark
spreads the files over its executors, each executor reads its files with civicnlp's readers and
runs the pipeline (loaded once per executor process), and the driver writes the records in input
order as they stream back (partition by partition: memory on the driver holds one partition's
records, not the whole output). The executors read the files at the paths the driver sees: on a
cluster, give paths on a shared file system, or use ``civicnlp.spark.extract_dataframe`` on a
DataFrame read from HDFS/S3.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import sys
import time
import warnings
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from civicnlp.engine.inputs import InputFile, iter_inputs
from civicnlp.engine.local import Report
from civicnlp.engine.work import Encoder, Settings, Unit, run_task
from civicnlp.errors import CivicError, Errors

if TYPE_CHECKING:
    import pandas as pd
    from pyspark.sql import SparkSession

__all__ = ["SparkUnavailable", "run_spark", "spark_session"]

_FILES_PER_CHUNK = 16
_FILES_PER_PARTITION = 8  # files per output batch sent back from an executor
_OUT_SCHEMA = "seq long, data string, documents int, error_ids string"


class SparkUnavailable(RuntimeError):
    """pyspark is not installed, or Spark (Java) cannot start; ``error`` says how to fix it."""

    def __init__(self, error: CivicError) -> None:
        super().__init__(error.message)
        self.error = error


def spark_session(master: str = "local[*]", app_name: str = "civicnlp") -> tuple[SparkSession, bool]:
    """A Spark session (and whether it was created here, so the caller stops only its own).

    For a local master the executors run this very Python (``sys.executable``), which has
    civicnlp installed, whatever ``PYSPARK_PYTHON`` says; the session binds to 127.0.0.1 and
    starts without a network or a web UI.
    """
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise SparkUnavailable(
            CivicError(Errors.E403, detail="pyspark (for --engine spark)", install="pip install 'civicnlp[spark]'")
        ) from None
    existing = SparkSession.getActiveSession()
    if existing is not None:
        return existing, False
    builder = SparkSession.builder.master(master).appName(app_name)
    builder = builder.config("spark.ui.showConsoleProgress", "false")
    warnings.filterwarnings("ignore", message=".*PySpark does not yet fully support pandas", category=FutureWarning)
    if master.startswith("local"):
        os.environ["PYSPARK_PYTHON"] = sys.executable
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        builder = (
            builder.config("spark.pyspark.python", sys.executable)
            .config("spark.pyspark.driver.python", sys.executable)
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "4")
        )
    try:
        spark = builder.getOrCreate()
    except Exception as exc:  # Java missing, bad master URL …
        detail = str(exc).strip().splitlines()[0][:300] if str(exc).strip() else type(exc).__name__
        raise SparkUnavailable(CivicError(Errors.E407, detail=detail, master=master)) from None
    spark.sparkContext.setLogLevel("ERROR")
    return spark, True


def _map_files(settings: Settings, batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
    """mapInPandas body: (seq, path, rel) rows in; each file's encoded records out (on executors)."""
    import pandas as pd

    from civicnlp.spark import pipeline_for

    pipe = pipeline_for(settings.model, settings.time_budget)
    encoder = Encoder(settings.fmt, settings.include_text)
    out: dict[str, list[Any]] = {"seq": [], "data": [], "documents": [], "error_ids": []}
    for batch in batches:
        for seq, path, rel in zip(batch["seq"].tolist(), batch["path"].tolist(), batch["rel"].tolist(), strict=True):
            unit = Unit(key=path, size=0, file=InputFile(Path(path), rel))
            res = run_task(pipe, encoder, settings.options, [unit])
            out["seq"].append(seq)
            out["data"].append(res.data.decode("utf-8"))
            out["documents"].append(res.documents)
            out["error_ids"].append(json.dumps(res.error_ids, ensure_ascii=False))
            if len(out["seq"]) >= _FILES_PER_CHUNK:
                yield pd.DataFrame(out)
                out = {k: [] for k in out}
    if out["seq"]:
        yield pd.DataFrame(out)


def run_spark(paths: Sequence[str | Path], settings: Settings, stream: IO[str], *, master: str = "local[*]") -> Report:
    """Extract every input under ``paths`` on Spark and write the records to ``stream`` in input order."""
    report = Report()
    t0 = time.perf_counter()
    files: list[tuple[int, str, str]] = []
    for seq, item in enumerate(iter_inputs(paths, report.skipped)):
        files.append((seq, os.fspath(item.path), item.rel))
        with contextlib.suppress(OSError):
            report.bytes += os.stat(item.path).st_size
    report.files = len(files)
    stream.write(Encoder(settings.fmt, settings.include_text).header.decode("utf-8"))
    if files:
        spark, own = spark_session(master)
        try:
            # a few files per partition (each task starts a Python worker), every core busy
            cores = spark.sparkContext.defaultParallelism
            n = max(min(cores, len(files)), min(cores * 4, -(-len(files) // _FILES_PER_PARTITION)))
            rdd = spark.sparkContext.parallelize(files, n)
            df = spark.createDataFrame(rdd, "seq long, path string, rel string")
            out = df.mapInPandas(functools.partial(_map_files, settings), _OUT_SCHEMA)  # type: ignore[arg-type]
            # partitions come back in order, and mapInPandas keeps the order within each one
            for row in out.toLocalIterator():
                stream.write(row["data"])
                report.documents += row["documents"]
                ids = json.loads(row["error_ids"])
                report.errors += len(ids)
                report.error_ids.extend(ids)
        finally:
            if own:
                spark.stop()
    report.seconds = time.perf_counter() - t0
    return report
