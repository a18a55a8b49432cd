-- The name recorded for an ethnicity or religion key: a breakdown of a province or the nation
-- counts from the summary and reads only each key's name, through these.
CREATE INDEX members_ethnicity ON members(ethnicity_key, ethnicity);
CREATE INDEX members_religion ON members(religion_key, religion);
