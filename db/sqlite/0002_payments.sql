-- Mobile payments (issue 5): orders sent to Alipay / WeChat Pay, every notification as it arrived,
-- refunds back through the channel, and the daily reconciliation against the channels' records.
-- Money is fen, instants are UTC Unix milliseconds.

-- A payment order exists (pending) before the tenant pays; the wallet is credited once, in the
-- transaction that marks it paid, under the key topup:<channel>:<out_trade_no>.
CREATE TABLE payment_orders (
    id                  INTEGER PRIMARY KEY,
    out_trade_no        TEXT    NOT NULL UNIQUE,     -- ours, sent to the channel: 6-32 of [0-9A-Za-z_-|*]
    account_id          INTEGER NOT NULL REFERENCES accounts(id),
    amount_fen          INTEGER NOT NULL CHECK (amount_fen > 0),
    channel             TEXT    NOT NULL,            -- alipay | wechat
    method              TEXT    NOT NULL,            -- qr | wap | app | native | jsapi | h5
    state               TEXT    NOT NULL,            -- pending | paid | closed | expired
    created_by          INTEGER NULL,                -- the user who asked (tenant or staff)
    created_at_ms       INTEGER NOT NULL,
    expires_at_ms       INTEGER NOT NULL,
    channel_trade_id    TEXT    NULL,                -- Alipay trade_no / WeChat Pay transaction_id
    paid_at_ms          INTEGER NULL,
    paid_via            TEXT    NULL,                -- notification | query
    topup_id            INTEGER NULL,
    refunded_fen        INTEGER NOT NULL DEFAULT 0,  -- refunds the channel confirmed
    last_queried_at_ms  INTEGER NULL,
    closed_at_ms        INTEGER NULL,
    failure             TEXT    NULL                 -- why the channel refused to create it
);
CREATE INDEX ix_payment_orders_state ON payment_orders(state, created_at_ms);
CREATE INDEX ix_payment_orders_account ON payment_orders(account_id, id);

-- Every notification, stored raw with its verification outcome before anything acts on it.
CREATE TABLE payment_notifications (
    id              INTEGER PRIMARY KEY,
    channel         TEXT    NOT NULL,                -- alipay | wechat
    headers_json    TEXT    NULL,                    -- WeChat Pay: the Wechatpay-* headers
    body            TEXT    NOT NULL,                -- Alipay: the form as received; WeChat Pay: the raw JSON
    notify_id       TEXT    NULL,                    -- Alipay notify_id / WeChat Pay id, to spot replays
    verification    TEXT    NOT NULL,                -- verified | rejected
    reason          TEXT    NULL,                    -- why rejected (BadSignature, StaleTimestamp, ...)
    out_trade_no    TEXT    NULL,
    order_id        INTEGER NULL,
    outcome         TEXT    NOT NULL,                -- received | credited | duplicate | rejected | unknown_order | mismatch | not_paid | account_closed | refund | error
    detail          TEXT    NULL,
    received_at_ms  INTEGER NOT NULL
);
CREATE INDEX ix_payment_notifications_order ON payment_notifications(out_trade_no);
CREATE INDEX ix_payment_notifications_notify ON payment_notifications(channel, notify_id);

-- A refund of unused balance through the order's channel. The wallet is debited only when the
-- channel confirms, under the key refund:<channel>:<out_refund_no>.
CREATE TABLE payment_refunds (
    id                  INTEGER PRIMARY KEY,
    order_id            INTEGER NOT NULL REFERENCES payment_orders(id),
    account_id          INTEGER NOT NULL REFERENCES accounts(id),
    out_refund_no       TEXT    NOT NULL UNIQUE,     -- ours: Alipay out_request_no / WeChat Pay out_refund_no
    idempotency_key     TEXT    NOT NULL,
    request_hash        TEXT    NOT NULL,
    amount_fen          INTEGER NOT NULL CHECK (amount_fen > 0),
    state               TEXT    NOT NULL,            -- pending | succeeded | failed
    reason              TEXT    NULL,
    channel_refund_id   TEXT    NULL,
    failure             TEXT    NULL,
    requested_by        INTEGER NULL,
    created_at_ms       INTEGER NOT NULL,
    completed_at_ms     INTEGER NULL,
    UNIQUE (account_id, idempotency_key)
);
CREATE INDEX ix_payment_refunds_state ON payment_refunds(state);

-- A reconciliation run per channel and (China) day, and each difference it found.
CREATE TABLE payment_reconciliations (
    id              INTEGER PRIMARY KEY,
    channel         TEXT    NOT NULL,
    day             TEXT    NOT NULL,                -- yyyy-MM-dd in China Standard Time, as the channels settle
    orders          INTEGER NOT NULL,
    differences     INTEGER NOT NULL,
    created_at_ms   INTEGER NOT NULL
);
CREATE INDEX ix_payment_reconciliations_day ON payment_reconciliations(channel, day);

CREATE TABLE payment_reconciliation_rows (
    id                  INTEGER PRIMARY KEY,
    reconciliation_id   INTEGER NOT NULL REFERENCES payment_reconciliations(id),
    kind                TEXT    NOT NULL,            -- paid_not_credited | credited_not_paid | amount_mismatch | query_failed
    out_trade_no        TEXT    NOT NULL,
    account_id          INTEGER NOT NULL,
    order_state         TEXT    NOT NULL,
    order_fen           INTEGER NOT NULL,
    channel_state       TEXT    NOT NULL,
    channel_fen         INTEGER NULL,
    credited_fen        INTEGER NULL,                -- the top-up's amount (before the fee) in the ledger
    detail              TEXT    NULL
);
CREATE INDEX ix_payment_reconciliation_rows_run ON payment_reconciliation_rows(reconciliation_id);
