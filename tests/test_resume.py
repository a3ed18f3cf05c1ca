"""Resume: after Ctrl-C, a crash or ``kill -9``, rerunning with ``--resume`` writes each document once."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from civicnlp.cli import main
from civicnlp.engine.local import run_extract
from civicnlp.engine.pool import SerialExecutor
from civicnlp.engine.resume import DurableOutput, journal_path, partial_path
from civicnlp.engine.work import Settings, init_worker, work
from civicnlp.errors import CivicError

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="signals and locks as on POSIX")

ROOT = Path(__file__).resolve().parent.parent

# The child runs the real command with each document slowed down and tiny tasks (4 units), so
# that "halfway" lasts long enough to kill it there, whatever the speed of the machine.
CHILD = """
import sys, time
import civicnlp.pipeline as pipeline
import civicnlp.engine.work as work
build = pipeline.Pipeline.build
def slow_build(self, *a, **k):
    time.sleep(0.05)
    return build(self, *a, **k)
pipeline.Pipeline.build = slow_build
work.TASK_UNITS = 4
from civicnlp.cli import main
sys.exit(main(sys.argv[1:]))
"""


def civic_text(i: int) -> str:
    """A small notice of our own, different for each ``i``."""
    return (
        f"关于组织第{i}批志愿者参加植树活动的通知\n"
        "各志愿服务队：\n"
        f"定于2024年3月{i % 28 + 1}日在河滨公园开展植树活动，每队派出不少于{5 + i % 7}人。\n"
        "一、请各队队长于活动前一天报送名单。\n"
        "二、活动当天上午八点在公园南门集合。\n"
        "团区委\n2024年2月20日\n"
    )


def make_folder(root: Path, n: int) -> Path:
    folder = root / "in"
    for i in range(n):
        sub = folder / f"g{i % 3}"
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"{i:03d}.txt").write_text(civic_text(i), encoding="utf-8")
    rows = [json.dumps({"id": f"r{i}", "text": civic_text(500 + i)}, ensure_ascii=False) for i in range(6)]
    (folder / "rows.jsonl").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return folder


def ids_of(path: Path) -> list[str]:
    return [json.loads(line)["id"] for line in path.read_text(encoding="utf-8").splitlines()]


def journal_entries(target: Path) -> int:
    try:
        return max(0, len(journal_path(target).read_bytes().splitlines()) - 1)
    except OSError:
        return 0


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_folder(tmp_path_factory.mktemp("resume"), 40)


@pytest.fixture(scope="module")
def reference(folder: Path, tmp_path_factory: pytest.TempPathFactory) -> bytes:
    out = tmp_path_factory.mktemp("ref") / "ref.jsonl"
    assert main(["extract", str(folder), "-o", str(out), "--workers", "1"]) == 0
    return out.read_bytes()


def start_child(folder: Path, out: Path, workers: str) -> subprocess.Popen[str]:
    cmd = [sys.executable, "-c", CHILD, "extract", str(folder), "-o", str(out), "--workers", workers]
    return subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for_progress(proc: subprocess.Popen[str], out: Path, entries: int = 3, timeout: float = 60.0) -> None:
    """Wait until the child has journaled ``entries`` tasks (it is then well under way)."""
    t0 = time.monotonic()
    while journal_entries(out) < entries:
        assert proc.poll() is None, f"the run ended before it could be stopped: {proc.communicate()[1]}"
        assert time.monotonic() - t0 < timeout, "no progress journaled"
        time.sleep(0.02)


@pytest.mark.parametrize("workers", ["1", "2"])
def test_kill_9_halfway_then_resume_writes_each_document_once(
    folder: Path, reference: bytes, tmp_path: Path, workers: str
) -> None:
    out = tmp_path / "out.jsonl"
    proc = start_child(folder, out, workers)
    wait_for_progress(proc, out)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert not out.exists()
    partial = partial_path(out).read_bytes()
    assert 0 < len(partial) < len(reference)  # killed halfway
    assert main(["extract", str(folder), "-o", str(out), "--workers", workers, "--resume"]) == 0
    ids = ids_of(out)
    assert not [i for i, n in Counter(ids).items() if n > 1], "a document was written twice"
    assert out.read_bytes() == reference  # every document, once, in input order
    assert not partial_path(out).exists() and not journal_path(out).exists()


def test_ctrl_c_stops_cleanly_and_says_how_to_resume(folder: Path, reference: bytes, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    proc = start_child(folder, out, "2")
    wait_for_progress(proc, out, entries=2)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "interrupted" in err and "Traceback" not in err
    assert f"-o {out} --workers 2 --resume" in err
    assert main(["extract", str(folder), "-o", str(out), "--workers", "2", "--resume"]) == 0
    assert out.read_bytes() == reference


def test_a_worker_crash_keeps_progress_and_resume_finishes(
    folder: Path, reference: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import os

    import civicnlp.engine.work as work_mod

    real = work_mod.work

    def crashes_on_15(state: work_mod.WorkerState, task: list[work_mod.Unit]) -> work_mod.TaskResult:
        if any(u.key.endswith("015.txt") for u in task):
            os._exit(9)  # a segfault, an OOM kill …
        return real(state, task)

    monkeypatch.setattr(work_mod, "work", crashes_on_15)
    monkeypatch.setattr(work_mod, "TASK_UNITS", 4)
    out = tmp_path / "out.jsonl"
    argv = ["extract", str(folder), "-o", str(out), "--workers", "2"]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert "E205" in err and "stopped unexpectedly" in err and "--resume" in err
    assert not out.exists() and partial_path(out).exists()
    monkeypatch.setattr(work_mod, "work", real)
    assert main([*argv, "--resume"]) == 0
    assert out.read_bytes() == reference


# --- in-process stops: a progress callback that raises after some tasks --------------------------
class StopAfter:
    def __init__(self, tasks: int) -> None:
        self.left = tasks

    def __call__(self, _: int) -> None:
        self.left -= 1
        if self.left <= 0:
            raise KeyboardInterrupt


def cli_command(argv: list[str]) -> dict[str, object]:
    """What the journal of ``civicnlp extract ARGV`` names as its command."""
    from civicnlp.cli import build_parser
    from civicnlp.cli.extract import _command, _settings

    args = build_parser().parse_args(["extract", *argv])
    return _command(args, _settings(args))


def interrupted_run(folder: Path, out: Path, tasks: int = 2, command: dict[str, object] | None = None) -> int:
    """Run the engine in this process and stop it after ``tasks`` tasks; the units done."""
    settings = Settings()
    output = DurableOutput(out, command or {"paths": [str(folder)]})
    output.open()
    with SerialExecutor(init_worker, (settings,), work) as ex, pytest.raises(KeyboardInterrupt):
        run_extract([folder], settings, ex, output, progress=StopAfter(tasks), task_units=4)
    output.close()
    return output.progress.done


def test_resume_after_inputs_changed_matches_by_name(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import shutil

    work_dir = tmp_path / "in"
    shutil.copytree(folder, work_dir)
    out = tmp_path / "out.jsonl"
    command_args = [str(work_dir), "-o", str(out), "--workers", "1"]
    done = interrupted_run(work_dir, out, tasks=1, command=cli_command(command_args))
    assert done > 0
    (work_dir / "g0" / "000-new.txt").write_text(civic_text(999), encoding="utf-8")  # sorts first
    assert main(["extract", *command_args, "--resume"]) == 0
    ids = ids_of(out)
    assert len(ids) == len(set(ids)) == 40 + 6 + 1
    assert "inputs changed" in capsys.readouterr().err


def test_errors_before_the_stop_still_set_the_exit_code(tmp_path: Path) -> None:
    folder = make_folder(tmp_path, 10)
    (folder / "g0" / "0-empty.txt").write_bytes(b"")  # the first input: an error record
    out = tmp_path / "out.jsonl"
    argv = [str(folder), "-o", str(out), "--workers", "1"]
    interrupted_run(folder, out, tasks=1, command=cli_command(argv))
    assert main(["extract", *argv, "--resume"]) == 1
    first = json.loads(out.read_text(encoding="utf-8").splitlines()[0])
    assert first["error"]["code"] == "E101"


def test_rerun_without_resume_starts_over(
    folder: Path, reference: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out.jsonl"
    interrupted_run(folder, out)
    assert main(["extract", str(folder), "-o", str(out), "--workers", "1"]) == 0
    assert out.read_bytes() == reference
    assert "starting over" in capsys.readouterr().err


def test_resume_without_progress_is_a_plain_run(folder: Path, reference: bytes, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    assert main(["extract", str(folder), "-o", str(out), "--workers", "1", "--resume"]) == 0
    assert out.read_bytes() == reference


def test_resume_of_another_command_is_refused(folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out.jsonl"
    interrupted_run(folder, out, command={"paths": ["somewhere else"]})
    assert main(["extract", str(folder), "-o", str(out), "--resume"]) == 2
    assert "E405" in capsys.readouterr().err
    assert partial_path(out).exists()  # nothing thrown away


def test_resume_with_spark_is_refused(folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", str(folder), "-o", str(tmp_path / "o.jsonl"), "--engine", "spark", "--resume"]) == 2
    assert "E409" in capsys.readouterr().err


def test_resume_to_stdout_is_refused(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", str(folder), "--resume"]) == 2
    assert "E406" in capsys.readouterr().err


# --- the durable output itself -----------------------------------------------------------------
def write_tasks(out: DurableOutput, tasks: list[list[str]]) -> None:
    for keys in tasks:
        out.write("".join(f'{{"id": "{k}"}}\n' for k in keys).encode(), keys)


def test_resume_drops_unjournaled_records_and_torn_lines(tmp_path: Path) -> None:
    target = tmp_path / "o.jsonl"
    out = DurableOutput(target, {"c": 1})
    out.open()
    write_tasks(out, [["a", "b"], ["c"]])
    out.close()
    with open(partial_path(target), "ab") as fh:  # a record written but never journaled, and half a line
        fh.write(b'{"id": "d"}\n{"id": "e", "te')
    with open(journal_path(target), "ab") as fh:  # half a journal line
        fh.write(b'{"n": 5, "end"')
    again = DurableOutput(target, {"c": 1})
    progress = again.open(resume=True)
    assert (progress.done, progress.last_key) == (3, "c")
    write_tasks(again, [["d", "e"]])
    again.finish()
    assert ids_of(target) == ["a", "b", "c", "d", "e"]


def test_journal_past_the_end_of_the_file_rolls_back(tmp_path: Path) -> None:
    target = tmp_path / "o.jsonl"
    out = DurableOutput(target, {"c": 1})
    out.open()
    write_tasks(out, [["a"], ["b"], ["c"]])
    out.close()
    data = partial_path(target).read_bytes()
    partial_path(target).write_bytes(data[: len(data) - 5])  # lost the tail (a power cut)
    progress = DurableOutput(target, {"c": 1}).open(resume=True)
    assert (progress.done, progress.last_key) == (2, "b")


def test_a_second_writer_of_the_same_output_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "o.jsonl"
    first = DurableOutput(target, {"c": 1})
    first.open()
    with pytest.raises(CivicError, match="E408"):
        DurableOutput(target, {"c": 1}).open(resume=True)
    first.finish()
    assert target.exists()


def test_csv_header_written_once_across_a_resume(tmp_path: Path) -> None:
    target = tmp_path / "o.csv"
    out = DurableOutput(target, {"c": 1}, header=b"id\r\n")
    out.open()
    out.write(b"a\r\n", ["a"])
    out.close()
    again = DurableOutput(target, {"c": 1}, header=b"id\r\n")
    again.open(resume=True)
    again.write(b"b\r\n", ["b"])
    again.finish()
    assert target.read_bytes() == b"id\r\na\r\nb\r\n"
