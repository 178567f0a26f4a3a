-- Notifications to tenants: what each tenant subscribed to per channel (with quiet hours in the site's zone), and the
-- outbox of messages to send, one row per event and channel (dedup_key + channel unique: an event is told once).
CREATE TABLE notification_subscriptions (
    tenant_id      INTEGER NOT NULL REFERENCES tenants(id),
    channel        TEXT    NOT NULL,            -- sms | wechat | email
    address        TEXT    NOT NULL,            -- phone number, WeChat openid, e-mail address
    kinds          TEXT    NOT NULL,            -- comma-separated notification kinds
    quiet_from     TEXT    NULL,                -- HH:mm, site-local; with quiet_to a window that may span midnight
    quiet_to       TEXT    NULL,
    updated_at_ms  INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, channel)
);

CREATE TABLE notifications (
    id             INTEGER PRIMARY KEY,
    tenant_id      INTEGER NOT NULL REFERENCES tenants(id),
    account_id     INTEGER NULL,
    kind           TEXT    NOT NULL,            -- lowBalance1 | lowBalance2 | supplyCutSoon | supplyCut | supplyRestored | paymentReceived | leak | statementReady
    channel        TEXT    NOT NULL,
    address        TEXT    NOT NULL,
    dedup_key      TEXT    NOT NULL,
    params_json    TEXT    NOT NULL,
    state          TEXT    NOT NULL,            -- pending | sent | failed
    attempts       INTEGER NOT NULL DEFAULT 0,
    not_before_ms  INTEGER NOT NULL,            -- quiet hours and retries move it later, never drop the message
    created_at_ms  INTEGER NOT NULL,
    sent_at_ms     INTEGER NULL,
    last_error     TEXT    NULL
);
CREATE UNIQUE INDEX ux_notifications_dedup ON notifications(dedup_key, channel);
CREATE INDEX ix_notifications_due ON notifications(state, not_before_ms);

-- How far the planner has read the outbox and the postings (ids only grow).
CREATE TABLE notification_cursors (
    name     TEXT    NOT NULL PRIMARY KEY,
    last_id  INTEGER NOT NULL
);

-- Start after what is already there: history is not announced.
INSERT INTO notification_cursors (name, last_id) SELECT 'outbox', COALESCE(MAX(id), 0) FROM outbox;
INSERT INTO notification_cursors (name, last_id) SELECT 'postings', COALESCE(MAX(id), 0) FROM postings;
INSERT INTO notification_cursors (name, last_id) SELECT 'commands', COALESCE(MAX(id), 0) FROM device_commands;
