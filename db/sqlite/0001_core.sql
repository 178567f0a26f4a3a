-- Core schema: operators, sites, tenants, tariffs, meters, accounts, readings, the ledger, the outbox.
-- Money and quantities are integers with the unit in the column name; instants are UTC Unix milliseconds.

CREATE TABLE users (
    id              INTEGER PRIMARY KEY,
    username        TEXT    NOT NULL UNIQUE,
    password_hash   TEXT    NOT NULL,
    role            TEXT    NOT NULL,            -- admin | operator | cashier | auditor | tenant
    tenant_id       INTEGER NULL,
    created_at_ms   INTEGER NOT NULL
);

CREATE TABLE user_sites (
    user_id INTEGER NOT NULL REFERENCES users(id),
    site_id INTEGER NOT NULL,
    PRIMARY KEY (user_id, site_id)
);

CREATE TABLE auth_tokens (
    token_hash      TEXT    PRIMARY KEY,         -- SHA-256 of the bearer token; the token itself is never stored
    user_id         INTEGER NOT NULL REFERENCES users(id),
    expires_at_ms   INTEGER NOT NULL,
    created_at_ms   INTEGER NOT NULL
);

CREATE TABLE sites (
    id                    INTEGER PRIMARY KEY,
    name                  TEXT    NOT NULL,
    time_zone             TEXT    NOT NULL,
    allow_above_cap       INTEGER NOT NULL DEFAULT 0,
    night_from            TEXT    NULL,          -- friendly cut-off: "22:00"
    night_to              TEXT    NULL,          -- "07:00"
    weekends_friendly     INTEGER NOT NULL DEFAULT 0,
    created_at_ms         INTEGER NOT NULL
);

CREATE TABLE site_holidays (
    site_id INTEGER NOT NULL REFERENCES sites(id),
    day     TEXT    NOT NULL,                    -- yyyy-MM-dd in the site's zone
    PRIMARY KEY (site_id, day)
);

CREATE TABLE rooms (
    id            INTEGER PRIMARY KEY,
    site_id       INTEGER NOT NULL REFERENCES sites(id),
    code          TEXT    NOT NULL,
    name          TEXT    NOT NULL,
    area_cm2      INTEGER NOT NULL,              -- floor area in 0.0001 m² (areaM2 "35.50" = 355000)
    created_at_ms INTEGER NOT NULL,
    UNIQUE (site_id, code)
);

CREATE TABLE tenants (
    id            INTEGER PRIMARY KEY,
    name          TEXT    NOT NULL,
    phone         TEXT    NOT NULL,
    created_at_ms INTEGER NOT NULL
);

CREATE TABLE tariffs (
    id               INTEGER PRIMARY KEY,
    site_id          INTEGER NOT NULL REFERENCES sites(id),
    name             TEXT    NOT NULL,
    utility          TEXT    NOT NULL,
    catalog_price    TEXT    NULL,               -- decimal as invariant text: exact, never REAL
    versions_json    TEXT    NOT NULL,           -- effective-dated versions, prices as strings
    cap_warning      TEXT    NULL,               -- R17: recorded when the site allows a price above the cap
    created_at_ms    INTEGER NOT NULL
);

CREATE TABLE meters (
    id                  INTEGER PRIMARY KEY,
    site_id             INTEGER NOT NULL REFERENCES sites(id),
    serial              TEXT    NOT NULL UNIQUE,
    utility             TEXT    NOT NULL,
    multiplier          TEXT    NOT NULL,
    register_max        TEXT    NOT NULL,
    rated_max_per_hour  TEXT    NOT NULL,
    resolution          TEXT    NOT NULL,
    tariff_id           INTEGER NULL REFERENCES tariffs(id),  -- used when the meter is a master meter
    connection_json     TEXT    NULL,
    relay_state         TEXT    NOT NULL DEFAULT 'unknown',   -- as last confirmed by the meter
    created_at_ms       INTEGER NOT NULL
);

CREATE TABLE accounts (
    id                INTEGER PRIMARY KEY,
    site_id           INTEGER NOT NULL REFERENCES sites(id),
    tenant_id         INTEGER NOT NULL REFERENCES tenants(id),
    room_id           INTEGER NULL REFERENCES rooms(id),
    wallet_ledger_id  INTEGER NOT NULL,
    alarm1_fen        INTEGER NOT NULL,
    alarm2_fen        INTEGER NOT NULL,
    overdraft_fen     INTEGER NOT NULL,
    reconnect_fen     INTEGER NOT NULL,
    fee_rate          TEXT    NOT NULL,
    keep_on           INTEGER NOT NULL DEFAULT 0,
    state             TEXT    NOT NULL,          -- normal | alarm1 | alarm2 | arrears (R16)
    last_switch       TEXT    NULL,              -- trip | close: the last switch the engine requested
    opened_at_ms      INTEGER NOT NULL,
    closed_at_ms      INTEGER NULL
);

-- A meter's life inside one account, with its billing state (R4, R6, R8).
CREATE TABLE account_meters (
    id                  INTEGER PRIMARY KEY,
    account_id          INTEGER NOT NULL REFERENCES accounts(id),
    meter_id            INTEGER NOT NULL REFERENCES meters(id),
    tariff_id           INTEGER NOT NULL REFERENCES tariffs(id),
    exact_cost          TEXT    NOT NULL,        -- R4: exact cumulative cost since opening, decimal text
    debited_fen         INTEGER NOT NULL,
    last_at_ms          INTEGER NOT NULL,        -- last billed (or baseline) reading
    last_total_milli    INTEGER NOT NULL,
    last_sharp_milli    INTEGER NULL,
    last_peak_milli     INTEGER NULL,
    last_flat_milli     INTEGER NULL,
    last_valley_milli   INTEGER NULL,
    held_reading_id     INTEGER NULL,            -- R8: a suspect reading that blocks later ones
    seen_at_ms          INTEGER NOT NULL,        -- newest reading stored for this meter: anything newer cannot be a duplicate
    opened_at_ms        INTEGER NOT NULL,
    closed_at_ms        INTEGER NULL
);
CREATE UNIQUE INDEX ux_account_meters_open ON account_meters(meter_id) WHERE closed_at_ms IS NULL;
CREATE INDEX ix_account_meters_account ON account_meters(account_id);

-- R13: cumulative billed quantity of an account per utility and tier period.
CREATE TABLE tier_usage (
    account_id  INTEGER NOT NULL,
    utility     TEXT    NOT NULL,
    period_key  TEXT    NOT NULL,                -- "2026-11" or "2026"
    quantity    TEXT    NOT NULL,                -- decimal text
    PRIMARY KEY (account_id, utility, period_key)
);

CREATE TABLE readings (
    id                INTEGER PRIMARY KEY,
    meter_id          INTEGER NOT NULL,
    at_ms             INTEGER NOT NULL,
    total_milli       INTEGER NOT NULL,
    sharp_milli       INTEGER NULL,
    peak_milli        INTEGER NULL,
    flat_milli        INTEGER NULL,
    valley_milli      INTEGER NULL,
    status            TEXT    NOT NULL,          -- baseline | billed | late | suspect | queued | rejected
    reason            TEXT    NULL,
    amount_fen        INTEGER NULL,
    quantity_milli    INTEGER NULL,             -- billed quantity after multiplier, thousandths: consumption reports, tier rebuilds
    account_meter_id  INTEGER NULL,
    received_at_ms    INTEGER NOT NULL
);
CREATE UNIQUE INDEX ux_readings_meter_at ON readings(meter_id, at_ms);

-- Readings that could not be stored as readings: whole batches refused as bad input, conflicting duplicates (R9).
CREATE TABLE reading_rejects (
    id              INTEGER PRIMARY KEY,
    meter_id        INTEGER NULL,
    payload_json    TEXT    NOT NULL,
    reason          TEXT    NOT NULL,
    received_at_ms  INTEGER NOT NULL
);

-- The ledger (R21): accounts with a stored balance (credits − debits), and immutable postings.
CREATE TABLE ledger_accounts (
    id           INTEGER PRIMARY KEY,
    site_id      INTEGER NULL,
    kind         TEXT    NOT NULL,               -- wallet | revenue_electricity | fee_income | clearing_cash | ...
    account_id   INTEGER NULL,                   -- the tenant account, for wallets
    balance_fen  INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX ux_ledger_accounts_site_kind ON ledger_accounts(site_id, kind) WHERE account_id IS NULL;

-- One row per leg; a transfer is the legs that share its idempotency key (a top-up with a fee has two).
CREATE TABLE postings (
    id                       INTEGER PRIMARY KEY,
    transfer_key             TEXT    NOT NULL,
    leg                      INTEGER NOT NULL,
    kind                     TEXT    NOT NULL,   -- consumption | topup | fee | apportionment | refund | adjustment
    at_ms                    INTEGER NOT NULL,
    account_id               INTEGER NULL,       -- the tenant account concerned, for its ledger view
    meter_id                 INTEGER NULL,
    debit_ledger_id          INTEGER NOT NULL,
    credit_ledger_id         INTEGER NOT NULL,
    amount_fen               INTEGER NOT NULL CHECK (amount_fen > 0),
    debit_balance_after_fen  INTEGER NOT NULL,
    credit_balance_after_fen INTEGER NOT NULL,
    UNIQUE (transfer_key, leg)
);
CREATE INDEX ix_postings_account ON postings(account_id, id);

CREATE TABLE topups (
    id               INTEGER PRIMARY KEY,
    account_id       INTEGER NOT NULL REFERENCES accounts(id),
    channel          TEXT    NOT NULL,
    idempotency_key  TEXT    NOT NULL,
    request_hash     TEXT    NOT NULL,
    amount_fen       INTEGER NOT NULL,
    fee_fen          INTEGER NOT NULL,
    credited_fen     INTEGER NOT NULL,
    balance_after_fen INTEGER NOT NULL,
    state_after      TEXT    NOT NULL,
    user_id          INTEGER NULL,
    at_ms            INTEGER NOT NULL,
    UNIQUE (channel, idempotency_key)
);

-- State changes and switch requests for the device layer and the dashboard to consume.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    kind            TEXT    NOT NULL,            -- stateChanged | switchRequested
    site_id         INTEGER NOT NULL,
    account_id      INTEGER NULL,
    meter_id        INTEGER NULL,
    payload_json    TEXT    NOT NULL,
    not_before_ms   INTEGER NOT NULL,
    created_at_ms   INTEGER NOT NULL,
    consumed_at_ms  INTEGER NULL
);
CREATE INDEX ix_outbox_pending ON outbox(consumed_at_ms, not_before_ms);

CREATE TABLE apportionment_rules (
    id               INTEGER PRIMARY KEY,
    site_id          INTEGER NOT NULL REFERENCES sites(id),
    master_meter_id  INTEGER NOT NULL REFERENCES meters(id),
    tariff_id        INTEGER NOT NULL REFERENCES tariffs(id),
    kind             TEXT    NOT NULL,           -- common | loss
    method           TEXT    NOT NULL,           -- area | equal | weights | consumption
    shares_json      TEXT    NOT NULL,
    created_at_ms    INTEGER NOT NULL
);

CREATE TABLE apportionment_runs (
    id               INTEGER PRIMARY KEY,
    rule_id          INTEGER NOT NULL REFERENCES apportionment_rules(id),
    from_ms          INTEGER NOT NULL,
    to_ms            INTEGER NOT NULL,
    result_json      TEXT    NOT NULL,
    created_at_ms    INTEGER NOT NULL,
    UNIQUE (rule_id, from_ms, to_ms)
);
