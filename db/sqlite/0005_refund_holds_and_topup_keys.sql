-- Refund holds (R25), counter cards, and top-up keys scoped to their source (R21).
-- Money is fen, instants are UTC Unix milliseconds.

-- R25: a refund request moves its amount from the wallet to the site's refunds-pending account at once.
-- New sites get it from SiteLedger; existing sites here. Counter top-ups by bank card clear through clearing_card.
INSERT INTO ledger_accounts (site_id, kind, balance_fen)
SELECT s.id, k.kind, 0 FROM sites s CROSS JOIN (SELECT 'refunds_pending' AS kind UNION ALL SELECT 'clearing_card') k
WHERE NOT EXISTS (SELECT 1 FROM ledger_accounts l WHERE l.site_id = s.id AND l.kind = k.kind AND l.account_id IS NULL);

-- When the refund's amount moved to refunds pending. NULL for refunds requested before this script: a pending one is
-- held when its channel confirms it, and counted against the wallet until then.
ALTER TABLE payment_refunds ADD COLUMN held_at_ms INTEGER NULL;

-- Top-ups are keyed by source: the counter's key is scoped to the account (topup:counter:<account>:<key>), a channel's
-- payment to the channel (topup:<channel>:<out_trade_no>), so a key a person types never meets a channel's. The old
-- UNIQUE (channel, idempotency_key) scoped counter keys to the channel and must go: SQLite drops a constraint by
-- rebuilding the table. Rows written before keep the key they were posted under (topup:<channel>:<key>); a row is a
-- channel payment where it is a mobile channel's, has no cashier and carries one of that channel's order numbers.
CREATE TABLE topups_scoped (
    id               INTEGER PRIMARY KEY,
    account_id       INTEGER NOT NULL REFERENCES accounts(id),
    channel          TEXT    NOT NULL,           -- counter: cash | card | bank; payment: alipay | wechat
    source           TEXT    NOT NULL,           -- counter | payment
    idempotency_key  TEXT    NOT NULL,           -- as sent: the counter's Idempotency-Key, or the order's out_trade_no
    transfer_key     TEXT    NOT NULL UNIQUE,    -- the ledger transfer's key (Ledger/TransferKeys.cs)
    request_hash     TEXT    NOT NULL,
    amount_fen       INTEGER NOT NULL,
    fee_fen          INTEGER NOT NULL,
    credited_fen     INTEGER NOT NULL,
    balance_after_fen INTEGER NOT NULL,
    state_after      TEXT    NOT NULL,
    user_id          INTEGER NULL,
    at_ms            INTEGER NOT NULL
);
INSERT INTO topups_scoped (id, account_id, channel, source, idempotency_key, transfer_key, request_hash, amount_fen, fee_fen, credited_fen,
                           balance_after_fen, state_after, user_id, at_ms)
SELECT t.id, t.account_id, t.channel,
       CASE WHEN t.channel IN ('alipay', 'wechat') AND t.user_id IS NULL
                 AND EXISTS (SELECT 1 FROM payment_orders o WHERE o.channel = t.channel AND o.out_trade_no = t.idempotency_key)
            THEN 'payment' ELSE 'counter' END,
       t.idempotency_key, 'topup:' || t.channel || ':' || t.idempotency_key, t.request_hash, t.amount_fen, t.fee_fen, t.credited_fen,
       t.balance_after_fen, t.state_after, t.user_id, t.at_ms
FROM topups t;
DROP TABLE topups;
ALTER TABLE topups_scoped RENAME TO topups;
CREATE INDEX ix_topups_order ON topups(channel, idempotency_key);
