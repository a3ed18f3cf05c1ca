"""The ``civicnlp extract`` command: exit codes, error records, the summary, formats, output."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from civicnlp.cli import main

GOOD = "关于开展社区环境整治的倡议书\n一、爱护环境，从我做起。\n二、垃圾分类，人人有责。\n"
SUMMARY = re.compile(
    r"civicnlp extract: (?P<files>\d+) files, (?P<documents>\d+) documents, (?P<errors>\d+) errors, "
    r"(?P<skipped>\d+) skipped, [\d.]+ s, [\d.]+ MB/s"
)
ERROR_KEYS = {"schema", "id", "source", "error"}


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["extract", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def _records(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _summary(err: str) -> dict[str, int]:
    m = SUMMARY.search(err)
    assert m, f"no summary line on stderr: {err!r}"
    return {k: int(v) for k, v in m.groupdict().items()}


def _good_folder(tmp: Path) -> Path:
    (tmp / "in").mkdir()
    (tmp / "in" / "a.txt").write_text(GOOD, encoding="utf-8")
    (tmp / "in" / "b.txt").write_bytes(GOOD.encode("gb18030"))
    return tmp / "in"


def _add_empty(folder: Path) -> None:
    (folder / "empty.txt").write_bytes(b"")


def _add_binary(folder: Path) -> None:
    (folder / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))


def _add_undecodable(folder: Path) -> None:
    (folder / "bad.txt").write_bytes(b"\x80\x81\xfe\xff" * 40)


def _add_loop(folder: Path) -> None:
    os.symlink(folder / "y.txt", folder / "x.txt")
    os.symlink(folder / "x.txt", folder / "y.txt")


def _add_fake_docx(folder: Path) -> None:
    (folder / "fake.docx").write_bytes(b"not a zip")


def _add_bad_row(folder: Path) -> None:
    (folder / "rows.jsonl").write_text('{"id": "r1", "text": "正文一"}\n{broken\n', encoding="utf-8")


def _add_unknown(folder: Path) -> None:
    (folder / "scan.pdf").write_bytes(b"%PDF-1.4")


# (id, what to add to a folder of two good files, exit code, error codes expected, skipped count)
CASES: list[tuple[str, Callable[[Path], None] | None, int, list[str], int]] = [
    ("all-good", None, 0, [], 0),
    ("unknown-extension-is-a-skip", _add_unknown, 0, [], 1),
    ("empty", _add_empty, 1, ["E101"], 0),
    ("binary", _add_binary, 1, ["E102"], 0),
    ("undecodable", _add_undecodable, 1, ["E103"], 0),
    ("symlink-loop", _add_loop, 1, ["E107", "E107"], 0),
    ("docx-not-a-zip", _add_fake_docx, 1, ["E106"], 0),
    ("bad-jsonl-row", _add_bad_row, 1, ["E109"], 0),
]


@pytest.mark.parametrize(("add", "code", "errors", "skipped"), [pytest.param(*c[1:], id=c[0]) for c in CASES])
def test_exit_codes_and_error_records(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    add: Callable[[Path], None] | None,
    code: int,
    errors: list[str],
    skipped: int,
) -> None:
    folder = _good_folder(tmp_path)
    if add:
        add(folder)
    out = tmp_path / "out.jsonl"
    rc, _, err = _run([str(folder), "-o", str(out)], capsys)
    assert rc == code
    records = _records(out)
    failed = [r for r in records if "error" in r]
    assert sorted(r["error"]["code"] for r in failed) == sorted(errors)  # type: ignore[index]
    for r in failed:
        assert set(r) == ERROR_KEYS
        assert r["schema"] == "civicnlp.document/1"
        assert set(r["error"]) >= {"code", "message"}  # type: ignore[arg-type]
        assert r["source"]["path"]  # type: ignore[index]
    # the good files' records are all written, whatever else failed
    ok_ids = {r["id"] for r in records if "error" not in r}
    assert {"a.txt", "b.txt"} <= ok_ids
    summary = _summary(err)
    assert summary["errors"] == len(errors)
    assert summary["skipped"] == skipped
    assert summary["documents"] == len(records) - len(errors)


def test_summary_names_skip_reasons(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _good_folder(tmp_path)
    _add_unknown(folder)
    rc, _, err = _run([str(folder), "-o", str(tmp_path / "o.jsonl")], capsys)
    assert rc == 0
    assert "unknown extension '.pdf'" in err and "scan.pdf" in err
    assert _summary(err) == {"files": 2, "documents": 2, "errors": 0, "skipped": 1}


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        pytest.param(["{tmp}/does-not-exist"], "E401", id="missing-path"),
        pytest.param(["{folder}", "--format", "xml"], "E402", id="unknown-format"),
    ],
)
def test_usage_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str) -> None:
    folder = _good_folder(tmp_path)
    out = tmp_path / "out.jsonl"
    args = [a.format(tmp=tmp_path, folder=folder) for a in argv]
    rc, _, err = _run([*args, "-o", str(out)], capsys)
    assert rc == 2
    assert message in err
    assert not out.exists()  # nothing written on a usage error


@pytest.mark.parametrize(
    "argv",
    [
        pytest.param(["extract"], id="no-path"),
        pytest.param(["extract", "x.txt", "--max-bytes", "0"], id="max-bytes-zero"),
        pytest.param(["extract", "x.txt", "--max-bytes", "lots"], id="max-bytes-not-a-number"),
        pytest.param(["extract", "x.txt", "--no-such-option"], id="unknown-option"),
        pytest.param([], id="no-command"),
    ],
)
def test_argument_errors_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    try:
        rc = main(argv)
    except SystemExit as exc:
        rc = int(exc.code or 0)
    assert rc == 2


def test_max_bytes_option_gives_e104(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _good_folder(tmp_path)
    out = tmp_path / "out.jsonl"
    rc, _, _ = _run([str(folder), "-o", str(out), "--max-bytes", "20"], capsys)
    assert rc == 1
    assert {r["error"]["code"] for r in _records(out)} == {"E104"}  # type: ignore[index]


def test_stdout_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _good_folder(tmp_path)
    rc, out, err = _run([str(folder), "-o", "-"], capsys)
    assert rc == 0
    records = [json.loads(line) for line in out.splitlines()]
    assert [r["id"] for r in records] == ["a.txt", "b.txt"]
    assert "civicnlp extract:" not in out  # the summary goes to stderr only
    assert _summary(err)["documents"] == 2


def test_no_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _good_folder(tmp_path)
    out = tmp_path / "out.jsonl"
    assert _run([str(folder), "-o", str(out), "--no-text"], capsys)[0] == 0
    records = _records(out)
    assert records and all("text" not in r for r in records)
    assert all("sections" in r for r in records)


def test_csv_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _good_folder(tmp_path)
    _add_empty(folder)
    out = tmp_path / "out.csv"
    rc, _, _ = _run([str(folder), "-o", str(out), "--format", "csv"], capsys)
    assert rc == 1
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"), newline="")))
    assert [r["id"] for r in rows] == ["a.txt", "b.txt", "empty.txt"]
    by_id = {r["id"]: r for r in rows}
    assert by_id["b.txt"]["encoding"] == "gb18030"
    assert by_id["a.txt"]["text"] == by_id["b.txt"]["text"]
    assert isinstance(json.loads(by_id["a.txt"]["sections"]), list)
    assert json.loads(by_id["empty.txt"]["error"])["code"] == "E101"


def test_rows_input_with_custom_fields(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "export.csv"
    data.write_text("key,content\nk1,一、第一项工作。\nk2,\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    rc, _, _ = _run([str(data), "-o", str(out), "--text-field", "content", "--id-field", "key"], capsys)
    assert rc == 1  # row k2 has no text
    records = _records(out)
    assert [r["id"] for r in records] == ["export.csv:k1", "export.csv:k2"]
    assert records[0]["source"]["row"] == "k1"  # type: ignore[index]
    assert records[1]["error"]["code"] == "E108"  # type: ignore[index]


def test_output_written_atomically_with_normal_permissions(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _good_folder(tmp_path)
    out = tmp_path / "sub" / "out.jsonl"
    assert _run([str(folder), "-o", str(out)], capsys)[0] == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~_umask()
    assert [p.name for p in out.parent.iterdir()] == ["out.jsonl"]  # no temporary file left


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def test_atomic_output_keeps_the_old_file_on_a_crash(tmp_path: Path) -> None:
    from civicnlp.writers import atomic_output

    target = tmp_path / "out.jsonl"
    target.write_text("old complete content\n", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_output(target) as fh:
        fh.write("half a new fi")
        raise RuntimeError("crash mid-run")
    assert target.read_text(encoding="utf-8") == "old complete content\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.jsonl"]


def test_console_script_end_to_end(tmp_path: Path) -> None:
    """The installed entry point (``python -m civicnlp``) with a real process: stdout, stderr, code."""
    folder = _good_folder(tmp_path)
    _add_empty(folder)
    proc = subprocess.run(
        [sys.executable, "-m", "civicnlp", "extract", str(folder), "-o", "-", "--no-text"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
        check=False,
    )
    assert proc.returncode == 1
    records = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [r["id"] for r in records] == ["a.txt", "b.txt", "empty.txt"]
    assert _summary(proc.stderr) == {"files": 3, "documents": 2, "errors": 1, "skipped": 0}


@pytest.mark.shared
def test_shared_dev_corpus_completes(shared: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``civicnlp extract ../shared/corpus/dev.jsonl`` runs over every row with no crash."""
    source = shared / "corpus" / "dev.jsonl"
    rows = sum(1 for line in source.open(encoding="utf-8") if line.strip())
    out = tmp_path / "dev.jsonl"
    rc, _, err = _run([str(source), "-o", str(out), "--no-text"], capsys)
    assert rc == 0, err
    records = _records(out)
    assert len({r["id"].split("#")[0] for r in records}) == rows  # type: ignore[union-attr]
    summary = _summary(err)
    assert summary["errors"] == 0 and summary["documents"] == len(records)
    assert "MB/s" in err
