//! The weekly and monthly reports in a real browser: a report shows every section with the
//! figures it was given (summary sentences, the agent ranking, a customer's markup in an
//! example as text, "showing 20 of N", links to plans and the CSV tables); the subscription
//! form shows the server's word on a bad address beside the recipients, naming its line; the
//! mail settings never show the password and keep it by sending no `password` field; a failed
//! test mail shows the mail server's error. Requests go to a stand-in for `fetch` that answers
//! as the server would and records what was sent.
use crate::common::*;
use chrono::{TimeZone, Utc};
use leptos::prelude::*;
use pingjia::pages::reports::ReportArea;
use pingjia::pages::reports::mail::{SmtpForm, TestMailForm};
use pingjia::pages::reports::report::ReportView;
use pingjia::pages::reports::subscriptions::SubscriptionForm;
use pingjia_domain::analytics::{Kpi, KpiReport, Period, ResponseCounts, ResponseFunnel, TagCount};
use pingjia_domain::reports::{
    Direction, Report, ReportAgent, ReportAppeal, ReportChange, ReportExample, ReportKind,
    ReportMetric, ReportPlan, ReportProblem, ReportTrendPoint, SmtpSecurity, SmtpSettings,
    summarize,
};
use serde_json::{Value, json};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

fn period(from: &str, to: &str) -> Period {
    Period {
        from: day(from),
        to: day(to),
    }
}

fn kpi(value: f64, previous: f64) -> Kpi {
    Kpi {
        value: Some(value),
        previous: Some(previous),
    }
}

fn report() -> Report {
    let kpis = KpiReport {
        period: period("2026-11-16", "2026-11-22"),
        previous_period: period("2026-11-09", "2026-11-15"),
        evaluations: kpi(120.0, 100.0),
        average_total: kpi(4.2, 4.0),
        attainment_rate: kpi(0.8, 0.72),
        on_time_rate: kpi(0.7, 0.9),
        first_contact_rate: kpi(0.6, 0.6),
        average_handling_minutes: kpi(30.0, 40.0),
        open_appeals: Kpi {
            value: Some(37.0),
            previous: None,
        },
        flagged: kpi(3.0, 1.0),
        response_rate: kpi(0.375, 0.25),
        generated_at: Utc.with_ymd_and_hms(2026, 11, 23, 0, 5, 0).unwrap(),
    };
    let summary = summarize(&kpis);
    let appeal = |i: u32| ReportAppeal {
        evaluation_number: format!("PJ20261120-{i:06}"),
        agent_no: "E1001".into(),
        agent_name: "王小明".into(),
        filed_at: Utc.with_ymd_and_hms(2026, 11, 20, 2, 0, 0).unwrap(),
        days_open: 3,
    };
    Report {
        kind: ReportKind::Week,
        key: "2026-W47".into(),
        period: period("2026-11-16", "2026-11-22"),
        previous_period: period("2026-11-09", "2026-11-15"),
        team_id: None,
        team_name: None,
        team_name_en: None,
        closed: true,
        stored: true,
        generated_at: Utc.with_ymd_and_hms(2026, 11, 23, 0, 5, 0).unwrap(),
        kpis,
        trend: vec![
            ReportTrendPoint {
                key: "2026-W46".into(),
                period: period("2026-11-09", "2026-11-15"),
                evaluations: 100,
                average_total: Some(4.0),
                attainment_rate: Some(0.72),
                on_time_rate: Some(0.9),
                first_contact_rate: Some(0.6),
                response_rate: Some(0.25),
            },
            ReportTrendPoint {
                key: "2026-W47".into(),
                period: period("2026-11-16", "2026-11-22"),
                evaluations: 120,
                average_total: Some(4.2),
                attainment_rate: Some(0.8),
                on_time_rate: Some(0.7),
                first_contact_rate: Some(0.6),
                response_rate: Some(0.375),
            },
        ],
        complaints: 5,
        complaint_tags: vec![
            TagCount {
                tag: "态度".into(),
                name_en: Some("Attitude".into()),
                count: 3,
            },
            TagCount {
                tag: String::new(),
                name_en: None,
                count: 1,
            },
        ],
        problems: vec![ReportProblem {
            term: "太慢".into(),
            count: 4,
            examples: vec![ReportExample {
                number: "PJ20261118-000042".into(),
                overall: 3,
                suggestion: "回复<b>太慢</b>了".into(),
            }],
        }],
        agents: vec![ReportAgent {
            rank: 1,
            agent_no: "E1001".into(),
            name: "王小明".into(),
            team_name: Some("一组".into()),
            team_name_en: Some("Team One".into()),
            evaluations: 40,
            average_total: Some(4.456),
            average_overall: Some(8.5),
            attainment_rate: Some(0.875),
            records: 52,
            first_contact_rate: Some(0.75),
            invited: 12,
            response_rate: Some(0.25),
        }],
        open_appeal_count: 37,
        open_appeals: (1..=20).map(appeal).collect(),
        overdue_plan_count: 1,
        overdue_plans: vec![ReportPlan {
            id: 9,
            evaluation_number: "PJ20261110-000007".into(),
            agent_no: "E1002".into(),
            agent_name: "李华".into(),
            due_at: Utc.with_ymd_and_hms(2026, 11, 18, 10, 0, 0).unwrap(),
            days_overdue: 5,
        }],
        summary,
        response: ResponseCounts {
            invited: 8,
            opened: 6,
            rated: 3,
            opted_out: 1,
        }
        .funnel(),
        response_previous: ResponseCounts {
            invited: 4,
            opened: 2,
            rated: 1,
            opted_out: 0,
        }
        .funnel(),
    }
}

#[wasm_bindgen_test]
async fn a_report_shows_every_section_with_its_figures() {
    answer(json!([]));
    let (root, _mounted) =
        mount(|| view! { <ReportView report=report() area=ReportArea::Admin /> });
    next_frame().await;

    assert_eq!(
        text(&root, "h1#report-title"),
        "客户服务响应及满意度分析报告 · 2026年第47周（11月16日–11月22日） · 全公司"
    );
    assert!(text(&root, ".report-status").starts_with("已存档的报告"));
    assert!(
        find(&root, ".report-open").is_none(),
        "the period has closed"
    );

    // The sections, in order, each with a heading.
    let headings = texts(&root, ".report-section h2");
    assert_eq!(
        headings,
        [
            "摘要",
            "关键指标",
            "参评率",
            "核心指标趋势",
            "投诉分类占比",
            "高频问题",
            "服务人员排名",
            "待处理申诉",
            "逾期改进计划"
        ]
    );

    // The summary, from the figures.
    let improved = texts(&root, ".report-improved li");
    assert!(
        improved.contains(&"满意度达标率 从 72.0% 升至 80.0%".to_owned()),
        "{improved:?}"
    );
    assert!(
        // In whole minutes, as the dashboard's card says it.
        improved.contains(&"平均处理时长 从 40 分钟 降至 30 分钟".to_owned()),
        "{improved:?}"
    );
    assert!(
        improved.contains(&"平均综合得分 从 4.00 升至 4.20".to_owned()),
        "{improved:?}"
    );
    let worse = texts(&root, ".report-worsened li");
    assert_eq!(
        worse,
        ["异常评价 从 1 升至 3", "响应及时率 从 90.0% 降至 70.0%"]
    );
    assert_eq!(
        texts(&root, ".report-changed li"),
        ["评价数 从 100 升至 120"]
    );
    assert_eq!(
        texts(&root, ".report-unchanged li"),
        ["首次解决率 持平于 60.0%（上一周期 60.0%）"]
    );

    // The KPI cards of the dashboard.
    assert_eq!(root.query_selector_all(".kpi-card").unwrap().length(), 9);
    assert!(
        improved.contains(&"参评率 从 25.0% 升至 37.5%".to_owned()),
        "{improved:?}"
    );

    // The response funnel, the trend and complaint charts, each beside its table.
    assert_eq!(
        root.query_selector_all(".report-chart").unwrap().length(),
        3
    );
    assert_eq!(
        texts(
            &root,
            "#report-response [data-testid=response-funnel-table] tbody tr"
        ),
        [
            "已邀请8100.0%4100.0%",
            "已打开675.0%250.0%",
            "已评价337.5%125.0%",
            "已退订112.5%00.0%",
        ]
    );
    assert_eq!(
        texts(&root, "[data-testid=report-trend-table] tbody td")[5],
        "25.0%"
    );
    assert_eq!(
        texts(&root, "[data-testid=report-trend-table] tbody th")[0],
        "W46 11-09–11-15"
    );
    assert_eq!(
        texts(&root, "[data-testid=report-complaint-table] tbody tr"),
        ["态度375.0%", "未分类125.0%"]
    );

    // A customer's words stay text.
    let quote = find(&root, "[data-testid=report-problem-table] q").unwrap();
    assert_eq!(quote.text_content().unwrap(), "回复<b>太慢</b>了");
    assert!(quote.query_selector("b").unwrap().is_none());
    assert!(
        text(&root, "[data-testid=report-problem-table] li")
            .contains("（评价 PJ20261118-000042，总体满意度 3 分）")
    );

    // The agent ranking.
    assert_eq!(
        texts(
            &root,
            "[data-testid=report-agent-table] tbody td, [data-testid=report-agent-table] tbody th"
        ),
        [
            "1",
            "E1001 王小明",
            "一组",
            "40",
            "4.46",
            "8.50",
            "87.5%",
            "52",
            "75.0%",
            "12",
            "25.0%"
        ]
    );

    // Open appeals: 20 of 37 listed; overdue plans linked.
    assert_eq!(
        root.query_selector_all("[data-testid=report-appeal-table] tbody tr")
            .unwrap()
            .length(),
        20
    );
    assert_eq!(
        text(&root, "#report-appeals .report-showing"),
        "显示 20 条，共 37 条"
    );
    assert!(find(&root, "#report-plans .report-showing").is_none());
    let plan = find(&root, "[data-testid=report-plan-table] a").unwrap();
    assert_eq!(
        plan.get_attribute("href").as_deref(),
        Some("/admin/plans/9")
    );

    // Every table downloads as CSV.
    let csv: Vec<String> = {
        let links = root.query_selector_all("a.report-csv[download]").unwrap();
        (0..links.length())
            .filter_map(|i| links.item(i))
            .filter_map(|l| l.dyn_into::<web_sys::Element>().ok())
            .filter_map(|l| l.get_attribute("href"))
            .collect()
    };
    assert_eq!(csv.len(), 8);
    assert!(
        csv.contains(&"/api/v1/reports/week/2026-W47/csv/response".to_owned()),
        "{csv:?}"
    );
    assert!(
        csv.contains(&"/api/v1/reports/week/2026-W47/csv/agents".to_owned()),
        "{csv:?}"
    );
}

#[wasm_bindgen_test]
async fn an_open_period_and_empty_sections_are_said_in_words() {
    answer(json!([]));
    let mut live = report();
    live.stored = false;
    live.closed = false;
    live.team_id = Some(2);
    live.team_name = Some("二组".into());
    live.complaint_tags.clear();
    live.complaints = 0;
    live.problems.clear();
    live.agents.clear();
    live.open_appeals.clear();
    live.open_appeal_count = 0;
    live.overdue_plans.clear();
    live.overdue_plan_count = 0;
    live.response = ResponseFunnel::default();
    live.response_previous = ResponseFunnel::default();
    live.summary = vec![ReportChange {
        metric: ReportMetric::Evaluations,
        value: 3.0,
        previous: 3.0,
        direction: Direction::Unchanged,
    }];
    let (root, _mounted) = mount(move || {
        view! { <ReportView report=live.clone() area=ReportArea::Lead /> }
    });
    next_frame().await;
    assert!(text(&root, "h1#report-title").ends_with(" · 二组"));
    assert!(text(&root, ".report-status").starts_with("实时统计"));
    assert_eq!(
        text(&root, ".report-open"),
        "本周期尚未结束，数据仍会变化。"
    );
    assert_eq!(
        texts(&root, ".notice-empty"),
        [
            "本期没有发出评价邀请。",
            "本周期没有投诉。",
            "本周期没有反复出现的问题。",
            "本周期没有服务人员的数据。",
            "没有待处理的申诉。",
            "没有逾期的改进计划。"
        ]
    );
    assert_eq!(
        root.query_selector_all(".report-chart").unwrap().length(),
        1
    );
}

#[wasm_bindgen_test]
async fn the_subscription_form_names_the_line_of_an_address_the_server_refuses() {
    answer(json!([route(
        "POST",
        "/report-subscriptions",
        422,
        json!({
            "title": "Unprocessable Content",
            "status": 422,
            "errors": [{
                "field": "recipients[1]",
                "code": "invalid",
                "message": "\"boss@example.cn\" is not an e-mail address"
            }]
        }),
    )]));
    let saved = RwSignal::new(false);
    let (root, _mounted) = mount(move || {
        view! {
            <SubscriptionForm
                editing=None
                area=ReportArea::Admin
                teams=Signal::stored(Vec::new())
                lead_team=None
                on_saved=Callback::new(move |_| saved.set(true))
                on_cancel=Callback::new(|()| ())
            />
        }
    });
    next_frame().await;
    assert_eq!(
        text(&root, "#subscription-sends-now"),
        "保存后会立即生成并发送最近一个已结束周期的报告，之后每个周期结束时自动发送。"
    );

    // Nothing typed: asked for before sending.
    click_button(&root, "保存订阅");
    wait_until("the recipients are asked for", || {
        text(&root, "#subscription-recipients-error") == "请至少填写一个邮箱地址。"
    })
    .await;
    assert!(calls_to("/report-subscriptions").is_empty());

    type_text(
        &root,
        "#subscription-recipients",
        "ops@example.com\n\n boss@example.cn ",
    );
    click_button(&root, "保存订阅");
    wait_until("the server's word is shown beside the recipients", || {
        text(&root, "#subscription-recipients-error")
            == "第 3 行“boss@example.cn”不是有效的邮箱地址。"
    })
    .await;
    let recipients = find(&root, "#subscription-recipients").unwrap();
    assert_eq!(
        recipients.get_attribute("aria-invalid").as_deref(),
        Some("true")
    );
    assert!(
        recipients
            .get_attribute("aria-describedby")
            .unwrap()
            .contains("subscription-recipients-error")
    );
    let sent = calls_to("/report-subscriptions");
    assert_eq!(sent.len(), 1);
    let body: Value = serde_json::from_str(sent[0]["body"].as_str().unwrap()).unwrap();
    assert_eq!(
        body,
        json!({
            "kind": "week",
            "team_id": null,
            "recipients": ["ops@example.com", "boss@example.cn"],
            "active": true
        })
    );
    assert!(!saved.get_untracked());
}

fn smtp() -> SmtpSettings {
    SmtpSettings {
        host: "smtp.example.com".into(),
        port: 587,
        security: SmtpSecurity::StartTls,
        username: Some("pingjia".into()),
        password_set: true,
        from_address: "pingjia@example.com".into(),
        from_name: "评价".into(),
        link_base: "https://pingjia.example.com".into(),
        updated_at: Some(Utc.with_ymd_and_hms(2026, 11, 20, 2, 0, 0).unwrap()),
    }
}

#[wasm_bindgen_test]
async fn the_mail_settings_never_show_the_password_and_keep_it_when_left_empty() {
    answer(json!([route(
        "PUT",
        "/settings/smtp",
        200,
        serde_json::to_value(smtp()).unwrap()
    )]));
    let (root, _mounted) = mount(|| view! { <SmtpForm initial=smtp() /> });
    next_frame().await;

    let password: web_sys::HtmlInputElement = find(&root, "#password").unwrap().unchecked_into();
    assert_eq!(password.type_(), "password");
    assert_eq!(password.value(), "", "the password field starts empty");
    assert_eq!(text(&root, "#smtp-password-state"), "密码：已设置");
    assert!(!root.inner_html().contains("secret"));

    type_into(&root, "#from_name", "评价系统");
    click_button(&root, "保存设置");
    wait_until("the settings are saved", || {
        text(&root, ".notice-success") == "邮件服务器设置已保存。"
    })
    .await;
    let sent = calls_to("/settings/smtp");
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0]["method"], "PUT");
    let body: Value = serde_json::from_str(sent[0]["body"].as_str().unwrap()).unwrap();
    assert!(body.get("password").is_none(), "no password field: {body}");
    assert_eq!(body["from_name"], "评价系统");
    assert_eq!(body["security"], "start_tls");
    assert_eq!(body["port"], 587);

    // A new password replaces it; the field empties again once saved.
    type_into(&root, "#password", "n3w-secret");
    click_button(&root, "保存设置");
    wait_until("the second save is sent", || {
        calls_to("/settings/smtp").len() == 2
    })
    .await;
    let body: Value =
        serde_json::from_str(calls_to("/settings/smtp")[1]["body"].as_str().unwrap()).unwrap();
    assert_eq!(body["password"], "n3w-secret");
    wait_until("the password field is empty again", || {
        find(&root, "#password")
            .unwrap()
            .unchecked_into::<web_sys::HtmlInputElement>()
            .value()
            .is_empty()
    })
    .await;
}

#[wasm_bindgen_test]
async fn a_failed_test_mail_shows_the_mail_servers_error() {
    answer(json!([route(
        "POST",
        "/settings/smtp/test",
        502,
        json!({
            "title": "Bad Gateway",
            "status": 502,
            "code": "smtp_failed",
            "detail": "535 5.7.8 Authentication credentials invalid"
        }),
    )]));
    let (root, _mounted) = mount(|| view! { <TestMailForm /> });
    next_frame().await;
    type_into(&root, "#smtp-test-to", "ops@example.com");
    click_button(&root, "发送测试邮件");
    wait_until("the mail server's error is shown", || {
        text(&root, "#smtp-test-result .report-error")
            == "535 5.7.8 Authentication credentials invalid"
    })
    .await;
    let sent = calls_to("/settings/smtp/test");
    let body: Value = serde_json::from_str(sent[0]["body"].as_str().unwrap()).unwrap();
    assert_eq!(body, json!({ "to": "ops@example.com" }));
}
