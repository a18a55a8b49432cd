-- Work programmes, continued: the tasks a document assigns to a unit (its office or board named as
-- the owner), with dated progress reports; the dates the reports give (first progress, done) are
-- kept on the task so that its state on any day is read without the reports. And the file of a
-- document (its PDF or DOCX), kept in the database so that a backup holds it. And the allocation
-- of a target among sub-units.
CREATE TABLE tasks (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id),
    unit_id INTEGER NOT NULL REFERENCES units(id),
    unit_path TEXT NOT NULL,
    text TEXT NOT NULL,
    owner TEXT NOT NULL,
    assigned_on TEXT NOT NULL,
    deadline TEXT NOT NULL,
    started_on TEXT,
    done_on TEXT,
    recorded_by TEXT NOT NULL,
    UNIQUE (document_id, unit_id, text)
);
CREATE INDEX tasks_path ON tasks(unit_path, deadline);
CREATE INDEX tasks_document ON tasks(document_id);

CREATE TABLE task_reports (
    id INTEGER PRIMARY KEY,
    task_id INTEGER NOT NULL REFERENCES tasks(id),
    reported_on TEXT NOT NULL,
    state TEXT NOT NULL,
    note TEXT NOT NULL,
    recorded_by TEXT NOT NULL
);
CREATE INDEX task_reports_task ON task_reports(task_id, reported_on);

CREATE TABLE document_files (
    document_id INTEGER PRIMARY KEY REFERENCES documents(id),
    name TEXT NOT NULL,
    media_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    content BLOB NOT NULL,
    recorded_by TEXT NOT NULL
);

-- A target split among sub-units: each part names the target it is allocated from.
ALTER TABLE targets ADD COLUMN allocated_from INTEGER REFERENCES targets(id);
