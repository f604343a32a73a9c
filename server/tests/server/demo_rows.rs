//! The demo's rows as text, to compare two seedings of the same seed.

use pingjia_server::db::sql::{self, Pool};

/// The service records, one JSON array each, by external id.
pub(crate) async fn dump(pool: &Pool) -> Vec<String> {
    let row = pool.dialect().json_array(
        "external_id, customer_id, agent_id, service_type, channel, started_at, ended_at, \
         order_no, urgency, category, tags, requested_at, first_response_at, resolved_at, \
         resolved_first_contact",
    );
    sql::query_scalar(&format!(
        "SELECT {row} FROM service_records ORDER BY external_id"
    ))
    .fetch_all(pool)
    .await
    .unwrap()
}

/// The evaluations with their scores, one JSON array each, by id.
pub(crate) async fn dump_evaluations(pool: &Pool) -> Vec<String> {
    let dialect = pool.dialect();
    let scores = dialect.json_rows(
        &[
            "s.dimension",
            "s.position",
            "s.optional",
            "s.name_zh",
            "s.name_en",
            "s.score",
        ],
        "s.position",
    );
    let row = dialect.json_array(&format!(
        "e.id, e.number, e.service_record_id, e.customer_id, e.agent_id, e.service_type, \
         e.submitted_at, e.total_score, e.overall, e.suggestion, e.status, e.form_seconds, \
         (SELECT {scores} FROM evaluation_scores s WHERE s.evaluation_id = e.id)"
    ));
    sql::query_scalar(&format!("SELECT {row} FROM evaluations e ORDER BY e.id"))
        .fetch_all(pool)
        .await
        .unwrap()
}
