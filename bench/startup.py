"""Start-up cost: `charforge --help` and one offline `npc`, as a user runs them (a new process each time).

    python bench/startup.py                          # this checkout
    python bench/startup.py --baseline /tmp/base/src  # and another checkout's src/, interleaved run by run

Interleaving the two trees spreads whatever else the machine is doing over both; the report gives the
median and the minimum wall time of each command per tree.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

COMMANDS = {
    "--help": ["--help"],
    "npc offline": ["npc", "--provider", "offline", "--no-log", "-f", "json", "--seed", "7"],
}


def run_once(args: list[str], src: Path | None, home: str) -> float:
    env = {**os.environ, "CHARFORGE_HOME": home}
    if src is not None:
        env["PYTHONPATH"] = str(src)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "charforge", *args], env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--baseline", type=Path, help="another checkout's src/ folder to compare with")
    args = parser.parse_args()
    trees: dict[str, Path | None] = {"this checkout": None}
    if args.baseline:
        trees["baseline"] = args.baseline.resolve()
    times: dict[tuple[str, str], list[float]] = {(t, c): [] for t in trees for c in COMMANDS}
    with tempfile.TemporaryDirectory() as home:
        for _ in range(args.rounds):
            for command, argv in COMMANDS.items():
                for tree, src in trees.items():
                    times[tree, command].append(run_once(argv, src, home))
    for (tree, command), values in times.items():
        print(f"{command:12} {tree:14} median {statistics.median(values) * 1000:6.0f} ms   "
              f"min {min(values) * 1000:6.0f} ms   ({len(values)} runs)")


if __name__ == "__main__":
    main()
