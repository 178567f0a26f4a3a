-- A billed reading's consumption posting stores no transfer key: its key is its reading's (meter_id, at_ms), which
-- readings hold unique (R9), and the ledger check holds each such posting to its billed reading (R22). The text key
-- and its index were a third of the bytes every billed reading stored, and its index took inserts all over the disk.
-- SQLite cannot drop NOT NULL or a table's UNIQUE in place: the table is built again, existing consumption postings
-- losing their key (reading:<meter_id>:<at_ms>, the same by construction), every other posting keeping its own.
CREATE TABLE postings_0023 (
    id                       INTEGER PRIMARY KEY,
    transfer_key             TEXT    NULL,       -- NULL only for a reading's consumption: its key is reading:<meter_id>:<at_ms>
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
    CHECK (transfer_key IS NOT NULL OR (kind = 'consumption' AND meter_id IS NOT NULL AND leg = 0))
);
INSERT INTO postings_0023 (id, transfer_key, leg, kind, at_ms, account_id, meter_id, debit_ledger_id, credit_ledger_id, amount_fen,
                           debit_balance_after_fen, credit_balance_after_fen)
SELECT id, CASE WHEN kind = 'consumption' AND leg = 0 AND meter_id IS NOT NULL AND transfer_key = 'reading:' || meter_id || ':' || at_ms
                THEN NULL ELSE transfer_key END,
       leg, kind, at_ms, account_id, meter_id, debit_ledger_id, credit_ledger_id, amount_fen, debit_balance_after_fen, credit_balance_after_fen
FROM postings;
DROP TABLE postings;
ALTER TABLE postings_0023 RENAME TO postings;
CREATE UNIQUE INDEX ux_postings_transfer ON postings(transfer_key, leg) WHERE transfer_key IS NOT NULL;
CREATE INDEX ix_postings_account ON postings(account_id, id);
CREATE INDEX ix_postings_account_at ON postings(account_id, at_ms);
