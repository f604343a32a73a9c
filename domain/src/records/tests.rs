//! Reading and checking one incoming record.

use super::*;

fn zone() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).unwrap()
}

fn raw() -> RawRecord {
    RawRecord {
        external_id: "HD1".to_owned(),
        customer: "138-0000-0001".to_owned(),
        agent: "e1001".to_owned(),
        customer_no: String::new(),
        member_no: String::new(),
        customer_phone: String::new(),
        customer_type: String::new(),
        customer_email: String::new(),
        customer_name: String::new(),
        service_type: "在线客服咨询".to_owned(),
        channel: "线上".to_owned(),
        started_at: "2026-11-20 10:05".to_owned(),
        ended_at: "2026-11-20T02:20:00Z".to_owned(),
        order_no: String::new(),
        urgency: "高".to_owned(),
        category: "投诉".to_owned(),
        tags: split_tags("物流延迟|退换货；"),
        requested_at: "2026/11/20 10:00:30".to_owned(),
        first_response_at: "2026-11-20 10:03".to_owned(),
        resolved_at: String::new(),
        resolved_first_contact: "是".to_owned(),
        do_not_invite: String::new(),
        transcript_url: String::new(),
        recording_url: String::new(),
        transcript: String::new(),
    }
}

fn codes(raw: &RawRecord) -> Vec<(String, String)> {
    raw.parse(zone())
        .unwrap_err()
        .into_iter()
        .map(|e| (e.field, e.code))
        .collect()
}

#[test]
fn chinese_and_english_words_and_local_times_are_read() {
    let r = raw().parse(zone()).unwrap();
    assert_eq!(r.customer.reference.as_deref(), Some("13800000001"));
    assert_eq!(r.agent, "E1001");
    assert_eq!(r.channel, Channel::Online);
    assert_eq!(r.urgency, Urgency::High);
    assert_eq!(r.category, Category::Complaint);
    assert_eq!(r.tags, ["物流延迟", "退换货"]);
    assert_eq!(r.started_at.to_rfc3339(), "2026-11-20T02:05:00+00:00");
    assert_eq!(r.requested_at.to_rfc3339(), "2026-11-20T02:00:30+00:00");
    assert!(r.resolved_first_contact);
    assert_eq!(r.order_no, None);
    for (text, flag) in [("1", true), ("否", false), ("FALSE", false), ("", false)] {
        assert_eq!(parse_flag(text), Some(flag));
    }
    assert_eq!(parse_urgency("Normal"), Some(Urgency::Normal));
    assert_eq!(parse_category("表扬"), Some(Category::Praise));
    assert_eq!(parse_channel("offline"), Some(Channel::Offline));
}

#[test]
fn every_problem_is_listed() {
    let mut r = raw();
    r.customer = " ".to_owned();
    r.channel = "phone".to_owned();
    r.started_at = "yesterday".to_owned();
    r.resolved_first_contact = "maybe".to_owned();
    r.tags = vec!["x".repeat(21)];
    assert_eq!(
        codes(&r),
        [
            ("customer".to_owned(), "required".to_owned()),
            ("channel".to_owned(), "invalid".to_owned()),
            ("started_at".to_owned(), "invalid_time".to_owned()),
            ("tags".to_owned(), "too_long".to_owned()),
            ("resolved_first_contact".to_owned(), "invalid".to_owned()),
        ]
    );
}

#[test]
fn times_must_follow_each_other() {
    let mut r = raw();
    r.requested_at = "2026-11-20 10:06".to_owned();
    r.ended_at = "2026-11-20 10:04".to_owned();
    r.resolved_at = "2026-11-20 10:01".to_owned();
    assert_eq!(
        codes(&r),
        [
            ("started_at".to_owned(), "order".to_owned()),
            ("ended_at".to_owned(), "order".to_owned()),
            ("first_response_at".to_owned(), "order".to_owned()),
            ("resolved_at".to_owned(), "order".to_owned()),
        ]
    );
}

#[test]
fn the_conversation_is_optional_and_checked() {
    let r = raw().parse(zone()).unwrap();
    assert_eq!((r.transcript_url, r.recording_url), (None, None));
    assert!(r.transcript.is_empty());
    let mut r = raw();
    r.transcript_url = "https://helpdesk.example.com/t/HD1".to_owned();
    r.recording_url = " https://helpdesk.example.com/r/HD1.ogg ".to_owned();
    r.transcript = "客户：快递三天没动了\n\n客服：您好，我帮您查一下\n".to_owned();
    let parsed = r.parse(zone()).unwrap();
    assert_eq!(
        parsed.recording_url.as_deref(),
        Some("https://helpdesk.example.com/r/HD1.ogg")
    );
    assert_eq!(
        parsed.transcript,
        ["客户：快递三天没动了", "客服：您好，我帮您查一下"]
    );
    r.transcript_url = "helpdesk.example.com/t/HD1".to_owned();
    r.recording_url = "javascript:alert(1)".to_owned();
    r.transcript = "客".repeat(20_001);
    assert_eq!(
        codes(&r),
        [
            ("transcript_url".to_owned(), "invalid_url".to_owned()),
            ("recording_url".to_owned(), "invalid_url".to_owned()),
            ("transcript".to_owned(), "too_long".to_owned()),
            ("transcript".to_owned(), "line_too_long".to_owned()),
        ]
    );
}

#[test]
fn an_ingested_record_brings_its_conversation() {
    let raw: RawRecord = IngestRecord {
        external_id: "HD1".to_owned(),
        customer: String::new(),
        customer_no: None,
        member_no: None,
        customer_phone: None,
        customer_type: None,
        customer_email: None,
        customer_name: None,
        agent: String::new(),
        service_type: String::new(),
        channel: String::new(),
        started_at: String::new(),
        ended_at: String::new(),
        order_no: None,
        urgency: String::new(),
        category: String::new(),
        tags: Vec::new(),
        requested_at: String::new(),
        first_response_at: None,
        resolved_at: None,
        resolved_first_contact: false,
        do_not_invite: false,
        transcript_url: Some("https://h.example.com/t/1".to_owned()),
        recording_url: None,
        transcript: Some("客户：你好".to_owned()),
    }
    .into();
    assert_eq!(raw.transcript_url, "https://h.example.com/t/1");
    assert_eq!(raw.recording_url, "");
    assert_eq!(raw.transcript, "客户：你好");
}
