-- Reported figures: numbers people enter for a unit and period, with their source document.
CREATE TABLE reported_figures (
    key TEXT PRIMARY KEY,
    label_vi TEXT NOT NULL,
    unit_label TEXT NOT NULL,
    created_by TEXT NOT NULL
);

CREATE TABLE reported_values (
    id INTEGER PRIMARY KEY,
    figure_key TEXT NOT NULL REFERENCES reported_figures(key),
    unit_id INTEGER NOT NULL REFERENCES units(id),
    unit_path TEXT NOT NULL,
    period_from TEXT NOT NULL,
    period_to TEXT NOT NULL,
    value REAL NOT NULL,
    source_document TEXT NOT NULL,
    note TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    UNIQUE (figure_key, unit_id, period_from, period_to)
);
CREATE INDEX reported_values_path ON reported_values(unit_path, period_from);
