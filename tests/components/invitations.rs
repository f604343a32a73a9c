//! Sending rating invitations in a real browser: the settings page's template preview follows
//! the text as it is typed (rendered with the sample values, its length and SMS count, a
//! warning above the limit, unknown placeholders named), a placeholder button inserts at the
//! cursor, the server's field errors land beside the template they name; the records list
//! sends and resends (asked first) and reports in words; the delivery log shows where an
//! invitation stands; the opt-out page changes nothing until its button is pressed.
use crate::common::*;
use chrono::{TimeZone, Utc};
use leptos::prelude::*;
use leptos_router::components::{Route, Routes};
use leptos_router::path;
use pingjia::pages::admin_config::records::AdminRecords;
use pingjia::pages::admin_deliveries::AdminDeliveries;
use pingjia::pages::admin_invitations::InvitationSettingsForm;
use pingjia::pages::customer::opt_out::OptOutPage;
use pingjia_domain::invitations::{
    InvitationChannel, InvitationSettings, InvitationState, MessageKind, MessageLanguage,
    MessageTemplate, MessageValues, render, sms_segments,
};
use pingjia_domain::records::{RecordPage, ServiceRecord};
use pingjia_domain::wire::{Category, Channel, Urgency};
use serde_json::{Value, json};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

const SMS_ZH: &str =
    "{{customer_name}}您好，请评价{{agent_name}}的服务：{{link}} 退订：{{opt_out}}";

/// The eight templates: SMS then e-mail, invitation then reminder, Chinese then English.
fn settings() -> InvitationSettings {
    let mut templates = Vec::new();
    for channel in [InvitationChannel::Sms, InvitationChannel::Email] {
        for kind in MessageKind::ALL {
            for language in MessageLanguage::ALL {
                let email = channel == InvitationChannel::Email;
                templates.push(MessageTemplate {
                    channel,
                    language,
                    kind,
                    subject: email.then(|| "请评价 {{agent_name}}".to_owned()),
                    body: SMS_ZH.to_owned(),
                });
            }
        }
    }
    InvitationSettings {
        enabled: true,
        delay_minutes: 30,
        reminder_hours: 24,
        suppression_days: 7,
        channel_order: vec![InvitationChannel::Sms, InvitationChannel::Email],
        language: MessageLanguage::Zh,
        templates,
    }
}

fn body_area(root: &web_sys::Element) -> web_sys::HtmlTextAreaElement {
    find(root, "#template-body")
        .expect("the template's text")
        .unchecked_into()
}

#[wasm_bindgen_test]
async fn the_preview_follows_the_text_with_its_length_and_sms_count() {
    answer(json!([]));
    let (root, _mounted) = mount(|| view! { <InvitationSettingsForm initial=settings() /> });
    next_frame().await;

    let sample = MessageValues::sample(MessageLanguage::Zh);
    let rendered = render(SMS_ZH, &sample);
    assert!(rendered.starts_with("王女士您好，请评价李明的服务：https://"));
    assert_eq!(text(&root, "[data-testid=preview-body]"), rendered);
    assert_eq!(
        text(&root, "[data-testid=preview-count]"),
        format!(
            "{} 个字符，{} 条短信",
            rendered.chars().count(),
            sms_segments(&rendered)
        )
    );
    assert!(find(&root, ".unknown-placeholders").is_none());

    type_text(&root, "#template-body", "Hello {{agent_name}} {{nope}}");
    wait_until("the preview shows the new text", || {
        text(&root, "[data-testid=preview-body]") == "Hello 李明 {{nope}}"
    })
    .await;
    assert_eq!(
        text(&root, "[data-testid=preview-count]"),
        "17 个字符，1 条短信"
    );
    assert_eq!(
        text(&root, ".unknown-placeholders"),
        "未知的占位符： {{nope}}"
    );
    assert!(find(&root, "[data-testid=preview-too-long]").is_none());

    // 210 Chinese characters: 4 SMS of 67, more than the 3 allowed.
    type_text(&root, "#template-body", &"评".repeat(210));
    wait_until("the count warns above the limit", || {
        text(&root, "[data-testid=preview-too-long]")
            == "此文本需要 4 条短信，超过上限 3 条，请缩短。"
    })
    .await;
    assert_eq!(
        text(&root, "[data-testid=preview-count]"),
        "210 个字符，4 条短信"
    );
}

#[wasm_bindgen_test]
async fn a_placeholder_button_inserts_at_the_cursor() {
    answer(json!([]));
    let (root, _mounted) = mount(|| view! { <InvitationSettingsForm initial=settings() /> });
    next_frame().await;

    type_text(&root, "#template-body", "您好，请评价");
    let area = body_area(&root);
    area.dispatch_event(&web_sys::Event::new("focus").unwrap())
        .unwrap();
    area.set_selection_range(2, 2).unwrap();
    click(&root, "button[aria-label='插入客户姓名']");
    wait_until("the placeholder is in the text at the cursor", || {
        body_area(&root).value() == "您好{{customer_name}}，请评价"
    })
    .await;
    wait_until("the preview follows", || {
        text(&root, "[data-testid=preview-body]") == "您好王女士，请评价"
    })
    .await;

    // In another template, not yet focused: the placeholder is appended.
    click_button(&root, "短信 · 提醒");
    wait_until("the reminder is shown", || {
        body_area(&root).value() == SMS_ZH
    })
    .await;
    click(&root, "button[aria-label='插入评价截止时间']");
    wait_until("the placeholder is appended", || {
        body_area(&root).value() == format!("{SMS_ZH}{{{{window}}}}")
    })
    .await;
}

#[wasm_bindgen_test]
async fn the_servers_errors_are_shown_beside_the_template_they_name() {
    answer(json!([route(
        "PUT",
        "/settings/invitations",
        422,
        json!({
            "title": "Unprocessable Content",
            "status": 422,
            "errors": [
                { "field": "templates[5].body", "code": "missing_placeholder", "message": "use {{opt_out}}" },
                { "field": "delay_minutes", "code": "out_of_range", "message": "at most 10080" }
            ]
        }),
    )]));
    let (root, _mounted) = mount(|| view! { <InvitationSettingsForm initial=settings() /> });
    next_frame().await;
    assert!(
        find(&root, "#template-subject").is_none(),
        "an SMS has no subject"
    );

    click_button(&root, "保存设置");
    wait_until("the template's error is shown beside its text", || {
        text(&root, "#template-body-error") == "消息必须包含评价链接和退订链接。"
    })
    .await;
    // Template 5 is the English e-mail invitation: it is the one shown now, and marked.
    assert!(find(&root, "#template-subject").is_some());
    let pressed = texts(&root, ".template-tab[aria-pressed='true']");
    assert_eq!(pressed, ["电子邮件 · 邀请需修改", "英文需修改"]);
    assert_eq!(
        body_area(&root).get_attribute("aria-invalid").as_deref(),
        Some("true")
    );
    assert!(find(&root, "#delay_minutes-error").is_some());

    let sent = calls_to("/settings/invitations");
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0]["method"], "PUT");
    let body: Value = serde_json::from_str(sent[0]["body"].as_str().unwrap()).unwrap();
    assert_eq!(body["delay_minutes"], 30);
    assert_eq!(body["channel_order"], json!(["sms", "email"]));
    assert_eq!(body["templates"].as_array().unwrap().len(), 8);
    assert_eq!(body["templates"][0]["subject"], Value::Null);
    assert_eq!(body["templates"][5]["channel"], "email");
    assert_eq!(body["templates"][5]["language"], "en");
}

fn record(id: i64, state: InvitationState) -> ServiceRecord {
    let at = Utc.with_ymd_and_hms(2026, 11, 20, 2, 0, 0).unwrap();
    ServiceRecord {
        id,
        external_id: format!("SR-{id}"),
        customer_id: 9,
        customer_no: "C0009".into(),
        customer_type: None,
        customer_phone: None,
        agent_id: 5,
        agent_no: "E1001".into(),
        agent_name: "王小明".into(),
        team_id: None,
        team_name: None,
        team_name_en: None,
        service_type: "online_chat".into(),
        service_type_name_zh: "在线客服咨询".into(),
        service_type_name_en: "Online support".into(),
        channel: Channel::Online,
        started_at: at,
        ended_at: at,
        order_no: None,
        urgency: Urgency::Normal,
        category: Category::Consultation,
        tags: Vec::new(),
        requested_at: at,
        first_response_at: None,
        resolved_at: None,
        resolved_first_contact: false,
        rated: false,
        created_at: at,
        do_not_invite: false,
        invitation_state: state,
    }
}

#[wasm_bindgen_test]
async fn a_record_is_sent_its_invitation_or_resent_after_asking() {
    let page = RecordPage {
        records: vec![
            record(1, InvitationState::NotInvited),
            record(2, InvitationState::Opened),
            record(3, InvitationState::Rated),
        ],
        total: 3,
        page: 1,
        per_page: 50,
    };
    answer(json!([
        route(
            "GET",
            "/service-records",
            200,
            serde_json::to_value(&page).unwrap()
        ),
        route(
            "POST",
            "/invitations/send",
            200,
            json!({ "selected": 1, "queued": 0, "skipped": [{ "reason": "already_invited", "count": 1 }] })
        ),
    ]));
    let (root, _mounted) = mount(|| view! { <AdminRecords /> });
    wait_until("the records are listed", || {
        texts(&root, ".data-table tbody tr").len() == 3
    })
    .await;
    let states = texts(&root, ".data-table tbody .badge");
    assert!(states.contains(&"已打开".to_owned()), "{states:?}");
    assert!(find(&root, "button[aria-label='发送邀请：SR-3']").is_none());
    assert!(find(&root, "button[aria-label='重新发送：SR-3 的评价邀请']").is_none());

    click(&root, "button[aria-label='发送邀请：SR-1']");
    wait_until("the report is shown in words", || {
        text(&root, "[data-testid=send-report]").starts_with("已选 1 条，0 条邀请已加入发送队列。")
    })
    .await;
    assert!(text(&root, "[data-testid=send-report]").contains("已邀请：1 条"));
    let sent = calls_to("/invitations/send");
    let body: Value = serde_json::from_str(sent[0]["body"].as_str().unwrap()).unwrap();
    assert_eq!(
        body,
        json!({ "record_ids": [1], "filter": null, "resend": false })
    );
    wait_until("the list is loaded again", || {
        calls_to("/service-records").len() == 2
    })
    .await;

    click(&root, "button[aria-label='重新发送：SR-2 的评价邀请']");
    wait_until("the resend is asked first", || {
        text(&root, "dialog h2") == "重新发送 SR-2 的评价邀请？"
    })
    .await;
    assert_eq!(
        calls_to("/invitations/send").len(),
        1,
        "nothing sent before the answer"
    );
    click(&root, "dialog .button-danger");
    wait_until("the resend is sent", || {
        calls_to("/invitations/send").len() == 2
    })
    .await;
    let body: Value =
        serde_json::from_str(calls_to("/invitations/send")[1]["body"].as_str().unwrap()).unwrap();
    assert_eq!(
        body,
        json!({ "record_ids": [2], "filter": null, "resend": true })
    );

    // The records matching the filters, at once.
    assert_eq!(
        text(&root, ".send-selection .button"),
        "向符合筛选条件的 3 条记录发送邀请"
    );
}

#[wasm_bindgen_test]
async fn the_opt_out_changes_nothing_until_its_button_is_pressed() {
    let token = "AbC-_0123456789abcdefghijklmnopqrstuvwxyzAB";
    answer(json!([route(
        "POST",
        "/opt-out",
        200,
        json!({ "opted_out_at": "2026-11-20T02:00:00Z" })
    )]));
    web_sys::window()
        .unwrap()
        .history()
        .unwrap()
        .push_state_with_url(&JsValue::NULL, "", Some(&format!("/r/{token}/opt-out")))
        .unwrap();
    let (root, _mounted) = mount(|| {
        view! {
            <Routes fallback=|| "not found">
                <Route path=path!("/r/:token/opt-out") view=OptOutPage />
            </Routes>
        }
    });
    wait_until("the question is shown", || {
        text(&root, "h1") == "不再接收评价邀请？"
    })
    .await;
    next_frame().await;
    assert!(
        calls_to("/opt-out").is_empty(),
        "opening the page sends nothing"
    );

    click_button(&root, "不再接收邀请");
    wait_until("the opt-out is confirmed with its date", || {
        text(&root, "[data-testid=opted-out]").starts_with("已退订：自 2026-11-20")
    })
    .await;
    let sent = calls_to("/opt-out");
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0]["method"], "POST");
    assert!(
        sent[0]["path"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/rating-links/{token}/opt-out"))
    );
    assert!(
        find(&root, "button.button").is_none(),
        "the question is gone"
    );
}

#[wasm_bindgen_test]
async fn the_delivery_log_says_where_an_invitation_stands_beside_its_status() {
    let at = "2026-11-20T02:00:00Z";
    let entry = |id: i64, purpose: &str, invitation: Value| {
        json!({
            "id": id, "message_id": format!("m{id}"), "channel": "sms", "purpose": purpose,
            "subject": null, "recipient": "138****0001", "summary": "请评价", "status": "sent",
            "attempts": 1, "next_attempt_at": null, "last_error": null, "created_at": at,
            "sent_at": at, "invitation_state": invitation
        })
    };
    answer(json!([route(
        "GET",
        "/deliveries",
        200,
        json!({
            "items": [entry(1, "invitation", json!("opened")), entry(2, "test", Value::Null)],
            "total": 2, "page": 1, "per_page": 50
        })
    )]));
    let (root, _mounted) = mount(|| view! { <AdminDeliveries /> });
    wait_until("the log is listed", || {
        texts(&root, ".data-table tbody tr").len() == 2
    })
    .await;
    assert_eq!(
        texts(&root, "[data-testid=invitation-state]"),
        ["邀请：已打开"],
        "only the invitation's message says it"
    );
}
