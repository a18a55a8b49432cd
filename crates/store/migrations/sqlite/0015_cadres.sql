-- Cadre work and training (issue 15). A holding is a person in a post of a unit from a day to a
-- day, started and ended by dated decisions (appointment, election, rotation …); the person is a
-- member, or a non-member named with a short record. A post of a village (trưởng thôn) is held at
-- the branch covering the village, whose name it keeps. A training fact is a level a member
-- reached on a day (political theory, general education, professional qualification) with its
-- institution and diploma; the member's record keeps the latest.
CREATE TABLE holdings (
    id INTEGER PRIMARY KEY,
    unit_id INTEGER NOT NULL REFERENCES units(id),
    unit_path TEXT NOT NULL,
    post TEXT NOT NULL,
    member_id INTEGER REFERENCES members(id),
    person_name TEXT NOT NULL,
    birth_date TEXT,
    village TEXT NOT NULL,
    from_date TEXT NOT NULL,
    to_date TEXT,
    start_move TEXT NOT NULL,
    start_decision TEXT NOT NULL,
    end_move TEXT,
    end_decision TEXT NOT NULL,
    recorded_by TEXT NOT NULL
);
CREATE INDEX holdings_path ON holdings(unit_path, from_date);
CREATE INDEX holdings_member ON holdings(member_id);
CREATE TABLE training_facts (
    id INTEGER PRIMARY KEY,
    member_id INTEGER NOT NULL REFERENCES members(id),
    kind TEXT NOT NULL,
    level TEXT NOT NULL,
    on_date TEXT NOT NULL,
    institution TEXT NOT NULL,
    diploma TEXT NOT NULL,
    recorded_by TEXT NOT NULL
);
CREATE INDEX training_facts_member ON training_facts(member_id, kind);
