"""Build charforge's index of the dnd5e system's SRD compendium, which the Foundry VTT export embeds items from.

For every spell, item, class, subclass, race and background charforge can produce, and every class, subclass
and racial feature dnd5e has a document for, the index holds that compendium document's UUID, name, type,
image path and its whole `system` object and `effects`, as in dnd5e's YAML sources (packs/_source/, 2014
rules). A container (an equipment pack) also lists the documents it holds. The sources are read from a git
checkout or bare mirror of foundryvtt/dnd5e at a release tag, so nothing is fetched and CI, which has no
mirror, only reads the committed file.

An index is matched to a document by `system.identifier` or file slug, then by name (features: within the
class's folder of `classfeatures`, or among the racial traits of `races`); the reviewed table
scripts/foundry_names.yaml settles the rest. A spell, item, class, subclass, race or background with no document
(and not listed in NO_ENTRY below), an ambiguous match, or a table row naming no document stops the build (exit
2). Features without a document are reported, not fatal: dnd5e folds many of them into class advancement.

    python scripts/build_foundry_index.py             # writes src/charforge/data/foundry/dnd5e-srd.json
    python scripts/build_foundry_index.py --check     # exits 1 if the committed index is stale
    python scripts/build_foundry_index.py --report    # also lists the features that have no document
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

if TYPE_CHECKING:
    from charforge.rules.pack import RulesPack

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "charforge" / "data" / "foundry" / "dnd5e-srd.json"
NAMES = ROOT / "scripts" / "foundry_names.yaml"
DEFAULT_REF = "release-5.3.3"
SOURCE = "packs/_source"
# The 2014-rules compendium folders read; each is named after its pack in system.json ("spells" -> dnd5e.spells).
FOLDERS = ("spells", "items", "classes", "subclasses", "classfeatures", "races", "backgrounds")
ITEM_TYPES = ("weapon", "equipment", "consumable", "tool", "loot", "container")  # physical items, not feats
# Where a mapped document of each kind must be (a feature: a class feature or a racial trait).
FOLDERS_OF = {"spell": ("spells",), "item": ("items",), "class": ("classes",), "subclass": ("subclasses",),
              "race": ("races",), "background": ("backgrounds",), "feature": ("classfeatures", "races")}
REQUIRED = ("spell", "item", "class", "subclass", "race", "background")  # every index of these needs an entry
# Items charforge can produce that have no document in dnd5e's SRD items pack: index -> why. (None at 5.3.3.)
NO_ENTRY: dict[str, str] = {}
# The SRD 5.1 notice is the one in dnd5e's README.md ("Licenses"); the MIT copyright line is its LICENSE.txt's.
ATTRIBUTION = (
    'This work includes material taken from the System Reference Document 5.1 ("SRD 5.1") by Wizards of the Coast '
    "LLC and available at https://dnd.wizards.com/resources/systems-reference-document. The SRD 5.1 is licensed "
    "under the Creative Commons Attribution 4.0 International License available at "
    "https://creativecommons.org/licenses/by/4.0/legalcode. The compendium data (documents, descriptions, "
    "activities, advancement) is taken from the SRD compendium packs of the dnd5e system {version} for Foundry "
    "Virtual Tabletop (https://github.com/foundryvtt/dnd5e, {ref}), whose SRD content is CC-BY-4.0 and whose "
    "software is MIT-licensed (Copyright 2021 Andrew Clayton). charforge is not affiliated with or endorsed by "
    "Wizards of the Coast or Foundry Gaming LLC."
)


class BuildError(Exception):
    """The sources and charforge's pack do not line up; the message says what to fix."""


def default_repo() -> Path:
    """$CHARFORGE_DND5E_REPO, else the bare mirror of foundryvtt/dnd5e on the development machine."""
    return Path(os.environ.get("CHARFORGE_DND5E_REPO", "/work/.mirror/foundryvtt+dnd5e/repo"))


@dataclass(frozen=True)
class Doc:
    """One compendium document: its path under packs/_source/ and its parsed YAML."""

    path: str
    data: dict

    @property
    def pack(self) -> str:
        return self.path.split("/", 1)[0]

    @property
    def slug(self) -> str:
        parts = self.path.removesuffix(".yml").split("/")
        return parts[-2] if parts[-1] == "_container" else parts[-1]  # a container is a folder of its contents

    @property
    def uuid(self) -> str:
        return f"Compendium.dnd5e.{self.pack}.Item.{self.data['_id']}"

    @property
    def container(self) -> str | None:
        return self.data["system"].get("container")


def git(repo: Path, *args: str, stdin: bytes | None = None) -> bytes:
    result = subprocess.run(["git", "-C", str(repo), *args], input=stdin, capture_output=True)
    if result.returncode:
        raise BuildError(f"git {' '.join(args[:2])} in {repo}: {result.stderr.decode().strip()}")
    return result.stdout


def read_source(repo: Path, ref: str) -> tuple[dict, dict[str, Doc]]:
    """system.json and every document of FOLDERS at `ref`, by path under packs/_source/."""
    system = json.loads(git(repo, "show", f"{ref}:system.json"))
    listing = git(repo, "ls-tree", "-r", "-z", ref, "--", *(f"{SOURCE}/{f}" for f in FOLDERS)).decode()
    blobs = {}
    for row in filter(None, listing.split("\0")):
        meta, path = row.split("\t", 1)
        if path.endswith(".yml") and not path.endswith("/_folder.yml"):
            blobs[path.removeprefix(f"{SOURCE}/")] = meta.split()[2]
    raw = git(repo, "cat-file", "--batch", stdin="".join(f"{sha}\n" for sha in blobs.values()).encode())
    docs, pos = {}, 0
    for path in blobs:  # cat-file answers in request order: "<sha> blob <size>\n<content>\n"
        header_end = raw.index(b"\n", pos)
        size = int(raw[pos:header_end].split()[2])
        body = raw[header_end + 1:header_end + 1 + size]
        docs[path] = Doc(path, yaml.load(body, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)))
        pos = header_end + 1 + size + 1
    return system, docs


def plain(name: str) -> str:
    """A name compared loosely: no parenthesised part, straight apostrophes, lower case."""
    return re.sub(r"\s*\([^)]*\)", "", name).replace("\u2019", "'").strip().lower()


def name_variants(name: str, *, option: bool) -> list[str]:
    """Names a charforge feature may have in dnd5e: "Spellcasting: Bard" is Spellcasting, "Fighting Style:
    Archery" is Archery. An option's heading ("Dragon Ancestor: Black - Acid Damage") is its parent, not it."""
    base = plain(name)
    names = [base]
    if ":" in base:
        head, tail = (part.strip() for part in base.split(":", 1))
        names += [tail] if option else [tail, head]
    return names


def match(index: str, names: list[str], tiers: list[list[Doc]]) -> list[Doc]:
    """The documents of the first tier that has any whose identifier or slug is `index`, else whose name is one of
    `names` (tried in order); several means the match is ambiguous."""
    for tier in tiers:
        found = [d for d in tier if index in (d.data["system"].get("identifier"), d.slug)]
        for name in names:
            found = found or [d for d in tier if plain(d.data["name"]) == name]
        if found:
            return found
    return []


class Matcher:
    """Finds the document for each charforge index of a kind, from the reviewed table first."""

    def __init__(self, docs: dict[str, Doc], table: dict[str, dict[str, str]]):
        self.docs = docs
        self.by_id = {d.data["_id"]: d for d in docs.values()}
        self.table = table

    def in_folder(self, folder: str, *types: str) -> list[Doc]:
        return [d for p, d in self.docs.items() if p.startswith(f"{folder}/") and d.data["type"] in types]

    def mapped(self, kind: str, index: str) -> Doc | None:
        target = self.table.get(kind, {}).get(index)
        if target is None:
            return None
        doc = self.by_id.get(target) or self.docs.get(target)
        if doc is None:
            raise BuildError(f"scripts/foundry_names.yaml: {kind} {index!r} -> {target!r}: no such document")
        if doc.pack not in FOLDERS_OF[kind]:
            raise BuildError(f"scripts/foundry_names.yaml: {kind} {index!r} -> {doc.path}: not in {FOLDERS_OF[kind]}")
        return doc

    def find(self, kind: str, index: str, names: list[str], tiers: list[list[Doc]]) -> Doc | None:
        doc = self.mapped(kind, index)
        if doc is not None:
            return doc
        found = match(index, names, tiers)
        if len(found) > 1:
            raise BuildError(f"{kind} {index!r} matches {', '.join(d.path for d in found)}: "
                             "add the right one to scripts/foundry_names.yaml")
        return found[0] if found else None


def feature_tiers(matcher: Matcher, pack: RulesPack, index: str) -> list[list[Doc]]:
    """Where a feature's document may be: its class's folder, then the shared ones; a racial trait's race folder."""
    feature = pack.features[index]
    owner = pack.subclasses[feature.owner].class_ if feature.owner in pack.subclasses else feature.owner
    if owner in pack.races:
        return [matcher.in_folder("races", "feat")]
    shared = [d for d in matcher.in_folder("classfeatures", "feat", "weapon") if d.path.count("/") == 1
              or d.path.startswith("classfeatures/shared-features/")]
    return [matcher.in_folder(f"classfeatures/{owner}", "feat", "weapon"), shared]


def entry_of(doc: Doc, children: dict[str, list[Doc]], *, standalone: bool) -> dict:
    """The index entry for a document: what an embedded copy needs, `system` and `effects` verbatim.

    A standalone entry taken from inside a pack (String) has its `container` cleared, as it is bought alone.
    """
    data = doc.data
    system = dict(data["system"], container=None) if standalone and doc.container else data["system"]
    out = {"uuid": doc.uuid, "pack": f"dnd5e.{doc.pack}", "_id": data["_id"], "name": data["name"],
           "type": data["type"], "img": data["img"], "system": system,
           "effects": [{k: v for k, v in effect.items() if k != "_key"} for effect in data.get("effects") or []]}
    if data["type"] == "container":
        out["contents"] = [{"quantity": child.data["system"].get("quantity", 1),
                            **entry_of(child, children, standalone=False)}
                           for child in children.get(data["_id"], [])]
    return out


def load_table(path: Path = NAMES) -> dict[str, dict[str, str]]:
    return yaml.safe_load(path.read_text()) or {}


def check_table(table: dict[str, dict[str, str]], indexes: dict[str, set[str]]) -> None:
    """Every row of the table names a charforge index of its kind."""
    for kind, rows in table.items():
        if kind not in indexes:
            raise BuildError(f"scripts/foundry_names.yaml: unknown kind {kind!r}")
        stray = sorted(set(rows) - indexes[kind])
        if stray:
            raise BuildError(f"scripts/foundry_names.yaml: {kind} {', '.join(stray)}: not charforge indexes")


def charforge_indexes() -> dict[str, set[str]]:
    """What charforge can produce, by kind: the rules pack's indexes, minus the items the shop never sells."""
    from charforge.rules.equipment import SHOP_EXCLUDES
    from charforge.rules.pack import load

    pack = load()
    return {"spell": set(pack.spells),
            "item": {i for i, item in pack.equipment.items() if item.category not in SHOP_EXCLUDES},
            "class": set(pack.classes), "subclass": set(pack.subclasses), "race": set(pack.races),
            "background": set(pack.backgrounds), "feature": set(pack.features)}


def match_required(matcher: Matcher, pack: RulesPack, indexes: dict[str, set[str]]) -> dict[str, Doc]:
    """The document of every spell, item, class, subclass, race and background, and each background's feature."""
    named = {"spell": pack.spells, "item": pack.equipment, "class": pack.classes, "subclass": pack.subclasses,
             "race": pack.races, "background": pack.backgrounds}
    tiers = {"spell": [matcher.in_folder("spells", "spell")],
             "item": [[d for d in matcher.in_folder("items", *ITEM_TYPES) if not d.container]],
             "class": [matcher.in_folder("classes", "class")],
             "subclass": [matcher.in_folder("subclasses", "subclass")],
             "race": [matcher.in_folder("races", "race")],
             "background": [matcher.in_folder("backgrounds", "background")]}
    found, missing = {}, []
    for kind in REQUIRED:
        for index in sorted(indexes[kind]):
            doc = matcher.find(kind, index, [plain(named[kind][index].name)], tiers[kind])
            if doc is not None:
                found[f"{kind}:{index}"] = doc
            elif index not in NO_ENTRY:
                missing.append(f"{kind} {index}")
    if missing:
        raise BuildError(f"no dnd5e document for {', '.join(missing)}: map them in scripts/foundry_names.yaml")
    for index, background in pack.backgrounds.items():
        feature = plain(background.feature)
        grants = [d for d in matcher.in_folder("backgrounds", "feat") if plain(d.data["name"]) == feature]
        if len(grants) != 1:
            raise BuildError(f"background {index}: {len(grants)} documents for its feature {background.feature!r}")
        found[f"background-feature:{index}"] = grants[0]
    return found


def match_features(matcher: Matcher, pack: RulesPack) -> tuple[dict[str, Doc], list[str]]:
    """The document of each class, subclass and racial feature that has one, and the features that have none."""
    found, unmapped = {}, []
    for index in sorted(pack.features):
        feature = pack.features[index]
        doc = matcher.find("feature", index, name_variants(feature.name, option=feature.parent is not None),
                           feature_tiers(matcher, pack, index))
        if doc is None:
            unmapped.append(index)
        else:
            found[f"feature:{index}"] = doc
    return found, unmapped


def build(repo: Path, ref: str, table: dict[str, dict[str, str]]) -> tuple[dict, list[str]]:
    """The index, and the charforge features dnd5e has no document for."""
    from charforge.rules.pack import load

    pack = load()
    system, docs = read_source(repo, ref)
    indexes = charforge_indexes()
    check_table(table, indexes)
    matcher = Matcher(docs, table)
    found = match_required(matcher, pack, indexes)
    features, unmapped = match_features(matcher, pack)
    children: dict[str, list[Doc]] = {}  # a container's _id -> what it holds, in the pack's order
    for doc in sorted(docs.values(), key=lambda d: (d.data.get("sort", 0), d.data["name"], d.path)):
        if doc.pack == "items" and doc.container:
            children.setdefault(doc.container, []).append(doc)
    entries = {key: entry_of(doc, children, standalone=True) for key, doc in sorted({**found, **features}.items())}
    return {"dnd5e": system["version"], "ref": ref,
            "core": {k: system["compatibility"][k] for k in ("minimum", "verified")},
            "license": "CC-BY-4.0", "attribution": ATTRIBUTION.format(version=system["version"], ref=ref),
            "packs": item_packs(system, entries), "entries": entries}, unmapped


def item_packs(system: dict, entries: dict[str, dict]) -> list[str]:
    """The packs the entries point into, each checked against system.json's list of Item packs."""
    declared = {f"dnd5e.{p['name']}" for p in system["packs"] if p["type"] == "Item"}
    used = {e["pack"] for e in entries.values()}
    if used - declared:
        raise BuildError(f"packs not declared in system.json: {', '.join(sorted(used - declared))}")
    return sorted(used)


def render(index: dict) -> str:
    return json.dumps(index, separators=(",", ":"), ensure_ascii=False) + "\n"


def coverage(index: dict, unmapped: list[str]) -> str:
    indexes = charforge_indexes()
    kinds = [*REQUIRED, "feature"]
    counts = {kind: sum(key.startswith(f"{kind}:") for key in index["entries"]) for kind in kinds}
    return ", ".join(f"{kind} {counts[kind]}/{len(indexes[kind])}" for kind in kinds) + \
        f" ({len(unmapped)} features without a dnd5e document)"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", type=Path, default=default_repo(),
                        help="git checkout or bare mirror of foundryvtt/dnd5e (default: %(default)s)")
    parser.add_argument("--ref", default=DEFAULT_REF, help="tag or commit to read (default: %(default)s)")
    parser.add_argument("--check", action="store_true", help="fail if the committed index differs")
    parser.add_argument("--report", action="store_true", help="list the features that have no dnd5e document")
    args = parser.parse_args()
    try:
        index, unmapped = build(args.repo, args.ref, load_table())
    except BuildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    text = render(index)
    if args.report:
        from charforge.rules.pack import load

        features = load().features
        print("\n".join(f"  no document: {i} ({features[i].name}, {features[i].owner})" for i in unmapped))
    print(coverage(index, unmapped))
    if args.check:
        stale = not OUT.exists() or OUT.read_text(encoding="utf-8") != text
        print("foundry index is stale: run scripts/build_foundry_index.py" if stale else "foundry index is current")
        return int(stale)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)} ({len(text.encode()):,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
