-- Accounts, sessions and API tokens; the hash-chained audit trail; the report life cycle
-- (who submitted, who approved, why returned, amendments); per-county settings.

CREATE TABLE users (
    id BIGINT PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL,
    county_id BIGINT REFERENCES counties (id),
    department_id BIGINT REFERENCES departments (id),
    scope_code TEXT,
    password_hash TEXT NOT NULL,
    disabled BIGINT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE api_tokens (
    id BIGINT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    expires_at TEXT,
    revoked_at TEXT
);
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);

CREATE TABLE audit_log (
    seq BIGINT PRIMARY KEY,
    at TEXT NOT NULL,
    actor_id BIGINT,
    actor_name TEXT NOT NULL,
    action TEXT NOT NULL,
    object_kind TEXT NOT NULL,
    object_id BIGINT NOT NULL,
    county_id BIGINT,
    changes TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_log_object ON audit_log (object_kind, object_id);
-- The last entry written, updated in the same transaction: removing entries at the end of
-- the chain is then detectable too.
CREATE TABLE audit_head (name TEXT PRIMARY KEY, seq BIGINT NOT NULL, hash TEXT NOT NULL);
INSERT INTO audit_head (name, seq, hash) VALUES ('head', 0, '0000000000000000000000000000000000000000000000000000000000000000');

ALTER TABLE project_reports ADD COLUMN submitted_by BIGINT;
ALTER TABLE project_reports ADD COLUMN approved_by BIGINT;
ALTER TABLE project_reports ADD COLUMN return_reason TEXT;
ALTER TABLE task_reports ADD COLUMN submitted_by BIGINT;
ALTER TABLE task_reports ADD COLUMN approved_by BIGINT;
ALTER TABLE task_reports ADD COLUMN return_reason TEXT;

CREATE TABLE report_amendments (
    id BIGINT PRIMARY KEY,
    report_id BIGINT NOT NULL,
    report_kind TEXT NOT NULL,
    amended_by BIGINT NOT NULL REFERENCES users (id),
    at TEXT NOT NULL,
    reason TEXT NOT NULL,
    old_values TEXT NOT NULL,
    new_values TEXT NOT NULL
);
CREATE INDEX report_amendments_report ON report_amendments (report_id);

CREATE TABLE county_settings (
    county_id BIGINT PRIMARY KEY REFERENCES counties (id),
    calendar TEXT NOT NULL,
    warnings TEXT NOT NULL
);
