"""The one place that opens SQLite, and the schema migrations.

Promise: a connection from `connect()` waits for other writers (busy timeout) instead of failing, readers never
block the writer (WAL), and `write()` takes the write lock up front (`BEGIN IMMEDIATE`), so a transaction never
fails halfway because another process started writing. `migrate()` is safe to run from many processes at once:
each migration and its record in `_migrations` commit together, after a re-check inside the lock.
"""

from __future__ import annotations

import logging
import os
import secrets
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from charforge.errors import ConfigError

log = logging.getLogger(__name__)

Migration = Callable[[sqlite3.Connection], None]
MIGRATIONS: list[Migration] = []  # applied in this order; never edit or rename a shipped one, add the next

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_WAL_TRIES = 100  # x ~50 ms: changing the journal mode can report "locked" without waiting on busy_timeout


def utcnow_iso() -> str:
    """Now, as stored everywhere: `2026-11-25T10:00:00.000Z`. One format, so text order is time order."""
    return iso_utc(datetime.now(UTC))


def iso_utc(moment: datetime) -> str:
    """`moment` in UTC in the stored format; a naive datetime is taken to be UTC already."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def new_id(*, now_ms: int | None = None) -> str:
    """A ULID: 26 Crockford base32 characters, a 48-bit millisecond timestamp then 80 random bits.

    Ids sort by creation time (`ORDER BY id`), so no second time column or counter is needed; ids made in the
    same millisecond sort randomly among themselves.

    Args:
        now_ms: milliseconds since the epoch (default: the clock); tests pass it instead of sleeping.
    """
    ms = time.time_ns() // 1_000_000 if now_ms is None else now_ms
    value = (ms & (2**48 - 1)) << 80 | secrets.randbits(80)
    return "".join(_CROCKFORD[(value >> shift) & 31] for shift in range(125, -1, -5))


def connect(path: Path) -> sqlite3.Connection:
    """Open (creating if needed) the database at `path` with charforge's pragmas.

    Raises:
        OSError: the parent folder cannot be created.
        sqlite3.Error: the file cannot be opened or is not a database (`open_db` turns both into ConfigError).
        ConfigError: another program's database, or one from a newer charforge (`_check_ours`).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    new = not path.exists()
    conn = sqlite3.connect(path, isolation_level=None)  # autocommit: write() issues BEGIN IMMEDIATE itself
    try:
        if new:  # the owner's alone (prompts, replies); chmod, not open+close: closing any fd drops SQLite's locks
            os.chmod(path, 0o600)  # still empty; the -wal and -shm files SQLite makes take this mode
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA busy_timeout = 5000")  # first: wait for a writer instead of failing
        _check_ours(conn, path)  # before WAL, which would change the file
        _enable_wal(conn)  # readers never block the writer
        conn.execute("PRAGMA synchronous = NORMAL")  # safe under WAL, far fewer fsyncs
        conn.execute("PRAGMA foreign_keys = ON")  # off by default, per connection
    except BaseException:
        conn.close()
        raise
    return conn


def _check_ours(conn: sqlite3.Connection, path: Path) -> None:
    """Refuse, changing nothing, another program's database and one from a newer charforge.

    Raises:
        ConfigError: tables but no `_migrations` (not ours), or a migration this charforge does not know.
    """
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if tables and "_migrations" not in tables:
        raise ConfigError(f"{path} is not a charforge database (it has other tables: {', '.join(sorted(tables)[:3])})",
                          hint="move it aside, or set CHARFORGE_HOME to another folder; charforge left it as it is")
    newer = sorted(_applied(conn) - {fn.__name__ for fn in MIGRATIONS})
    if newer:
        raise ConfigError(f"{path} was written by a newer charforge (it has migration {newer[-1]})",
                          hint="upgrade charforge (pip install -U charforge), or set CHARFORGE_HOME to use "
                               "another database")


def _enable_wal(conn: sqlite3.Connection) -> None:
    """Switch to WAL, retrying: on a fresh file, processes starting together race for the exclusive lock."""
    for attempt in range(_WAL_TRIES):
        try:
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        except sqlite3.OperationalError as exc:
            contended = "locked" in str(exc) or "busy" in str(exc)
            if not contended or attempt == _WAL_TRIES - 1:
                raise
            time.sleep(0.02 + secrets.randbelow(60) / 1000)  # jitter, so the racers do not collide again
            continue
        if mode != "wal":
            log.debug("journal mode is %s, not wal", mode)
        return


@contextmanager
def write(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction: `BEGIN IMMEDIATE` takes the write lock now, then `COMMIT`, or `ROLLBACK` and re-raise.

    Not reentrant: SQLite has no nested BEGIN, so do not call it inside another `write()`.

    Example:
        with write(conn):
            conn.execute("INSERT INTO generations ...")
    """
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:  # SQLite may already have rolled back (disk full, I/O error)
            conn.execute("ROLLBACK")
        raise


def migration(fn: Migration) -> Migration:
    """Register `fn` as the next migration; its name is its identity in `_migrations`."""
    MIGRATIONS.append(fn)
    return fn


def _applied(conn: sqlite3.Connection) -> set[str]:
    if not conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_migrations'").fetchone():
        return set()
    return {row[0] for row in conn.execute("SELECT name FROM _migrations")}


def migrate(conn: sqlite3.Connection) -> None:
    """Apply every pending migration, each in its own transaction with its record; a no-op when up to date."""
    applied = _applied(conn)  # read without the lock: the common case (nothing to do) never blocks a writer
    for fn in MIGRATIONS:
        if fn.__name__ in applied:
            continue
        with write(conn):
            conn.execute("CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
            if conn.execute("SELECT 1 FROM _migrations WHERE name = ?", (fn.__name__,)).fetchone():
                continue  # another process got here first
            fn(conn)
            conn.execute("INSERT INTO _migrations (name, applied_at) VALUES (?, ?)", (fn.__name__, utcnow_iso()))
        log.debug("applied migration %s", fn.__name__)


def default_path() -> Path:
    """`charforge.db` in the data dir, computed per call so CHARFORGE_HOME is always honoured."""
    from charforge.config import data_dir

    return data_dir() / "charforge.db"


def open_db(path: Path | None = None) -> sqlite3.Connection:
    """Connect and migrate: the way every command gets the database.

    Raises:
        ConfigError: the file cannot be created or opened, or is not a SQLite database.
    """
    path = path or default_path()
    try:
        conn = connect(path)
    except OSError as exc:
        raise ConfigError(f"cannot create the charforge database at {path}: {exc.strerror or exc}",
                          hint="set CHARFORGE_HOME to a folder you can write to, or pass --no-log") from None
    except sqlite3.Error as exc:
        raise _open_error(path, exc) from None
    try:
        migrate(conn)
    except sqlite3.Error as exc:
        conn.close()
        raise _open_error(path, exc) from None
    return conn


def _open_error(path: Path, exc: sqlite3.Error) -> ConfigError:
    text = str(exc)
    if "not a database" in text or "malformed" in text:
        hint = f"move {path} aside; charforge will create a new one"
    elif "locked" in text or "busy" in text:
        hint = "another charforge process is holding the database; try again"
    else:
        hint = "check that the folder is writable, or set CHARFORGE_HOME to a folder you can write to"
    return ConfigError(f"cannot open the charforge database {path}: {text}", hint=hint)


# Migrations live here, in one ordered list, so their order never depends on which modules were imported.


@migration
def m001_generations(conn: sqlite3.Connection) -> None:
    """The generation log: one row per provider call (store/generations.py)."""
    conn.execute("""
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
)""")
    conn.execute("CREATE INDEX idx_generations_time ON generations (time)")
    conn.execute("CREATE INDEX idx_generations_provider_model ON generations (provider, model)")


@migration
def m002_setting_names(conn: sqlite3.Connection) -> None:
    """Names used in each setting, so a town's 200th NPC does not share a name with its 3rd (store/names.py)."""
    conn.execute("""
CREATE TABLE setting_names (
    setting TEXT NOT NULL,
    name TEXT NOT NULL,
    created TEXT NOT NULL,
    PRIMARY KEY (setting, name)
)""")


@migration
def m003_jobs(conn: sqlite3.Connection) -> None:
    """The durable job queue (store/queue.py): a batch the user asked for, and one row per job to run.

    Times are ISO text like every other table; `errors`, `payload`, `result` and `usage` are JSON text. The
    partial indexes hold only the rows their query can want: pending jobs for `claim`, running ones for `reap`.
    """
    conn.execute("""
CREATE TABLE batches (
    id TEXT PRIMARY KEY,
    key TEXT UNIQUE,
    created_at TEXT NOT NULL,
    spec TEXT NOT NULL DEFAULT '{}',
    options TEXT NOT NULL DEFAULT '{}',
    total INTEGER NOT NULL DEFAULT 0
)""")
    conn.execute("""
CREATE TABLE jobs (
    id TEXT PRIMARY KEY,
    batch_id TEXT REFERENCES batches (id),
    kind TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'queued'
        CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'dead', 'cancelled', 'submitted')),
    payload TEXT NOT NULL,
    idempotency_key TEXT UNIQUE,
    priority INTEGER NOT NULL DEFAULT 0,
    attempts INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL DEFAULT 5,
    run_at TEXT NOT NULL,
    lease_owner TEXT,
    lease_expires_at TEXT,
    heartbeat_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    started_at TEXT,
    finished_at TEXT,
    last_error TEXT,
    errors TEXT NOT NULL DEFAULT '[]',
    result TEXT,
    usage TEXT,
    provider_batch_id TEXT,
    depends_on TEXT REFERENCES jobs (id) ON DELETE SET NULL
)""")
    conn.execute("CREATE INDEX idx_jobs_due ON jobs (priority, run_at, id) WHERE state IN ('queued', 'failed')")
    conn.execute("CREATE INDEX idx_jobs_lease ON jobs (lease_expires_at) WHERE state = 'running'")
    conn.execute("CREATE INDEX idx_jobs_batch_state ON jobs (batch_id, state)")
    conn.execute("CREATE INDEX idx_jobs_depends_on ON jobs (depends_on)")
    conn.execute("CREATE INDEX idx_jobs_provider_batch ON jobs (provider_batch_id) WHERE provider_batch_id IS NOT NULL")


@migration
def m004_rate_limits(conn: sqlite3.Connection) -> None:
    """Rate-limit buckets every process on this database shares (store/limits.py), one row per provider and model.

    `rpm` and `tpm` are limits learned from a provider's headers (NULL: none learned); `requests` and `tokens` are
    the buckets' levels at `updated_at` (NULL: no limit to track; `tokens` may be negative, a debt). Times are
    wall-clock epoch seconds (`time.time()`), not ISO text: every reservation does arithmetic on them, and a
    monotonic clock means nothing to another process.
    """
    conn.execute("""
CREATE TABLE rate_limits (
    provider TEXT NOT NULL,
    model TEXT NOT NULL,
    rpm REAL,
    tpm REAL,
    requests REAL,
    tokens REAL,
    updated_at REAL NOT NULL,
    paused_until REAL NOT NULL DEFAULT 0,
    PRIMARY KEY (provider, model)
)""")


@migration
def m005_structured_modes(conn: sqlite3.Connection) -> None:
    """The structured-output mode that worked for each server (store/modes.py), so `auto` does not pay a rejected
    request again on the next run. `base_url` is stored without a trailing slash; `mode` is one of the registry's
    STRUCTURED_MODES (unchecked here: a later charforge may add modes, and a mode it does not know is ignored)."""
    conn.execute("""
CREATE TABLE structured_modes (
    provider TEXT NOT NULL,
    base_url TEXT NOT NULL,
    mode TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (provider, base_url)
)""")


@migration
def m006_setting_name_owners(conn: sqlite3.Connection) -> None:
    """Who took each name (a hash of the spec that made it), so a job run again after a crash keeps its name
    instead of being renamed as if someone else had it (store/names.py)."""
    conn.execute("ALTER TABLE setting_names ADD COLUMN owner TEXT")
