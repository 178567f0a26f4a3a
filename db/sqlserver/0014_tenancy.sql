-- Tenancy: move-out and move-in (R26), meter swaps (R27), recurring charges (R28), deposits (R29).
-- Money is fen, instants are UTC Unix milliseconds, days are yyyy-MM-dd in the site's zone.

-- R28: the part of a negative balance that charges which never trip caused; switching counts the balance without it.
-- started_at_ms: when the tenancy began, the earliest opening reading (NULL for accounts opened before this script).
ALTER TABLE accounts ADD charge_arrears_fen BIGINT NOT NULL DEFAULT 0, started_at_ms BIGINT NULL;

-- R27: the account meter a swapped-in meter continues, and what that chain had debited before it, so the exact
-- cumulative cost of R4 runs on across the swap and R22 still finds every debit.
ALTER TABLE account_meters ADD replaces_id BIGINT NULL, carried_fen BIGINT NOT NULL DEFAULT 0;

-- Ledger accounts of R21 for existing sites (new sites get them from SiteLedger): income of recurring charges, the
-- deposits held (R29) and what tenants owe after moving out (R26).
INSERT INTO ledger_accounts (site_id, kind, balance_fen)
SELECT s.id, k.kind, 0 FROM sites s
CROSS JOIN (SELECT N'rent_income' AS kind UNION ALL SELECT N'property_fee_income' UNION ALL SELECT N'charges_income'
            UNION ALL SELECT N'deposits' UNION ALL SELECT N'tenant_debts') k
WHERE NOT EXISTS (SELECT 1 FROM ledger_accounts l WHERE l.site_id = s.id AND l.kind = k.kind AND l.account_id IS NULL);

-- R28: rent, property fee and other fixed fees of an account, per calendar period.
CREATE TABLE charge_agreements (
    id                BIGINT IDENTITY(1,1) PRIMARY KEY,
    account_id        BIGINT NOT NULL REFERENCES accounts(id),
    kind              NVARCHAR(20)    NOT NULL,          -- rent | propertyFee | serviceFee | other
    name              NVARCHAR(100)   NOT NULL,
    amount_fen        BIGINT NOT NULL CHECK (amount_fen > 0),
    period            NVARCHAR(10)    NOT NULL,          -- month | quarter | year
    due_day           BIGINT NOT NULL,                   -- 1..31 of the period's first month (its last day when shorter)
    from_day          NVARCHAR(10)    NOT NULL,          -- the first day charged
    to_day            NVARCHAR(10)    NULL,              -- the first day no longer charged; NULL: open-ended
    trips             BIGINT NOT NULL,                   -- 1: arrears from it trip (R16); 0: it never trips
    charged_to_day    NVARCHAR(10)    NULL,              -- end of the last period posted: the job goes on from there
    idempotency_key   NVARCHAR(100)   NULL,              -- as sent, if sent: a retry creates no second agreement
    request_hash      NVARCHAR(64)    NULL,
    created_by        BIGINT NULL,
    created_at_ms     BIGINT NOT NULL,
    ended_by          BIGINT NULL,
    ended_at_ms       BIGINT NULL
);
CREATE INDEX ix_charge_agreements_account ON charge_agreements(account_id);
CREATE UNIQUE INDEX ux_charge_agreements_key ON charge_agreements(account_id, idempotency_key) WHERE idempotency_key IS NOT NULL;

-- Every posted charge: the period's amount on its due date (key charge:<agreement>:<period>), and the correction when
-- the agreement ends inside a period already charged (charge-end:<agreement>:<period>:<end day>).
CREATE TABLE charges (
    id                BIGINT IDENTITY(1,1) PRIMARY KEY,
    agreement_id      BIGINT NOT NULL REFERENCES charge_agreements(id),
    account_id        BIGINT NOT NULL REFERENCES accounts(id),
    period_key        NVARCHAR(10)    NOT NULL,          -- 2026-11 | 2026-Q4 | 2026
    period_start      NVARCHAR(10)    NOT NULL,          -- the calendar period's first day
    days              BIGINT NOT NULL,                   -- days covered once this posting is made
    period_days       BIGINT NOT NULL,
    amount_fen        BIGINT NOT NULL,                   -- signed: > 0 debits the wallet, < 0 credits it back
    transfer_key      NVARCHAR(300)   NOT NULL UNIQUE,
    at_ms             BIGINT NOT NULL,                   -- when it fell due
    posted_at_ms      BIGINT NOT NULL
);
CREATE INDEX ix_charges_agreement ON charges(agreement_id, period_key);
CREATE INDEX ix_charges_account ON charges(account_id, at_ms);

-- R29: deposits taken at the counter, held in the site's deposits ledger account, never in the wallet.
CREATE TABLE deposits (
    id                BIGINT IDENTITY(1,1) PRIMARY KEY,
    account_id        BIGINT NOT NULL REFERENCES accounts(id),
    channel           NVARCHAR(16)    NOT NULL,          -- cash | card | bank
    idempotency_key   NVARCHAR(100)   NOT NULL,
    transfer_key      NVARCHAR(300)   NOT NULL UNIQUE,   -- deposit:<account>:<Idempotency-Key>
    request_hash      NVARCHAR(64)    NOT NULL,
    amount_fen        BIGINT NOT NULL CHECK (amount_fen > 0),
    user_id           BIGINT NULL,
    at_ms             BIGINT NOT NULL
);
CREATE INDEX ix_deposits_account ON deposits(account_id);

-- R26: how an account was closed, once; a retry of the same request gets result_json again.
CREATE TABLE account_closures (
    account_id            BIGINT PRIMARY KEY REFERENCES accounts(id),
    closed_at_ms          BIGINT NOT NULL,               -- T: the final readings' instant
    request_hash          NVARCHAR(64)    NOT NULL,
    settle                NVARCHAR(16)    NOT NULL,      -- refund | cash | carryDebt
    final_balance_fen     BIGINT NOT NULL,               -- after the final readings, the charges up to T and the deposit's return
    deposit_returned_fen  BIGINT NOT NULL,
    refunded_fen          BIGINT NOT NULL,               -- held for refunds through the channels (R25)
    cash_out_fen          BIGINT NOT NULL,
    debt_fen              BIGINT NOT NULL,               -- recorded against the tenant (ledger tenant_debts)
    next_account_id       BIGINT NULL,                   -- the account moved in on the same meters
    receipt_no            NVARCHAR(64)    NOT NULL,
    result_json           NVARCHAR(MAX)   NOT NULL,
    user_id               BIGINT NULL,
    created_at_ms         BIGINT NOT NULL
);

-- R27: old meter → new meter at an instant, in an account (or none, for a meter without one).
CREATE TABLE meter_replacements (
    id                    BIGINT IDENTITY(1,1) PRIMARY KEY,
    old_meter_id          BIGINT NOT NULL REFERENCES meters(id),
    new_meter_id          BIGINT NOT NULL REFERENCES meters(id),
    account_id            BIGINT NULL,
    at_ms                 BIGINT NOT NULL,
    final_total_milli     BIGINT NOT NULL,
    initial_total_milli   BIGINT NOT NULL,
    request_hash          NVARCHAR(64)    NOT NULL,
    user_id               BIGINT NULL,
    created_at_ms         BIGINT NOT NULL
);
CREATE INDEX ix_meter_replacements_old ON meter_replacements(old_meter_id);
CREATE INDEX ix_meter_replacements_new ON meter_replacements(new_meter_id);
