"""Local SQLite storage: one database file (`charforge.db` in the data dir) for the generation log and the queue.

Every connection comes from `db.connect()` (busy timeout, WAL, autocommit) and every write goes through
`db.write()`, so several charforge processes can share the file without "database is locked".
"""
