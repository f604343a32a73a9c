-- A team's English name (issue 24: every word in the user's language): optional; English pages,
-- reports and CSV files show it when set and the Chinese name otherwise. PostgreSQL's copy in
-- postgres/.
ALTER TABLE teams ADD COLUMN name_en TEXT;
