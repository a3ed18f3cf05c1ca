"""Throughput of ``civicnlp extract`` against a jieba-only baseline, with peak memory.

    python bench/throughput.py                      # ~100 MB folder, --workers 1 and 2, baseline
    python bench/throughput.py --size-mb 5          # a cheap rerun at 5 MB
    python bench/throughput.py --size-mb 2 --profile  # also: where the time goes (cProfile, 1 process)

It builds a folder of .txt files from ``../shared/corpus/{train,dev}.jsonl`` (repeating the corpus
until the folder holds ``--size-mb`` MB) under ``bench/_data/`` (git-ignored; reused when it is
already there), then runs, each in its own process and on the same files:

- the baseline: read every file, decode it, segment it with ``jieba.lcut`` — nothing else;
- ``civicnlp extract FOLDER -o OUT --workers N`` for each N of ``--workers``.

For each it prints documents/s, MB/s and the peak memory of the whole run (RSS summed over the
process and all its children, sampled every 50 ms; PSS too, which counts shared pages once), then
the ratios the scale issue asks for: ``--workers 1`` >= 0.8 x baseline MB/s, ``--workers 2`` >=
1.6 x ``--workers 1``, peak RSS <= 400 MB. MB/s is over wall-clock time, start-up included.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
DATA = ROOT / "bench" / "_data"
FILES_PER_FOLDER = 1000

# the pipeline's stage functions, for the per-stage profile table
STAGES = (
    "normalize",
    "split_parts",
    "find_title",
    "extract_sections",
    "extract_dates",
    "find_doc_date",
    "extract_metrics",
    "extract_units",
    "extract_officials",
    "extract_people",
    "extract_action_items",
    "extract_phases",
    "classify",
    "encode",
    "read_file",
)


# --- the folder ------------------------------------------------------------------------------
def build_folder(size_mb: float, data: Path) -> Path:
    """A folder of about ``size_mb`` MB of .txt files from the shared corpus (reused if built)."""
    folder = data / f"throughput-{size_mb:g}mb"
    marker = folder / "BUILT"
    if marker.exists():
        return folder
    if not CORPUS.is_dir():
        sys.exit(f"throughput: no corpus at {CORPUS} (../shared is needed to build the folder)")
    texts: list[str] = []
    for name in ("train.jsonl", "dev.jsonl"):
        with open(CORPUS / name, encoding="utf-8") as fh:
            texts.extend(t for t in (json.loads(line).get("text") for line in fh if line.strip()) if t)
    if folder.exists():
        shutil.rmtree(folder)
    target = int(size_mb * 1e6)
    total = n = 0
    rnd = 0
    made: Path | None = None
    while total < target:
        for text in texts:
            data_bytes = text.encode("utf-8")
            sub = folder / f"r{rnd:02d}" / f"{n // FILES_PER_FOLDER:04d}"
            if sub != made:
                sub.mkdir(parents=True, exist_ok=True)
                made = sub
            (sub / f"{n:07d}.txt").write_bytes(data_bytes)
            total += len(data_bytes)
            n += 1
            if total >= target:
                break
        rnd += 1
    marker.write_text(f"{n} files, {total} bytes\n")
    return folder


def folder_stats(folder: Path) -> tuple[int, int]:
    """(files, bytes) of the .txt files under ``folder``."""
    files = size = 0
    for dirpath, _, names in os.walk(folder):
        for name in names:
            if name.endswith(".txt"):
                files += 1
                size += os.stat(os.path.join(dirpath, name)).st_size
    return files, size


# --- memory of a process tree ----------------------------------------------------------------
def _children_map() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                stat = fh.read()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        kids.setdefault(ppid, []).append(int(entry))
    return kids


def _tree(pid: int) -> list[int]:
    kids = _children_map()
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(kids.get(p, []))
    return out


def _kb(path: str, field: str) -> int:
    try:
        with open(path) as fh:
            for line in fh:
                if line.startswith(field):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


_TICK = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pid: int) -> float:
    """user + system CPU seconds of one process so far (0 when it is gone)."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / _TICK


class MemorySampler(threading.Thread):
    """Samples the RSS and PSS summed over a process and its descendants; keeps the peaks (MB)."""

    def __init__(self, pid: int, every: float = 0.05) -> None:
        super().__init__(daemon=True)
        self.pid, self.every = pid, every
        self.peak_rss = self.peak_pss = 0.0
        self.peak_procs = 0
        self.cpu: dict[int, float] = {}  # last seen user+sys seconds of each process of the run
        self._stop_flag = threading.Event()

    def run(self) -> None:
        while not self._stop_flag.is_set():
            pids = _tree(self.pid)
            rss = sum(_kb(f"/proc/{p}/status", "VmRSS:") for p in pids) / 1024
            pss = sum(_kb(f"/proc/{p}/smaps_rollup", "Pss:") for p in pids) / 1024
            self.peak_rss = max(self.peak_rss, rss)
            self.peak_pss = max(self.peak_pss, pss)
            self.peak_procs = max(self.peak_procs, len(pids))
            for p in pids:
                self.cpu[p] = max(self.cpu.get(p, 0.0), _cpu_seconds(p))
            self._stop_flag.wait(self.every)

    def stop(self) -> None:
        self._stop_flag.set()
        self.join()


def measure(cmd: list[str]) -> dict[str, float | str]:
    """Run ``cmd``; wall time, peak memory, and its stderr."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    sampler = MemorySampler(proc.pid)
    sampler.start()
    out, err = proc.communicate()
    wall = time.perf_counter() - t0
    sampler.stop()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)  # the run and every worker it reaped
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode not in (0, 1):
        sys.exit(f"throughput: {' '.join(cmd)} failed ({proc.returncode}):\n{err[-3000:]}")
    return {
        "wall": wall,
        "cpu": cpu,
        "rss": sampler.peak_rss,
        "pss": sampler.peak_pss,
        "procs": sampler.peak_procs,
        # the main process's CPU, and the busiest other process's (sampled: a lower bound)
        "cpu_main": sampler.cpu.get(proc.pid, 0.0),
        "cpu_busiest_worker": max((c for p, c in sampler.cpu.items() if p != proc.pid), default=0.0),
        "out": out,
        "err": err,
    }


# --- the baseline ----------------------------------------------------------------------------
def baseline(folder: Path) -> None:
    """Read every .txt file under ``folder`` in sorted order and segment it with jieba.lcut."""
    import jieba

    jieba.setLogLevel(60)
    jieba.initialize()
    t0 = time.perf_counter()
    docs = size = tokens = 0
    for dirpath, dirnames, names in os.walk(folder):
        dirnames.sort()
        for name in sorted(names):
            if not name.endswith(".txt"):
                continue
            with open(os.path.join(dirpath, name), "rb") as fh:
                data = fh.read()
            tokens += len(jieba.lcut(data.decode("utf-8")))
            docs += 1
            size += len(data)
    print(json.dumps({"documents": docs, "bytes": size, "tokens": tokens, "seconds": time.perf_counter() - t0}))


# --- profile ---------------------------------------------------------------------------------
def profile(folder: Path, limit_mb: float, top: int) -> None:
    """cProfile the one-process pipeline over the first ``limit_mb`` MB; print where time goes."""
    from civicnlp.engine.inputs import Skipped
    from civicnlp.engine.work import Encoder, Settings, batch_units, iter_units, load_pipeline, run_task

    settings = Settings()
    pipe = load_pipeline(settings)
    encoder = Encoder()
    units = []
    size = 0
    for unit in iter_units([folder], settings.options, Skipped(), encoder):
        units.append(unit)
        size += unit.size
        if size >= limit_mb * 1e6:
            break
    prof = cProfile.Profile()
    t0 = time.perf_counter()
    prof.enable()
    for task in batch_units(units):
        run_task(pipe, encoder, settings.options, task)
    prof.disable()
    wall = time.perf_counter() - t0
    stats = pstats.Stats(prof)
    print(
        f"\n== profile: {len(units)} files, {size / 1e6:.1f} MB in {wall:.1f} s ({size / 1e6 / wall:.2f} MB/s, profiled)"
    )
    rows = []
    for (file, _line, func), (_cc, _nc, _tt, ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        if func in STAGES and "civicnlp" in file:
            rows.append((ct, func, os.path.relpath(file, ROOT)))
    print("stage (cumulative, one process)               seconds   share")
    for ct, func, file in sorted(rows, reverse=True):
        print(f"  {func:20s} {file:26.26s} {ct:8.2f}  {ct / wall:6.1%}")
    print(f"\ntop {top} functions by own time:")
    stats.sort_stats("tottime").print_stats(top)


# --- main ------------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size-mb", type=float, default=100.0, help="size of the folder to build (default 100)")
    ap.add_argument("--workers", default="1,2", help="comma-separated --workers values (default 1,2)")
    ap.add_argument("--data", type=Path, default=DATA, help="where to build the folder (default bench/_data)")
    ap.add_argument("--no-text", action="store_true", help="run extract with --no-text")
    ap.add_argument("--profile", action="store_true", help="also cProfile the pipeline in one process")
    ap.add_argument("--profile-mb", type=float, default=2.0, help="MB of input to profile (default 2)")
    ap.add_argument("--top", type=int, default=25, help="functions listed by the profile (default 25)")
    ap.add_argument("--baseline", type=Path, help=argparse.SUPPRESS)  # the baseline's own process
    args = ap.parse_args(argv)
    if args.baseline:
        baseline(args.baseline)
        return 0

    folder = build_folder(args.size_mb, args.data)
    files, size = folder_stats(folder)
    mb = size / 1e6
    print(f"folder: {folder} ({files} files, {mb:.1f} MB); {os.cpu_count()} cores; python {sys.version.split()[0]}")
    results: dict[str, dict[str, float | str]] = {}
    base = measure([sys.executable, __file__, "--baseline", str(folder)])
    base_info = json.loads(str(base["out"]))
    base["docs"] = base_info["documents"]
    base["core"] = base_info["seconds"]
    results["jieba.lcut baseline"] = base
    with tempfile.TemporaryDirectory(prefix="civicnlp-bench-") as tmp:
        for n in [int(w) for w in args.workers.split(",") if w.strip()]:
            out = Path(tmp) / f"out-{n}.jsonl"
            cmd = [sys.executable, "-m", "civicnlp", "extract", str(folder), "-o", str(out), "--workers", str(n)]
            if args.no_text:
                cmd.append("--no-text")
            res = measure(cmd)
            m = re.search(r"(\d+) documents.*?, ([\d.]+) s,", str(res["err"]))
            res["docs"] = int(m.group(1)) if m else 0
            res["core"] = float(m.group(2)) if m else float("nan")
            res["out_mb"] = out.stat().st_size / 1e6 if out.exists() else 0.0
            results[f"civicnlp --workers {n}"] = res
            out.unlink(missing_ok=True)

    print(
        f"\n{'run':24s} {'wall s':>7s} {'docs/s':>8s} {'MB/s':>6s} {'core MB/s':>9s} {'CPU s':>7s} "
        f"{'MB/CPU-s':>8s} {'peak RSS':>9s} {'peak PSS':>9s} {'procs':>5s}"
    )
    for name, r in results.items():
        wall, core, cpu = float(r["wall"]), float(r["core"]), float(r["cpu"])
        print(
            f"{name:24s} {wall:7.1f} {float(r['docs']) / wall:8.1f} {mb / wall:6.2f} {mb / core:9.2f} {cpu:7.1f} "
            f"{mb / cpu:8.2f} {float(r['rss']):7.0f}MB {float(r['pss']):7.0f}MB {int(r['procs']):5d}"
        )
    print("('core': the processing loop alone, without start-up; 'CPU s': user+sys of all the run's processes)")

    def mbps(name: str) -> float:
        return mb / float(results[name]["wall"]) if name in results else float("nan")

    w1, w2, jb = mbps("civicnlp --workers 1"), mbps("civicnlp --workers 2"), mbps("jieba.lcut baseline")
    peak = max(float(r["rss"]) for r in results.values())
    load = os.getloadavg()[0]
    print("\nratios (targets in brackets):")
    print(f"  workers 1 / jieba baseline MB/s: {w1 / jb:5.2f}  [>= 0.8]  {'ok' if w1 / jb >= 0.8 else 'MISSED'}")
    print(f"  workers 2 / workers 1 MB/s:      {w2 / w1:5.2f}  [>= 1.6]  {'ok' if w2 / w1 >= 1.6 else 'MISSED'}")
    print(f"  peak RSS of a run (sum):         {peak:5.0f} MB [<= 400]  {'ok' if peak <= 400 else 'MISSED'}")
    if "civicnlp --workers 1" in results and "jieba.lcut baseline" in results:
        c1 = float(results["civicnlp --workers 1"]["cpu"])
        cj = float(results["jieba.lcut baseline"]["cpu"])
        print(f"  CPU-time view (robust to other load): workers 1 / jieba MB per CPU-s: {cj / c1:5.2f}")
        if "civicnlp --workers 2" in results:
            c2 = float(results["civicnlp --workers 2"]["cpu"])
            print(
                f"  CPU-time view: workers 2 spends {c2 / c1:4.2f}x the CPU of workers 1 (1.00 = no parallel overhead)"
            )
            r2 = results["civicnlp --workers 2"]
            busiest = max(float(r2["cpu_main"]), float(r2["cpu_busiest_worker"]))
            if busiest:
                print(
                    f"  CPU-time view: workers 2 main process {float(r2['cpu_main']):.1f} CPU-s, busiest worker "
                    f"{float(r2['cpu_busiest_worker']):.1f} CPU-s -> on 2 idle cores workers 2 / workers 1 "
                    f"would be about {c1 / busiest:4.2f} [>= 1.6]"
                )
    print(f"  load average at the end: {load:.1f} on {os.cpu_count()} cores (wall-clock ratios need idle cores)")
    if args.profile:
        profile(folder, args.profile_mb, args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
