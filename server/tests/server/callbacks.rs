//! Callbacks that fail (issue 24): a call that does not reach the customer (no answer, wrong
//! number) keeps the task open with its attempts, due again at the next attempt; the last one
//! the settings allow closes it as unreachable; the lead's list is paged with the count of
//! each tab. Evaluations go through the real `POST /evaluations`, on a fixed clock.

use axum::http::{Method, StatusCode};
use chrono::{DateTime, Duration, Utc};
use pingjia_domain::feedback::{CallResult, CallbackOutcome, CallbackPage, CallbackTask};
use serde_json::json;

use crate::common::{Flow, Rating, problem};

/// Friday 2026-11-20, 10:00 in Shanghai.
fn friday() -> DateTime<Utc> {
    "2026-11-20T02:00:00Z".parse().unwrap()
}

struct Calls;

impl Rating for Calls {
    const ENDED_MINUTES_AGO: i64 = 30;
    const SCORES: [u8; 5] = [2, 2, 3, 2, 3];
    const KEY: &'static str = "callbacks";
}

type T = Flow<Calls>;

impl T {
    async fn callbacks(&self, user: i64, query: &str) -> CallbackPage {
        self.ok(
            user,
            Method::GET,
            &format!("/api/v1/callbacks{query}"),
            None,
        )
        .await
    }

    async fn record(&self, user: i64, id: i64, body: serde_json::Value) -> CallbackTask {
        self.ok(
            user,
            Method::POST,
            &format!("/api/v1/callbacks/{id}"),
            Some(body),
        )
        .await
    }
}

fn at(t: DateTime<Utc>) -> String {
    t.to_rfc3339()
}

#[tokio::test]
async fn a_failed_call_keeps_the_task_open_until_the_last_attempt_closes_it() {
    let mut t = T::at(friday()).await;
    let p = t.people;
    let settings = json!({ "callback_max_attempts": 2 });
    assert_eq!(
        t.put(p.lead, "/api/v1/settings", settings.clone())
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    assert!(
        t.put(p.admin, "/api/v1/settings", settings)
            .await
            .status()
            .is_success()
    );
    let first = t.rate(p.customer, p.agent, 3, Some("问题没解决")).await;
    let second = t.rate(p.member, p.agent, 4, None).await;
    let page = t.callbacks(p.lead, "").await;
    let task = page
        .callbacks
        .iter()
        .find(|c| c.evaluation_number == first)
        .unwrap()
        .clone();
    assert_eq!((task.attempts.len(), task.max_attempts), (0, 2));
    let uri = format!("/api/v1/callbacks/{}", task.id);

    // Not reached: when to call again is required, later than now and within 14 days.
    let now = t.app.now();
    for (next, code) in [
        (None, "required"),
        (Some(now - Duration::minutes(5)), "past"),
        (Some(now + Duration::days(15)), "too_far"),
    ] {
        let body = json!({ "outcome": "no_answer", "notes": "", "next_attempt_at": next.map(at) });
        let refused = problem(t.post(p.lead, &uri, body).await, 422).await;
        assert_eq!(
            (
                refused.errors[0].field.as_str(),
                refused.errors[0].code.as_str()
            ),
            ("next_attempt_at", code)
        );
    }
    // The agent cannot record a call of their own callback.
    let later = now + Duration::hours(3);
    let body = json!({ "outcome": "no_answer", "next_attempt_at": at(later) });
    assert_eq!(
        t.post(p.agent, &uri, body.clone()).await.status(),
        StatusCode::FORBIDDEN
    );
    let open = t.record(p.lead, task.id, body).await;
    assert_eq!(open.outcome, None, "still open");
    assert_eq!(open.due_at, later, "due again at the next attempt");
    assert_eq!(open.attempts.len(), 1);
    assert_eq!(open.attempts[0].result, CallResult::NoAnswer);
    assert_eq!(open.attempts[0].next_attempt_at, Some(later));
    assert_eq!(open.attempts[0].by, "林晓峰");

    // The list orders by the next call due: the other task (due Monday) after this one's
    // next attempt today; the attempts come with it.
    let page = t.callbacks(p.lead, "").await;
    let numbers: Vec<&str> = page
        .callbacks
        .iter()
        .map(|c| c.evaluation_number.as_str())
        .collect();
    assert_eq!(numbers, [first.as_str(), second.as_str()]);
    assert_eq!(page.callbacks[0].attempts, open.attempts);
    assert_eq!((page.open, page.overdue, page.done), (2, 0, 0));
    // Past the next attempt, the task is overdue.
    t.app.advance(Duration::hours(4));
    let page = t.callbacks(p.lead, "").await;
    assert!(page.callbacks[0].overdue);
    assert_eq!(page.overdue, 1);

    // The second failed call is the last the settings allow: the task closes as unreachable,
    // with the call's notes, and no next attempt is asked for.
    let closed = t
        .record(
            p.lead,
            task.id,
            json!({ "outcome": "wrong_number", "notes": " 空号 " }),
        )
        .await;
    assert_eq!(closed.outcome, Some(CallbackOutcome::Unreachable));
    assert_eq!(closed.notes.as_deref(), Some("空号"));
    assert!(closed.done_at.is_some());
    assert_eq!(closed.attempts.len(), 2);
    assert_eq!(closed.attempts[1].next_attempt_at, None);
    let again = t
        .post(
            p.lead,
            &uri,
            json!({ "outcome": "resolved", "notes": "已解决" }),
        )
        .await;
    assert_eq!(
        problem(again, 409).await.code.as_deref(),
        Some("callback_done")
    );
    let done = t.callbacks(p.lead, "?open=false").await;
    assert_eq!(done.callbacks[0].evaluation_number, first);
    assert_eq!((done.total, done.open, done.done), (1, 1, 1));

    // A reached customer ends a task whatever its attempts; notes are required then.
    let other = t.callbacks(p.lead, "").await.callbacks[0].clone();
    let later = t.app.now() + Duration::hours(1);
    t.record(
        p.lead,
        other.id,
        json!({ "outcome": "no_answer", "next_attempt_at": at(later) }),
    )
    .await;
    let uri = format!("/api/v1/callbacks/{}", other.id);
    let refused = problem(
        t.post(p.lead, &uri, json!({ "outcome": "escalated", "notes": "" }))
            .await,
        422,
    )
    .await;
    assert_eq!(refused.errors[0].field, "notes");
    let reached = t
        .record(
            p.lead,
            other.id,
            json!({ "outcome": "escalated", "notes": "转交售后主管" }),
        )
        .await;
    assert_eq!(reached.outcome, Some(CallbackOutcome::Escalated));
    assert_eq!(reached.attempts.len(), 1);
}

#[tokio::test]
async fn the_list_is_paged_with_the_count_of_each_tab() {
    let t = T::at(friday()).await;
    let p = t.people;
    let mut numbers = Vec::new();
    for overall in [2, 3, 4] {
        numbers.push(t.rate(p.customer, p.agent, overall, None).await);
    }
    let theirs = t.rate(p.member, p.other_agent, 1, None).await;
    let first = t.callbacks(p.lead, "?per_page=2").await;
    let second = t.callbacks(p.lead, "?per_page=2&page=2").await;
    assert_eq!((first.total, first.page, first.per_page), (3, 1, 2));
    assert_eq!((first.callbacks.len(), second.callbacks.len()), (2, 1));
    let listed: Vec<String> = first
        .callbacks
        .iter()
        .chain(&second.callbacks)
        .map(|c| c.evaluation_number.clone())
        .collect();
    assert_eq!(listed, numbers, "every task once, due soonest first");
    // One evaluation's task alone (a notification's link), whichever page it is on.
    let one = t
        .callbacks(p.lead, &format!("?number={}&per_page=2", numbers[2]))
        .await;
    assert_eq!(one.callbacks.len(), 1);
    assert_eq!(one.callbacks[0].evaluation_number, numbers[2]);
    assert_eq!((one.total, one.open), (1, 3));
    let theirs_one = t.callbacks(p.lead, &format!("?number={theirs}")).await;
    assert!(theirs_one.callbacks.is_empty(), "not this lead's team");
    let past = t.callbacks(p.lead, "?per_page=2&page=3").await;
    assert!(past.callbacks.is_empty());
    assert_eq!(past.total, 3);
    for query in ["?page=0", "?per_page=0", "?per_page=101"] {
        let uri = format!("/api/v1/callbacks{query}");
        let refused = problem(t.call(p.lead, Method::GET, &uri, None).await, 422).await;
        assert!(!refused.errors.is_empty(), "{query}");
    }
    // The other team's task is the admin's to see, not this lead's; an agent sees none.
    let all = t.callbacks(p.admin, "?per_page=10").await;
    assert_eq!(all.total, 4);
    assert!(all.callbacks.iter().any(|c| c.evaluation_number == theirs));
    assert_eq!(
        t.call(p.agent, Method::GET, "/api/v1/callbacks", None)
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
}
