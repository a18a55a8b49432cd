-- National scale. Every figure query reaches its rows through an index that starts with the path it
-- filters on (an event is found by its unit, its origin or its destination), and the summary tables
-- hold the figures of the big subtrees (the whole database and each province), maintained with the
-- records they come from. docs/decisions.md says why the grain is what it is.
CREATE INDEX member_events_unit_date ON member_events(unit_path, event_date);
CREATE INDEX member_events_from_date ON member_events(from_path, event_date);
CREATE INDEX member_events_to_date ON member_events(to_path, event_date);
-- The rows a partial month changes: events dated in it, spans starting or ending in it, members
-- whose age crosses a band's edge in it. The date indexes are partial, with a condition only the
-- summary's statements state: a subtree's counts must never walk a date index over the country.
DROP INDEX member_events_date;
CREATE INDEX member_events_dated ON member_events(event_date) WHERE cause <> '';
CREATE INDEX member_spans_from ON member_spans(from_date) WHERE status <> '';
CREATE INDEX member_spans_to ON member_spans(to_date) WHERE status <> '';
CREATE INDEX members_birth ON members(birth_date);

-- Members active at the end of each year, per summary unit and key (a dimension's value).
CREATE TABLE summary_stock_years (
    unit_id INTEGER NOT NULL,
    key TEXT NOT NULL,
    year INTEGER NOT NULL,
    stock INTEGER NOT NULL,
    PRIMARY KEY (unit_id, year, key)
);
-- The change of that stock within each month (month = year * 12 + month - 1).
CREATE TABLE summary_stock_months (
    unit_id INTEGER NOT NULL,
    key TEXT NOT NULL,
    month INTEGER NOT NULL,
    delta INTEGER NOT NULL,
    PRIMARY KEY (unit_id, month, key)
);
-- Events counted in each month, per summary unit and key (kind and cause, or the direction of a move).
CREATE TABLE summary_flow_months (
    unit_id INTEGER NOT NULL,
    key TEXT NOT NULL,
    month INTEGER NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (unit_id, month, key)
);
-- Whether the summary tables hold every record (0 until the first rebuild, after this migration).
CREATE TABLE summary_state (
    built INTEGER NOT NULL
);
INSERT INTO summary_state (built) VALUES (0);

-- What each change touched, so that cached figures are dropped only when a change reaches their
-- unit's subtree on or before their window's end.
CREATE TABLE figure_touches (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL,
    first_date TEXT NOT NULL
);

-- The search index: each member's terms (every word-suffix of the folded name, the code in lower
-- case, the national ID, the card number), so that a search finds rare names through an index
-- range whatever the size of the database.
CREATE TABLE member_terms (
    term TEXT NOT NULL,
    member_id INTEGER NOT NULL REFERENCES members(id),
    PRIMARY KEY (term, member_id)
) WITHOUT ROWID;
CREATE INDEX member_terms_member ON member_terms(member_id);
