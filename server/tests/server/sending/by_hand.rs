//! Sending invitations, continued: a restart in the middle of the send queue, sending by
//! hand with its skip report, the settings' checks and who may touch them, and the webhook
//! channel's invitation.

use axum::http::{Method, StatusCode};
use chrono::Duration;
use pingjia_domain::invitations::InvitationSettings;
use pingjia_server::db::sql;
use pingjia_server::services::{delivery, sending};
use serde_json::{Value, json};

use super::{S, new_customer_record, texts, thursday, tokens};
use crate::common::problem;
use crate::deliveries::{Sink, restart_mid_send, signature_is_valid};

#[tokio::test]
async fn a_restart_in_the_middle_of_the_send_queue_sends_each_invitation_once() {
    let t = S::at(thursday()).await;
    let sink = Sink::start().await;
    t.gateway_on(&sink).await;
    t.invitations_on(|s| s.delay_minutes = 0).await;
    let now = t.app.now();
    for n in 0..12 {
        t.ingest(&new_customer_record(
            &format!("HD-7-{n}"),
            &format!("C2000{n:02}"),
            json!({ "customer_phone": format!("139100000{n:02}") }),
            now - Duration::minutes(1),
        ))
        .await;
    }
    let state = t.app.state.clone();
    assert_eq!(sending::run_due(&state).await.unwrap().invited, 12);
    // A slow gateway: every SMS waits at the receiver.
    *sink.hold.lock().unwrap() = Some(0);
    // The server stops while 8 invitations are being handed over, and starts again.
    let restarted = restart_mid_send(&t.app, state, &sink, 8, now).await;
    *sink.hold.lock().unwrap() = None;
    let (resent, failed) = delivery::recover(&restarted).await.unwrap();
    assert_eq!((resent, failed), (0, 8));
    // The scheduler and the outbox run again, twice: nothing is queued or sent twice.
    for _ in 0..2 {
        assert_eq!(sending::run_due(&restarted).await.unwrap().invited, 0);
        delivery::run_due(&restarted).await.unwrap();
    }
    let received = texts(&sink);
    assert_eq!(received.len(), 12, "{received:?}");
    let mut phones: Vec<&str> = received.iter().map(|(p, _)| p.as_str()).collect();
    phones.sort_unstable();
    phones.dedup();
    assert_eq!(
        phones.len(),
        12,
        "each customer's SMS reached the gateway once"
    );
    let statuses: Vec<(String, i64)> = sql::query_as(
        "SELECT status, COUNT(*) FROM deliveries WHERE purpose = 'invitation' GROUP BY status \
         ORDER BY status",
    )
    .fetch_all(&restarted.pool)
    .await
    .unwrap();
    assert_eq!(statuses, [("failed".into(), 8), ("sent".into(), 4)]);
    let invitations: i64 = sql::query_scalar("SELECT COUNT(*) FROM invitations")
        .fetch_one(&restarted.pool)
        .await
        .unwrap();
    assert_eq!(invitations, 12);
}

#[tokio::test]
async fn a_selection_is_sent_by_hand_with_its_skip_report() {
    let mut t = S::at(thursday()).await;
    let sink = Sink::start().await;
    t.gateway_on(&sink).await;
    // Invitations stay off: sending by hand works either way.
    let ended = t.app.now() - Duration::minutes(5);
    let phone = json!({ "customer_phone": "13900000009" });
    let (_, a) = t
        .ingest(&new_customer_record(
            "HD-8a",
            "C100009",
            phone.clone(),
            ended,
        ))
        .await;
    let (_, b) = t
        .ingest(&new_customer_record("HD-8b", "C100009", phone, ended))
        .await;
    let (_, unreachable) = t
        .ingest(&new_customer_record("HD-8c", "C100010", json!({}), ended))
        .await;
    let (_, old) = t
        .ingest(&new_customer_record(
            "HD-8d",
            "C100011",
            json!({ "customer_phone": "13900000011" }),
            t.app.now() - Duration::days(8),
        ))
        .await;
    assert_eq!(sending::run_due(&t.app.state).await.unwrap().invited, 0);

    let ids = [
        a.record.id,
        b.record.id,
        unreachable.record.id,
        old.record.id,
    ];
    let report = t.send(json!({ "record_ids": ids })).await;
    // Both records of one customer: suppression does not apply by hand.
    assert_eq!((report.selected, report.queued), (4, 2));
    assert_eq!(
        serde_json::to_value(&report.skipped).unwrap(),
        json!([
            { "reason": "window_closed", "count": 1 },
            { "reason": "no_channel", "count": 1 },
        ])
    );
    delivery::run_due(&t.app.state).await.unwrap();
    assert_eq!(texts(&sink).len(), 2);
    // `a`'s link, of the two sent.
    let mut token = String::new();
    for (_, text) in texts(&sink) {
        let candidate = tokens(&text).remove(0);
        if t.record_of(&candidate).await == a.record.id {
            token = candidate;
        }
    }
    assert!(!token.is_empty());

    // Again: already invited; with `resend`, a new message whose link replaces the first.
    let again = t.send(json!({ "record_ids": [a.record.id] })).await;
    assert_eq!(
        serde_json::to_value(&again.skipped).unwrap(),
        json!([{ "reason": "already_invited", "count": 1 }])
    );
    t.app.advance(Duration::seconds(1));
    let resent = t
        .send(json!({ "record_ids": [a.record.id], "resend": true }))
        .await;
    assert_eq!(resent.queued, 1);
    delivery::run_due(&t.app.state).await.unwrap();
    let sent = texts(&sink);
    assert_eq!(sent.len(), 3);
    let replaced = tokens(&sent[2].1).remove(0);
    assert_eq!(t.link_get(&replaced).await, StatusCode::OK);
    assert_eq!(t.link_get(&token).await, StatusCode::GONE);

    // A filter: the records not invited (the unreachable one and the old one).
    let report = t
        .send(json!({ "filter": { "invitation": "not_invited" } }))
        .await;
    assert_eq!((report.selected, report.queued), (2, 0));
    // Too many, both kinds, an unknown record.
    let many: Vec<i64> = (1..=5001).collect();
    for (body, field) in [
        (json!({ "record_ids": many }), "record_ids"),
        (
            json!({ "record_ids": [a.record.id], "filter": {} }),
            "record_ids",
        ),
        (
            json!({ "record_ids": [a.record.id, 987_654] }),
            "record_ids",
        ),
    ] {
        let response = t
            .post(t.people.admin, "/api/v1/invitations/send", body)
            .await;
        assert_eq!(problem(response, 422).await.errors[0].field, field);
    }
    // Audited with counts, never a link.
    let details: Vec<String> = sql::query_scalar(
        "SELECT details FROM audit_log WHERE action = 'invitations.sent' ORDER BY id",
    )
    .fetch_all(&t.app.state.pool)
    .await
    .unwrap();
    assert_eq!(details.len(), 4);
    assert!(details[0].contains("\"queued\":2"), "{}", details[0]);
    assert!(details.iter().all(|d| tokens(d).is_empty()));
}

#[tokio::test]
async fn the_settings_are_checked_field_by_field_and_admins_only_may_touch_them() {
    let t = S::at(thursday()).await;
    let defaults = t.settings().await;
    assert!(!defaults.enabled);
    assert_eq!(defaults.templates.len(), 8);
    // The default templates pass their own checks.
    let saved: InvitationSettings = t
        .ok(
            t.people.admin,
            Method::PUT,
            "/api/v1/settings/invitations",
            Some(serde_json::to_value(&defaults).unwrap()),
        )
        .await;
    assert_eq!(saved, defaults);

    let refused = |change: fn(&mut Value)| {
        let mut body = serde_json::to_value(&defaults).unwrap();
        change(&mut body);
        body
    };
    let cases: Vec<(Value, &str, &str)> = vec![
        (
            refused(|b| b["templates"][0]["body"] = json!("{{link}} {{opt_out}} {{coupon}}")),
            "templates[0].body",
            "unknown_placeholders",
        ),
        (
            refused(|b| b["templates"][1]["body"] = json!("请评价 {{link}}")),
            "templates[1].body",
            "missing_placeholder",
        ),
        (
            refused(|b| {
                b["templates"][0]["body"] =
                    json!(format!("{}{{{{link}}}}{{{{opt_out}}}}", "请".repeat(80)))
            }),
            "templates[0].body",
            "too_many_segments",
        ),
        (
            refused(|b| b["templates"][4]["subject"] = Value::Null),
            "templates[4].subject",
            "required",
        ),
        (
            refused(|b| b["templates"][4]["subject"] = json!("评价\r\nBcc: all@example.com")),
            "templates[4].subject",
            "control_character",
        ),
        (
            refused(|b| b["channel_order"] = json!(["sms", "email", "sms"])),
            "channel_order",
            "duplicate",
        ),
        (
            refused(|b| {
                b["templates"].as_array_mut().unwrap().pop();
            }),
            "templates",
            "incomplete",
        ),
    ];
    for (body, field, code) in cases {
        let response = t
            .put(t.people.admin, "/api/v1/settings/invitations", body)
            .await;
        let p = problem(response, 422).await;
        assert!(
            p.errors.iter().any(|e| e.field == field && e.code == code),
            "{field} {code}: {:?}",
            p.errors
        );
    }
    assert_eq!(t.settings().await, defaults, "nothing refused was saved");
    let audited: i64 = sql::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'invitation_settings.changed'",
    )
    .fetch_one(&t.app.state.pool)
    .await
    .unwrap();
    assert_eq!(audited, 1);

    let body = serde_json::to_value(&defaults).unwrap();
    for user in [t.people.agent, t.people.lead, t.people.qa, t.people.member] {
        for (method, uri, body) in [
            (Method::GET, "/api/v1/settings/invitations", None),
            (
                Method::PUT,
                "/api/v1/settings/invitations",
                Some(body.clone()),
            ),
            (
                Method::POST,
                "/api/v1/invitations/send",
                Some(json!({ "record_ids": [1] })),
            ),
        ] {
            let response = t.call(user, method.clone(), uri, body).await;
            assert_eq!(response.status(), StatusCode::FORBIDDEN, "{method} {uri}");
        }
    }
}

#[tokio::test]
async fn a_customer_without_a_phone_or_an_address_is_invited_through_the_signed_webhook() {
    let mut t = S::at(thursday()).await;
    let sink = Sink::start().await;
    t.gateway_on(&sink).await;
    let secret = t.webhook_on(&sink).await;
    t.invitations_on(|s| s.delay_minutes = 0).await;
    let (_, answer) = t
        .ingest(&new_customer_record(
            "HD-9",
            "C100012",
            json!({}),
            t.app.now() - Duration::minutes(1),
        ))
        .await;
    t.app.advance(Duration::seconds(1));
    assert_eq!(t.run().await.invited, 1);
    let hooks: Vec<_> = sink
        .received()
        .into_iter()
        .filter(|r| r.path == "/hook")
        .collect();
    assert_eq!(hooks.len(), 1);
    assert!(signature_is_valid(&secret, &hooks[0]));
    let body: Value = serde_json::from_str(&hooks[0].body).unwrap();
    assert_eq!(body["type"], "invitation.created");
    let data = &body["data"];
    assert_eq!(data["service_record_id"], answer.record.id);
    assert_eq!(data["external_id"], "HD-9");
    let link = data["link"].as_str().unwrap();
    let token = tokens(link).remove(0);
    assert_eq!(data["opt_out"], format!("{link}/opt-out"));
    assert!(data["text"].as_str().unwrap().contains(link));
    assert_eq!(t.record_of(&token).await, answer.record.id);
}
