//! Admin analytics (issue 9): the KPIs, charts and word counts of a small fixture computed by
//! hand, the filter and drill-down, the CSV export, stop words, and that deleted evaluations
//! never count. Evaluations go through the real `POST /evaluations`; every test runs on a
//! fixed clock.

use axum::http::{Method, StatusCode};
use chrono::{DateTime, Duration, Utc};
use pingjia_domain::analytics::{
    AgentReport, AnalyticsEvaluationPage, DimensionReport, DistributionReport, KpiReport,
    SegmentReport, TrendReport, WordReport,
};
use pingjia_server::db::sql;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use crate::common::{AdminClient, TestApp, body_json, body_text, json_request, problem};

/// 2026-11-22 10:00 in Shanghai; the default period is 2026-10-24 to 2026-11-22.
fn start() -> DateTime<Utc> {
    "2026-11-22T02:00:00Z".parse().unwrap()
}

fn answers(scores: [u8; 5], overall: u8, suggestion: Option<&str>) -> Value {
    json!({
        "scores": {
            "attitude": scores[0], "professionalism": scores[1], "responsiveness": scores[2],
            "resolution": scores[3], "compliance": scores[4],
        },
        "overall": overall,
        "suggestion": suggestion,
        "form_seconds": 60,
    })
}

struct Fixture {
    admin: AdminClient,
    /// Evaluation numbers, in the order rated.
    numbers: Vec<String>,
    records: Vec<i64>,
}

impl Fixture {
    /// Rates a fresh record (ended an hour ago) of `customer` served by `agent`.
    async fn rate(&mut self, customer: i64, agent: i64, answers: Value) {
        let (record, created) = self
            .admin
            .app
            .rate_fresh(customer, agent, Duration::hours(1), answers, "analytics")
            .await;
        self.numbers
            .push(created["number"].as_str().unwrap().to_owned());
        self.records.push(record);
    }

    async fn sql(&self, sql: &str, record: i64) {
        sql::query(sql)
            .bind(record)
            .execute(&self.admin.app.state.pool)
            .await
            .unwrap();
    }

    /// The numbers `GET /analytics/evaluations?{query}` lists.
    async fn list(&self, query: &str) -> Vec<String> {
        let uri = format!("/api/v1/analytics/evaluations?{query}");
        let page: AnalyticsEvaluationPage = self.get(&uri).await;
        page.evaluations.into_iter().map(|e| e.number).collect()
    }

    async fn get<T: DeserializeOwned>(&self, uri: &str) -> T {
        let response = self.admin.get(uri).await;
        assert_eq!(response.status(), StatusCode::OK, "{uri}");
        serde_json::from_value(body_json(response).await).unwrap()
    }

    /// One evaluation in the previous period (40 days ago) and five today:
    ///
    /// | # | agent | customer  | scores    | total | overall | suggestion                 |
    /// |---|-------|-----------|-----------|-------|---------|----------------------------|
    /// | 0 | E1001 | member    | 3 3 3 3 3 | 3.0   | 5       | —                          |
    /// | 1 | E1001 | member    | 5 5 4 5 5 | 4.8   | 9       | 物流太慢了，客服态度很好   |
    /// | 2 | E1001 | returning | 2 3 2 1 3 | 2.2   | 4       | 客服态度很差，物流太慢     |
    /// | 3 | E2001 | member    | 4 4 5 4 5 | 4.4   | 8       | 客服态度很耐心, a very patient agent |
    /// | 4 | E2001 | returning | 5 5 5 5 5 | 5.0   | 6       | =cmd\|' /C calc'!A0 (flagged extreme) |
    /// | 5 | E1001 | returning | 1 2 1 2 1 | 1.4   | 2       | 垃圾服务 (deleted)         |
    ///
    /// Records: all normal urgency answered after 5 minutes, resolved at first contact 25
    /// minutes after the request, except #2 (high urgency answered after 30 minutes: late; not
    /// first contact; resolved after 3 hours), #4 (no response, unresolved) and #5 (not first
    /// contact). #1 has an open appeal.
    async fn new() -> Fixture {
        let app = TestApp::new().await.at(start() - Duration::days(40));
        let admin = AdminClient::on(app).await;
        let p = admin.people;
        let mut f = Fixture {
            admin,
            numbers: Vec::new(),
            records: Vec::new(),
        };
        f.rate(p.member, p.agent, answers([3; 5], 5, None)).await;
        f.admin.app.advance(Duration::days(40));
        // The first session has expired meanwhile.
        f.admin.cookie = f.admin.app.session(p.admin).await;
        let suggestion = |s: &str| Some(s.to_owned());
        let today = [
            (
                p.member,
                p.agent,
                [5, 5, 4, 5, 5],
                9,
                suggestion("物流太慢了，客服态度很好"),
            ),
            (
                p.customer,
                p.agent,
                [2, 3, 2, 1, 3],
                4,
                suggestion("客服态度很差，物流太慢"),
            ),
            (
                p.member,
                p.other_agent,
                [4, 4, 5, 4, 5],
                8,
                suggestion("客服态度很耐心, a very patient agent"),
            ),
            (
                p.customer,
                p.other_agent,
                [5; 5],
                6,
                suggestion("=cmd|' /C calc'!A0"),
            ),
            (
                p.customer,
                p.agent,
                [1, 2, 1, 2, 1],
                2,
                suggestion("垃圾服务"),
            ),
        ];
        for (customer, agent, scores, overall, text) in today {
            f.rate(customer, agent, answers(scores, overall, text.as_deref()))
                .await;
        }
        let r = f.records.clone();
        f.sql(
            "UPDATE service_records SET urgency = 'high', resolved_first_contact = FALSE,
                 first_response_at = strftime('%Y-%m-%dT%H:%M:%SZ', requested_at, '+30 minutes'),
                 resolved_at = strftime('%Y-%m-%dT%H:%M:%SZ', requested_at, '+180 minutes')
             WHERE id = ?",
            r[2],
        )
        .await;
        f.sql(
            "UPDATE service_records SET first_response_at = NULL, resolved_at = NULL,
                 resolved_first_contact = FALSE WHERE id = ?",
            r[4],
        )
        .await;
        f.sql(
            "UPDATE service_records SET resolved_first_contact = FALSE WHERE id = ?",
            r[5],
        )
        .await;
        f.sql(
            "UPDATE evaluations SET status = 'deleted' WHERE service_record_id = ?",
            r[5],
        )
        .await;
        let cookie = f.admin.app.session(p.member).await;
        let mut appeal = json_request(
            Method::POST,
            &format!("/api/v1/evaluations/{}/appeals", f.numbers[1]),
            Some(&cookie),
            &json!({ "reason": "我点错了，物流其实不算慢，想改一下分数" }),
        );
        appeal
            .headers_mut()
            .insert("idempotency-key", "analytics-appeal-1".parse().unwrap());
        assert_eq!(
            f.admin.app.request(appeal).await.status(),
            StatusCode::CREATED
        );
        f
    }
}

fn close(actual: Option<f64>, expected: f64) -> bool {
    actual.is_some_and(|a| (a - expected).abs() < 1e-9)
}

#[tokio::test]
async fn kpis_of_a_fixture_computed_by_hand_against_the_previous_period() {
    let f = Fixture::new().await;
    let flags: Vec<String> = sql::query_scalar(
        "SELECT f.rule FROM evaluation_flags f JOIN evaluations e ON e.id = f.evaluation_id
         WHERE e.service_record_id = ?",
    )
    .bind(f.records[4])
    .fetch_all(&f.admin.app.state.pool)
    .await
    .unwrap();
    assert_eq!(flags, ["extreme"], "the fixture's flagged evaluation");

    let k: KpiReport = f.get("/api/v1/analytics/kpis").await;
    assert_eq!(k.period.from.to_string(), "2026-10-24");
    assert_eq!(k.period.to.to_string(), "2026-11-22");
    assert_eq!(k.previous_period.from.to_string(), "2026-09-24");
    // Four counted today (#5 is deleted); #0 in the previous period.
    assert_eq!(
        (k.evaluations.value, k.evaluations.previous),
        (Some(4.0), Some(1.0))
    );
    // (4.8 + 2.2 + 4.4 + 5.0) / 4 = 4.1; before: 3.0.
    assert!(close(k.average_total.value, 4.1), "{:?}", k.average_total);
    assert!(close(k.average_total.previous, 3.0));
    // Overall ≥ 8: #1 (9) and #3 (8) of four.
    assert!(close(k.attainment_rate.value, 0.5));
    assert!(close(k.attainment_rate.previous, 0.0));
    // Records #1-#5 (a deleted evaluation's record is still a record): on time #1 #3 #5.
    assert!(close(k.on_time_rate.value, 0.6), "{:?}", k.on_time_rate);
    assert!(close(k.on_time_rate.previous, 1.0));
    // First contact: #1 #3.
    assert!(
        close(k.first_contact_rate.value, 0.4),
        "{:?}",
        k.first_contact_rate
    );
    // Resolved #1 #2 #3 #5: (25 + 180 + 25 + 25) / 4 = 63.75 → 63.8.
    assert!(
        close(k.average_handling_minutes.value, 63.8),
        "{:?}",
        k.average_handling_minutes
    );
    assert!(close(k.average_handling_minutes.previous, 25.0));
    assert_eq!(k.open_appeals.value, Some(1.0));
    assert_eq!(
        (k.flagged.value, k.flagged.previous),
        (Some(1.0), Some(0.0))
    );

    // One agent: #1 and #2 today.
    let k: KpiReport = f.get("/api/v1/analytics/kpis?agent=E1001").await;
    assert_eq!(k.evaluations.value, Some(2.0));
    assert!(close(k.average_total.value, 3.5));
    // Records #1, #2, #5; on time #1 and #5: 2/3, to four places.
    assert!(close(k.on_time_rate.value, 0.6667), "{:?}", k.on_time_rate);
    // The other team, returning customers: #4 only.
    let other = f.admin.people.other_team;
    let k: KpiReport = f
        .get(&format!(
            "/api/v1/analytics/kpis?team={other}&customer_type=returning"
        ))
        .await;
    assert_eq!(k.evaluations.value, Some(1.0));
    assert_eq!(k.open_appeals.value, Some(0.0));
    // A period with nothing: no values, not zeros that look like figures.
    let k: KpiReport = f
        .get("/api/v1/analytics/kpis?from=2026-01-01&to=2026-01-31")
        .await;
    assert_eq!(k.evaluations.value, Some(0.0));
    assert_eq!(k.average_total.value, None);
    assert_eq!(k.on_time_rate.value, None);
}

#[tokio::test]
async fn charts_of_the_fixture() {
    let f = Fixture::new().await;
    let d: DimensionReport = f.get("/api/v1/analytics/dimensions").await;
    let ranked: Vec<(&str, f64)> = d
        .dimensions
        .iter()
        .map(|s| (s.dimension.code.as_str(), s.average))
        .collect();
    // attitude 5 2 4 5 = 4.0; professionalism 5 3 4 5 = 4.25; responsiveness 4 2 5 5 = 4.0;
    // resolution 5 1 4 5 = 3.75; compliance 5 3 5 5 = 4.5.
    assert_eq!(
        ranked,
        [
            ("compliance", 4.5),
            ("professionalism", 4.25),
            ("attitude", 4.0),
            ("responsiveness", 4.0),
            ("resolution", 3.75),
        ]
    );
    assert!(d.dimensions.iter().all(|s| !s.weak && s.count == 4));
    let d: DimensionReport = f
        .get("/api/v1/analytics/dimensions?agent=E1001&customer_type=returning")
        .await;
    let weak: Vec<&str> = d
        .dimensions
        .iter()
        .filter(|s| s.weak)
        .map(|s| s.dimension.code.as_str())
        .collect();
    assert_eq!(
        weak,
        ["attitude", "responsiveness", "resolution"],
        "#2 alone: 2 3 2 1 3"
    );

    let t: TrendReport = f.get("/api/v1/analytics/trend?granularity=week").await;
    assert_eq!(
        t.buckets.len(),
        5,
        "Saturday and Sunday, then four whole weeks"
    );
    assert_eq!(t.overall.counts.iter().sum::<u64>(), 4);
    assert_eq!(*t.overall.counts.last().unwrap(), 4);
    assert!(close(*t.overall.averages.last().unwrap(), 4.1));
    assert_eq!(t.overall.averages[0], None);
    let teams: Vec<(&str, Option<f64>)> = t
        .teams
        .iter()
        .map(|s| (s.name.as_str(), *s.averages.last().unwrap()))
        .collect();
    assert_eq!(teams, [("华东一组", Some(3.5)), ("华南二组", Some(4.7))]);

    let s: SegmentReport = f.get("/api/v1/analytics/segments").await;
    let member = &s.customer_types[2];
    assert_eq!((member.segment.as_str(), member.count), ("member", 2));
    let attitude = s
        .dimensions
        .iter()
        .position(|d| d.code == "attitude")
        .unwrap();
    assert!(close(member.averages[attitude], 4.5), "#1 5, #3 4");
    assert_eq!(s.customer_types[0].count, 0, "no new customers");
    assert_eq!(s.customer_types[0].averages[attitude], None);
    assert_eq!(s.channels[0].count, 4, "all online");

    let dist: DistributionReport = f.get("/api/v1/analytics/distribution").await;
    assert_eq!(dist.overall, [0, 0, 0, 1, 0, 1, 0, 1, 1, 0]);

    let a: AgentReport = f.get("/api/v1/analytics/agents").await;
    let agents: Vec<(&str, Option<f64>, u64)> = a
        .agents
        .iter()
        .map(|s| (s.agent_no.as_str(), s.average_total, s.count))
        .collect();
    assert_eq!(agents, [("E2001", Some(4.7), 2), ("E1001", Some(3.5), 2)]);
    assert!(close(a.agents[1].attainment_rate, 0.5));
    // With an agent filter the team's line still covers the team.
    let a: AgentReport = f.get("/api/v1/analytics/agents?agent=E1001").await;
    assert_eq!(a.agents.len(), 1);
    assert_eq!(a.teams.len(), 1);
}

#[tokio::test]
async fn word_counts_of_the_fixture_and_stop_words() {
    let f = Fixture::new().await;
    let praise: WordReport = f.get("/api/v1/analytics/words?sentiment=praise").await;
    assert_eq!(praise.evaluations, 2, "#1 and #3");
    let count =
        |w: &WordReport, term: &str| w.terms.iter().find(|t| t.term == term).map(|t| t.count);
    assert_eq!(praise.terms[0].term, "态度", "{:?}", praise.terms);
    assert_eq!(count(&praise, "态度"), Some(2));
    assert_eq!(
        count(&praise, "客服"),
        None,
        "a stop word of customer service"
    );
    assert_eq!(count(&praise, "agent"), None, "an English one");
    assert_eq!(count(&praise, "物流"), Some(1));
    assert_eq!(count(&praise, "patient"), Some(1));
    assert_eq!(count(&praise, "very"), None, "an English stop word");
    assert!(praise.terms.iter().all(|t| t.term.chars().count() >= 2));
    let complaints: WordReport = f.get("/api/v1/analytics/words").await;
    assert_eq!(complaints.evaluations, 2, "#2 and #4 (#5 is deleted)");
    assert_eq!(count(&complaints, "物流"), Some(1));
    assert_eq!(
        count(&complaints, "垃圾"),
        None,
        "the deleted evaluation's words"
    );
    // One agent's words (from the kept counts per agent): only their evaluations'.
    let theirs: WordReport = f
        .get("/api/v1/analytics/words?sentiment=praise&agent=E2001")
        .await;
    assert_eq!(count(&theirs, "态度"), Some(1), "#3 only");
    assert_eq!(count(&theirs, "patient"), Some(1));
    assert_eq!(count(&theirs, "物流"), None, "#1 is E1001's");
    let theirs: WordReport = f.get("/api/v1/analytics/words?agent=E1001").await;
    assert_eq!(count(&theirs, "物流"), Some(1), "#2");
    assert_eq!(count(&theirs, "垃圾"), None, "#5 is deleted");
    assert_eq!(count(&theirs, "patient"), None, "#3 is E2001's");

    // An admin's stop word leaves the cloud at once and comes back when removed.
    let added = f
        .admin
        .post("/api/v1/analytics/stop-words", json!({ "word": " 态度 " }))
        .await;
    assert_eq!(added.status(), StatusCode::CREATED);
    let again = f
        .admin
        .post("/api/v1/analytics/stop-words", json!({ "word": "态度" }))
        .await;
    assert_eq!(
        problem(again, 409).await.code.as_deref(),
        Some("stop_word_exists")
    );
    let builtin = f
        .admin
        .post("/api/v1/analytics/stop-words", json!({ "word": "我们" }))
        .await;
    assert_eq!(problem(builtin, 422).await.errors[0].code, "builtin");
    let praise: WordReport = f.get("/api/v1/analytics/words?sentiment=praise").await;
    assert_eq!(count(&praise, "态度"), None);
    let removed = f
        .admin
        .delete("/api/v1/analytics/stop-words/%E6%80%81%E5%BA%A6")
        .await;
    assert_eq!(removed.status(), StatusCode::NO_CONTENT);
    let praise: WordReport = f.get("/api/v1/analytics/words?sentiment=praise").await;
    assert_eq!(count(&praise, "态度"), Some(2));
    let audited = f
        .admin
        .count("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'stop_word.%'")
        .await;
    assert_eq!(audited, 2);
}

#[tokio::test]
async fn an_english_words_forms_are_one_word_shown_as_its_most_used_form() {
    let mut f = Fixture::new().await;
    let p = f.admin.people;
    for text in ["Delays!", "delays again", "It was delayed"] {
        f.rate(p.customer, p.agent, answers([2; 5], 3, Some(text)))
            .await;
    }
    let delays: Vec<String> = f.numbers[6..].iter().rev().cloned().collect();
    let words: WordReport = f.get("/api/v1/analytics/words").await;
    let found: Vec<_> = words
        .terms
        .iter()
        .filter(|t| t.term.starts_with("delay"))
        .collect();
    assert_eq!(found.len(), 1, "{:?}", words.terms);
    assert_eq!((found[0].term.as_str(), found[0].count), ("delays", 3));
    // A word's list, by any of its forms.
    assert_eq!(f.list("word=delays").await, delays);
    assert_eq!(f.list("word=Delayed").await, delays);
    // An admin's stop word leaves out the word's other forms too.
    let added = f
        .admin
        .post("/api/v1/analytics/stop-words", json!({ "word": "delayed" }))
        .await;
    assert_eq!(added.status(), StatusCode::CREATED);
    let words: WordReport = f.get("/api/v1/analytics/words").await;
    assert!(
        words.terms.iter().all(|t| !t.term.starts_with("delay")),
        "{:?}",
        words.terms
    );

    // A database whose terms were stored before keys: the start keys them once.
    let pool = &f.admin.app.state.pool;
    for statement in [
        "INSERT INTO evaluation_terms (evaluation_id, term, submitted_day, overall, submitted_at)
         SELECT evaluation_id, 'delaying', submitted_day, overall, submitted_at
         FROM evaluation_terms WHERE term = 'delay'",
        "DELETE FROM evaluation_terms WHERE term = 'delay'",
        "INSERT INTO term_keys_pending (pending) VALUES (1)",
    ] {
        sql::query(statement).execute(pool).await.unwrap();
    }
    let mut conn = pool.acquire().await.unwrap();
    let keyed = pingjia_server::services::analytics::key_stored_terms(&mut conn)
        .await
        .unwrap();
    assert_eq!(keyed, 3);
    assert_eq!(
        pingjia_server::services::analytics::key_stored_terms(&mut conn)
            .await
            .unwrap(),
        0,
        "once"
    );
    drop(conn);
    let stored = f
        .admin
        .count("SELECT COUNT(*) FROM evaluation_terms WHERE term = 'delay'")
        .await;
    assert_eq!(stored, 3);
    crate::sums::assert_sums_agree(pool).await;
}

#[tokio::test]
async fn drill_down_lists_what_a_chart_element_counts() {
    let f = Fixture::new().await;
    let n = &f.numbers;
    assert_eq!(
        f.list("").await,
        [n[4].as_str(), n[3].as_str(), n[2].as_str(), n[1].as_str()],
        "newest first, no deleted"
    );
    assert_eq!(f.list("overall=8").await, [n[3].as_str()]);
    assert_eq!(
        f.list("dimension=resolution&score=1").await,
        [n[2].as_str()]
    );
    assert_eq!(
        f.list("word=%E7%89%A9%E6%B5%81&sentiment=praise").await,
        [n[1].as_str()]
    );
    assert_eq!(
        f.list("word=%E7%89%A9%E6%B5%81").await,
        [n[2].as_str(), n[1].as_str()]
    );
    let page: AnalyticsEvaluationPage = f
        .get("/api/v1/analytics/evaluations?per_page=1&page=2")
        .await;
    assert_eq!((page.total, page.evaluations.len()), (4, 1));
    assert_eq!(page.evaluations[0].number, n[3]);
    // A word's list is read from its words newest day first, its total from the kept word
    // counts (the organisation's, an agent's), or counted in a group.
    for filter in ["", "&agent=E1001", "&channel=online"] {
        let page: AnalyticsEvaluationPage = f
            .get(&format!(
                "/api/v1/analytics/evaluations?word=%E7%89%A9%E6%B5%81&per_page=1&page=2{filter}"
            ))
            .await;
        assert_eq!((page.total, page.evaluations.len()), (2, 1), "{filter}");
        assert_eq!(page.evaluations[0].number, n[1], "{filter}");
    }
    let praised: AnalyticsEvaluationPage = f
        .get("/api/v1/analytics/evaluations?word=%E7%89%A9%E6%B5%81&sentiment=praise&agent=E1001")
        .await;
    assert_eq!(praised.total, 1);
    let flagged = &f
        .get::<AnalyticsEvaluationPage>("/api/v1/analytics/evaluations?overall=6")
        .await
        .evaluations[0];
    assert_eq!(flagged.status, "under_review");
    // Online chat has an optional sixth dimension (added value), left unanswered.
    let answered: Vec<_> = flagged.scores.iter().filter_map(|s| s.score).collect();
    assert_eq!(answered, [5, 5, 5, 5, 5]);
}

#[tokio::test]
async fn bad_filters_are_clear_problems() {
    let f = Fixture::new().await;
    let p = problem(f.admin.get("/api/v1/analytics/kpis?agent=E9999").await, 422).await;
    assert_eq!(
        (p.errors[0].field.as_str(), p.errors[0].code.as_str()),
        ("agent", "unknown")
    );
    let p = problem(f.admin.get("/api/v1/analytics/trend?team=999").await, 422).await;
    assert_eq!(p.errors[0].field, "team");
    let p = problem(
        f.admin
            .get("/api/v1/analytics/dimensions?from=2026-11-22&to=2026-11-01")
            .await,
        422,
    )
    .await;
    assert_eq!(p.errors[0].code, "after_to");
    let p = problem(
        f.admin
            .get("/api/v1/analytics/words?from=2025-01-01&to=2026-11-22")
            .await,
        422,
    )
    .await;
    assert_eq!(p.errors[0].code, "too_long");
    problem(
        f.admin.get("/api/v1/analytics/kpis?channel=phone").await,
        400,
    )
    .await;
    let p = problem(
        f.admin
            .get("/api/v1/analytics/evaluations?overall=11")
            .await,
        422,
    )
    .await;
    assert_eq!(p.errors[0].field, "overall");
}

#[tokio::test]
async fn the_csv_has_a_bom_every_listed_row_and_no_formulas() {
    let f = Fixture::new().await;
    let response = f.admin.get("/api/v1/analytics/evaluations.csv").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        crate::common::header(&response, "content-type"),
        Some("text/csv; charset=utf-8")
    );
    assert!(
        crate::common::header(&response, "content-disposition")
            .unwrap()
            .contains("pingjia-evaluations-2026-10-24-2026-11-22.csv")
    );
    let text = body_text(response).await;
    let text = text.strip_prefix('\u{feff}').expect("a UTF-8 BOM");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = reader.headers().unwrap().clone();
    assert_eq!(&header[0], "评价编号 Number");
    assert!(header.iter().any(|h| h == "服务态度 Attitude"));
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let numbers: Vec<&str> = rows.iter().map(|r| &r[0]).collect();
    let n = &f.numbers;
    assert_eq!(
        numbers,
        [n[4].as_str(), n[3].as_str(), n[2].as_str(), n[1].as_str()]
    );
    let suggestion = header.iter().position(|h| h == "建议 Suggestion").unwrap();
    assert_eq!(&rows[0][suggestion], "'=cmd|' /C calc'!A0", "neutralised");
    assert_eq!(&rows[3][suggestion], "物流太慢了，客服态度很好");
    let flags = header.iter().position(|h| h == "异常标记 Flags").unwrap();
    // In words, never the codes (issue 24).
    assert_eq!(&rows[0][flags], "极端评分");
    let status = header.iter().position(|h| h == "状态 Status").unwrap();
    for row in &rows {
        assert!(["有效", "待审核"].contains(&&row[status]), "{row:?}");
    }
    assert!(rows.iter().all(|row| row.iter().all(|cell| !matches!(
        cell,
        "active" | "under_review" | "deleted" | "extreme" | "too_fast" | "online" | "offline"
    ))));
    let attitude = header
        .iter()
        .position(|h| h == "服务态度 Attitude")
        .unwrap();
    assert_eq!(&rows[2][attitude], "2");
    // The drill-down's rows, filtered the same way.
    let text = body_text(
        f.admin
            .get("/api/v1/analytics/evaluations.csv?agent=E1001&word=%E7%89%A9%E6%B5%81")
            .await,
    )
    .await;
    assert_eq!(text.lines().count(), 3, "header, #2, #1");
    // Compressed as browsers ask for it, the stream ends cleanly (an unfused stream was polled
    // after its end by the compression layer and panicked).
    for encoding in ["gzip", "br", "gzip, deflate, br, zstd"] {
        let request = axum::http::Request::get("/api/v1/analytics/evaluations.csv")
            .header("cookie", &f.admin.cookie)
            .header("accept-encoding", encoding)
            .body(axum::body::Body::empty())
            .unwrap();
        let response = f.admin.app.request(request).await;
        assert_eq!(response.status(), StatusCode::OK);
        let body = http_body_util::BodyExt::collect(response.into_body()).await;
        assert!(body.is_ok(), "{encoding}: the body ends without an error");
    }
}

#[tokio::test]
async fn only_admins_read_analytics() {
    let f = Fixture::new().await;
    let app = &f.admin.app;
    for user in [
        f.admin.people.member,
        f.admin.people.agent,
        f.admin.people.lead,
    ] {
        let cookie = app.session(user).await;
        for uri in [
            "/api/v1/analytics/kpis",
            "/api/v1/analytics/evaluations",
            "/api/v1/analytics/evaluations.csv",
        ] {
            let response = app
                .request(crate::common::empty_request(
                    Method::GET,
                    uri,
                    Some(&cookie),
                ))
                .await;
            assert_eq!(response.status(), StatusCode::FORBIDDEN, "{uri}");
        }
    }
}
