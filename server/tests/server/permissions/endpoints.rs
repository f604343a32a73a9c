//! The first half of the endpoint table of [`super`]: public, sign-in, rating, appeals,
//! moderation, QA, feedback, plans, callbacks, reports and settings.

use super::*;

/// Every endpoint of the API. Requests that change data target users the callers are not.
pub(super) fn endpoints(people: &People, rating: &Rating) -> Vec<Endpoint> {
    let mut endpoints = vec![
        endpoint(
            Method::GET,
            "/api/v1/health",
            "/api/v1/health",
            Send::Nothing,
            Expect::Public,
        ),
        endpoint(
            Method::GET,
            "/api/v1/openapi.json",
            "/api/v1/openapi.json",
            Send::Nothing,
            Expect::Public,
        ),
        endpoint(
            Method::POST,
            "/api/v1/auth/login",
            "/api/v1/auth/login",
            Send::Json(json!({ "kind": "staff", "login": "Q0001", "password": PASSWORD })),
            Expect::Public,
        ),
        endpoint(
            Method::GET,
            "/api/v1/auth/methods",
            "/api/v1/auth/methods",
            Send::Nothing,
            Expect::Public,
        ),
        // No channel is set up: 422 `code_channel_unavailable`, nothing stored or sent.
        endpoint(
            Method::POST,
            "/api/v1/auth/codes",
            "/api/v1/auth/codes",
            Send::Json(json!({ "address": "13900000000" })),
            Expect::Public,
        ),
        endpoint(
            Method::POST,
            "/api/v1/auth/codes/verify",
            "/api/v1/auth/codes/verify",
            // A malformed code: the handler answers 422 before looking anything up.
            Send::Json(json!({ "address": "13900000000", "code": "abc" })),
            Expect::Public,
        ),
        endpoint(
            Method::POST,
            "/api/v1/auth/logout",
            "/api/v1/auth/logout",
            Send::Nothing,
            Expect::SignedIn,
        ),
        endpoint(
            Method::GET,
            "/api/v1/auth/me",
            "/api/v1/auth/me",
            Send::Nothing,
            Expect::SignedIn,
        ),
        endpoint(
            Method::POST,
            "/api/v1/auth/password",
            "/api/v1/auth/password",
            // A wrong current password: the handler answers 422 and nothing changes.
            Send::Json(
                json!({ "current_password": "Not-The-Password-1", "new_password": "Saffron-Kettle-Drum" }),
            ),
            Expect::SignedIn,
        ),
        endpoint(
            Method::GET,
            "/api/v1/catalog",
            "/api/v1/catalog",
            Send::Nothing,
            Expect::SignedIn,
        ),
        endpoint(
            Method::GET,
            "/api/v1/me/service-records",
            "/api/v1/me/service-records",
            Send::Nothing,
            CUSTOMER_ONLY,
        ),
        endpoint(
            Method::GET,
            "/api/v1/me/service-records/{id}",
            format!("/api/v1/me/service-records/{}", rating.own_record),
            Send::Nothing,
            CUSTOMER_ONLY,
        ),
        endpoint(
            Method::POST,
            "/api/v1/evaluations",
            "/api/v1/evaluations",
            Send::Idempotent(answers(rating.own_record)),
            CUSTOMER_ONLY,
        ),
        endpoint(
            Method::GET,
            "/api/v1/evaluations/{number}",
            format!("/api/v1/evaluations/{}", rating.own_number),
            Send::Nothing,
            Expect::Only(&[Role::Customer, Role::Admin]),
        ),
        endpoint(
            Method::GET,
            "/api/v1/me/evaluations",
            "/api/v1/me/evaluations?page=1&per_page=5",
            Send::Nothing,
            CUSTOMER_ONLY,
        ),
        endpoint(
            Method::POST,
            "/api/v1/evaluations/{number}/appeals",
            // Already appealed: the handler answers 409 and nothing changes.
            format!("/api/v1/evaluations/{}/appeals", rating.own_number),
            Send::Idempotent(appeal_body()),
            CUSTOMER_ONLY,
        ),
        endpoint(
            Method::GET,
            "/api/v1/evaluations/{number}/appeals",
            format!("/api/v1/evaluations/{}/appeals", rating.own_number),
            Send::Nothing,
            Expect::Only(&[Role::Customer, Role::Admin]),
        ),
        endpoint(
            Method::GET,
            "/api/v1/me/appeals",
            "/api/v1/me/appeals",
            Send::Nothing,
            CUSTOMER_ONLY,
        ),
        endpoint(
            Method::POST,
            "/api/v1/me/appeals/{id}/seen",
            format!("/api/v1/me/appeals/{}/seen", rating.own_appeal),
            Send::Nothing,
            CUSTOMER_ONLY,
        ),
        endpoint(
            Method::GET,
            "/api/v1/appeals",
            "/api/v1/appeals?status=pending&page=1&per_page=5",
            Send::Nothing,
            ADMIN_ONLY,
        ),
        endpoint(
            Method::POST,
            "/api/v1/appeals/{id}/decision",
            format!("/api/v1/appeals/{}/decision", rating.others_appeal),
            Send::Json(json!({ "decision": "reject", "reason": "评分与服务记录一致" })),
            ADMIN_ONLY,
        ),
        endpoint(
            Method::GET,
            "/api/v1/moderation/queue",
            format!(
                "/api/v1/moderation/queue?status=under_review&rule=extreme&agent_id={}\
                 &from=2026-11-01&to=2026-11-30&page=1&per_page=5",
                people.agent
            ),
            Send::Nothing,
            ADMIN_ONLY,
        ),
        endpoint(
            Method::GET,
            "/api/v1/moderation/evaluations/{id}",
            "/api/v1/moderation/evaluations/1",
            Send::Nothing,
            ADMIN_ONLY,
        ),
        endpoint(
            Method::POST,
            "/api/v1/moderation/decisions",
            "/api/v1/moderation/decisions",
            // No such evaluation: the handler answers 422 and nothing changes.
            Send::Json(
                json!({ "evaluation_ids": [999_999], "decision": "delete", "reason": "刷单" }),
            ),
            ADMIN_ONLY,
        ),
        endpoint(
            Method::GET,
            "/api/v1/moderation/terms",
            "/api/v1/moderation/terms",
            Send::Nothing,
            ADMIN_ONLY,
        ),
        endpoint(
            Method::POST,
            "/api/v1/moderation/terms",
            "/api/v1/moderation/terms",
            Send::Json(json!({ "term": "permission-test-term" })),
            ADMIN_ONLY,
        ),
        endpoint(
            Method::DELETE,
            "/api/v1/moderation/terms/{term}",
            "/api/v1/moderation/terms/crap",
            Send::Nothing,
            ADMIN_ONLY,
        ),
        endpoint(
            Method::GET,
            "/api/v1/qa/home",
            "/api/v1/qa/home",
            Send::Nothing,
            QA_ONLY,
        ),
        endpoint(
            Method::GET,
            "/api/v1/qa/options",
            "/api/v1/qa/options",
            Send::Nothing,
            QA_ONLY,
        ),
        endpoint(
            Method::GET,
            "/api/v1/qa/templates",
            "/api/v1/qa/templates",
            Send::Nothing,
            QA_ONLY,
        ),
        // Invalid bodies: the handler answers 422 and nothing is written.
        endpoint(
            Method::POST,
            "/api/v1/qa/templates",
            "/api/v1/qa/templates",
            Send::Idempotent(json!({ "name_zh": "", "dimensions": [] })),
            QA_ONLY,
        ),
        endpoint(
            Method::GET,
            "/api/v1/qa/templates/{id}",
            "/api/v1/qa/templates/1",
            Send::Nothing,
            QA_ONLY,
        ),
        endpoint(
            Method::PUT,
            "/api/v1/qa/templates/{id}",
            "/api/v1/qa/templates/2",
            Send::Json(json!({ "name_zh": "", "dimensions": [] })),
            QA_ONLY,
        ),
        endpoint(
            Method::GET,
            "/api/v1/qa/plans",
            "/api/v1/qa/plans",
            Send::Nothing,
            QA_ONLY,
        ),
        endpoint(
            Method::POST,
            "/api/v1/qa/plans",
            "/api/v1/qa/plans",
            Send::Idempotent(json!({
                "name": "", "from": "2026-11-01", "to": "2026-11-02", "template_id": 1,
                "inspector_ids": [],
            })),
            QA_ONLY,
        ),
        endpoint(
            Method::GET,
            "/api/v1/qa/plans/{id}",
            format!("/api/v1/qa/plans/{}", rating.qa_plan),
            Send::Nothing,
            QA_ONLY,
        ),
        endpoint(
            Method::GET,
            "/api/v1/qa/plans/{id}/samples",
            format!("/api/v1/qa/plans/{}/samples", rating.qa_plan),
            Send::Nothing,
            QA_ONLY,
        ),
        endpoint(
            Method::GET,
            "/api/v1/qa/plans/{id}/report.csv",
            format!("/api/v1/qa/plans/{}/report.csv", rating.qa_plan),
            Send::Nothing,
            QA_ONLY,
        ),
        endpoint(
            Method::GET,
            "/api/v1/qa/samples/{id}",
            format!("/api/v1/qa/samples/{}", rating.qa_sample),
            Send::Nothing,
            QA_ONLY,
        ),
        endpoint(
            Method::PUT,
            "/api/v1/qa/samples/{id}/inspection",
            format!("/api/v1/qa/samples/{}/inspection", rating.qa_sample),
            Send::Json(json!({ "answers": [], "scores": [] })),
            QA_ONLY,
        ),
        endpoint(
            Method::GET,
            "/api/v1/qa/rectifications",
            "/api/v1/qa/rectifications?status=overdue",
            Send::Nothing,
            QA_ONLY,
        ),
        endpoint(
            Method::POST,
            "/api/v1/qa/rectifications/{id}/report",
            "/api/v1/qa/rectifications/1/report",
            Send::Json(json!({ "result": "rectified", "note": "" })),
            OWNERS,
        ),
        endpoint(
            Method::POST,
            "/api/v1/qa/rectifications/{id}/recheck",
            "/api/v1/qa/rectifications/1/recheck",
            Send::Json(json!({ "accepted": false, "note": "" })),
            QA_ONLY,
        ),
        endpoint(
            Method::GET,
            "/api/v1/me/qa",
            "/api/v1/me/qa",
            Send::Nothing,
            OWNERS,
        ),
        endpoint(
            Method::GET,
            "/api/v1/audit-log",
            "/api/v1/audit-log?action=evaluation.*&actor=A0001&target_type=evaluation\
             &from=2026-11-01&to=2026-11-30&page=1&per_page=5",
            Send::Nothing,
            ADMIN_ONLY,
        ),
        endpoint(
            Method::GET,
            "/api/v1/me/feedback/summary",
            "/api/v1/me/feedback/summary?granularity=week",
            Send::Nothing,
            AGENT_ONLY,
        ),
        endpoint(
            Method::GET,
            "/api/v1/me/feedback",
            "/api/v1/me/feedback?unread=true",
            Send::Nothing,
            AGENT_ONLY,
        ),
        endpoint(
            Method::GET,
            "/api/v1/me/feedback/unread",
            "/api/v1/me/feedback/unread",
            Send::Nothing,
            AGENT_ONLY,
        ),
        endpoint(
            Method::GET,
            "/api/v1/me/feedback/stream",
            "/api/v1/me/feedback/stream",
            Send::Nothing,
            AGENT_ONLY,
        ),
        endpoint(
            Method::POST,
            "/api/v1/me/feedback/{number}/read",
            format!("/api/v1/me/feedback/{}/read", rating.own_number),
            Send::Nothing,
            AGENT_ONLY,
        ),
        endpoint(
            Method::POST,
            "/api/v1/me/feedback/read-all",
            "/api/v1/me/feedback/read-all",
            Send::Nothing,
            AGENT_ONLY,
        ),
        endpoint(
            Method::POST,
            "/api/v1/me/feedback/{number}/assessment",
            format!("/api/v1/me/feedback/{}/assessment", rating.others_number),
            Send::Json(json!({ "reasonable": false, "reason": "与服务无关" })),
            AGENT_ONLY,
        ),
        endpoint(
            Method::GET,
            "/api/v1/improvement-plans",
            "/api/v1/improvement-plans?overdue=true",
            Send::Nothing,
            PLAN_READERS,
        ),
        endpoint(
            Method::GET,
            "/api/v1/improvement-plans/{id}",
            format!("/api/v1/improvement-plans/{}", rating.plan),
            Send::Nothing,
            PLAN_READERS,
        ),
        endpoint(
            Method::PUT,
            "/api/v1/improvement-plans/{id}",
            format!("/api/v1/improvement-plans/{}", rating.plan),
            Send::Json(
                json!({ "measures": "每天复盘低分通话并整理答复", "target_date": "2099-01-01" }),
            ),
            AGENT_ONLY,
        ),
        endpoint(
            Method::POST,
            "/api/v1/improvement-plans/{id}/review",
            format!("/api/v1/improvement-plans/{}/review", rating.plan),
            Send::Json(json!({ "decision": "acknowledge" })),
            LEAD_OR_ADMIN,
        ),
        endpoint(
            Method::GET,
            "/api/v1/callbacks",
            "/api/v1/callbacks?open=true",
            Send::Nothing,
            LEAD_OR_ADMIN,
        ),
        endpoint(
            Method::POST,
            "/api/v1/callbacks/{id}",
            format!("/api/v1/callbacks/{}", rating.callback),
            Send::Json(json!({ "outcome": "resolved", "notes": "已回访，客户满意" })),
            LEAD_OR_ADMIN,
        ),
        // Coaching: the lead's request records session 1 with E1001 (the admin's, 2), which the
        // rows after it read; acknowledging and following up answer 200 or 409.
        endpoint(
            Method::POST,
            "/api/v1/coaching",
            "/api/v1/coaching",
            Send::Json(json!({
                "agent_no": "E1001", "discussion": "开场白与结束语", "action": "使用标准结束语",
                "follow_up_date": "2099-01-01",
            })),
            LEAD_OR_ADMIN,
        ),
        endpoint(
            Method::GET,
            "/api/v1/coaching",
            "/api/v1/coaching?state=awaiting",
            Send::Nothing,
            PLAN_READERS,
        ),
        endpoint(
            Method::GET,
            "/api/v1/coaching/draft",
            "/api/v1/coaching/draft?agent_no=E1001",
            Send::Nothing,
            LEAD_OR_ADMIN,
        ),
        endpoint(
            Method::GET,
            "/api/v1/coaching/{id}",
            "/api/v1/coaching/1",
            Send::Nothing,
            PLAN_READERS,
        ),
        endpoint(
            Method::POST,
            "/api/v1/coaching/{id}/acknowledge",
            "/api/v1/coaching/1/acknowledge",
            Send::Json(json!({})),
            AGENT_ONLY,
        ),
        endpoint(
            Method::POST,
            "/api/v1/coaching/{id}/follow-up",
            "/api/v1/coaching/1/follow-up",
            Send::Nothing,
            LEAD_OR_ADMIN,
        ),
        // A plan's report anchored on session 1 (E1001's, of the lead's team): the lead reads
        // it so (and only so), QA inspectors and admins read any.
        endpoint(
            Method::GET,
            "/api/v1/qa/plans/{id}/report",
            format!("/api/v1/qa/plans/{}/report?coaching=1", rating.qa_plan),
            Send::Nothing,
            QA_OR_LEAD,
        ),
        endpoint(
            Method::GET,
            "/api/v1/team/summary",
            "/api/v1/team/summary",
            Send::Nothing,
            LEAD_ONLY,
        ),
        endpoint(
            Method::GET,
            "/api/v1/reports",
            "/api/v1/reports?kind=week",
            Send::Nothing,
            LEAD_OR_ADMIN,
        ),
        endpoint(
            Method::GET,
            "/api/v1/reports/{kind}/{key}",
            format!("/api/v1/reports/week/2026-W01?team={}", people.team),
            Send::Nothing,
            LEAD_OR_ADMIN,
        ),
        endpoint(
            Method::GET,
            "/api/v1/reports/{kind}/{key}/csv/{table}",
            format!(
                "/api/v1/reports/month/2026-01/csv/agents?team={}",
                people.team
            ),
            Send::Nothing,
            LEAD_OR_ADMIN,
        ),
        endpoint(
            Method::GET,
            "/api/v1/report-subscriptions",
            "/api/v1/report-subscriptions",
            Send::Nothing,
            LEAD_OR_ADMIN,
        ),
        endpoint(
            Method::POST,
            "/api/v1/report-subscriptions",
            "/api/v1/report-subscriptions",
            Send::Idempotent(
                json!({ "kind": "month", "team_id": people.team, "recipients": ["a@example.com"] }),
            ),
            LEAD_OR_ADMIN,
        ),
        endpoint(
            Method::PUT,
            "/api/v1/report-subscriptions/{id}",
            format!("/api/v1/report-subscriptions/{}", rating.subscription),
            Send::Json(
                json!({ "kind": "week", "team_id": people.team, "recipients": ["b@example.com"] }),
            ),
            LEAD_OR_ADMIN,
        ),
        endpoint(
            Method::POST,
            "/api/v1/report-deliveries/{id}/retry",
            format!("/api/v1/report-deliveries/{}/retry", rating.delivery),
            Send::Nothing,
            LEAD_OR_ADMIN,
        ),
        endpoint(
            Method::GET,
            "/api/v1/settings/smtp",
            "/api/v1/settings/smtp",
            Send::Nothing,
            ADMIN_ONLY,
        ),
        endpoint(
            Method::PUT,
            "/api/v1/settings/smtp",
            "/api/v1/settings/smtp",
            Send::Json(json!({
                "host": "127.0.0.1", "port": 1, "security": "none",
                "from_address": "pingjia@example.com", "from_name": "评价",
            })),
            ADMIN_ONLY,
        ),
        endpoint(
            Method::POST,
            "/api/v1/settings/smtp/test",
            "/api/v1/settings/smtp/test",
            Send::Json(json!({ "to": "not an address" })),
            ADMIN_ONLY,
        ),
        endpoint(
            Method::GET,
            "/api/v1/deliveries",
            "/api/v1/deliveries?status=failed",
            Send::Nothing,
            ADMIN_ONLY,
        ),
        endpoint(
            Method::POST,
            "/api/v1/deliveries/{id}/retry",
            format!("/api/v1/deliveries/{}/retry", rating.delivery),
            Send::Nothing,
            ADMIN_ONLY,
        ),
        endpoint(
            Method::GET,
            "/api/v1/settings/sms",
            "/api/v1/settings/sms",
            Send::Nothing,
            ADMIN_ONLY,
        ),
        endpoint(
            Method::PUT,
            "/api/v1/settings/sms",
            "/api/v1/settings/sms",
            Send::Json(json!({
                "url": "http://127.0.0.1:9/sms", "method": "post", "content_type": "json",
                "body_template": "{\"to\":\"{{to}}\",\"text\":\"{{text}}\"}",
            })),
            ADMIN_ONLY,
        ),
        endpoint(
            Method::POST,
            "/api/v1/settings/sms/test",
            "/api/v1/settings/sms/test",
            Send::Json(json!({ "to": "not a number" })),
            ADMIN_ONLY,
        ),
        endpoint(
            Method::GET,
            "/api/v1/settings/webhook",
            "/api/v1/settings/webhook",
            Send::Nothing,
            ADMIN_ONLY,
        ),
        endpoint(
            Method::PUT,
            "/api/v1/settings/webhook",
            "/api/v1/settings/webhook",
            Send::Json(json!({ "url": "http://127.0.0.1:9/hook" })),
            ADMIN_ONLY,
        ),
        endpoint(
            Method::POST,
            "/api/v1/settings/webhook/test",
            "/api/v1/settings/webhook/test",
            Send::Nothing,
            ADMIN_ONLY,
        ),
        endpoint(
            Method::GET,
            "/api/v1/settings/invitations",
            "/api/v1/settings/invitations",
            Send::Nothing,
            ADMIN_ONLY,
        ),
        endpoint(
            Method::PUT,
            "/api/v1/settings/invitations",
            "/api/v1/settings/invitations",
            // Not all eight templates: 422 for an admin, nothing saved.
            Send::Json(json!({
                "enabled": false, "delay_minutes": 30, "reminder_hours": 24,
                "suppression_days": 7, "channel_order": ["sms"], "language": "zh",
                "templates": [],
            })),
            ADMIN_ONLY,
        ),
        endpoint(
            Method::POST,
            "/api/v1/invitations/send",
            "/api/v1/invitations/send",
            // An unknown record: 422 for an admin, nothing sent.
            Send::Json(json!({ "record_ids": [999_999_999] })),
            ADMIN_ONLY,
        ),
        endpoint(
            Method::DELETE,
            "/api/v1/report-subscriptions/{id}",
            format!("/api/v1/report-subscriptions/{}", rating.subscription),
            Send::Nothing,
            LEAD_OR_ADMIN,
        ),
    ];
    endpoints.extend(super::endpoints_admin::endpoints(people));
    endpoints.extend(super::endpoints_disputes::endpoints(rating));
    endpoints.extend(super::endpoints_calibration::endpoints(people, rating));
    // The link's first: its submission rates its record with the shared key before the
    // customer's own submission uses that key.
    let mut all = link_endpoints(rating);
    all.extend(endpoints);
    all
}

/// The rating link's endpoints (public: the token is what they check) and the admins'
/// invitation endpoints, on `C000001`'s record with a link: the first submission through the
/// link rates it (the same key replays it after), so its appeals can be read and filed.
fn link_endpoints(rating: &Rating) -> Vec<Endpoint> {
    let link = |rest: &str| format!("/api/v1/rating-links/{}{rest}", rating.link);
    let invitation = format!(
        "/api/v1/service-records/{}/invitation",
        rating.linked_record
    );
    vec![
        endpoint(
            Method::GET,
            "/api/v1/rating-links/{token}",
            link(""),
            Send::Nothing,
            Expect::Public,
        ),
        endpoint(
            Method::POST,
            "/api/v1/rating-links/{token}/evaluation",
            link("/evaluation"),
            Send::Idempotent(answers(rating.linked_record)),
            Expect::Public,
        ),
        endpoint(
            Method::GET,
            "/api/v1/rating-links/{token}/appeals",
            link("/appeals"),
            Send::Nothing,
            Expect::Public,
        ),
        endpoint(
            Method::POST,
            "/api/v1/rating-links/{token}/appeals",
            link("/appeals"),
            Send::Idempotent(appeal_body()),
            Expect::Public,
        ),
        endpoint(
            Method::POST,
            "/api/v1/rating-links/{token}/opt-out",
            link("/opt-out"),
            Send::Nothing,
            Expect::Public,
        ),
        endpoint(
            Method::GET,
            "/api/v1/service-records/{id}/invitation",
            invitation.clone(),
            Send::Nothing,
            ADMIN_ONLY,
        ),
        endpoint(
            Method::POST,
            "/api/v1/service-records/{id}/invitation",
            // Rated by then: the handler answers 409 and nothing changes.
            invitation.clone(),
            Send::Nothing,
            ADMIN_ONLY,
        ),
        endpoint(
            Method::DELETE,
            "/api/v1/service-records/{id}/invitation",
            invitation,
            Send::Nothing,
            ADMIN_ONLY,
        ),
    ]
}
