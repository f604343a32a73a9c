//! Demo calibration: `Q0001`, `Q0002` and `Q0003` scored two online chats of the demo plan's
//! sample blind a few days after the plan was drawn, with the seed-002 checklist. They agreed
//! on most items; on "listens patiently" and "offers a workable solution" they did not, and the
//! lead (`Q0001`) recorded the agreed answers and a note that became the first item's guidance.
//! `Q0002` scores harder than the agreed answers and `Q0003` softer, so the deviation page
//! shows both. Written through the same queries as `POST /qa/calibrations`; no randomness.

use chrono::{DateTime, Duration, Utc};
use pingjia_domain::qa::{
    AgreedAnswers, CalibrationAnswers, CalibrationItemAnswer, CalibrationScore, ItemNote,
    ItemResult, NewCalibration,
};

use crate::db::qa::{
    close_calibration, insert_calibration, load_template, write_agreed, write_answers,
};
use crate::db::sql;
use crate::db::sql::Conn;
use crate::error::AppError;
use crate::time::{org_day, org_day_start};

/// The demo's three QA inspectors, the lead first.
const INSPECTORS: [&str; 3] = ["Q0001", "Q0002", "Q0003"];

/// "Listens patiently" and "offers a workable solution" (seed-002 checklist).
const LISTENS: i64 = 2;
const SOLUTION: i64 = 11;
/// "Dress and manner": not applicable to an online chat.
const DRESS: i64 = 4;

/// The guidance the session agreed on for [`LISTENS`].
const LISTENS_NOTE: &str = "客户陈述时打断一次判“部分符合”，打断两次及以上或遗漏客户诉求判“不符合”";

/// Inspector `who`'s answer (0: the lead) on record `record` (0 or 1) for item `item`.
fn answer(who: usize, record: usize, item: i64) -> ItemResult {
    use ItemResult::{Compliant, NonCompliant, NotApplicable, Partly};
    match (record, item, who) {
        (_, DRESS, _) => NotApplicable,
        (0, LISTENS, 1) => NonCompliant,
        (0, LISTENS, _) => Partly,
        (0, SOLUTION, 2) => Compliant,
        (0, SOLUTION, _) => Partly,
        (1, LISTENS, 1) => Partly,
        _ => Compliant,
    }
}

/// The answer the lead recorded as agreed.
fn agreed(record: usize, item: i64) -> ItemResult {
    match (record, item) {
        (_, DRESS) => ItemResult::NotApplicable,
        (0, LISTENS | SOLUTION) => ItemResult::Partly,
        _ => ItemResult::Compliant,
    }
}

/// The agreed rubric score of record `record`'s dimension at `position` (from 0): the first
/// record, found wanting on attitude and problem solving, a 2 on those and a 3 elsewhere; the
/// second a 4.
fn agreed_score(record: usize, position: usize) -> u8 {
    match (record, position) {
        (0, 0 | 3) => 2,
        (0, _) => 3,
        _ => 4,
    }
}

/// Inspector `who`'s rubric score: `Q0002` a point under the agreed one on the first two
/// dimensions, `Q0003` a point over on the first and fourth.
fn score(who: usize, record: usize, position: usize) -> u8 {
    let agreed = agreed_score(record, position);
    match (who, position) {
        (1, 0 | 1) => agreed - 1,
        (2, 0 | 3) => agreed + 1,
        _ => agreed,
    }
}

fn failed(error: AppError) -> sqlx::Error {
    sqlx::Error::Protocol(format!("demo calibration: {error}"))
}

/// Writes the closed, agreed session (after the demo plan, whose first two sampled online
/// chats with a conversation it scores).
pub(super) async fn insert(conn: &mut Conn, now: DateTime<Utc>) -> Result<(), sqlx::Error> {
    let mut inspectors = Vec::new();
    for no in INSPECTORS {
        let id: i64 = sql::query_scalar("SELECT id FROM users WHERE employee_no = ?")
            .bind(no)
            .fetch_one(&mut *conn)
            .await?;
        inspectors.push(id);
    }
    let records: Vec<(i64, String)> = sql::query_as(
        "SELECT r.id, r.external_id FROM qa_samples s
         JOIN service_records r ON r.id = s.service_record_id
         WHERE r.channel = 'online' AND r.transcript IS NOT NULL
         ORDER BY s.plan_id, s.id LIMIT 2",
    )
    .fetch_all(&mut *conn)
    .await?;
    let template = load_template(conn, 1)
        .await?
        .ok_or_else(|| sqlx::Error::Protocol("demo calibration: the checklist".to_owned()))?;
    // Two days after the demo plan was drawn (on the day after its period), at 10:00.
    let started = org_day_start(org_day(now) - Duration::days(28)) + Duration::hours(10);
    let new = NewCalibration {
        name: format!(
            "{} 月巡检校准",
            (org_day(now) - Duration::days(31)).format("%-m")
        ),
        template_id: template.id,
        records: records.iter().map(|(_, no)| no.clone()).collect(),
        inspector_ids: inspectors.clone(),
    };
    let record_ids: Vec<i64> = records.iter().map(|(id, _)| *id).collect();
    let id = insert_calibration(conn, &new, &record_ids, inspectors[0], started)
        .await
        .map_err(failed)?;
    let mut submitted = started;
    for (who, inspector) in inspectors.iter().enumerate() {
        let mut body = CalibrationAnswers {
            answers: Vec::new(),
            scores: Vec::new(),
        };
        for (r, record_id) in record_ids.iter().enumerate() {
            body.answers
                .extend(template.items().map(|(_, item)| CalibrationItemAnswer {
                    record_id: *record_id,
                    item_id: item.id,
                    result: answer(who, r, item.id),
                }));
            body.scores
                .extend(
                    template
                        .dimensions
                        .iter()
                        .enumerate()
                        .map(|(p, d)| CalibrationScore {
                            record_id: *record_id,
                            dimension_id: d.id,
                            score: score(who, r, p),
                        }),
                );
        }
        submitted += Duration::hours(2);
        write_answers(conn, id, *inspector, &body, submitted)
            .await
            .map_err(failed)?;
    }
    close_calibration(conn, id, submitted)
        .await
        .map_err(failed)?;
    let mut agreement = AgreedAnswers {
        answers: Vec::new(),
        scores: Vec::new(),
        notes: vec![ItemNote {
            item_id: LISTENS,
            note: LISTENS_NOTE.to_owned(),
        }],
    };
    for (r, record_id) in record_ids.iter().enumerate() {
        agreement
            .answers
            .extend(template.items().map(|(_, item)| CalibrationItemAnswer {
                record_id: *record_id,
                item_id: item.id,
                result: agreed(r, item.id),
            }));
        agreement
            .scores
            .extend(
                template
                    .dimensions
                    .iter()
                    .enumerate()
                    .map(|(p, d)| CalibrationScore {
                        record_id: *record_id,
                        dimension_id: d.id,
                        score: agreed_score(r, p),
                    }),
            );
    }
    write_agreed(conn, id, &agreement, started + Duration::days(1))
        .await
        .map_err(failed)
}
