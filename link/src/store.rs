//! What the page keeps on this device, in `localStorage`: the answers given so far (the
//! draft, until the evaluation is recorded) and the submission waiting for the server's
//! answer (the outbox: its idempotency key and body, so that a reload, a lost connection or a
//! second press sends the same submission again and the server records one evaluation).

use std::collections::BTreeMap;

use pingjia_domain::evaluations::NewEvaluation;
use wasm_bindgen::JsValue;

use crate::wire;

/// The answers so far.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Draft {
    /// Dimension code → 1 to 5.
    pub scores: BTreeMap<String, u8>,
    pub overall: Option<u8>,
    pub suggestion: String,
    /// When the form was first opened (`Date.now()`), for `form_seconds`.
    pub opened_at: f64,
}

/// A submission waiting to be sent, or sent without an answer for good yet.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The `Idempotency-Key` it is always sent with.
    pub key: String,
    /// What is sent, exactly.
    pub body: NewEvaluation,
    /// How many times it was sent.
    pub attempts: u32,
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// The JSON kept under `name`, if any.
fn load(name: &str) -> Option<JsValue> {
    let text = storage()?.get_item(name).ok()??;
    Some(wire::parse(&text)).filter(JsValue::is_object)
}

fn save(name: &str, value: &JsValue) {
    // A full or disabled storage only costs what it would keep.
    if let (Some(storage), Some(text)) = (storage(), wire::stringify(value)) {
        let _ = storage.set_item(name, &text);
    }
}

fn clear(name: &str) {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(name);
    }
}

fn draft_name(record_id: i64) -> String {
    format!("pingjia.link.draft.{record_id}")
}

fn outbox_name(record_id: i64) -> String {
    format!("pingjia.link.outbox.{record_id}")
}

pub fn load_draft(record_id: i64) -> Option<Draft> {
    let value = load(&draft_name(record_id))?;
    Some(Draft {
        scores: wire::scores_map(&wire::get(&value, "scores")),
        overall: wire::get(&value, "overall").as_f64().map(|o| o as u8),
        suggestion: wire::text(&value, "suggestion"),
        opened_at: wire::number(&value, "opened_at"),
    })
}

pub fn save_draft(record_id: i64, draft: &Draft) {
    let scores = wire::new_evaluation(&NewEvaluation {
        service_record_id: record_id,
        scores: draft.scores.clone(),
        overall: 0,
        suggestion: None,
        form_seconds: None,
    });
    let value = wire::object(&[
        ("scores", wire::get(&scores, "scores")),
        (
            "overall",
            draft.overall.map_or(JsValue::NULL, JsValue::from),
        ),
        ("suggestion", JsValue::from_str(&draft.suggestion)),
        ("opened_at", JsValue::from(draft.opened_at)),
    ]);
    save(&draft_name(record_id), &value);
}

pub fn clear_draft(record_id: i64) {
    clear(&draft_name(record_id));
}

/// The submission of `record_id` waiting on this device, if any.
pub fn pending(record_id: i64) -> Option<Entry> {
    let value = load(&outbox_name(record_id))?;
    let key = wire::maybe_text(&value, "key")?;
    Some(Entry {
        key,
        body: wire::read_new_evaluation(&wire::get(&value, "body")),
        attempts: wire::number(&value, "attempts") as u32,
    })
}

pub fn keep(record_id: i64, entry: &Entry) {
    let value = wire::object(&[
        ("key", JsValue::from_str(&entry.key)),
        ("body", wire::new_evaluation(&entry.body).into()),
        ("attempts", JsValue::from(entry.attempts)),
    ]);
    save(&outbox_name(record_id), &value);
}

pub fn drop_pending(record_id: i64) {
    clear(&outbox_name(record_id));
}
