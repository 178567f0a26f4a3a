-- Refund holds (R25), counter cards, and top-up keys scoped to their source (R21).
-- Money is fen, instants are UTC Unix milliseconds. Statements that name a column added here run through EXEC,
-- because SQL Server compiles the whole batch before the column exists.

-- R25: a refund request moves its amount from the wallet to the site's refunds-pending account at once.
-- New sites get it from SiteLedger; existing sites here. Counter top-ups by bank card clear through clearing_card.
INSERT INTO ledger_accounts (site_id, kind, balance_fen)
SELECT s.id, k.kind, 0 FROM sites s CROSS JOIN (SELECT N'refunds_pending' AS kind UNION ALL SELECT N'clearing_card') k
WHERE NOT EXISTS (SELECT 1 FROM ledger_accounts l WHERE l.site_id = s.id AND l.kind = k.kind AND l.account_id IS NULL);

-- When the refund's amount moved to refunds pending. NULL for refunds requested before this script: a pending one is
-- held when its channel confirms it, and counted against the wallet until then.
ALTER TABLE payment_refunds ADD held_at_ms BIGINT NULL;

-- Top-ups are keyed by source: the counter's key is scoped to the account (topup:counter:<account>:<key>), a channel's
-- payment to the channel (topup:<channel>:<out_trade_no>), so a key a person types never meets a channel's. The old
-- UNIQUE (channel, idempotency_key) scoped counter keys to the channel and is dropped. Rows written before keep the key
-- they were posted under (topup:<channel>:<key>); a row is a channel payment where it is a mobile channel's, has no
-- cashier and carries one of that channel's order numbers.
ALTER TABLE topups ADD source NVARCHAR(16) NULL, transfer_key NVARCHAR(300) NULL;
EXEC (N'UPDATE t SET
    source = CASE WHEN t.channel IN (N''alipay'', N''wechat'') AND t.user_id IS NULL
                       AND EXISTS (SELECT 1 FROM payment_orders o WHERE o.channel = t.channel AND o.out_trade_no = t.idempotency_key)
                  THEN N''payment'' ELSE N''counter'' END,
    transfer_key = N''topup:'' + t.channel + N'':'' + t.idempotency_key
FROM topups t');
EXEC (N'ALTER TABLE topups ALTER COLUMN source NVARCHAR(16) NOT NULL');
EXEC (N'ALTER TABLE topups ALTER COLUMN transfer_key NVARCHAR(300) NOT NULL');
DECLARE @unique sysname = (SELECT name FROM sys.key_constraints WHERE parent_object_id = OBJECT_ID(N'topups') AND type = 'UQ');
DECLARE @drop nvarchar(400) = N'ALTER TABLE topups DROP CONSTRAINT ' + QUOTENAME(@unique);
IF @unique IS NOT NULL EXEC sp_executesql @drop;
EXEC (N'CREATE UNIQUE INDEX ux_topups_transfer_key ON topups(transfer_key)');
EXEC (N'CREATE INDEX ix_topups_order ON topups(channel, idempotency_key)');
