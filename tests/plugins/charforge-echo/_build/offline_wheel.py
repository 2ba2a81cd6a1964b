"""A PEP 517 build backend in the standard library alone: enough for `pip install` of this example, offline.

Only here so the test suite needs no package index: the setuptools a fresh venv ships cannot build a wheel
without the `wheel` package, and the suite may not download one. A real plugin uses setuptools or hatchling
(see docs/plugins.md). It implements `build_wheel`, all pip needs to install from a folder: the files under
src/ plus a dist-info holding METADATA and the entry points from pyproject.toml's [project] table.
"""

from __future__ import annotations

import base64
import hashlib
import re
import tomllib
import zipfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TAG = "py3-none-any"


def _project() -> dict[str, Any]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def _metadata(project: dict[str, Any]) -> str:
    lines = ["Metadata-Version: 2.1", f"Name: {project['name']}", f"Version: {project['version']}"]
    if "description" in project:
        lines.append(f"Summary: {project['description']}")
    if "requires-python" in project:
        lines.append(f"Requires-Python: {project['requires-python']}")
    lines += [f"Requires-Dist: {requirement}" for requirement in project.get("dependencies", [])]
    return "\n".join(lines) + "\n"


def _entry_points(project: dict[str, Any]) -> str:
    groups = project.get("entry-points", {})
    return "\n".join(f"[{group}]\n" + "".join(f"{name} = {target}\n" for name, target in points.items())
                     for group, points in groups.items())


def _record_line(path: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{path},sha256={digest},{len(data)}"


def build_wheel(wheel_directory: str, config_settings: Any = None, metadata_directory: Any = None) -> str:
    project = _project()
    name = re.sub(r"[-_.]+", "_", project["name"]).lower()
    dist_info = f"{name}-{project['version']}.dist-info"
    files = {path.relative_to(ROOT / "src").as_posix(): path.read_bytes()
             for path in sorted((ROOT / "src").rglob("*"))
             if path.is_file() and "__pycache__" not in path.parts}
    files[f"{dist_info}/METADATA"] = _metadata(project).encode()
    files[f"{dist_info}/entry_points.txt"] = _entry_points(project).encode()
    files[f"{dist_info}/WHEEL"] = (f"Wheel-Version: 1.0\nGenerator: offline_wheel\nRoot-Is-Purelib: true\n"
                                   f"Tag: {TAG}\n").encode()
    record = [_record_line(path, data) for path, data in files.items()] + [f"{dist_info}/RECORD,,"]
    files[f"{dist_info}/RECORD"] = ("\n".join(record) + "\n").encode()
    wheel = f"{name}-{project['version']}-{TAG}.whl"
    with zipfile.ZipFile(Path(wheel_directory) / wheel, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, data in files.items():
            archive.writestr(path, data)
    return wheel
