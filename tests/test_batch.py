"""`charforge batch submit`, `charforge worker` and `charforge jobs`, driven as a user drives them.

Assertions are on what a run leaves behind: stdout and stderr lines, exit codes, rows in the real SQLite
file (read back through `JobQueue`) and files on disk. Nothing waits for a wall-clock window: the process
tests poll the database (or read stderr) until the state they need, with generous deadlines only against a
hang.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from charforge.errors import ExitCode
from charforge.models import Character
from charforge.rules.dice import derive
from charforge.store.queue import Job, JobQueue, JobState
from foundry_schema import unknown_paths

OFFLINE = ("--provider", "offline")
CLASSES = {"fighter", "rogue", "cleric"}


# -- helpers -------------------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def own_limiters_afterwards():
    """A worker run in this process installs shared limiters on its database for the whole process."""
    from charforge.providers import resilience

    yield
    resilience.use_limiter_factory(None)


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def jobs(batch_id: str | None = None, *, kind: str | None = "npc") -> list[Job]:
    """The batch's jobs in the database, in row order."""
    with JobQueue() as queue:
        found = queue.jobs_where(batch_id=batch_id, kind=kind)
    return sorted(found, key=lambda job: (job.payload.get("index", 0), job.kind))


def states(batch_id: str | None = None) -> dict[str, int]:
    """Jobs per state, only the states that have any."""
    with JobQueue() as queue:
        return {str(state): n for state, n in queue.counts(batch_id).items() if n}


def specs(batch_id: str) -> list[dict]:
    return [job.payload["spec"] for job in jobs(batch_id)]


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("error:")]


def submit(cli, *args: str, env: dict[str, str] | None = None):
    return cli("batch", "submit", *args, env=env)


def submitted_id(result) -> str:
    assert result.exit_code == 0, result.stderr
    batch_id = result.stdout.strip()
    assert re.fullmatch(r"[0-9A-Z]{26}", batch_id), result.stdout
    return batch_id


def exported(folder: Path) -> tuple[list[dict], list[Path]]:
    """index.json's entries and the character files beside it (index.json excluded)."""
    index = json.loads((folder / "index.json").read_text(encoding="utf-8"))
    return index["characters"], sorted(p for p in folder.iterdir() if p.name != "index.json")


# -- 1. batch files ------------------------------------------------------------------------------------------

TOWN = """\
defaults: {length: quick}
rows:
  - {name: Mayor Hobb, class: paladin, level: 5}
  - {class: wizard, seed: 1234}
generate:
  count: 6
  class: {fighter: 3, rogue: 2, cleric: 1}
  level: {1: 5, 2: 3}
  ancestry: [human, hill-dwarf]
  concept: a townsperson of Varr
"""


def test_yaml_rows_then_weighted_generator(cli, tmp_path):
    spec = write(tmp_path / "town.yaml", TOWN)
    batch_id = submitted_id(submit(cli, str(spec), *OFFLINE, "--seed", "7"))

    rows = specs(batch_id)
    assert len(rows) == 8
    assert rows[0] | {"seed": None} == {"name": "Mayor Hobb", "class": "paladin", "level": 5, "ancestry": None,
                                        "alignment": None, "background": None, "concept": None, "setting": None,
                                        "length": "quick", "seed": None}
    assert rows[0]["seed"] == derive(7, 0)
    assert (rows[1]["class"], rows[1]["seed"], rows[1]["length"]) == ("wizard", 1234, "quick")  # its own seed
    for index, row in enumerate(rows[2:], start=2):
        assert row["class"] in CLASSES
        assert row["level"] in (1, 2)
        assert row["ancestry"] in ("human", "hill-dwarf")
        assert (row["concept"], row["length"]) == ("a townsperson of Varr", "quick")
        assert row["seed"] == derive(7, index)


def test_same_seed_same_specs_other_seed_other_specs(cli, tmp_path):
    spec = write(tmp_path / "town.yaml", TOWN)
    first, again, other = (submitted_id(submit(cli, str(spec), *OFFLINE, "--seed", seed))
                           for seed in ("7", "7", "8"))
    assert len({first, again, other}) == 3
    assert specs(first) == specs(again)
    drawn = [[(r["class"], r["level"], r["ancestry"]) for r in specs(b)[2:]] for b in (first, other)]
    assert drawn[0] != drawn[1]
    assert {r["class"] for r in specs(other)[2:]} <= CLASSES


def test_count_flag_overrides_the_generators_count(cli, tmp_path):
    spec = write(tmp_path / "town.yaml", TOWN)
    batch_id = submitted_id(submit(cli, str(spec), *OFFLINE, "--count", "2", "--seed", "7"))
    assert len(specs(batch_id)) == 2 + 2  # the rows, then --count generated ones


def test_a_plain_yaml_list_is_rows(cli, tmp_path):
    spec = write(tmp_path / "party.yml", "- {class: bard, level: 3}\n- {class: monk, alignment: lawful-good}\n")
    batch_id = submitted_id(submit(cli, str(spec), *OFFLINE, "--seed", "1"))
    rows = specs(batch_id)
    assert [(r["class"], r["level"], r["alignment"]) for r in rows] == [("bard", 3, None),
                                                                         ("monk", 1, "lawful-good")]
    assert [r["seed"] for r in rows] == [derive(1, 0), derive(1, 1)]


def test_jsonl_rows_defaults_and_generate_lines(cli, tmp_path):
    lines = [{"defaults": {"level": 4}}, {"class": "bard"}, {"class": "monk", "level": 2},
             {"generate": {"count": 3, "class": ["druid", "ranger"]}}]
    spec = write(tmp_path / "party.jsonl", "\n".join(json.dumps(line) for line in lines) + "\n\n")
    batch_id = submitted_id(submit(cli, str(spec), *OFFLINE, "--seed", "3"))
    rows = specs(batch_id)
    assert [(r["class"], r["level"]) for r in rows[:2]] == [("bard", 4), ("monk", 2)]
    assert len(rows) == 5
    assert all(r["class"] in ("druid", "ranger") and r["level"] == 4 for r in rows[2:])
    assert [r["seed"] for r in rows] == [derive(3, i) for i in range(5)]


def test_csv_header_names_fields_and_text_becomes_typed(cli, tmp_path):
    spec = write(tmp_path / "party.csv", "class,level,seed,concept\nfighter,3,42,a sellsword\nwizard,,,\n")
    batch_id = submitted_id(submit(cli, str(spec), *OFFLINE, "--seed", "5"))
    first, second = specs(batch_id)
    assert (first["class"], first["level"], first["seed"], first["concept"]) == ("fighter", 3, 42, "a sellsword")
    assert (second["class"], second["level"], second["seed"], second["concept"]) == ("wizard", 1, derive(5, 1), None)


def test_flags_beat_file_defaults_and_rows_beat_both(cli, tmp_path):
    spec = write(tmp_path / "p.yaml", """\
defaults: {class: wizard, level: 2, concept: file concept}
rows:
  - {}
  - {class: rogue}
  - {level: 9, concept: its own}
""")
    batch_id = submitted_id(submit(cli, str(spec), *OFFLINE, "--class", "fighter", "--level", "5",
                                   "--alignment", "lawful-good"))
    assert [(r["class"], r["level"], r["concept"], r["alignment"]) for r in specs(batch_id)] == [
        ("fighter", 5, "file concept", "lawful-good"),
        ("rogue", 5, "file concept", "lawful-good"),
        ("fighter", 9, "its own", "lawful-good"),
    ]


def test_a_bad_row_is_refused_before_anything_is_queued(cli, tmp_path):
    spec = write(tmp_path / "p.yaml", "rows:\n  - {class: fighter}\n  - {class: wizzard}\n")
    result = submit(cli, str(spec), *OFFLINE)
    assert (result.exit_code, result.stdout) == (ExitCode.USAGE, "")
    [line] = error_lines(result.stderr)
    assert "batch row 2" in line and "wizzard" in line
    assert "hint:" in result.stderr
    assert jobs(kind=None) == []
    with JobQueue() as queue:
        assert queue.batches() == []


@pytest.mark.parametrize(("name", "text", "where"), [
    ("broken.yaml", "rows:\n  - {class: fighter}\n  - {class: [rogue\n", "broken.yaml:"),
    ("party.jsonl", '{"class": "bard"}\n{"class": "monk"}\n{oops\n', "party.jsonl:3: not JSON"),
    ("party.jsonl", '{"class": "bard"}\n[1, 2]\n', "party.jsonl:2: expected a JSON object"),
])
def test_malformed_files_are_usage_errors_naming_the_line(cli, tmp_path, name, text, where):
    result = submit(cli, str(write(tmp_path / name, text)), *OFFLINE)
    assert (result.exit_code, result.stdout) == (ExitCode.USAGE, "")
    [line] = error_lines(result.stderr)
    assert where in line
    if name.endswith(".yaml"):
        assert re.search(r"broken\.yaml:\d+: not valid YAML", line)
    assert jobs(kind=None) == []


def test_unknown_file_extension_is_a_usage_error(cli, tmp_path):
    result = submit(cli, str(write(tmp_path / "party.toml", "x = 1\n")), *OFFLINE)
    assert (result.exit_code, result.stdout) == (ExitCode.USAGE, "")
    assert "unknown batch file type .toml" in error_lines(result.stderr)[0]


@pytest.mark.parametrize(("name", "text"), [("e.yaml", ""), ("e.yaml", "rows: []\n"), ("e.jsonl", "\n"),
                                            ("e.csv", "class,level\n")])
def test_an_empty_batch_is_a_usage_error(cli, tmp_path, name, text):
    result = submit(cli, str(write(tmp_path / name, text)), *OFFLINE)
    assert (result.exit_code, result.stdout) == (ExitCode.USAGE, "")
    assert "the batch is empty" in error_lines(result.stderr)[0]
    assert jobs(kind=None) == []


def test_csv_with_a_byte_order_mark_is_read(cli, tmp_path):
    spec = tmp_path / "excel.csv"
    spec.write_bytes(b"\xef\xbb\xbfclass,level\nwizard,3\n")
    batch_id = submitted_id(submit(cli, str(spec), *OFFLINE))
    assert [(r["class"], r["level"]) for r in specs(batch_id)] == [("wizard", 3)]


# -- 2. submitting without --wait ------------------------------------------------------------------------------


def test_submit_queues_jobs_seeded_from_the_batch_seed(cli):
    result = submit(cli, "--count", "5", *OFFLINE, "--seed", "9")
    batch_id = submitted_id(result)
    assert f"batch {batch_id}: 5 characters queued, seed 9" in result.stderr
    queued = jobs(batch_id)
    assert [job.state for job in queued] == [JobState.QUEUED] * 5
    assert [job.payload["spec"]["seed"] for job in queued] == [derive(9, i) for i in range(5)]
    assert [job.payload["index"] for job in queued] == list(range(5))
    with JobQueue() as queue:
        [batch] = queue.batches()
    assert (batch.id, batch.total, batch.spec["seed"], batch.options["settings"]) == (batch_id, 5, 9,
                                                                                      {"provider": "offline"})


def test_submit_json_prints_the_submitted_object(cli):
    result = submit(cli, "--count", "5", *OFFLINE, "--seed", "9", "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data == {"batch_id": data["batch_id"], "created": True, "jobs": 5, "inserted": 5, "seed": 9,
                    "provider": "offline", "calls_out": False}
    assert len(jobs(data["batch_id"])) == 5


def test_same_key_adds_nothing_and_another_key_makes_another_batch(cli):
    first = json.loads(submit(cli, "-n", "5", *OFFLINE, "--seed", "9", "--key", "town", "--json").stdout)
    result = submit(cli, "-n", "5", *OFFLINE, "--seed", "9", "--key", "town", "--json")
    again = json.loads(result.stdout)
    assert (again["batch_id"], again["created"], again["inserted"]) == (first["batch_id"], False, 0)
    assert "already queued (same --key)" in result.stderr
    assert len(jobs(kind=None)) == 5
    other = json.loads(submit(cli, "-n", "5", *OFFLINE, "--seed", "9", "--key", "village", "--json").stdout)
    assert other["batch_id"] != first["batch_id"] and (other["created"], other["inserted"]) == (True, 5)
    assert len(jobs(kind=None)) == 10


def test_same_key_reports_the_batch_seed(cli):
    submitted_id(submit(cli, "-n", "5", *OFFLINE, "--seed", "9", "--key", "town"))
    again = json.loads(submit(cli, "-n", "5", *OFFLINE, "--key", "town", "--json").stdout)
    assert (again["created"], again["seed"]) == (False, 9)


def test_same_key_with_a_bigger_count_adds_nothing(cli):
    first = submitted_id(submit(cli, "-n", "5", *OFFLINE, "--seed", "9", "--key", "town"))
    again = json.loads(submit(cli, "-n", "8", *OFFLINE, "--seed", "9", "--key", "town", "--json").stdout)
    assert (again["batch_id"], again["created"]) == (first, False)
    assert again["inserted"] == 0
    assert len(jobs(first)) == 5


# -- 3. --wait and --export ----------------------------------------------------------------------------------


def test_wait_export_writes_one_valid_file_per_character_and_the_index(cli, tmp_path):
    out = tmp_path / "out"
    result = submit(cli, "--count", "12", *OFFLINE, "--seed", "21", "--wait", "--export", str(out))
    batch_id = submitted_id(result)
    assert f"batch {batch_id}: 12 succeeded of 12" in result.stderr
    assert "wrote 12 files and index.json" in result.stderr

    index, files = exported(out)
    assert len(files) == 12 and all(p.suffix == ".json" for p in files)
    assert sorted(entry["file"] for entry in index) == [p.name for p in files]  # each file listed once
    done = {job.id: job for job in jobs(batch_id)}
    assert {entry["job"] for entry in index} == set(done) and len(done) == 12
    for entry in index:
        character = Character.model_validate_json((out / entry["file"]).read_text(encoding="utf-8"))
        assert character == Character.model_validate(done[entry["job"]].result)
        assert entry["file"].endswith(f"-{entry['job'][-8:].lower()}.json")
        assert (entry["name"], entry["class"], entry["seed"]) == (character.name, character.class_name,
                                                                   character.provenance.seed)
    assert len({entry["name"] for entry in index}) == 12
    assert states(batch_id) == {"succeeded": 12}


def test_wait_export_markdown_writes_md_files(cli, tmp_path):
    out = tmp_path / "md"
    batch_id = submitted_id(submit(cli, "-n", "3", *OFFLINE, "--wait", "--export", str(out),
                                   "--format", "markdown"))
    index, files = exported(out)
    assert [p.suffix for p in files] == [".md"] * 3
    for entry in index:
        assert entry["name"] in (out / entry["file"]).read_text(encoding="utf-8")
    assert json.loads((out / "index.json").read_text())["batch"] == batch_id


def test_wait_export_jsonl_joins_into_one_file(cli, tmp_path):
    out = tmp_path / "jl"
    submitted_id(submit(cli, "-n", "12", *OFFLINE, "--wait", "--export", str(out), "-f", "jsonl"))
    index, files = exported(out)
    assert [p.name for p in files] == ["characters.jsonl"]
    lines = files[0].read_text(encoding="utf-8").splitlines()
    assert len(lines) == 12
    names = [Character.model_validate_json(line).name for line in lines]
    assert sorted(names) == sorted(entry["name"] for entry in index) and len(set(names)) == 12


def test_export_without_wait_is_a_usage_error(cli, tmp_path):
    result = submit(cli, "-n", "2", *OFFLINE, "--export", str(tmp_path / "out"))
    assert (result.exit_code, result.stdout) == (ExitCode.USAGE, "")
    assert "--export needs --wait" in error_lines(result.stderr)[0]
    assert jobs(kind=None) == [] and not (tmp_path / "out").exists()


def test_the_same_seed_makes_the_same_batch_in_another_home(cli, tmp_path):
    """Job ids (and so file names' suffixes) are new each time; every character's bytes are not."""
    runs = []
    for home in ("home-a", "home-b"):
        out = tmp_path / f"out-{home}"
        env = {"CHARFORGE_HOME": str(tmp_path / home)}
        submitted_id(submit(cli, "-n", "12", *OFFLINE, "--seed", "1234", "--wait", "--export", str(out), env=env))
        index, _ = exported(out)
        runs.append([(entry["file"].rsplit("-", 1)[0], (out / entry["file"]).read_bytes()) for entry in index])
    assert runs[0] == runs[1]
    assert len({content for _, content in runs[0]}) == 12


# -- 4. -q and progress ----------------------------------------------------------------------------------------


def test_quiet_prints_nothing_on_stderr_the_exit_code_says_it(cli):
    result = cli("-q", "batch", "submit", "--count", "3", *OFFLINE, "--wait")
    submitted_id(result)
    assert result.exit_code == 0 and result.stderr == ""
    loud = cli("batch", "submit", "--count", "3", *OFFLINE, "--wait")
    assert [line for line in loud.stderr.splitlines() if " 3 succeeded of 3 " in line]  # the summary, without -q


def test_progress_lines_on_a_plain_stderr(cli):
    result = submit(cli, "--count", "3", *OFFLINE, "--wait")
    submitted_id(result)
    progress = [line for line in result.stderr.splitlines() if line.startswith("batch: ")]
    assert progress and all(re.match(r"batch: [0-3]/3 done, ", line) for line in progress)
    assert progress[-1].startswith("batch: 3/3 done")
    assert "\x1b[" not in result.stderr  # no live bar or colour codes when stderr is not a terminal


# -- 5. failures ---------------------------------------------------------------------------------------------

AUTH_EVERY_CALL = {"CHARFORGE_MOCK_FAIL": ",".join(["auth"] * 50)}  # each thread's provider gets all 50


def test_non_retryable_failures_end_dead_and_retry_brings_them_back(cli):
    result = submit(cli, "-n", "3", "--provider", "mock", "--seed", "1", "--wait", "--concurrency", "2",
                    env=AUTH_EVERY_CALL)
    assert result.exit_code == ExitCode.BATCH_FAILED, result.stderr
    batch_id = result.stdout.strip()
    assert f"batch {batch_id}: 0 succeeded, 3 dead of 3" in result.stderr
    assert states(batch_id) == {"dead": 3}

    listed = cli("jobs", "list", "--batch", batch_id[:16], "--state", "dead", "--json")
    assert listed.exit_code == 0, listed.stderr
    dead = json.loads(listed.stdout)
    assert len(dead) == 3 and all("result" not in job for job in dead)
    for job in dead:
        assert (job["state"], job["attempts"]) == ("dead", 1)  # not retryable: no second attempt
        [error] = job["errors"]
        assert (error["attempt"], error["kind"]) == (1, "ProviderError")
        assert "401" in error["message"] and "401" in job["last_error"]

    retried = cli("jobs", "retry", "--state", "dead")
    assert (retried.exit_code, retried.stdout) == (0, "3\n")
    assert "3 job(s) queued again" in retried.stderr
    shown = json.loads(cli("jobs", "show", dead[0]["id"], "--json").stdout)
    assert (shown["state"], shown["attempts"], shown["finished_at"]) == ("queued", 0, None)
    assert shown["errors"] == dead[0]["errors"]  # the history is kept

    drained = cli("worker", "--drain")  # no faults this time
    assert drained.exit_code == 0, drained.stderr
    assert states(batch_id) == {"succeeded": 3}
    assert all(len(job.errors) == 1 for job in jobs(batch_id))


# -- 6. jobs list, show, cancel, prune, export ---------------------------------------------------------------


def test_jobs_list_shows_batches_and_their_jobs(cli):
    first = submitted_id(submit(cli, "-n", "2", *OFFLINE))
    second = submitted_id(submit(cli, "-n", "3", *OFFLINE))

    table = cli("jobs", "list")
    assert table.exit_code == 0, table.stderr
    header, *rows = [line.split("\t") for line in table.stdout.splitlines()]
    assert header[:3] == ["batch", "created (UTC)", "total"]
    assert [(row[0], row[2], row[header.index("queued")]) for row in rows] == [(first, "2", "2"),
                                                                               (second, "3", "3")]
    data = json.loads(cli("jobs", "list", "--json").stdout)
    assert [(b["id"], b["total"], b["counts"]["queued"]) for b in data] == [(first, 2, 2), (second, 3, 3)]

    listed = cli("jobs", "list", "--batch", second)
    header, *rows = [line.split("\t") for line in listed.stdout.splitlines()]
    assert header == ["job", "kind", "state", "attempts", "batch", "last error"]
    assert {(row[1], row[2], row[3], row[4]) for row in rows} == {("npc", "queued", "0/5", second)}
    assert len(rows) == 3
    assert len(json.loads(cli("jobs", "list", "--state", "queued", "--limit", "4", "--json").stdout)) == 4


def test_jobs_show_prints_a_job_and_an_unknown_id_is_a_usage_error(cli):
    batch_id = submitted_id(submit(cli, "-n", "1", *OFFLINE, "--seed", "4"))
    [job] = jobs(batch_id)
    shown = cli("jobs", "show", job.id[:20])
    assert shown.exit_code == 0 and f"id\t{job.id}" in shown.stdout and "payload:" in shown.stdout

    result = cli("jobs", "show", "NOSUCHJOB")
    assert (result.exit_code, result.stdout) == (ExitCode.USAGE, "")
    assert error_lines(result.stderr) == ["error: no job with id 'NOSUCHJOB'"]
    assert "hint: 'charforge jobs list' shows job ids" in result.stderr


def test_cancel_a_queued_batch_then_a_worker_leaves_it_alone(cli):
    batch_id = submitted_id(submit(cli, "-n", "3", *OFFLINE))
    cancelled = cli("jobs", "cancel", "--batch", batch_id)
    assert (cancelled.exit_code, cancelled.stdout) == (0, "3\n")
    assert states(batch_id) == {"cancelled": 3}

    drained = cli("worker", "--drain", "--concurrency", "2")
    assert drained.exit_code == 0, drained.stderr
    assert "worker: 0 succeeded" in drained.stderr
    assert states(batch_id) == {"cancelled": 3}
    assert all(job.attempts == 0 and job.result is None for job in jobs(batch_id))


def test_the_batches_table_accounts_for_cancelled_jobs(cli):
    batch_id = submitted_id(submit(cli, "-n", "3", *OFFLINE))
    cli("jobs", "cancel", "--batch", batch_id)
    header, row = [line.split("\t") for line in cli("jobs", "list").stdout.splitlines()]
    assert sum(int(cell) for cell in row[3:]) == int(row[header.index("total")])


def test_prune_deletes_finished_jobs(cli):
    done = submitted_id(submit(cli, "-n", "3", *OFFLINE, "--wait"))
    waiting = submitted_id(submit(cli, "-n", "2", *OFFLINE))
    kept = cli("jobs", "prune", "--older-than", "7d")
    assert (kept.exit_code, kept.stdout) == (0, "0\n")
    pruned = cli("jobs", "prune", "--older-than", "0s")
    assert (pruned.exit_code, pruned.stdout) == (0, "3\n")
    assert states(done) == {} and states(waiting) == {"queued": 2}  # unfinished jobs stay


def test_prune_with_a_bad_age_is_a_usage_error(cli):
    result = cli("jobs", "prune", "--older-than", "soon")
    assert (result.exit_code, result.stdout) == (ExitCode.USAGE, "")
    assert "not an age" in error_lines(result.stderr)[0]


def test_jobs_export_writes_foundry_actors(cli, tmp_path):
    batch_id = submitted_id(submit(cli, "-n", "3", *OFFLINE, "--wait"))
    out = tmp_path / "foundry"
    result = cli("jobs", "export", "--batch", batch_id[:16], "--out", str(out), "-f", "foundry")
    assert (result.exit_code, result.stdout) == (0, f"{out / 'index.json'}\n"), result.stderr
    index, files = exported(out)
    assert len(files) == 3 and sorted(e["file"] for e in index) == [p.name for p in files]
    for entry in index:
        actor = json.loads((out / entry["file"]).read_text(encoding="utf-8"))
        assert (actor["name"], actor["type"]) == (entry["name"], "character")
        assert unknown_paths(actor) == []  # each file a dnd5e actor, its class and gear embedded
        assert {"class", "race"} <= {item["type"] for item in actor["items"]}

    bad = cli("jobs", "export", "--batch", batch_id, "--out", str(tmp_path / "x"), "-f", "nosuch")
    assert (bad.exit_code, bad.stdout) == (ExitCode.USAGE, "")
    assert "unknown format 'nosuch'" in error_lines(bad.stderr)[0]


# -- 7. worker -----------------------------------------------------------------------------------------------


def test_worker_drain_completes_everything_queued(cli):
    batch_id = submitted_id(submit(cli, "-n", "6", *OFFLINE, "--seed", "2"))
    result = cli("worker", "--drain", "--concurrency", "2")
    assert result.exit_code == 0, result.stderr
    assert "worker: 6 succeeded, 0 to retry, 0 dead, 0 handed back" in result.stderr
    assert states(batch_id) == {"succeeded": 6}
    assert len({job.result["name"] for job in jobs(batch_id)}) == 6


def test_worker_batch_runs_only_that_batchs_jobs(cli):
    mine = submitted_id(submit(cli, "-n", "3", *OFFLINE))
    other = submitted_id(submit(cli, "-n", "2", *OFFLINE))
    result = cli("worker", "--drain", "--batch", mine[:16])
    assert result.exit_code == 0, result.stderr
    assert states(mine) == {"succeeded": 3} and states(other) == {"queued": 2}

    unknown = cli("worker", "--drain", "--batch", "ZZZZ")
    assert unknown.exit_code == ExitCode.USAGE and "no batch with id 'ZZZZ'" in unknown.stderr
    assert states(other) == {"queued": 2}


def test_a_relative_setting_file_works_for_a_worker_in_another_folder(cli, tmp_path, monkeypatch):
    project, elsewhere = tmp_path / "project", tmp_path / "elsewhere"
    project.mkdir()
    elsewhere.mkdir()
    write(project / "town.yaml", "name: Varr\nplace: a river town\n")
    monkeypatch.chdir(project)
    batch_id = submitted_id(submit(cli, "-n", "2", *OFFLINE, "--setting", "town.yaml"))
    monkeypatch.chdir(elsewhere)
    assert cli("worker", "--drain").exit_code == 0
    assert states(batch_id) == {"succeeded": 2}


# -- 8. portraits --------------------------------------------------------------------------------------------


def test_portraits_are_drawn_and_attached_to_their_characters(cli, tmp_path, monkeypatch):
    from PIL import Image

    monkeypatch.setenv("CHARFORGE_IMAGES_PROVIDER", "offline")
    out = tmp_path / "out"
    result = submit(cli, "--count", "2", *OFFLINE, "--portraits", "--wait", "--export", str(out))
    batch_id = submitted_id(result)
    assert f"batch {batch_id}: 4 succeeded of 4" in result.stderr
    assert states(batch_id) == {"succeeded": 4}

    characters = jobs(batch_id)
    portraits = {job.depends_on: job for job in jobs(batch_id, kind="portrait")}
    assert set(portraits) == {job.id for job in characters}
    index, files = exported(out)
    assert len(files) == 2
    by_job = {entry["job"]: entry for entry in index}
    for job in characters:
        image = Path(job.result["portrait"]["image"])
        assert image.suffix == ".png" and portraits[job.id].result["image"] == str(image)
        with Image.open(image) as picture:
            assert picture.format == "PNG" and picture.size[0] > 0
        written = Character.model_validate_json((out / by_job[job.id]["file"]).read_text(encoding="utf-8"))
        assert written.portrait.image == str(image) == by_job[job.id]["portrait"]


# -- 9. stopping a worker process ----------------------------------------------------------------------------


def _worker_process(tmp_path: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "charforge", "worker", *args], cwd=tmp_path, env=os.environ,
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_for_succeeded(process: subprocess.Popen[str], batch_id: str) -> None:
    """Poll the database until the worker has finished a job (the deadline only guards against a hang)."""
    deadline = time.monotonic() + 60
    while states(batch_id).get("succeeded", 0) < 1:
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the worker finished nothing in 60 s"
        time.sleep(0.05)


def _assert_stopped_cleanly(batch_id: str, total: int) -> dict[str, int]:
    counts = states(batch_id)
    assert set(counts) <= {"queued", "succeeded"}, counts  # nothing left running, nothing lost
    assert counts.get("succeeded", 0) + counts.get("queued", 0) == total
    assert all(job.lease_owner is None for job in jobs(batch_id))
    return counts


def test_sigint_stops_a_worker_gracefully(cli, tmp_path):
    batch_id = submitted_id(cli("-q", "batch", "submit", "-n", "400", *OFFLINE, "--seed", "1"))
    process = _worker_process(tmp_path, "--concurrency", "2")
    try:
        _wait_for_succeeded(process, batch_id)
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == ExitCode.INTERRUPTED, stderr
    assert "stopping: finishing the jobs in flight" in stderr
    assert re.search(r"worker: \d+ succeeded, 0 to retry, 0 dead, 0 handed back", stderr)
    counts = _assert_stopped_cleanly(batch_id, 400)
    assert counts["succeeded"] >= 1 and stdout == ""


def test_abort_hands_back_a_job_whose_answer_came_too_late(cli, monkeypatch):
    """The second Ctrl-C while a job is in flight: the job goes back to the queue, its attempt not counted."""
    from charforge.service import jobs as job_module
    from charforge.service.worker import Worker
    from charforge.store.queue import JobUsage

    batch_id = submitted_id(submit(cli, "-n", "1", *OFFLINE))
    worker = Worker(concurrency=1)
    started = threading.Event()

    def slow_provider(self, job):  # the provider is still thinking when the second Ctrl-C comes
        started.set()
        worker.aborted.wait(60)
        return job_module.Outcome(result={"name": "Too Late"}, usage=JobUsage())

    def second_ctrl_c(queue):  # the main loop's tick, on the thread the signal handler would run on
        if worker.aborted.is_set():
            return
        assert started.wait(60), "the job never started"
        worker.abort()
        deadline = time.monotonic() + 60  # let the job's thread see the abort and let go first
        while any(t.name.startswith("charforge-worker-") for t in threading.enumerate()):
            assert time.monotonic() < deadline, "the worker thread did not stop"
            time.sleep(0.01)

    monkeypatch.setattr(job_module.JobRunner, "run", slow_provider)
    tally = worker.run(until="stopped", tick=second_ctrl_c)
    [job] = jobs(batch_id)
    assert (job.state, job.attempts, job.lease_owner) == (JobState.QUEUED, 0, None)
    assert (tally.released, tally.succeeded) == (1, 0)


@pytest.mark.slow
def test_a_second_ctrl_c_during_the_first_ones_handler_still_exits(tmp_path):
    driver = Path(__file__).parent / "data" / "batch" / "second_ctrl_c.py"
    process = subprocess.Popen([sys.executable, str(driver), "worker", "--drain"], cwd=tmp_path, env=os.environ,
                               stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        _, stderr = process.communicate(timeout=10)  # a fixed worker exits in about a second; this guards a hang
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        pytest.fail("charforge worker deadlocked on the second Ctrl-C")
    assert process.returncode == ExitCode.INTERRUPTED, stderr
    assert "stopping: finishing the jobs in flight" in stderr
