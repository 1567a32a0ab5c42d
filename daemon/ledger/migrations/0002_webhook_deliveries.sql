-- 0002: webhook deliveries seen, so a platform's retries of one delivery trigger one look.
CREATE TABLE webhook_deliveries (
    platform    TEXT NOT NULL,
    shop_id     TEXT NOT NULL,
    delivery_id TEXT NOT NULL,
    topic       TEXT NOT NULL,
    received_at TEXT NOT NULL,
    PRIMARY KEY (platform, shop_id, delivery_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX webhook_deliveries_by_time ON webhook_deliveries (received_at);
