-- Each member record carries the version it is at and when it last changed, so that an edit made
-- from an older version is refused instead of silently undoing someone else's.
ALTER TABLE members ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE members ADD COLUMN updated_at BIGINT NOT NULL DEFAULT 0;
