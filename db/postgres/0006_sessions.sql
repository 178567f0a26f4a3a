-- Sessions that end: a user can be disabled, a user's tokens are revoked by deleting their rows, and failed
-- sign-ins are counted per user name to lock it for a while. Instants are UTC Unix milliseconds.

ALTER TABLE users ADD COLUMN disabled BIGINT NOT NULL DEFAULT 0;   -- 1: no sign-in, no token works

CREATE INDEX ix_auth_tokens_user ON auth_tokens(user_id);

-- Keyed by the name as typed (lower case), whether or not such a user exists, so a lockout reveals nothing.
CREATE TABLE sign_in_failures (
    username            TEXT    PRIMARY KEY,
    failures            BIGINT NOT NULL,        -- failures in a row (none older than the lockout period) since the last lockout
    last_failed_at_ms   BIGINT NOT NULL,
    locked_until_ms     BIGINT NULL
);
CREATE INDEX ix_sign_in_failures_last ON sign_in_failures(last_failed_at_ms);
