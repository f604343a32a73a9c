//! The endpoint table's rows of QA disputes (issue 25): an agent's or team lead's own form and
//! filing (404 for an inspection not theirs: the table's sample is not inspected), the
//! reviewers' list, one dispute, its decision, an inspection's versions and a lead's list of
//! their team's inspections. The table's sample is inspected first (by `Q0001`, then replaced
//! by the admin, its inspector then), so that its agent `E1001` and their lead reach their form; the agent's filing is dispute 1
//! (the lead's answers 409), which the reviewers' rows read and decide (422 for the QA
//! inspector's empty decision, 409 for the admin's own inspection).

use super::*;

pub(super) fn endpoints(rating: &Rating) -> Vec<Endpoint> {
    let dispute = format!("/api/v1/me/qa/samples/{}/dispute", rating.qa_sample);
    let answers: Vec<Value> = (1..=14)
        .map(|item| json!({ "item_id": item, "result": "compliant" }))
        .collect();
    let scores: Vec<Value> = (1..=5)
        .map(|d| json!({ "dimension_id": d, "score": 4 }))
        .collect();
    vec![
        endpoint(
            Method::PUT,
            "/api/v1/qa/samples/{id}/inspection",
            format!("/api/v1/qa/samples/{}/inspection", rating.qa_sample),
            Send::Json(json!({ "answers": answers, "scores": scores })),
            QA_ONLY,
        ),
        endpoint(
            Method::GET,
            "/api/v1/me/qa/samples/{id}/dispute",
            dispute.clone(),
            Send::Nothing,
            OWNERS,
        ),
        endpoint(
            Method::POST,
            "/api/v1/me/qa/samples/{id}/dispute",
            dispute,
            Send::Json(json!({ "items": [{ "item_id": 1, "reason": "客户先问候了" }] })),
            OWNERS,
        ),
        endpoint(
            Method::GET,
            "/api/v1/qa/disputes",
            "/api/v1/qa/disputes?status=open",
            Send::Nothing,
            QA_ONLY,
        ),
        endpoint(
            Method::GET,
            "/api/v1/qa/disputes/{id}",
            "/api/v1/qa/disputes/1",
            Send::Nothing,
            QA_ONLY,
        ),
        endpoint(
            Method::POST,
            "/api/v1/qa/disputes/{id}/decision",
            "/api/v1/qa/disputes/1/decision",
            Send::Json(json!({ "items": [] })),
            QA_ONLY,
        ),
        // The lead's team's inspections: E1001's, of the lead's team.
        endpoint(
            Method::GET,
            "/api/v1/team/qa/inspections",
            "/api/v1/team/qa/inspections?disputable=true",
            Send::Nothing,
            LEAD_ONLY,
        ),
        endpoint(
            Method::GET,
            "/api/v1/qa/samples/{id}/versions",
            format!("/api/v1/qa/samples/{}/versions", rating.qa_sample),
            Send::Nothing,
            QA_ONLY,
        ),
    ]
}
