-- Work programmes: the directing documents a unit (or a body beside it) issues, the targets they
-- set (bound to a figure, or judged on values people report), and those reported values.
CREATE TABLE documents (
    id BIGSERIAL PRIMARY KEY,
    unit_id BIGINT NOT NULL REFERENCES units(id),
    unit_path TEXT COLLATE "C" NOT NULL,
    issuing_body TEXT NOT NULL,
    kind TEXT NOT NULL,
    number TEXT NOT NULL,
    year INTEGER NOT NULL,
    title TEXT NOT NULL,
    signed_on DATE NOT NULL,
    valid_from DATE NOT NULL,
    valid_to DATE NOT NULL,
    domain TEXT NOT NULL,
    implements_id BIGINT REFERENCES documents(id),
    recorded_by TEXT NOT NULL,
    UNIQUE (unit_id, issuing_body, number, year)
);
CREATE INDEX documents_path ON documents(unit_path, signed_on);
CREATE INDEX documents_number ON documents(number, year);

CREATE TABLE targets (
    id BIGSERIAL PRIMARY KEY,
    document_id BIGINT NOT NULL REFERENCES documents(id),
    unit_id BIGINT NOT NULL REFERENCES units(id),
    unit_path TEXT COLLATE "C" NOT NULL,
    text TEXT NOT NULL,
    domain TEXT NOT NULL,
    period_from DATE NOT NULL,
    period_to DATE NOT NULL,
    figure_key TEXT,
    comparator TEXT NOT NULL,
    value DOUBLE PRECISION NOT NULL,
    recorded_by TEXT NOT NULL,
    UNIQUE (document_id, unit_id, text, period_from, period_to)
);
CREATE INDEX targets_path ON targets(unit_path, period_to);
CREATE INDEX targets_document ON targets(document_id);

CREATE TABLE target_values (
    id BIGSERIAL PRIMARY KEY,
    target_id BIGINT NOT NULL REFERENCES targets(id),
    as_of DATE NOT NULL,
    value DOUBLE PRECISION NOT NULL,
    source_document TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    UNIQUE (target_id, as_of)
);
