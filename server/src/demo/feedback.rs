//! The demo's agent side: what agents have read (all but the last two days), the low-score
//! callbacks of the last two weeks (the older ones done, the recent ones open, some overdue),
//! and improvement plans in every state, so the agent, lead and admin pages have real
//! examples at first start. Deterministic: chosen by age and agent, no randomness.

use crate::db::sql;
use crate::db::sql::Conn;
use chrono::{DateTime, Duration, NaiveDate, Utc};

use crate::db::calendar::work_calendar;
use crate::time::{from_db, org_zone, to_db};

const CALL_NOTES: [&str; 4] = [
    "已致电客户致歉，补发配件，客户表示满意。",
    "客户仍有不满，已说明处理进度并赠送优惠券，客户接受。",
    "涉及产品质量，已升级给售后主管跟进。",
    "客户未接听，短信联系后回电，问题已解决。",
];
const OUTCOMES: [&str; 4] = ["resolved", "appeased", "escalated", "resolved"];

const MEASURES: [&str; 3] = [
    "每天复盘两通低分通话，整理常见问题的标准答复，在周会上分享。",
    "物流类问题先查询再答复；超过24小时没有更新的订单主动联系客户。",
    "学习退换货新政策并通过测验；遇到特殊情况先与组长确认再答复客户。",
];
const NOT_REASONABLE: [&str; 2] = [
    "物流延误由第三方承运商造成，已转交物流部门跟进。",
    "建议涉及产品定价，不属于服务问题，已反馈给产品部门。",
];

/// A demo call that did not reach the customer: its result, time and next attempt.
type Missed = (&'static str, DateTime<Utc>, Option<DateTime<Utc>>);

#[derive(sqlx::FromRow)]
struct Candidate {
    id: i64,
    agent_id: i64,
    submitted_at: String,
    lead: Option<i64>,
}

/// Writes the demo's read state, callbacks, verdicts and plans (after the evaluations).
pub async fn insert(conn: &mut Conn, now: DateTime<Utc>) -> Result<(), sqlx::Error> {
    sql::query(
        "UPDATE evaluations SET agent_read_at = strftime('%Y-%m-%dT%H:%M:%SZ', submitted_at, '+3 hours')
         WHERE submitted_at < ?",
    )
    .bind(to_db(now - Duration::days(2)))
    .execute(&mut *conn)
    .await?;
    let calendar = work_calendar(&mut *conn).await?;
    let working_days = |t: DateTime<Utc>, n: u32| {
        calendar
            .add_working_days(t.with_timezone(&org_zone()), n)
            .with_timezone(&Utc)
    };

    // Callbacks: every low score of the last 14 days.
    let low: Vec<Candidate> = sql::query_as(
        "SELECT e.id, e.agent_id, e.submitted_at, t.lead_user_id AS lead
         FROM evaluations e JOIN users a ON a.id = e.agent_id LEFT JOIN teams t ON t.id = a.team_id
         WHERE e.overall <= 6 AND e.status <> 'deleted' AND e.submitted_at >= ?
         ORDER BY e.submitted_at",
    )
    .bind(to_db(now - Duration::days(14)))
    .fetch_all(&mut *conn)
    .await?;
    for (i, c) in low.iter().enumerate() {
        let created = from_db(&c.submitted_at)?;
        let due = working_days(created, 1);
        let done = created < now - Duration::days(3) && c.lead.is_some();
        let done_at = created + Duration::hours(3 + (i as i64 % 20));
        // Some customers could not be reached: a done task of three failed calls, an open one
        // with a call that nobody answered (due again when it was due).
        let unreachable = done && i % 9 == 4;
        let missed: Vec<Missed> = if unreachable {
            let at = |h: i64| created + Duration::hours(h);
            vec![
                ("no_answer", at(1), Some(at(2))),
                ("no_answer", at(2), Some(done_at)),
                ("wrong_number", done_at, None),
            ]
        } else if !done && c.lead.is_some() && i % 3 == 1 && created + Duration::hours(1) < now {
            vec![("no_answer", created + Duration::hours(1), Some(due))]
        } else {
            Vec::new()
        };
        let (outcome, notes) = if unreachable {
            (
                "unreachable",
                "三次未能联系上客户：两次无人接听，第三次号码为空号。",
            )
        } else {
            (
                OUTCOMES[i % OUTCOMES.len()],
                CALL_NOTES[i % CALL_NOTES.len()],
            )
        };
        sql::query(
            "INSERT INTO callback_tasks (evaluation_id, agent_id, team_id, created_at, due_at,
                 outcome, notes, done_at, done_by)
             VALUES (?, ?, (SELECT team_id FROM users WHERE id = ?), ?, ?, ?, ?, ?, ?)",
        )
        .bind(c.id)
        .bind(c.agent_id)
        .bind(c.agent_id)
        .bind(to_db(created))
        .bind(to_db(due))
        .bind(done.then_some(outcome))
        .bind(done.then_some(notes))
        .bind(done.then(|| to_db(done_at)))
        .bind(if done { c.lead } else { None })
        .execute(&mut *conn)
        .await?;
        for (result, at, next) in missed {
            sql::query(
                "INSERT INTO callback_attempts
                     (task_id, result, attempted_at, attempted_by, next_attempt_at)
                 VALUES ((SELECT id FROM callback_tasks WHERE evaluation_id = ?), ?, ?, ?, ?)",
            )
            .bind(c.id)
            .bind(result)
            .bind(to_db(at))
            .bind(c.lead)
            .bind(next.map(to_db))
            .execute(&mut *conn)
            .await?;
        }
    }

    // Plans: low scores with a suggestion, one per agent and age, agents in order (E1001 first).
    let candidates: Vec<Candidate> = sql::query_as(
        "SELECT e.id, e.agent_id, e.submitted_at, t.lead_user_id AS lead
         FROM evaluations e JOIN users a ON a.id = e.agent_id LEFT JOIN teams t ON t.id = a.team_id
         WHERE e.overall <= 6 AND e.suggestion IS NOT NULL AND e.status <> 'deleted'
           AND e.submitted_at >= ? AND t.lead_user_id IS NOT NULL
         ORDER BY a.employee_no, e.submitted_at",
    )
    .bind(to_db(now - Duration::days(75)))
    .fetch_all(&mut *conn)
    .await?;
    // (age window in days, state, how many)
    let plan: [(i64, i64, &str, usize); 6] = [
        (45, 70, "acknowledged", 4),
        (6, 12, "submitted", 3),
        (5, 9, "open", 2),
        (8, 14, "sent_back", 1),
        (0, 2, "open", 3),
        (15, 30, "not_reasonable", 2),
    ];
    let mut used_evaluations = Vec::new();
    for (from_days, to_days, state, wanted) in plan {
        let mut agents_used = Vec::new();
        let mut made = 0;
        for c in &candidates {
            if made == wanted {
                break;
            }
            let at = from_db(&c.submitted_at)?;
            let age = (now - at).num_days();
            if age < from_days
                || age > to_days
                || agents_used.contains(&c.agent_id)
                || used_evaluations.contains(&c.id)
            {
                continue;
            }
            agents_used.push(c.agent_id);
            used_evaluations.push(c.id);
            let created = at + Duration::hours(4);
            if state == "not_reasonable" {
                sql::query(
                    "INSERT INTO suggestion_assessments (evaluation_id, agent_id, reasonable, reason, assessed_at)
                     VALUES (?, ?, FALSE, ?, ?)",
                )
                .bind(c.id)
                .bind(c.agent_id)
                .bind(NOT_REASONABLE[made % NOT_REASONABLE.len()])
                .bind(to_db(created))
                .execute(&mut *conn)
                .await?;
                made += 1;
                continue;
            }
            sql::query(
                "INSERT INTO suggestion_assessments (evaluation_id, agent_id, reasonable, reason, assessed_at)
                 VALUES (?, ?, TRUE, NULL, ?)",
            )
            .bind(c.id)
            .bind(c.agent_id)
            .bind(to_db(created))
            .execute(&mut *conn)
            .await?;
            let due = working_days(created, 3);
            let submitted = created + Duration::days(1);
            let measures = MEASURES[made % MEASURES.len()];
            let target: NaiveDate = (created + Duration::days(14)).date_naive();
            let reviewed = submitted + Duration::days(1);
            let (measures, target, submitted_at, reviewed_by, comment, reviewed_at) = match state {
                "acknowledged" => (
                    Some(measures),
                    Some(target.to_string()),
                    Some(to_db(submitted)),
                    c.lead,
                    Some("措施具体，按计划执行，月底复盘。"),
                    Some(to_db(reviewed)),
                ),
                "submitted" => (
                    Some(measures),
                    Some(target.to_string()),
                    Some(to_db(submitted)),
                    None,
                    None,
                    None,
                ),
                "sent_back" => (
                    Some("多注意服务态度。"),
                    Some(target.to_string()),
                    Some(to_db(submitted)),
                    c.lead,
                    Some("措施太笼统：请写清楚具体做什么、什么时候完成。"),
                    Some(to_db(reviewed)),
                ),
                _ => (None, None, None, None, None, None),
            };
            sql::query(
                "INSERT INTO improvement_plans (evaluation_id, agent_id, status, created_at, due_at,
                     measures, target_date, submitted_at, reviewed_by, review_comment, reviewed_at)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(c.id)
            .bind(c.agent_id)
            .bind(state)
            .bind(to_db(created))
            .bind(to_db(due))
            .bind(measures)
            .bind(target)
            .bind(submitted_at)
            .bind(reviewed_by)
            .bind(comment)
            .bind(reviewed_at)
            .execute(&mut *conn)
            .await?;
            made += 1;
        }
    }
    sql::query(
        "UPDATE evaluations SET agent_read_at = COALESCE(agent_read_at, ?)
         WHERE id IN (SELECT evaluation_id FROM suggestion_assessments)",
    )
    .bind(to_db(now))
    .execute(&mut *conn)
    .await?;
    Ok(())
}
