-- A complaint tag's English name (issue 24: every word in the user's language). Tags are the
-- helpdesk's own words on a service record (`service_records.tags`), Chinese as imported; an
-- admin may name a tag in English, shown on English pages, in the report and its CSV beside the
-- Chinese. A tag without one is shown as it is. SQLite's copy in the folder above.
CREATE TABLE tag_names (
    tag         TEXT NOT NULL PRIMARY KEY,
    name_en     TEXT NOT NULL
);
