-- Cadre work and political education (issue 15).
--
-- A person is someone who holds a post or has training facts: a member (linked once; name, sex,
-- birth date and scope come from the member's record), or a non-member with a short record kept
-- by a unit, with a code of their own. A holding is a person in a post of a unit (with the body or
-- title it is of: "Hội Nông dân", "Tư pháp – Hộ tịch") from a day (inclusive) to a day (exclusive;
-- open while held), started by a decision (appointment, election, rotation …) and ended by one
-- (dismissal, end of term …, or the discipline decision or member event that ended it). A village
-- post (trưởng thôn) is held at the branch covering the village and keeps the village's name; the
-- link to a village record comes with the villages. A training fact is a level a person reached
-- on a day (political theory, general education, professional qualification), proved by a diploma
-- or an equivalence certificate; a member's record keeps the latest.
--
-- A study session is organized by a unit (or a board beside it) on documents or a topic; each
-- participating unit has either per-member attendance rows or, when only counts are known, counts
-- (lượt). Kinds and levels are the program's vocabularies, checked by the writers.
CREATE TABLE persons (
    id BIGSERIAL PRIMARY KEY,
    code TEXT UNIQUE,
    member_id BIGINT UNIQUE REFERENCES members(id),
    full_name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    sex TEXT NOT NULL,
    birth_date DATE,
    unit_id BIGINT REFERENCES units(id),
    unit_path TEXT COLLATE "C",
    note TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    CHECK ((member_id IS NULL) = (unit_id IS NOT NULL)),
    CHECK ((member_id IS NULL) = (code IS NOT NULL))
);
CREATE INDEX persons_path ON persons(unit_path);
CREATE INDEX persons_name_key ON persons(name_key);
CREATE TABLE holdings (
    id BIGSERIAL PRIMARY KEY,
    unit_id BIGINT NOT NULL REFERENCES units(id),
    unit_path TEXT COLLATE "C" NOT NULL,
    post TEXT NOT NULL,
    post_detail TEXT NOT NULL,
    person_id BIGINT NOT NULL REFERENCES persons(id),
    village TEXT NOT NULL,
    from_date DATE NOT NULL,
    to_date DATE,
    start_move TEXT NOT NULL,
    start_body TEXT NOT NULL,
    start_decision TEXT NOT NULL,
    start_decided_on DATE,
    end_move TEXT,
    end_body TEXT NOT NULL,
    end_decision TEXT NOT NULL,
    end_decided_on DATE,
    end_discipline_id BIGINT REFERENCES discipline_decisions(id),
    end_event_id BIGINT REFERENCES member_events(id),
    recorded_by TEXT NOT NULL,
    UNIQUE (person_id, unit_id, post, from_date),
    CHECK (to_date IS NULL OR to_date > from_date),
    CHECK (end_move IS NULL OR to_date IS NOT NULL)
);
CREATE INDEX holdings_path ON holdings(unit_path, from_date);
CREATE INDEX holdings_path_post ON holdings(unit_path, post, from_date);
CREATE INDEX holdings_path_ended ON holdings(unit_path, to_date);
CREATE INDEX holdings_unit_post ON holdings(unit_id, post);
CREATE INDEX holdings_person ON holdings(person_id, from_date);
CREATE TABLE training_facts (
    id BIGSERIAL PRIMARY KEY,
    person_id BIGINT NOT NULL REFERENCES persons(id),
    kind TEXT NOT NULL,
    level TEXT NOT NULL,
    on_date DATE NOT NULL,
    institution TEXT NOT NULL,
    proof TEXT NOT NULL,
    diploma TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    UNIQUE (person_id, kind, level, on_date)
);
CREATE INDEX training_facts_day ON training_facts(kind, on_date);
CREATE TABLE study_sessions (
    id BIGSERIAL PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    unit_id BIGINT NOT NULL REFERENCES units(id),
    unit_path TEXT COLLATE "C" NOT NULL,
    organizer_body TEXT NOT NULL,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    from_date DATE NOT NULL,
    to_date DATE NOT NULL,
    place TEXT NOT NULL,
    online BIGINT NOT NULL,
    recorded_by TEXT NOT NULL,
    CHECK (to_date >= from_date)
);
CREATE INDEX study_sessions_path ON study_sessions(unit_path, from_date);
CREATE TABLE study_session_documents (
    session_id BIGINT NOT NULL REFERENCES study_sessions(id),
    position BIGINT NOT NULL,
    document_id BIGINT REFERENCES documents(id),
    number TEXT NOT NULL,
    title TEXT NOT NULL,
    PRIMARY KEY (session_id, position)
);
CREATE INDEX study_session_documents_document ON study_session_documents(document_id);
CREATE TABLE study_units (
    session_id BIGINT NOT NULL REFERENCES study_sessions(id),
    unit_id BIGINT NOT NULL REFERENCES units(id),
    unit_path TEXT COLLATE "C" NOT NULL,
    by_count BIGINT NOT NULL,
    expected BIGINT,
    attended BIGINT,
    non_members BIGINT NOT NULL,
    recorded_by TEXT NOT NULL,
    PRIMARY KEY (session_id, unit_id),
    CHECK (by_count = 1 OR attended IS NULL)
);
CREATE INDEX study_units_path ON study_units(unit_path);
CREATE TABLE study_attendance (
    session_id BIGINT NOT NULL,
    unit_id BIGINT NOT NULL,
    member_id BIGINT NOT NULL REFERENCES members(id),
    unit_path TEXT COLLATE "C" NOT NULL,
    attendance TEXT NOT NULL,
    reason TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    PRIMARY KEY (session_id, member_id),
    FOREIGN KEY (session_id, unit_id) REFERENCES study_units(session_id, unit_id)
);
CREATE INDEX study_attendance_unit ON study_attendance(session_id, unit_id);
CREATE INDEX study_attendance_path ON study_attendance(unit_path);
CREATE INDEX study_attendance_member ON study_attendance(member_id);
