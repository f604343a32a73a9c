//! Appeals in a real browser: the reason's rule and its words, the time left to appeal, and
//! the appeal form's messages beside their fields before anything is sent.
use crate::common::*;
use chrono::{Duration, TimeZone, Utc};
use leptos::prelude::*;
use pingjia::i18n::Locale;
use pingjia::pages::customer::appeals::{
    AppealForm, AppealStatusPanel, appeal_time_left, reason_error, reason_message,
};
use pingjia_domain::evaluations::{CustomerStatus, DimensionScore, Evaluation, RecordInfo};
use pingjia_domain::wire::Channel;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

fn code(reason: &str) -> Option<String> {
    reason_error(reason).map(|e| e.code)
}

#[wasm_bindgen_test]
fn a_reason_is_required_and_has_10_to_1000_characters_once_trimmed() {
    assert_eq!(code("").as_deref(), Some("required"));
    assert_eq!(code("   ").as_deref(), Some("required"));
    assert_eq!(code("选错了星星").as_deref(), Some("too_short"));
    // Nine characters between blanks are still too short; ten will do.
    assert_eq!(code("  一二三四五六七八九  ").as_deref(), Some("too_short"));
    assert_eq!(code("一二三四五六七八九十"), None);
    assert_eq!(code(&"好".repeat(1000)), None);
    assert_eq!(code(&"好".repeat(1001)).as_deref(), Some("too_long"));
}

#[wasm_bindgen_test]
fn the_reasons_problems_read_in_both_languages() {
    assert_eq!(
        reason_message(Locale::zh_CN, "required"),
        "请填写申诉理由。"
    );
    assert_eq!(
        reason_message(Locale::zh_CN, "too_short"),
        "申诉理由至少需要 10 个字。"
    );
    assert_eq!(
        reason_message(Locale::en, "too_short"),
        "The reason needs at least 10 characters."
    );
    assert_eq!(
        reason_message(Locale::en, "too_long"),
        "The reason may have at most 1000 characters."
    );
}

#[wasm_bindgen_test]
fn the_time_left_to_appeal_reads_in_both_languages_and_ends_with_the_window() {
    let now = Utc.with_ymd_and_hms(2026, 11, 22, 8, 0, 0).unwrap();
    let until = now + Duration::hours(5) + Duration::minutes(12) + Duration::seconds(30);
    assert_eq!(
        appeal_time_left(Locale::zh_CN, now, until).as_deref(),
        Some("申诉剩余 5 小时 12 分钟")
    );
    assert_eq!(
        appeal_time_left(Locale::en, now, until).as_deref(),
        Some("5 hours 12 minutes left to appeal")
    );
    assert_eq!(
        appeal_time_left(Locale::zh_CN, now, now + Duration::seconds(40)).as_deref(),
        Some("申诉剩余 1 分钟")
    );
    assert_eq!(appeal_time_left(Locale::zh_CN, now, now), None);
    assert_eq!(
        appeal_time_left(Locale::en, now, now - Duration::minutes(1)),
        None
    );
}

fn score(code: &str, zh: &str, score: u8) -> DimensionScore {
    DimensionScore {
        code: code.into(),
        name_zh: zh.into(),
        name_en: code.into(),
        optional: false,
        score: Some(score),
    }
}

fn evaluation() -> Evaluation {
    let submitted = Utc::now() - Duration::hours(2);
    Evaluation {
        number: "PJ20261122-000042".into(),
        status: CustomerStatus::Recorded,
        submitted_at: submitted,
        record: RecordInfo {
            id: 42,
            customer_no: "C000123".into(),
            customer_type: None,
            agent_no: "E1001".into(),
            agent_name: "王小明".into(),
            service_type: "online".into(),
            service_type_name_zh: "在线客服咨询".into(),
            service_type_name_en: "Online support".into(),
            channel: Channel::Online,
            started_at: submitted - Duration::hours(1),
            ended_at: submitted - Duration::minutes(30),
            order_no: None,
        },
        scores: vec![
            score("attitude", "服务态度", 2),
            score("speed", "响应速度", 3),
        ],
        total_score: 2.5,
        overall: 4,
        suggestion: None,
        version: 1,
        history: Vec::new(),
        appeal_until: Some(submitted + Duration::hours(24)),
        can_appeal: true,
    }
}

fn set_reason(root: &web_sys::Element, value: &str) {
    type_text(root, "#appeal-reason", value);
}

#[wasm_bindgen_test]
async fn the_form_says_what_is_wrong_beside_each_field_before_sending() {
    let (root, _mounted) = mount(|| view! { <AppealForm evaluation=evaluation() /> });
    next_frame().await;
    assert_eq!(text(&root, "#appeal-reason-count"), "0/1000");
    // The change is hidden until wanted, and prefilled with the current scores.
    assert!(find(&root, ".appeal-change[hidden]").is_some());
    let checked = |id: &str| {
        find(&root, &format!("#{id}"))
            .unwrap()
            .unchecked_into::<web_sys::HtmlInputElement>()
            .checked()
    };
    assert!(checked("change-attitude-2") && checked("change-speed-3") && checked("overall-4"));

    click_button(&root, "提交申诉");
    wait_until("the reason is asked for", || {
        text(&root, "#appeal-reason-error") == "请填写申诉理由。"
    })
    .await;
    let area = find(&root, "#appeal-reason").unwrap();
    assert_eq!(area.get_attribute("aria-invalid").as_deref(), Some("true"));
    wait_until("the focus is on the reason", || {
        document().active_element().map(|e| e.id()).as_deref() == Some("appeal-reason")
    })
    .await;

    // The message follows the text as it is written.
    set_reason(&root, "选错了");
    wait_until("too short", || {
        text(&root, "#appeal-reason-error") == "申诉理由至少需要 10 个字。"
    })
    .await;
    assert_eq!(text(&root, "#appeal-reason-count"), "3/1000");
    set_reason(&root, "我把服务态度的星数选错了，想改成五星。");
    wait_until("the message is gone", || {
        find(&root, "#appeal-reason-error").is_none()
    })
    .await;

    // Wanting a change that changes nothing is named beside the change.
    click(&root, "#appeal-want-change");
    wait_until("the change shows", || {
        find(&root, ".appeal-change[hidden]").is_none()
    })
    .await;
    click_button(&root, "提交申诉");
    wait_until("an unchanged request is refused", || {
        text(&root, "#appeal-change-error").starts_with("申请的评分与当前评分相同")
    })
    .await;
}

#[wasm_bindgen_test]
async fn the_appeal_action_shows_the_time_left_and_is_gone_once_the_window_has_closed() {
    let panel = |evaluation: Evaluation| {
        mount(move || view! { <AppealStatusPanel evaluation=evaluation.clone() /> })
    };
    let (open, _open) = panel(evaluation());
    next_frame().await;
    assert!(text(&open, ".record-deadline").starts_with("申诉剩余 21 小时"));
    assert!(find(&open, "a.button").is_some());

    // Loaded while it could be appealed, shown after the window: the clock decides.
    let mut late = evaluation();
    late.appeal_until = Some(Utc::now() - Duration::seconds(1));
    let (closed, _closed) = panel(late);
    next_frame().await;
    assert!(find(&closed, ".record-deadline").is_none());
    assert!(find(&closed, "a.button").is_none());
    assert_eq!(
        text(&closed, ".muted"),
        "申诉期限已过，这条评价不能再申诉。"
    );
}
