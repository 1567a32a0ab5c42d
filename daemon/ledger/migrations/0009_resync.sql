-- 0007: the operator's levers. A resync request makes the catalog job re-read and re-decide a
-- product at its next run; the catalog rules' fingerprint lets a start notice a rules change.
CREATE TABLE resync_requests (
    shop_id          TEXT NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
    store_product_id TEXT NOT NULL,
    requested_at     TEXT NOT NULL,
    PRIMARY KEY (shop_id, store_product_id)
) STRICT, WITHOUT ROWID;

ALTER TABLE shops ADD COLUMN catalog_rules TEXT;  -- fingerprint of the catalog rules last applied
