-- Nothing to do on SQLite: PostgreSQL's 0032 gives it SQLite's own `sum` and `avg` of integers
-- and `COLLATE NOCASE` (issue 23). Written here too, so that both folders keep one numbering.
SELECT 1;
