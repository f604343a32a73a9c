-- The drill-down list of a word (issue 22) is newest first: with only the day beside the word,
-- the newest day's evaluations of the word were all read and sorted by their time (at five
-- million evaluations 1.59 times its time at one million). With the evaluation's submission
-- time copied beside the word, the list is the word's index range read backwards, a page at a
-- time. Written with the word by every insert (submission, catch-up); an evaluation's
-- submission time never changes. Compared with the evaluations by `pingjia-server sums verify`.
ALTER TABLE evaluation_terms ADD COLUMN submitted_at TEXT;

UPDATE evaluation_terms
SET submitted_at = (SELECT e.submitted_at FROM evaluations e
                    WHERE e.id = evaluation_terms.evaluation_id);

DROP INDEX evaluation_terms_term;
CREATE INDEX evaluation_terms_term
    ON evaluation_terms (term, submitted_day, submitted_at, evaluation_id);
