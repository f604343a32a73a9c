//! The ownership cases of [`super`]: a user's own records, another customer's, another
//! team's; and the table's edges (`/me`, a route without a rule, wrong methods).

use super::*;
use pingjia_server::db::sql;

/// A request a given caller makes about someone's records, and what they must get.
struct OwnershipCase {
    what: &'static str,
    caller: Role,
    request: Request<Body>,
    status: StatusCode,
}

/// What a caller gets for another customer's record, evaluation or appeal: a customer the
/// answer for one that does not exist (nobody can count another day's evaluations), other
/// roles the refusal of their role.
fn another_customers(caller: Role) -> StatusCode {
    if caller == Role::Customer {
        StatusCode::NOT_FOUND
    } else {
        StatusCode::FORBIDDEN
    }
}

fn ownership_cases(people: &People, rating: &Rating) -> Vec<OwnershipCase> {
    let submit = |caller: Role, what: &'static str, record: i64| {
        let mut request = json_request(Method::POST, "/api/v1/evaluations", None, &answers(record));
        request.headers_mut().insert(
            "idempotency-key",
            format!("{KEY}-{}", caller.as_str()).parse().unwrap(),
        );
        OwnershipCase {
            what,
            caller,
            request,
            status: another_customers(caller),
        }
    };
    let submissions = [
        submit(
            Role::Customer,
            "a customer cannot rate another customer's record",
            rating.others_record,
        ),
        submit(
            Role::Agent,
            "an agent cannot rate a record, not even one they served",
            rating.own_record,
        ),
        submit(
            Role::TeamLead,
            "a team lead cannot rate a record of their team",
            rating.own_record,
        ),
        submit(
            Role::QaInspector,
            "a QA inspector cannot rate a record",
            rating.own_record,
        ),
        submit(
            Role::Admin,
            "an admin cannot rate a record for a customer",
            rating.own_record,
        ),
    ];
    let mut cases = vec![
        OwnershipCase {
            what: "a customer cannot read another customer's rating form",
            caller: Role::Customer,
            request: empty_request(
                Method::GET,
                &format!("/api/v1/me/service-records/{}", rating.others_record),
                None,
            ),
            status: StatusCode::NOT_FOUND,
        },
        OwnershipCase {
            what: "a customer cannot read the form of another customer's rated record",
            caller: Role::Customer,
            request: empty_request(
                Method::GET,
                &format!("/api/v1/me/service-records/{}", rating.others_rated_record),
                None,
            ),
            status: StatusCode::NOT_FOUND,
        },
        OwnershipCase {
            what: "a customer cannot look up another customer's evaluation",
            caller: Role::Customer,
            request: empty_request(
                Method::GET,
                &format!("/api/v1/evaluations/{}", rating.others_number),
                None,
            ),
            status: StatusCode::NOT_FOUND,
        },
        OwnershipCase {
            what: "an agent cannot look up an evaluation of their own service",
            caller: Role::Agent,
            request: empty_request(
                Method::GET,
                &format!("/api/v1/evaluations/{}", rating.own_number),
                None,
            ),
            status: StatusCode::FORBIDDEN,
        },
        OwnershipCase {
            what: "an admin can look up any customer's evaluation",
            caller: Role::Admin,
            request: empty_request(
                Method::GET,
                &format!("/api/v1/evaluations/{}", rating.others_number),
                None,
            ),
            status: StatusCode::OK,
        },
    ];
    cases.extend(submissions);
    let file_appeal = |caller: Role, what: &'static str, number: &str| {
        let mut request = json_request(
            Method::POST,
            &format!("/api/v1/evaluations/{number}/appeals"),
            None,
            &appeal_body(),
        );
        request.headers_mut().insert(
            "idempotency-key",
            format!("{KEY}-appeal-{}", caller.as_str()).parse().unwrap(),
        );
        OwnershipCase {
            what,
            caller,
            request,
            status: another_customers(caller),
        }
    };
    let decide = |caller: Role, what: &'static str, status: StatusCode| OwnershipCase {
        what,
        caller,
        request: json_request(
            Method::POST,
            &format!("/api/v1/appeals/{}/decision", rating.own_appeal),
            None,
            &json!({ "decision": "reject", "reason": "评分与服务记录一致" }),
        ),
        status,
    };
    cases.extend([
        file_appeal(
            Role::Customer,
            "a customer cannot appeal another customer's evaluation",
            &rating.others_number,
        ),
        file_appeal(
            Role::Admin,
            "an admin cannot appeal an evaluation for its customer",
            &rating.own_number,
        ),
        file_appeal(
            Role::Agent,
            "an agent cannot appeal an evaluation of their service",
            &rating.own_number,
        ),
        OwnershipCase {
            what: "a customer cannot list another customer's evaluation's appeals",
            caller: Role::Customer,
            request: empty_request(
                Method::GET,
                &format!("/api/v1/evaluations/{}/appeals", rating.others_number),
                None,
            ),
            status: StatusCode::NOT_FOUND,
        },
        OwnershipCase {
            what: "an agent cannot list the appeals of an evaluation of their service",
            caller: Role::Agent,
            request: empty_request(
                Method::GET,
                &format!("/api/v1/evaluations/{}/appeals", rating.own_number),
                None,
            ),
            status: StatusCode::FORBIDDEN,
        },
        OwnershipCase {
            what: "an admin can list any evaluation's appeals",
            caller: Role::Admin,
            request: empty_request(
                Method::GET,
                &format!("/api/v1/evaluations/{}/appeals", rating.others_number),
                None,
            ),
            status: StatusCode::OK,
        },
        OwnershipCase {
            what: "a customer cannot mark another customer's appeal seen",
            caller: Role::Customer,
            request: empty_request(
                Method::POST,
                &format!("/api/v1/me/appeals/{}/seen", rating.others_appeal),
                None,
            ),
            status: StatusCode::NOT_FOUND,
        },
        decide(
            Role::Customer,
            "a customer cannot decide their own appeal",
            StatusCode::FORBIDDEN,
        ),
        decide(
            Role::TeamLead,
            "a team lead cannot decide an appeal about their team",
            StatusCode::FORBIDDEN,
        ),
        decide(
            Role::QaInspector,
            "a QA inspector cannot decide an appeal",
            StatusCode::FORBIDDEN,
        ),
        decide(Role::Admin, "an admin decides appeals", StatusCode::OK),
    ]);
    cases.extend(vec![
        OwnershipCase {
            what: "a customer cannot list users, not even searching their own phone",
            caller: Role::Customer,
            request: empty_request(Method::GET, "/api/v1/users?q=13800000001", None),
            status: StatusCode::FORBIDDEN,
        },
        OwnershipCase {
            what: "an agent cannot change their own account",
            caller: Role::Agent,
            request: json_request(
                Method::PATCH,
                &format!("/api/v1/users/{}", people.agent),
                None,
                &json!({ "role": "admin" }),
            ),
            status: StatusCode::FORBIDDEN,
        },
        OwnershipCase {
            what: "a team lead cannot rename their own team",
            caller: Role::TeamLead,
            request: json_request(
                Method::PATCH,
                &format!("/api/v1/teams/{}", people.team),
                None,
                &json!({ "name": "我的组" }),
            ),
            status: StatusCode::FORBIDDEN,
        },
        OwnershipCase {
            what: "an agent cannot list service records, not even their own",
            caller: Role::Agent,
            request: empty_request(
                Method::GET,
                &format!("/api/v1/service-records?agent_id={}", people.agent),
                None,
            ),
            status: StatusCode::FORBIDDEN,
        },
        OwnershipCase {
            what: "a team lead cannot list their team's records through the admin list",
            caller: Role::TeamLead,
            request: empty_request(
                Method::GET,
                &format!("/api/v1/service-records?team_id={}", people.team),
                None,
            ),
            status: StatusCode::FORBIDDEN,
        },
        OwnershipCase {
            what: "an admin's session is not an API key: ingestion refuses it",
            caller: Role::Admin,
            request: json_request(
                Method::POST,
                "/api/v1/ingest/service-records",
                None,
                &json!({}),
            ),
            status: StatusCode::UNAUTHORIZED,
        },
        OwnershipCase {
            what: "a team lead cannot review their own team's flagged evaluations",
            caller: Role::TeamLead,
            request: empty_request(
                Method::GET,
                &format!("/api/v1/moderation/queue?agent_id={}", people.agent),
                None,
            ),
            status: StatusCode::FORBIDDEN,
        },
        OwnershipCase {
            what: "an agent cannot delete an evaluation of their own service",
            caller: Role::Agent,
            request: json_request(
                Method::POST,
                "/api/v1/moderation/decisions",
                None,
                &json!({ "evaluation_ids": [1], "decision": "delete", "reason": "不公平" }),
            ),
            status: StatusCode::FORBIDDEN,
        },
        OwnershipCase {
            what: "a customer cannot keep or delete evaluations, not even their own",
            caller: Role::Customer,
            request: json_request(
                Method::POST,
                "/api/v1/moderation/decisions",
                None,
                &json!({ "evaluation_ids": [1], "decision": "delete", "reason": "写错了" }),
            ),
            status: StatusCode::FORBIDDEN,
        },
        OwnershipCase {
            what: "a QA inspector cannot read the review queue",
            caller: Role::QaInspector,
            request: empty_request(Method::GET, "/api/v1/moderation/queue", None),
            status: StatusCode::FORBIDDEN,
        },
        OwnershipCase {
            what: "a QA inspector cannot read the audit log",
            caller: Role::QaInspector,
            request: empty_request(Method::GET, "/api/v1/audit-log", None),
            status: StatusCode::FORBIDDEN,
        },
        OwnershipCase {
            what: "a team lead cannot change the settings",
            caller: Role::TeamLead,
            request: json_request(Method::PUT, "/api/v1/settings", None, &json!({})),
            status: StatusCode::FORBIDDEN,
        },
        OwnershipCase {
            what: "a team lead cannot set a password of an agent of their team",
            caller: Role::TeamLead,
            request: json_request(
                Method::POST,
                &format!("/api/v1/users/{}/password", people.agent),
                None,
                &json!({ "new_password": "Saffron-Kettle-Drum" }),
            ),
            status: StatusCode::FORBIDDEN,
        },
    ]);
    cases
}

#[tokio::test]
async fn ownership_is_enforced() {
    let app = TestApp::new().await;
    let people = app.people().await;
    let rating = Rating::insert(&app, &people).await;
    for case in ownership_cases(&people, &rating) {
        let mut request = case.request;
        let cookie = app.session(people.of(case.caller)).await;
        request
            .headers_mut()
            .insert("cookie", cookie.parse().unwrap());
        let response = app.request(request).await;
        assert_eq!(response.status(), case.status, "{}", case.what);
    }
    let evaluations: i64 = sql::query_scalar("SELECT COUNT(*) FROM evaluations")
        .fetch_one(&app.state.pool)
        .await
        .unwrap();
    assert_eq!(evaluations, 2, "only the fixtures' evaluations");
    let appeals: i64 = sql::query_scalar("SELECT COUNT(*) FROM appeals")
        .fetch_one(&app.state.pool)
        .await
        .unwrap();
    assert_eq!(appeals, 2, "only the fixtures' appeals");
}

#[tokio::test]
async fn me_is_always_the_callers_own_record() {
    let app = TestApp::new().await;
    let people = app.people().await;
    for user in [
        people.admin,
        people.lead,
        people.qa,
        people.agent,
        people.other_agent,
        people.member,
        people.customer,
    ] {
        let cookie = app.session(user).await;
        let me = body_json(
            app.request(empty_request(Method::GET, "/api/v1/auth/me", Some(&cookie)))
                .await,
        )
        .await;
        assert_eq!(me["id"], user);
        assert!(me.get("phone").is_none() && me.get("password_hash").is_none());
    }
}

#[tokio::test]
async fn a_route_missing_from_the_table_is_refused_to_everyone() {
    let app = TestApp::new().await;
    let people = app.people().await;
    let router = Router::new()
        .route("/api/v1/forgotten", get(|| async { "secret" }))
        .route("/api/v1/users", delete(|| async { "everyone deleted" }))
        .route_layer(from_fn_with_state(
            Guarded {
                state: app.state.clone(),
                access: &ACCESS,
            },
            authorize,
        ))
        .with_state(app.state.clone());
    for cookie in [None, Some(app.session(people.admin).await)] {
        let request = empty_request(Method::GET, "/api/v1/forgotten", cookie.as_deref());
        let response = router.clone().oneshot(request).await.unwrap();
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        assert!(body_text(response).await.contains("no access rule"));

        // A method routed on a path the table knows, without a rule of its own.
        let request = empty_request(Method::DELETE, "/api/v1/users", cookie.as_deref());
        let response = router.clone().oneshot(request).await.unwrap();
        assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
        assert_eq!(
            crate::common::header(&response, "allow"),
            Some("GET,HEAD,POST")
        );
        assert!(!body_text(response).await.contains("deleted"));
    }
}

#[tokio::test]
async fn wrong_methods_are_405_and_unknown_paths_404() {
    let app = TestApp::new().await;
    let people = app.people().await;
    let admin = app.session(people.admin).await;
    let response = app
        .request(empty_request(
            Method::GET,
            "/api/v1/no-such-route",
            Some(&admin),
        ))
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let response = app
        .request(empty_request(Method::DELETE, "/api/v1/users", Some(&admin)))
        .await;
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    let response = app
        .request(empty_request(Method::DELETE, "/api/v1/users", None))
        .await;
    assert_eq!(
        response.status(),
        StatusCode::METHOD_NOT_ALLOWED,
        "no handler runs, so no session is needed to learn the method is wrong"
    );
}

/// Another customer's record, evaluation or appeal answers exactly as one that does not exist,
/// so that a customer cannot count the day's evaluations or probe which records are in use.
#[tokio::test]
async fn another_customers_things_answer_as_missing_ones() {
    let app = TestApp::new().await;
    let people = app.people().await;
    let rating = Rating::insert(&app, &people).await;
    let cookie = app.session(people.member).await;
    // A number of the same day that nobody has.
    let nobodys_number = format!("{}-999999", &rating.others_number[..10]);
    let nobodys_record = rating.others_record + 1000;
    let nobodys_appeal = rating.others_appeal + 1000;
    let requests = |record: i64, number: &str, appeal: i64| {
        let mut submit = json_request(Method::POST, "/api/v1/evaluations", None, &answers(record));
        submit.headers_mut().insert(
            "idempotency-key",
            format!("{KEY}-probe-{record}").parse().unwrap(),
        );
        let mut file = json_request(
            Method::POST,
            &format!("/api/v1/evaluations/{number}/appeals"),
            None,
            &appeal_body(),
        );
        file.headers_mut().insert(
            "idempotency-key",
            format!("{KEY}-probe-{number}").parse().unwrap(),
        );
        vec![
            empty_request(
                Method::GET,
                &format!("/api/v1/me/service-records/{record}"),
                None,
            ),
            submit,
            empty_request(Method::GET, &format!("/api/v1/evaluations/{number}"), None),
            empty_request(
                Method::GET,
                &format!("/api/v1/evaluations/{number}/appeals"),
                None,
            ),
            file,
            empty_request(
                Method::POST,
                &format!("/api/v1/me/appeals/{appeal}/seen"),
                None,
            ),
        ]
    };
    let others = requests(
        rating.others_record,
        &rating.others_number,
        rating.others_appeal,
    );
    let nobodys = requests(nobodys_record, &nobodys_number, nobodys_appeal);
    for (others, nobodys) in others.into_iter().zip(nobodys) {
        let path = others.uri().path().to_owned();
        let mut answers = Vec::new();
        for (mut request, names) in [
            (
                others,
                [
                    rating.others_record.to_string(),
                    rating.others_number.clone(),
                    rating.others_appeal.to_string(),
                ],
            ),
            (
                nobodys,
                [
                    nobodys_record.to_string(),
                    nobodys_number.clone(),
                    nobodys_appeal.to_string(),
                ],
            ),
        ] {
            request
                .headers_mut()
                .insert("cookie", cookie.parse().unwrap());
            let response = app.request(request).await;
            let status = response.status();
            // The identifier asked for is echoed; anything else would tell the two apart.
            let mut body = body_text(response).await;
            for name in names {
                body = body.replace(&name, "…");
            }
            answers.push((status, body));
        }
        assert_eq!(answers[0].0, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(answers[0], answers[1], "{path}");
    }
}
