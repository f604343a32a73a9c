-- Kept sums of the complaint tags (issue 22): per day, how many counted complaint evaluations
-- (category 投诉) carry each of their service record's tags (a record without a tag under '';
-- a tag twice on a record counts twice, as the chart always counted). Kept by triggers in the
-- transaction of every change, like 0022's; the chart of a whole period reads it, one of an
-- agent, a team or a group still reads the evaluations.
CREATE TABLE tag_sums (
    day              TEXT NOT NULL,
    tag              TEXT NOT NULL,
    evaluations      INTEGER NOT NULL,
    PRIMARY KEY (day, tag)
) WITHOUT ROWID;

CREATE TRIGGER evaluations_tag_sums_insert AFTER INSERT ON evaluations
WHEN NEW.category IS 'complaint' AND NEW.status <> 'deleted' AND NEW.submitted_day IS NOT NULL
BEGIN
    INSERT INTO tag_sums (day, tag, evaluations)
    SELECT NEW.submitted_day, COALESCE(j.value, ''), 1
    FROM service_records r LEFT JOIN json_each(r.tags) j
    WHERE r.id = NEW.service_record_id
    ON CONFLICT DO UPDATE SET evaluations = evaluations + excluded.evaluations;
END;

CREATE TRIGGER evaluations_tag_sums_update
AFTER UPDATE OF status, category, submitted_day, service_record_id ON evaluations
WHEN OLD.status IS NOT NEW.status OR OLD.category IS NOT NEW.category
  OR OLD.submitted_day IS NOT NEW.submitted_day
  OR OLD.service_record_id IS NOT NEW.service_record_id
BEGIN
    INSERT INTO tag_sums (day, tag, evaluations)
    SELECT OLD.submitted_day, COALESCE(j.value, ''), -1
    FROM service_records r LEFT JOIN json_each(r.tags) j
    WHERE r.id = OLD.service_record_id AND OLD.category IS 'complaint'
      AND OLD.status <> 'deleted' AND OLD.submitted_day IS NOT NULL
    ON CONFLICT DO UPDATE SET evaluations = evaluations + excluded.evaluations;
    DELETE FROM tag_sums WHERE day = OLD.submitted_day AND evaluations = 0;
    INSERT INTO tag_sums (day, tag, evaluations)
    SELECT NEW.submitted_day, COALESCE(j.value, ''), 1
    FROM service_records r LEFT JOIN json_each(r.tags) j
    WHERE r.id = NEW.service_record_id AND NEW.category IS 'complaint'
      AND NEW.status <> 'deleted' AND NEW.submitted_day IS NOT NULL
    ON CONFLICT DO UPDATE SET evaluations = evaluations + excluded.evaluations;
END;

CREATE TRIGGER evaluations_tag_sums_delete AFTER DELETE ON evaluations
WHEN OLD.category IS 'complaint' AND OLD.status <> 'deleted' AND OLD.submitted_day IS NOT NULL
BEGIN
    INSERT INTO tag_sums (day, tag, evaluations)
    SELECT OLD.submitted_day, COALESCE(j.value, ''), -1
    FROM service_records r LEFT JOIN json_each(r.tags) j
    WHERE r.id = OLD.service_record_id
    ON CONFLICT DO UPDATE SET evaluations = evaluations + excluded.evaluations;
    DELETE FROM tag_sums WHERE day = OLD.submitted_day AND evaluations = 0;
END;

-- A record's tags changed after its complaint was rated (the helpdesk sends it again).
CREATE TRIGGER service_records_tag_sums AFTER UPDATE OF tags ON service_records
WHEN OLD.tags IS NOT NEW.tags
BEGIN
    INSERT INTO tag_sums (day, tag, evaluations)
    SELECT e.submitted_day, COALESCE(j.value, ''), -1
    FROM evaluations e LEFT JOIN json_each(OLD.tags) j
    WHERE e.service_record_id = OLD.id AND e.category IS 'complaint'
      AND e.status <> 'deleted' AND e.submitted_day IS NOT NULL
    ON CONFLICT DO UPDATE SET evaluations = evaluations + excluded.evaluations;
    DELETE FROM tag_sums WHERE evaluations = 0
      AND day = (SELECT e.submitted_day FROM evaluations e WHERE e.service_record_id = OLD.id);
    INSERT INTO tag_sums (day, tag, evaluations)
    SELECT e.submitted_day, COALESCE(j.value, ''), 1
    FROM evaluations e LEFT JOIN json_each(NEW.tags) j
    WHERE e.service_record_id = NEW.id AND e.category IS 'complaint'
      AND e.status <> 'deleted' AND e.submitted_day IS NOT NULL
    ON CONFLICT DO UPDATE SET evaluations = evaluations + excluded.evaluations;
END;
