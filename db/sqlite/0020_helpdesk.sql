-- The helpdesk: a tenant's request to the site's staff (a supply outage, a faulty meter, a billing question, a leak),
-- its optional photo, the comments of both sides (staff may keep a comment internal) and every state change with who
-- and when. A request belongs to one site and one tenant; the account is optional.
CREATE TABLE helpdesk_requests (
    id                 INTEGER PRIMARY KEY,
    site_id            INTEGER NOT NULL REFERENCES sites(id),
    tenant_id          INTEGER NOT NULL REFERENCES tenants(id),
    account_id         INTEGER NULL REFERENCES accounts(id),
    category           TEXT    NOT NULL,            -- supplyOutage | meterFault | billingQuestion | leak | other
    body               TEXT    NOT NULL,
    state              TEXT    NOT NULL,            -- open | assigned | closed
    assignee_user_id   INTEGER NULL REFERENCES users(id),
    created_by_user_id INTEGER NOT NULL REFERENCES users(id),
    created_at_ms      INTEGER NOT NULL,
    updated_at_ms      INTEGER NOT NULL,
    closed_at_ms       INTEGER NULL
);
CREATE INDEX ix_helpdesk_requests_site_state ON helpdesk_requests(site_id, state);
CREATE INDEX ix_helpdesk_requests_tenant ON helpdesk_requests(tenant_id, id);

-- The photo apart from the request, so lists never read it; the type is the one its first bytes show.
CREATE TABLE helpdesk_photos (
    request_id    INTEGER NOT NULL PRIMARY KEY REFERENCES helpdesk_requests(id),
    content_type  TEXT    NOT NULL,                 -- image/jpeg | image/png | image/webp
    bytes         BLOB    NOT NULL
);

CREATE TABLE helpdesk_comments (
    id             INTEGER PRIMARY KEY,
    request_id     INTEGER NOT NULL REFERENCES helpdesk_requests(id),
    user_id        INTEGER NOT NULL REFERENCES users(id),
    by_tenant      INTEGER NOT NULL,                -- 1: the tenant wrote it; 0: staff
    internal       INTEGER NOT NULL DEFAULT 0,      -- 1: staff only, never shown to the tenant
    body           TEXT    NOT NULL,
    created_at_ms  INTEGER NOT NULL
);
CREATE INDEX ix_helpdesk_comments_request ON helpdesk_comments(request_id, id);

CREATE TABLE helpdesk_events (
    id                INTEGER PRIMARY KEY,
    request_id        INTEGER NOT NULL REFERENCES helpdesk_requests(id),
    kind              TEXT    NOT NULL,             -- filed | assigned | closed | reopened
    user_id           INTEGER NOT NULL REFERENCES users(id),
    assignee_user_id  INTEGER NULL,                 -- assigned: to whom
    at_ms             INTEGER NOT NULL
);
CREATE INDEX ix_helpdesk_events_request ON helpdesk_events(request_id, id);
