-- R34 heat cost allocation. A heat cost allocator is a meter of kind 'allocator' (utility heat): its register counts
-- units, not energy, so ingest records its readings and never prices them. Instants are UTC Unix milliseconds.
ALTER TABLE meters ADD COLUMN kind TEXT NOT NULL DEFAULT 'meter';   -- meter | allocator

-- A building's (site's) settings for R34: Ur from 0.50 to 0.90 and the correction factor k, as invariant decimal text.
CREATE TABLE heat_settings (
    site_id            INTEGER PRIMARY KEY REFERENCES sites(id),
    ur                 TEXT    NOT NULL,
    correction_factor  TEXT    NOT NULL,
    updated_at_ms      INTEGER NOT NULL
);

-- One allocation run per site and period: the request as taken (to tell a repeat from a different run) and the result
-- (each flat's model, area, units, quantity and amount) that the sheet prints. Each amount is posted under heat:<id>:<account>.
CREATE TABLE heat_allocations (
    id               INTEGER PRIMARY KEY,
    site_id          INTEGER NOT NULL REFERENCES sites(id),
    from_ms          INTEGER NOT NULL,
    to_ms            INTEGER NOT NULL,
    request_json     TEXT    NOT NULL,
    result_json      TEXT    NOT NULL,
    created_by       INTEGER NULL,
    created_at_ms    INTEGER NOT NULL,
    UNIQUE (site_id, from_ms, to_ms)
);
