-- R34 heat cost allocation. A heat cost allocator is a meter of kind 'allocator' (utility heat): its register counts
-- units, not energy, so ingest records its readings and never prices them. Instants are UTC Unix milliseconds.
ALTER TABLE meters ADD kind NVARCHAR(16) NOT NULL CONSTRAINT df_meters_kind DEFAULT N'meter';   -- meter | allocator

-- A building's (site's) settings for R34: Ur from 0.50 to 0.90 and the correction factor k, as invariant decimal text.
CREATE TABLE heat_settings (
    site_id            BIGINT PRIMARY KEY REFERENCES sites(id),
    ur                 NVARCHAR(16) NOT NULL,
    correction_factor  NVARCHAR(16) NOT NULL,
    updated_at_ms      BIGINT NOT NULL
);

-- One allocation run per site and period: the request as taken (to tell a repeat from a different run) and the result
-- (each flat's model, area, units, quantity and amount) that the sheet prints. Each amount is posted under heat:<id>:<account>.
CREATE TABLE heat_allocations (
    id               BIGINT IDENTITY(1,1) PRIMARY KEY,
    site_id          BIGINT NOT NULL REFERENCES sites(id),
    from_ms          BIGINT NOT NULL,
    to_ms            BIGINT NOT NULL,
    request_json     NVARCHAR(MAX) NOT NULL,
    result_json      NVARCHAR(MAX) NOT NULL,
    created_by       BIGINT NULL,
    created_at_ms    BIGINT NOT NULL,
    UNIQUE (site_id, from_ms, to_ms)
);
