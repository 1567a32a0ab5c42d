-- 0008: records entering a failed or blocked state, noted by triggers so that every code path
-- that moves one is covered and a repeat of the same state is not. The daemon logs each row
-- once (one warning per record and state change) and deletes it.

CREATE TABLE state_changes (
    id         INTEGER PRIMARY KEY,
    shop_id    TEXT NOT NULL,
    entity     TEXT NOT NULL CHECK (entity IN ('product', 'order')),
    entity_id  TEXT NOT NULL,                  -- store product id, or TikTok order id
    state      TEXT NOT NULL,                  -- the status or phase entered
    previous   TEXT,                           -- the one left (NULL for a new record)
    reason     TEXT,
    at         TEXT NOT NULL
) STRICT;

CREATE TRIGGER product_enters_failure AFTER INSERT ON products
WHEN NEW.status IN ('failed_to_sync', 'failed_review')
BEGIN
    INSERT INTO state_changes (shop_id, entity, entity_id, state, previous, reason, at)
    VALUES (NEW.shop_id, 'product', NEW.store_product_id, NEW.status, NULL, NEW.reason,
            NEW.updated_at);
END;

CREATE TRIGGER product_moves_to_failure AFTER UPDATE OF status ON products
WHEN NEW.status IN ('failed_to_sync', 'failed_review') AND NEW.status IS NOT OLD.status
BEGIN
    INSERT INTO state_changes (shop_id, entity, entity_id, state, previous, reason, at)
    VALUES (NEW.shop_id, 'product', NEW.store_product_id, NEW.status, OLD.status, NEW.reason,
            NEW.updated_at);
END;

CREATE TRIGGER order_enters_block AFTER INSERT ON orders
WHEN NEW.phase = 'blocked'
BEGIN
    INSERT INTO state_changes (shop_id, entity, entity_id, state, previous, reason, at)
    VALUES (NEW.shop_id, 'order', NEW.tiktok_order_id, NEW.phase, NULL, NEW.reason,
            NEW.updated_at);
END;

CREATE TRIGGER order_moves_to_block AFTER UPDATE OF phase ON orders
WHEN NEW.phase = 'blocked' AND NEW.phase IS NOT OLD.phase
BEGIN
    INSERT INTO state_changes (shop_id, entity, entity_id, state, previous, reason, at)
    VALUES (NEW.shop_id, 'order', NEW.tiktok_order_id, NEW.phase, OLD.phase, NEW.reason,
            NEW.updated_at);
END;
