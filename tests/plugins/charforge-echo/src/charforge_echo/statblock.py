"""The `statblock-csv` export format: a header line and one row of a character's numbers.

An exporter is a pure function of the document (a pydantic model; `kinds=("character",)` in the registration
means it is always a `charforge.models.Character`) returning the file's text.
"""

from __future__ import annotations

import csv
import io
from typing import Any

COLUMNS = ("name", "ancestry", "class", "level", "alignment", "hp", "ac", "speed",
           "str", "dex", "con", "int", "wis", "cha", "seed", "provider")


def to_csv(document: Any) -> str:
    data = document.model_dump(mode="json", by_alias=True)
    row = {**data, **data["abilities"], "seed": data["provenance"]["seed"], "provider": data["provenance"]["provider"]}
    out = io.StringIO()
    writer = csv.DictWriter(out, COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerow(row)
    return out.getvalue()
