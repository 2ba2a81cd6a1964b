"""Snapshot every stored field path of the dnd5e system's data models, for tests of the Foundry VTT export.

Foundry drops, without a warning, any field a data model does not define, so the export is tested against
dnd5e's own schema rather than against what charforge expects. This script extracts a release of
foundryvtt/dnd5e from a git checkout or bare mirror (nothing is fetched), runs scripts/foundry_fields.mjs
on it with Node (which loads dnd5e's data models and walks their `defineSchema()`), adds Foundry core's
document fields (written by hand below from Foundry v13's schema, since core is not open source) and
writes tests/data/foundry/dnd5e-<version>-fields.json. The tests read only that file: CI needs neither
Node nor the mirror.

Paths are dotted; `*` stands for a free key (dnd5e's MappingField, Foundry's TypedObjectField) and `[]` for a
list element. "open" lists, per document kind, the paths under which anything is kept (ObjectField,
flags). An item's `system.activities.*` and `system.advancement.*` hold one schema per `type`: they are
listed as "activity.<type>" and "advancement.<type>", relative to the activity or advancement.

It also copies a few of dnd5e's own documents to tests/data/foundry/samples/ (SAMPLES below), so the tests
can show the checker accepts what dnd5e itself stores.

    python scripts/foundry_fields.py           # writes the snapshot and the samples
    python scripts/foundry_fields.py --check   # exits 1 if a committed file differs from a fresh one;
                                               # without node or the dnd5e repository it says so and exits 0
"""

from __future__ import annotations

import argparse
import difflib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WALKER = ROOT / "scripts" / "foundry_fields.mjs"
SAMPLES_DIR = ROOT / "tests" / "data" / "foundry" / "samples"
DEFAULT_REF = "release-5.3.3"
# dnd5e's own documents, copied for tests that must run without the mirror: file -> (source, items kept).
# The premade is stored by dnd5e 5.3.2 and fits the snapshot; it keeps one or two items of each type (with
# every activity type but summon and transform). The SRD items are as charforge's Foundry index copies
# them: two fit, and the longsword and fireball still carry a field dnd5e 4.x stored and 5.3.3 does not.
SAMPLES: dict[str, tuple[str, tuple[str, ...] | None]] = {
    "premade-quillathe-level-5.json": ("packs/_source/actors24/premades/level-5/quillathe.yml", (
        "Ranger", "Hunter", "Elf, Wood", "Monster Hunter", "Alert", "Hunter's Prey", "Favored Enemy",
        "Magic Weapon", "Pass without Trace", "Ensnaring Strike", "Herbalism Kit", "Studded Leather Armor",
        "Bracers of Archery", "Longbow", "Arrows", "Potion of Healing", "Efficient Quiver", "Bedroll")),
    "srd-thieves-tools.json": ("packs/_source/items/tool/thieves-tools.yml", None),
    "srd-extra-attack.json": ("packs/_source/classfeatures/shared-features/extra-attack.yml", None),
    "srd-longsword.json": ("packs/_source/items/weapon/longsword.yml", None),
    "srd-fireball.json": ("packs/_source/spells/3rd-level/fireball.yml", None),
}

# Foundry core v13's document fields, by hand: core is in no public repository. These follow the v13 schema as
# documented (foundryvtt.com/api/v13, League-of-Foundry-Developers/foundry-vtt-types at 13.346) and as
# stored by Foundry 13.351 in dnd5e 5.3.3's own compendium sources (e.g. packs/_source/actors24/**). Braces
# expand: "a.{b,c}" is a.b and a.c. Every prefix of a path is a path too.
CORE_FOUNDRY = "13"
STATS = "_stats.{compendiumSource,duplicateSource,exportSource,coreVersion,systemId,systemVersion," \
        "createdTime,modifiedTime,lastModifiedBy}"
ACTIVE_EFFECT = (
    "{_id,name,img,type,system,disabled,description,origin,tint,transfer,sort,flags}",
    "changes[].{key,value,mode,priority}",
    "duration.{startTime,seconds,combat,rounds,turns,startRound,startTurn}",
    "statuses[]",
    STATS,
)
PROTOTYPE_TOKEN = (  # PrototypeToken: BaseToken's fields less those of a placed token (_id, x, y, actorId...)
    "{name,displayName,actorLink,appendNumber,prependAdjective,randomImg,width,height,lockRotation,rotation,"
    "alpha,disposition,displayBars,movementAction,flags}",
    "texture.{src,anchorX,anchorY,offsetX,offsetY,fit,scaleX,scaleY,rotation,tint,alphaThreshold}",
    "bar1.attribute",
    "bar2.attribute",
    "light.{negative,priority,alpha,angle,bright,color,coloration,dim,attenuation,luminosity,saturation,"
    "contrast,shadows}",
    "light.animation.{type,speed,intensity,reverse}",
    "light.darkness.{min,max}",
    "sight.{enabled,range,angle,visionMode,color,attenuation,brightness,saturation,contrast}",
    "detectionModes[].{id,enabled,range}",
    "occludable.radius",
    "ring.{enabled,effects}",
    "ring.colors.{ring,background}",
    "ring.subject.{scale,texture}",
    "turnMarker.{mode,animation,src,disposition}",
)
DOCUMENT = ("{_id,name,type,img,system,folder,sort,flags}", "ownership.*", STATS)
CORE_ACTOR = (*DOCUMENT, "items[]", *(f"effects[].{p}" for p in ACTIVE_EFFECT),
              *(f"prototypeToken.{p}" for p in PROTOTYPE_TOKEN))
CORE_ITEM = (*DOCUMENT, *(f"effects[].{p}" for p in ACTIVE_EFFECT))
# Free-form in core: flags (any module's), and an ActiveEffect's system data (dnd5e gives only its
# "enchantment" type a model).
CORE_OPEN = {"actor": ("flags", "effects[].flags", "effects[].system", "prototypeToken.flags"),
             "item": ("flags", "effects[].flags", "effects[].system")}


class ExtractError(Exception):
    """The extraction could not run or gave something unexpected; the message says why."""


def default_repo() -> Path:
    """$CHARFORGE_DND5E_REPO, else the bare mirror of foundryvtt/dnd5e on the development machine."""
    return Path(os.environ.get("CHARFORGE_DND5E_REPO", "/work/.mirror/foundryvtt+dnd5e/repo"))


def expand(pattern: str) -> list[str]:
    """Expand the first {a,b} group of `pattern`, recursively: "x.{a,b}.y" -> ["x.a.y", "x.b.y"]."""
    match = re.search(r"\{([^{}]*)\}", pattern)
    if not match:
        return [pattern]
    head, tail = pattern[: match.start()], pattern[match.end() :]
    return [p for option in match.group(1).split(",") for p in expand(head + option + tail)]


def with_prefixes(paths: list[str]) -> list[str]:
    """The paths and every prefix of them ("a.b[].c" -> "a", "a.b", "a.b[]", "a.b[].c"), sorted."""
    out: set[str] = set()
    for path in paths:
        for match in re.finditer(r"\.|\[\]", path):
            out.add(path[: match.start()])
            out.add(path[: match.end()] if match.group() == "[]" else path[: match.start()])
        out.add(path)
    return sorted(out)


def core_paths(patterns: tuple[str, ...]) -> list[str]:
    return with_prefixes([p for pattern in patterns for p in expand(pattern)])


def git(repo: Path, *args: str) -> bytes:
    done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, check=False)
    if done.returncode:
        raise ExtractError(f"git {' '.join(args)}: {done.stderr.decode().strip()}")
    return done.stdout


def extract_release(repo: Path, ref: str, into: Path) -> str:
    """Write the release's module/ folder under `into`; return its version from system.json."""
    archive = git(repo, "archive", "--format=tar", ref, "module", "system.json")
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return json.loads((into / "system.json").read_text())["version"]


def walk_models(release: Path) -> dict:
    """Run the Node walker on an extracted release: {"documents": {...}, "source": [...]}."""
    node = shutil.which("node")
    if node is None:
        raise ExtractError("node is not installed")
    done = subprocess.run([node, str(WALKER), str(release)], capture_output=True, text=True, check=False)
    if done.returncode:
        raise ExtractError(f"foundry_fields.mjs failed:\n{done.stderr.strip()}")
    return json.loads(done.stdout)


def build(repo: Path, ref: str) -> dict:
    """The snapshot of `ref`, as written to the JSON file."""
    with tempfile.TemporaryDirectory() as tmp:
        version = extract_release(repo, ref, Path(tmp))
        walked = walk_models(Path(tmp))
    documents = walked["documents"]
    dispatch: dict[str, str] = {}
    for doc in documents.values():
        for path, kind in doc["dispatch"].items():
            if dispatch.setdefault(path, kind) != kind:
                raise ExtractError(f"{path} holds both {dispatch[path]} and {kind} data")
    snapshot: dict = {
        "dnd5e": version,
        "ref": ref,
        "commit": git(repo, "rev-parse", f"{ref}^{{commit}}").decode().strip(),
        "foundry": CORE_FOUNDRY,
        "note": "Stored field paths of dnd5e's data models (scripts/foundry_fields.py). 'core.actor' and "
                "'core.item' are Foundry core's document fields, written by hand from Foundry v13's schema; "
                "the other lists are read from dnd5e's defineSchema(). '*' is a free key, '[]' a list element; "
                "'open' paths keep anything below them; 'dispatch' paths hold one schema per 'type', listed as "
                "'<kind>.<type>' relative to that path.",
        "source": walked["source"],
        "dispatch": dict(sorted(dispatch.items())),
        "core.actor": core_paths(CORE_ACTOR),
        "core.item": core_paths(CORE_ITEM),
    }
    for name, doc in sorted(documents.items(), key=by_kind):
        snapshot[name] = doc["paths"]
    snapshot["open"] = {f"core.{kind}": sorted(paths) for kind, paths in CORE_OPEN.items()}
    snapshot["open"].update({name: doc["open"] for name, doc in sorted(documents.items()) if doc["open"]})
    return snapshot


def by_kind(entry: tuple[str, dict]) -> tuple[int, str]:
    """Order documents as actor, item, activity, advancement, then by type."""
    kind, _, kind_type = entry[0].partition(".")
    return ("actor", "item", "activity", "advancement").index(kind), kind_type


def without_pack_keys(value: object) -> object:
    """Drop `_key`, which the pack tool adds to each document in packs/_source/ and Foundry never stores."""
    if isinstance(value, dict):
        return {k: without_pack_keys(v) for k, v in value.items() if k != "_key"}
    if isinstance(value, list):
        return [without_pack_keys(v) for v in value]
    return value


def build_samples(repo: Path, ref: str) -> dict[str, str]:
    """The sample documents of SAMPLES, as JSON text by file name."""
    import yaml  # a dependency of charforge; imported here so the snapshot alone needs no YAML

    out = {}
    for name, (path, keep) in SAMPLES.items():
        doc = without_pack_keys(yaml.safe_load(git(repo, "show", f"{ref}:{path}")))
        if keep is not None:
            missing = set(keep) - {item["name"] for item in doc["items"]}
            if missing:
                raise ExtractError(f"{path} has no item named {', '.join(sorted(missing))}")
            doc["items"] = [item for item in doc["items"] if item["name"] in keep]
        out[name] = render(doc)
    return out


def render(snapshot: dict) -> str:
    return json.dumps(snapshot, indent=1, ensure_ascii=False) + "\n"


def out_path(version: str) -> Path:
    return ROOT / "tests" / "data" / "foundry" / f"dnd5e-{version}-fields.json"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repo", type=Path, default=default_repo(),
                        help="git checkout or bare mirror of foundryvtt/dnd5e (default: %(default)s)")
    parser.add_argument("--ref", default=DEFAULT_REF, help="release tag to read (default: %(default)s)")
    parser.add_argument("--check", action="store_true", help="compare with the committed snapshot, write nothing")
    args = parser.parse_args(argv)
    if args.check and (shutil.which("node") is None or not args.repo.exists()):
        print(f"skipped: --check needs node and the dnd5e repository ({args.repo})", file=sys.stderr)
        return 0
    try:
        snapshot = build(args.repo, args.ref)
        files = {out_path(snapshot["dnd5e"]): render(snapshot)}
        files.update({SAMPLES_DIR / name: text for name, text in build_samples(args.repo, args.ref).items()})
    except ExtractError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.check:
        return check(files)
    for target, text in files.items():
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    counts = ", ".join(f"{k} {len(v)}" for k, v in snapshot.items() if isinstance(v, list) and k != "source")
    print(f"wrote {out_path(snapshot['dnd5e']).relative_to(ROOT)}: {counts}; {len(SAMPLES)} samples in "
          f"{SAMPLES_DIR.relative_to(ROOT)}", file=sys.stderr)
    return 0


def check(files: dict[Path, str]) -> int:
    """0 if every file matches its committed copy, else 1 with a diff on stderr."""
    stale = 0
    for target, text in files.items():
        old = target.read_text() if target.exists() else ""
        if old != text:
            stale += 1
            sys.stderr.writelines(difflib.unified_diff(old.splitlines(True), text.splitlines(True),
                                                       str(target.relative_to(ROOT)), "fresh extraction", n=1))
    print(f"{len(files) - stale} of {len(files)} files up to date", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
