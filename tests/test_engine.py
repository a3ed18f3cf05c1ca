"""The local engine: tasks, the ordered bounded process pool, and ``civicnlp extract --workers``."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from civicnlp.cli import main
from civicnlp.engine import pool as pool_mod
from civicnlp.engine.inputs import InputFile
from civicnlp.engine.local import results_iter
from civicnlp.engine.pool import Pool, SerialExecutor, WorkerError, default_workers
from civicnlp.engine.work import Encoder, Unit, batch_units
from civicnlp.pipeline import Pipeline
from civicnlp.writers import RecordWriter

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="process tests use fork semantics")


def civic_text(i: int) -> str:
    """A small civic notice of our own, different for each ``i``."""
    return (
        f"关于开展第{i}期社区环境整治活动的通知\n"
        "各居民小组：\n"
        "为改善居住环境，现将有关事项通知如下。\n"
        "一、活动时间\n"
        f"2024年{i % 12 + 1}月{i % 28 + 1}日上午九时开始，为期{i % 5 + 1}天。\n"
        "二、工作要求\n"
        f"（一）各小组组长负责组织本组居民参加，参加人数不少于{10 + i}人。\n"
        "（二）社区服务中心负责准备清扫工具。\n"
        "\n街道办事处\n2024年3月1日\n"
    )


def make_folder(root: Path, n: int = 12) -> Path:
    """A folder with ``n`` notices in two subfolders, a .jsonl (one bad row, one row without text)
    and an empty file: documents and error records together."""
    folder = root / "in"
    for i in range(n):
        sub = folder / ("a" if i % 2 else "b")
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"{i:03d}.txt").write_text(civic_text(i), encoding="utf-8")
    rows = [json.dumps({"id": f"row{i}", "text": civic_text(100 + i)}, ensure_ascii=False) for i in range(5)]
    rows.insert(2, "{not json")
    rows.append(json.dumps({"id": "empty-row"}))
    (folder / "rows.jsonl").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (folder / "zz-empty.txt").write_bytes(b"")
    return folder


def run_cli(*argv: str) -> int:
    return main(["extract", *argv])


# --- tasks -------------------------------------------------------------------------------------
def _unit(key: str, size: int) -> Unit:
    return Unit(key=key, size=size, file=InputFile(Path(key), key))


@pytest.mark.parametrize(
    ("sizes", "max_units", "max_bytes", "expected"),
    [
        pytest.param([], 3, 100, [], id="no-units"),
        pytest.param([1, 1, 1, 1, 1], 2, 100, [2, 2, 1], id="by-count"),
        pytest.param([60, 60, 60], 10, 100, [2, 1], id="by-bytes"),
        pytest.param([500, 1, 1], 10, 100, [1, 2], id="one-big-unit-alone"),
        pytest.param([1, 1, 1], 3, 100, [3], id="exactly-full"),
    ],
)
def test_batch_units(sizes: list[int], max_units: int, max_bytes: int, expected: list[int]) -> None:
    units = [_unit(str(i), s) for i, s in enumerate(sizes)]
    tasks = list(batch_units(units, max_units, max_bytes))
    assert [len(t) for t in tasks] == expected
    assert [u.key for t in tasks for u in t] == [u.key for u in units]


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_encoder_writes_what_record_writer_writes(fmt: str) -> None:
    docs = list(Pipeline(None).process_text(civic_text(1), doc_id="x", path="x"))
    buf = io.StringIO()
    writer = RecordWriter(buf, fmt)
    for d in docs:
        writer.write(d.to_dict())
    enc = Encoder(fmt)
    assert (enc.header + b"".join(enc.encode(d) for d in docs)).decode("utf-8") == buf.getvalue()


# --- the pool ----------------------------------------------------------------------------------
def _init(factor: int) -> int:
    return factor


def _init_fails(_: int) -> int:
    raise ValueError("no model here")


def _slow_times(state: int, x: int) -> int:
    time.sleep(0.002 * (x % 4))  # uneven task times: results come back out of order
    return x * state


def _fails_on_3(state: int, x: int) -> int:
    if x == 3:
        raise RuntimeError("task three is broken")
    return x


def _dies_on_3(state: int, x: int) -> int:
    if x == 3:
        os._exit(7)
    return x


def test_pool_keeps_input_order() -> None:
    with Pool(2, _init, (10,), _slow_times, window=4) as pool:
        assert list(pool.map(range(40))) == [x * 10 for x in range(40)]


def test_pool_reads_ahead_only_a_window() -> None:
    pulled = 0

    def endless() -> Iterator[int]:
        nonlocal pulled
        while True:
            pulled += 1
            yield pulled

    with Pool(2, _init, (1,), _slow_times, window=3) as pool:
        results = pool.map(endless())
        got = [next(results) for _ in range(10)]
        assert got == list(range(1, 11))
        assert pulled <= 10 + 3  # never more than the window ahead of what was consumed
        results.close()


def test_pool_setup_failure_is_reported_with_its_message() -> None:
    with pytest.raises(WorkerError, match="no model here") as info, Pool(2, _init_fails, (1,), _slow_times):
        pass
    assert info.value.setup


def test_pool_task_failure_names_the_error() -> None:
    with pytest.raises(WorkerError, match="task three is broken"), Pool(2, _init, (1,), _fails_on_3) as pool:
        list(pool.map(range(6)))


def test_pool_notices_a_dead_worker() -> None:
    with pytest.raises(WorkerError, match="stopped unexpectedly"), Pool(2, _init, (1,), _dies_on_3) as pool:
        list(pool.map(range(6)))


def test_serial_executor_same_results() -> None:
    with SerialExecutor(_init, (3,), _slow_times) as ex:
        assert list(ex.map(range(5))) == [0, 3, 6, 9, 12]


def test_default_workers_is_the_core_count() -> None:
    assert default_workers() >= 1
    args = __import__("civicnlp.cli", fromlist=["build_parser"]).build_parser().parse_args(["extract", "x"])
    assert args.workers is None  # None: default_workers() at run time


# --- the command -------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_folder(tmp_path_factory.mktemp("engine"))


@pytest.fixture(scope="module")
def reference(folder: Path, tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The output of ``--workers 1`` (in this process, no pool)."""
    out = tmp_path_factory.mktemp("ref") / "w1.jsonl"
    assert run_cli(str(folder), "-o", str(out), "--workers", "1") == 1  # 1: some inputs failed
    return out.read_bytes()


def test_reference_has_documents_and_error_records(reference: bytes) -> None:
    recs = [json.loads(line) for line in reference.decode("utf-8").splitlines()]
    ids = [r["id"] for r in recs]
    assert len(ids) == len(set(ids)) == 12 + 5 + 2 + 1
    assert sorted(r["error"]["code"] for r in recs if "error" in r) == ["E101", "E108", "E109"]
    assert ids[:2] == ["a/001.txt", "a/003.txt"]  # sorted input order


@pytest.mark.parametrize("workers", ["2", "3"])
def test_workers_write_what_one_process_writes(folder: Path, reference: bytes, tmp_path: Path, workers: str) -> None:
    out = tmp_path / "out.jsonl"
    assert run_cli(str(folder), "-o", str(out), "--workers", workers) == 1
    assert out.read_bytes() == reference
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.jsonl"]  # no .partial, no .journal left


def test_engine_matches_the_simple_api(folder: Path, reference: bytes) -> None:
    from civicnlp.classify import load_model

    recs = [r.to_dict() for r in results_iter([folder], Pipeline(load_model()))]  # the CLI's default model
    assert [json.loads(line) for line in reference.decode("utf-8").splitlines()] == recs


def test_csv_with_workers(folder: Path, tmp_path: Path) -> None:
    one, two = tmp_path / "1.csv", tmp_path / "2.csv"
    run_cli(str(folder), "-o", str(one), "--workers", "1", "--format", "csv")
    run_cli(str(folder), "-o", str(two), "--workers", "2", "--format", "csv")
    assert one.read_bytes() == two.read_bytes()
    assert one.read_bytes().startswith(b"id,path,")


def test_workers_to_stdout(folder: Path, reference: bytes) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "civicnlp", "extract", str(folder), "--workers", "2"],
        capture_output=True,
        timeout=120,
    )
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout == reference


def test_no_pool_falls_back_to_one_process(
    folder: Path, reference: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    class NoSemaphores:
        def Queue(self, *a: object, **k: object) -> None:
            raise OSError(38, "Function not implemented")

    monkeypatch.setattr(pool_mod, "_context", lambda: NoSemaphores())
    out = tmp_path / "out.jsonl"
    assert run_cli(str(folder), "-o", str(out), "--workers", "2") == 1
    assert out.read_bytes() == reference
    assert "running in one process" in capsys.readouterr().err


def test_bad_model_with_workers_is_a_usage_error(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out.jsonl"
    assert run_cli(str(folder), "-o", str(out), "--workers", "2", "--model", str(tmp_path / "nope")) == 2
    assert "E301" in capsys.readouterr().err
    assert not out.exists()


@pytest.mark.parametrize("bad", ["0", "-2", "two"])
def test_workers_must_be_a_positive_number(bad: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["extract", ".", "--workers", bad])
    assert info.value.code == 2
