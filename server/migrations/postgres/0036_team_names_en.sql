-- A team's English name (issue 24: every word in the user's language): optional; English pages,
-- reports and CSV files show it when set and the Chinese name otherwise. SQLite's copy in the
-- folder above.
ALTER TABLE teams ADD COLUMN name_en TEXT;
