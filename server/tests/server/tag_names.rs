//! The complaint tags' English names (issue 24): listed from the kept complaint counts, named
//! by an admin, shown on English pages (the distribution's and report's tags carry the name)
//! and beside the tag in a report's CSV; checked, audited, admins only.

use axum::http::{Method, StatusCode};
use pingjia_domain::analytics::{DistributionReport, TagName, TagNamePage};
use pingjia_domain::reports::Report;
use serde_json::{Value, json};

use crate::common::{body_text, problem};
use crate::demo::seeded;

const ATTITUDE: &str = "/api/v1/analytics/tags/%E6%9C%8D%E5%8A%A1%E6%80%81%E5%BA%A6";

#[tokio::test]
async fn an_admin_names_a_tag_in_english_and_reports_show_it() {
    let app = seeded().await;
    let id = |no: &'static str| {
        let pool = app.state.pool.clone();
        async move {
            pingjia_server::db::sql::query_scalar::<i64>(
                "SELECT id FROM users WHERE employee_no = ?",
            )
            .bind(no)
            .fetch_one(&pool)
            .await
            .unwrap()
        }
    };
    let (admin, lead, qa, agent) = (
        id("A0001").await,
        id("L0001").await,
        id("Q0001").await,
        id("E1001").await,
    );

    // The demo's tags are named; the most complained of first.
    let page: TagNamePage = app
        .expect_as(
            admin,
            Method::GET,
            "/api/v1/analytics/tags?per_page=5",
            None,
            StatusCode::OK,
        )
        .await;
    assert!(page.total >= 10, "{page:?}");
    assert_eq!(
        (page.page, page.per_page, page.tags.len(), page.unnamed),
        (1, 5, 5, 0)
    );
    assert!(
        page.tags
            .windows(2)
            .all(|w| w[0].complaints >= w[1].complaints)
    );
    let attitude = page
        .tags
        .iter()
        .find(|t| t.tag == "服务态度")
        .expect("the most used tag");
    assert_eq!(attitude.name_en.as_deref(), Some("Attitude"));

    // Renamed: the distribution and a kept report say the new name.
    let named: TagName = app
        .expect_as(
            admin,
            Method::PUT,
            ATTITUDE,
            Some(&json!({ "name_en": "  Service attitude " })),
            StatusCode::OK,
        )
        .await;
    assert_eq!(named.name_en.as_deref(), Some("Service attitude"));
    let distribution: DistributionReport = app
        .expect_as(
            admin,
            Method::GET,
            "/api/v1/analytics/distribution",
            None,
            StatusCode::OK,
        )
        .await;
    let tag = distribution
        .complaint_tags
        .iter()
        .find(|t| t.tag == "服务态度")
        .unwrap();
    assert_eq!(tag.name_en.as_deref(), Some("Service attitude"));
    let report: Report = app
        .expect_as(
            admin,
            Method::GET,
            "/api/v1/reports/week/2026-W46",
            None,
            StatusCode::OK,
        )
        .await;
    let tag = report
        .complaint_tags
        .iter()
        .find(|t| t.tag == "服务态度")
        .unwrap();
    assert_eq!(tag.name_en.as_deref(), Some("Service attitude"));
    let csv = body_text(
        app.call_as(
            admin,
            Method::GET,
            "/api/v1/reports/week/2026-W46/csv/complaints",
            None,
        )
        .await,
    )
    .await;
    assert!(csv.contains("服务态度 (Service attitude),"), "{csv}");
    let agents = body_text(
        app.call_as(
            admin,
            Method::GET,
            "/api/v1/reports/week/2026-W46/csv/agents",
            None,
        )
        .await,
    )
    .await;
    assert!(agents.contains(",华东一组 (East China 1),"), "{agents}");

    // Searched by either name.
    for q in ["Service%20att", "%E6%80%81%E5%BA%A6"] {
        let found: TagNamePage = app
            .expect_as(
                admin,
                Method::GET,
                &format!("/api/v1/analytics/tags?q={q}"),
                None,
                StatusCode::OK,
            )
            .await;
        assert_eq!(
            found
                .tags
                .iter()
                .map(|t| t.tag.as_str())
                .collect::<Vec<_>>(),
            ["服务态度"]
        );
    }

    // Cleared: shown as it is, counted as unnamed; audited each time.
    let cleared: TagName = app
        .expect_as(
            admin,
            Method::PUT,
            ATTITUDE,
            Some(&json!({ "name_en": " " })),
            StatusCode::OK,
        )
        .await;
    assert_eq!(cleared.name_en, None);
    let page: TagNamePage = app
        .expect_as(
            admin,
            Method::GET,
            "/api/v1/analytics/tags",
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(page.unnamed, 1);
    let audited: i64 = pingjia_server::db::sql::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'tag.named' AND target_id = '服务态度'",
    )
    .fetch_one(&app.state.pool)
    .await
    .unwrap();
    assert_eq!(audited, 2);

    // Checked: too long, two lines; a tag no complaint carries; a bad page.
    let long = "x".repeat(51);
    for body in [json!({ "name_en": long }), json!({ "name_en": "a\nb" })] {
        let refused = problem(
            app.call_as(admin, Method::PUT, ATTITUDE, Some(&body)).await,
            422,
        )
        .await;
        assert_eq!(refused.errors[0].field, "name_en");
    }
    problem(
        app.call_as(
            admin,
            Method::PUT,
            "/api/v1/analytics/tags/nope",
            Some(&json!({ "name_en": "x" })),
        )
        .await,
        404,
    )
    .await;
    problem(
        app.call_as(
            admin,
            Method::GET,
            "/api/v1/analytics/tags?per_page=101",
            None,
        )
        .await,
        422,
    )
    .await;

    // Admins only.
    for user in [lead, qa, agent] {
        problem(
            app.call_as(user, Method::GET, "/api/v1/analytics/tags", None)
                .await,
            403,
        )
        .await;
        let body: Value = json!({ "name_en": "x" });
        problem(
            app.call_as(user, Method::PUT, ATTITUDE, Some(&body)).await,
            403,
        )
        .await;
    }
}
