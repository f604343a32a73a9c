//! Rectification tracking at the demo's size (issue 24): the list is paged and filtered on the
//! server, what waits for someone's action comes first, every tab counts what it lists, and
//! the QA home and an agent's own page show what needs action first.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use pingjia_domain::qa::{
    MyQa, QA_HOME_LIST_LEN, QaHome, Rectification, RectificationPage, RectificationStatus,
    sort_for_owner,
};
use pingjia_server::db::sql;

use crate::common::{TestApp, body_json};
use crate::demo::seeded;

async fn id_of(app: &TestApp, employee_no: &str) -> i64 {
    sql::query_scalar("SELECT id FROM users WHERE employee_no = ?")
        .bind(employee_no)
        .fetch_one(&app.state.pool)
        .await
        .unwrap()
}

async fn get(app: &TestApp, cookie: &str, uri: &str) -> (StatusCode, serde_json::Value) {
    let request = Request::get(uri)
        .header("cookie", cookie)
        .body(Body::empty())
        .unwrap();
    let response = app.request(request).await;
    (response.status(), body_json(response).await)
}

async fn page(app: &TestApp, cookie: &str, uri: &str) -> RectificationPage {
    let (status, body) = get(app, cookie, uri).await;
    assert_eq!(status, StatusCode::OK, "{uri}: {body}");
    serde_json::from_value(body).unwrap()
}

/// Every rectification the query lists, page by page (100 a page).
async fn every(app: &TestApp, cookie: &str, query: &str) -> Vec<Rectification> {
    let mut all = Vec::new();
    for n in 1.. {
        let uri = format!("/api/v1/qa/rectifications?per_page=100&page={n}{query}");
        let page = page(app, cookie, &uri).await;
        let last = page.rectifications.len() < 100;
        all.extend(page.rectifications);
        if last {
            break;
        }
    }
    all
}

/// The urgency the list is sorted by: reported, overdue, open, closed.
fn rank(r: &Rectification) -> u8 {
    match (r.status, r.overdue) {
        (RectificationStatus::Reported, _) => 0,
        (RectificationStatus::Open, true) => 1,
        (RectificationStatus::Open, false) => 2,
        (RectificationStatus::Closed, _) => 3,
    }
}

#[tokio::test]
async fn the_tracking_list_is_paged_filtered_and_puts_what_needs_action_first() {
    let app = seeded().await;
    let inspector = app.session(id_of(&app, "Q0001").await).await;

    let first = page(&app, &inspector, "/api/v1/qa/rectifications").await;
    assert_eq!((first.page, first.per_page), (1, 20));
    assert_eq!(
        first.rectifications.len(),
        20,
        "the demo has more than a page"
    );
    assert_eq!(first.total, first.counts.all());

    // Every page together is every rectification once, in the order of urgency, then by
    // deadline (latest first among the closed ones).
    let all = every(&app, &inspector, "").await;
    assert_eq!(all.len() as u64, first.counts.all());
    let stored: i64 = sql::query_scalar("SELECT COUNT(*) FROM qa_rectifications")
        .fetch_one(&app.state.pool)
        .await
        .unwrap();
    assert_eq!(all.len() as i64, stored);
    let mut ids: Vec<i64> = all.iter().map(|r| r.id).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), all.len(), "no rectification on two pages");
    for pair in all.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        assert!(rank(a) <= rank(b), "{} before {}", a.id, b.id);
        if rank(a) == rank(b) && a.status != RectificationStatus::Closed {
            assert!(a.deadline <= b.deadline, "{} before {}", a.id, b.id);
        }
        if rank(a) == rank(b) && a.status == RectificationStatus::Closed {
            assert!(a.deadline >= b.deadline, "{} before {}", a.id, b.id);
        }
    }
    assert_eq!(all.iter().map(rank).collect::<Vec<_>>(), {
        let mut sorted: Vec<u8> = all.iter().map(rank).collect();
        sorted.sort_unstable();
        sorted
    });

    // The filters offer every agent with a rectification and their teams, to an inspector too
    // (who may not read the user directory).
    assert!(
        all.iter()
            .all(|r| first.agents.iter().any(|a| a.id == r.agent.id))
    );
    assert!(first.agents.len() > 1 && !first.teams.is_empty());
    let mut numbers: Vec<&str> = first.agents.iter().map(|a| a.no.as_str()).collect();
    numbers.dedup();
    assert_eq!(numbers.len(), first.agents.len(), "each agent once");

    // Each tab lists what it counts, and the counts are those of the rows.
    let counted = |pred: &dyn Fn(&Rectification) -> bool| all.iter().filter(|r| pred(r)).count();
    for (tab, expected) in [
        ("open", counted(&|r| r.status == RectificationStatus::Open)),
        (
            "reported",
            counted(&|r| r.status == RectificationStatus::Reported),
        ),
        (
            "closed",
            counted(&|r| r.status == RectificationStatus::Closed),
        ),
        ("overdue", counted(&|r| r.overdue)),
    ] {
        let listed = every(&app, &inspector, &format!("&status={tab}")).await;
        assert_eq!(listed.len(), expected, "{tab}");
        let page = page(
            &app,
            &inspector,
            &format!("/api/v1/qa/rectifications?status={tab}"),
        )
        .await;
        assert_eq!(page.total as usize, expected, "{tab}");
        assert_eq!(
            page.counts, first.counts,
            "{tab}: the tabs' counts ignore the tab"
        );
    }
    assert!(first.counts.overdue > 0 && first.counts.reported > 0 && first.counts.closed > 0);

    // The agent, team, plan and deadline filters keep exactly their rows.
    let agent = all[0].agent.id;
    let of_agent = every(&app, &inspector, &format!("&agent_id={agent}")).await;
    assert_eq!(
        of_agent.len(),
        all.iter().filter(|r| r.agent.id == agent).count()
    );
    let plan = all.last().unwrap().plan_id;
    let of_plan = every(&app, &inspector, &format!("&plan_id={plan}&status=closed")).await;
    assert_eq!(
        of_plan.len(),
        all.iter()
            .filter(|r| r.plan_id == plan && r.status == RectificationStatus::Closed)
            .count()
    );
    let team: i64 = sql::query_scalar("SELECT team_id FROM users WHERE id = ?")
        .bind(agent)
        .fetch_one(&app.state.pool)
        .await
        .unwrap();
    let members: Vec<i64> = sql::query_scalar("SELECT id FROM users WHERE team_id = ?")
        .bind(team)
        .fetch_all(&app.state.pool)
        .await
        .unwrap();
    let of_team = every(&app, &inspector, &format!("&team_id={team}")).await;
    assert_eq!(
        of_team.len(),
        all.iter().filter(|r| members.contains(&r.agent.id)).count()
    );
    assert!(of_team.len() < all.len() && of_team.iter().any(|r| r.agent.id == agent));
    let day = all[all.len() / 2].deadline;
    let on_day = every(&app, &inspector, &format!("&from={day}&to={day}")).await;
    assert_eq!(
        on_day.len(),
        all.iter().filter(|r| r.deadline == day).count()
    );
    assert!(!on_day.is_empty());

    // Bad paging and periods are refused with their field named; an unknown tab is malformed.
    for (query, status) in [
        ("per_page=101", StatusCode::UNPROCESSABLE_ENTITY),
        ("page=0", StatusCode::UNPROCESSABLE_ENTITY),
        (
            "from=2026-11-02&to=2026-11-01",
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        ("status=late", StatusCode::BAD_REQUEST),
    ] {
        let (got, body) = get(
            &app,
            &inspector,
            &format!("/api/v1/qa/rectifications?{query}"),
        )
        .await;
        assert_eq!(got, status, "{query}: {body}");
    }

    // The QA home shows the first few of each list with the whole count.
    let (status, body) = get(&app, &inspector, "/api/v1/qa/home").await;
    assert_eq!(status, StatusCode::OK);
    let home: QaHome = serde_json::from_value(body).unwrap();
    assert_eq!(home.to_recheck_total, first.counts.reported);
    assert_eq!(home.overdue_total, first.counts.overdue);
    let shown = |n: u64| n.min(u64::from(QA_HOME_LIST_LEN)) as usize;
    assert_eq!(home.to_recheck.len(), shown(first.counts.reported));
    assert_eq!(home.overdue.len(), shown(first.counts.overdue));
    assert!(home.overdue.iter().all(|r| r.overdue));
    assert!(home.to_inspect.len() <= QA_HOME_LIST_LEN as usize);
    assert!(home.to_inspect_total >= home.to_inspect.len() as u64);
}

#[tokio::test]
async fn an_agents_own_qa_lists_what_awaits_their_report_first() {
    let app = seeded().await;
    // The agent who owns the most open rectifications beside closed ones.
    let owner: i64 = sql::query_scalar(
        "SELECT owner_id FROM qa_rectifications GROUP BY owner_id
         HAVING SUM(CASE WHEN status = 'open' THEN 1 ELSE 0 END) > 0
            AND SUM(CASE WHEN status = 'closed' THEN 1 ELSE 0 END) > 0
         ORDER BY COUNT(*) DESC, owner_id LIMIT 1",
    )
    .fetch_one(&app.state.pool)
    .await
    .unwrap();
    let cookie = app.session(owner).await;
    // Every page, 3 a page: the same order as the domain's sort over the whole list.
    let mut all: Vec<Rectification> = Vec::new();
    let mut totals = Vec::new();
    for n in 1.. {
        let uri = format!("/api/v1/me/qa?per_page=3&rectifications_page={n}");
        let (status, body) = get(&app, &cookie, &uri).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let mine: MyQa = serde_json::from_value(body).unwrap();
        assert_eq!((mine.rectifications_page, mine.per_page), (n, 3));
        assert!(mine.inspections.len() <= 3);
        assert!(mine.rectifications.len() <= 3);
        totals.push((mine.rectifications_total, mine.awaiting_report));
        let last = mine.rectifications.len() < 3;
        all.extend(mine.rectifications);
        if last {
            break;
        }
    }
    let (total, awaiting) = totals[0];
    assert!(totals.iter().all(|t| *t == (total, awaiting)));
    assert_eq!(all.len() as u64, total);
    assert!(total > 3, "more than one page");
    let open_owned = all
        .iter()
        .filter(|r| r.status == RectificationStatus::Open && r.owner.id == owner)
        .count();
    assert_eq!(awaiting, open_owned as u64);
    let mut sorted = all.clone();
    sort_for_owner(&mut sorted, owner);
    assert_eq!(
        all.iter().map(|r| r.id).collect::<Vec<_>>(),
        sorted.iter().map(|r| r.id).collect::<Vec<_>>()
    );
    let first = &all[0];
    assert_eq!(
        (first.status, first.owner.id),
        (RectificationStatus::Open, owner)
    );
    let last_open = all
        .iter()
        .rposition(|r| r.status == RectificationStatus::Open && r.owner.id == owner)
        .unwrap();
    let first_closed = all
        .iter()
        .position(|r| r.status == RectificationStatus::Closed)
        .unwrap();
    assert!(last_open < first_closed);
}
