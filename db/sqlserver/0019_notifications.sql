-- Notifications to tenants: what each tenant subscribed to per channel (with quiet hours in the site's zone), and the
-- outbox of messages to send, one row per event and channel (dedup_key + channel unique: an event is told once).
CREATE TABLE notification_subscriptions (
    tenant_id      BIGINT        NOT NULL REFERENCES tenants(id),
    channel        NVARCHAR(16)  NOT NULL,
    address        NVARCHAR(200) NOT NULL,
    kinds          NVARCHAR(400) NOT NULL,
    quiet_from     NVARCHAR(5)   NULL,
    quiet_to       NVARCHAR(5)   NULL,
    updated_at_ms  BIGINT        NOT NULL,
    CONSTRAINT pk_notification_subscriptions PRIMARY KEY (tenant_id, channel)
);

CREATE TABLE notifications (
    id             BIGINT IDENTITY(1,1) PRIMARY KEY,
    tenant_id      BIGINT         NOT NULL REFERENCES tenants(id),
    account_id     BIGINT         NULL,
    kind           NVARCHAR(32)   NOT NULL,
    channel        NVARCHAR(16)   NOT NULL,
    address        NVARCHAR(200)  NOT NULL,
    dedup_key      NVARCHAR(200)  NOT NULL,
    params_json    NVARCHAR(MAX)  NOT NULL,
    state          NVARCHAR(16)   NOT NULL,
    attempts       INT            NOT NULL DEFAULT 0,
    not_before_ms  BIGINT         NOT NULL,
    created_at_ms  BIGINT         NOT NULL,
    sent_at_ms     BIGINT         NULL,
    last_error     NVARCHAR(1000) NULL
);
CREATE UNIQUE INDEX ux_notifications_dedup ON notifications(dedup_key, channel);
CREATE INDEX ix_notifications_due ON notifications(state, not_before_ms);

CREATE TABLE notification_cursors (
    name     NVARCHAR(32) NOT NULL PRIMARY KEY,
    last_id  BIGINT       NOT NULL
);

-- Start after what is already there: history is not announced.
INSERT INTO notification_cursors (name, last_id) SELECT 'outbox', COALESCE(MAX(id), 0) FROM outbox;
INSERT INTO notification_cursors (name, last_id) SELECT 'postings', COALESCE(MAX(id), 0) FROM postings;
INSERT INTO notification_cursors (name, last_id) SELECT 'commands', COALESCE(MAX(id), 0) FROM device_commands;
