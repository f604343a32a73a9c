//! Internal QA in a real browser: the inspection form asks for the problem, owner and deadline
//! of a wanting item only and names missing answers beside them; the report flags a dimension
//! under 3 and shows the agents' composites; the owner's rectification report needs a note.
//! The components are mounted with their data, as the other component tests do: nothing is
//! sent before the form's own checks pass.
use crate::common::*;
use chrono::{TimeZone, Utc};
use leptos::prelude::*;
use pingjia::components::conversation::ConversationPanel;
use pingjia::i18n::Locale;
use pingjia::pages::qa::inspect::{InspectionDraft, InspectionForm, ItemDraft, draft_name};
use pingjia::pages::qa::qa_error_text;
use pingjia::pages::qa::rectifications::RectificationReportForm;
use pingjia::pages::qa::report::{AnchoredReportView, ReportView};
use pingjia_domain::FieldError;
use pingjia_domain::qa::{
    AnchorItem, AnchorWindow, ChecklistTemplate, CoachingAnchor, CompositeRow, DimensionResult,
    InspectionSheet, ItemResult, Person, PlanReport, PlanScope, PlanSummary, Rectification,
    RectificationCounts, RectificationStatus, RubricLevel, SampleRow, SampleStatus, Stratum,
    TemplateDimension, TemplateItem,
};
use pingjia_domain::records::ServiceRecord;
use pingjia_domain::records::conversation::Conversation;
use pingjia_domain::wire::{Category, Channel, CustomerType, Urgency};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

fn person(id: i64, no: &str, name: &str) -> Person {
    Person {
        id,
        no: no.into(),
        name: name.into(),
    }
}

fn item(id: i64, zh: &str) -> TemplateItem {
    TemplateItem {
        id,
        name_zh: zh.into(),
        name_en: zh.into(),
        standard_zh: "规范话术".into(),
        standard_en: "Standard".into(),
    }
}

fn template() -> ChecklistTemplate {
    ChecklistTemplate {
        id: 1,
        name_zh: "客户服务质量标准检查表".into(),
        name_en: "Checklist".into(),
        description_zh: String::new(),
        description_en: String::new(),
        dimensions: vec![TemplateDimension {
            id: 10,
            name_zh: "服务态度".into(),
            name_en: "Attitude".into(),
            levels: vec![RubricLevel {
                score: 1,
                text_zh: "态度恶劣".into(),
                text_en: "Rude".into(),
            }],
            items: vec![item(100, "主动问候客户"), item(101, "耐心倾听")],
        }],
        in_use: true,
        updated_at: Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap(),
    }
}

fn plan() -> PlanSummary {
    PlanSummary {
        id: 3,
        name: "11 月巡检".into(),
        goal: "提升响应时效".into(),
        from: day("2026-11-01"),
        to: day("2026-11-20"),
        template_id: 1,
        template_name_zh: "客户服务质量标准检查表".into(),
        template_name_en: "Checklist".into(),
        seed: 42,
        created_by: person(2, "Q001", "质检员甲"),
        created_at: Utc.with_ymd_and_hms(2026, 11, 20, 8, 0, 0).unwrap(),
        sample_count: 30,
        inspected_count: 1,
        open_rectifications: 1,
    }
}

fn sample() -> SampleRow {
    SampleRow {
        id: 7,
        plan_id: 3,
        plan_name: "11 月巡检".into(),
        record_id: 70,
        external_id: "SR-0070".into(),
        agent: person(5, "E1001", "王小明"),
        service_type_name_zh: "在线客服咨询".into(),
        service_type_name_en: "Online support".into(),
        channel: Channel::Online,
        customer_type: Some(CustomerType::Member),
        ended_at: Utc.with_ymd_and_hms(2026, 11, 10, 3, 0, 0).unwrap(),
        stratum: 0,
        inspector: person(2, "Q001", "质检员甲"),
        status: SampleStatus::Pending,
        qa_score: None,
        wanting: 0,
    }
}

fn record() -> ServiceRecord {
    let at = Utc.with_ymd_and_hms(2026, 11, 10, 2, 0, 0).unwrap();
    ServiceRecord {
        id: 70,
        external_id: "SR-0070".into(),
        customer_id: 9,
        customer_no: "C000009".into(),
        customer_type: Some(CustomerType::Member),
        customer_phone: None,
        agent_id: 5,
        agent_no: "E1001".into(),
        agent_name: "王小明".into(),
        team_id: Some(1),
        team_name: Some("一组".into()),
        team_name_en: None,
        service_type: "online".into(),
        service_type_name_zh: "在线客服咨询".into(),
        service_type_name_en: "Online support".into(),
        channel: Channel::Online,
        started_at: at,
        ended_at: at + chrono::Duration::minutes(20),
        order_no: None,
        urgency: Urgency::Normal,
        category: Category::Consultation,
        tags: vec![],
        requested_at: at,
        first_response_at: Some(at),
        resolved_at: None,
        resolved_first_contact: true,
        rated: false,
        created_at: at,
        do_not_invite: false,
        invitation_state: pingjia_domain::invitations::InvitationState::NotInvited,
    }
}

fn sheet() -> InspectionSheet {
    InspectionSheet {
        sample: sample(),
        record: record(),
        conversation: Conversation::default(),
        evaluation: None,
        template: template(),
        inspection: None,
        owners: vec![person(5, "E1001", "王小明"), person(6, "L001", "李主管")],
        default_deadline: day("2026-11-25"),
        today: day("2026-11-20"),
        editable: true,
    }
}

#[wasm_bindgen_test]
async fn the_inspection_form_asks_about_wanting_items_only_and_names_what_is_missing() {
    local_storage()
        .remove_item(&format!("pingjia.draft.{}", draft_name(7)))
        .unwrap();
    let (root, _mounted) =
        mount(|| view! { <InspectionForm sheet=sheet() on_saved=Callback::new(|_| ()) /> });
    next_frame().await;
    // Nothing is marked by default, and nothing asks for a problem yet.
    assert!(find(&root, "#item-100-compliant:checked").is_none());
    assert!(find(&root, "#item-100-problem").is_none());
    assert!(find(&root, "#item-100-owner").is_none());
    // The rubric shows the level descriptions.
    assert!(text(&root, "[data-testid=qa-rubric-10]").contains("态度恶劣"));

    click(&root, "#item-100-non_compliant");
    wait_until("the problem, owner and deadline show", || {
        find(&root, "#item-100-problem").is_some()
            && find(&root, "#item-100-owner").is_some()
            && find(&root, "#item-100-deadline").is_some()
    })
    .await;
    // The owner defaults to the agent, the deadline to the sheet's.
    assert_eq!(
        find(&root, "#item-100-owner")
            .unwrap()
            .unchecked_into::<web_sys::HtmlSelectElement>()
            .value(),
        "5"
    );
    assert_eq!(input_value(&root, "#item-100-deadline"), "2026-11-25");
    // A compliant item asks nothing more.
    assert!(find(&root, "#item-101-problem").is_none());

    // The draft is kept on this device.
    wait_until("the draft is saved", || {
        local_storage()
            .get_item(&format!("pingjia.draft.{}", draft_name(7)))
            .unwrap()
            .is_some_and(|d| d.contains("non_compliant"))
    })
    .await;

    click_button(&root, "保存检查结果");
    wait_until("the missing answers are named beside their fields", || {
        text(&root, "#item-100-problem-error") == "请描述具体事件：时间、经过。"
            && text(&root, "#item-101-result-error") == "请标记此项的检查结果。"
            && text(&root, "#score-10-error") == "请为此维度评 1–5 分。"
    })
    .await;
    assert_eq!(
        find(&root, "#item-100-problem")
            .unwrap()
            .get_attribute("aria-invalid")
            .as_deref(),
        Some("true")
    );
    // The focus lands on the first field that needs attention.
    wait_until("the focus is on the problem", || {
        document().active_element().map(|e| e.id()).as_deref() == Some("item-100-problem")
    })
    .await;

    // Found compliant after all: the extra fields go.
    click(&root, "#item-100-compliant");
    wait_until("the problem is gone", || {
        find(&root, "#item-100-problem").is_none()
    })
    .await;
    local_storage()
        .remove_item(&format!("pingjia.draft.{}", draft_name(7)))
        .unwrap();
}

#[wasm_bindgen_test]
fn a_wanting_item_without_deadline_is_named_by_its_deadline() {
    let mut draft = InspectionDraft::start(&sheet());
    draft.answers.insert(
        100,
        ItemDraft {
            result: Some(ItemResult::Partly),
            problem: "10:05 多次打断客户".into(),
            owner: "5".into(),
            deadline: String::new(),
            quote: String::new(),
        },
    );
    draft.answers.get_mut(&101).unwrap().result = Some(ItemResult::Compliant);
    draft.scores.insert(10, 3);
    let fields: Vec<String> = draft
        .to_inspection(&template(), &[5, 6], day("2026-11-20"), &[])
        .unwrap_err()
        .into_iter()
        .map(|e| e.field)
        .collect();
    assert_eq!(fields, ["rectifications.100.deadline"]);
    draft.answers.get_mut(&100).unwrap().deadline = "2026-11-25".into();
    let inspection = draft
        .to_inspection(&template(), &[5, 6], day("2026-11-20"), &[])
        .unwrap();
    assert_eq!(inspection.rectifications.len(), 1);
    assert_eq!(inspection.rectifications[0].owner_id, 5);
    assert_eq!(
        qa_error_text(
            Locale::en,
            &FieldError::new("rectifications.100.deadline", "in_past", "")
        ),
        "The deadline cannot be in the past."
    );
}

fn report() -> PlanReport {
    let dimension = |id: i64, zh: &str, score: f64| DimensionResult {
        dimension_id: id,
        name_zh: zh.into(),
        name_en: zh.into(),
        score: Some(score),
        score_rate: Some(0.5),
        applicable: 4,
        compliant: 2,
        flagged: score < 3.0,
        before: None,
    };
    PlanReport {
        plan: plan(),
        scope: PlanScope {
            service_types: vec![],
            channels: vec![Channel::Online],
            customer_types: vec![],
            strata: vec![],
        },
        strata: vec![Stratum {
            parts: vec![],
            population: 120,
            sample: 30,
        }],
        inspected: 1,
        dimensions: vec![
            dimension(10, "服务态度", 4.2),
            dimension(11, "响应及时性", 2.5),
        ],
        qa_score: Some(4.0),
        customer_score: Some(4.8),
        composite: Some(4.48),
        customer_weight: 60,
        qa_weight: 40,
        agents: vec![CompositeRow {
            who: person(5, "E1001", "王小明"),
            team_name: Some("一组".into()),
            team_name_en: None,
            inspections: 1,
            qa_score: Some(4.0),
            customer_score: Some(4.8),
            evaluations: 12,
            composite: Some(4.48),
        }],
        teams: vec![],
        problems: vec![],
        highlights: vec![],
        rectifications: RectificationCounts::default(),
        compare: None,
        comparable: vec![],
        dispute_inspectors: vec![],
        dispute_items: vec![],
        coaching: None,
    }
}

/// [`report`] anchored on coaching session 7 of 王小明 (E1001), its after window passed or
/// not: 服务态度 2.0 before, 4.2 after; 耐心倾听 none of two before, all after.
fn anchored_report(after_complete: bool) -> PlanReport {
    let mut report = report();
    report.agents.clear();
    report.dimensions[0].before = Some(2.0);
    let window =
        |first: &str, last: &str, complete: bool, n: u64, score: Option<f64>| AnchorWindow {
            first: first.parse().unwrap(),
            last: last.parse().unwrap(),
            complete,
            inspected: n,
            qa_score: score,
        };
    report.coaching = Some(CoachingAnchor {
        session_id: 7,
        agent: person(5, "E1001", "王小明"),
        coach_name: "李组长".into(),
        held_at: Utc.with_ymd_and_hms(2026, 11, 12, 2, 0, 0).unwrap(),
        before: window("2026-10-13", "2026-11-11", true, 2, Some(3.6)),
        after: if after_complete {
            window("2026-11-13", "2026-12-12", true, 1, Some(4.2))
        } else {
            window("2026-11-13", "2026-12-12", false, 0, None)
        },
        items: vec![AnchorItem {
            item_id: 2,
            item_name_zh: "耐心倾听".into(),
            item_name_en: "Listens".into(),
            dimension_name_zh: "服务态度".into(),
            dimension_name_en: "Attitude".into(),
            before: Some(0.0),
            after: after_complete.then_some(1.0),
        }],
    });
    report
}

#[wasm_bindgen_test]
async fn the_report_anchored_on_a_coaching_session_names_it_and_shows_before_and_after() {
    let (root, _mounted) = mount(|| {
        let report = anchored_report(true);
        let anchor = report.coaching.clone().unwrap();
        view! { <AnchoredReportView report anchor /> }
    });
    next_frame().await;
    let notice = text(&root, "[data-testid=qa-coaching-anchor]");
    assert!(
        notice.contains("李组长") && notice.contains("王小明 (E1001)"),
        "{notice}"
    );
    let back = find(&root, ".breadcrumb a").unwrap();
    assert_eq!(back.get_attribute("href").as_deref(), Some("/coaching/7"));
    let windows = text(&root, "[data-testid=qa-anchor-windows]");
    assert!(windows.contains("2026-10-13 至 2026-11-11"), "{windows}");
    assert!(
        windows.contains("3.60") && windows.contains("4.20"),
        "{windows}"
    );
    let attitude = text(&root, "[data-testid=qa-dimension-row-10]");
    assert!(
        attitude.contains("4.20") && attitude.contains("2.00"),
        "{attitude}"
    );
    let head = text(&root, "[data-testid=qa-dimension-table] thead");
    assert!(
        head.contains("辅导后平均评分") && head.contains("辅导前"),
        "{head}"
    );
    let item = text(&root, "[data-testid=qa-anchor-item-2]");
    assert!(item.contains("0%") && item.contains("100%"), "{item}");
    // Nothing of the plan's other agents.
    assert!(find(&root, "[data-testid=qa-agent-table]").is_none());
    assert!(find(&root, "[data-testid=qa-anchor-pending]").is_none());
}

#[wasm_bindgen_test]
async fn before_the_after_window_has_passed_the_anchored_report_says_when_it_shows() {
    let (root, _mounted) = mount(|| {
        let report = anchored_report(false);
        let anchor = report.coaching.clone().unwrap();
        view! { <AnchoredReportView report anchor /> }
    });
    next_frame().await;
    let pending = text(&root, "[data-testid=qa-anchor-pending]");
    assert!(pending.contains("2026-12-12"), "{pending}");
    assert!(text(&root, "[data-testid=qa-anchor-windows]").contains("2026-12-12 之后可见"));
}

#[wasm_bindgen_test]
async fn the_report_flags_a_dimension_under_3_and_shows_the_agents_composites() {
    let (root, _mounted) = mount(|| view! { <ReportView report=report() /> });
    next_frame().await;
    let flagged = find(&root, "[data-testid=qa-dimension-row-11]").unwrap();
    assert!(flagged.class_list().contains("qa-flagged"));
    assert!(text(&flagged, "[data-testid=qa-flag]").contains("低于 3 分"));
    let fine = find(&root, "[data-testid=qa-dimension-row-10]").unwrap();
    assert!(!fine.class_list().contains("qa-flagged"));
    assert!(find(&fine, "[data-testid=qa-flag]").is_none());

    assert_eq!(text(&root, "[data-testid=qa-composite] strong"), "4.48");
    assert!(text(&root, "[data-testid=qa-report-scores] + .field-hint").contains("60%"));
    let agents = text(&root, "[data-testid=qa-agent-table] tbody");
    assert!(
        agents.contains("王小明") && agents.contains("4.48"),
        "{agents}"
    );
    assert!(find(&root, "[data-testid=qa-radar] .echart").is_some());
    assert!(
        find(&root, "[data-testid=qa-csv]")
            .unwrap()
            .get_attribute("href")
            .unwrap()
            .ends_with("/qa/plans/3/report.csv")
    );
}

fn rectification() -> Rectification {
    Rectification {
        id: 12,
        plan_id: 3,
        plan_name: "11 月巡检".into(),
        sample_id: 7,
        record_id: 70,
        external_id: "SR-0070".into(),
        agent: person(5, "E1001", "王小明"),
        item_id: 100,
        item_name_zh: "主动问候客户".into(),
        item_name_en: "Greets".into(),
        dimension_name_zh: "服务态度".into(),
        dimension_name_en: "Attitude".into(),
        result_found: ItemResult::NonCompliant,
        problem: "10:05 未主动问候".into(),
        quote: None,
        owner: person(5, "E1001", "王小明"),
        deadline: day("2026-11-25"),
        status: RectificationStatus::Open,
        overdue: false,
        result: None,
        owner_note: None,
        reported_at: None,
        check_note: None,
        checked_by: None,
        checked_at: None,
        inspector: person(2, "Q001", "质检员甲"),
    }
}

#[wasm_bindgen_test]
async fn the_rectification_report_needs_a_result_and_a_note() {
    let (root, _mounted) = mount(|| {
        view! { <RectificationReportForm rectification=rectification() on_reported=Callback::new(|_| ()) /> }
    });
    next_frame().await;
    click_button(&root, "提交整改结果");
    wait_until("the result and the note are asked for", || {
        text(&root, "#rect-12-result-error") == "请选择整改结果。"
            && text(&root, "#rect-12-note-error") == "请填写说明。"
    })
    .await;

    click(&root, "#rect-12-result-rectified");
    click_button(&root, "提交整改结果");
    wait_until("only the note is asked for", || {
        find(&root, "#rect-12-result-error").is_none()
            && text(&root, "#rect-12-note-error") == "请填写说明。"
    })
    .await;
    assert_eq!(
        find(&root, "#rect-12-note")
            .unwrap()
            .get_attribute("aria-invalid")
            .as_deref(),
        Some("true")
    );
    wait_until("the focus is on the note", || {
        document().active_element().map(|e| e.id()).as_deref() == Some("rect-12-note")
    })
    .await;
}

fn conversation() -> Conversation {
    Conversation {
        transcript_url: Some("https://helpdesk.example.com/t/7".into()),
        recording_url: Some("https://helpdesk.example.com/r/7.ogg".into()),
        lines: vec![
            "客户：快递三天没动了".into(),
            "客服：您好，我帮您查一下".into(),
            "系统：会话结束".into(),
        ],
    }
}

#[wasm_bindgen_test]
async fn the_conversation_reads_as_turns_and_a_finding_quotes_one_of_its_lines() {
    local_storage()
        .remove_item(&format!("pingjia.draft.{}", draft_name(7)))
        .unwrap();
    let mut quoted = sheet();
    quoted.conversation = conversation();
    let (root, _mounted) = mount(move || {
        view! {
            <ConversationPanel conversation=conversation() />
            <InspectionForm sheet=quoted.clone() on_saved=Callback::new(|_| ()) />
        }
    });
    next_frame().await;
    // Each line a speaker's turn; the recording in the browser's player; the link in a new tab.
    assert_eq!(
        texts(&root, ".transcript .turn-speaker"),
        ["客户", "客服", "系统"]
    );
    assert_eq!(text(&root, ".turn-agent .turn-said"), "您好，我帮您查一下");
    assert!(find(&root, ".turn-other").is_some());
    let audio = find(&root, "audio[controls]").unwrap();
    assert_eq!(
        audio.get_attribute("src").as_deref(),
        Some("https://helpdesk.example.com/r/7.ogg")
    );
    let link = find(&root, "[data-testid=conversation-link]").unwrap();
    assert_eq!(link.get_attribute("target").as_deref(), Some("_blank"));
    assert!(link.get_attribute("rel").unwrap().contains("noopener"));
    assert!(find(&root, "[data-testid=conversation-empty]").is_none());
    // Every item offers the lines; the chosen one shows as a quotation under the item.
    let select: web_sys::HtmlSelectElement =
        find(&root, "#item-100-quote").unwrap().unchecked_into();
    assert_eq!(select.length(), 4);
    assert!(find(&root, "[data-testid=qa-item-100] [data-testid=quoted-line]").is_none());
    select.set_value("客服：您好，我帮您查一下");
    select
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
    wait_until("the quote shows under the item", || {
        find(&root, "[data-testid=qa-item-100] [data-testid=quoted-line]").is_some()
    })
    .await;
    assert!(text(&root, "[data-testid=qa-item-100] blockquote").contains("您好，我帮您查一下"));
    local_storage()
        .remove_item(&format!("pingjia.draft.{}", draft_name(7)))
        .unwrap();
}

#[wasm_bindgen_test]
async fn a_record_without_a_conversation_says_so_and_offers_no_quote() {
    let (root, _mounted) = mount(|| {
        view! {
            <ConversationPanel conversation=Conversation::default() />
            <InspectionForm sheet=sheet() on_saved=Callback::new(|_| ()) />
        }
    });
    next_frame().await;
    assert!(find(&root, "[data-testid=conversation-empty]").is_some());
    assert!(find(&root, "audio").is_none());
    assert!(find(&root, "#item-100-quote").is_none());
    local_storage()
        .remove_item(&format!("pingjia.draft.{}", draft_name(7)))
        .unwrap();
}

#[wasm_bindgen_test]
fn a_quote_is_sent_only_when_it_is_a_line_of_the_transcript() {
    let lines = conversation().lines;
    let mut draft = InspectionDraft::start(&sheet());
    for answer in draft.answers.values_mut() {
        answer.result = Some(ItemResult::Compliant);
    }
    draft.scores.insert(10, 4);
    draft.answers.get_mut(&100).unwrap().quote = "客户：快递三天没动了".into();
    let inspection = draft
        .to_inspection(&template(), &[5, 6], day("2026-11-20"), &lines)
        .unwrap();
    assert_eq!(
        inspection.answers[0].quote.as_deref(),
        Some("客户：快递三天没动了")
    );
    assert_eq!(inspection.answers[1].quote, None);
    let fields: Vec<String> = draft
        .to_inspection(&template(), &[5, 6], day("2026-11-20"), &[])
        .unwrap_err()
        .into_iter()
        .map(|e| e.field)
        .collect();
    assert_eq!(fields, ["answers.100.quote"]);
}
