//! Admin analytics in a real browser: the filter bar keeps its state in the address and reads
//! it back; the KPI cards say which way each indicator moved and whether that is good news;
//! the dimension ranking marks the weak dimensions; a customer's markup in the drill-down list
//! stays text; the leaderboard sorts by the header the user picks. The components are mounted
//! with their data, as the other component tests do.
use crate::common::*;
use chrono::{TimeZone, Utc};
use leptos::prelude::*;
use leptos_router::params::ParamsMap;
use pingjia::components::kpi::{Direction, KpiCards, KpiKind, Tone, kpi_change};
use pingjia::format::duration_text;
use pingjia::i18n::Locale;
use pingjia::pages::analytics::drill::{DrillList, drill_words};
use pingjia::pages::analytics::filter_bar::FilterBar;
use pingjia::pages::analytics::leaderboard::Leaderboard;
use pingjia::pages::analytics::panels::{DimensionView, ResponsePanel};
use pingjia::pages::analytics::{
    dashboard_href, drill_from_params, drill_href, filter_from_params,
};
use pingjia_domain::analytics::{
    AgentReport, AgentStat, AnalyticsEvaluation, AnalyticsEvaluationPage, AnalyticsFilter,
    AnalyticsOptions, DimensionName, DimensionReport, DimensionStat, DrillFilter, Kpi, KpiReport,
    OptionItem, Period, ResponseBreakdown, ResponseCounts, ResponseFunnel, ResponseGroup,
    ResponseReport, ResponseRow, Sentiment,
};
use pingjia_domain::anomalies::AnomalyRule;
use pingjia_domain::wire::{Channel, CustomerType};
use serde_json::json;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

/// Mounts `content` inside the language, session and router contexts at `url`; the view
/// lives as long as the returned handle.
fn mount_at<V: IntoView + 'static>(
    url: &str,
    content: impl Fn() -> V + Clone + Send + 'static,
) -> (web_sys::HtmlElement, impl Sized) {
    web_sys::window()
        .unwrap()
        .history()
        .unwrap()
        .push_state_with_url(&JsValue::NULL, "", Some(url))
        .unwrap();
    mount(content)
}

fn search() -> String {
    web_sys::window().unwrap().location().search().unwrap()
}

fn value_of(root: &web_sys::Element, selector: &str) -> String {
    let element = find(root, selector).unwrap_or_else(|| panic!("no {selector}"));
    if let Some(select) = element.dyn_ref::<web_sys::HtmlSelectElement>() {
        select.value()
    } else {
        element
            .unchecked_into::<web_sys::HtmlInputElement>()
            .value()
    }
}

/// Chooses `value` in the select `selector` as a person would: sets it and fires `change`.
fn choose(root: &web_sys::Element, selector: &str, value: &str) {
    let select: web_sys::HtmlSelectElement = find(root, selector)
        .unwrap_or_else(|| panic!("no select {selector}"))
        .unchecked_into();
    select.set_value(value);
    select
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
}

fn item(value: &str, zh: &str, en: &str, team: Option<i64>) -> OptionItem {
    OptionItem {
        value: value.into(),
        name_zh: zh.into(),
        name_en: en.into(),
        team_id: team,
    }
}

fn options() -> AnalyticsOptions {
    AnalyticsOptions {
        teams: vec![
            item("1", "一组", "Team 1", None),
            item("2", "二组", "Team 2", None),
        ],
        agents: vec![
            item("E1001", "王小明", "Wang Xiaoming", Some(1)),
            item("E1002", "李华", "Li Hua", Some(2)),
        ],
        service_types: vec![item("online", "在线客服咨询", "Online support", None)],
        default_period: Period::last_days(day("2026-11-22"), 30),
        satisfaction_threshold: 8,
        callback_threshold: 6,
    }
}

#[wasm_bindgen_test]
async fn the_filter_bar_reads_the_address_and_writes_each_change_back() {
    let (root, _mounted) = mount_at(
        "/admin/analytics/evaluations?from=2026-11-01&to=2026-11-07&team=2&agent=E1002\
         &channel=offline&word=%E6%85%A2&sentiment=complaints&page=3",
        || view! { <FilterBar options=options() /> },
    );
    next_frame().await;

    // Read back from the address.
    assert_eq!(value_of(&root, "#analytics-from"), "2026-11-01");
    assert_eq!(value_of(&root, "#analytics-to"), "2026-11-07");
    assert_eq!(value_of(&root, "#analytics-team"), "2");
    assert_eq!(value_of(&root, "#analytics-agent"), "E1002");
    assert_eq!(value_of(&root, "#analytics-channel"), "offline");
    assert_eq!(value_of(&root, "#analytics-customer-type"), "");
    assert_eq!(value_of(&root, "#analytics-service-type"), "");
    assert_eq!(
        text(&root, "#analytics-period-summary"),
        "2026-11-01 至 2026-11-07，共 7 天"
    );
    // The agent list shows only the chosen team's agents.
    assert!(find(&root, "#analytics-agent option[value='E1001']").is_none());
    assert!(find(&root, "label[for='analytics-customer-type']").is_some());

    // A change navigates with the new query: the other filters and the clicked element stay,
    // the list goes back to its first page.
    choose(&root, "#analytics-customer-type", "member");
    wait_until("the customer type is in the address", || {
        search().contains("customer_type=member")
    })
    .await;
    let query = search();
    for kept in [
        "team=2",
        "agent=E1002",
        "channel=offline",
        "from=2026-11-01",
        "to=2026-11-07",
        "sentiment=complaints",
        "word=%E6%85%A2",
    ] {
        assert!(query.contains(kept), "{kept} kept in {query}");
    }
    assert!(!query.contains("page="), "back to the first page: {query}");
    assert_eq!(
        web_sys::window().unwrap().location().pathname().unwrap(),
        "/admin/analytics/evaluations"
    );
    next_frame().await;
    assert_eq!(value_of(&root, "#analytics-customer-type"), "member");

    // Another team drops an agent who is not in it.
    choose(&root, "#analytics-team", "1");
    wait_until("the team is in the address", || search().contains("team=1")).await;
    assert!(!search().contains("agent="), "{}", search());

    // A preset sets the period from the organisation's today.
    let seven = find(&root, "button.preset").unwrap();
    assert_eq!(seven.text_content().unwrap().trim(), "近 7 天");
    assert_eq!(
        seven.get_attribute("aria-pressed").as_deref(),
        Some("false")
    );
    seven.unchecked_ref::<web_sys::HtmlElement>().click();
    wait_until("the preset is in the address", || {
        search().contains("from=2026-11-16") && search().contains("to=2026-11-22")
    })
    .await;
    next_frame().await;
    assert_eq!(seven.get_attribute("aria-pressed").as_deref(), Some("true"));

    // A backwards range is refused beside the fields and not sent.
    type_into(&root, "#analytics-from", "2026-11-30");
    let from: web_sys::HtmlInputElement = find(&root, "#analytics-from").unwrap().unchecked_into();
    from.dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
    next_frame().await;
    assert_eq!(
        text(&root, "#analytics-period-error"),
        "开始日期不能晚于结束日期。"
    );
    assert_eq!(from.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert!(search().contains("from=2026-11-16"));
}

#[wasm_bindgen_test]
fn the_address_round_trips_the_filter_and_the_drill_down() {
    let filter = AnalyticsFilter {
        from: Some(day("2026-11-01")),
        to: Some(day("2026-11-30")),
        team: Some(3),
        agent: Some("E1001".into()),
        service_type: Some("online".into()),
        channel: Some(Channel::Online),
        customer_type: Some(CustomerType::Returning),
    };
    let drill = DrillFilter {
        complaint_tag: Some(String::new()),
        ..DrillFilter::default()
    };
    let href = drill_href(&filter, &drill, 2);
    assert!(href.starts_with("/admin/analytics/evaluations?"), "{href}");
    let query = href.split_once('?').unwrap().1;
    let params: ParamsMap = query
        .split('&')
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap();
            (
                k.to_owned(),
                String::from(js_sys::decode_uri_component(v).unwrap()),
            )
        })
        .collect();
    assert_eq!(filter_from_params(&params), filter);
    assert_eq!(
        drill_from_params(&params),
        drill,
        "an untagged complaint stays untagged"
    );
    assert_eq!(params.get("page").as_deref(), Some("2"));
    assert_eq!(
        dashboard_href(&AnalyticsFilter::default()),
        "/admin/analytics"
    );
    let junk: ParamsMap = [("team", "x"), ("channel", "fax"), ("from", "yesterday")]
        .into_iter()
        .collect();
    assert_eq!(filter_from_params(&junk), AnalyticsFilter::default());
}

fn kpi(value: f64, previous: Option<f64>) -> Kpi {
    Kpi {
        value: Some(value),
        previous,
    }
}

fn kpis() -> KpiReport {
    KpiReport {
        period: Period::last_days(day("2026-11-22"), 30),
        previous_period: Period::last_days(day("2026-10-23"), 30),
        evaluations: kpi(128.0, Some(128.0)),
        average_total: kpi(4.32, Some(4.2)),
        attainment_rate: kpi(0.8, Some(0.75)),
        on_time_rate: kpi(0.9, Some(0.95)),
        first_contact_rate: Kpi {
            value: None,
            previous: None,
        },
        average_handling_minutes: kpi(85.0, Some(70.0)),
        open_appeals: kpi(2.0, None),
        flagged: kpi(3.0, Some(5.0)),
        response_rate: kpi(0.42, Some(0.4)),
        generated_at: Utc.with_ymd_and_hms(2026, 11, 22, 0, 0, 0).unwrap(),
    }
}

#[wasm_bindgen_test]
fn kpi_changes_carry_direction_sign_and_whether_they_are_better() {
    let zh = Locale::zh_CN;
    let change = |kind: KpiKind| kpi_change(kind, &kind.of(&kpis()), zh);
    let score = change(KpiKind::AverageTotal).unwrap();
    assert_eq!(
        (score.direction, score.tone, score.shown.as_str()),
        (Direction::Up, Tone::Better, "▲ +0.12")
    );
    assert_eq!(score.words, "比上一周期上升 0.12，向好");
    let handling = change(KpiKind::HandlingTime).unwrap();
    assert_eq!(
        (handling.direction, handling.tone),
        (Direction::Up, Tone::Worse),
        "longer handling is worse"
    );
    assert_eq!(handling.shown, "▲ +15 分钟");
    let flagged = change(KpiKind::Flagged).unwrap();
    assert_eq!(
        (flagged.direction, flagged.tone),
        (Direction::Down, Tone::Better)
    );
    assert_eq!(flagged.shown, "▼ −2");
    let on_time = change(KpiKind::OnTime).unwrap();
    assert_eq!(on_time.shown, "▼ −5.0 个百分点");
    assert_eq!(on_time.tone, Tone::Worse);
    let same = change(KpiKind::Evaluations).unwrap();
    assert_eq!(
        (same.direction, same.tone),
        (Direction::Flat, Tone::Neutral)
    );
    assert!(change(KpiKind::OpenAppeals).is_none());
    assert!(change(KpiKind::FirstContact).is_none());
    let english = kpi_change(KpiKind::Attainment, &kpis().attainment_rate, Locale::en).unwrap();
    assert_eq!(english.shown, "▲ +5.0 pp");
    assert_eq!(
        english.words,
        "Up 5.0 percentage points on the previous period, better"
    );
    assert_eq!(duration_text(zh, 85.0), "1 小时 25 分钟");
    assert_eq!(duration_text(Locale::en, 45.4), "45 min");
}

#[wasm_bindgen_test]
async fn kpi_cards_show_the_change_as_arrow_and_words_coloured_by_meaning() {
    let (root, _mounted) = mount_at("/admin/analytics", || {
        view! { <KpiCards report=kpis() options=Signal::stored(Some(options())) /> }
    });
    next_frame().await;
    let cards = root.query_selector_all(".kpi-card").unwrap();
    assert_eq!(cards.length(), 9);
    let card = |i: u32| -> web_sys::Element { cards.item(i).unwrap().unchecked_into() };

    let score = card(1);
    assert_eq!(text(&score, ".kpi-name"), "平均综合得分");
    assert_eq!(text(&score, ".kpi-value"), "4.32 / 5");
    assert_eq!(text(&score, ".kpi-change [aria-hidden='true']"), "▲ +0.12");
    assert_eq!(
        text(&score, ".kpi-change .visually-hidden"),
        "比上一周期上升 0.12，向好"
    );
    assert!(score.class_list().contains("kpi-better"));
    assert_eq!(text(&score, ".kpi-previous"), "上一周期：4.20");

    let handling = card(5);
    assert_eq!(text(&handling, ".kpi-value"), "1 小时 25 分钟");
    assert_eq!(
        text(&handling, ".kpi-change .visually-hidden"),
        "比上一周期上升 15 分钟，变差"
    );
    assert!(handling.class_list().contains("kpi-worse"));

    let first_contact = card(4);
    assert_eq!(text(&first_contact, ".kpi-value"), "无数据");
    assert!(find(&first_contact, ".kpi-change").is_none());
    assert_eq!(
        text(&first_contact, ".kpi-previous"),
        "上一周期无数据，无法对比"
    );

    let appeals = card(6);
    assert!(find(&appeals, ".kpi-change").is_none());
    assert_eq!(text(&appeals, ".kpi-hint"), "当前数量，不与上一周期对比");
    assert_eq!(text(&card(2), ".kpi-hint"), "总体满意度 ≥ 8 分的评价占比");

    // The response rate (参评率), a rate against the previous period.
    let response = card(8);
    assert_eq!(text(&response, ".kpi-name"), "参评率");
    assert_eq!(text(&response, ".kpi-value"), "42.0%");
    assert_eq!(
        text(&response, ".kpi-change [aria-hidden='true']"),
        "▲ +2.0 个百分点"
    );
    assert!(response.class_list().contains("kpi-better"));
    assert_eq!(text(&response, ".kpi-previous"), "上一周期：40.0%");
    assert_eq!(text(&response, ".kpi-hint"), "本期发出的邀请中已评价的占比");
    assert_eq!(
        text(&root, ".kpis-compare"),
        "与上一周期（2026-09-24 至 2026-10-23）相比"
    );
}

fn dimension(code: &str, zh: &str, average: f64) -> DimensionStat {
    DimensionStat {
        dimension: DimensionName {
            code: code.into(),
            name_zh: zh.into(),
            name_en: code.into(),
        },
        average,
        count: 12,
        weak: average < 3.0,
    }
}

#[wasm_bindgen_test]
async fn the_dimension_ranking_marks_weak_dimensions_and_links_each_to_its_evaluations() {
    let report = DimensionReport {
        period: Period::last_days(day("2026-11-22"), 30),
        dimensions: vec![
            dimension("attitude", "服务态度", 4.6),
            dimension("resolution", "问题解决", 3.1),
            dimension("compliance", "服务规范性", 2.5),
        ],
    };
    let filter = AnalyticsFilter {
        team: Some(2),
        ..AnalyticsFilter::default()
    };
    let (root, _mounted) = mount_at("/admin/analytics", move || {
        view! { <DimensionView report=report.clone() filter=filter.clone() /> }
    });
    next_frame().await;
    assert_eq!(
        text(&root, ".weak-note"),
        "低于 3 分、需要改进的维度：服务规范性（2.50）。"
    );
    let rows = root
        .query_selector_all(".dimension-table tbody tr")
        .unwrap();
    assert_eq!(rows.length(), 3);
    let weak: Vec<String> = (0..rows.length())
        .map(|i| rows.item(i).unwrap().unchecked_into::<web_sys::Element>())
        .filter(|row| row.class_list().contains("weak-row"))
        .map(|row| text(&row, "th"))
        .collect();
    assert_eq!(weak, ["服务规范性"]);
    assert_eq!(text(&root, ".weak-row .badge-weak"), "待改进");
    let link = find(&root, ".weak-row th a").unwrap();
    assert_eq!(
        link.get_attribute("href").as_deref(),
        Some("/admin/analytics/evaluations?team=2&dimension=compliance")
    );
    assert_eq!(
        find(&root, "[role=img]")
            .unwrap()
            .get_attribute("aria-label")
            .as_deref(),
        Some("各维度平均分（从强到弱）")
    );
}

fn evaluation(id: i64, suggestion: &str) -> AnalyticsEvaluation {
    AnalyticsEvaluation {
        id,
        number: format!("PJ20261120-{id:06}"),
        submitted_at: Utc.with_ymd_and_hms(2026, 11, 20, 2, 0, 0).unwrap(),
        agent_no: "E1001".into(),
        agent_name: "王小明".into(),
        team_name: Some("一组".into()),
        team_name_en: None,
        service_type: "online".into(),
        service_type_name_zh: "在线客服咨询".into(),
        service_type_name_en: "Online support".into(),
        channel: Channel::Online,
        customer_type: Some(CustomerType::Member),
        total_score: 2.2,
        overall: 3,
        scores: vec![pingjia_domain::analytics::AnalyticsScore {
            dimension: "attitude".into(),
            name_zh: "服务态度".into(),
            name_en: "Attitude".into(),
            score: Some(2),
        }],
        suggestion: Some(suggestion.into()),
        flags: vec![AnomalyRule::Abusive],
        status: "under_review".into(),
    }
}

#[wasm_bindgen_test]
async fn a_suggestion_with_markup_is_shown_as_text_in_the_drill_down() {
    const HOSTILE: &str = "<img src=x onerror=alert(1)><script>window.hacked = 1</script>太慢";
    let page = AnalyticsEvaluationPage {
        evaluations: vec![evaluation(7, HOSTILE), evaluation(8, "  ")],
        total: 27,
        page: 1,
        per_page: 25,
    };
    let drill = DrillFilter {
        dimension: Some("attitude".into()),
        word: Some("太慢".into()),
        sentiment: Some(Sentiment::Complaints),
        ..DrillFilter::default()
    };
    let (root, _mounted) = mount_at("/admin/analytics/evaluations", move || {
        view! {
            <DrillList page=page.clone() filter=AnalyticsFilter::default() drill=drill.clone() />
        }
    });
    next_frame().await;
    assert_eq!(text(&root, ".drill-suggestion"), HOSTILE);
    assert!(
        find(&root, "img").is_none(),
        "no element made from the text"
    );
    assert!(find(&root, "script").is_none());
    assert!(
        js_sys::Reflect::get(&web_sys::window().unwrap(), &"hacked".into())
            .unwrap()
            .is_undefined()
    );
    let rows = root.query_selector_all(".drill-table tbody tr").unwrap();
    assert_eq!(rows.length(), 2);
    let second: web_sys::Element = rows.item(1).unwrap().unchecked_into();
    assert_eq!(text(&second, ".drill-suggestion"), "未填写");
    assert_eq!(
        text(&root, ".drill-table caption"),
        "评价明细（最新的在前）"
    );
    let first: web_sys::Element = rows.item(0).unwrap().unchecked_into();
    assert_eq!(text(&first, "th .mono"), "PJ20261120-000007");
    // The number is a link to the evaluation's page (keyboard-reachable), which carries the
    // list's address to lead back to it.
    let open = find(&first, "th a.drill-open").expect("the number links to the evaluation");
    assert_eq!(
        open.get_attribute("href").as_deref(),
        Some(
            "/admin/analytics/evaluations/PJ20261120-000007?dimension=attitude\
             &sentiment=complaints&word=%E5%A4%AA%E6%85%A2"
        )
    );
    let cell = find(&first, "td[data-label='异常标记']").unwrap();
    assert_eq!(cell.text_content().unwrap(), "恶意评价：含不当用语");
    assert_eq!(
        text(&root, ".list-count"),
        "共 27 条评价，当前显示第 1–2 条。"
    );
    let chips: Vec<String> = {
        let list = root.query_selector_all(".chips li").unwrap();
        (0..list.length())
            .map(|i| list.item(i).unwrap().text_content().unwrap())
            .collect()
    };
    assert_eq!(chips, ["维度：服务态度", "关键词：“太慢”（投诉建议中）"]);
    assert_eq!(
        find(&root, "a[rel=next]")
            .unwrap()
            .get_attribute("href")
            .as_deref(),
        Some(
            "/admin/analytics/evaluations?dimension=attitude&sentiment=complaints\
             &word=%E5%A4%AA%E6%85%A2&page=2"
        )
    );
    assert_eq!(
        drill_words(
            Locale::en,
            &DrillFilter {
                complaint_tag: Some(String::new()),
                overall: Some(3),
                ..DrillFilter::default()
            },
            str::to_owned
        ),
        ["Overall satisfaction: 3", "Complaint tag: Untagged"]
    );
}

fn agent(no: &str, name: &str, total: Option<f64>, count: u64) -> AgentStat {
    AgentStat {
        agent_no: no.into(),
        name: name.into(),
        team_id: Some(1),
        team_name: Some("一组".into()),
        team_name_en: None,
        count,
        average_total: total,
        average_overall: total.map(|t| t * 2.0),
        attainment_rate: total.map(|t| t / 5.0),
        dimensions: vec![],
    }
}

#[wasm_bindgen_test]
async fn the_leaderboard_sorts_by_the_chosen_header_both_ways() {
    let report = AgentReport {
        period: Period::last_days(day("2026-11-22"), 30),
        dimensions: vec![],
        agents: vec![
            agent("E1001", "王小明", Some(4.5), 3),
            agent("E1002", "李华", Some(3.9), 12),
            agent("E1003", "张伟", None, 0),
        ],
        teams: vec![],
    };
    let (root, _mounted) = mount_at("/admin/analytics", move || {
        view! { <Leaderboard report=report.clone() filter=AnalyticsFilter::default() /> }
    });
    next_frame().await;
    let order = || texts(&root, ".leaderboard tbody th");
    let sorted = || -> Vec<(String, String)> {
        let headers = root
            .query_selector_all(".leaderboard th[aria-sort]")
            .unwrap();
        (0..headers.length())
            .map(|i| {
                let th: web_sys::Element = headers.item(i).unwrap().unchecked_into();
                (
                    th.text_content()
                        .unwrap()
                        .trim()
                        .trim_end_matches(['▲', '▼', '↕'])
                        .to_owned(),
                    th.get_attribute("aria-sort").unwrap(),
                )
            })
            .collect()
    };
    assert_eq!(order(), ["王小明 E1001", "李华 E1002", "张伟 E1003"]);
    assert_eq!(
        sorted(),
        [("平均综合得分".to_owned(), "descending".to_owned())]
    );
    assert_eq!(
        find(&root, ".leaderboard tbody th a")
            .unwrap()
            .get_attribute("href")
            .as_deref(),
        Some("/admin/analytics/evaluations?agent=E1001")
    );

    click_button(&root, "评价数↕");
    next_frame().await;
    assert_eq!(order(), ["李华 E1002", "王小明 E1001", "张伟 E1003"]);
    assert_eq!(sorted(), [("评价数".to_owned(), "descending".to_owned())]);

    click_button(&root, "评价数▼");
    next_frame().await;
    assert_eq!(order(), ["张伟 E1003", "王小明 E1001", "李华 E1002"]);
    assert_eq!(sorted(), [("评价数".to_owned(), "ascending".to_owned())]);

    // Without an average, an agent comes last whichever way the column is sorted.
    click_button(&root, "平均综合得分↕");
    next_frame().await;
    click_button(&root, "平均综合得分▼");
    next_frame().await;
    assert_eq!(order(), ["李华 E1002", "王小明 E1001", "张伟 E1003"]);
    assert_eq!(
        text(&root, ".leaderboard tbody tr td[data-label='达标率']"),
        "78.0%"
    );
}

fn funnel(invited: u64, opened: u64, rated: u64, opted_out: u64) -> ResponseFunnel {
    ResponseCounts {
        invited,
        opened,
        rated,
        opted_out,
    }
    .funnel()
}

#[wasm_bindgen_test]
async fn the_response_panel_shows_the_funnel_against_the_previous_period_and_its_breakdown() {
    let period = Period::last_days(day("2026-11-22"), 30);
    let report = ResponseReport {
        period,
        previous_period: period.previous(),
        funnel: funnel(8, 6, 3, 1),
        previous: funnel(4, 2, 1, 0),
    };
    let row = |key: &str, zh: &str, en: &str, f: ResponseFunnel| ResponseRow {
        key: key.into(),
        name_zh: zh.into(),
        name_en: en.into(),
        period: None,
        funnel: f,
    };
    let breakdown = ResponseBreakdown {
        period,
        group: ResponseGroup::InvitationChannel,
        rows: vec![
            row("sms", "短信", "SMS", funnel(5, 4, 2, 1)),
            row("email", "电子邮件", "E-mail", funnel(3, 2, 1, 0)),
        ],
    };
    answer(json!([
        route("GET", "/analytics/response", 200, json!(report)),
        route(
            "GET",
            "/analytics/response/breakdown",
            200,
            json!(breakdown)
        ),
    ]));
    let (root, _mounted) = mount_at("/admin/analytics", || {
        let filter = Memo::new(|_| AnalyticsFilter::default());
        view! { <ResponsePanel filter /> }
    });
    wait_until("the funnel's table", || {
        find(&root, "[data-testid=response-funnel-table] tbody tr").is_some()
    })
    .await;
    assert_eq!(text(&root, "#response-title"), "参评率");
    // Each stage, its share of the invited, and the previous period's.
    assert_eq!(
        texts(&root, "[data-testid=response-funnel-table] tbody tr"),
        [
            "已邀请8100.0%4100.0%",
            "已打开675.0%250.0%",
            "已评价337.5%125.0%",
            "已退订112.5%00.0%",
        ]
    );
    assert!(
        find(&root, ".response-funnel .echart").is_some(),
        "the chart"
    );
    wait_until("the breakdown", || {
        find(&root, "[data-testid=response-breakdown-table] tbody tr").is_some()
    })
    .await;
    assert_eq!(
        texts(&root, "[data-testid=response-breakdown-table] tbody tr"),
        ["短信542140.0%", "电子邮件321033.3%"]
    );
    // Another grouping asks the server for it.
    click_button(&root, "按服务人员");
    wait_until("the agents' breakdown", || {
        calls_to("/analytics/response/breakdown")
            .iter()
            .any(|c| c["path"].as_str().unwrap_or("").contains("by=agent"))
    })
    .await;
}
