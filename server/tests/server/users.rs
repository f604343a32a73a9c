//! The admin's user and team management: listing with masked phones, creating, changing,
//! resetting passwords, importing a CSV file, teams; every change audited.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use pingjia_domain::auth::LoginKind;
use pingjia_domain::users::{ImportReport, Team, User, UserPage};
use pingjia_server::db::sql;
use serde_json::{Value, json};

use crate::common::{AdminClient, PASSWORD, body_json, codes, empty_request, problem};

/// This file's steps as the admin.
impl AdminClient {
    async fn list(&self, query: &str) -> UserPage {
        let response = self.get(&format!("/api/v1/users{query}")).await;
        assert_eq!(response.status(), StatusCode::OK, "{query}");
        serde_json::from_value(body_json(response).await).unwrap()
    }

    async fn import(&self, csv: impl Into<Body>) -> axum::http::Response<Body> {
        let request = Request::post("/api/v1/users/import")
            .header("content-type", "text/csv; charset=utf-8")
            .header("cookie", &self.cookie)
            .body(csv.into())
            .unwrap();
        self.app.request(request).await
    }

    /// The details of the last audit entry of `action`.
    async fn audited(&self, action: &str) -> Value {
        let details: String = sql::query_scalar(
            "SELECT details FROM audit_log WHERE action = ? ORDER BY id DESC LIMIT 1",
        )
        .bind(action)
        .fetch_one(&self.app.state.pool)
        .await
        .unwrap();
        serde_json::from_str(&details).unwrap()
    }
}

#[tokio::test]
async fn phone_numbers_in_the_list_are_always_masked() {
    let admin = AdminClient::new().await;
    let page = admin.list("?role=customer").await;
    assert_eq!(page.total, 2);
    let phones: Vec<&str> = page
        .users
        .iter()
        .map(|u| u.phone.as_deref().unwrap())
        .collect();
    assert_eq!(phones, ["138****0001", "138****0002"]);
    let text = crate::common::body_text(admin.get("/api/v1/users").await).await;
    assert!(!text.contains("13800000001") && !text.contains("13800000002"));
    assert!(!text.contains("argon2"), "no password hashes");
}

#[tokio::test]
async fn search_filters_and_pages() {
    let admin = AdminClient::new().await;
    let people = admin.people;
    let ids = |page: &UserPage| page.users.iter().map(|u| u.id).collect::<Vec<_>>();

    assert_eq!(ids(&admin.list("?q=13800000002").await), [people.customer]);
    assert_eq!(
        ids(&admin.list("?q=138-0000-0002").await),
        [people.customer]
    );
    assert!(
        admin.list("?q=1380000000").await.users.is_empty(),
        "part of a phone number finds nobody"
    );
    assert_eq!(ids(&admin.list("?q=e1001").await), [people.agent]);
    assert_eq!(ids(&admin.list("?q=m0000").await), [people.member]);
    assert_eq!(ids(&admin.list("?q=C000002").await), [people.customer]);
    assert_eq!(
        ids(&admin.list(&format!("?q={}", urlencode("张伟"))).await),
        [people.agent]
    );
    assert!(admin.list("?q=%25").await.users.is_empty(), "% is literal");
    assert_eq!(
        ids(&admin.list(&format!("?team_id={}", people.team)).await),
        [people.lead, people.agent]
    );
    assert_eq!(
        ids(&admin.list("?role=agent").await),
        [people.agent, people.other_agent]
    );

    admin
        .patch(
            &format!("/api/v1/users/{}", people.qa),
            json!({ "disabled": true }),
        )
        .await;
    assert_eq!(ids(&admin.list("?disabled=true").await), [people.qa]);
    assert_eq!(admin.list("?disabled=false").await.total, 6);

    let first = admin.list("?per_page=3").await;
    assert_eq!((first.total, first.page, first.per_page), (7, 1, 3));
    assert_eq!(ids(&first), [people.admin, people.lead, people.qa]);
    let third = admin.list("?per_page=3&page=3").await;
    assert_eq!(ids(&third), [people.customer]);
    assert!(admin.list("?per_page=3&page=4").await.users.is_empty());

    for (query, field) in [
        ("?page=0", "page"),
        ("?per_page=101", "per_page"),
        ("?per_page=0", "per_page"),
    ] {
        let problem = problem(admin.get(&format!("/api/v1/users{query}")).await, 422).await;
        assert_eq!(problem.field(field).unwrap().code, "out_of_range");
    }
    let malformed = admin.get("/api/v1/users?role=root").await;
    assert_eq!(malformed.status(), StatusCode::BAD_REQUEST);
}

fn urlencode(text: &str) -> String {
    text.bytes().map(|b| format!("%{b:02X}")).collect()
}

#[tokio::test]
async fn admins_create_users_of_every_role_who_can_then_sign_in() {
    let admin = AdminClient::new().await;
    let response = admin
        .post(
            "/api/v1/users",
            json!({
                "role": "customer", "display_name": " 王小二 ", "customer_no": "c000003",
                "member_no": "m000003", "phone": "139 0000 0003", "customer_type": "member",
                "password": "Saffron-Kettle-Drum",
            }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let user: User = serde_json::from_value(body_json(response).await).unwrap();
    assert_eq!(user.display_name, "王小二");
    assert_eq!(user.customer_no.as_deref(), Some("C000003"));
    assert_eq!(user.member_no.as_deref(), Some("M000003"));
    assert_eq!(user.phone.as_deref(), Some("139****0003"));
    assert!(user.has_password && !user.disabled);
    let login = admin
        .app
        .login(LoginKind::Customer, "13900000003", "Saffron-Kettle-Drum")
        .await;
    assert_eq!(login.status(), StatusCode::OK);

    let audited = admin.audited("user.created").await;
    assert_eq!(audited["phone"], "139****0003");
    assert_eq!(audited["has_password"], true);
    assert!(!audited.to_string().contains("Saffron"));

    let response = admin
        .post(
            "/api/v1/users",
            json!({ "role": "qa_inspector", "display_name": "质检二", "employee_no": "Q0002" }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let user: User = serde_json::from_value(body_json(response).await).unwrap();
    assert!(
        !user.has_password,
        "without a password until an admin sets one"
    );
    let login = admin.app.login(LoginKind::Staff, "Q0002", "").await;
    assert_eq!(login.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn new_users_are_refused_field_by_field() {
    let admin = AdminClient::new().await;
    let cases = [
        (
            json!({ "role": "agent", "display_name": "重复", "employee_no": "e1001", "team_id": 999 }),
            vec![("employee_no", "taken"), ("team_id", "unknown")],
        ),
        (
            json!({ "role": "customer", "display_name": "", "phone": "13800000001", "customer_type": "new" }),
            vec![
                ("display_name", "required"),
                ("customer_no", "required"),
                ("phone", "taken"),
            ],
        ),
        (
            json!({ "role": "admin", "display_name": "新管理员", "employee_no": "A0002", "password": "password123" }),
            vec![("password", "too_common")],
        ),
        (
            json!({ "role": "admin", "display_name": "新管理员", "employee_no": "A0002", "password": "xx-A0002-xx-yy" }),
            vec![("password", "contains_login")],
        ),
    ];
    let before = admin.count("SELECT COUNT(*) FROM users").await;
    for (body, expected) in cases {
        let problem = problem(admin.post("/api/v1/users", body.clone()).await, 422).await;
        assert_eq!(codes(&problem), expected, "{body}");
    }
    assert_eq!(admin.count("SELECT COUNT(*) FROM users").await, before);
}

#[tokio::test]
async fn changes_are_audited_with_old_and_new_values() {
    let admin = AdminClient::new().await;
    let people = admin.people;
    let response = admin
        .patch(
            &format!("/api/v1/users/{}", people.other_agent),
            json!({ "display_name": "赵敏敏", "role": "team_lead", "team_id": people.team }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let user: User = serde_json::from_value(body_json(response).await).unwrap();
    assert_eq!(user.display_name, "赵敏敏");
    assert_eq!(user.team_name.as_deref(), Some("华东一组"));
    assert_eq!(
        admin.audited("user.updated").await,
        json!({ "changes": {
            "display_name": { "old": "赵敏", "new": "赵敏敏" },
            "role": { "old": "agent", "new": "team_lead" },
            "team_id": { "old": people.other_team, "new": people.team },
        }})
    );

    let response = admin
        .patch(
            &format!("/api/v1/users/{}", people.other_agent),
            json!({ "team_id": null, "role": "qa_inspector" }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let user: User = serde_json::from_value(body_json(response).await).unwrap();
    assert_eq!(user.team_id, None);
}

#[tokio::test]
async fn disabling_a_user_ends_their_sessions() {
    let admin = AdminClient::new().await;
    let agent = admin.app.sign_in(LoginKind::Staff, "E1001").await;
    let uri = format!("/api/v1/users/{}", admin.people.agent);
    let response = admin.patch(&uri, json!({ "disabled": true })).await;
    assert_eq!(response.status(), StatusCode::OK);
    let me = admin
        .app
        .request(empty_request(Method::GET, "/api/v1/auth/me", Some(&agent)))
        .await;
    assert_eq!(me.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        admin.audited("user.updated").await,
        json!({ "changes": { "disabled": { "old": false, "new": true } }, "sessions_ended": 1 })
    );
    // Enabled again: they sign in anew; the old session stays ended.
    admin.patch(&uri, json!({ "disabled": false })).await;
    let me = admin
        .app
        .request(empty_request(Method::GET, "/api/v1/auth/me", Some(&agent)))
        .await;
    assert_eq!(me.status(), StatusCode::UNAUTHORIZED);
    admin.app.sign_in(LoginKind::Staff, "E1001").await;
}

#[tokio::test]
async fn admins_cannot_lock_themselves_out_nor_orphan_a_team() {
    let admin = AdminClient::new().await;
    let people = admin.people;
    let me = format!("/api/v1/users/{}", people.admin);
    let problem_of = |response| problem(response, 409);
    let disabled = problem_of(admin.patch(&me, json!({ "disabled": true })).await).await;
    assert!(
        disabled
            .detail
            .unwrap()
            .contains("cannot disable your own account")
    );
    let demoted = problem_of(admin.patch(&me, json!({ "role": "agent" })).await).await;
    assert!(demoted.detail.unwrap().contains("own admin role"));
    let renamed = admin.patch(&me, json!({ "display_name": "梁总" })).await;
    assert_eq!(
        renamed.status(),
        StatusCode::OK,
        "other changes to oneself are fine"
    );

    let lead = format!("/api/v1/users/{}", people.lead);
    let orphaned = problem_of(admin.patch(&lead, json!({ "role": "agent" })).await).await;
    assert!(orphaned.detail.unwrap().contains("leads the team 华东一组"));
    let moved = admin
        .patch(&lead, json!({ "team_id": people.other_team }))
        .await;
    assert_eq!(moved.status(), StatusCode::CONFLICT);

    let customer = format!("/api/v1/users/{}", people.customer);
    let refused = problem(
        admin.patch(&customer, json!({ "role": "agent" })).await,
        422,
    )
    .await;
    assert_eq!(codes(&refused), [("role", "not_allowed")]);
    let refused = problem(
        admin
            .patch(&customer, json!({ "team_id": people.team }))
            .await,
        422,
    )
    .await;
    assert_eq!(codes(&refused), [("team_id", "not_allowed")]);
    let missing = admin.patch("/api/v1/users/9999", json!({})).await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_admin_sets_a_password_and_the_users_sessions_end() {
    let admin = AdminClient::new().await;
    let session = admin.app.sign_in(LoginKind::Customer, "13800000002").await;
    let uri = format!("/api/v1/users/{}/password", admin.people.customer);
    let weak = problem(
        admin
            .post(&uri, json!({ "new_password": "13800000002x" }))
            .await,
        422,
    )
    .await;
    assert_eq!(codes(&weak), [("new_password", "contains_login")]);
    let response = admin
        .post(&uri, json!({ "new_password": "Saffron-Kettle-Drum" }))
        .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let me = admin
        .app
        .request(empty_request(
            Method::GET,
            "/api/v1/auth/me",
            Some(&session),
        ))
        .await;
    assert_eq!(me.status(), StatusCode::UNAUTHORIZED);
    let old = admin
        .app
        .login(LoginKind::Customer, "13800000002", PASSWORD)
        .await;
    assert_eq!(old.status(), StatusCode::UNAUTHORIZED);
    let new = admin
        .app
        .login(LoginKind::Customer, "13800000002", "Saffron-Kettle-Drum")
        .await;
    assert_eq!(new.status(), StatusCode::OK);
    assert_eq!(
        admin.audited("user.password_reset").await,
        json!({ "sessions_ended": 1 })
    );
    let missing = admin
        .post(
            "/api/v1/users/9999/password",
            json!({ "new_password": "Saffron-Kettle-Drum" }),
        )
        .await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn teams_and_their_leads() {
    let admin = AdminClient::new().await;
    let people = admin.people;
    let teams: Vec<Team> =
        serde_json::from_value(body_json(admin.get("/api/v1/teams").await).await).unwrap();
    let first = teams.iter().find(|t| t.id == people.team).unwrap();
    assert_eq!(first.lead_user_id, Some(people.lead));
    assert_eq!(first.lead_name.as_deref(), Some("林晓峰"));
    assert_eq!(first.members, 2);

    let refused = problem(
        admin
            .post(
                "/api/v1/teams",
                json!({ "name": "华东一组", "lead_user_id": people.agent }),
            )
            .await,
        422,
    )
    .await;
    assert_eq!(
        codes(&refused),
        [("name", "taken"), ("lead_user_id", "not_team_lead")]
    );
    let refused = problem(
        admin
            .post(
                "/api/v1/teams",
                json!({ "name": "  ", "lead_user_id": people.lead }),
            )
            .await,
        422,
    )
    .await;
    assert_eq!(
        codes(&refused),
        [("name", "required"), ("lead_user_id", "leads_another_team")]
    );

    let response = admin
        .post("/api/v1/teams", json!({ "name": " 华北三组 " }))
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let team: Team = serde_json::from_value(body_json(response).await).unwrap();
    assert_eq!(
        (team.name.as_str(), team.lead_user_id, team.members),
        ("华北三组", None, 0)
    );

    // A new team lead for the new team: they join it.
    let promoted = admin
        .patch(
            &format!("/api/v1/users/{}", people.other_agent),
            json!({ "role": "team_lead" }),
        )
        .await;
    assert_eq!(promoted.status(), StatusCode::OK);
    let response = admin
        .patch(
            &format!("/api/v1/teams/{}", team.id),
            json!({ "lead_user_id": people.other_agent, "name": "华北三组（新）" }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let team: Team = serde_json::from_value(body_json(response).await).unwrap();
    assert_eq!(team.lead_user_id, Some(people.other_agent));
    assert_eq!(team.members, 1);
    assert_eq!(
        admin.audited("team.updated").await,
        json!({ "changes": {
            "name": { "old": "华北三组", "new": "华北三组（新）" },
            "lead_user_id": { "old": null, "new": people.other_agent },
        }})
    );
    let cleared = admin
        .patch(
            &format!("/api/v1/teams/{}", team.id),
            json!({ "lead_user_id": null }),
        )
        .await;
    let cleared: Team = serde_json::from_value(body_json(cleared).await).unwrap();
    assert_eq!(cleared.lead_user_id, None);
    let missing = admin.patch("/api/v1/teams/9999", json!({})).await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
}

/// A team's English name (issue 24): optional, given when created or renamed, cleared with
/// `null` or blank, audited, and carried beside the Chinese name wherever the team is named.
#[tokio::test]
async fn a_team_has_an_optional_english_name() {
    let admin = AdminClient::new().await;
    let people = admin.people;
    let refused = problem(
        admin
            .post(
                "/api/v1/teams",
                json!({ "name": "华北三组", "name_en": "N".repeat(51) }),
            )
            .await,
        422,
    )
    .await;
    assert_eq!(codes(&refused), [("name_en", "too_long")]);
    let response = admin
        .post(
            "/api/v1/teams",
            json!({ "name": "华北三组", "name_en": "  North China 3 " }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let team: Team = serde_json::from_value(body_json(response).await).unwrap();
    assert_eq!(team.name_en.as_deref(), Some("North China 3"));
    assert_eq!(
        admin.audited("team.created").await["name_en"],
        json!("North China 3")
    );
    // Without one: none, and English pages show the Chinese name.
    let plain = admin
        .post(
            "/api/v1/teams",
            json!({ "name": "华北四组", "name_en": " " }),
        )
        .await;
    let plain: Team = serde_json::from_value(body_json(plain).await).unwrap();
    assert_eq!(plain.name_en, None);

    // Renamed: the English name alone, then cleared.
    let response = admin
        .patch(
            &format!("/api/v1/teams/{}", people.team),
            json!({ "name_en": "East China 1" }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let renamed: Team = serde_json::from_value(body_json(response).await).unwrap();
    assert_eq!(
        (renamed.name.as_str(), renamed.name_en.as_deref()),
        ("华东一组", Some("East China 1"))
    );
    assert_eq!(
        admin.audited("team.updated").await,
        json!({ "changes": { "name_en": { "old": null, "new": "East China 1" } } })
    );
    let too_long = problem(
        admin
            .patch(
                &format!("/api/v1/teams/{}", people.team),
                json!({ "name_en": "E".repeat(51) }),
            )
            .await,
        422,
    )
    .await;
    assert_eq!(codes(&too_long), [("name_en", "too_long")]);

    // The team's report carries it (the English page names the team so).
    let report = body_json(
        admin
            .get(&format!(
                "/api/v1/reports/week/2026-W47?team={}",
                people.team
            ))
            .await,
    )
    .await;
    assert_eq!(
        (report["team_name"].clone(), report["team_name_en"].clone()),
        (json!("华东一组"), json!("East China 1"))
    );
    // The users list and the analytics filter carry it.
    let page = admin.list("?role=agent").await;
    let agent = page.users.iter().find(|u| u.id == people.agent).unwrap();
    assert_eq!(
        (agent.team_name.as_deref(), agent.team_name_en.as_deref()),
        (Some("华东一组"), Some("East China 1"))
    );
    let options = body_json(admin.get("/api/v1/analytics/options").await).await;
    let item = options["teams"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["value"] == json!(people.team.to_string()))
        .unwrap()
        .clone();
    assert_eq!(
        (item["name_zh"].clone(), item["name_en"].clone()),
        (json!("华东一组"), json!("East China 1"))
    );

    let cleared = admin
        .patch(
            &format!("/api/v1/teams/{}", people.team),
            json!({ "name_en": null }),
        )
        .await;
    let cleared: Team = serde_json::from_value(body_json(cleared).await).unwrap();
    assert_eq!(cleared.name_en, None);
    let options = body_json(admin.get("/api/v1/analytics/options").await).await;
    assert!(
        options["teams"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["name_en"] == json!("华东一组")),
        "falls back to the Chinese name"
    );
}

const HEADER: &str =
    "role,display_name,employee_no,customer_no,member_no,phone,customer_type,team,password\n";

#[tokio::test]
async fn an_import_with_one_bad_row_writes_nothing_and_names_the_row() {
    let admin = AdminClient::new().await;
    let before = admin.count("SELECT COUNT(*) FROM users").await;
    let csv = format!(
        "{HEADER}\
         agent,孙浩,E3001,,,,,华东一组,Saffron-Kettle-Drum\n\
         customer,周婷,,C000010,,1390000001,returning,,\n\
         customer,吴昊,,C000011,M000011,13900000011,member,,\n"
    );
    let problem = problem(admin.import(csv).await, 422).await;
    assert_eq!(codes(&problem), [("row 3: phone", "invalid")]);
    assert!(
        problem
            .detail
            .unwrap()
            .contains("1 row is invalid; nothing was imported")
    );
    assert_eq!(admin.count("SELECT COUNT(*) FROM users").await, before);
}

#[tokio::test]
async fn an_import_reports_every_bad_row() {
    let admin = AdminClient::new().await;
    let csv = format!(
        "{HEADER}\
         agent,孙浩,E3001,,,,,华东一组,\n\
         agent,马超,e3001,,,,,没有这个组,\n\
         customer,朱琳,,,,13800000001,vip,,\n\
         boss,胡军,B0001,,,,,,\n\
         admin,郭佳,A0001,,,,,,password123\n\
         customer,何雪梅,,C000020,M000020,,returning,,\n\
         \n\
         qa_inspector,,Q0009,,,,,华南二组,\n"
    );
    let problem = problem(admin.import(csv).await, 422).await;
    assert_eq!(
        codes(&problem),
        [
            ("row 3: team", "unknown"),
            ("row 3: employee_no", "duplicate"),
            ("row 4: customer_type", "invalid"),
            ("row 5: role", "invalid"),
            ("row 6: employee_no", "taken"),
            ("row 6: password", "too_common"),
            ("row 7: member_no", "not_allowed"),
            ("row 9: display_name", "required"),
            ("row 9: team", "not_allowed"),
        ]
    );
    assert!(problem.detail.unwrap().starts_with("6 rows are invalid"));
    assert_eq!(problem.errors[1].message, "row 2 has the same number");
    assert_eq!(
        admin
            .count("SELECT COUNT(*) FROM users WHERE employee_no = 'E3001'")
            .await,
        0
    );
}

#[tokio::test]
async fn a_valid_import_creates_every_user_in_one_go() {
    let admin = AdminClient::new().await;
    let before = admin.count("SELECT COUNT(*) FROM users").await;
    // Columns in another order, quoted cells, spaces, a blank line, Windows line ends.
    let csv = "team,role,display_name,employee_no,customer_no,member_no,phone,customer_type,password\r\n\
               华东一组,agent,孙浩,E3001,,,,,Saffron-Kettle-Drum\r\n\
               ,customer,\"周, 婷\",,c000010,,139 0000 0010,returning,\r\n\
               \r\n\
               ,customer,吴昊,,C000011,M000011,13900000011,MEMBER,\r\n";
    let response = admin.import(csv).await;
    assert_eq!(response.status(), StatusCode::OK);
    let report: ImportReport = serde_json::from_value(body_json(response).await).unwrap();
    assert_eq!(report.imported, 3);
    assert_eq!(admin.count("SELECT COUNT(*) FROM users").await, before + 3);
    let (name, team): (String, Option<i64>) =
        sql::query_as("SELECT display_name, team_id FROM users WHERE employee_no = 'E3001'")
            .fetch_one(&admin.app.state.pool)
            .await
            .unwrap();
    assert_eq!((name.as_str(), team), ("孙浩", Some(admin.people.team)));
    let phone: String = sql::query_scalar("SELECT phone FROM users WHERE customer_no = 'C000010'")
        .fetch_one(&admin.app.state.pool)
        .await
        .unwrap();
    assert_eq!(phone, "13900000010");
    let login = admin
        .app
        .login(LoginKind::Staff, "E3001", "Saffron-Kettle-Drum")
        .await;
    assert_eq!(login.status(), StatusCode::OK);
    let audited = admin.audited("users.imported").await;
    assert_eq!(audited["count"], 3);
}

#[tokio::test]
async fn an_import_file_with_a_byte_order_mark_works() {
    let admin = AdminClient::new().await;
    let mut csv = vec![0xEF, 0xBB, 0xBF];
    csv.extend_from_slice(format!("{HEADER}customer,钱七,,C000030,,,new,,\n").as_bytes());
    let response = admin.import(csv).await;
    assert_eq!(response.status(), StatusCode::OK);
    let report: ImportReport = serde_json::from_value(body_json(response).await).unwrap();
    assert_eq!(report.imported, 1);
}

#[tokio::test]
async fn import_files_must_be_utf8_csv_with_the_template_header() {
    let admin = AdminClient::new().await;
    let wrong_header = problem(admin.import("name,phone\n张三,13900000001\n").await, 422).await;
    assert!(codes(&wrong_header).contains(&("header", "missing_column")));
    assert!(codes(&wrong_header).contains(&("header", "unknown_column")));
    assert!(
        wrong_header
            .detail
            .unwrap()
            .starts_with("The header must be: role,display_name")
    );
    let twice = problem(admin.import(format!("role,{HEADER}")).await, 422).await;
    assert_eq!(codes(&twice), [("header", "duplicate_column")]);
    let empty = problem(admin.import(HEADER).await, 422).await;
    assert!(empty.detail.unwrap().contains("no users"));
    // "张三" in GBK, as older spreadsheet programs save it.
    let mut gbk = HEADER.as_bytes().to_vec();
    gbk.extend_from_slice(b"customer,\xD5\xC5\xC8\xFD,,C000040,,,new,,\n");
    let not_utf8 = problem(admin.import(gbk).await, 422).await;
    assert!(not_utf8.detail.unwrap().contains("UTF-8"));

    let json = admin
        .post("/api/v1/users/import", json!({ "rows": [] }))
        .await;
    assert_eq!(json.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
}

#[tokio::test]
async fn an_admin_changes_a_customers_mobile_number_and_email_address() {
    let admin = AdminClient::new().await;
    let people = admin.people;
    let uri = format!("/api/v1/users/{}", people.customer);

    // A number with the same mask as the old one is a change too; the list shows it masked,
    // the log names both masked.
    let response = admin
        .patch(
            &uri,
            json!({ "phone": "138 1234 0002", "email": " Chen.XY@Example.com " }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let user: User = serde_json::from_value(body_json(response).await).unwrap();
    assert_eq!(user.phone.as_deref(), Some("138****0002"));
    assert_eq!(user.email.as_deref(), Some("c***@example.com"));
    let (phone, email): (String, String) =
        sql::query_as("SELECT phone, email FROM users WHERE id = ?")
            .bind(people.customer)
            .fetch_one(&admin.app.state.pool)
            .await
            .unwrap();
    assert_eq!(
        (phone.as_str(), email.as_str()),
        ("13812340002", "chen.xy@example.com")
    );
    let audited = admin.audited("user.updated").await;
    assert_eq!(
        audited,
        json!({ "changes": {
            "phone": { "old": "138****0002", "new": "138****0002" },
            "email": { "old": null, "new": "c***@example.com" },
        }})
    );
    assert!(!audited.to_string().contains("13812340002"));

    // `null` removes one; the same value again changes nothing and logs nothing.
    let response = admin.patch(&uri, json!({ "email": null })).await;
    assert_eq!(response.status(), StatusCode::OK);
    let user: User = serde_json::from_value(body_json(response).await).unwrap();
    assert_eq!(user.email, None);
    let entries = || async {
        sql::query_scalar::<i64>("SELECT COUNT(*) FROM audit_log WHERE action = 'user.updated'")
            .fetch_one(&admin.app.state.pool)
            .await
            .unwrap()
    };
    let before = entries().await;
    let response = admin.patch(&uri, json!({ "phone": "13812340002" })).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(entries().await, before);

    // Refused field by field: another customer's number, a bad address, contacts of staff.
    let response = admin.patch(&uri, json!({ "email": "chen@" })).await;
    assert_eq!(
        codes(&problem(response, 422).await),
        [("email", "invalid_email")]
    );
    let response = admin.patch(&uri, json!({ "phone": "13800000001" })).await;
    assert_eq!(codes(&problem(response, 422).await), [("phone", "taken")]);
    let response = admin
        .patch(
            &format!("/api/v1/users/{}", people.agent),
            json!({ "phone": "13900000009" }),
        )
        .await;
    assert_eq!(
        codes(&problem(response, 422).await),
        [("phone", "not_allowed")]
    );
}
