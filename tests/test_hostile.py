"""Hostile input: ``civicnlp extract`` over a folder of broken, huge and malicious files finishes,
accounts for every input, and keeps going past file-system faults.

The inputs are made at test time by ``tests/hostile/make_hostile.py`` (timings: ``bench/hostile.py``).
"""

from __future__ import annotations

import importlib.util
import io
import json
import os
import shutil
import struct
import subprocess
import sys
import zipfile
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from civicnlp.engine.inputs import Skipped, iter_inputs
from civicnlp.errors import ReadError
from civicnlp.read import ReadOptions, read_file
from civicnlp.read.docx import read_docx

HERE = Path(__file__).resolve().parent
_spec = importlib.util.spec_from_file_location("make_hostile", HERE / "hostile" / "make_hostile.py")
assert _spec and _spec.loader
make_hostile_mod = importlib.util.module_from_spec(_spec)
sys.modules["make_hostile"] = make_hostile_mod
_spec.loader.exec_module(make_hostile_mod)
make_hostile = make_hostile_mod.make_hostile

# root reads files whatever their mode: run the CLI without the two capabilities that allow it
_DROP_READ_CAPS = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search"]
_UNPRIVILEGED = os.geteuid() != 0 or shutil.which("setpriv") is not None


def _cli(*args: str | bytes, unprivileged: bool = False, timeout: float = 600) -> subprocess.CompletedProcess[bytes]:
    cmd: list[str | bytes] = [sys.executable, "-m", "civicnlp", *args]
    if unprivileged and os.geteuid() == 0 and shutil.which("setpriv"):
        cmd = [*_DROP_READ_CAPS, *cmd]
    return subprocess.run(cmd, capture_output=True, timeout=timeout, check=False)


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, list[dict[str, Any]], str, int]:
    """(the inputs, the records, stderr, exit code) of one ``civicnlp extract`` over the folder."""
    folder = tmp_path_factory.mktemp("hostile") / "in"
    inputs = [h for h in make_hostile(folder) if not h.name.startswith("bad_name_")]
    for bad in folder.glob("bad_name_*"):  # see test_non_utf8_file_name_with_output_file
        bad.unlink()
    out = folder.parent / "out.jsonl"
    proc = _cli("extract", str(folder), "-o", str(out), "--time-budget", "2", "--workers", "2", unprivileged=True)
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()] if out.exists() else []
    return inputs, records, proc.stderr.decode("utf-8", "replace"), proc.returncode


def _by_file(records: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for rec in records:
        out[rec["source"]["path"]].append(rec)
    return out


def test_hostile_folder_has_at_least_20_kinds(hostile_run: Any) -> None:
    inputs, *_ = hostile_run
    assert len({h.kind for h in inputs}) >= 20


def test_hostile_run_finishes_with_exit_code_1(hostile_run: Any) -> None:
    _, records, stderr, rc = hostile_run
    assert rc == 1, stderr
    assert "inputs failed; their error records are in the output" in stderr
    assert records


def test_every_hostile_input_is_accounted_for(hostile_run: Any) -> None:
    inputs, records, stderr, _ = hostile_run
    by_file = _by_file(records)
    for h in inputs:
        got = by_file.get(h.name, [])
        if h.expect == "skip":
            assert not got, h
            if h.name != "dir_named.txt":  # an empty folder: nothing to skip
                assert f"{h.name}" in stderr, h
            continue
        assert got, f"{h.name} ({h.kind}): no record"
        if h.expect == "rows":
            assert any("error" in r for r in got) and any("error" not in r for r in got), h
            continue
        assert len(got) == 1, f"{h.name}: {len(got)} records"
        rec = got[0]
        if h.expect == "error" or (h.expect == "error_unless_privileged" and _UNPRIVILEGED):
            assert "error" in rec, f"{h.name} ({h.kind}) gave a document"
            if h.code:
                assert rec["error"]["code"] == h.code, (h, rec["error"])
        elif h.expect == "record":
            assert "error" not in rec, (h, rec.get("error"))
    known = {h.name for h in inputs}
    assert set(by_file) <= known


def test_hostile_documents_are_valid_records(hostile_run: Any) -> None:
    _, records, _, _ = hostile_run
    for rec in records:
        assert rec["schema"] == "civicnlp.document/1"
        if "error" in rec:
            assert rec["error"]["code"][0] == "E" and rec["error"]["message"]
            continue
        text = rec["text"]
        for field in ("sections", "dates", "metrics", "people", "responsible_units", "lead_officials", "phases"):
            for item in rec[field]:
                assert 0 <= item["start"] <= item["end"] <= len(text)


@pytest.mark.parametrize(
    ("name", "stage_hint"),
    # each far over a 2 s budget on any machine: tens of megabytes
    [("giant_line.txt", ""), ("million_lines.txt", "")],
    ids=["giant-line", "million-lines"],
)
def test_inputs_far_over_budget_get_a_partial_record_with_e202(hostile_run: Any, name: str, stage_hint: str) -> None:
    _, records, _, _ = hostile_run
    (rec,) = _by_file(records)[name]
    budget = [w for w in rec["warnings"] if w.startswith("E202")]
    assert budget, rec["warnings"]
    assert stage_hint in " ".join(budget)


# -- file-system faults during a run (in-process, fast) --------------------------------------------


def test_file_vanishing_after_listing_is_an_error_record_and_the_run_goes_on(tmp_path: Path) -> None:
    for name in ("a.txt", "b.txt", "c.txt"):
        (tmp_path / name).write_text(f"{name} 的内容：社区开展环境整治。", encoding="utf-8")
    results = []
    for item in iter_inputs([tmp_path], Skipped()):
        if item.rel == "a.txt":
            (tmp_path / "b.txt").unlink()  # gone between listing and reading
        results.extend(read_file(item.path, item.rel))
    assert [r.id for r in results] == ["a.txt", "b.txt", "c.txt"]
    assert results[1].error is not None and results[1].error.code == "E105"
    assert "No such file" in results[1].error.message
    assert results[0].error is None and results[2].error is None


def test_file_replaced_by_a_folder_during_the_run(tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_text("内容", encoding="utf-8")
    (item,) = iter_inputs([tmp_path], Skipped())
    (tmp_path / "x.txt").unlink()
    (tmp_path / "x.txt").mkdir()
    (raw,) = read_file(item.path, item.rel)
    assert raw.error is not None and raw.error.code == "E105" and "directory" in raw.error.message


def test_file_growing_while_read_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "grows.txt"
    path.write_text("社区" * 2000, encoding="utf-8")
    real_fstat = os.fstat

    def small_fstat(fd: int) -> os.stat_result:  # the size seen before the file grew
        st = real_fstat(fd)
        return os.stat_result((st.st_mode, *st[1:6], 10, *st[7:]))

    monkeypatch.setattr(os, "fstat", small_fstat)
    (raw,) = read_file(path, "grows.txt", ReadOptions(max_bytes=1000))
    assert raw.error is not None and raw.error.code == "E104"


def test_file_shrinking_to_nothing_while_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "shrinks.txt"
    path.write_text("内容", encoding="utf-8")
    real_open = os.open

    def truncating_open(p: Any, flags: int, *a: Any) -> int:
        fd = real_open(p, flags, *a)
        if os.fspath(p) == os.fspath(path):
            os.truncate(path, 0)  # emptied by another program right after we opened it
        return fd

    monkeypatch.setattr(os, "open", truncating_open)
    (raw,) = read_file(path, "shrinks.txt")
    assert raw.error is not None and raw.error.code == "E101"


@pytest.mark.skipif(not _UNPRIVILEGED, reason="root without setpriv reads files whatever their mode")
def test_permission_denied_in_a_real_run(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("一、社区开展环境整治。", encoding="utf-8")
    (tmp_path / "b.txt").write_text("二、社区开展环境整治。", encoding="utf-8")
    os.chmod(tmp_path / "a.txt", 0)
    proc = _cli("extract", str(tmp_path), "--workers", "1", unprivileged=True, timeout=120)
    recs = [json.loads(x) for x in proc.stdout.decode("utf-8").splitlines()]
    assert proc.returncode == 1
    assert [r["id"] for r in recs] == ["a.txt", "b.txt"]
    assert recs[0]["error"]["code"] == "E105" and "Permission denied" in recs[0]["error"]["message"]
    assert "error" not in recs[1]


def _non_utf8_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    with open(os.fsencode(folder) + b"/name_\xff\xfe.txt", "wb") as fh:
        fh.write("一、社区开展环境整治。".encode())
    (folder / "plain.txt").write_text("二、社区开展环境整治。", encoding="utf-8")
    return folder


def test_non_utf8_file_name_to_stdout(tmp_path: Path) -> None:
    proc = _cli("extract", str(_non_utf8_folder(tmp_path)), "--workers", "1", timeout=120)
    recs = [json.loads(x) for x in proc.stdout.decode("utf-8").splitlines()]
    assert proc.returncode == 0, proc.stderr
    assert [r["id"] for r in recs] == ["name_\ufffd\ufffd.txt", "plain.txt"]


def test_non_utf8_file_name_with_output_file(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    proc = _cli("extract", str(_non_utf8_folder(tmp_path)), "-o", str(out), "--workers", "1", timeout=120)
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")[-500:]
    recs = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in recs] == ["name_\ufffd\ufffd.txt", "plain.txt"]


# -- reading: zip archives that lie, stray NULs, deep rows ------------------------------------------


def _lying_docx(declared: int, real_chars: int) -> bytes:
    """A .docx whose document.xml declares ``declared`` bytes but inflates to about ``real_chars``."""
    parts = make_hostile_mod._MINIMAL_DOCX_PARTS
    xml = make_hostile_mod._document_xml(make_hostile_mod._paragraph("谎" + " " * real_chars))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
        zf.writestr("word/document.xml", xml)
    data = bytearray(buf.getvalue())
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("word/document.xml")
    struct.pack_into("<I", data, info.header_offset + 22, declared)  # local header: uncompressed size
    pos = 0
    while (pos := data.find(b"PK\x01\x02", pos)) >= 0:  # central directory entries
        n = struct.unpack_from("<H", data, pos + 28)[0]
        if data[pos + 46 : pos + 46 + n] == b"word/document.xml":
            struct.pack_into("<I", data, pos + 24, declared)
        pos += 4
    return bytes(data)


def test_docx_lying_about_its_sizes_is_refused_without_inflating_it() -> None:
    import tracemalloc

    data = _lying_docx(declared=2000, real_chars=40 << 20)  # 40 MB of spaces in ~40 KB
    assert len(data) < 200_000
    tracemalloc.start()
    try:
        with pytest.raises(ReadError) as err:
            read_docx(data, "lies.docx")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert err.value.code == "E106" and "damaged" in err.value.message
    assert peak < 8 << 20, f"{peak >> 20} MiB allocated"


@pytest.mark.parametrize(
    ("data", "text"),
    [
        pytest.param(b"id,text\n1,\xe7\xa4\xbe\x00\xe5\x8c\xba\n", "社 区", id="csv-with-a-nul"),
        pytest.param(
            "一、社区".encode() + b"\x00" + "开展整治。".encode(), "一、社区 开展整治。", id="text-with-a-nul"
        ),
    ],
)
def test_a_stray_nul_byte_does_not_lose_the_file(tmp_path: Path, data: bytes, text: str) -> None:
    name = "t.csv" if data.startswith(b"id,") else "t.txt"
    (tmp_path / name).write_bytes(data)
    raws = list(read_file(tmp_path / name, name))
    assert [r.text for r in raws] == [text] and raws[0].error is None


def test_deeply_nested_jsonl_row_is_one_bad_row(tmp_path: Path) -> None:
    rows = ['{"text": "一"}', "[" * 100_000, '{"text": "二"}']
    (tmp_path / "r.jsonl").write_text("\n".join(rows), encoding="utf-8")
    raws = list(read_file(tmp_path / "r.jsonl", "r.jsonl"))
    assert [(r.text, r.error.code if r.error else None) for r in raws] == [("一", None), ("", "E109"), ("二", None)]


def test_reading_over_its_time_budget_is_e113(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import civicnlp.read.html

    def never_ends(markup: str, path: str) -> str:  # a parser stuck on a page: the budget must stop it
        while True:
            pass

    monkeypatch.setattr(civicnlp.read.html, "html_to_text", never_ends)
    (tmp_path / "stuck.html").write_text("<div>深</div>", encoding="utf-8")
    (raw,) = read_file(tmp_path / "stuck.html", "stuck.html", ReadOptions(time_budget=0.2))
    assert raw.error is not None and raw.error.code == "E113"


@pytest.mark.parametrize(
    ("entries", "detail"),
    [
        pytest.param({"word/document.xml": b"\0" * (8 << 20)}, "unpacked from", id="ratio"),
        pytest.param({f"e{i}.xml": b"" for i in range(2100)}, "entries", id="entry-count"),
    ],
)
def test_zip_bomb_is_refused_before_anything_is_unpacked(
    entries: dict[str, bytes], detail: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)

    def no_unpacking(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("an entry was opened before the archive was judged")

    monkeypatch.setattr(zipfile.ZipFile, "open", no_unpacking)
    with pytest.raises(ReadError) as err:
        read_docx(buf.getvalue(), "bomb.docx")
    assert err.value.code == "E110" and detail in err.value.message
