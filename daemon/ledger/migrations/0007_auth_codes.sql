-- 0007: TikTok auth codes already exchanged (or refused), kept as SHA-256 hashes, so a new
-- code in the config is exchanged at start even while older tokens exist, and a used one is
-- never sent again.

CREATE TABLE used_auth_codes (
    shop_id    TEXT NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
    code_hash  TEXT NOT NULL,                    -- hex SHA-256 of the code; never the code
    outcome    TEXT NOT NULL CHECK (outcome IN ('exchanged', 'refused')),
    used_at    TEXT NOT NULL,
    PRIMARY KEY (shop_id, code_hash)
) STRICT;
