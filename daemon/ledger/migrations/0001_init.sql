-- 0001: the ledger's first schema.
-- Times are ISO-8601 UTC text with microseconds (they sort as they read).
-- Money is decimal text; never a float.

CREATE TABLE shops (
    id              TEXT PRIMARY KEY,            -- the shop's name in the config file
    store_kind      TEXT NOT NULL,
    store_currency  TEXT,
    tiktok_shop_id  TEXT,
    tiktok_cipher   TEXT,
    tiktok_currency TEXT,
    halted_reason   TEXT,                        -- set when the shop must not sync (currency, auth)
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
) STRICT;

CREATE TABLE tiktok_tokens (
    shop_id            TEXT PRIMARY KEY REFERENCES shops(id) ON DELETE CASCADE,
    access_token       TEXT NOT NULL,
    access_expires_at  INTEGER NOT NULL,         -- unix seconds, as TikTok gives them
    refresh_token      TEXT NOT NULL,
    refresh_expires_at INTEGER NOT NULL,
    open_id            TEXT,
    seller_name        TEXT,
    scopes             TEXT NOT NULL DEFAULT '', -- space-separated
    updated_at         TEXT NOT NULL
) STRICT;

CREATE TABLE products (
    shop_id           TEXT NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
    store_product_id  TEXT NOT NULL,
    tiktok_product_id TEXT,
    title             TEXT NOT NULL DEFAULT '',
    category_id       TEXT,
    status            TEXT NOT NULL,
    reason            TEXT,                       -- "field: why", or TikTok's audit reasons verbatim
    content_hash      TEXT,                       -- hash of the content last published
    store_updated_at  TEXT,
    updated_at        TEXT NOT NULL,
    PRIMARY KEY (shop_id, store_product_id)
) STRICT;
CREATE UNIQUE INDEX products_by_tiktok_id ON products (shop_id, tiktok_product_id)
    WHERE tiktok_product_id IS NOT NULL;
CREATE INDEX products_by_status ON products (shop_id, status);

CREATE TABLE skus (
    shop_id          TEXT NOT NULL,
    store_variant_id TEXT NOT NULL,
    store_product_id TEXT NOT NULL,
    seller_sku       TEXT,
    tiktok_sku_id    TEXT,
    status           TEXT NOT NULL,
    reason           TEXT,
    updated_at       TEXT NOT NULL,
    PRIMARY KEY (shop_id, store_variant_id),
    FOREIGN KEY (shop_id, store_product_id)
        REFERENCES products (shop_id, store_product_id) ON DELETE CASCADE
) STRICT;
CREATE INDEX skus_by_product ON skus (shop_id, store_product_id);
CREATE INDEX skus_by_tiktok_id ON skus (shop_id, tiktok_sku_id);
CREATE INDEX skus_by_seller_sku ON skus (shop_id, seller_sku);

CREATE TABLE pushed_inventory (
    shop_id          TEXT NOT NULL,
    store_variant_id TEXT NOT NULL,
    warehouse_id     TEXT NOT NULL,
    quantity         INTEGER NOT NULL CHECK (quantity >= 0),
    pushed_at        TEXT NOT NULL,
    PRIMARY KEY (shop_id, store_variant_id, warehouse_id),
    FOREIGN KEY (shop_id, store_variant_id)
        REFERENCES skus (shop_id, store_variant_id) ON DELETE CASCADE
) STRICT;

CREATE TABLE pushed_prices (
    shop_id          TEXT NOT NULL,
    store_variant_id TEXT NOT NULL,
    amount           TEXT NOT NULL,
    currency         TEXT NOT NULL,
    pushed_at        TEXT NOT NULL,
    PRIMARY KEY (shop_id, store_variant_id),
    FOREIGN KEY (shop_id, store_variant_id)
        REFERENCES skus (shop_id, store_variant_id) ON DELETE CASCADE
) STRICT;

CREATE TABLE orders (
    tiktok_order_id TEXT PRIMARY KEY,             -- unique: an order imports once
    shop_id         TEXT NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
    store_order_id  TEXT,
    phase           TEXT NOT NULL,
    tiktok_status   TEXT NOT NULL,
    reason          TEXT,
    tiktok_update_time INTEGER NOT NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX orders_by_store_id ON orders (shop_id, store_order_id)
    WHERE store_order_id IS NOT NULL;
CREATE INDEX orders_by_phase ON orders (shop_id, phase);

CREATE TABLE fulfillments (
    id                    INTEGER PRIMARY KEY,
    shop_id               TEXT NOT NULL,
    tiktok_order_id       TEXT NOT NULL REFERENCES orders(tiktok_order_id) ON DELETE CASCADE,
    store_fulfillment_id  TEXT NOT NULL,
    carrier               TEXT NOT NULL,          -- as the store gave it
    shipping_provider     TEXT,                   -- the TikTok provider it mapped to
    shipping_provider_id  TEXT,
    carrier_fallback      INTEGER NOT NULL DEFAULT 0 CHECK (carrier_fallback IN (0, 1)),
    tracking_number       TEXT NOT NULL,
    tiktok_package_id     TEXT,
    status                TEXT NOT NULL,
    reason                TEXT,
    created_at            TEXT NOT NULL,
    updated_at            TEXT NOT NULL,
    UNIQUE (shop_id, store_fulfillment_id)
) STRICT;

CREATE TABLE cancellations (
    id               INTEGER PRIMARY KEY,
    shop_id          TEXT NOT NULL,
    tiktok_order_id  TEXT NOT NULL,
    origin           TEXT NOT NULL CHECK (origin IN ('tiktok', 'store')),
    tiktok_cancel_id TEXT,
    reason           TEXT,
    status           TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    UNIQUE (shop_id, tiktok_order_id, origin)
) STRICT;

CREATE TABLE cursors (
    shop_id    TEXT NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    value      TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (shop_id, name)
) STRICT;

CREATE TABLE job_runs (
    id          INTEGER PRIMARY KEY,
    run_id      TEXT NOT NULL UNIQUE,
    shop_id     TEXT NOT NULL,                    -- '*' for daemon-wide jobs
    job         TEXT NOT NULL,
    started_at  TEXT NOT NULL,
    finished_at TEXT,
    outcome     TEXT NOT NULL,
    error       TEXT,
    counts      TEXT NOT NULL DEFAULT '{}'        -- JSON object of counters
) STRICT;
CREATE INDEX job_runs_by_job ON job_runs (shop_id, job, started_at);
CREATE INDEX job_runs_by_outcome ON job_runs (outcome);

CREATE TABLE job_results (
    run_id      TEXT NOT NULL REFERENCES job_runs(run_id) ON DELETE CASCADE,
    entity_kind TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    outcome     TEXT NOT NULL,
    field       TEXT,
    reason      TEXT
) STRICT;
CREATE INDEX job_results_by_run ON job_results (run_id);
CREATE INDEX job_results_by_entity ON job_results (entity_kind, entity_id);

CREATE TABLE retry_queue (
    id              INTEGER PRIMARY KEY,
    shop_id         TEXT NOT NULL,
    job             TEXT NOT NULL,
    entity_kind     TEXT NOT NULL,
    entity_id       TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    last_error      TEXT NOT NULL,
    parked          INTEGER NOT NULL DEFAULT 0 CHECK (parked IN (0, 1)),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    UNIQUE (shop_id, job, entity_kind, entity_id)
) STRICT;
CREATE INDEX retry_queue_due ON retry_queue (shop_id, job, parked, next_attempt_at);
