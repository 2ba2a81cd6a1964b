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

    python scripts/foundry_fields.py           # writes the snapshot
    python scripts/foundry_fields.py --check   # exits 1 if the committed snapshot differs from a fresh one;
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
DEFAULT_REF = "release-5.3.3"

# Foundry core v13's document fields, by hand. Core's source is not public; these follow the v13 schema as
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
    except ExtractError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    target = out_path(snapshot["dnd5e"])
    text = render(snapshot)
    if args.check:
        old = target.read_text() if target.exists() else ""
        if old == text:
            print(f"{target.relative_to(ROOT)} is up to date", file=sys.stderr)
            return 0
        sys.stderr.writelines(difflib.unified_diff(old.splitlines(True), text.splitlines(True),
                                                   str(target.relative_to(ROOT)), "fresh extraction", n=1))
        return 1
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text)
    counts = ", ".join(f"{k} {len(v)}" for k, v in snapshot.items() if isinstance(v, list) and k != "source")
    print(f"wrote {target.relative_to(ROOT)}: {counts}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
