-- Core schema: operators, sites, tenants, tariffs, meters, accounts, readings, the ledger, the outbox.
-- Money and quantities are integers with the unit in the column name; instants are UTC Unix milliseconds.

CREATE TABLE users (
    id              BIGINT IDENTITY(1,1) PRIMARY KEY,
    username        NVARCHAR(100)    NOT NULL UNIQUE,
    password_hash   NVARCHAR(MAX)    NOT NULL,
    role            NVARCHAR(20)    NOT NULL,            -- admin | operator | cashier | auditor | tenant
    tenant_id       BIGINT NULL,
    created_at_ms   BIGINT NOT NULL
);

CREATE TABLE user_sites (
    user_id BIGINT NOT NULL REFERENCES users(id),
    site_id BIGINT NOT NULL,
    PRIMARY KEY (user_id, site_id)
);

CREATE TABLE auth_tokens (
    token_hash      NVARCHAR(64)    PRIMARY KEY,         -- SHA-256 of the bearer token; the token itself is never stored
    user_id         BIGINT NOT NULL REFERENCES users(id),
    expires_at_ms   BIGINT NOT NULL,
    created_at_ms   BIGINT NOT NULL
);

CREATE TABLE sites (
    id                    BIGINT IDENTITY(1,1) PRIMARY KEY,
    name                  NVARCHAR(200)    NOT NULL,
    time_zone             NVARCHAR(64)    NOT NULL,
    allow_above_cap       BIGINT NOT NULL DEFAULT 0,
    night_from            NVARCHAR(5)    NULL,          -- friendly cut-off: "22:00"
    night_to              NVARCHAR(5)    NULL,          -- "07:00"
    weekends_friendly     BIGINT NOT NULL DEFAULT 0,
    created_at_ms         BIGINT NOT NULL
);

CREATE TABLE site_holidays (
    site_id BIGINT NOT NULL REFERENCES sites(id),
    day     NVARCHAR(10)    NOT NULL,                    -- yyyy-MM-dd in the site's zone
    PRIMARY KEY (site_id, day)
);

CREATE TABLE rooms (
    id            BIGINT IDENTITY(1,1) PRIMARY KEY,
    site_id       BIGINT NOT NULL REFERENCES sites(id),
    code          NVARCHAR(64)    NOT NULL,
    name          NVARCHAR(200)    NOT NULL,
    area_cm2      BIGINT NOT NULL,              -- floor area in 0.0001 m² (areaM2 "35.50" = 355000)
    created_at_ms BIGINT NOT NULL,
    UNIQUE (site_id, code)
);

CREATE TABLE tenants (
    id            BIGINT IDENTITY(1,1) PRIMARY KEY,
    name          NVARCHAR(200)    NOT NULL,
    phone         NVARCHAR(32)    NOT NULL,
    created_at_ms BIGINT NOT NULL
);

CREATE TABLE tariffs (
    id               BIGINT IDENTITY(1,1) PRIMARY KEY,
    site_id          BIGINT NOT NULL REFERENCES sites(id),
    name             NVARCHAR(200)    NOT NULL,
    utility          NVARCHAR(20)    NOT NULL,
    catalog_price    NVARCHAR(32)    NULL,               -- decimal as invariant text: exact, never REAL
    versions_json    NVARCHAR(MAX)    NOT NULL,           -- effective-dated versions, prices as strings
    cap_warning      NVARCHAR(MAX)    NULL,               -- R17: recorded when the site allows a price above the cap
    created_at_ms    BIGINT NOT NULL
);

CREATE TABLE meters (
    id                  BIGINT IDENTITY(1,1) PRIMARY KEY,
    site_id             BIGINT NOT NULL REFERENCES sites(id),
    serial              NVARCHAR(64)    NOT NULL UNIQUE,
    utility             NVARCHAR(20)    NOT NULL,
    multiplier          NVARCHAR(32)    NOT NULL,
    register_max        NVARCHAR(32)    NOT NULL,
    rated_max_per_hour  NVARCHAR(32)    NOT NULL,
    resolution          NVARCHAR(32)    NOT NULL,
    tariff_id           BIGINT NULL REFERENCES tariffs(id),  -- used when the meter is a master meter
    connection_json     NVARCHAR(MAX)    NULL,
    relay_state         NVARCHAR(16)    NOT NULL DEFAULT 'unknown',   -- as last confirmed by the meter
    created_at_ms       BIGINT NOT NULL
);

CREATE TABLE accounts (
    id                BIGINT IDENTITY(1,1) PRIMARY KEY,
    site_id           BIGINT NOT NULL REFERENCES sites(id),
    tenant_id         BIGINT NOT NULL REFERENCES tenants(id),
    room_id           BIGINT NULL REFERENCES rooms(id),
    wallet_ledger_id  BIGINT NOT NULL,
    alarm1_fen        BIGINT NOT NULL,
    alarm2_fen        BIGINT NOT NULL,
    overdraft_fen     BIGINT NOT NULL,
    reconnect_fen     BIGINT NOT NULL,
    fee_rate          NVARCHAR(32)    NOT NULL,
    keep_on           BIGINT NOT NULL DEFAULT 0,
    state             NVARCHAR(16)    NOT NULL,          -- normal | alarm1 | alarm2 | arrears (R16)
    last_switch       NVARCHAR(8)    NULL,              -- trip | close: the last switch the engine requested
    opened_at_ms      BIGINT NOT NULL,
    closed_at_ms      BIGINT NULL
);

-- A meter's life inside one account, with its billing state (R4, R6, R8).
CREATE TABLE account_meters (
    id                  BIGINT IDENTITY(1,1) PRIMARY KEY,
    account_id          BIGINT NOT NULL REFERENCES accounts(id),
    meter_id            BIGINT NOT NULL REFERENCES meters(id),
    tariff_id           BIGINT NOT NULL REFERENCES tariffs(id),
    exact_cost          NVARCHAR(64)    NOT NULL,        -- R4: exact cumulative cost since opening, decimal text
    debited_fen         BIGINT NOT NULL,
    last_at_ms          BIGINT NOT NULL,        -- last billed (or baseline) reading
    last_total_milli    BIGINT NOT NULL,
    last_sharp_milli    BIGINT NULL,
    last_peak_milli     BIGINT NULL,
    last_flat_milli     BIGINT NULL,
    last_valley_milli   BIGINT NULL,
    held_reading_id     BIGINT NULL,            -- R8: a suspect reading that blocks later ones
    seen_at_ms          BIGINT NOT NULL,        -- newest reading stored for this meter: anything newer cannot be a duplicate
    opened_at_ms        BIGINT NOT NULL,
    closed_at_ms        BIGINT NULL
);
CREATE UNIQUE INDEX ux_account_meters_open ON account_meters(meter_id) WHERE closed_at_ms IS NULL;
CREATE INDEX ix_account_meters_account ON account_meters(account_id);

-- R13: cumulative billed quantity of an account per utility and tier period.
CREATE TABLE tier_usage (
    account_id  BIGINT NOT NULL,
    utility     NVARCHAR(20)    NOT NULL,
    period_key  NVARCHAR(7)    NOT NULL,                -- "2026-11" or "2026"
    quantity    NVARCHAR(64)    NOT NULL,                -- decimal text
    PRIMARY KEY (account_id, utility, period_key)
);

CREATE TABLE readings (
    id                BIGINT IDENTITY(1,1) PRIMARY KEY,
    meter_id          BIGINT NOT NULL,
    at_ms             BIGINT NOT NULL,
    total_milli       BIGINT NOT NULL,
    sharp_milli       BIGINT NULL,
    peak_milli        BIGINT NULL,
    flat_milli        BIGINT NULL,
    valley_milli      BIGINT NULL,
    status            NVARCHAR(16)    NOT NULL,          -- baseline | billed | late | suspect | queued | rejected
    reason            NVARCHAR(MAX)    NULL,
    amount_fen        BIGINT NULL,
    quantity_milli    BIGINT NULL,             -- billed quantity after multiplier, thousandths: consumption reports, tier rebuilds
    account_meter_id  BIGINT NULL,
    received_at_ms    BIGINT NOT NULL
);
CREATE UNIQUE INDEX ux_readings_meter_at ON readings(meter_id, at_ms);

-- Readings that could not be stored as readings: whole batches refused as bad input, conflicting duplicates (R9).
CREATE TABLE reading_rejects (
    id              BIGINT IDENTITY(1,1) PRIMARY KEY,
    meter_id        BIGINT NULL,
    payload_json    NVARCHAR(MAX)    NOT NULL,
    reason          NVARCHAR(MAX)    NOT NULL,
    received_at_ms  BIGINT NOT NULL
);

-- The ledger (R21): accounts with a stored balance (credits − debits), and immutable postings.
CREATE TABLE ledger_accounts (
    id           BIGINT IDENTITY(1,1) PRIMARY KEY,
    site_id      BIGINT NULL,
    kind         NVARCHAR(40)    NOT NULL,               -- wallet | revenue_electricity | fee_income | clearing_cash | ...
    account_id   BIGINT NULL,                   -- the tenant account, for wallets
    balance_fen  BIGINT NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX ux_ledger_accounts_site_kind ON ledger_accounts(site_id, kind) WHERE account_id IS NULL;

-- One row per leg; a transfer is the legs that share its idempotency key (a top-up with a fee has two).
CREATE TABLE postings (
    id                       BIGINT IDENTITY(1,1) PRIMARY KEY,
    transfer_key             NVARCHAR(200)    NOT NULL,
    leg                      BIGINT NOT NULL,
    kind                     NVARCHAR(40)    NOT NULL,   -- consumption | topup | fee | apportionment | refund | adjustment
    at_ms                    BIGINT NOT NULL,
    account_id               BIGINT NULL,       -- the tenant account concerned, for its ledger view
    meter_id                 BIGINT NULL,
    debit_ledger_id          BIGINT NOT NULL,
    credit_ledger_id         BIGINT NOT NULL,
    amount_fen               BIGINT NOT NULL CHECK (amount_fen > 0),
    debit_balance_after_fen  BIGINT NOT NULL,
    credit_balance_after_fen BIGINT NOT NULL,
    UNIQUE (transfer_key, leg)
);
CREATE INDEX ix_postings_account ON postings(account_id, id);

CREATE TABLE topups (
    id               BIGINT IDENTITY(1,1) PRIMARY KEY,
    account_id       BIGINT NOT NULL REFERENCES accounts(id),
    channel          NVARCHAR(20)    NOT NULL,
    idempotency_key  NVARCHAR(200)    NOT NULL,
    request_hash     NVARCHAR(64)    NOT NULL,
    amount_fen       BIGINT NOT NULL,
    fee_fen          BIGINT NOT NULL,
    credited_fen     BIGINT NOT NULL,
    balance_after_fen BIGINT NOT NULL,
    state_after      NVARCHAR(16) NOT NULL,
    user_id          BIGINT NULL,
    at_ms            BIGINT NOT NULL,
    UNIQUE (channel, idempotency_key)
);

-- State changes and switch requests for the device layer and the dashboard to consume.
CREATE TABLE outbox (
    id              BIGINT IDENTITY(1,1) PRIMARY KEY,
    kind            NVARCHAR(40)    NOT NULL,            -- stateChanged | switchRequested
    site_id         BIGINT NOT NULL,
    account_id      BIGINT NULL,
    meter_id        BIGINT NULL,
    payload_json    NVARCHAR(MAX)    NOT NULL,
    not_before_ms   BIGINT NOT NULL,
    created_at_ms   BIGINT NOT NULL,
    consumed_at_ms  BIGINT NULL
);
CREATE INDEX ix_outbox_pending ON outbox(consumed_at_ms, not_before_ms);

CREATE TABLE apportionment_rules (
    id               BIGINT IDENTITY(1,1) PRIMARY KEY,
    site_id          BIGINT NOT NULL REFERENCES sites(id),
    master_meter_id  BIGINT NOT NULL REFERENCES meters(id),
    tariff_id        BIGINT NOT NULL REFERENCES tariffs(id),
    kind             NVARCHAR(40)    NOT NULL,           -- common | loss
    method           NVARCHAR(16)    NOT NULL,           -- area | equal | weights | consumption
    shares_json      NVARCHAR(MAX)    NOT NULL,
    created_at_ms    BIGINT NOT NULL
);

CREATE TABLE apportionment_runs (
    id               BIGINT IDENTITY(1,1) PRIMARY KEY,
    rule_id          BIGINT NOT NULL REFERENCES apportionment_rules(id),
    from_ms          BIGINT NOT NULL,
    to_ms            BIGINT NOT NULL,
    result_json      NVARCHAR(MAX)    NOT NULL,
    created_at_ms    BIGINT NOT NULL,
    UNIQUE (rule_id, from_ms, to_ms)
);
