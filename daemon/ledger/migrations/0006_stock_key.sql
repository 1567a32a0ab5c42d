-- 0006: the store's stock handle is each store kind's own (an inventory item, a variant, a
-- source item...), so the ledger calls it the stock key.
ALTER TABLE skus RENAME COLUMN inventory_item_id TO stock_key;
ALTER TABLE store_stock RENAME COLUMN inventory_item_id TO stock_key;
