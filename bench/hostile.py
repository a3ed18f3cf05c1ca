"""Time and memory of ``civicnlp extract`` on each hostile input (tests/hostile/make_hostile.py).

    python bench/hostile.py [--small] [--time-budget S] [--keep DIR]

Each input is run alone, as ``civicnlp extract FILE --workers 1 --no-text`` in a fresh process, so the
figures are per input: wall time (start-up included: about a second of imports), peak memory
(max RSS) and what came out (documents, error codes, E202 warnings). The last line is the
slowest input. The machine's load makes the times noisy; compare runs on the same machine.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _make_hostile() -> object:
    spec = importlib.util.spec_from_file_location("make_hostile", ROOT / "tests" / "hostile" / "make_hostile.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules["make_hostile"] = mod
    spec.loader.exec_module(mod)
    return mod


def main() -> None:
    """Make the hostile folder, run each input alone, print one line per input."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--small", action="store_true", help="shrink the two giant inputs")
    ap.add_argument("--time-budget", type=float, default=None, help="seconds per document (default: the CLI's)")
    ap.add_argument("--keep", type=Path, default=None, help="make the inputs in this folder and keep them")
    args = ap.parse_args()
    mod = _make_hostile()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp) / "hostile"
        hostile = mod.make_hostile(folder, small=args.small)  # type: ignore[attr-defined]
        print(f"{'input':28} {'seconds':>8} {'MB':>6} {'rc':>3}  result")
        worst = (0.0, "")
        for h in hostile:
            proc_path = os.fsencode(folder) + b"/" + os.fsencode(h.name)
            seconds, rss, rc, what = _run_with_rusage(proc_path, args.time_budget)
            worst = max(worst, (seconds, h.name))
            print(f"{ascii(h.name)[1:-1]:28} {seconds:8.2f} {rss:6d} {rc:3d}  {','.join(what) or '(skipped)'}")
        print(f"slowest: {ascii(worst[1])[1:-1]} {worst[0]:.2f} s")


def _run_with_rusage(path: bytes, budget: float | None) -> tuple[float, int, int, list[str]]:
    """``_run`` with the child's own resource usage (``os.wait4``), so memory is per input."""
    # --no-text: the records stay small, so this process stays small too (a child started with
    # vfork inherits its parent's peak memory in ru_maxrss)
    cmd: list[bytes | str] = [sys.executable, "-m", "civicnlp", "extract", path, "--workers", "1", "--no-text"]
    if budget is not None:
        cmd += ["--time-budget", str(budget)]
    with tempfile.TemporaryFile() as out:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        what: list[str] = []
        for line in out:
            rec = json.loads(line)
            if "error" in rec:
                what.append(rec["error"]["code"])
            else:
                hits = sum(1 for w in rec.get("warnings", []) if w.startswith("E202"))
                what.append("doc" + (f"+E202x{hits}" if hits else ""))
    return seconds, int(usage.ru_maxrss / 1024), proc.returncode, what


if __name__ == "__main__":
    main()
