-- The audit log records the unit whose subtree each change is about, so that a scoped
-- administrator reads only rows about records inside the scope. Older rows keep '' (whole database).
ALTER TABLE audit_log ADD COLUMN unit_path TEXT NOT NULL DEFAULT '';
CREATE INDEX audit_log_path ON audit_log(unit_path, id);
