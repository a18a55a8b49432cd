-- A branch's proposals for its members' ratings before the committee decides: the member's self
-- rating, the branch's proposed level and its comment, one per member and period (a new
-- proposal replaces the last). The decided rating (table ratings) carries them on.
CREATE TABLE rating_proposals (
    id INTEGER PRIMARY KEY,
    member_id INTEGER NOT NULL REFERENCES members(id),
    unit_id INTEGER NOT NULL REFERENCES units(id),
    unit_path TEXT NOT NULL,
    year INTEGER NOT NULL,
    quarter INTEGER,
    self_level TEXT NOT NULL,
    proposed_level TEXT NOT NULL,
    comment TEXT NOT NULL,
    proposed_by TEXT NOT NULL
);
CREATE INDEX rating_proposals_unit ON rating_proposals(unit_id, year);
CREATE INDEX rating_proposals_member ON rating_proposals(member_id, year);
