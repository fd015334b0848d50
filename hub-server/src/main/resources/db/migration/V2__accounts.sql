-- Accounts and access: organization memberships, scoped tokens, OIDC identities, browser sessions,
-- and the audit log.

-- Where an account comes from: 'local' (made by an admin or on first start) or 'oidc' (made on first
-- sight of an identity provider's token). oidc_subject ties an OIDC account to the provider's
-- subject, so a local account is never taken over by a provider user of the same name.
ALTER TABLE users ADD COLUMN source TEXT NOT NULL DEFAULT 'local';
ALTER TABLE users ADD COLUMN oidc_subject TEXT;
CREATE UNIQUE INDEX users_oidc_subject ON users (oidc_subject) WHERE oidc_subject IS NOT NULL;

-- A user's role in an organization. Memberships granted through the API are 'local'; those read from
-- the identity provider's groups claim are 'oidc' and replaced on every token. The effective role is
-- the highest of a user's rows for an organization.
CREATE TABLE memberships (
    org_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role       TEXT    NOT NULL,
    source     TEXT    NOT NULL,
    created_at TEXT    NOT NULL,
    PRIMARY KEY (org_id, user_id, source)
);
CREATE INDEX memberships_user ON memberships (user_id);

-- Tokens are found by a short prefix of their hash, then the whole hash is compared in constant time.
ALTER TABLE tokens ADD COLUMN hash_prefix TEXT NOT NULL DEFAULT '';
UPDATE tokens SET hash_prefix = substr(hash, 1, 12);
CREATE INDEX tokens_hash_prefix ON tokens (hash_prefix);
-- Space-separated repositories ('models/acme/x datasets/acme/y') a token is limited to; empty: all.
ALTER TABLE tokens ADD COLUMN repos TEXT NOT NULL DEFAULT '';
ALTER TABLE tokens ADD COLUMN revoked_at TEXT;

-- Browser sessions. Only a hash of the cookie value is stored; the CSRF token is sent back to the
-- page and compared on every state-changing request made with the cookie.
CREATE TABLE sessions (
    id_hash    TEXT    PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf       TEXT    NOT NULL,
    created_at TEXT    NOT NULL,
    expires_at TEXT    NOT NULL
);

CREATE TABLE audit_log (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    at      TEXT NOT NULL,
    actor   TEXT NOT NULL,
    action  TEXT NOT NULL,
    target  TEXT NOT NULL,
    detail  TEXT NOT NULL DEFAULT '',
    source  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_action ON audit_log (action, id);
CREATE INDEX audit_log_actor ON audit_log (actor, id);
