-- Mobile payments (issue 5): orders sent to Alipay / WeChat Pay, every notification as it arrived,
-- refunds back through the channel, and the daily reconciliation against the channels' records.
-- Money is fen, instants are UTC Unix milliseconds.

-- A payment order exists (pending) before the tenant pays; the wallet is credited once, in the
-- transaction that marks it paid, under the key topup:<channel>:<out_trade_no>.
CREATE TABLE payment_orders (
    id                  BIGINT IDENTITY(1,1) PRIMARY KEY,
    out_trade_no        NVARCHAR(64) NOT NULL UNIQUE,     -- ours, sent to the channel: 6-32 of [0-9A-Za-z_-|*]
    account_id          BIGINT NOT NULL REFERENCES accounts(id),
    amount_fen          BIGINT NOT NULL CHECK (amount_fen > 0),
    channel             NVARCHAR(20) NOT NULL,            -- alipay | wechat
    method              NVARCHAR(20) NOT NULL,            -- qr | wap | app | native | jsapi | h5
    state               NVARCHAR(20) NOT NULL,            -- pending | paid | closed | expired
    created_by          BIGINT NULL,                -- the user who asked (tenant or staff)
    created_at_ms       BIGINT NOT NULL,
    expires_at_ms       BIGINT NOT NULL,
    channel_trade_id    NVARCHAR(64) NULL,                -- Alipay trade_no / WeChat Pay transaction_id
    paid_at_ms          BIGINT NULL,
    paid_via            NVARCHAR(20) NULL,                -- notification | query
    topup_id            BIGINT NULL,
    refunded_fen        BIGINT NOT NULL DEFAULT 0,  -- refunds the channel confirmed
    last_queried_at_ms  BIGINT NULL,
    closed_at_ms        BIGINT NULL,
    failure             NVARCHAR(MAX)    NULL                 -- why the channel refused to create it
);
CREATE INDEX ix_payment_orders_state ON payment_orders(state, created_at_ms);
CREATE INDEX ix_payment_orders_account ON payment_orders(account_id, id);

-- Every notification, stored raw with its verification outcome before anything acts on it.
CREATE TABLE payment_notifications (
    id              BIGINT IDENTITY(1,1) PRIMARY KEY,
    channel         NVARCHAR(20) NOT NULL,                -- alipay | wechat
    headers_json    NVARCHAR(MAX)    NULL,                    -- WeChat Pay: the Wechatpay-* headers
    body            NVARCHAR(MAX)    NOT NULL,                -- Alipay: the form as received; WeChat Pay: the raw JSON
    notify_id       NVARCHAR(100) NULL,                    -- Alipay notify_id / WeChat Pay id, to spot replays
    verification    NVARCHAR(20) NOT NULL,                -- verified | rejected
    reason          NVARCHAR(MAX) NULL,                    -- why rejected (BadSignature, StaleTimestamp, ...)
    out_trade_no    NVARCHAR(64) NULL,
    order_id        BIGINT NULL,
    outcome         NVARCHAR(20) NOT NULL,                -- received | credited | duplicate | rejected | unknown_order | mismatch | not_paid | account_closed | refund | error
    detail          NVARCHAR(MAX)    NULL,
    received_at_ms  BIGINT NOT NULL
);
CREATE INDEX ix_payment_notifications_order ON payment_notifications(out_trade_no);
CREATE INDEX ix_payment_notifications_notify ON payment_notifications(channel, notify_id);

-- A refund of unused balance through the order's channel. The wallet is debited only when the
-- channel confirms, under the key refund:<channel>:<out_refund_no>.
CREATE TABLE payment_refunds (
    id                  BIGINT IDENTITY(1,1) PRIMARY KEY,
    order_id            BIGINT NOT NULL REFERENCES payment_orders(id),
    account_id          BIGINT NOT NULL REFERENCES accounts(id),
    out_refund_no       NVARCHAR(64) NOT NULL UNIQUE,     -- ours: Alipay out_request_no / WeChat Pay out_refund_no
    idempotency_key     NVARCHAR(100) NOT NULL,
    request_hash        NVARCHAR(64) NOT NULL,
    amount_fen          BIGINT NOT NULL CHECK (amount_fen > 0),
    state               NVARCHAR(20) NOT NULL,            -- pending | succeeded | failed
    reason              NVARCHAR(MAX) NULL,
    channel_refund_id   NVARCHAR(64) NULL,
    failure             NVARCHAR(MAX)    NULL,
    requested_by        BIGINT NULL,
    created_at_ms       BIGINT NOT NULL,
    completed_at_ms     BIGINT NULL,
    UNIQUE (account_id, idempotency_key)
);
CREATE INDEX ix_payment_refunds_state ON payment_refunds(state);

-- A reconciliation run per channel and (China) day, and each difference it found.
CREATE TABLE payment_reconciliations (
    id              BIGINT IDENTITY(1,1) PRIMARY KEY,
    channel         NVARCHAR(20) NOT NULL,
    day             NVARCHAR(10) NOT NULL,                -- yyyy-MM-dd in China Standard Time, as the channels settle
    orders          BIGINT NOT NULL,
    differences     BIGINT NOT NULL,
    created_at_ms   BIGINT NOT NULL
);
CREATE INDEX ix_payment_reconciliations_day ON payment_reconciliations(channel, day);

CREATE TABLE payment_reconciliation_rows (
    id                  BIGINT IDENTITY(1,1) PRIMARY KEY,
    reconciliation_id   BIGINT NOT NULL REFERENCES payment_reconciliations(id),
    kind                NVARCHAR(40) NOT NULL,            -- paid_not_credited | credited_not_paid | amount_mismatch | query_failed
    out_trade_no        NVARCHAR(64) NOT NULL,
    account_id          BIGINT NOT NULL,
    order_state         NVARCHAR(20) NOT NULL,
    order_fen           BIGINT NOT NULL,
    channel_state       NVARCHAR(40) NOT NULL,
    channel_fen         BIGINT NULL,
    credited_fen        BIGINT NULL,                -- the top-up's amount (before the fee) in the ledger
    detail              NVARCHAR(MAX)    NULL
);
CREATE INDEX ix_payment_reconciliation_rows_run ON payment_reconciliation_rows(reconciliation_id);
