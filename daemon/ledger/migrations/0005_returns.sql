-- 0005: returns and refunds after delivery (DOMAIN.md section 8): recorded and shown, never
-- mirrored into the store. One row per TikTok return, updated as its status moves.
CREATE TABLE returns (
    tiktok_return_id   TEXT PRIMARY KEY,
    shop_id            TEXT NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
    tiktok_order_id    TEXT NOT NULL,              -- may be an order the ledger never imported
    return_type        TEXT NOT NULL,              -- RETURN_AND_REFUND | REFUND | REPLACEMENT
    status             TEXT NOT NULL,              -- TikTok's return status
    role               TEXT,                       -- BUYER, SELLER, SYSTEM
    reason             TEXT,
    refund_amount      TEXT,                       -- decimal text
    refund_currency    TEXT,
    units              INTEGER NOT NULL DEFAULT 0, -- line items (units) returned
    tiktok_create_time INTEGER NOT NULL,
    tiktok_update_time INTEGER NOT NULL,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL
) STRICT;
CREATE INDEX returns_by_order ON returns (tiktok_order_id);
CREATE INDEX returns_by_shop ON returns (shop_id, tiktok_update_time);
