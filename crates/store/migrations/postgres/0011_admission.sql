-- The admission pipeline: candidates (people being prepared for admission) with a member's
-- personal fields, the branch preparing them and who nominated them; their dated steps, each
-- step's facts kept as the JSON the domain's rules read (the stage and date are columns, for
-- the board, the due list and the figures); the full members introducing them; and the
-- awareness classes with their trainees. The decision creates the member and links it here.
CREATE TABLE candidates (
    id BIGSERIAL PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    full_name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    sort_key TEXT COLLATE "C" NOT NULL,
    sex TEXT NOT NULL,
    birth_date DATE NOT NULL,
    ethnicity TEXT NOT NULL,
    ethnicity_key TEXT NOT NULL,
    religion TEXT NOT NULL,
    religion_key TEXT NOT NULL,
    home_town TEXT NOT NULL,
    residence TEXT NOT NULL,
    national_id TEXT NOT NULL,
    general_education TEXT,
    qualification TEXT,
    theory_level TEXT,
    occupation TEXT NOT NULL,
    phone TEXT NOT NULL,
    card_number TEXT NOT NULL,
    unit_id BIGINT NOT NULL REFERENCES units(id),
    unit_path TEXT COLLATE "C" NOT NULL,
    nominated_by TEXT NOT NULL,
    stage TEXT NOT NULL,
    stage_on DATE NOT NULL,
    member_id BIGINT REFERENCES members(id),
    recorded_by TEXT NOT NULL
);
CREATE INDEX candidates_path ON candidates(unit_path, stage);

CREATE TABLE candidate_steps (
    id BIGSERIAL PRIMARY KEY,
    candidate_id BIGINT NOT NULL REFERENCES candidates(id),
    stage TEXT NOT NULL,
    step_date DATE NOT NULL,
    facts TEXT NOT NULL,
    recorded_by TEXT NOT NULL
);
CREATE INDEX candidate_steps_candidate ON candidate_steps(candidate_id, step_date);
CREATE INDEX candidate_steps_stage ON candidate_steps(stage, step_date);

CREATE TABLE candidate_introducers (
    candidate_id BIGINT NOT NULL REFERENCES candidates(id),
    member_id BIGINT NOT NULL REFERENCES members(id),
    assigned_on DATE NOT NULL,
    recorded_by TEXT NOT NULL,
    PRIMARY KEY (candidate_id, member_id)
);

CREATE TABLE awareness_classes (
    id BIGSERIAL PRIMARY KEY,
    unit_id BIGINT NOT NULL REFERENCES units(id),
    unit_path TEXT COLLATE "C" NOT NULL,
    name TEXT NOT NULL,
    organizer TEXT NOT NULL,
    starts_on DATE NOT NULL,
    ends_on DATE NOT NULL,
    place TEXT NOT NULL,
    recorded_by TEXT NOT NULL
);
CREATE INDEX awareness_classes_path ON awareness_classes(unit_path, ends_on);

CREATE TABLE class_trainees (
    id BIGSERIAL PRIMARY KEY,
    class_id BIGINT NOT NULL REFERENCES awareness_classes(id),
    candidate_id BIGINT REFERENCES candidates(id),
    full_name TEXT NOT NULL,
    birth_date DATE,
    result TEXT NOT NULL,
    certificate TEXT NOT NULL,
    recorded_by TEXT NOT NULL
);
CREATE INDEX class_trainees_class ON class_trainees(class_id);

-- A unit in a hardship area (vùng khó khăn): its candidates need primary education rather than
-- lower secondary (DOMAIN.md §1); it holds for the unit's whole subtree.
ALTER TABLE units ADD COLUMN hardship_area INTEGER NOT NULL DEFAULT 0;
