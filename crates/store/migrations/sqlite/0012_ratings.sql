-- Annual (and, under QĐ 366, quarterly) ratings of members and party organizations: the self
-- rating, the proposal and the decided level, points where the scheme scores, the deciding body
-- and decision; a rating changed by a new decision keeps the old one (no longer current). A
-- member's rating is kept at the branch where they were rated (its path, for the scope and the
-- figures); an organization's at the organization itself.
CREATE TABLE ratings (
    id INTEGER PRIMARY KEY,
    subject TEXT NOT NULL,
    member_id INTEGER REFERENCES members(id),
    unit_id INTEGER NOT NULL REFERENCES units(id),
    unit_path TEXT NOT NULL,
    year INTEGER NOT NULL,
    quarter INTEGER,
    self_level TEXT NOT NULL,
    proposed_level TEXT NOT NULL,
    level TEXT NOT NULL,
    points INTEGER,
    decided_by TEXT NOT NULL,
    decision_number TEXT NOT NULL,
    comment TEXT NOT NULL,
    quota_exception TEXT NOT NULL,
    replaces_id INTEGER REFERENCES ratings(id),
    current INTEGER NOT NULL,
    recorded_by TEXT NOT NULL
);
CREATE INDEX ratings_path ON ratings(unit_path, year);
CREATE INDEX ratings_member ON ratings(member_id, year);
