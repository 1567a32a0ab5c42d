-- 0004: what the order jobs need to import exactly once, unblock by themselves, mirror statuses
-- and cancellations, and show refunds.
ALTER TABLE orders ADD COLUMN shipping_type TEXT NOT NULL DEFAULT 'SELLER';  -- SELLER | TIKTOK
ALTER TABLE orders ADD COLUMN tiktok_create_time INTEGER NOT NULL DEFAULT 0;
-- Store creates started (committed before each call): above 0, look in the store first.
ALTER TABLE orders ADD COLUMN create_attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE orders ADD COLUMN creating_since TEXT;        -- when the first create started
ALTER TABLE orders ADD COLUMN create_started_at TEXT;     -- when the latest create started
ALTER TABLE orders ADD COLUMN blocked_kind TEXT;          -- 'unlinked' | 'refused' when BLOCKED
ALTER TABLE orders ADD COLUMN mirrored_status TEXT;       -- TikTok status last shown on the store order
ALTER TABLE orders ADD COLUMN store_cancelled_at TEXT;    -- when we cancelled the store order
CREATE INDEX orders_by_status ON orders (shop_id, tiktok_status);

-- The SKUs (and units) of each order, so a blocked order can be unblocked without asking TikTok.
CREATE TABLE order_skus (
    tiktok_order_id TEXT NOT NULL REFERENCES orders(tiktok_order_id) ON DELETE CASCADE,
    tiktok_sku_id   TEXT NOT NULL,
    seller_sku      TEXT,
    quantity        INTEGER NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (tiktok_order_id, tiktok_sku_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX order_skus_by_sku ON order_skus (tiktok_sku_id);

ALTER TABLE fulfillments ADD COLUMN store_order_id TEXT;
ALTER TABLE fulfillments ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;  -- ship calls started
CREATE INDEX fulfillments_by_status ON fulfillments (shop_id, status);

ALTER TABLE cancellations ADD COLUMN role TEXT;           -- BUYER, SELLER, SYSTEM, STORE
ALTER TABLE cancellations ADD COLUMN refund_amount TEXT;  -- decimal text
ALTER TABLE cancellations ADD COLUMN refund_currency TEXT;
ALTER TABLE cancellations ADD COLUMN units INTEGER NOT NULL DEFAULT 0;   -- units cancelled
ALTER TABLE cancellations ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0; -- cancel calls started
