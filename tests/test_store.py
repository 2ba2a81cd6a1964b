"""The SQLite store, the generation log and the price table."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from charforge import prices
from charforge.errors import ConfigError, ExitCode, UsageError
from charforge.store import db
from charforge.store.generations import CallRecord, GenerationLog
from test_limits import LIMITS_SCHEMA
from test_local_servers import MODES_SCHEMA
from test_queue import QUEUE_SCHEMA

EXPECTED_SCHEMA = {
    "_migrations": "CREATE TABLE _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)",
    "generations": textwrap.dedent("""\
        CREATE TABLE generations (
            id TEXT PRIMARY KEY,
            time TEXT NOT NULL,
            command TEXT NOT NULL,
            provider TEXT NOT NULL,
            model TEXT NOT NULL,
            kind TEXT NOT NULL,
            template TEXT,
            template_version TEXT,
            request TEXT NOT NULL,
            response TEXT,
            input_tokens INTEGER NOT NULL DEFAULT 0,
            output_tokens INTEGER NOT NULL DEFAULT 0,
            cached_tokens INTEGER NOT NULL DEFAULT 0,
            cost_usd REAL,
            price_date TEXT,
            latency_ms INTEGER NOT NULL DEFAULT 0,
            attempts INTEGER NOT NULL DEFAULT 1,
            error TEXT
        )"""),
    "idx_generations_time": "CREATE INDEX idx_generations_time ON generations (time)",
    "idx_generations_provider_model": "CREATE INDEX idx_generations_provider_model ON generations (provider, model)",
    "setting_names": textwrap.dedent("""\
        CREATE TABLE setting_names (
            setting TEXT NOT NULL,
            name TEXT NOT NULL,
            created TEXT NOT NULL, owner TEXT,
            PRIMARY KEY (setting, name)
        )"""),  # m006 added `owner`: SQLite writes an added column into the CREATE text this way
    **QUEUE_SCHEMA,
    **LIMITS_SCHEMA,
    **MODES_SCHEMA,
}
MIGRATIONS = ["m001_generations", "m002_setting_names", "m003_jobs", "m004_rate_limits", "m005_structured_modes",
              "m006_setting_name_owners"]


def schema(conn: sqlite3.Connection) -> dict[str, str]:
    rows = conn.execute("SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL")  # autoindexes have no SQL
    return {row["name"]: row["sql"] for row in rows}


def call(**fields) -> CallRecord:
    base = {"command": "npc", "provider": "mock", "model": "charforge-mock-1", "kind": "background",
            "request": {"kind": "background", "seed": 1}, "response": '{"early_life": "..."}'}
    return CallRecord(**{**base, **fields})


@pytest.fixture
def log():
    with GenerationLog() as log:
        yield log


# --- database, migrations ---------------------------------------------------------------------------------------


def test_blank_database_gets_the_full_schema(charforge_home):
    conn = db.open_db()
    assert (charforge_home / "data" / "charforge.db").is_file()
    assert schema(conn) == EXPECTED_SCHEMA
    assert [row["name"] for row in conn.execute("SELECT name FROM _migrations ORDER BY name")] == MIGRATIONS


def test_migrate_twice_is_a_no_op():
    conn = db.open_db()
    before = (schema(conn), conn.execute("SELECT * FROM _migrations").fetchall())
    db.migrate(conn)
    db.migrate(db.open_db())
    assert (schema(conn), conn.execute("SELECT * FROM _migrations").fetchall()) == before


def test_pragmas_wal_and_friends(tmp_path):
    conn = db.connect(tmp_path / "x" / "t.db")
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == 5000
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.isolation_level is None and conn.row_factory is sqlite3.Row


def test_a_failing_migration_rolls_back_and_stays_pending(monkeypatch):
    def m999_broken(conn):
        conn.execute("CREATE TABLE half_done (x)")
        raise RuntimeError("boom")

    monkeypatch.setattr(db, "MIGRATIONS", [*db.MIGRATIONS, m999_broken])
    conn = db.connect(db.default_path())
    with pytest.raises(RuntimeError):
        db.migrate(conn)
    assert "half_done" not in schema(conn)
    assert {row["name"] for row in conn.execute("SELECT name FROM _migrations")} == set(MIGRATIONS)
    assert not conn.in_transaction


WORKER = """
import sys, time
from pathlib import Path
from charforge.store.generations import CallRecord, GenerationLog
here = Path(sys.argv[1])
(here / f"ready-{sys.argv[2]}").touch()
while not (here / "go").exists():
    time.sleep(0.001)
with GenerationLog(here / "shared.db") as log:
    for i in range(5):
        log.record(CallRecord(command="batch", provider="mock", model="m", kind="spells", request={"i": i}))
"""


def test_processes_starting_together_all_migrate_and_write(tmp_path):
    n = 6
    procs = [subprocess.Popen([sys.executable, "-c", WORKER, str(tmp_path), str(i)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for i in range(n)]
    deadline = time.monotonic() + 60
    while len(list(tmp_path.glob("ready-*"))) < n and time.monotonic() < deadline:
        time.sleep(0.01)  # waiting for the children to import, not standing in for a clock
    (tmp_path / "go").touch()
    for proc in procs:
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
    conn = db.connect(tmp_path / "shared.db")
    assert [tuple(r) for r in conn.execute("SELECT name, count(*) FROM _migrations GROUP BY name")] == [
        (name, 1) for name in MIGRATIONS]
    assert conn.execute("SELECT count(*) FROM generations").fetchone()[0] == n * 5
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_open_db_where_no_folder_can_be_made_is_a_config_error(tmp_path, monkeypatch):
    (tmp_path / "plain-file").write_text("not a folder")
    monkeypatch.setenv("CHARFORGE_HOME", str(tmp_path / "plain-file" / "home"))
    with pytest.raises(ConfigError) as caught:
        db.open_db()
    assert caught.value.exit_code == ExitCode.CONFIG
    assert "cannot create the charforge database" in str(caught.value) and "\n" not in str(caught.value)
    assert "CHARFORGE_HOME" in caught.value.hint


def test_open_db_on_a_file_that_is_not_a_database(tmp_path):
    path = tmp_path / "junk.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(ConfigError) as caught:
        db.open_db(path)
    assert "not a database" in str(caught.value)
    assert f"move {path} aside" in caught.value.hint


def test_ids_are_ulids_that_sort_by_time():
    ids = [db.new_id(now_ms=ms) for ms in (1_700_000_000_000, 1_700_000_000_001, 1_800_000_000_000)]
    assert ids == sorted(ids)
    assert all(len(i) == 26 and set(i) <= set("0123456789ABCDEFGHJKMNPQRSTVWXYZ") for i in ids)
    assert db.new_id(now_ms=0).startswith("0000000000")  # the first 10 characters are the timestamp
    assert db.new_id(now_ms=2**48 - 1).startswith("7ZZZZZZZZZ")
    assert len({db.new_id(now_ms=5) for _ in range(1000)}) == 1000  # 80 random bits in the same millisecond
    assert db.new_id() > db.new_id(now_ms=1_600_000_000_000)  # the real clock is past September 2020


def test_utcnow_iso_is_utc_with_z():
    stamp = db.utcnow_iso()
    assert stamp.endswith("Z") and stamp[10] == "T" and len(stamp) == len("2026-11-25T10:00:00.000Z")


# --- generation log ---------------------------------------------------------------------------------------------


def test_record_then_get_round_trips(log):
    new = call(template="background", template_version="3", input_tokens=1200, output_tokens=300, cached_tokens=200,
               cost_usd=0.0081, price_date="2026-11-25", latency_ms=812, attempts=2,
               request={"kind": "background", "messages": [{"role": "user", "content": "Elf wizard ü"}]})
    new_id = log.record(new)
    assert len(new_id) == 26 and new.id is None  # the caller's record is left alone
    assert log.get(new_id) == new.model_copy(update={"id": new_id})
    stored = log.conn.execute("SELECT request FROM generations").fetchone()[0]
    assert stored == '{"kind": "background", "messages": [{"role": "user", "content": "Elf wizard ü"}]}'


def test_time_is_stored_in_utc():
    assert call(time="2026-11-25T23:30:00+02:00").time == "2026-11-25T21:30:00.000Z"
    assert call(time="2026-11-25T10:00:00").time == "2026-11-25T10:00:00.000Z"
    with pytest.raises(ValueError, match="ISO-8601"):
        call(time="yesterday")
    with pytest.raises(ValueError, match="extra"):
        call(tokens=5)


def test_get_by_unique_prefix_lowercase_too(log):
    first = log.record(call(id="01AAAAAAAAAAAAAAAAAAAAAAAA"))
    log.record(call(id="01BBBBBBBBBBBBBBBBBBBBBBB1"))
    log.record(call(id="01BBBBBBBBBBBBBBBBBBBBBBB2"))
    assert log.get("01A").id == first
    assert log.get("01aa").id == first
    assert log.get("01BBBBBBBBBBBBBBBBBBBBBBB2").id == "01BBBBBBBBBBBBBBBBBBBBBBB2"


def test_get_ambiguous_prefix_names_the_candidates(log):
    log.record(call(id="01BBBBBBBBBBBBBBBBBBBBBBB1"))
    log.record(call(id="01BBBBBBBBBBBBBBBBBBBBBBB2"))
    with pytest.raises(UsageError, match="matches several") as caught:
        log.get("01B")
    assert "01BBBBBBBBBBBBBBBBBBBBBBB1" in str(caught.value) and caught.value.hint
    assert caught.value.exit_code == ExitCode.USAGE


@pytest.mark.parametrize("wanted", ["ZZZ", "%", "_", "  "])
def test_get_not_found(log, wanted):
    log.record(call())
    with pytest.raises(UsageError) as caught:
        log.get(wanted)
    assert "history list" in caught.value.hint


def test_rows_where_filters_and_orders_newest_first(log):
    log.record(call(time="2026-11-20T10:00:00Z", provider="anthropic", model="claude-sonnet-5-5"))
    log.record(call(time="2026-11-22T10:00:00Z", provider="openai", model="gpt-5.5", error="429 rate limited"))
    log.record(call(time="2026-11-21T10:00:00Z", provider="anthropic", command="batch", error="timeout"))
    log.record(call(time="2026-11-23T10:00:00Z", provider="offline", model="charforge-offline-1"))
    days = lambda rows: [r.time[:10] for r in rows]  # noqa: E731
    assert days(log.rows_where()) == ["2026-11-23", "2026-11-22", "2026-11-21", "2026-11-20"]
    assert days(log.rows_where(limit=2)) == ["2026-11-23", "2026-11-22"]
    assert days(log.rows_where(limit=0)) == days(log.rows_where())
    assert days(log.rows_where(provider="anthropic")) == ["2026-11-21", "2026-11-20"]
    assert days(log.rows_where(command="batch")) == ["2026-11-21"]
    assert days(log.rows_where(errors_only=True)) == ["2026-11-22", "2026-11-21"]
    assert days(log.rows_where(provider="anthropic", errors_only=True)) == ["2026-11-21"]
    assert log.rows_where(provider="nobody") == []


def test_usage_sums_per_day_provider_model_command(log):
    log.record(call(time="2026-11-24T23:59:00Z", provider="anthropic", model="claude-sonnet-5-5", input_tokens=100,
                    output_tokens=10, cost_usd=0.1, price_date="2026-11-01"))
    log.record(call(time="2026-11-25T01:00:00Z", provider="anthropic", model="claude-sonnet-5-5", input_tokens=1000,
                    output_tokens=200, cached_tokens=50, cost_usd=0.2, price_date="2026-11-01"))
    log.record(call(time="2026-11-25T02:00:00Z", provider="anthropic", model="claude-sonnet-5-5", input_tokens=500,
                    output_tokens=0, cost_usd=0.1, price_date="2026-11-25", error="timeout", attempts=3))
    log.record(call(time="2026-11-25T03:00:00Z", provider="openai-compatible", model="llama3.1", input_tokens=7))
    rows = [r.model_dump() for r in log.usage()]
    assert rows == [
        {"day": "2026-11-24", "provider": "anthropic", "model": "claude-sonnet-5-5", "command": "npc", "calls": 1,
         "input_tokens": 100, "output_tokens": 10, "cached_tokens": 0, "cost_usd": 0.1,
         "price_date": "2026-11-01", "errors": 0},
        {"day": "2026-11-25", "provider": "anthropic", "model": "claude-sonnet-5-5", "command": "npc", "calls": 2,
         "input_tokens": 1500, "output_tokens": 200, "cached_tokens": 50, "cost_usd": 0.3,  # not 0.30000000000000004
         "price_date": "2026-11-25", "errors": 1},
        {"day": "2026-11-25", "provider": "openai-compatible", "model": "llama3.1", "command": "npc", "calls": 1,
         "input_tokens": 7, "output_tokens": 0, "cached_tokens": 0, "cost_usd": None, "price_date": None,
         "errors": 0},
    ]
    assert [r.day for r in log.usage(since="2026-11-25")] == ["2026-11-25", "2026-11-25"]
    with pytest.raises(UsageError, match="not a date"):
        log.usage(since="last week")


def test_log_opens_a_path_and_shares_a_connection(tmp_path):
    path = tmp_path / "elsewhere.db"
    with GenerationLog(path) as by_path:
        new = by_path.record(call())
    conn = db.open_db(path)
    GenerationLog(conn).close()  # a borrowed connection stays open
    assert GenerationLog(conn).get(new).id == new


# --- prices -----------------------------------------------------------------------------------------------------


def write_user_prices(text: str) -> Path:
    path = prices.user_prices_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_bundled_price_table():
    table = prices.load_prices()
    assert (table.date, table.currency) == ("2026-11-25", "USD")
    assert "estimate" in table.note.lower()
    assert table.models["claude-sonnet-5-5"] == prices.ModelPrice(input=3, output=15, cached_input=0.30)
    assert table.models["gpt-5.4-nano"] == prices.ModelPrice(input=0.05, output=0.40, cached_input=0.005)
    assert table.models["charforge-offline-1"].input == table.models["charforge-mock-1"].output == 0
    assert {"claude-sonnet-4-6", "claude-haiku-5-5", "claude-haiku-4-5", "claude-opus-5-5", "gpt-5.5",
            "gpt-5.4-mini", "gpt-4.1", "gpt-4.1-mini"} <= set(table.models)


def test_user_prices_override_per_model_and_date():
    write_user_prices("""\
        date: 2026-12-01
        models:
          gpt-5.5: {input: 1.0, output: 8.0}
          my-local-model: {input: 0, output: 0}
    """)
    table = prices.load_prices()
    assert table.date == "2026-12-01"
    assert table.models["gpt-5.5"] == prices.ModelPrice(input=1.0, output=8.0)
    assert table.models["my-local-model"].input == 0
    assert table.models["claude-sonnet-5-5"].input == 3  # untouched models keep the bundled price


def test_user_prices_are_read_again_on_each_call():
    write_user_prices("models: {gpt-4.1: {input: 9, output: 9}}\n")
    assert prices.load_prices().models["gpt-4.1"].input == 9
    assert prices.load_prices().date == "2026-11-25"  # no date in the file: the bundled one stands
    prices.user_prices_file().unlink()
    assert prices.load_prices().models["gpt-4.1"].input == 2


@pytest.mark.parametrize("text", ["models: [1, 2\n", "models: {gpt-5.5: {input: cheap, output: 1}}\n",
                                  "models: {gpt-5.5: {input: 1, output: 1, typo: 2}}\n", "- a list\n",
                                  "currency: EUR\n"])
def test_malformed_user_prices_are_a_config_error_naming_the_file(text):
    path = write_user_prices(text)
    with pytest.raises(ConfigError) as caught:
        prices.load_prices()
    assert str(path) in str(caught.value) and caught.value.hint


def test_estimate_hand_checked():
    table = prices.load_prices()
    # (8,000 x $3 + 2,000 x $0.30 + 1,000 x $15) / 1M = (24,000 + 600 + 15,000) / 1M
    assert prices.estimate(table, "claude-sonnet-5-5", input_tokens=10_000, output_tokens=1_000,
                           cached_tokens=2_000) == 0.0396
    # (1,000,000 x $1.25 + 500,000 x $10) / 1M
    assert prices.estimate(table, "gpt-5.5", input_tokens=1_000_000, output_tokens=500_000) == 6.25
    # (3,000 x $0.25 + 1,000 x $0.025 + 2,000 x $2) / 1M = (750 + 25 + 4,000) / 1M
    assert prices.estimate(table, "gpt-5.4-mini", input_tokens=4_000, output_tokens=2_000,
                           cached_tokens=1_000) == 0.004775
    # (1,200 x $0.05 + 600 x $0.40) / 1M = (60 + 240) / 1M
    assert prices.estimate(table, "gpt-5.4-nano", input_tokens=1_200, output_tokens=600) == 0.0003
    # 7 x $0.05 + 3 x $0.40 = 1.55 micro-dollars: rounded to 6 decimals
    assert prices.estimate(table, "gpt-5.4-nano", input_tokens=7, output_tokens=3) == 0.000002
    assert prices.estimate(table, "charforge-offline-1", input_tokens=5_000, output_tokens=5_000) == 0
    assert prices.estimate(table, "no-such-model", input_tokens=1, output_tokens=1) is None


def test_estimate_cached_tokens_without_a_cached_price_bill_at_input():
    write_user_prices("models: {plain: {input: 2, output: 4}}\n")
    table = prices.load_prices()
    # all 1,000 input tokens at $2 whether cached or not, 100 output at $4: (2,000 + 400) / 1M
    assert prices.estimate(table, "plain", input_tokens=1_000, output_tokens=100, cached_tokens=600) == 0.0024
    # more cached than input (a provider counting them apart) never bills negative tokens
    assert prices.estimate(table, "claude-haiku-4-5", input_tokens=100, output_tokens=0, cached_tokens=500) == 0.00001
