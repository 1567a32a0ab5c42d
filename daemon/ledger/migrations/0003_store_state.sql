-- 0003: what the store last said about each SKU (so inventory and price diffs need no store
-- reads beyond the deltas), and the store's stock per inventory item and location.
ALTER TABLE skus ADD COLUMN inventory_item_id TEXT;
ALTER TABLE skus ADD COLUMN tracked INTEGER NOT NULL DEFAULT 1 CHECK (tracked IN (0, 1));
ALTER TABLE skus ADD COLUMN continue_selling INTEGER NOT NULL DEFAULT 0
    CHECK (continue_selling IN (0, 1));
ALTER TABLE skus ADD COLUMN price TEXT;          -- decimal text, in `currency`
ALTER TABLE skus ADD COLUMN currency TEXT;
CREATE INDEX skus_by_item ON skus (shop_id, inventory_item_id);

CREATE TABLE store_stock (
    shop_id           TEXT NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
    inventory_item_id TEXT NOT NULL,
    location_id       TEXT NOT NULL,
    available         INTEGER NOT NULL,
    updated_at        TEXT NOT NULL,
    PRIMARY KEY (shop_id, inventory_item_id, location_id)
) STRICT, WITHOUT ROWID;
