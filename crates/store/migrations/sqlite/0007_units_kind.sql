-- The summary units (the provinces) are read on every write and every summarized count.
CREATE INDEX units_kind ON units(kind);
