//! The endpoint table's rows of calibration between QA inspectors (issue 25): QA inspectors
//! and admins only. The creating row runs first, so that session 1 (led by `Q0001`, scored by
//! `Q0001` and `A0001`) exists for the rows after it: empty answers are refused field by field
//! (422), the lead and an admin close it, and the agreed answers of a closed one are recorded.

use super::*;

pub(super) fn endpoints(people: &People, rating: &Rating) -> Vec<Endpoint> {
    let session = "/api/v1/qa/calibrations/1";
    vec![
        endpoint(
            Method::POST,
            "/api/v1/qa/calibrations",
            "/api/v1/qa/calibrations",
            Send::Json(json!({
                "name": "校准",
                "template_id": 1,
                "records": [format!("TEST{}", rating.own_record)],
                "inspector_ids": [people.qa, people.admin],
            })),
            QA_ONLY,
        ),
        endpoint(
            Method::GET,
            "/api/v1/qa/calibrations",
            "/api/v1/qa/calibrations?status=open",
            Send::Nothing,
            QA_ONLY,
        ),
        endpoint(
            Method::GET,
            "/api/v1/qa/calibrations/{id}",
            session,
            Send::Nothing,
            QA_ONLY,
        ),
        endpoint(
            Method::PUT,
            "/api/v1/qa/calibrations/{id}/answers",
            format!("{session}/answers"),
            Send::Json(json!({ "answers": [], "scores": [] })),
            QA_ONLY,
        ),
        endpoint(
            Method::POST,
            "/api/v1/qa/calibrations/{id}/close",
            format!("{session}/close"),
            Send::Json(json!({})),
            QA_ONLY,
        ),
        endpoint(
            Method::PUT,
            "/api/v1/qa/calibrations/{id}/agreed",
            format!("{session}/agreed"),
            Send::Json(json!({ "answers": [], "scores": [] })),
            QA_ONLY,
        ),
        endpoint(
            Method::GET,
            "/api/v1/qa/calibrations/deviation",
            "/api/v1/qa/calibrations/deviation?from=2026-01-01",
            Send::Nothing,
            QA_ONLY,
        ),
        endpoint(
            Method::GET,
            "/api/v1/qa/calibrations/guidance",
            "/api/v1/qa/calibrations/guidance?template_id=1",
            Send::Nothing,
            QA_ONLY,
        ),
    ]
}
