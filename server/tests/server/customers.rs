//! Customers come with their service records (issue 19): a record for an unknown customer
//! creates them (no password) with the record, a known one is linked by whichever number the
//! record uses, two numbers of two customers are a 422, contacts are filled in but never
//! moved, re-ingestion and re-import create nobody twice; the admin's user form and import
//! take an e-mail and no password.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use pingjia_domain::auth::LoginKind;
use pingjia_domain::records::{IngestAnswer, RecordImportReport};
use pingjia_domain::users::{User, UserPage};
use pingjia_domain::wire::Role;
use pingjia_server::db::sql;
use serde_json::{Value, json};

use crate::common::{API_KEY, AdminClient, PASSWORD, body_json, codes, problem};
use crate::records::record;

fn ingest(body: &Value) -> Request<Body> {
    Request::post("/api/v1/ingest/service-records")
        .header("content-type", "application/json")
        .header("authorization", format!("Bearer {API_KEY}"))
        .body(Body::from(body.to_string()))
        .unwrap()
}

/// [`record`] naming its customer by these fields instead of `customer`.
fn record_for(external_id: &str, customer: Value) -> Value {
    let mut body = record(external_id);
    let object = body.as_object_mut().unwrap();
    object.remove("customer");
    for (key, value) in customer.as_object().unwrap() {
        object.insert(key.clone(), value.clone());
    }
    body
}

async fn ingested(admin: &AdminClient, body: &Value, status: StatusCode) -> IngestAnswer {
    let response = admin.app.request(ingest(body)).await;
    assert_eq!(response.status(), status);
    serde_json::from_value(body_json(response).await).unwrap()
}

async fn customers(admin: &AdminClient) -> i64 {
    admin
        .count("SELECT COUNT(*) FROM users WHERE role = 'customer'")
        .await
}

#[tokio::test]
async fn a_record_for_a_customer_known_only_by_phone_creates_them_once() {
    let admin = AdminClient::new().await;
    let before = customers(&admin).await;
    let body = record_for(
        "HD500",
        json!({ "customer_phone": "139-0000-0500", "customer_type": "新客" }),
    );
    let first = ingested(&admin, &body, StatusCode::CREATED).await;
    assert!(first.customer.created);
    assert_eq!(first.record.customer_no, "PJ000001", "a generated number");
    assert_eq!(first.record.customer_phone.as_deref(), Some("139****0500"));
    assert_eq!(customers(&admin).await, before + 1);
    let (generated, has_password, name): (bool, bool, String) = sql::query_as(
        "SELECT customer_no_generated, password_hash IS NOT NULL, display_name FROM users \
         WHERE phone = '13900000500'",
    )
    .fetch_one(&admin.app.state.pool)
    .await
    .unwrap();
    assert!(generated);
    assert!(!has_password);
    assert_eq!(name, "PJ000001", "no name yet: the number stands in");

    // The same record again: nothing written, nobody created.
    let replay = ingested(&admin, &body, StatusCode::OK).await;
    assert!(replay.already_existed);
    assert!(!replay.customer.created);
    assert_eq!(replay.record, first.record);
    // Another record naming the customer by phone links them.
    let second = ingested(
        &admin,
        &record_for("HD501", json!({ "customer_phone": "13900000500" })),
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(second.record.customer_id, first.record.customer_id);
    assert_eq!(customers(&admin).await, before + 1);

    // The helpdesk's own number replaces the generated one; the name fills in.
    let third = ingested(
        &admin,
        &record_for(
            "HD502",
            json!({ "customer_phone": "13900000500", "customer_no": "c300500",
                    "customer_name": "周婷" }),
        ),
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(third.record.customer_id, first.record.customer_id);
    assert_eq!(third.record.customer_no, "C300500");
    assert_eq!(third.customer.updated, ["customer_no", "customer_name"]);
    assert_eq!(customers(&admin).await, before + 1);
    // Created (HD500) and completed (HD502) are audited, without the contacts themselves.
    let audited: Vec<String> = sql::query_scalar(
        "SELECT details FROM audit_log WHERE action = 'customer.from_record' ORDER BY id",
    )
    .fetch_all(&admin.app.state.pool)
    .await
    .unwrap();
    assert_eq!(audited.len(), 2);
    assert!(audited[0].contains("HD500") && audited[1].contains("customer_name"));
    assert!(
        audited
            .iter()
            .all(|d| !d.contains("13900000500") && !d.contains("周婷"))
    );
}

#[tokio::test]
async fn a_new_customer_by_customer_number_or_member_number() {
    let admin = AdminClient::new().await;
    let by_no = ingested(
        &admin,
        &record_for(
            "HD510",
            json!({ "customer_no": "C300510", "customer_type": "returning",
                    "customer_name": "吴磊", "customer_email": " Wu.Lei@Example.com " }),
        ),
        StatusCode::CREATED,
    )
    .await;
    assert!(by_no.customer.created);
    assert_eq!(by_no.record.customer_no, "C300510");
    let (name, email, kind, generated): (String, String, String, bool) = sql::query_as(
        "SELECT display_name, email, customer_type, customer_no_generated FROM users \
         WHERE customer_no = 'C300510'",
    )
    .fetch_one(&admin.app.state.pool)
    .await
    .unwrap();
    assert_eq!(
        (name.as_str(), email.as_str(), kind.as_str(), generated),
        ("吴磊", "wu.lei@example.com", "returning", false)
    );

    let by_member = ingested(
        &admin,
        &record_for("HD511", json!({ "member_no": "M300511" })),
        StatusCode::CREATED,
    )
    .await;
    assert!(by_member.customer.created);
    assert!(by_member.record.customer_no.starts_with("PJ"));
    assert_eq!(
        by_member.record.customer_type,
        Some(pingjia_domain::wire::CustomerType::Member),
        "a member number makes a member"
    );

    // Creating needs a type; a member, their member number.
    let untyped = record_for("HD512", json!({ "customer_phone": "13900000512" }));
    let refused = problem(admin.app.request(ingest(&untyped)).await, 422).await;
    assert_eq!(codes(&refused), [("customer_type", "required")]);
    let no_number = record_for(
        "HD513",
        json!({ "customer_phone": "13900000513", "customer_type": "会员" }),
    );
    let refused = problem(admin.app.request(ingest(&no_number)).await, 422).await;
    assert_eq!(codes(&refused), [("member_no", "required")]);
    assert_eq!(admin.count("SELECT COUNT(*) FROM service_records").await, 2);
}

#[tokio::test]
async fn a_known_customer_is_linked_by_each_of_their_numbers() {
    let admin = AdminClient::new().await;
    let before = customers(&admin).await;
    let member = admin.people.member;
    let cases = [
        ("HD520", json!({ "customer_no": "C000001" })),
        ("HD521", json!({ "customer_phone": "13800000001" })),
        ("HD522", json!({ "member_no": "m000001" })),
        ("HD523", json!({ "customer": "M000001" })),
        (
            "HD524",
            json!({ "customer_no": "C000001", "member_no": "M000001",
                    "customer_phone": "13800000001", "customer_type": "member" }),
        ),
    ];
    for (id, customer) in cases {
        let answer = ingested(&admin, &record_for(id, customer), StatusCode::CREATED).await;
        assert_eq!(answer.record.customer_id, member, "{id}");
        assert!(!answer.customer.created, "{id}");
        assert!(answer.customer.updated.is_empty(), "{id}");
    }
    assert_eq!(customers(&admin).await, before);

    // A contact the customer lacks is filled in; a differing phone is kept, and said so.
    let answer = ingested(
        &admin,
        &record_for(
            "HD525",
            json!({ "customer_no": "C000002", "customer_phone": "13900000525",
                    "customer_email": "chen@example.com" }),
        ),
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(answer.record.customer_id, admin.people.customer);
    assert_eq!(answer.customer.updated, ["customer_email"]);
    assert_eq!(answer.customer.kept.len(), 1);
    assert_eq!(answer.customer.kept[0].field, "customer_phone");
    assert_eq!(answer.customer.kept[0].code, "kept");
    let (phone, email): (String, String) =
        sql::query_as("SELECT phone, email FROM users WHERE customer_no = 'C000002'")
            .fetch_one(&admin.app.state.pool)
            .await
            .unwrap();
    assert_eq!(
        phone, "13800000002",
        "the number the customer signs in with stays"
    );
    assert_eq!(email, "chen@example.com");
    assert_eq!(customers(&admin).await, before);
}

#[tokio::test]
async fn numbers_of_two_customers_are_refused_never_merged() {
    let admin = AdminClient::new().await;
    let before = customers(&admin).await;
    let two = record_for(
        "HD530",
        json!({ "customer_no": "C000001", "customer_phone": "13800000002" }),
    );
    let refused = problem(admin.app.request(ingest(&two)).await, 422).await;
    assert_eq!(codes(&refused), [("customer_phone", "conflict")]);
    assert!(refused.errors[0].message.contains("C000002"));
    let other_no = record_for(
        "HD531",
        json!({ "customer_no": "C399999", "member_no": "M000001" }),
    );
    let refused = problem(admin.app.request(ingest(&other_no)).await, 422).await;
    assert_eq!(codes(&refused), [("customer_no", "conflict")]);
    assert_eq!(admin.count("SELECT COUNT(*) FROM service_records").await, 0);
    assert_eq!(customers(&admin).await, before);
}

#[tokio::test]
async fn an_import_creates_its_new_customers_once() {
    let admin = AdminClient::new().await;
    let before = customers(&admin).await;
    let uri = "/api/v1/service-records/import";
    let file = "external_id,customer_no,member_no,customer_phone,customer_type,customer_email,\
                customer_name,agent,service_type,channel,started_at,ended_at,urgency,category,\
                requested_at\n\
                HD601,,,13900000601,新客,,,E1001,在线客服咨询,线上,2026-11-20 10:05,2026-11-20 10:20,高,咨询,2026-11-20 10:00\n\
                HD602,C300602,,13900000601,,ma@example.com,马丽,E1001,在线客服咨询,线上,2026-11-20 11:05,2026-11-20 11:20,高,咨询,2026-11-20 11:00\n\
                HD603,,M300603,,,,,E1001,在线客服咨询,线上,2026-11-20 12:05,2026-11-20 12:20,高,咨询,2026-11-20 12:00\n\
                HD604,C000002,,,,,,E1001,在线客服咨询,线上,2026-11-20 13:05,2026-11-20 13:20,高,咨询,2026-11-20 13:00\n";
    let dry = admin.csv(&format!("{uri}?dry_run=true"), file).await;
    let dry: RecordImportReport = serde_json::from_value(body_json(dry).await).unwrap();
    assert!(dry.errors.is_empty(), "{:?}", dry.errors);
    assert_eq!((dry.new, dry.new_customers), (4, 2));
    assert!(dry.preview[0].new_customer);
    assert!(!dry.preview[1].new_customer, "the row above creates them");
    assert_eq!(dry.preview[1].customer_no, "C300602");
    assert_eq!(customers(&admin).await, before, "a dry run writes nothing");

    let done = admin.csv(uri, file).await;
    assert_eq!(done.status(), StatusCode::OK);
    let done: RecordImportReport = serde_json::from_value(body_json(done).await).unwrap();
    assert_eq!((done.imported, done.new_customers), (4, 2));
    assert_eq!(customers(&admin).await, before + 2);
    let (no, name, email): (String, String, String) = sql::query_as(
        "SELECT customer_no, display_name, email FROM users WHERE phone = '13900000601'",
    )
    .fetch_one(&admin.app.state.pool)
    .await
    .unwrap();
    assert_eq!(
        (no.as_str(), name.as_str(), email.as_str()),
        ("C300602", "马丽", "ma@example.com"),
        "one customer, completed by the second row"
    );

    let again = admin.csv(uri, file).await;
    let again: RecordImportReport = serde_json::from_value(body_json(again).await).unwrap();
    assert_eq!(
        (again.unchanged, again.imported, again.new_customers),
        (4, 0, 0)
    );
    assert_eq!(customers(&admin).await, before + 2);

    // A row naming two customers fails the file, with its cell named.
    let bad = "external_id,customer_no,customer_phone,agent,service_type,channel,started_at,\
               ended_at,urgency,category,requested_at\n\
               HD610,C000001,13800000002,E1001,在线客服咨询,线上,2026-11-20 10:05,2026-11-20 10:20,高,咨询,2026-11-20 10:00\n";
    let refused = problem(admin.csv(uri, bad).await, 422).await;
    assert_eq!(codes(&refused), [("row 2: customer_phone", "conflict")]);
}

#[tokio::test]
async fn a_customer_without_a_password_cannot_sign_in_with_one() {
    let admin = AdminClient::new().await;
    ingested(
        &admin,
        &record_for(
            "HD540",
            json!({ "customer_phone": "13900000540", "customer_type": "new" }),
        ),
        StatusCode::CREATED,
    )
    .await;
    let wrong = problem(
        admin
            .app
            .login(LoginKind::Customer, "13800000002", "Not-The-Password-1")
            .await,
        401,
    )
    .await;
    for password in ["", PASSWORD, "Any-Password-At-All"] {
        let none = problem(
            admin
                .app
                .login(LoginKind::Customer, "13900000540", password)
                .await,
            401,
        )
        .await;
        assert_eq!(
            none.detail, wrong.detail,
            "the same answer as a wrong password"
        );
    }
}

#[tokio::test]
async fn only_admins_import_and_only_keys_ingest() {
    let admin = AdminClient::new().await;
    let before = customers(&admin).await;
    let body = record_for(
        "HD550",
        json!({ "customer_phone": "13900000550", "customer_type": "new" }),
    );
    let no_key = Request::post("/api/v1/ingest/service-records")
        .header("content-type", "application/json")
        .body(Body::from(body.to_string()))
        .unwrap();
    problem(admin.app.request(no_key).await, 401).await;
    let file = "external_id,customer_phone,customer_type,agent,service_type,channel,started_at,\
                ended_at,urgency,category,requested_at\n\
                HD551,13900000551,new,E1001,在线客服咨询,线上,2026-11-20 10:05,2026-11-20 10:20,高,咨询,2026-11-20 10:00\n";
    for role in [Role::TeamLead, Role::Agent, Role::Customer] {
        let cookie = admin.app.signed_in_as(role).await;
        let request = Request::post("/api/v1/service-records/import")
            .header("content-type", "text/csv")
            .header("cookie", cookie)
            .body(Body::from(file))
            .unwrap();
        problem(admin.app.request(request).await, 403).await;
    }
    let created: i64 = admin
        .count("SELECT COUNT(*) FROM users WHERE phone IN ('13900000550', '13900000551')")
        .await;
    assert_eq!(created, 0);
    assert_eq!(
        customers(&admin).await,
        before + 1,
        "only the signed-in test customer"
    );

    // The same record with the key, the same file from an admin: the customers come.
    let answer = ingested(&admin, &body, StatusCode::CREATED).await;
    assert!(answer.customer.created);
    let imported = admin.csv("/api/v1/service-records/import", file).await;
    assert_eq!(imported.status(), StatusCode::OK);
    let created: i64 = admin
        .count("SELECT COUNT(*) FROM users WHERE phone IN ('13900000550', '13900000551')")
        .await;
    assert_eq!(created, 2);
}

#[tokio::test]
async fn admins_create_and_import_customers_with_an_email_and_no_password() {
    let admin = AdminClient::new().await;
    let created = admin
        .post(
            "/api/v1/users",
            json!({ "role": "customer", "display_name": "孙悦", "customer_no": "C300560",
                    "customer_type": "new", "email": "Sun.Yue@Example.com" }),
        )
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let created: User = serde_json::from_value(body_json(created).await).unwrap();
    assert_eq!(created.email.as_deref(), Some("s***@example.com"));
    assert!(!created.has_password);
    let taken = admin
        .post(
            "/api/v1/users",
            json!({ "role": "customer", "display_name": "孙悦", "customer_no": "C300561",
                    "customer_type": "new", "email": "sun.yue@example.com" }),
        )
        .await;
    assert_eq!(codes(&problem(taken, 422).await), [("email", "taken")]);
    // Staff may have an address too (their notifications by e-mail), even a customer's: it
    // is unique among customers only.
    let staff = admin
        .post(
            "/api/v1/users",
            json!({ "role": "agent", "display_name": "钱进", "employee_no": "E3001",
                    "email": "Sun.Yue@example.com" }),
        )
        .await;
    assert_eq!(staff.status(), StatusCode::CREATED);
    let staff: User = serde_json::from_value(body_json(staff).await).unwrap();
    assert_eq!(staff.email.as_deref(), Some("s***@example.com"));

    let file = "role,display_name,employee_no,customer_no,member_no,phone,email,customer_type,team,password\n\
                customer,郑爽,,C300562,,13900000562,zheng@example.com,new,,\n\
                customer,冯刚,,C300563,,,bad-address,new,,\n";
    let refused = problem(admin.csv("/api/v1/users/import", file).await, 422).await;
    assert_eq!(codes(&refused), [("row 3: email", "invalid_email")]);
    let fixed = file.replace("bad-address", "feng@example.com");
    let imported = admin.csv("/api/v1/users/import", fixed).await;
    assert_eq!(imported.status(), StatusCode::OK);
    let page: UserPage =
        serde_json::from_value(body_json(admin.get("/api/v1/users?q=C30056").await).await).unwrap();
    let emails: Vec<_> = page.users.iter().map(|u| u.email.clone()).collect();
    assert_eq!(
        emails,
        [
            Some("s***@example.com".to_owned()),
            Some("z***@example.com".to_owned()),
            Some("f***@example.com".to_owned())
        ]
    );
    // A file without the e-mail column still imports.
    let old = "role,display_name,employee_no,customer_no,member_no,phone,customer_type,team,password\n\
               customer,韩梅,,C300564,,,new,,\n";
    assert_eq!(
        admin.csv("/api/v1/users/import", old).await.status(),
        StatusCode::OK
    );
}
