"""Generate many offline NPCs across every class and level, audit each one, and time it.

    python bench/offline_npcs.py                  # 1,000 NPCs in batches of 200
    python bench/offline_npcs.py --count 60       # what the test suite runs

Each batch runs through one CharacterService, as a batch job would, so names must be unique
within it. Exits 1 if any character breaks a rule or a batch repeats a name.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from charforge.models import CharacterSpec
from charforge.providers.offline import OfflineProvider
from charforge.rules import dice
from charforge.rules.legality import audit
from charforge.rules.pack import load
from charforge.service import CharacterService


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--batch", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0, help="batch seed; item i gets dice.derive(seed, i)")
    args = parser.parse_args()
    classes = sorted(load().classes)
    problems: list[str] = []
    started = time.perf_counter()
    for start in range(0, args.count, args.batch):
        service = CharacterService(OfflineProvider())
        names = []
        for i in range(start, min(start + args.batch, args.count)):
            spec = CharacterSpec(class_name=classes[i % len(classes)], level=i // len(classes) % 20 + 1,
                                 seed=dice.derive(args.seed, i))
            character = service.npc(spec)
            names.append(character.name)
            problems += [f"npc {i} ({spec.class_name} {spec.level}): {p}" for p in audit(character)]
            problems += [f"npc {i}: repaired {r.problem}" for r in character.provenance.repairs]
        if len(set(names)) != len(names):
            problems.append(f"batch at {start}: {len(names) - len(set(names))} repeated names")
    elapsed = time.perf_counter() - started
    print(json.dumps({"npcs": args.count, "batch": args.batch, "seconds": round(elapsed, 3),
                      "per_npc_ms": round(1000 * elapsed / max(args.count, 1), 3), "problems": len(problems)}))
    for problem in problems[:20]:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
