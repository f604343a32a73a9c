//! Each event's payload (`data`, as `docs/openapi.json` documents it) and its chat message,
//! read from the database when the event is fanned out.

use crate::db::sql::Conn;
use chrono::NaiveDate;
use pingjia_domain::Lang;
use pingjia_domain::analytics::both_names;
use pingjia_domain::appeals::AppealStatus;
use pingjia_domain::events::{
    AppealEvent, CallbackEvent, CoachingEvent, DisputeEvent, DisputeEventItem, EvaluationEvent,
    EventAgent, EventType, PlanEvent, RectificationEvent, ReportEvent,
};
use pingjia_domain::feedback::CoachingState;
use serde::Serialize;

use super::notify::{Notice, Target};
use super::robots::{Message, agent_line, clipped, local};
use crate::db::events::{self as stored, EvaluationFacts, WaitingEvent};
use crate::error::AppError;
use crate::time::from_db;

/// One event, rendered once for every endpoint.
pub(super) struct Rendered {
    pub(super) event_type: EventType,
    /// The payload (`data`), as documented.
    pub(super) data: serde_json::Value,
    /// For the endpoints' filters.
    pub(super) team_id: Option<i64>,
    pub(super) service_type: Option<String>,
    /// What the robots show.
    pub(super) message: Message,
    /// An appeal's payload (its customer may be told).
    pub(super) appeal: Option<AppealEvent>,
    /// Who among the staff is told in the app.
    pub(super) notice: Option<Notice>,
}

fn value(payload: &impl Serialize) -> Result<serde_json::Value, AppError> {
    serde_json::to_value(payload).map_err(|e| AppError::Internal(format!("event payload: {e}")))
}

/// The payload of `event`, read from the database now; `None` when its subject is gone or
/// its type unknown.
pub(super) async fn render(
    conn: &mut Conn,
    event: &WaitingEvent,
    base: &str,
) -> Result<Option<Rendered>, AppError> {
    let Some(event_type) = EventType::parse(&event.event_type) else {
        return Ok(None);
    };
    let id = event.subject_id;
    match event.subject_kind.as_str() {
        "evaluation" => evaluation(conn, event_type, id, base).await,
        "callback" => match stored::callback_evaluation(conn, id).await? {
            Some(evaluation_id) => evaluation(conn, event_type, evaluation_id, base).await,
            None => Ok(None),
        },
        "appeal" => appeal(conn, event_type, id, base).await,
        "plan" => plan(conn, event_type, id, base).await,
        "rectification" => rectification(conn, event_type, id, base).await,
        "report" => report(conn, event_type, id, base).await,
        "coaching" => coaching(conn, event_type, id, base).await,
        "dispute" => dispute(conn, event_type, id, base).await,
        _ => Ok(None),
    }
}

/// An evaluation's payload, its link to the staff's view of the evaluations.
fn evaluation_payload(facts: &EvaluationFacts, base: &str) -> Result<EvaluationEvent, AppError> {
    Ok(EvaluationEvent {
        number: facts.number.clone(),
        service_record_id: facts.service_record_id,
        external_ref: Some(facts.external_id.clone()).filter(|r| !r.is_empty()),
        service_type: facts.service_type.clone(),
        agent: facts.agent(),
        overall: u8::try_from(facts.overall).unwrap_or(0),
        total_score: facts.total_score,
        suggestion: facts.suggestion.clone(),
        submitted_at: from_db(&facts.submitted_at)?,
        link: format!("{base}/admin/analytics/evaluations?q={}", facts.number),
    })
}

/// An evaluation's events, and its callback's (a [`CallbackEvent`] with the due time).
async fn evaluation(
    conn: &mut Conn,
    event_type: EventType,
    id: i64,
    base: &str,
) -> Result<Option<Rendered>, AppError> {
    let Some(facts) = stored::evaluation(conn, id).await? else {
        return Ok(None);
    };
    let evaluation = evaluation_payload(&facts, base)?;
    let due = facts.callback_due_at.as_deref().map(from_db).transpose()?;
    let callback = matches!(
        event_type,
        EventType::CallbackOpened | EventType::CallbackOverdue | EventType::CallbackDone
    );
    let (data, link) = match (callback, due) {
        (true, Some(due_at)) => (
            value(&CallbackEvent {
                evaluation: evaluation.clone(),
                due_at,
            })?,
            format!("{base}/lead"),
        ),
        _ => (value(&evaluation)?, evaluation.link.clone()),
    };
    let notice = match event_type {
        EventType::CallbackOpened | EventType::CallbackOverdue => Some(Notice {
            subject: facts.number.clone(),
            due_at: due,
            people: Vec::new(),
            lead_of_team: facts.team_id,
            admins: false,
            inspectors: false,
            except: Vec::new(),
            target: Target::Callback(facts.number.clone()),
        }),
        EventType::EvaluationFlagged => Some(Notice {
            subject: facts.number.clone(),
            due_at: None,
            people: Vec::new(),
            lead_of_team: None,
            admins: true,
            inspectors: false,
            except: Vec::new(),
            target: Target::Moderation,
        }),
        _ => None,
    };
    Ok(Some(Rendered {
        event_type,
        data,
        team_id: facts.team_id,
        service_type: Some(facts.service_type.clone()),
        message: Message::of_evaluation(&facts, &link, due.filter(|_| callback)),
        appeal: None,
        notice,
    }))
}

async fn appeal(
    conn: &mut Conn,
    event_type: EventType,
    id: i64,
    base: &str,
) -> Result<Option<Rendered>, AppError> {
    let Some(appeal) = stored::appeal(conn, id).await? else {
        return Ok(None);
    };
    let Some(facts) = stored::evaluation(conn, appeal.evaluation_id).await? else {
        return Ok(None);
    };
    let status = AppealStatus::parse(&appeal.status)
        .ok_or_else(|| AppError::Internal(format!("appeal status {}", appeal.status)))?;
    let payload = AppealEvent {
        appeal_id: id,
        evaluation_number: facts.number.clone(),
        agent: facts.agent(),
        status,
        reason: appeal.reason.clone(),
        decision_note: appeal.decision_reason.clone(),
        filed_at: from_db(&appeal.filed_at)?,
        decided_at: appeal.decided_at.as_deref().map(from_db).transpose()?,
        link: format!("{base}/admin/appeals"),
    };
    Ok(Some(Rendered {
        event_type,
        data: value(&payload)?,
        team_id: facts.team_id,
        service_type: Some(facts.service_type.clone()),
        message: Message::of_appeal(&facts, &payload),
        notice: (event_type == EventType::AppealFiled).then(|| Notice {
            subject: facts.number.clone(),
            due_at: None,
            people: Vec::new(),
            lead_of_team: None,
            admins: true,
            inspectors: false,
            except: Vec::new(),
            target: Target::Appeals,
        }),
        appeal: Some(payload),
    }))
}

async fn plan(
    conn: &mut Conn,
    event_type: EventType,
    id: i64,
    base: &str,
) -> Result<Option<Rendered>, AppError> {
    let Some(plan) = stored::plan(conn, id).await? else {
        return Ok(None);
    };
    let Some(facts) = stored::evaluation(conn, plan.evaluation_id).await? else {
        return Ok(None);
    };
    let due_at = from_db(&plan.due_at)?;
    let link = format!("{base}/agent/plans/{id}");
    let payload = PlanEvent {
        plan_id: id,
        evaluation: evaluation_payload(&facts, base)?,
        status: plan.status.clone(),
        due_at,
        review_comment: plan.review_comment.clone(),
        link: link.clone(),
    };
    let mut message = Message::of_evaluation(&facts, &link, None);
    message
        .lines
        .push(format!("**改进计划截止**：{}", local(due_at)));
    if let Some(comment) = &plan.review_comment {
        message
            .lines
            .push(format!("**组长意见**：{}", clipped(comment)));
    }
    Ok(Some(Rendered {
        event_type,
        data: value(&payload)?,
        team_id: facts.team_id,
        service_type: Some(facts.service_type.clone()),
        message,
        appeal: None,
        notice: Some(Notice {
            subject: facts.number.clone(),
            due_at: Some(due_at),
            people: vec![facts.agent_id],
            lead_of_team: None,
            admins: false,
            inspectors: false,
            except: Vec::new(),
            target: Target::Plan(id),
        }),
    }))
}

async fn rectification(
    conn: &mut Conn,
    event_type: EventType,
    id: i64,
    base: &str,
) -> Result<Option<Rendered>, AppError> {
    let Some(facts) = stored::rectification(conn, id).await? else {
        return Ok(None);
    };
    let deadline = NaiveDate::parse_from_str(&facts.deadline, "%Y-%m-%d")
        .map_err(|e| AppError::Internal(format!("rectification {id} deadline: {e}")))?;
    let owner = EventAgent {
        id: facts.owner_id,
        agent_no: facts.owner_no.clone(),
        name: facts.owner_name.clone(),
        team_id: facts.team_id,
        team_name: facts.team_name.clone(),
    };
    let link = format!("{base}/qa/rectifications");
    let mut lines = vec![
        format!("**责任人**：{}", agent_line(&owner)),
        format!("**整改期限**：{deadline}"),
    ];
    if let Some(note) = &facts.check_note {
        lines.push(format!("**复查意见**：{}", clipped(note)));
    }
    let payload = RectificationEvent {
        rectification_id: id,
        owner,
        item: facts.item.clone(),
        deadline,
        status: facts.status.clone(),
        result: facts.result.clone(),
        check_note: facts.check_note.clone(),
        link: link.clone(),
    };
    Ok(Some(Rendered {
        event_type,
        data: value(&payload)?,
        team_id: facts.team_id,
        service_type: None,
        notice: Some(Notice {
            subject: facts.item.clone(),
            due_at: deadline.succ_opt().map(crate::time::org_day_start),
            people: match event_type {
                EventType::RectificationOverdue => {
                    vec![facts.owner_id, facts.inspector_id]
                }
                _ => vec![facts.owner_id],
            },
            lead_of_team: None,
            admins: false,
            inspectors: false,
            except: Vec::new(),
            target: Target::Rectifications,
        }),
        message: Message {
            subject: facts.item,
            lines,
            link,
        },
        appeal: None,
    }))
}

async fn report(
    conn: &mut Conn,
    event_type: EventType,
    id: i64,
    base: &str,
) -> Result<Option<Rendered>, AppError> {
    let Some(facts) = stored::report(conn, id).await? else {
        return Ok(None);
    };
    let link = format!("{base}/admin/reports/{}/{}", facts.kind, facts.period_key);
    let payload = ReportEvent {
        report_id: id,
        kind: facts.kind.clone(),
        key: facts.period_key.clone(),
        team_id: facts.team_id,
        team_name: facts.team_name.clone(),
        link: link.clone(),
    };
    // Both languages: the notice is kept once for readers of either.
    let scope = facts.team_name.as_deref().map_or_else(
        || "全公司 Company".to_owned(),
        |zh| both_names(zh, facts.team_name_en.as_deref()),
    );
    Ok(Some(Rendered {
        event_type,
        data: value(&payload)?,
        team_id: facts.team_id,
        service_type: None,
        message: Message {
            subject: format!("{} · {scope}", facts.period_key),
            lines: vec![format!(
                "**{}**：{}",
                event_type.label(Lang::Zh),
                facts.period_key
            )],
            link,
        },
        appeal: None,
        notice: Some(Notice {
            subject: format!("{} · {scope}", facts.period_key),
            due_at: None,
            people: Vec::new(),
            lead_of_team: facts.team_id,
            admins: true,
            inspectors: false,
            except: Vec::new(),
            target: Target::Report {
                kind: facts.kind.clone(),
                key: facts.period_key.clone(),
            },
        }),
    }))
}

/// The subject of a coaching session's messages and of its coach's notice: the agent and the
/// day it was recorded (`张伟 (E1001) · 2026-11-20`, read alike in both languages).
fn coaching_subject(agent: &EventAgent, recorded: chrono::DateTime<chrono::Utc>) -> String {
    let day = crate::time::org_day(recorded);
    match &agent.agent_no {
        Some(no) => format!("{} ({no}) · {day}", agent.name),
        None => format!("{} · {day}", agent.name),
    }
}

/// A coaching session's events: the agent is told it was recorded, its coach that the agent
/// acknowledged it; both due on the follow-up day.
async fn coaching(
    conn: &mut Conn,
    event_type: EventType,
    id: i64,
    base: &str,
) -> Result<Option<Rendered>, AppError> {
    let Some(facts) = stored::coaching(conn, id).await? else {
        return Ok(None);
    };
    let follow_up_date = NaiveDate::parse_from_str(&facts.follow_up_date, "%Y-%m-%d")
        .map_err(|e| AppError::Internal(format!("coaching {id} follow-up date: {e}")))?;
    let recorded_at = from_db(&facts.created_at)?;
    let acknowledged_at = facts.acknowledged_at.as_deref().map(from_db).transpose()?;
    let agent = facts.agent();
    let link = format!("{base}/coaching/{id}");
    let subject = coaching_subject(&agent, recorded_at);
    let mut lines = vec![
        format!("**客服**：{}", agent_line(&agent)),
        format!("**辅导人**：{}", facts.coach_name),
        format!("**约定行动**：{}", clipped(&facts.action)),
        format!("**跟进日期**：{follow_up_date}"),
    ];
    if let Some(at) = acknowledged_at {
        lines.push(format!("**确认时间**：{}", local(at)));
    }
    let payload = CoachingEvent {
        coaching_id: id,
        agent,
        coach_id: facts.coach_id,
        coach_name: facts.coach_name.clone(),
        action: facts.action.clone(),
        follow_up_date,
        state: CoachingState::of(acknowledged_at.is_some(), facts.followed_up_at.is_some()),
        recorded_at,
        acknowledged_at,
        link: link.clone(),
    };
    // The agent is told who coached them; the coach, whom.
    let (told, notice_subject) = match event_type {
        EventType::CoachingAcknowledged => (facts.coach_id, subject.clone()),
        _ => (
            facts.agent_id,
            format!(
                "{} · {}",
                facts.coach_name,
                crate::time::org_day(recorded_at)
            ),
        ),
    };
    Ok(Some(Rendered {
        event_type,
        data: value(&payload)?,
        team_id: facts.team_id,
        service_type: None,
        message: Message {
            subject: subject.clone(),
            lines,
            link,
        },
        appeal: None,
        notice: Some(Notice {
            subject: notice_subject,
            // The agent acknowledges before the lead follows up: due as the day starts.
            due_at: Some(crate::time::org_day_start(follow_up_date)),
            people: vec![told],
            lead_of_team: None,
            admins: false,
            inspectors: false,
            except: Vec::new(),
            target: Target::Coaching(id),
        }),
    }))
}

/// A QA dispute's events: filed, every QA inspector and admin who may decide it is told (never
/// the inspector of the disputed inspection); decided, its agent and whoever filed it.
async fn dispute(
    conn: &mut Conn,
    event_type: EventType,
    id: i64,
    base: &str,
) -> Result<Option<Rendered>, AppError> {
    let Some(facts) = stored::dispute(conn, id).await? else {
        return Ok(None);
    };
    let Some(d) = crate::db::qa::dispute(conn, id).await? else {
        return Ok(None);
    };
    let agent = facts.agent();
    let link = format!("{base}/qa/disputes/{id}");
    let mut lines = vec![
        format!("**客服**：{}", agent_line(&agent)),
        format!("**质检计划**：{}", d.plan_name),
        format!("**质检员**：{}", d.inspector.name),
    ];
    for item in &d.items {
        let mut line = format!(
            "**申诉条目**：{}：{}",
            item.item_name_zh,
            clipped(&item.reason)
        );
        if let Some(outcome) = item.outcome {
            line.push_str(&format!("（{}）", outcome.label(Lang::Zh)));
        }
        lines.push(line);
    }
    match d.qa_score_after {
        Some(after) => lines.push(format!(
            "**质检得分**：{:.2} → {after:.2}",
            d.qa_score_before
        )),
        None => lines.push(format!("**质检得分**：{:.2}", d.qa_score_before)),
    }
    let payload = DisputeEvent {
        dispute_id: id,
        sample_id: d.sample_id,
        plan_id: d.plan_id,
        plan_name: d.plan_name.clone(),
        external_ref: d.external_id.clone(),
        agent,
        inspector_id: d.inspector.id,
        status: d.status,
        items: d
            .items
            .iter()
            .map(|i| DisputeEventItem {
                item_id: i.item_id,
                item: i.item_name_zh.clone(),
                outcome: i.outcome,
            })
            .collect(),
        qa_score_before: d.qa_score_before,
        qa_score_after: d.qa_score_after,
        filed_at: d.filed_at,
        decided_at: d.decided_at,
        link: link.clone(),
    };
    let filed = event_type == EventType::DisputeFiled;
    let mut people = vec![facts.agent_id, d.filed_by.id];
    people.dedup();
    Ok(Some(Rendered {
        event_type,
        data: value(&payload)?,
        team_id: facts.team_id,
        service_type: Some(facts.service_type.clone()),
        message: Message {
            subject: d.external_id.clone(),
            lines,
            link,
        },
        appeal: None,
        notice: Some(Notice {
            subject: d.external_id.clone(),
            due_at: None,
            people: if filed { Vec::new() } else { people },
            lead_of_team: None,
            admins: filed,
            inspectors: filed,
            except: vec![d.inspector.id],
            target: Target::Dispute(id),
        }),
    }))
}
