-- Refund holds (R25), counter cards, and top-up keys scoped to their source (R21).
-- Money is fen, instants are UTC Unix milliseconds.

-- R25: a refund request moves its amount from the wallet to the site's refunds-pending account at once.
-- New sites get it from SiteLedger; existing sites here. Counter top-ups by bank card clear through clearing_card.
INSERT INTO ledger_accounts (site_id, kind, balance_fen)
SELECT s.id, k.kind, 0 FROM sites s CROSS JOIN (SELECT 'refunds_pending' AS kind UNION ALL SELECT 'clearing_card') k
WHERE NOT EXISTS (SELECT 1 FROM ledger_accounts l WHERE l.site_id = s.id AND l.kind = k.kind AND l.account_id IS NULL);

-- When the refund's amount moved to refunds pending. NULL for refunds requested before this script: a pending one is
-- held when its channel confirms it, and counted against the wallet until then.
ALTER TABLE payment_refunds ADD COLUMN held_at_ms BIGINT NULL;

-- Top-ups are keyed by source: the counter's key is scoped to the account (topup:counter:<account>:<key>), a channel's
-- payment to the channel (topup:<channel>:<out_trade_no>), so a key a person types never meets a channel's. The old
-- UNIQUE (channel, idempotency_key) scoped counter keys to the channel and is dropped. Rows written before keep the key
-- they were posted under (topup:<channel>:<key>); a row is a channel payment where it is a mobile channel's, has no
-- cashier and carries one of that channel's order numbers.
ALTER TABLE topups ADD COLUMN source TEXT NULL, ADD COLUMN transfer_key TEXT NULL;
UPDATE topups t SET
    source = CASE WHEN t.channel IN ('alipay', 'wechat') AND t.user_id IS NULL
                       AND EXISTS (SELECT 1 FROM payment_orders o WHERE o.channel = t.channel AND o.out_trade_no = t.idempotency_key)
                  THEN 'payment' ELSE 'counter' END,
    transfer_key = 'topup:' || t.channel || ':' || t.idempotency_key;
ALTER TABLE topups ALTER COLUMN source SET NOT NULL, ALTER COLUMN transfer_key SET NOT NULL;
ALTER TABLE topups DROP CONSTRAINT topups_channel_idempotency_key_key;
CREATE UNIQUE INDEX ux_topups_transfer_key ON topups(transfer_key);
CREATE INDEX ix_topups_order ON topups(channel, idempotency_key);
