-- 0007: the state of feed-backed stores (stores whose data arrives as files on a server).
-- Every file met, keyed by path, size and modification time as the server listed them: a file
-- is applied once, a replaced file (another size or time) again; a refused file keeps why.
CREATE TABLE feed_files (
    shop_id  TEXT NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
    path     TEXT NOT NULL,
    size     INTEGER NOT NULL,
    modified TEXT NOT NULL,
    status   TEXT NOT NULL CHECK (status IN ('applied', 'refused')),
    reason   TEXT,
    at       TEXT NOT NULL,
    PRIMARY KEY (shop_id, path, size, modified)
) STRICT, WITHOUT ROWID;
CREATE INDEX feed_files_by_path ON feed_files (shop_id, path, at);

-- What the files said: JSON records of named kinds, each stamped when it changed and, once a
-- feed deleted it, when it was deleted (kept so deletions can be listed since a time).
CREATE TABLE feed_records (
    shop_id    TEXT NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    key        TEXT NOT NULL,
    body       TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT,
    PRIMARY KEY (shop_id, kind, key)
) STRICT, WITHOUT ROWID;
CREATE INDEX feed_records_by_change ON feed_records (shop_id, kind, updated_at);
CREATE INDEX feed_records_by_deletion ON feed_records (shop_id, kind, deleted_at);
