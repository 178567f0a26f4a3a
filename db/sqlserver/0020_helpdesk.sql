-- The helpdesk: a tenant's request to the site's staff (a supply outage, a faulty meter, a billing question, a leak),
-- its optional photo, the comments of both sides (staff may keep a comment internal) and every state change with who
-- and when. A request belongs to one site and one tenant; the account is optional.
CREATE TABLE helpdesk_requests (
    id                 BIGINT IDENTITY(1,1) PRIMARY KEY,
    site_id            BIGINT         NOT NULL REFERENCES sites(id),
    tenant_id          BIGINT         NOT NULL REFERENCES tenants(id),
    account_id         BIGINT         NULL REFERENCES accounts(id),
    category           NVARCHAR(32)   NOT NULL,
    body               NVARCHAR(2000) NOT NULL,
    state              NVARCHAR(16)   NOT NULL,
    assignee_user_id   BIGINT         NULL REFERENCES users(id),
    created_by_user_id BIGINT         NOT NULL REFERENCES users(id),
    created_at_ms      BIGINT         NOT NULL,
    updated_at_ms      BIGINT         NOT NULL,
    closed_at_ms       BIGINT         NULL
);
CREATE INDEX ix_helpdesk_requests_site_state ON helpdesk_requests(site_id, state);
CREATE INDEX ix_helpdesk_requests_tenant ON helpdesk_requests(tenant_id, id);

-- The photo apart from the request, so lists never read it; the type is the one its first bytes show.
CREATE TABLE helpdesk_photos (
    request_id    BIGINT         NOT NULL PRIMARY KEY REFERENCES helpdesk_requests(id),
    content_type  NVARCHAR(32)   NOT NULL,
    bytes         VARBINARY(MAX) NOT NULL
);

CREATE TABLE helpdesk_comments (
    id             BIGINT IDENTITY(1,1) PRIMARY KEY,
    request_id     BIGINT         NOT NULL REFERENCES helpdesk_requests(id),
    user_id        BIGINT         NOT NULL REFERENCES users(id),
    by_tenant      BIGINT         NOT NULL,
    internal       BIGINT         NOT NULL DEFAULT 0,
    body           NVARCHAR(2000) NOT NULL,
    created_at_ms  BIGINT         NOT NULL
);
CREATE INDEX ix_helpdesk_comments_request ON helpdesk_comments(request_id, id);

CREATE TABLE helpdesk_events (
    id                BIGINT IDENTITY(1,1) PRIMARY KEY,
    request_id        BIGINT       NOT NULL REFERENCES helpdesk_requests(id),
    kind              NVARCHAR(16) NOT NULL,
    user_id           BIGINT       NOT NULL REFERENCES users(id),
    assignee_user_id  BIGINT       NULL,
    at_ms             BIGINT       NOT NULL
);
CREATE INDEX ix_helpdesk_events_request ON helpdesk_events(request_id, id);
