-- Units, members, dated events and the spans derived from them (SQLite: dates are ISO text).
CREATE TABLE units (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    parent_id INTEGER REFERENCES units(id),
    path TEXT NOT NULL UNIQUE,
    start_date TEXT NOT NULL,
    end_date TEXT
);
CREATE INDEX units_parent ON units(parent_id);

CREATE TABLE unit_names (
    unit_id INTEGER NOT NULL REFERENCES units(id),
    from_date TEXT NOT NULL,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    decision_number TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (unit_id, from_date)
);

CREATE TABLE restructures (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    effective_date TEXT NOT NULL,
    decision_number TEXT NOT NULL DEFAULT '',
    issuing_body TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT ''
);

CREATE TABLE unit_lineage (
    restructure_id INTEGER NOT NULL REFERENCES restructures(id),
    from_unit_id INTEGER NOT NULL REFERENCES units(id),
    to_unit_id INTEGER REFERENCES units(id)
);
CREATE INDEX unit_lineage_from ON unit_lineage(from_unit_id);
CREATE INDEX unit_lineage_to ON unit_lineage(to_unit_id);

CREATE TABLE members (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    full_name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    sex TEXT NOT NULL,
    birth_date TEXT NOT NULL,
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
    card_number TEXT NOT NULL
);
CREATE INDEX members_name_key ON members(name_key);

CREATE TABLE member_events (
    id INTEGER PRIMARY KEY,
    member_id INTEGER NOT NULL REFERENCES members(id),
    kind TEXT NOT NULL,
    event_date TEXT NOT NULL,
    ceremony_date TEXT,
    end_date TEXT,
    decision_number TEXT NOT NULL,
    issuing_body TEXT NOT NULL,
    from_unit_id INTEGER REFERENCES units(id),
    to_unit_id INTEGER REFERENCES units(id),
    external_unit TEXT NOT NULL,
    note TEXT NOT NULL,
    cause TEXT NOT NULL,
    restructure_id INTEGER REFERENCES restructures(id),
    unit_path TEXT,
    from_path TEXT,
    to_path TEXT
);
CREATE INDEX member_events_member ON member_events(member_id);
CREATE INDEX member_events_date ON member_events(event_date);

CREATE TABLE member_spans (
    member_id INTEGER NOT NULL REFERENCES members(id),
    unit_id INTEGER NOT NULL REFERENCES units(id),
    unit_path TEXT NOT NULL,
    status TEXT NOT NULL,
    exempt INTEGER NOT NULL,
    suspended INTEGER NOT NULL,
    from_date TEXT NOT NULL,
    to_date TEXT
);
CREATE INDEX member_spans_path ON member_spans(unit_path, from_date);
CREATE INDEX member_spans_member ON member_spans(member_id);
