//! The pure parts of user management: the list's address, the create form's draft, and the
//! import report read from the server's field names.
use leptos_router::params::ParamsMap;
use pingjia::api::users::UserQuery;
use pingjia::components::import_report::report_lines;
use pingjia::pages::admin_users::new_user::Draft;
use pingjia::pages::admin_users::{query_from_params, users_href};
use pingjia_domain::FieldError;
use pingjia_domain::wire::{CustomerType, Role};
use wasm_bindgen_test::*;

#[wasm_bindgen_test]
fn the_list_address_carries_its_filters_and_page() {
    let params: ParamsMap = [
        ("q", " 张 伟 "),
        ("role", "agent"),
        ("team_id", "2"),
        ("disabled", "false"),
        ("page", "3"),
    ]
    .into_iter()
    .collect();
    let query = query_from_params(&params);
    assert_eq!(query.q.as_deref(), Some("张 伟"));
    assert_eq!(query.role, Some(Role::Agent));
    assert_eq!(query.team_id, Some(2));
    assert_eq!(query.disabled, Some(false));
    assert_eq!(query.page, 3);
    assert_eq!(query.per_page, 20);
    assert_eq!(
        users_href(&query),
        "/admin/users?q=%E5%BC%A0%20%E4%BC%9F&role=agent&team_id=2&disabled=false&page=3"
    );
    assert_eq!(
        query.to_query_string(),
        "q=%E5%BC%A0%20%E4%BC%9F&role=agent&team_id=2&disabled=false&page=3&per_page=20"
    );

    // Nonsense is ignored, and the first page needs no parameter.
    let params: ParamsMap = [("role", "boss"), ("page", "0"), ("q", "  ")]
        .into_iter()
        .collect();
    let query = query_from_params(&params);
    assert_eq!(query.role, None);
    assert_eq!(query.q, None);
    assert_eq!(query.page, 1);
    assert_eq!(users_href(&query), "/admin/users");
    assert_eq!(
        users_href(&UserQuery {
            q: Some("E1001".to_owned()),
            page: 1,
            ..UserQuery::default()
        }),
        "/admin/users?q=E1001"
    );
}

#[wasm_bindgen_test]
fn a_draft_sends_only_the_fields_of_its_role() {
    let draft = Draft {
        role: "customer".to_owned(),
        display_name: " 李明 ".to_owned(),
        employee_no: "E1".to_owned(),
        customer_no: "c000009".to_owned(),
        member_no: "M9".to_owned(),
        phone: "138-0000-0009".to_owned(),
        email: " Li.Ming@Example.com ".to_owned(),
        customer_type: "returning".to_owned(),
        team_id: "1".to_owned(),
    };
    let user = draft.to_new_user("");
    assert_eq!(user.role, Role::Customer);
    assert_eq!(user.display_name, "李明");
    assert_eq!(user.employee_no, None, "staff only");
    assert_eq!(user.customer_no.as_deref(), Some("C000009"));
    assert_eq!(user.member_no, None, "members only");
    assert_eq!(user.phone.as_deref(), Some("13800000009"));
    assert_eq!(user.email.as_deref(), Some("li.ming@example.com"));
    assert_eq!(user.customer_type, Some(CustomerType::Returning));
    assert_eq!(user.team_id, None, "agents and team leads only");
    assert_eq!(user.password, None);
    assert!(user.validate().is_empty());

    let agent = Draft {
        role: "agent".to_owned(),
        ..draft
    }
    .to_new_user("Lantern-Harbor-Quietly-42");
    assert_eq!(agent.employee_no.as_deref(), Some("E1"));
    assert_eq!(agent.customer_no, None);
    assert_eq!(agent.phone, None);
    // Staff may have an address too: their notifications by e-mail go to it.
    assert_eq!(agent.email.as_deref(), Some("li.ming@example.com"));
    assert_eq!(agent.customer_type, None);
    assert_eq!(agent.team_id, Some(1));
    assert_eq!(agent.password.as_deref(), Some("Lantern-Harbor-Quietly-42"));

    assert!(Draft::default().is_blank());
    let kept: Draft = serde_json::from_str(
        r#"{"role":"customer","display_name":"李明","employee_no":"","customer_no":"",
            "member_no":"","phone":"","customer_type":"","team_id":""}"#,
    )
    .unwrap();
    assert_eq!(
        kept.email, "",
        "a draft kept before the e-mail field is read"
    );
    assert!(
        Draft {
            role: "admin".to_owned(),
            ..Draft::default()
        }
        .is_blank(),
        "a role alone is no draft worth restoring"
    );
}

#[wasm_bindgen_test]
fn import_errors_are_read_by_row_and_column() {
    let errors = vec![
        FieldError::new("row 3: phone", "invalid", "not a mobile number"),
        FieldError::new("row 7", "malformed", "this row cannot be read"),
        FieldError::new("header", "missing_column", "the header has no column team"),
    ];
    let lines = report_lines(&errors);
    let read: Vec<(Option<u64>, Option<&str>)> =
        lines.iter().map(|l| (l.row, l.column.as_deref())).collect();
    assert_eq!(
        read,
        [(Some(3), Some("phone")), (Some(7), None), (None, None)]
    );
    assert_eq!(lines[0].error, errors[0]);
}
