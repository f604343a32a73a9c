//! The rating form in a real browser: the record's base information, the submit button held
//! back while required answers are missing with the missing ones named beside it, and the
//! answers kept on the device and restored.
use std::collections::BTreeMap;

use crate::common::*;
use chrono::{Duration, TimeZone, Utc};
use leptos::prelude::*;
use pingjia::drafts;
use pingjia::outbox;
use pingjia::pages::customer::rate::{RatingDraft, RatingFormView};
use pingjia_domain::evaluations::{FormDimension, RatingForm, RatingState, RecordInfo};
use pingjia_domain::wire::{Channel, CustomerType};
use wasm_bindgen_test::*;

fn dimension(code: &str, zh: &str, en: &str, optional: bool) -> FormDimension {
    FormDimension {
        code: code.into(),
        name_zh: zh.into(),
        name_en: en.into(),
        description_zh: format!("{zh}的说明"),
        description_en: format!("About {en}"),
        optional,
    }
}

fn form(record_id: i64) -> RatingForm {
    let ended = Utc.with_ymd_and_hms(2026, 11, 20, 10, 0, 0).unwrap();
    RatingForm {
        record: RecordInfo {
            id: record_id,
            customer_no: "C000123".into(),
            customer_type: Some(CustomerType::Member),
            agent_no: "E1001".into(),
            agent_name: "王小明".into(),
            service_type: "online".into(),
            service_type_name_zh: "在线客服咨询".into(),
            service_type_name_en: "Online support".into(),
            channel: Channel::Online,
            started_at: ended - Duration::minutes(30),
            ended_at: ended,
            order_no: Some("SO-778899".into()),
        },
        dimensions: vec![
            dimension("attitude", "服务态度", "Attitude", false),
            dimension("speed", "响应速度", "Responsiveness", false),
            dimension("extra", "附加价值", "Added value", true),
        ],
        state: RatingState::Awaiting,
        rate_until: ended + Duration::days(7),
        evaluation: None,
        now: ended + Duration::days(3) + Duration::hours(20),
    }
}

fn mount_form(user_id: i64, record_id: i64) -> (web_sys::HtmlElement, impl Sized) {
    mount(move || view! { <RatingFormView form=form(record_id) user_id /> })
}

fn status(root: &web_sys::Element) -> String {
    text(root, "#rating-submit-status")
}

fn submit_blocked(root: &web_sys::Element) -> bool {
    find(root, "button[type=submit]")
        .and_then(|b| b.get_attribute("aria-disabled"))
        .as_deref()
        == Some("true")
}

#[wasm_bindgen_test]
async fn the_missing_answers_are_named_until_all_required_ones_are_given() {
    let (user, record) = (990_101, 41);
    drafts::local::clear(&outbox::draft_name(user, record));
    let (root, _mounted) = mount_form(user, record);
    next_frame().await;

    // The base information, read-only.
    let facts = text(&root, ".record-facts");
    for fact in [
        "在线客服咨询",
        "C000123 · 会员",
        "王小明 · E1001",
        "线上",
        "SO-778899",
    ] {
        assert!(facts.contains(fact), "{fact} in {facts}");
    }
    assert_eq!(
        text(&root, ".rating-record .record-deadline"),
        "还剩 3 天 4 小时"
    );
    assert_eq!(
        root.query_selector_all("fieldset.star-rating")
            .unwrap()
            .length(),
        3
    );
    assert_eq!(
        root.query_selector_all("input[name=overall]")
            .unwrap()
            .length(),
        10
    );

    assert_eq!(status(&root), "还需评分：服务态度、响应速度、总体满意度");
    assert!(submit_blocked(&root));
    assert_eq!(
        find(&root, "button[type=submit]")
            .and_then(|b| b.get_attribute("aria-describedby"))
            .as_deref(),
        Some("rating-submit-status")
    );

    click(&root, "label[for='score-attitude-5']");
    wait_until("attitude is no longer missing", || {
        status(&root) == "还需评分：响应速度、总体满意度"
    })
    .await;
    assert!(submit_blocked(&root));

    click(&root, "label[for='overall-8']");
    wait_until("only responsiveness is missing", || {
        status(&root) == "还需评分：响应速度"
    })
    .await;
    assert_eq!(text(&root, "#overall-value"), "已选：8 分");

    click(&root, "label[for='score-speed-4']");
    wait_until("nothing required is missing", || {
        status(&root) == "已完成所有必答项，可以提交。"
    })
    .await;
    assert!(
        !submit_blocked(&root),
        "the optional dimension may stay empty"
    );

    // Every answer is on the device already.
    let kept: RatingDraft = drafts::local::load(&outbox::draft_name(user, record)).unwrap();
    assert_eq!(
        kept.scores,
        BTreeMap::from([("attitude".to_owned(), 5), ("speed".to_owned(), 4)])
    );
    assert_eq!(kept.overall, Some(8));
    drafts::local::clear(&outbox::draft_name(user, record));
}

#[wasm_bindgen_test]
async fn a_kept_draft_is_restored_with_its_opening_time() {
    let (user, record) = (990_102, 42);
    let opened = Utc::now() - Duration::minutes(5);
    let draft = RatingDraft {
        scores: BTreeMap::from([("speed".to_owned(), 2)]),
        overall: Some(3),
        suggestion: "排队太久".to_owned(),
        opened_at: opened,
    };
    drafts::local::save(&outbox::draft_name(user, record), &draft);
    let (root, _mounted) = mount_form(user, record);
    next_frame().await;

    let checked = |selector: &str| {
        find(&root, selector)
            .map(|e| wasm_bindgen::JsCast::unchecked_into::<web_sys::HtmlInputElement>(e).checked())
            .unwrap_or(false)
    };
    assert!(checked("#score-speed-2"));
    assert!(checked("#overall-3"));
    assert_eq!(status(&root), "还需评分：服务态度");
    assert_eq!(text(&root, "#suggestion-count"), "4/500");
    let textarea: web_sys::HtmlTextAreaElement =
        wasm_bindgen::JsCast::unchecked_into(find(&root, "#suggestion").unwrap());
    assert_eq!(textarea.value(), "排队太久");

    let kept: RatingDraft = drafts::local::load(&outbox::draft_name(user, record)).unwrap();
    assert_eq!(kept.opened_at, opened, "the first opening is what counts");
    drafts::local::clear(&outbox::draft_name(user, record));
}
