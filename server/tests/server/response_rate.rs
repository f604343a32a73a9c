//! The response rate (参评率, issue 19): invitations in every state (queued, sent, opened,
//! rated through the link or signed in, opted out, revoked) are counted by when they were
//! sent, on the dashboard (the KPI card against the previous period, the funnel, its
//! breakdowns under the filters), in the weekly report and in its CSV files. The invitations
//! are inserted as the sending side leaves them (plain SQL: this side only reads them).

use axum::http::{Method, StatusCode};
use chrono::{DateTime, Duration, Utc};
use pingjia_domain::analytics::{KpiReport, ResponseBreakdown, ResponseFunnel, ResponseReport};
use pingjia_domain::reports::{Direction, Report, ReportMetric};
use pingjia_server::db::sql;
use pingjia_server::time::to_db;

use crate::common::{Staffed, body_text, problem};

/// Thursday 2026-11-26, 10:00 in Shanghai: the week 2026-W47 (16 to 22 November) is closed.
fn thursday() -> DateTime<Utc> {
    "2026-11-26T02:00:00Z".parse().unwrap()
}

/// `HH:MM` of a November 2026 day in Shanghai (UTC+8), as an instant.
fn shanghai(day: u32, hour: i64, minute: i64) -> DateTime<Utc> {
    let midnight: DateTime<Utc> = format!("2026-11-{day:02}T00:00:00Z").parse().unwrap();
    midnight - Duration::hours(8) + Duration::hours(hour) + Duration::minutes(minute)
}

/// What an invitation went through.
#[derive(Default, Clone, Copy)]
struct States {
    /// `None`: still queued (never sent).
    sent: Option<(&'static str, DateTime<Utc>)>,
    opened: bool,
    rated: bool,
    opted_out: bool,
    revoked: bool,
}

fn sent(channel: &'static str, at: DateTime<Utc>) -> States {
    States {
        sent: Some((channel, at)),
        ..States::default()
    }
}

struct Fixture {
    t: Staffed,
    /// A link's token hash, which must appear in no CSV file.
    token_hash: String,
}

impl Fixture {
    /// A record of `customer` served by `agent` (a `service_type` service that ended a day
    /// before the invitation, or now) and its invitation in `states`.
    async fn invite(&self, customer: i64, agent: i64, service_type: &str, states: States) -> i64 {
        let base = states.sent.map_or(self.t.app.now(), |(_, at)| at);
        let record = self
            .t
            .app
            .service_record(customer, agent, service_type, base - Duration::days(1))
            .await;
        let after = |yes: bool, minutes: i64| yes.then(|| to_db(base + Duration::minutes(minutes)));
        let id: i64 = sql::query_scalar(
            "INSERT INTO invitations (service_record_id, customer_id, channel, expires_at,
                 created_at, sent_at, opened_at, rated_at, revoked_at, opted_out_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(record)
        .bind(customer)
        .bind(states.sent.map(|(channel, _)| channel))
        .bind(to_db(base + Duration::days(7)))
        .bind(to_db(base - Duration::minutes(5)))
        .bind(states.sent.map(|(_, at)| to_db(at)))
        .bind(after(states.opened, 10))
        .bind(after(states.rated, 12))
        .bind(after(states.revoked, 30))
        .bind(after(states.opted_out, 11))
        .fetch_one(&self.t.app.state.pool)
        .await
        .unwrap();
        sql::query(
            "INSERT INTO invitation_links (invitation_id, token_hash, issued_at) VALUES (?, ?, ?)",
        )
        .bind(id)
        .bind(format!("{:064x}", 0xfeed_0000 + id))
        .bind(to_db(base - Duration::minutes(5)))
        .execute(&self.t.app.state.pool)
        .await
        .unwrap();
        record
    }

    /// Week 47: six sent by E1001 and E2001 (one on Sunday 23:30, the week's last minutes), one
    /// queued, one sent on Monday 00:10 (the week after); week 46: three sent by E1001.
    async fn new() -> Fixture {
        let t = Staffed::at(thursday()).await;
        let p = t.people;
        let f = Fixture {
            t,
            token_hash: format!("{:064x}", 0xfeed_0001_u64),
        };
        let (e1, e2) = (p.agent, p.other_agent);
        // E1001 (华东一组), week 47.
        f.invite(
            p.customer,
            e1,
            "online_chat",
            States {
                opened: true,
                rated: true,
                ..sent("sms", shanghai(17, 10, 0))
            },
        )
        .await;
        let offline = f
            .invite(
                p.member,
                e1,
                "online_chat",
                States {
                    opened: true,
                    ..sent("sms", shanghai(17, 11, 0))
                },
            )
            .await;
        sql::query("UPDATE service_records SET channel = 'offline' WHERE id = ?")
            .bind(offline)
            .execute(&f.t.app.state.pool)
            .await
            .unwrap();
        // Rated signed in, the link never opened: opened all the same.
        f.invite(
            p.customer,
            e1,
            "in_store",
            States {
                rated: true,
                ..sent("email", shanghai(18, 9, 0))
            },
        )
        .await;
        f.invite(
            p.member,
            e1,
            "online_chat",
            States {
                opted_out: true,
                ..sent("email", shanghai(19, 9, 0))
            },
        )
        .await;
        // Queued, never sent: not invited.
        f.invite(p.customer, e1, "online_chat", States::default())
            .await;
        // E2001 (the other team), week 47: rated, then revoked (it was sent: still counted).
        f.invite(
            p.customer,
            e2,
            "online_chat",
            States {
                opened: true,
                rated: true,
                revoked: true,
                ..sent("webhook", shanghai(20, 15, 0))
            },
        )
        .await;
        f.invite(
            p.member,
            e2,
            "online_chat",
            sent("sms", shanghai(22, 23, 30)),
        )
        .await;
        // Monday 00:10: week 48.
        f.invite(
            p.member,
            e2,
            "online_chat",
            States {
                opened: true,
                rated: true,
                ..sent("sms", shanghai(23, 0, 10))
            },
        )
        .await;
        // Week 46: one of three rated.
        for (day, rated) in [(10, true), (11, false), (12, false)] {
            f.invite(
                p.customer,
                e1,
                "online_chat",
                States {
                    rated,
                    opened: rated,
                    ..sent("sms", shanghai(day, 14, 0))
                },
            )
            .await;
        }
        f
    }

    async fn get<R: serde::de::DeserializeOwned>(&self, uri: &str) -> R {
        self.t.ok(self.t.people.admin, Method::GET, uri, None).await
    }

    async fn funnel(&self, filter: &str) -> ResponseReport {
        self.get(&format!(
            "/api/v1/analytics/response?from=2026-11-16&to=2026-11-22{filter}"
        ))
        .await
    }

    async fn csv(&self, table: &str) -> String {
        let response = self
            .t
            .call(
                self.t.people.admin,
                Method::GET,
                &format!("/api/v1/reports/week/2026-W47/csv/{table}"),
                None,
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK, "{table}");
        let csv = body_text(response).await;
        assert!(
            !csv.contains(&self.token_hash) && !csv.contains("feed0"),
            "{csv}"
        );
        csv
    }
}

fn counts(f: &ResponseFunnel) -> (u64, u64, u64, u64) {
    (f.invited, f.opened, f.rated, f.opted_out)
}

#[tokio::test]
async fn the_funnel_counts_the_invitations_sent_in_the_period_against_the_period_before() {
    let f = Fixture::new().await;
    let report = f.funnel("").await;
    // Sent in week 47: six (not the queued one, not Monday's); opened: four (one rated signed
    // in without opening); rated: three (one later revoked); opted out: one.
    assert_eq!(counts(&report.funnel), (6, 4, 3, 1));
    assert_eq!(report.funnel.response_rate, Some(0.5));
    assert_eq!(report.funnel.open_rate, Some(0.6667));
    assert_eq!(report.funnel.opt_out_rate, Some(0.1667));
    assert_eq!(report.previous_period.from.to_string(), "2026-11-09");
    assert_eq!(counts(&report.previous), (3, 1, 1, 0));
    assert_eq!(report.previous.response_rate, Some(0.3333));

    // The KPI card: the same rate, with the previous period's.
    let kpis: KpiReport = f
        .get("/api/v1/analytics/kpis?from=2026-11-16&to=2026-11-22")
        .await;
    assert_eq!(kpis.response_rate.value, Some(0.5));
    assert_eq!(kpis.response_rate.previous, Some(0.3333));

    // A period with no invitation has no rate (not 0 %).
    let empty: ResponseReport = f
        .get("/api/v1/analytics/response?from=2026-10-01&to=2026-10-07")
        .await;
    assert_eq!(counts(&empty.funnel), (0, 0, 0, 0));
    assert_eq!(empty.funnel.response_rate, None);

    // Monday 00:10 in Shanghai is the next week's, though still Sunday in UTC.
    let next: ResponseReport = f
        .get("/api/v1/analytics/response?from=2026-11-23&to=2026-11-26")
        .await;
    assert_eq!(counts(&next.funnel), (1, 1, 1, 0));
}

#[tokio::test]
async fn the_filters_narrow_the_funnel_to_the_records_they_choose() {
    let f = Fixture::new().await;
    let p = f.t.people;
    assert_eq!(counts(&f.funnel("&agent=E1001").await.funnel), (4, 3, 2, 1));
    assert_eq!(counts(&f.funnel("&agent=E2001").await.funnel), (2, 1, 1, 0));
    let team = f.funnel(&format!("&team={}", p.other_team)).await;
    assert_eq!(counts(&team.funnel), (2, 1, 1, 0));
    assert_eq!(
        counts(&f.funnel("&channel=offline").await.funnel),
        (1, 1, 0, 0)
    );
    assert_eq!(
        counts(&f.funnel("&service_type=in_store").await.funnel),
        (1, 1, 1, 0)
    );
    let kpis: KpiReport = f
        .get("/api/v1/analytics/kpis?from=2026-11-16&to=2026-11-22&agent=E2001")
        .await;
    assert_eq!(kpis.response_rate.value, Some(0.5));
    assert_eq!(kpis.response_rate.previous, None);
    // An unknown agent is refused, as on every analytics report.
    let response =
        f.t.call(
            p.admin,
            Method::GET,
            "/api/v1/analytics/response?agent=E9999",
            None,
        )
        .await;
    problem(response, 422).await;
    // Admins only.
    for user in [p.lead, p.agent, p.customer] {
        let response =
            f.t.call(user, Method::GET, "/api/v1/analytics/response", None)
                .await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
    }
}

#[tokio::test]
async fn the_breakdown_groups_by_agent_team_type_channel_invitation_channel_and_day() {
    let f = Fixture::new().await;
    let p = f.t.people;
    let by = |group: &'static str| {
        let f = &f;
        async move {
            let b: ResponseBreakdown = f
                .get(&format!(
                    "/api/v1/analytics/response/breakdown?from=2026-11-16&to=2026-11-22&by={group}"
                ))
                .await;
            b.rows
                .into_iter()
                .map(|r| (r.key, r.name_zh, r.name_en, counts(&r.funnel)))
                .collect::<Vec<_>>()
        }
    };
    let row = |key: &str, zh: &str, en: &str, c: (u64, u64, u64, u64)| {
        (key.to_owned(), zh.to_owned(), en.to_owned(), c)
    };
    assert_eq!(
        by("invitation_channel").await,
        [
            row("sms", "短信", "SMS", (3, 2, 1, 0)),
            row("email", "电子邮件", "E-mail", (2, 1, 1, 1)),
            row("webhook", "Webhook", "Webhook", (1, 1, 1, 0)),
        ]
    );
    let agents = by("agent").await;
    assert_eq!(agents[0].0, "E1001");
    assert_eq!(agents[0].3, (4, 3, 2, 1));
    assert!(agents[0].1.contains("E1001") && agents[0].2.contains("(E1001)"));
    assert_eq!(agents[1].0, "E2001");
    assert_eq!(agents[1].3, (2, 1, 1, 0));
    let teams = by("team").await;
    assert_eq!(teams.len(), 2);
    assert_eq!(
        teams[0],
        row(&p.team.to_string(), "华东一组", "华东一组", (4, 3, 2, 1))
    );
    assert_eq!(teams[1].0, p.other_team.to_string());
    assert_eq!(teams[1].3, (2, 1, 1, 0));
    assert_eq!(
        by("service_type").await,
        [
            row(
                "online_chat",
                "在线客服咨询",
                "Online chat support",
                (5, 3, 2, 1)
            ),
            row("in_store", "到店业务办理", "In-store service", (1, 1, 1, 0)),
        ]
    );
    assert_eq!(
        by("channel").await,
        [
            row("online", "线上", "Online", (5, 3, 3, 1)),
            row("offline", "线下", "Offline", (1, 1, 0, 0)),
        ]
    );
    // Every day of the week in order, Sunday 23:30 on Sunday.
    let days = by("day").await;
    assert_eq!(days.len(), 7);
    assert_eq!(days[0].0, "2026-11-16");
    assert_eq!(days[1].3, (2, 2, 1, 0));
    assert_eq!(
        days[6],
        row("2026-11-22", "2026-11-22", "2026-11-22", (1, 0, 0, 0))
    );
    let weeks: ResponseBreakdown = f
        .get("/api/v1/analytics/response/breakdown?from=2026-11-09&to=2026-11-22&by=week")
        .await;
    let weeks: Vec<_> = weeks.rows.iter().map(|r| counts(&r.funnel)).collect();
    assert_eq!(weeks, [(3, 1, 1, 0), (6, 4, 3, 1)]);
    // The invitation channel narrows with the agent filter too.
    let e2: ResponseBreakdown = f
        .get("/api/v1/analytics/response/breakdown?from=2026-11-16&to=2026-11-22&by=invitation_channel&agent=E2001")
        .await;
    let keys: Vec<&str> = e2.rows.iter().map(|r| r.key.as_str()).collect();
    assert_eq!(keys, ["sms", "webhook"]);
}

#[tokio::test]
async fn the_weekly_report_and_its_csv_files_carry_the_response_rate_and_funnel() {
    let f = Fixture::new().await;
    let p = f.t.people;
    let report: Report = f.get("/api/v1/reports/week/2026-W47").await;
    assert_eq!(counts(&report.response), (6, 4, 3, 1));
    assert_eq!(counts(&report.response_previous), (3, 1, 1, 0));
    assert_eq!(report.kpis.response_rate.value, Some(0.5));
    let change = report
        .summary
        .iter()
        .find(|c| c.metric == ReportMetric::ResponseRate)
        .expect("the response rate in the summary");
    assert_eq!(change.direction, Direction::Improved);
    assert_eq!(report.trend[5].response_rate, Some(0.5));
    assert_eq!(report.trend[4].response_rate, Some(0.3333));
    let e1 = report
        .agents
        .iter()
        .find(|a| a.agent_no == "E1001")
        .unwrap();
    assert_eq!((e1.invited, e1.response_rate), (4, Some(0.5)));
    // A team's report: its own invitations.
    let team: Report = f
        .get(&format!(
            "/api/v1/reports/week/2026-W47?team={}",
            p.other_team
        ))
        .await;
    assert_eq!(counts(&team.response), (2, 1, 1, 0));

    let funnel = f.csv("response").await;
    let lines: Vec<&str> = funnel.lines().collect();
    assert_eq!(
        lines,
        [
            "\u{feff}阶段 Stage,本期 This period,占邀请% Share of invited %,上期 Previous,上期占邀请% Previous share %",
            "已邀请 Invited,6,100.0,3,100.0",
            "已打开 Opened,4,66.7,1,33.3",
            "已评价 Rated,3,50.0,1,33.3",
            "已退订 Opted out,1,16.7,0,0.0",
        ]
    );
    let summary = f.csv("summary").await;
    assert!(
        summary.contains("参评率 Response rate,50.0%,33.3%,改善 improved"),
        "{summary}"
    );
    let trend = f.csv("trend").await;
    assert!(
        trend
            .lines()
            .next()
            .unwrap()
            .ends_with(",参评率% Response rate %")
    );
    assert!(trend.lines().last().unwrap().ends_with(",50.0"), "{trend}");
    let agents = f.csv("agents").await;
    assert!(
        agents
            .lines()
            .next()
            .unwrap()
            .ends_with(",邀请数 Invited,参评率% Response rate %")
    );
    let e1001 = agents.lines().find(|l| l.contains(",E1001,")).unwrap();
    assert!(e1001.ends_with(",4,50.0"), "{e1001}");

    // The kept report of the closed week has them too, and a kept report written before they
    // existed still reads (without them).
    let body = serde_json::to_value(&report).unwrap();
    let mut old = body.clone();
    for field in ["response", "response_previous"] {
        old.as_object_mut().unwrap().remove(field);
    }
    old["kpis"].as_object_mut().unwrap().remove("response_rate");
    let old: Report = serde_json::from_value(old).unwrap();
    assert_eq!(old.response, ResponseFunnel::default());
    assert_eq!(old.kpis.response_rate.value, None);
}
