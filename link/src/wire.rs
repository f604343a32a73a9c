//! The wire types as JSON, read and written through the browser's own `JSON` (answers are
//! read with `Response.json()`): into and from the domain's types, without a JSON library or
//! a date parser in the wasm. Each reader takes what the OpenAPI document requires and is
//! lenient about the rest (a missing optional field is `None`, a missing list is empty).

use std::collections::BTreeMap;

use js_sys::{Array, JSON, Object, Reflect};
use pingjia_domain::appeals::{AppealStatus, NewAppeal};
use pingjia_domain::evaluations::{
    CustomerStatus, DimensionScore, Evaluation, FormDimension, NewEvaluation, RatingForm,
    RatingState, RecordInfo,
};
use pingjia_domain::wire::{Channel, CustomerType};
use pingjia_domain::{FieldError, Problem};
use wasm_bindgen::JsValue;

type Time = chrono::DateTime<chrono::Utc>;

/// Field `key` of `value` (`undefined` when missing).
pub fn get(value: &JsValue, key: &str) -> JsValue {
    Reflect::get(value, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

pub fn text(value: &JsValue, key: &str) -> String {
    get(value, key).as_string().unwrap_or_default()
}

pub fn maybe_text(value: &JsValue, key: &str) -> Option<String> {
    get(value, key).as_string()
}

pub fn number(value: &JsValue, key: &str) -> f64 {
    get(value, key).as_f64().unwrap_or(0.0)
}

fn maybe_number(value: &JsValue, key: &str) -> Option<f64> {
    get(value, key).as_f64()
}

fn flag(value: &JsValue, key: &str) -> bool {
    get(value, key).as_bool().unwrap_or(false)
}

pub fn list(value: &JsValue, key: &str) -> Vec<JsValue> {
    let field = get(value, key);
    if Array::is_array(&field) {
        Array::from(&field).iter().collect()
    } else {
        Vec::new()
    }
}

/// An RFC 3339 time, read by the browser's `Date.parse`.
fn time(value: &JsValue, key: &str) -> Time {
    maybe_time(value, key).unwrap_or_default()
}

fn maybe_time(value: &JsValue, key: &str) -> Option<Time> {
    let text = get(value, key).as_string()?;
    let millis = js_sys::Date::parse(&text);
    if millis.is_nan() {
        return None;
    }
    Time::from_timestamp_millis(millis as i64)
}

fn record(value: &JsValue) -> RecordInfo {
    RecordInfo {
        id: number(value, "id") as i64,
        customer_no: text(value, "customer_no"),
        customer_type: maybe_text(value, "customer_type").and_then(|c| CustomerType::parse(&c)),
        agent_no: text(value, "agent_no"),
        agent_name: text(value, "agent_name"),
        service_type: text(value, "service_type"),
        service_type_name_zh: text(value, "service_type_name_zh"),
        service_type_name_en: text(value, "service_type_name_en"),
        channel: Channel::parse(&text(value, "channel")).unwrap_or(Channel::Online),
        started_at: time(value, "started_at"),
        ended_at: time(value, "ended_at"),
        order_no: maybe_text(value, "order_no"),
    }
}

fn dimension(value: &JsValue) -> FormDimension {
    FormDimension {
        code: text(value, "code"),
        name_zh: text(value, "name_zh"),
        name_en: text(value, "name_en"),
        description_zh: text(value, "description_zh"),
        description_en: text(value, "description_en"),
        optional: flag(value, "optional"),
    }
}

fn score(value: &JsValue) -> DimensionScore {
    DimensionScore {
        code: text(value, "code"),
        name_zh: text(value, "name_zh"),
        name_en: text(value, "name_en"),
        optional: flag(value, "optional"),
        score: maybe_number(value, "score").map(|s| s as u8),
    }
}

/// An `Evaluation` as its customer reads it (the versions' history is not shown here).
pub fn evaluation(value: &JsValue) -> Evaluation {
    let status = match text(value, "status").as_str() {
        "appeal_pending" => CustomerStatus::AppealPending,
        "revised" => CustomerStatus::Revised,
        _ => CustomerStatus::Recorded,
    };
    Evaluation {
        number: text(value, "number"),
        status,
        submitted_at: time(value, "submitted_at"),
        record: record(&get(value, "record")),
        scores: list(value, "scores").iter().map(score).collect(),
        total_score: number(value, "total_score"),
        overall: number(value, "overall") as u8,
        suggestion: maybe_text(value, "suggestion"),
        version: maybe_number(value, "version").map_or(1, |v| v as u32),
        history: Vec::new(),
        appeal_until: maybe_time(value, "appeal_until"),
        can_appeal: flag(value, "can_appeal"),
    }
}

/// `GET /rating-links/{token}`.
pub fn rating_form(value: &JsValue) -> RatingForm {
    let state = match text(value, "state").as_str() {
        "not_ended" => RatingState::NotEnded,
        "awaiting" => RatingState::Awaiting,
        "rated" => RatingState::Rated,
        _ => RatingState::Expired,
    };
    let evaluation_value = get(value, "evaluation");
    RatingForm {
        record: record(&get(value, "record")),
        dimensions: list(value, "dimensions").iter().map(dimension).collect(),
        state,
        rate_until: time(value, "rate_until"),
        evaluation: evaluation_value
            .is_object()
            .then(|| evaluation(&evaluation_value)),
        now: time(value, "now"),
    }
}

/// What the page shows of an appeal.
#[derive(Debug, Clone, PartialEq)]
pub struct AppealLine {
    pub status: AppealStatus,
    pub reason: String,
    pub filed_at: Time,
    pub decided_at: Option<Time>,
    pub decision_reason: Option<String>,
}

/// `GET /rating-links/{token}/appeals`.
pub fn appeals(value: &JsValue) -> Vec<AppealLine> {
    list(value, "appeals")
        .iter()
        .map(|a| AppealLine {
            status: AppealStatus::parse(&text(a, "status")).unwrap_or(AppealStatus::Pending),
            reason: text(a, "reason"),
            filed_at: time(a, "filed_at"),
            decided_at: maybe_time(a, "decided_at"),
            decision_reason: maybe_text(a, "decision_reason"),
        })
        .collect()
}

/// A problem document (RFC 9457), when the answer is one.
pub fn problem(value: &JsValue) -> Option<Problem> {
    if !value.is_object() {
        return None;
    }
    Some(Problem {
        kind: text(value, "type"),
        title: text(value, "title"),
        status: number(value, "status") as u16,
        detail: maybe_text(value, "detail"),
        errors: list(value, "errors")
            .iter()
            .map(|e| FieldError {
                field: text(e, "field"),
                code: text(e, "code"),
                message: text(e, "message"),
            })
            .collect(),
        code: maybe_text(value, "code"),
        reference: maybe_text(value, "reference"),
    })
}

fn set(object: &Object, key: &str, value: JsValue) {
    let _ = Reflect::set(object, &JsValue::from_str(key), &value);
}

/// A map of scores as a JSON object.
fn scores_object(scores: &BTreeMap<String, u8>) -> Object {
    let object = Object::new();
    for (code, score) in scores {
        set(&object, code, JsValue::from(*score));
    }
    object
}

/// Reads a map of scores (1 to 10 at most) from a JSON object.
pub fn scores_map(value: &JsValue) -> BTreeMap<String, u8> {
    let mut scores = BTreeMap::new();
    if value.is_object() {
        for entry in Object::entries(&Object::from(value.clone())).iter() {
            let pair = Array::from(&entry);
            if let (Some(code), Some(score)) = (pair.get(0).as_string(), pair.get(1).as_f64()) {
                scores.insert(code, score as u8);
            }
        }
    }
    scores
}

/// `NewEvaluation` as the server reads it.
pub fn new_evaluation(body: &NewEvaluation) -> Object {
    let object = Object::new();
    set(
        &object,
        "service_record_id",
        JsValue::from(body.service_record_id as f64),
    );
    set(&object, "scores", scores_object(&body.scores).into());
    set(&object, "overall", JsValue::from(body.overall));
    if let Some(suggestion) = &body.suggestion {
        set(&object, "suggestion", JsValue::from_str(suggestion));
    }
    if let Some(seconds) = body.form_seconds {
        set(&object, "form_seconds", JsValue::from(seconds));
    }
    object
}

/// Reads back what [`new_evaluation`] wrote.
pub fn read_new_evaluation(value: &JsValue) -> NewEvaluation {
    NewEvaluation {
        service_record_id: number(value, "service_record_id") as i64,
        scores: scores_map(&get(value, "scores")),
        overall: number(value, "overall") as u8,
        suggestion: maybe_text(value, "suggestion"),
        form_seconds: maybe_number(value, "form_seconds").map(|s| s as u32),
    }
}

/// `NewAppeal` as the server reads it (a reason only: the page does not ask for a change).
pub fn new_appeal(body: &NewAppeal) -> Object {
    let object = Object::new();
    set(&object, "reason", JsValue::from_str(&body.reason));
    object
}

/// An object with `pairs` as its fields.
pub fn object(pairs: &[(&str, JsValue)]) -> Object {
    let object = Object::new();
    for (key, value) in pairs {
        set(&object, key, value.clone());
    }
    object
}

/// `value` as JSON text.
pub fn stringify(value: &JsValue) -> Option<String> {
    JSON::stringify(value).ok().and_then(|s| s.as_string())
}

/// JSON text as a value (`undefined` when it is not JSON).
pub fn parse(text: &str) -> JsValue {
    JSON::parse(text).unwrap_or(JsValue::UNDEFINED)
}
