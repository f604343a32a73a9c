//! The agent's feedback, improvement plans and callbacks in a real browser: the agent's
//! figures beside the team's; the "not reasonable" verdict needs a reason and shows the
//! server's word on it; the plan form keeps what was typed through a network failure and
//! retries with the same idempotency key; a call is recorded with its outcome; a suggestion's markup is
//! shown as text; a live alert shows as a dismissable toast. Requests go to a stand-in for
//! `fetch` that answers as the server would and records what was sent.
use crate::common::*;
use chrono::{Duration, TimeZone, Utc};
use leptos::prelude::*;
use pingjia::components::feedback_alerts::{FeedbackAlerts, FeedbackToasts};
use pingjia::pages::feedback::agent_home::SummaryView;
use pingjia::pages::feedback::callbacks::CallbackDialog;
use pingjia::pages::feedback::list::{FeedbackCard, UnreasonableDialog};
use pingjia::pages::feedback::plan::PlanForm;
use pingjia_domain::analytics::{AnalyticsScore, DimensionName, Granularity, Period};
use pingjia_domain::feedback::{
    AgentSummary, CallResult, CallbackAttempt, CallbackOutcome, CallbackTask, FeedbackAlert,
    FeedbackItem, Figures, ImprovementPlan, PlanStatus, PlanWindow,
};
use pingjia_domain::wire::{Channel, CustomerType};
use serde_json::{Value, json};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

fn textarea_value(root: &web_sys::Element, selector: &str) -> String {
    find(root, selector)
        .unwrap_or_else(|| panic!("no {selector}"))
        .unchecked_into::<web_sys::HtmlTextAreaElement>()
        .value()
}

fn figures(total: f64, overall: f64, rate: f64, dimensions: Vec<Option<f64>>) -> Figures {
    Figures {
        count: 12,
        average_total: Some(total),
        average_overall: Some(overall),
        attainment_rate: Some(rate),
        dimensions,
    }
}

fn summary() -> AgentSummary {
    let mut team = figures(4.0, 7.5, 0.6, vec![Some(3.9), Some(4.1)]);
    team.count = 80;
    AgentSummary {
        period: Period {
            from: day("2026-10-24"),
            to: day("2026-11-22"),
        },
        granularity: Granularity::Day,
        agent_no: "E1001".into(),
        name: "张伟".into(),
        team_name: Some("一组".into()),
        team_name_en: None,
        dimensions: vec![
            DimensionName {
                code: "attitude".into(),
                name_zh: "服务态度".into(),
                name_en: "Attitude".into(),
            },
            DimensionName {
                code: "resolution".into(),
                name_zh: "问题解决".into(),
                name_en: "Resolution".into(),
            },
        ],
        mine: figures(4.456, 8.25, 0.75, vec![Some(4.6), None]),
        team: Some(team),
        buckets: vec![Period {
            from: day("2026-11-22"),
            to: day("2026-11-22"),
        }],
        trend: vec![Some(4.5)],
        trend_counts: vec![2],
        team_trend: vec![Some(4.0)],
        distribution: vec![0, 0, 0, 0, 0, 1, 0, 3, 5, 3],
        unread: 3,
        open_plans: 1,
        overdue_plans: 1,
    }
}

#[wasm_bindgen_test]
async fn the_summary_shows_the_agents_figures_beside_the_teams() {
    answer(json!([]));
    let (root, _mounted) = mount(|| view! { <SummaryView summary=summary() /> });
    next_frame().await;
    let cells = |row: &str| -> Vec<String> {
        let row = find(&root, &format!("[data-testid={row}]")).unwrap_or_else(|| panic!("{row}"));
        texts(&row, "th, td")
    };
    assert_eq!(cells("figure-count"), ["评价数", "12", "80"]);
    assert_eq!(cells("figure-total"), ["平均总分（1–5）", "4.46", "4.00"]);
    assert_eq!(cells("figure-overall")[1..], ["8.25", "7.50"]);
    assert_eq!(cells("figure-attainment")[1..], ["75.0%", "60.0%"]);
    assert_eq!(
        cells("figure-dimension-attitude"),
        ["服务态度", "4.60", "3.90"]
    );
    // A dimension nobody rated for the agent says so rather than 0.
    assert_eq!(cells("figure-dimension-resolution")[1..], ["—", "4.10"]);
    let head = text(&root, "[data-testid=agent-figures] thead");
    assert!(
        head.contains("我的") && head.contains("一组 平均"),
        "{head}"
    );
    // What awaits the agent, each a way to it.
    let glance = text(&root, "[data-testid=agent-glance]");
    assert!(glance.contains("3 条未读评价"), "{glance}");
    assert_eq!(
        find(&root, "[data-testid=agent-glance] a")
            .unwrap()
            .get_attribute("href")
            .as_deref(),
        Some("/agent/feedback?unread=true")
    );
    // Three charts, each named for assistive technology.
    let charts = root.query_selector_all(".echart-canvas[role=img]").unwrap();
    assert_eq!(charts.length(), 3);
    assert_eq!(
        find(&root, ".echart-canvas")
            .unwrap()
            .get_attribute("aria-label")
            .as_deref(),
        Some("平均总分趋势")
    );
}

const NUMBER: &str = "PJ20261122-000123";

#[wasm_bindgen_test]
async fn the_unreasonable_dialog_requires_a_reason_and_shows_the_servers_field_error() {
    answer(json!([route(
        "POST",
        &format!("/me/feedback/{NUMBER}/assessment"),
        422,
        json!({
            "title": "Unprocessable Content",
            "status": 422,
            "errors": [{
                "field": "reason",
                "code": "abusive",
                "message": "The reason contains words that are not allowed."
            }]
        }),
    )]));
    let done = RwSignal::new(false);
    let (root, _mounted) = mount(move || {
        view! {
            <UnreasonableDialog
                number=NUMBER.to_owned()
                on_close=Callback::new(|()| ())
                done=Callback::new(move |_| done.set(true))
            />
        }
    });
    next_frame().await;
    assert!(find(&root, "dialog[open]").is_some(), "the dialog is open");

    click_button(&root, "确认不合理");
    wait_until("the reason is asked for", || {
        text(&root, "#unreasonable-reason-error") == "请简要说明建议不合理的原因。"
    })
    .await;
    assert_eq!(
        find(&root, "#unreasonable-reason")
            .unwrap()
            .get_attribute("aria-invalid")
            .as_deref(),
        Some("true")
    );
    assert!(calls_to("/assessment").is_empty(), "nothing is sent");

    type_text(&root, "#unreasonable-reason", "客户要求超出服务范围");
    click_button(&root, "确认不合理");
    wait_until("the server's word is shown beside the field", || {
        text(&root, "#unreasonable-reason-error")
            == "The reason contains words that are not allowed."
    })
    .await;
    let sent = calls_to("/assessment");
    assert_eq!(sent.len(), 1);
    let body: Value = serde_json::from_str(sent[0]["body"].as_str().unwrap()).unwrap();
    assert_eq!(
        body,
        json!({ "reasonable": false, "reason": "客户要求超出服务范围" })
    );
    assert!(sent[0]["key"].as_str().is_some_and(|k| !k.is_empty()));
    // The reason stays for the agent to rephrase; the dialog stays open.
    assert_eq!(
        textarea_value(&root, "#unreasonable-reason"),
        "客户要求超出服务范围"
    );
    assert!(!done.get_untracked());
    assert!(find(&root, "dialog[open]").is_some());
}

fn window(days_ago: i64) -> PlanWindow {
    let to = Utc.with_ymd_and_hms(2026, 11, 20, 2, 0, 0).unwrap() - Duration::days(days_ago);
    PlanWindow {
        from: to - Duration::days(30),
        to,
        count: 9,
        average_total: Some(3.8),
        average_overall: Some(6.9),
    }
}

fn plan(status: PlanStatus) -> ImprovementPlan {
    ImprovementPlan {
        id: 7,
        evaluation_number: NUMBER.into(),
        agent_no: "E1001".into(),
        agent_name: "张伟".into(),
        team_name: Some("一组".into()),
        team_name_en: None,
        suggestion: "回复太慢，希望能更快一些".into(),
        overall: 5,
        status,
        created_at: Utc.with_ymd_and_hms(2026, 11, 20, 2, 0, 0).unwrap(),
        due_at: Utc.with_ymd_and_hms(2026, 11, 25, 2, 0, 0).unwrap(),
        overdue: false,
        measures: None,
        target_date: None,
        submitted_at: None,
        reviewer_name: None,
        review_comment: None,
        reviewed_at: None,
        before: window(0),
        after: None,
        change: None,
    }
}

#[wasm_bindgen_test]
async fn the_plan_form_keeps_typed_text_on_a_network_error() {
    local_storage().clear().unwrap();
    session_storage().clear().unwrap();
    answer(json!([{ "method": "PUT", "path": "/improvement-plans/7", "network": true }]));
    let submitted = RwSignal::new(None::<ImprovementPlan>);
    let (root, _mounted) = mount(move || {
        view! {
            <PlanForm
                plan=plan(PlanStatus::Open)
                on_submitted=Callback::new(move |p| submitted.set(Some(p)))
            />
        }
    });
    next_frame().await;
    let measures = "每天复盘三通低分通话，整理常见问题的话术";
    let target = (chrono::Local::now().date_naive() + Duration::days(3)).to_string();
    type_text(&root, "#plan-measures", measures);
    type_into(&root, "#plan-target", &target);
    // The counter follows what is typed.
    next_frame().await;
    assert_eq!(
        text(&root, "#plan-measures-count"),
        format!("{}/2000", measures.chars().count())
    );

    click_button(&root, "提交改进计划");
    wait_until("the failure is explained", || {
        text(&root, "[data-testid=plan-failure]").contains("您填写的内容仍在")
    })
    .await;
    assert_eq!(textarea_value(&root, "#plan-measures"), measures);
    assert_eq!(input_value(&root, "#plan-target"), target);
    let submit = find(&root, "#plan-form button[type=submit]").unwrap();
    wait_until("the button can be pressed again", || {
        !submit
            .clone()
            .unchecked_into::<web_sys::HtmlButtonElement>()
            .disabled()
    })
    .await;
    assert!(submitted.get_untracked().is_none());

    // The network is back: the same request goes again.
    let mut accepted = plan(PlanStatus::Submitted);
    accepted.measures = Some(measures.to_owned());
    answer(json!([route(
        "PUT",
        "/improvement-plans/7",
        200,
        serde_json::to_value(&accepted).unwrap()
    )]));
    click_button(&root, "提交改进计划");
    wait_until("the plan is submitted", || {
        submitted.get_untracked().is_some()
    })
    .await;
    let sent = calls_to("/improvement-plans/7");
    let body: Value = serde_json::from_str(sent[0]["body"].as_str().unwrap()).unwrap();
    assert_eq!(body, json!({ "measures": measures, "target_date": target }));
}

#[wasm_bindgen_test]
async fn a_retry_after_a_network_error_sends_the_same_idempotency_key() {
    session_storage().clear().unwrap();
    answer(json!([{ "method": "PUT", "path": "/improvement-plans/7", "network": true }]));
    let (root, _mounted) = mount(move || {
        view! { <PlanForm plan=plan(PlanStatus::Open) on_submitted=Callback::new(|_| ()) /> }
    });
    next_frame().await;
    type_text(&root, "#plan-measures", "每周两次与主管复盘响应时效");
    type_into(
        &root,
        "#plan-target",
        &(chrono::Local::now().date_naive() + Duration::days(1)).to_string(),
    );
    click_button(&root, "提交改进计划");
    wait_until("the first attempt failed", || {
        find(&root, "[data-testid=plan-failure]").is_some()
    })
    .await;
    next_frame().await;
    click_button(&root, "提交改进计划");
    wait_until("the second attempt went", || {
        calls_to("/improvement-plans/7").len() == 2
    })
    .await;
    let calls = calls_to("/improvement-plans/7");
    assert_eq!(calls[0]["key"], calls[1]["key"]);
}

fn task() -> CallbackTask {
    CallbackTask {
        id: 5,
        evaluation_number: NUMBER.into(),
        overall: 3,
        total_score: 2.2,
        suggestion: Some("等了很久没人处理".into()),
        agent_no: "E1001".into(),
        agent_name: "张伟".into(),
        team_name: Some("一组".into()),
        customer_name: "李明".into(),
        customer_phone: Some("13800000001".into()),
        service_type_name_zh: "在线客服咨询".into(),
        service_type_name_en: "Online support".into(),
        created_at: Utc.with_ymd_and_hms(2026, 11, 20, 2, 0, 0).unwrap(),
        due_at: Utc.with_ymd_and_hms(2026, 11, 21, 2, 0, 0).unwrap(),
        overdue: true,
        outcome: None,
        notes: None,
        done_at: None,
        done_by: None,
        attempts: Vec::new(),
        max_attempts: 3,
    }
}

/// The callback dialog of [`task`], whose record the server answers with `recorded`: its root,
/// its mount and the task it reports done.
fn callback_dialog(
    recorded: &CallbackTask,
) -> (
    web_sys::HtmlElement,
    impl Sized,
    RwSignal<Option<CallbackTask>>,
) {
    answer(json!([route(
        "POST",
        "/callbacks/5",
        200,
        serde_json::to_value(recorded).unwrap()
    )]));
    let done = RwSignal::new(None::<CallbackTask>);
    let (root, mounted) = mount(move || {
        view! {
            <CallbackDialog
                task=task()
                on_close=Callback::new(|()| ())
                done=Callback::new(move |t| done.set(Some(t)))
            />
        }
    });
    (root, mounted, done)
}

#[wasm_bindgen_test]
async fn the_callback_dialog_records_an_outcome() {
    let mut recorded = task();
    recorded.outcome = Some(CallbackOutcome::Appeased);
    recorded.notes = Some("已致电道歉并说明处理进度".into());
    recorded.done_at = Some(Utc::now());
    let (root, _mounted, done) = callback_dialog(&recorded);
    next_frame().await;
    assert_eq!(
        find(&root, "dialog a[href^='tel:']")
            .unwrap()
            .get_attribute("href")
            .as_deref(),
        Some("tel:13800000001")
    );
    let outcomes = text(&root, "dialog fieldset");
    for word in ["已解决", "已安抚", "已升级"] {
        assert!(outcomes.contains(word), "{outcomes}");
    }

    click_button(&root, "保存回访记录");
    wait_until("the outcome and the notes are asked for", || {
        text(&root, "#callback-outcome-error") == "请选择回访结果。"
            && text(&root, "#callback-notes-error") == "请记录回访时沟通的内容。"
    })
    .await;
    assert!(calls_to("/callbacks/5").is_empty());

    click(&root, "#callback-outcome-appeased");
    type_text(&root, "#callback-notes", "已致电道歉并说明处理进度");
    click_button(&root, "保存回访记录");
    wait_until("the call is recorded", || done.get_untracked().is_some()).await;
    let sent = calls_to("/callbacks/5");
    assert_eq!(sent.len(), 1);
    let body: Value = serde_json::from_str(sent[0]["body"].as_str().unwrap()).unwrap();
    assert_eq!(
        body,
        json!({ "outcome": "appeased", "notes": "已致电道歉并说明处理进度" })
    );
    assert_eq!(
        done.get_untracked().unwrap().outcome,
        Some(CallbackOutcome::Appeased)
    );
}

#[wasm_bindgen_test]
async fn a_call_nobody_answered_asks_when_to_call_again_and_messages_go_once_fixed() {
    let mut recorded = task();
    recorded.attempts = vec![CallbackAttempt {
        result: CallResult::NoAnswer,
        notes: None,
        at: Utc::now(),
        by: "林晓峰".into(),
        next_attempt_at: Some(Utc::now() + Duration::hours(3)),
    }];
    let (root, _mounted, done) = callback_dialog(&recorded);
    next_frame().await;
    click_button(&root, "保存回访记录");
    wait_until("the outcome and the notes are asked for", || {
        find(&root, "#callback-outcome-error").is_some()
            && find(&root, "#callback-notes-error").is_some()
    })
    .await;
    // Nobody answered: notes may stay empty, so both messages go at once.
    click(&root, "#callback-outcome-no_answer");
    wait_until("the messages of the fixed fields go", || {
        find(&root, "#callback-outcome-error").is_none()
            && find(&root, "#callback-notes-error").is_none()
    })
    .await;
    let offered = find(&root, "#callback-next-attempt")
        .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
        .map(|e| e.value())
        .unwrap_or_default();
    assert!(
        pingjia::pages::feedback::callbacks::from_local_input(&offered)
            .is_some_and(|at| at > Utc::now()),
        "a later time is offered: {offered:?}"
    );
    type_into(&root, "#callback-next-attempt", "");
    click_button(&root, "保存回访记录");
    wait_until("the next attempt is asked for", || {
        text(&root, "#callback-next-attempt-error") == "请选择下次尝试的时间。"
    })
    .await;
    type_into(&root, "#callback-next-attempt", &offered);
    wait_until("its message goes once it is right", || {
        find(&root, "#callback-next-attempt-error").is_none()
    })
    .await;
    assert!(calls_to("/callbacks/5").is_empty());
    click_button(&root, "保存回访记录");
    wait_until("the call is recorded", || done.get_untracked().is_some()).await;
    let sent = calls_to("/callbacks/5");
    let body: Value = serde_json::from_str(sent[0]["body"].as_str().unwrap()).unwrap();
    assert_eq!(body["outcome"], "no_answer");
    assert_eq!(body["notes"], "");
    assert!(body["next_attempt_at"].is_string(), "{body}");
}

#[wasm_bindgen_test]
async fn the_last_attempt_asks_for_no_next_one_and_says_the_task_closes() {
    let mut last = task();
    last.attempts = vec![
        CallbackAttempt {
            result: CallResult::NoAnswer,
            notes: None,
            at: Utc::now(),
            by: "林晓峰".into(),
            next_attempt_at: Some(Utc::now()),
        };
        2
    ];
    let (root, _mounted) = mount(move || {
        view! {
            <CallbackDialog
                task=last.clone()
                on_close=Callback::new(|()| ())
                done=Callback::new(|_| ())
            />
        }
    });
    next_frame().await;
    click(&root, "#callback-outcome-wrong_number");
    wait_until("the last attempt is named", || {
        text(&root, "[data-testid=callback-last-attempt]").contains("第 3 次尝试")
    })
    .await;
    assert!(find(&root, "#callback-next-attempt").is_none());
}

const HOSTILE: &str = "<img src=x onerror=alert(1)>";

fn item() -> FeedbackItem {
    let at = Utc.with_ymd_and_hms(2026, 11, 22, 2, 0, 0).unwrap();
    FeedbackItem {
        number: NUMBER.into(),
        submitted_at: at,
        customer: "客户 C00****23".into(),
        customer_type: Some(CustomerType::Member),
        service_type: "online".into(),
        service_type_name_zh: "在线客服咨询".into(),
        service_type_name_en: "Online support".into(),
        channel: Channel::Online,
        service_started_at: at - Duration::minutes(40),
        service_ended_at: at - Duration::minutes(20),
        order_no: Some("SO-889".into()),
        total_score: 4.4,
        overall: 8,
        scores: vec![AnalyticsScore {
            dimension: "attitude".into(),
            name_zh: "服务态度".into(),
            name_en: "Attitude".into(),
            score: Some(5),
        }],
        suggestion: Some(HOSTILE.into()),
        read: false,
        assessment: None,
        plan_id: None,
    }
}

#[wasm_bindgen_test]
async fn a_suggestion_with_markup_renders_as_text_and_opening_marks_it_read() {
    answer(json!([route(
        "POST",
        &format!("/me/feedback/{NUMBER}/read"),
        200,
        json!({ "number": null, "overall": null, "total_score": null, "unread": 0 }),
    )]));
    let (root, _mounted) =
        mount(|| view! { <FeedbackCard item=item() on_changed=Callback::new(|()| ()) /> });
    next_frame().await;
    assert!(find(&root, "[data-testid=fb-unread-badge]").is_some());
    click_button(&root, "查看详情");
    wait_until("the suggestion shows", || {
        find(&root, "[data-testid=fb-suggestion]").is_some()
    })
    .await;
    assert_eq!(text(&root, "[data-testid=fb-suggestion]"), HOSTILE);
    assert!(find(&root, "img").is_none(), "the markup is not an element");
    // The customer is shown masked, as the server sends it, with the service's details.
    let details = text(&root, ".fb-details");
    assert!(
        details.contains("客户 C00****23") && details.contains("SO-889"),
        "{details}"
    );
    wait_until("opening it marked it read", || {
        find(&root, "[data-testid=fb-unread-badge]").is_none()
    })
    .await;
    assert_eq!(calls_to("/read").len(), 1);
}

#[wasm_bindgen_test]
async fn a_live_alert_shows_a_dismissable_toast_with_a_way_to_the_list() {
    let alerts = std::rc::Rc::new(std::cell::RefCell::new(None::<FeedbackAlerts>));
    let kept = send_wrapper::SendWrapper::new(alerts.clone());
    let (root, _mounted) = mount(move || {
        let state = FeedbackAlerts::default();
        *kept.borrow_mut() = Some(state);
        view! { <FeedbackToasts alerts=state /> }
    });
    next_frame().await;
    let state = alerts.borrow().expect("mounted");
    assert_eq!(
        find(&root, ".toast-region")
            .unwrap()
            .get_attribute("aria-live")
            .as_deref(),
        Some("polite")
    );
    state.receive(FeedbackAlert {
        number: Some(NUMBER.into()),
        overall: Some(9),
        total_score: Some(4.6),
        unread: 4,
    });
    wait_until("the toast shows", || find(&root, ".toast").is_some()).await;
    assert_eq!(
        text(&root, ".toast-text"),
        format!("新评价 {NUMBER}：总体满意度 9/10，总分 4.60")
    );
    assert_eq!(state.unread(), Some(4));
    assert_eq!(
        find(&root, ".toast a")
            .unwrap()
            .get_attribute("href")
            .as_deref(),
        Some("/agent/feedback?unread=true")
    );
    click_button(&root, "关闭");
    wait_until("the toast is gone", || find(&root, ".toast").is_none()).await;
}
