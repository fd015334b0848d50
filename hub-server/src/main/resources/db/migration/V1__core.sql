-- Users, tokens and repository metadata. Repositories themselves live on disk as bare git repos.
CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    name          TEXT    NOT NULL UNIQUE,
    fullname      TEXT    NOT NULL DEFAULT '',
    email         TEXT    NOT NULL DEFAULT '',
    is_admin      INTEGER NOT NULL DEFAULT 0,
    is_org        INTEGER NOT NULL DEFAULT 0,
    password_hash TEXT,
    created_at    TEXT    NOT NULL
);

CREATE TABLE tokens (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id),
    display_name TEXT    NOT NULL,
    hash         TEXT    NOT NULL UNIQUE,
    role         TEXT    NOT NULL,
    created_at   TEXT    NOT NULL,
    last_used_at TEXT,
    revoked      INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE repos (
    type             TEXT    NOT NULL,
    owner            TEXT    NOT NULL,
    name             TEXT    NOT NULL,
    private          INTEGER NOT NULL DEFAULT 0,
    gated            TEXT    NOT NULL DEFAULT 'false',
    allow_force_push INTEGER NOT NULL DEFAULT 0,
    downloads        INTEGER NOT NULL DEFAULT 0,
    likes            INTEGER NOT NULL DEFAULT 0,
    next_pr          INTEGER NOT NULL DEFAULT 1,
    created_at       TEXT    NOT NULL,
    PRIMARY KEY (type, owner, name)
);

-- Old ids of moved repositories answer with a redirect to the new id.
CREATE TABLE repo_moves (
    type       TEXT NOT NULL,
    from_owner TEXT NOT NULL,
    from_name  TEXT NOT NULL,
    to_owner   TEXT NOT NULL,
    to_name    TEXT NOT NULL,
    PRIMARY KEY (type, from_owner, from_name)
);

-- Every change to a repository, written before the ref moves (state 'pending') and confirmed after.
-- Subscribers read confirmed events in seq order and remember where they are.
CREATE TABLE outbox (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    kind       TEXT NOT NULL,
    repo_type  TEXT NOT NULL,
    owner      TEXT NOT NULL,
    name       TEXT NOT NULL,
    ref        TEXT NOT NULL DEFAULT '',
    old_id     TEXT NOT NULL DEFAULT '',
    new_id     TEXT NOT NULL DEFAULT '',
    state      TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX outbox_state ON outbox (state, seq);

CREATE TABLE subscriber_offsets (
    subscriber TEXT PRIMARY KEY,
    seq        INTEGER NOT NULL
);
