-- Tenancy: move-out and move-in (R26), meter swaps (R27), recurring charges (R28), deposits (R29).
-- Money is fen, instants are UTC Unix milliseconds, days are yyyy-MM-dd in the site's zone.

-- R28: the part of a negative balance that charges which never trip caused; switching counts the balance without it.
ALTER TABLE accounts ADD COLUMN charge_arrears_fen INTEGER NOT NULL DEFAULT 0;
-- When the tenancy began: the earliest opening reading. NULL for accounts opened before this script (opened_at_ms then).
ALTER TABLE accounts ADD COLUMN started_at_ms INTEGER NULL;

-- R27: the account meter a swapped-in meter continues, and what that chain had debited before it, so the exact
-- cumulative cost of R4 runs on across the swap and R22 still finds every debit.
ALTER TABLE account_meters ADD COLUMN replaces_id INTEGER NULL;
ALTER TABLE account_meters ADD COLUMN carried_fen INTEGER NOT NULL DEFAULT 0;

-- Ledger accounts of R21 for existing sites (new sites get them from SiteLedger): income of recurring charges, the
-- deposits held (R29) and what tenants owe after moving out (R26).
INSERT INTO ledger_accounts (site_id, kind, balance_fen)
SELECT s.id, k.kind, 0 FROM sites s
CROSS JOIN (SELECT 'rent_income' AS kind UNION ALL SELECT 'property_fee_income' UNION ALL SELECT 'charges_income'
            UNION ALL SELECT 'deposits' UNION ALL SELECT 'tenant_debts') k
WHERE NOT EXISTS (SELECT 1 FROM ledger_accounts l WHERE l.site_id = s.id AND l.kind = k.kind AND l.account_id IS NULL);

-- R28: rent, property fee and other fixed fees of an account, per calendar period.
CREATE TABLE charge_agreements (
    id                INTEGER PRIMARY KEY,
    account_id        INTEGER NOT NULL REFERENCES accounts(id),
    kind              TEXT    NOT NULL,          -- rent | propertyFee | serviceFee | other
    name              TEXT    NOT NULL,
    amount_fen        INTEGER NOT NULL CHECK (amount_fen > 0),
    period            TEXT    NOT NULL,          -- month | quarter | year
    due_day           INTEGER NOT NULL,          -- 1..31 of the period's first month (its last day when shorter)
    from_day          TEXT    NOT NULL,          -- the first day charged
    to_day            TEXT    NULL,              -- the first day no longer charged; NULL: open-ended
    trips             INTEGER NOT NULL,          -- 1: arrears from it trip (R16); 0: it never trips
    charged_to_day    TEXT    NULL,              -- end of the last period posted: the job goes on from there
    idempotency_key   TEXT    NULL,              -- as sent, if sent: a retry creates no second agreement
    request_hash      TEXT    NULL,
    created_by        INTEGER NULL,
    created_at_ms     INTEGER NOT NULL,
    ended_by          INTEGER NULL,
    ended_at_ms       INTEGER NULL
);
CREATE INDEX ix_charge_agreements_account ON charge_agreements(account_id);
CREATE UNIQUE INDEX ux_charge_agreements_key ON charge_agreements(account_id, idempotency_key) WHERE idempotency_key IS NOT NULL;

-- Every posted charge: the period's amount on its due date (key charge:<agreement>:<period>), and the correction when
-- the agreement ends inside a period already charged (charge-end:<agreement>:<period>:<end day>).
CREATE TABLE charges (
    id                INTEGER PRIMARY KEY,
    agreement_id      INTEGER NOT NULL REFERENCES charge_agreements(id),
    account_id        INTEGER NOT NULL REFERENCES accounts(id),
    period_key        TEXT    NOT NULL,          -- 2026-11 | 2026-Q4 | 2026
    period_start      TEXT    NOT NULL,          -- the calendar period's first day
    days              INTEGER NOT NULL,          -- days covered once this posting is made
    period_days       INTEGER NOT NULL,
    amount_fen        INTEGER NOT NULL,          -- signed: > 0 debits the wallet, < 0 credits it back
    transfer_key      TEXT    NOT NULL UNIQUE,
    at_ms             INTEGER NOT NULL,          -- when it fell due
    posted_at_ms      INTEGER NOT NULL
);
CREATE INDEX ix_charges_agreement ON charges(agreement_id, period_key);
CREATE INDEX ix_charges_account ON charges(account_id, at_ms);

-- R29: deposits taken at the counter, held in the site's deposits ledger account, never in the wallet.
CREATE TABLE deposits (
    id                INTEGER PRIMARY KEY,
    account_id        INTEGER NOT NULL REFERENCES accounts(id),
    channel           TEXT    NOT NULL,          -- cash | card | bank
    idempotency_key   TEXT    NOT NULL,
    transfer_key      TEXT    NOT NULL UNIQUE,   -- deposit:<account>:<Idempotency-Key>
    request_hash      TEXT    NOT NULL,
    amount_fen        INTEGER NOT NULL CHECK (amount_fen > 0),
    user_id           INTEGER NULL,
    at_ms             INTEGER NOT NULL
);
CREATE INDEX ix_deposits_account ON deposits(account_id);

-- R26: how an account was closed, once; a retry of the same request gets result_json again.
CREATE TABLE account_closures (
    account_id            INTEGER PRIMARY KEY REFERENCES accounts(id),
    closed_at_ms          INTEGER NOT NULL,      -- T: the final readings' instant
    request_hash          TEXT    NOT NULL,
    settle                TEXT    NOT NULL,      -- refund | cash | carryDebt
    final_balance_fen     INTEGER NOT NULL,      -- after the final readings, the charges up to T and the deposit's return
    deposit_returned_fen  INTEGER NOT NULL,
    refunded_fen          INTEGER NOT NULL,      -- held for refunds through the channels (R25)
    cash_out_fen          INTEGER NOT NULL,
    debt_fen              INTEGER NOT NULL,      -- recorded against the tenant (ledger tenant_debts)
    next_account_id       INTEGER NULL,          -- the account moved in on the same meters
    receipt_no            TEXT    NOT NULL,
    result_json           TEXT    NOT NULL,
    user_id               INTEGER NULL,
    created_at_ms         INTEGER NOT NULL
);

-- R27: old meter → new meter at an instant, in an account (or none, for a meter without one).
CREATE TABLE meter_replacements (
    id                    INTEGER PRIMARY KEY,
    old_meter_id          INTEGER NOT NULL REFERENCES meters(id),
    new_meter_id          INTEGER NOT NULL REFERENCES meters(id),
    account_id            INTEGER NULL,
    at_ms                 INTEGER NOT NULL,
    final_total_milli     INTEGER NOT NULL,
    initial_total_milli   INTEGER NOT NULL,
    request_hash          TEXT    NOT NULL,
    user_id               INTEGER NULL,
    created_at_ms         INTEGER NOT NULL
);
CREATE INDEX ix_meter_replacements_old ON meter_replacements(old_meter_id);
CREATE INDEX ix_meter_replacements_new ON meter_replacements(new_meter_id);
