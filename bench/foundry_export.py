"""Foundry export cost: offline characters across every class and level, each exported with `--format foundry`.

    python bench/foundry_export.py              # 480 characters
    python bench/foundry_export.py --count 48

Prints the time per export (the compendium index loaded once beforehand), the largest actor and how many names
found no compendium entry (`flags.charforge.unmapped`). Exits 1 if any did.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from charforge.export import render
from charforge.models import CharacterSpec
from charforge.providers.offline import OfflineProvider
from charforge.rules.pack import load
from charforge.service import CharacterService


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=480)
    args = parser.parse_args()
    classes = sorted(load().classes)
    service = CharacterService(OfflineProvider())
    characters = [service.npc(CharacterSpec(class_name=classes[i % len(classes)], level=1 + (i * 7) % 20,
                                            seed=1000 + i)) for i in range(args.count)]
    render(characters[0], "foundry")  # loads the compendium index
    started = time.perf_counter()
    actors = [render(character, "foundry") for character in characters]
    seconds = time.perf_counter() - started
    unmapped = sum(len(json.loads(actor)["flags"]["charforge"].get("unmapped", [])) for actor in actors)
    print(json.dumps({"exports": len(actors), "ms_each": round(1000 * seconds / len(actors), 1),
                      "largest_kb": max(map(len, actors)) // 1024, "unmapped": unmapped}))
    return 1 if unmapped else 0


if __name__ == "__main__":
    sys.exit(main())
