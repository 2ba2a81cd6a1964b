"""`charforge history list | show | usage`: what was asked of each provider, what came back, what it cost."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Annotated

import typer

from charforge.cli import render
from charforge.cli.options import JsonOpt

if TYPE_CHECKING:  # the store imports pydantic and sqlite3; `charforge --help` should not pay for them
    from charforge.service.history import CallRecord

app = typer.Typer(no_args_is_help=True)

LIST_HEADERS = ("id", "time (UTC)", "command", "provider", "model", "kind", "tokens in", "tokens out", "cost",
                "latency ms", "attempts", "error")
USAGE_HEADERS = ("day", "provider", "model", "command", "calls", "tokens in", "tokens out", "cached",
                 "est. cost (USD)", "errors")


def _write_json(data: object) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def _cell(text: str | None, width: int = 0) -> str:
    """One table cell: tabs and newlines would break the TSV form, long errors the rich one."""
    flat = " ".join((text or "").split())
    return flat[: width - 1] + "…" if width and len(flat) > width else flat


def _cost(cost: float | None) -> str:
    if cost is None:
        return "-"
    return f"~${cost:.4f}" if cost == 0 or cost >= 0.0001 else f"~${cost:.6f}"


def _time(stamp: str) -> str:
    return stamp[:19].replace("T", " ")


def _list_row(call: CallRecord) -> tuple[str, ...]:
    return (call.id or "", _time(call.time), call.command, call.provider, call.model, call.kind,
            str(call.input_tokens), str(call.output_tokens), _cost(call.cost_usd), str(call.latency_ms),
            str(call.attempts), _cell(call.error, 40))


@app.command("list")
def list_command(
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="Show at most this many calls.")] = 20,
    provider: Annotated[str | None, typer.Option("--provider", help="Only calls to this provider.")] = None,
    command: Annotated[str | None, typer.Option("--command", help="Only calls made by this command, e.g. npc.")] = None,
    errors: Annotated[bool, typer.Option("--errors", help="Only calls that failed.")] = False,
    json_: JsonOpt = False,
) -> None:
    """List recent provider calls, newest first.

    With --json: a list of call objects, each as 'history show --json' prints it.
    """
    from charforge.service import history

    calls = history.recent_calls(limit=limit, provider=provider, command=command, errors_only=errors)
    if json_:
        _write_json([call.model_dump(mode="json") for call in calls])
        return
    render.table([_list_row(call) for call in calls], LIST_HEADERS)


@app.command("show")
def show_command(
    id_: Annotated[str, typer.Argument(metavar="ID", help="A call's id, or the start of one.")],
    json_: JsonOpt = False,
) -> None:
    """Show one provider call in full: what was sent and what came back.

    With --json: one object with id, time, command, provider, model, kind, template, template_version,
    request (object), response (text), input_tokens, output_tokens, cached_tokens, cost_usd, price_date,
    latency_ms, attempts and error.
    """
    from charforge.service import history

    call = history.call(id_)
    if json_:
        _write_json(call.model_dump(mode="json"))
        return
    fields = call.model_dump(exclude={"request", "response"})
    fields["cost_usd"] = _cost(call.cost_usd)
    render.table([(key, _cell("-" if value is None else str(value))) for key, value in fields.items()],
                 ("field", "value"))
    sys.stdout.write(f"\nrequest:\n{json.dumps(call.request, indent=2, ensure_ascii=False)}\n")
    sys.stdout.write(f"\nresponse:\n{call.response if call.response is not None else '-'}\n")


@app.command("usage")
def usage_command(
    since: Annotated[str | None, typer.Option("--since", metavar="YYYY-MM-DD",
                                              help="Only calls on or after this day (UTC).")] = None,
    json_: JsonOpt = False,
) -> None:
    """Sum calls, tokens and estimated cost per day, provider, model and command.

    With --json: a list of objects with day, provider, model, command, calls, input_tokens, output_tokens,
    cached_tokens, cost_usd (null when unknown), price_date and errors.
    """
    from charforge.service import history

    rows, dates = history.usage(since=since)
    if json_:
        _write_json([row.model_dump(mode="json") for row in rows])
        return
    render.table([(r.day, r.provider, r.model, r.command, str(r.calls), str(r.input_tokens), str(r.output_tokens),
                   str(r.cached_tokens), "-" if r.cost_usd is None else f"{r.cost_usd:.4f}", str(r.errors))
                  for r in rows], USAGE_HEADERS)
    render.notice(f"costs are estimates from the price table of {', '.join(dates)}")
