"""`charforge history` as a user runs it. The group is mounted on a local root (with charforge's error boundary)
until the real root app mounts it."""

from __future__ import annotations

import json

import pytest
import typer
from typer.testing import CliRunner

from charforge.cli import CharforgeGroup, history
from charforge.errors import ExitCode
from charforge.store.generations import CallRecord, GenerationLog

root = typer.Typer(cls=CharforgeGroup)
root.add_typer(history.app, name="history")


def run(*args: str):
    return CliRunner().invoke(root, ["history", *args])


def ok(*args: str):
    result = run(*args)
    assert result.exit_code == 0, result.stderr
    return result


@pytest.fixture
def ids() -> list[str]:
    """Three calls on two days: an Anthropic success, an OpenAI failure, an offline call with no cost."""
    with GenerationLog() as log:
        return [
            log.record(CallRecord(
                id="01JAAAAAAAAAAAAAAAAAAAAAAA", time="2026-11-24T09:00:00Z", command="npc", provider="anthropic",
                model="claude-sonnet-5-5", kind="background", template="background", template_version="2",
                request={"system": "You write NPCs.", "messages": [{"role": "user", "content": "a wizard"}]},
                response='{"early_life": "Born under a comet."}', input_tokens=10_000, output_tokens=1_000,
                cached_tokens=2_000, cost_usd=0.0396, price_date="2026-11-25", latency_ms=2345)),
            log.record(CallRecord(
                id="01JBBBBBBBBBBBBBBBBBBBBBB1", time="2026-11-25T10:00:00Z", command="batch", provider="openai",
                model="gpt-5.5", kind="spells", request={"kind": "spells"}, response=None, attempts=6,
                error="rate limited (429)\nafter 6 attempts", latency_ms=60_000, price_date="2026-11-25")),
            log.record(CallRecord(
                id="01JBBBBBBBBBBBBBBBBBBBBBB2", time="2026-11-25T11:00:00Z", command="npc", provider="offline",
                model="charforge-offline-1", kind="equipment", request={"kind": "equipment"}, response="{}")),
        ]


def tsv(text: str) -> list[list[str]]:
    return [line.split("\t") for line in text.splitlines()]


def test_list_json_is_every_call_newest_first(ids):
    calls = json.loads(ok("list", "--json").stdout)
    assert [c["id"] for c in calls] == ids[::-1]
    assert calls[-1] == {
        "id": ids[0], "time": "2026-11-24T09:00:00.000Z", "command": "npc", "provider": "anthropic",
        "model": "claude-sonnet-5-5", "kind": "background", "template": "background", "template_version": "2",
        "request": {"system": "You write NPCs.", "messages": [{"role": "user", "content": "a wizard"}]},
        "response": '{"early_life": "Born under a comet."}', "input_tokens": 10_000, "output_tokens": 1_000,
        "cached_tokens": 2_000, "cost_usd": 0.0396, "price_date": "2026-11-25", "latency_ms": 2345, "attempts": 1,
        "error": None}


def test_list_filters(ids):
    assert [c["id"] for c in json.loads(ok("list", "--errors", "--json").stdout)] == [ids[1]]
    assert [c["id"] for c in json.loads(ok("list", "--command", "npc", "--json").stdout)] == [ids[2], ids[0]]
    assert [c["id"] for c in json.loads(ok("list", "--provider", "anthropic", "--json").stdout)] == [ids[0]]
    assert [c["id"] for c in json.loads(ok("list", "-n", "1", "--json").stdout)] == [ids[2]]
    assert run("list", "--limit", "0").exit_code == ExitCode.USAGE


def test_list_piped_is_tsv(ids):
    header, *rows = tsv(ok("list").stdout)
    assert header == list(history.LIST_HEADERS)
    assert rows[2] == [ids[0], "2026-11-24 09:00:00", "npc", "anthropic", "claude-sonnet-5-5", "background",
                       "10000", "1000", "~$0.0396", "2345", "1", ""]
    assert rows[1][8:] == ["-", "60000", "6", "rate limited (429) after 6 attempts"]  # one line, even for TSV
    assert rows[0][8] == "-"


def test_show_prefix_json(ids):
    shown = json.loads(ok("show", "01jaa", "--json").stdout)
    assert shown == json.loads(ok("list", "--provider", "anthropic", "--json").stdout)[0]


def test_show_text_has_fields_request_and_response(ids):
    out = ok("show", ids[0]).stdout
    fields = dict(tsv(out.split("\n\nrequest:\n")[0]))
    assert fields["field"] == "value"
    assert (fields["id"], fields["model"], fields["cost_usd"], fields["error"]) == (
        ids[0], "claude-sonnet-5-5", "~$0.0396", "-")
    request = out.split("\nrequest:\n")[1].split("\n\nresponse:\n")[0]
    assert json.loads(request)["messages"][0]["content"] == "a wizard"
    assert out.endswith('\nresponse:\n{"early_life": "Born under a comet."}\n')


@pytest.mark.parametrize(("wanted", "message"), [("01JB", "matches several"), ("nope", "no generation with id")])
def test_show_unknown_or_ambiguous_is_a_usage_error(ids, wanted, message):
    result = run("show", wanted)
    assert result.exit_code == ExitCode.USAGE
    assert result.stdout == ""
    assert message in result.stderr and "hint:" in result.stderr


def test_usage_json_groups_by_day_provider_model_command(ids):
    rows = json.loads(ok("usage", "--json").stdout)
    assert [(r["day"], r["provider"], r["calls"], r["cost_usd"], r["errors"]) for r in rows] == [
        ("2026-11-24", "anthropic", 1, 0.0396, 0), ("2026-11-25", "offline", 1, None, 0),
        ("2026-11-25", "openai", 1, None, 1)]
    assert set(rows[0]) == {"day", "provider", "model", "command", "calls", "input_tokens", "output_tokens",
                            "cached_tokens", "cost_usd", "price_date", "errors"}
    assert [r["day"] for r in json.loads(ok("usage", "--since", "2026-11-25", "--json").stdout)] == [
        "2026-11-25", "2026-11-25"]


def test_usage_text_labels_cost_as_estimate_and_names_the_price_date(ids):
    result = ok("usage")
    header, first, *_ = tsv(result.stdout)
    assert "est. cost (USD)" in header
    assert first == ["2026-11-24", "anthropic", "claude-sonnet-5-5", "npc", "1", "10000", "1000", "2000", "0.0396",
                     "0"]
    assert "costs are estimates from the price table of 2026-11-25" in result.stderr


def test_usage_bad_since_is_a_usage_error():
    result = run("usage", "--since", "last-week")
    assert result.exit_code == ExitCode.USAGE and "YYYY-MM-DD" in result.stderr


def test_empty_log():
    assert json.loads(ok("list", "--json").stdout) == []
    assert json.loads(ok("usage", "--json").stdout) == []
    assert tsv(ok("list").stdout) == [list(history.LIST_HEADERS)]
    assert tsv(ok("usage").stdout) == [list(history.USAGE_HEADERS)]


def test_every_command_has_help():
    for command in ("list", "show", "usage"):
        result = ok(command, "--help")
        assert "--json" in result.stdout
