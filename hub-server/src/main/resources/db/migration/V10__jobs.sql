-- Training and verification jobs, their logs and metrics, the runners that claim them,
-- which adapters follow which dataset, and the checks recorded against adapter commits.
CREATE TABLE jobs (
    id             TEXT PRIMARY KEY,
    kind           TEXT    NOT NULL,
    repo_type      TEXT    NOT NULL,
    owner          TEXT    NOT NULL,
    name           TEXT    NOT NULL,
    dedupe_key     TEXT    NOT NULL UNIQUE,
    spec           TEXT    NOT NULL,
    status         TEXT    NOT NULL,
    message        TEXT    NOT NULL DEFAULT '',
    attempts       INTEGER NOT NULL DEFAULT 0,
    max_attempts   INTEGER NOT NULL DEFAULT 3,
    runner_id      TEXT,
    lease_until    INTEGER,
    cancel_asked   INTEGER NOT NULL DEFAULT 0,
    result_commit  TEXT,
    created_by     TEXT    NOT NULL,
    created_at     TEXT    NOT NULL,
    updated_at     TEXT    NOT NULL,
    started_at     TEXT,
    finished_at    TEXT
);
CREATE INDEX jobs_queue ON jobs (status, created_at);
CREATE INDEX jobs_repo ON jobs (repo_type, owner, name, created_at);

CREATE TABLE job_logs (
    job_id TEXT    NOT NULL,
    seq    INTEGER NOT NULL,
    at     TEXT    NOT NULL,
    line   TEXT    NOT NULL,
    PRIMARY KEY (job_id, seq)
);

CREATE TABLE job_metrics (
    job_id TEXT    NOT NULL,
    seq    INTEGER NOT NULL,
    at     TEXT    NOT NULL,
    data   TEXT    NOT NULL,
    PRIMARY KEY (job_id, seq)
);

CREATE TABLE runners (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    capabilities TEXT NOT NULL,
    owner        TEXT NOT NULL,
    last_seen_at TEXT NOT NULL
);

-- Derived from each adapter repo's quiver.yaml on main; rebuilt from the repos when lost.
CREATE TABLE recipe_follows (
    adapter_owner  TEXT NOT NULL,
    adapter_name   TEXT NOT NULL,
    dataset_owner  TEXT NOT NULL,
    dataset_name   TEXT NOT NULL,
    dataset_branch TEXT NOT NULL,
    base_owner     TEXT NOT NULL,
    base_name      TEXT NOT NULL,
    recipe_blob    TEXT NOT NULL,
    adapter_commit TEXT NOT NULL,
    PRIMARY KEY (adapter_owner, adapter_name)
);
CREATE INDEX recipe_follows_dataset ON recipe_follows (dataset_owner, dataset_name, dataset_branch);
CREATE INDEX recipe_follows_base ON recipe_follows (base_owner, base_name);

-- An index of the verdicts kept as git notes on adapter commits (the notes are the truth).
CREATE TABLE checks (
    repo_type  TEXT NOT NULL,
    owner      TEXT NOT NULL,
    name       TEXT NOT NULL,
    commit_id  TEXT NOT NULL,
    check_name TEXT NOT NULL,
    status     TEXT NOT NULL,
    summary    TEXT NOT NULL,
    details    TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (repo_type, owner, name, commit_id, check_name)
);
