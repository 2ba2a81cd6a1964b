"""Ten thousand offline characters through the job queue: time, memory, and every file checked.

    python bench/batch_scale.py                 # exit 1 if a target is missed
    python bench/batch_scale.py --count 2000    # quicker

Two fresh CHARFORGE_HOMEs:
  1. enqueue alone:  charforge -q batch submit --count N --provider offline --seed 1          (target < 2 s)
  2. the whole run:  charforge -q batch submit --count N --provider offline --seed 1 --wait --export DIR
                                                                                              (target <= 15 s)
During run 2 the resident memory (VmRSS in /proc/PID/status) of the main process and of every process below it
(the helper workers `--wait` starts for a big local batch) is sampled every 0.5 s, with the number of succeeded
jobs. Memory is flat when the main process's RSS at 90 % of the run is within 20 % of its RSS at 10 %.

Then every exported file must validate as `charforge.models.Character`, pass `charforge.rules.legality.audit`
(as bench/offline_npcs.py checks), and carry a name no other file has; index.json must list N characters.
Times include process start-up (about half a second).
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

SAMPLE_S = 0.5


def environment(home: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHARFORGE_") and not k.endswith("_API_KEY")}
    return {**env, "CHARFORGE_HOME": home}


def rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        pass
    return 0


def descendants(pid: int) -> list[int]:
    """Every live process below `pid` (read from /proc/*/stat: field 4 is the parent)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = [], [pid]
    while frontier:
        frontier = [child for child, parent in parents.items() if parent in frontier]
        found += frontier
    return found


def succeeded(db: Path) -> int | None:
    if not db.exists():
        return None
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.2)
        try:
            return conn.execute("SELECT count(*) FROM jobs WHERE state = 'succeeded'").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return None


def enqueue_only(count: int) -> tuple[float, list[str]]:
    home = tempfile.mkdtemp(prefix="charforge-scale-enqueue-")
    command = [sys.executable, "-m", "charforge", "-q", "batch", "submit", "--count", str(count), "--provider",
               "offline", "--seed", "1"]
    started = time.monotonic()
    done = subprocess.run(command, env=environment(home), capture_output=True, text=True, timeout=120)
    elapsed = time.monotonic() - started
    if done.returncode:
        raise SystemExit(f"enqueue failed ({done.returncode}): {done.stderr}")
    return elapsed, command


def whole_run(count: int) -> dict:
    home = tempfile.mkdtemp(prefix="charforge-scale-")
    out = Path(home) / "export"
    db = Path(home) / "data" / "charforge.db"
    command = [sys.executable, "-m", "charforge", "-q", "batch", "submit", "--count", str(count), "--provider",
               "offline", "--seed", "1", "--wait", "--export", str(out)]
    samples = []
    started = time.monotonic()
    process = subprocess.Popen(command, env=environment(home), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    while process.poll() is None:
        children = descendants(process.pid)
        samples.append({"t": time.monotonic() - started, "main_kb": rss_kb(process.pid),
                        "helpers_kb": [rss_kb(c) for c in children], "succeeded": succeeded(db)})
        time.sleep(SAMPLE_S)
    elapsed = time.monotonic() - started
    _, stderr = process.communicate()
    if process.returncode:
        raise SystemExit(f"the run failed ({process.returncode}): {stderr[-2000:]}")
    return {"elapsed": elapsed, "samples": [s for s in samples if s["main_kb"]], "out": out, "command": command,
            "stderr": stderr}


def at(samples: list[dict], fraction: float, elapsed: float) -> dict:
    return min(samples, key=lambda s: abs(s["t"] - fraction * elapsed))


def check_files(out: Path, count: int) -> dict:
    from charforge.models import Character
    from charforge.rules.legality import audit

    index = json.loads((out / "index.json").read_text())["characters"]
    files = sorted(p for p in out.iterdir() if p.suffix == ".json" and p.name != "index.json")
    invalid, problems, names = [], [], Counter()
    for path in files:
        try:
            character = Character.model_validate_json(path.read_bytes())
        except ValueError as exc:
            invalid.append(f"{path.name}: {str(exc).splitlines()[0]}")
            continue
        names[character.name] += 1
        problems += [f"{path.name}: {p}" for p in audit(character)]
    return {"files": len(files), "indexed": len(index), "invalid": invalid, "illegal": problems,
            "repeated_names": [n for n, k in names.items() if k > 1]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    args = parser.parse_args()
    mb = 1024

    load_before = " ".join(f"{x:.2f}" for x in os.getloadavg())
    enqueue_s, enqueue_command = enqueue_only(args.count)
    run = whole_run(args.count)
    samples, elapsed = run["samples"], run["elapsed"]
    checked = check_files(run["out"], args.count)

    print(f"load average before and after: {load_before}, {' '.join(f'{x:.2f}' for x in os.getloadavg())} "
          f"({os.cpu_count()} CPUs; other work on the machine slows both runs)")
    print("commands:")
    for command in (enqueue_command, run["command"]):
        print("  " + " ".join(command).replace(sys.executable, "python"))
    print(f"\nmemory (VmRSS, sampled every {SAMPLE_S} s; {len(samples)} samples):")
    print(f"  {'point':>6} {'t':>6} {'succeeded':>9} {'main':>8} {'helpers':>18}")
    marks = {}
    for fraction in (0.1, 0.5, 0.9):
        s = marks[fraction] = at(samples, fraction, elapsed)
        helpers = ", ".join(f"{kb / mb:.0f}" for kb in s["helpers_kb"]) or "-"
        print(f"  {fraction:>6.0%} {s['t']:>5.1f}s {s['succeeded'] if s['succeeded'] is not None else '-':>9} "
              f"{s['main_kb'] / mb:>6.0f}MB {helpers:>16}MB")
    peak_main = max(s["main_kb"] for s in samples) / mb
    peak_helper = max((kb for s in samples for kb in s["helpers_kb"]), default=0) / mb
    peak_total = max(s["main_kb"] + sum(s["helpers_kb"]) for s in samples) / mb
    growth = (marks[0.9]["main_kb"] - marks[0.1]["main_kb"]) / max(marks[0.1]["main_kb"], 1)
    helper_counts = Counter(len(s["helpers_kb"]) for s in samples)

    targets = [
        ("total elapsed (--wait --export)", f"{elapsed:.2f} s", "<= 15 s", elapsed <= 15),
        ("enqueue alone (no --wait)", f"{enqueue_s:.2f} s", "< 2 s", enqueue_s < 2),
        ("main RSS growth 10% -> 90%", f"{growth:+.1%}", "<= +20 %", growth <= 0.2),
        ("exported files", str(checked["files"]), f"== {args.count}", checked["files"] == args.count),
        ("index.json entries", str(checked["indexed"]), f"== {args.count}", checked["indexed"] == args.count),
        ("files not a Character", str(len(checked["invalid"])), "0", not checked["invalid"]),
        ("legality problems", str(len(checked["illegal"])), "0", not checked["illegal"]),
        ("repeated names", str(len(checked["repeated_names"])), "0", not checked["repeated_names"]),
    ]
    print(f"\npeak RSS: main {peak_main:.0f} MB, one helper {peak_helper:.0f} MB, all together {peak_total:.0f} MB; "
          f"helpers seen per sample: {dict(helper_counts)}; rate {args.count / elapsed:.0f} characters/s")
    print(f"\n{'measure':34} {'value':>10} {'target':>10}  ok")
    for name, value, target, ok in targets:
        print(f"{name:34} {value:>10} {target:>10}  {'yes' if ok else 'NO'}")
    for problem in (checked["invalid"] + checked["illegal"] + checked["repeated_names"])[:10]:
        print(problem, file=sys.stderr)
    return 0 if all(ok for *_, ok in targets) else 1


if __name__ == "__main__":
    sys.exit(main())
