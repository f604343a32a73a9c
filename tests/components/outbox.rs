//! The outbox in a real browser: entries kept in `localStorage` per user until they leave,
//! one idempotency key per record however often it is submitted, and the backoff between
//! attempts.
use std::collections::BTreeMap;

use chrono::{TimeZone, Utc};
use pingjia::drafts;
use pingjia::outbox::{self, MAX_DELAY_MS, STORAGE_PREFIX, backoff_ms};
use pingjia_domain::evaluations::{NewEvaluation, is_valid_idempotency_key};
use wasm_bindgen_test::*;

use crate::common::local_storage;

fn body(record: i64, overall: u8) -> NewEvaluation {
    NewEvaluation {
        service_record_id: record,
        scores: BTreeMap::from([("attitude".to_owned(), 5), ("speed".to_owned(), 4)]),
        overall,
        suggestion: Some("很好".to_owned()),
        form_seconds: Some(42),
    }
}

fn forget(user: i64) {
    local_storage()
        .remove_item(&format!("{STORAGE_PREFIX}{user}"))
        .unwrap();
}

#[wasm_bindgen_test]
fn entries_are_stored_per_user_read_back_and_removed() {
    let (user, other) = (990_001, 990_002);
    forget(user);
    forget(other);
    let created = Utc.with_ymd_and_hms(2026, 11, 22, 9, 30, 0).unwrap();

    let first = outbox::enqueue(user, body(11, 9), created);
    assert!(is_valid_idempotency_key(&first.key), "{}", first.key);
    assert_eq!(first.attempts, 0);
    assert_eq!(first.created_at, created);

    // Read back from storage, as after a reload: the same key and the same body.
    let stored = local_storage()
        .get_item(&format!("{STORAGE_PREFIX}{user}"))
        .unwrap()
        .expect("the entry is in localStorage before anything is sent");
    assert!(stored.contains(&first.key));
    assert_eq!(outbox::entries(user), vec![first.clone()]);
    assert_eq!(outbox::pending(user, 11), Some(first.clone()));
    assert_eq!(outbox::pending(user, 12), None);
    assert!(outbox::entries(other).is_empty(), "another user sees none");

    let second = outbox::enqueue(user, body(12, 7), created);
    assert_ne!(second.key, first.key);
    assert_eq!(outbox::entries(user).len(), 2);

    outbox::remove(user, &first.key);
    assert_eq!(outbox::entries(user), vec![second.clone()]);
    outbox::remove(user, &second.key);
    assert!(outbox::entries(user).is_empty());
    assert_eq!(
        local_storage()
            .get_item(&format!("{STORAGE_PREFIX}{user}"))
            .unwrap(),
        None,
        "an empty outbox leaves nothing behind"
    );
}

#[wasm_bindgen_test]
fn submitting_a_record_again_reuses_its_key_and_body() {
    let user = 990_003;
    forget(user);
    let first = outbox::enqueue(user, body(21, 9), Utc::now());
    // A double click, or the form sent again while the first is waiting.
    let again = outbox::enqueue(user, body(21, 3), Utc::now());
    assert_eq!(again.key, first.key);
    assert_eq!(
        again.body, first.body,
        "what is sent is what was stored first"
    );
    assert_eq!(outbox::entries(user).len(), 1);
    forget(user);
}

#[wasm_bindgen_test]
fn new_keys_are_unique_and_acceptable() {
    let a = outbox::new_key();
    let b = outbox::new_key();
    assert_ne!(a, b);
    assert!(is_valid_idempotency_key(&a) && is_valid_idempotency_key(&b));
}

#[wasm_bindgen_test]
fn backoff_doubles_from_one_second_up_to_a_minute_with_jitter_and_retry_after() {
    let schedule: Vec<u32> = (1..=9).map(|n| backoff_ms(n, 0.5, None)).collect();
    assert_eq!(
        schedule,
        [
            1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000
        ]
    );
    assert_eq!(backoff_ms(u32::MAX, 0.5, None), MAX_DELAY_MS);
    // Jitter spreads each delay by ±20 %, never past the minute.
    assert_eq!(backoff_ms(1, 0.0, None), 800);
    assert_eq!(backoff_ms(1, 1.0, None), 1_200);
    assert_eq!(backoff_ms(7, 0.0, None), 48_000);
    assert_eq!(backoff_ms(7, 1.0, None), 60_000);
    // Retry-After is a floor.
    assert_eq!(backoff_ms(1, 0.5, Some(5)), 5_000);
    assert_eq!(backoff_ms(7, 0.5, Some(5)), 60_000);
    assert_eq!(backoff_ms(1, 0.5, Some(120)), 120_000);
}

#[wasm_bindgen_test]
fn drafts_kept_on_the_device_survive_and_can_be_cleared() {
    let name = outbox::draft_name(990_004, 31);
    drafts::local::save(&name, &vec![1, 2, 3]);
    assert_eq!(drafts::local::load::<Vec<u8>>(&name), Some(vec![1, 2, 3]));
    assert!(
        local_storage()
            .get_item(&format!("pingjia.draft.{name}"))
            .unwrap()
            .is_some()
    );
    drafts::local::clear(&name);
    assert_eq!(drafts::local::load::<Vec<u8>>(&name), None);
}
