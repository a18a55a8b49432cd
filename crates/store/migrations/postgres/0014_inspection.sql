-- Inspection, supervision and discipline (confidential: only the inspection capability reads
-- these tables). A unit's yearly plan of inspections and supervisions; the cases, each decided by
-- a unit (its committee, standing committee or inspection commission) with its subjects
-- (organizations and members) and each subject's conclusion; the discipline decided on a
-- subject, tied to the member's event or the unit's restructuring it caused; complaints against
-- a decision with their deadline in working days. A case counts where it was decided; a subject
-- and its discipline where the subject is (its unit's path).
CREATE TABLE inspection_plan_items (
    id BIGSERIAL PRIMARY KEY,
    unit_id BIGINT NOT NULL REFERENCES units(id),
    unit_path TEXT COLLATE "C" NOT NULL,
    year BIGINT NOT NULL,
    kind TEXT NOT NULL,
    subject_unit_id BIGINT NOT NULL REFERENCES units(id),
    subject_member_id BIGINT REFERENCES members(id),
    topic TEXT NOT NULL,
    planned_from DATE NOT NULL,
    planned_to DATE NOT NULL,
    recorded_by TEXT NOT NULL
);
CREATE INDEX inspection_plan_items_path ON inspection_plan_items(unit_path, year);
CREATE TABLE inspection_cases (
    id BIGSERIAL PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    unit_id BIGINT NOT NULL REFERENCES units(id),
    unit_path TEXT COLLATE "C" NOT NULL,
    body TEXT NOT NULL,
    decision_number TEXT NOT NULL,
    decided_on DATE NOT NULL,
    started_on DATE,
    concluded_on DATE,
    topic TEXT NOT NULL,
    plan_item_id BIGINT REFERENCES inspection_plan_items(id),
    recorded_by TEXT NOT NULL
);
CREATE INDEX inspection_cases_path ON inspection_cases(unit_path, decided_on);
CREATE INDEX inspection_cases_plan ON inspection_cases(plan_item_id);
CREATE TABLE case_subjects (
    id BIGSERIAL PRIMARY KEY,
    case_id BIGINT NOT NULL REFERENCES inspection_cases(id),
    subject_kind TEXT NOT NULL,
    member_id BIGINT REFERENCES members(id),
    unit_id BIGINT NOT NULL REFERENCES units(id),
    subject_path TEXT COLLATE "C" NOT NULL,
    conclusion TEXT,
    conclusion_note TEXT NOT NULL
);
CREATE INDEX case_subjects_case ON case_subjects(case_id);
CREATE INDEX case_subjects_member ON case_subjects(member_id);
CREATE TABLE discipline_decisions (
    id BIGSERIAL PRIMARY KEY,
    case_subject_id BIGINT NOT NULL REFERENCES case_subjects(id),
    subject_kind TEXT NOT NULL,
    member_id BIGINT REFERENCES members(id),
    unit_id BIGINT NOT NULL REFERENCES units(id),
    subject_path TEXT COLLATE "C" NOT NULL,
    form TEXT NOT NULL,
    decided_by_unit_id BIGINT NOT NULL REFERENCES units(id),
    body TEXT NOT NULL,
    decision_number TEXT NOT NULL,
    decided_on DATE NOT NULL,
    violation_on DATE NOT NULL,
    no_limit_kind BIGINT NOT NULL,
    reason TEXT NOT NULL,
    event_id BIGINT REFERENCES member_events(id),
    restructure_id BIGINT REFERENCES restructures(id),
    annulled_on DATE,
    recorded_by TEXT NOT NULL
);
CREATE INDEX discipline_decisions_path ON discipline_decisions(subject_path, decided_on);
CREATE INDEX discipline_decisions_member ON discipline_decisions(member_id);
CREATE TABLE discipline_complaints (
    id BIGSERIAL PRIMARY KEY,
    decision_id BIGINT NOT NULL REFERENCES discipline_decisions(id),
    received_on DATE NOT NULL,
    settling_unit_id BIGINT NOT NULL REFERENCES units(id),
    deadline DATE NOT NULL,
    settled_on DATE,
    result TEXT,
    new_form TEXT,
    note TEXT NOT NULL,
    recorded_by TEXT NOT NULL
);
CREATE INDEX discipline_complaints_decision ON discipline_complaints(decision_id);
-- A case's documents (its decision, the conclusion, minutes…): PDF or DOCX, kept in the database
-- so that a backup holds them, as confidential as the case.
CREATE TABLE case_files (
    id BIGSERIAL PRIMARY KEY,
    case_id BIGINT NOT NULL REFERENCES inspection_cases(id),
    name TEXT NOT NULL,
    media_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    content BYTEA NOT NULL,
    recorded_by TEXT NOT NULL
);
CREATE INDEX case_files_case ON case_files(case_id);
