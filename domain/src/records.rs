//! Service records (服务记录) as they arrive from the company's helpdesk, by CSV import or the
//! ingestion endpoint, and as the admin list shows them: the wire types, and reading and
//! checking one incoming record before any database is asked (the server adds whether the
//! customer, the agent and the service type exist).

use chrono::{DateTime, FixedOffset, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::closed_list::{Labelled, choices, parse_code_or_chinese};
use crate::customers::{CustomerFields, RecordCustomer, customer_fields, read_customer};
use crate::problem::{FieldError, Lines, control_error};
use crate::wire::{Category, Channel, CustomerType, Urgency};

pub mod conversation;

use conversation::{parse_media_url, parse_transcript};

/// The header of a record import file, in the template's order (any order is read). Of the
/// customer's columns the file needs one number (`customer`, `customer_no`, `member_no` or
/// `customer_phone`); `order_no`, `tags`, `first_response_at`, `resolved_at`,
/// `resolved_first_contact` and `do_not_invite` (also headed 不邀请) may be left out too, and so
/// may the conversation's `transcript_url`, `recording_url` and `transcript` (its text, one
/// speaker turn per line: a quoted cell may hold line breaks).
pub const RECORD_COLUMNS: [&str; 25] = [
    "external_id",
    "customer",
    "customer_no",
    "member_no",
    "customer_phone",
    "customer_type",
    "customer_email",
    "customer_name",
    "agent",
    "service_type",
    "channel",
    "started_at",
    "ended_at",
    "order_no",
    "urgency",
    "category",
    "tags",
    "requested_at",
    "first_response_at",
    "resolved_at",
    "resolved_first_contact",
    "do_not_invite",
    "transcript_url",
    "recording_url",
    "transcript",
];

/// Other names a column of an import file may be headed with: (name, column).
pub const RECORD_COLUMN_ALIASES: [(&str, &str); 1] = [("不邀请", "do_not_invite")];

/// The columns an import file must have (and one of [`CUSTOMER_NUMBER_COLUMNS`]).
pub const REQUIRED_RECORD_COLUMNS: [&str; 9] = [
    "external_id",
    "agent",
    "service_type",
    "channel",
    "started_at",
    "ended_at",
    "urgency",
    "category",
    "requested_at",
];

/// The columns that name a record's customer; an import file has at least one.
pub const CUSTOMER_NUMBER_COLUMNS: [&str; 4] =
    ["customer", "customer_no", "member_no", "customer_phone"];

/// Longest external id and order number.
pub const MAX_EXTERNAL_ID_LEN: usize = 64;
/// Most tags of one record, and the longest tag.
pub const MAX_TAGS: usize = 10;
pub const MAX_TAG_LEN: usize = 20;
/// Rows of a dry run's preview.
pub const PREVIEW_ROWS: usize = 10;
/// Records per page of `GET /service-records` when none is asked for, and at most.
pub const DEFAULT_RECORDS_PER_PAGE: u32 = 20;
pub const MAX_RECORDS_PER_PAGE: u32 = 100;

/// A record as the helpdesk sends it, every field as text (a CSV row, or the JSON of
/// [`IngestRecord`]): what [`RawRecord::parse`] reads.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawRecord {
    pub external_id: String,
    pub customer: String,
    pub customer_no: String,
    pub member_no: String,
    pub customer_phone: String,
    pub customer_type: String,
    pub customer_email: String,
    pub customer_name: String,
    pub agent: String,
    pub service_type: String,
    pub channel: String,
    pub started_at: String,
    pub ended_at: String,
    pub order_no: String,
    pub urgency: String,
    pub category: String,
    pub tags: Vec<String>,
    pub requested_at: String,
    pub first_response_at: String,
    pub resolved_at: String,
    pub resolved_first_contact: String,
    /// `true`/`false`, 是/否, 1/0; empty = invite.
    pub do_not_invite: String,
    /// A link to the transcript at the helpdesk; empty = none.
    pub transcript_url: String,
    /// A link to the recording at the helpdesk; empty = none.
    pub recording_url: String,
    /// The transcript's text, one speaker turn per line; empty = none.
    pub transcript: String,
}

/// A record read and checked on its own; the customer, agent and service type are still the
/// references the helpdesk sent (normalised numbers, a type code or name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedRecord {
    pub external_id: String,
    /// The customer's numbers and contacts, normalised.
    pub customer: RecordCustomer,
    /// An employee number, normalised.
    pub agent: String,
    /// A service type's code or its Chinese or English name, trimmed.
    pub service_type: String,
    pub channel: Channel,
    pub started_at: DateTime<Utc>,
    pub ended_at: DateTime<Utc>,
    pub order_no: Option<String>,
    pub urgency: Urgency,
    pub category: Category,
    pub tags: Vec<String>,
    pub requested_at: DateTime<Utc>,
    pub first_response_at: Option<DateTime<Utc>>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub resolved_first_contact: bool,
    pub do_not_invite: bool,
    /// An absolute http(s) link, or none.
    pub transcript_url: Option<String>,
    /// An absolute http(s) link, or none.
    pub recording_url: Option<String>,
    /// The transcript's speaker turns, trimmed, without blank lines; empty when none.
    pub transcript: Vec<String>,
}

/// Splits a CSV `tags` cell on `|`, `；` or `;`; blank tags are dropped.
pub fn split_tags(cell: &str) -> Vec<String> {
    cell.split(['|', '；', ';'])
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

/// `online`/`offline` or `线上`/`线下`.
pub fn parse_channel(text: &str) -> Option<Channel> {
    parse_code_or_chinese(text)
}

/// `high`/`normal`/`low` or `高`/`中`/`低`.
pub fn parse_urgency(text: &str) -> Option<Urgency> {
    parse_code_or_chinese(text)
}

/// `consultation`/`complaint`/`suggestion`/`praise` or `咨询`/`投诉`/`建议`/`表扬`.
pub fn parse_category(text: &str) -> Option<Category> {
    parse_code_or_chinese(text)
}

/// `true`/`false`, `是`/`否`, `1`/`0` (also `yes`/`no`); empty is `false`.
pub fn parse_flag(text: &str) -> Option<bool> {
    match text.trim().to_lowercase().as_str() {
        "true" | "是" | "1" | "yes" => Some(true),
        "false" | "否" | "0" | "no" | "" => Some(false),
        _ => None,
    }
}

/// Local time formats read in the organisation's zone.
const LOCAL_FORMATS: [&str; 5] = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
];

/// An RFC 3339 time (`2026-11-22T10:15:00+08:00`, `...Z`), or a wall-clock time
/// `YYYY-MM-DD HH:MM[:SS]` (also with `/` between the date's parts) in `zone`.
pub fn parse_time(text: &str, zone: FixedOffset) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some(t.with_timezone(&Utc));
    }
    LOCAL_FORMATS.iter().find_map(|format| {
        NaiveDateTime::parse_from_str(text, format)
            .ok()
            .and_then(|local| local.and_local_timezone(zone).single())
            .map(|t| t.with_timezone(&Utc))
    })
}

/// A reference to a person as typed: spaces and hyphens dropped, letters upper-cased.
fn normalize_reference(text: &str) -> String {
    crate::auth::normalize_login(text)
}

fn required<'a>(errors: &mut Vec<FieldError>, field: &str, value: &'a str) -> Option<&'a str> {
    let value = value.trim();
    if value.is_empty() {
        errors.push(FieldError::new(field, "required", "this field is required"));
        None
    } else {
        Some(value)
    }
}

/// A required closed-list field, as its code or its Chinese name; else an `invalid` error
/// that says what to use (`"urgent" is not an urgency: use high, normal or low (高/中/低)`).
fn closed<T: Labelled>(
    errors: &mut Vec<FieldError>,
    field: &str,
    value: &str,
    what: &str,
) -> Option<T> {
    let text = required(errors, field, value)?;
    parse_code_or_chinese(text).or_else(|| {
        errors.push(FieldError::new(
            field,
            "invalid",
            format!("{text:?} is not {what}: use {}", choices::<T>()),
        ));
        None
    })
}

impl RawRecord {
    /// The customer's fields read and checked ([`read_customer`]).
    pub fn read_customer(&self) -> Result<RecordCustomer, Vec<FieldError>> {
        read_customer(&self.customer_fields())
    }

    fn customer_fields(&self) -> CustomerFields<'_> {
        CustomerFields {
            customer: &self.customer,
            customer_no: &self.customer_no,
            member_no: &self.member_no,
            customer_phone: &self.customer_phone,
            customer_type: &self.customer_type,
            customer_email: &self.customer_email,
            customer_name: &self.customer_name,
        }
    }

    /// Reads and checks every field: required fields, the closed lists, time formats (in
    /// `zone` when they carry no offset), lengths, and the order of the times (requested ≤
    /// started ≤ ended; requested ≤ first response; ended ≤ resolved). Field names are this
    /// type's; every problem is listed.
    pub fn parse(&self, zone: FixedOffset) -> Result<ParsedRecord, Vec<FieldError>> {
        let mut errors = Vec::new();
        let e = &mut errors;
        let external_id = required(e, "external_id", &self.external_id).map(str::to_owned);
        if let Some(id) = &external_id
            && (id.chars().count() > MAX_EXTERNAL_ID_LEN || id.chars().any(char::is_control))
        {
            e.push(FieldError::new(
                "external_id",
                "invalid",
                format!("use at most {MAX_EXTERNAL_ID_LEN} characters, without line breaks"),
            ));
        }
        let customer = customer_fields(&self.customer_fields(), e);
        let agent = required(e, "agent", &self.agent).map(normalize_reference);
        let service_type = required(e, "service_type", &self.service_type).map(str::to_owned);
        let channel = closed::<Channel>(e, "channel", &self.channel, "a channel");
        let urgency = closed::<Urgency>(e, "urgency", &self.urgency, "an urgency");
        let category = closed::<Category>(e, "category", &self.category, "a category");
        let mut time = |field: &str, text: &str, needed: bool| -> Option<DateTime<Utc>> {
            let text = text.trim();
            if text.is_empty() {
                if needed {
                    e.push(FieldError::new(field, "required", "this field is required"));
                }
                return None;
            }
            parse_time(text, zone).or_else(|| {
                e.push(FieldError::new(
                    field,
                    "invalid_time",
                    format!(
                        "{text:?} is not a time: use 2026-11-22 10:15 (China time) or \
                         2026-11-22T02:15:00Z"
                    ),
                ));
                None
            })
        };
        let started_at = time("started_at", &self.started_at, true);
        let ended_at = time("ended_at", &self.ended_at, true);
        let requested_at = time("requested_at", &self.requested_at, true);
        let first_response_at = time("first_response_at", &self.first_response_at, false);
        let resolved_at = time("resolved_at", &self.resolved_at, false);
        let order_no = Some(self.order_no.trim().to_owned()).filter(|o| !o.is_empty());
        if order_no
            .as_ref()
            .is_some_and(|o| o.chars().count() > MAX_EXTERNAL_ID_LEN)
        {
            e.push(FieldError::new(
                "order_no",
                "too_long",
                format!("use at most {MAX_EXTERNAL_ID_LEN} characters"),
            ));
        }
        e.extend(
            order_no
                .as_deref()
                .and_then(|o| control_error("order_no", o, Lines::Single)),
        );
        let tags: Vec<String> = self
            .tags
            .iter()
            .map(|t| t.trim().to_owned())
            .filter(|t| !t.is_empty())
            .collect();
        if tags.len() > MAX_TAGS {
            e.push(FieldError::new(
                "tags",
                "too_many",
                format!("use at most {MAX_TAGS} tags"),
            ));
        }
        e.extend(
            tags.iter()
                .find_map(|t| control_error("tags", t, Lines::Single)),
        );
        if let Some(tag) = tags.iter().find(|t| t.chars().count() > MAX_TAG_LEN) {
            e.push(FieldError::new(
                "tags",
                "too_long",
                format!("the tag {tag:?} is longer than {MAX_TAG_LEN} characters"),
            ));
        }
        let resolved_first_contact = parse_flag(&self.resolved_first_contact).or_else(|| {
            e.push(FieldError::new(
                "resolved_first_contact",
                "invalid",
                format!(
                    "{:?} is not yes or no: use true/false, 是/否 or 1/0",
                    self.resolved_first_contact.trim()
                ),
            ));
            None
        });
        let do_not_invite = parse_flag(&self.do_not_invite).or_else(|| {
            e.push(FieldError::new(
                "do_not_invite",
                "invalid",
                format!(
                    "{:?} is not yes or no: use true/false, 是/否 or 1/0",
                    self.do_not_invite.trim()
                ),
            ));
            None
        });
        let transcript_url = parse_media_url(e, "transcript_url", &self.transcript_url);
        let recording_url = parse_media_url(e, "recording_url", &self.recording_url);
        let transcript = parse_transcript(e, "transcript", &self.transcript);
        let order = |e: &mut Vec<FieldError>, field: &str, message: &str| {
            e.push(FieldError::new(field, "order", message));
        };
        if let (Some(requested), Some(started)) = (requested_at, started_at)
            && started < requested
        {
            order(
                e,
                "started_at",
                "the service cannot start before it was requested",
            );
        }
        if let (Some(started), Some(ended)) = (started_at, ended_at)
            && ended < started
        {
            order(e, "ended_at", "the service cannot end before it started");
        }
        if let (Some(requested), Some(first)) = (requested_at, first_response_at)
            && first < requested
        {
            order(
                e,
                "first_response_at",
                "the first response cannot come before the request",
            );
        }
        if let (Some(ended), Some(resolved)) = (ended_at, resolved_at)
            && resolved < ended
        {
            order(
                e,
                "resolved_at",
                "the request cannot be resolved before the service ended",
            );
        }
        match (
            external_id,
            customer,
            agent,
            service_type,
            channel,
            started_at,
            ended_at,
            urgency,
            category,
            requested_at,
            resolved_first_contact,
        ) {
            (
                Some(external_id),
                Some(customer),
                Some(agent),
                Some(service_type),
                Some(channel),
                Some(started_at),
                Some(ended_at),
                Some(urgency),
                Some(category),
                Some(requested_at),
                Some(resolved_first_contact),
            ) if errors.is_empty() => Ok(ParsedRecord {
                external_id,
                customer,
                agent,
                service_type,
                channel,
                started_at,
                ended_at,
                order_no,
                urgency,
                category,
                tags,
                requested_at,
                first_response_at,
                resolved_at,
                resolved_first_contact,
                do_not_invite: do_not_invite.unwrap_or(false),
                transcript_url,
                recording_url,
                transcript,
            }),
            _ => Err(errors),
        }
    }
}

/// `POST /ingest/service-records`: one record from the helpdesk. Times are RFC 3339, or
/// `YYYY-MM-DD HH:MM[:SS]` in China time; the closed lists accept their English or Chinese
/// words, as in the import file. A missing required field reads as empty, so that it is
/// reported with the other invalid fields.
///
/// The customer is named by at least one of `customer_no`, `member_no`, `customer_phone`
/// (or `customer`, any of the three numbers of a customer already known). Every number given
/// must name the same customer, or nobody: two customers are a 422 (`conflict`), never
/// merged. A record naming nobody creates the customer, without a password (then
/// `customer_type` is required, and `member_no` for a member); without `customer_no` the
/// customer gets a generated number (`PJ000001`) that the first record bringing the
/// helpdesk's own customer number replaces. A known customer gets the contacts they lack
/// (member number, phone, e-mail, name); a differing value is not applied (a phone or member
/// number customers sign in with is never moved by a record) and is listed in the answer's
/// `customer.kept`. The type follows the record (a member with a member number stays one).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IngestRecord {
    /// The helpdesk's own id; ingestion is idempotent on it.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub external_id: String,
    /// A known customer's customer number, phone number or member number. Optional when
    /// `customer_no`, `member_no` or `customer_phone` is given.
    #[serde(default)]
    pub customer: String,
    /// The helpdesk's customer number, e.g. `C000123` (2 to 20 letters and digits, starting
    /// with a letter).
    #[serde(default)]
    pub customer_no: Option<String>,
    /// The customer's member number, e.g. `M000123`; implies `customer_type` `member`.
    #[serde(default)]
    pub member_no: Option<String>,
    /// The customer's 11-digit mobile number (spaces and hyphens ignored).
    #[serde(default)]
    pub customer_phone: Option<String>,
    /// `new`/`returning`/`member` (新客/老客/会员). Required when the record creates the
    /// customer; for a known customer, their type from now on.
    #[serde(default)]
    pub customer_type: Option<String>,
    /// The customer's e-mail address (stored lower-cased).
    #[serde(default)]
    pub customer_email: Option<String>,
    /// The customer's name as the helpdesk has it (at most 50 characters).
    #[serde(default)]
    pub customer_name: Option<String>,
    /// The agent's employee number.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub agent: String,
    /// A service type's code or its Chinese or English name.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub service_type: String,
    /// `online`/`offline` (线上/线下).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub channel: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub started_at: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub ended_at: String,
    #[serde(default)]
    pub order_no: Option<String>,
    /// `high`/`normal`/`low` (高/中/低).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub urgency: String,
    /// `consultation`/`complaint`/`suggestion`/`praise` (咨询/投诉/建议/表扬).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub category: String,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub requested_at: String,
    #[serde(default)]
    pub first_response_at: Option<String>,
    #[serde(default)]
    pub resolved_at: Option<String>,
    #[serde(default)]
    pub resolved_first_contact: bool,
    /// No rating invitation is sent for this record (the customer is not to be contacted).
    #[serde(default)]
    pub do_not_invite: bool,
    /// The transcript at the helpdesk: an absolute `https://` (or `http://`) link of at most
    /// 2048 characters, opened by the QA inspector in a new tab.
    #[serde(default)]
    pub transcript_url: Option<String>,
    /// The recording at the helpdesk (an audio file the browser plays): an absolute
    /// `https://` (or `http://`) link of at most 2048 characters.
    #[serde(default)]
    pub recording_url: Option<String>,
    /// The transcript's text, one speaker turn per line (`客户：…` / `客服：…`), at most
    /// 20,000 characters (2,000 a line); blank lines are dropped. The inspector reads it
    /// beside the checklist and may quote a line in a finding.
    #[serde(default)]
    pub transcript: Option<String>,
}

impl From<IngestRecord> for RawRecord {
    fn from(r: IngestRecord) -> RawRecord {
        RawRecord {
            external_id: r.external_id,
            customer: r.customer,
            customer_no: r.customer_no.unwrap_or_default(),
            member_no: r.member_no.unwrap_or_default(),
            customer_phone: r.customer_phone.unwrap_or_default(),
            customer_type: r.customer_type.unwrap_or_default(),
            customer_email: r.customer_email.unwrap_or_default(),
            customer_name: r.customer_name.unwrap_or_default(),
            agent: r.agent,
            service_type: r.service_type,
            channel: r.channel,
            started_at: r.started_at,
            ended_at: r.ended_at,
            order_no: r.order_no.unwrap_or_default(),
            urgency: r.urgency,
            category: r.category,
            tags: r.tags,
            requested_at: r.requested_at,
            first_response_at: r.first_response_at.unwrap_or_default(),
            resolved_at: r.resolved_at.unwrap_or_default(),
            resolved_first_contact: r.resolved_first_contact.to_string(),
            do_not_invite: r.do_not_invite.to_string(),
            transcript_url: r.transcript_url.unwrap_or_default(),
            recording_url: r.recording_url.unwrap_or_default(),
            transcript: r.transcript.unwrap_or_default(),
        }
    }
}

/// A service record as the admin list shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ServiceRecord {
    pub id: i64,
    pub external_id: String,
    pub customer_id: i64,
    /// The helpdesk's customer number, or one Pingjia generated (`PJ000001`) for a customer
    /// a record named by phone or member number only.
    pub customer_no: String,
    /// 新客 / 老客 / 会员.
    pub customer_type: Option<CustomerType>,
    /// Always masked, e.g. `138****0001`.
    pub customer_phone: Option<String>,
    pub agent_id: i64,
    pub agent_no: String,
    pub agent_name: String,
    pub team_id: Option<i64>,
    pub team_name: Option<String>,
    /// The team's English name, when set.
    #[serde(default)]
    pub team_name_en: Option<String>,
    pub service_type: String,
    pub service_type_name_zh: String,
    pub service_type_name_en: String,
    pub channel: Channel,
    pub started_at: DateTime<Utc>,
    pub ended_at: DateTime<Utc>,
    pub order_no: Option<String>,
    pub urgency: Urgency,
    pub category: Category,
    pub tags: Vec<String>,
    pub requested_at: DateTime<Utc>,
    pub first_response_at: Option<DateTime<Utc>>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub resolved_first_contact: bool,
    /// Whether the customer has evaluated the service.
    pub rated: bool,
    pub created_at: DateTime<Utc>,
    /// The helpdesk marked it "do not invite": no invitation is sent for it.
    pub do_not_invite: bool,
    /// Where it stands with its rating invitation.
    pub invitation_state: crate::invitations::InvitationState,
}

/// `GET /service-records`: one page of the records matching the filters, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecordPage {
    pub records: Vec<ServiceRecord>,
    /// Records matching the filters, on every page.
    pub total: u64,
    /// This page, from 1.
    pub page: u32,
    pub per_page: u32,
}

/// The answer of `POST /ingest/service-records`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IngestAnswer {
    /// `true` when a record with this external id was already there (identical): nothing
    /// was written and `record` is the existing one.
    pub already_existed: bool,
    pub record: ServiceRecord,
    /// What the record did to its customer.
    pub customer: CustomerOutcome,
}

/// What an ingested record did to its customer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CustomerOutcome {
    /// The record created its customer (without a password).
    pub created: bool,
    /// Fields of a known customer the record filled in or changed: `customer_no` (replacing
    /// a generated one), `member_no`, `customer_phone`, `customer_email`, `customer_name`,
    /// `customer_type`.
    pub updated: Vec<String>,
    /// The record's values not applied to the customer: `kept` (the customer has another
    /// value, which stays) or `taken` (another customer has this e-mail address).
    pub kept: Vec<FieldError>,
}

closed_list! {
    /// What an import does with one valid row.
    pub enum RowOutcome {
        /// No record has its external id: it is created.
        New = "new" ("新记录", "New"),
        /// A record with its external id and identical content exists: left as it is.
        Unchanged = "unchanged" ("已存在", "Already there"),
    }
}

/// One row of an import file as read, for the dry run's preview.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecordPreview {
    /// The row's line in the file (the header is line 1).
    pub line: u64,
    pub outcome: RowOutcome,
    pub external_id: String,
    /// The customer's customer number; empty when the import will generate one.
    pub customer_no: String,
    /// The row creates its customer.
    pub new_customer: bool,
    /// The agent's employee number.
    pub agent_no: String,
    /// The service type's code.
    pub service_type: String,
    pub channel: Channel,
    pub started_at: DateTime<Utc>,
    pub ended_at: DateTime<Utc>,
    pub order_no: Option<String>,
    pub urgency: Urgency,
    pub category: Category,
    pub tags: Vec<String>,
    pub requested_at: DateTime<Utc>,
    pub first_response_at: Option<DateTime<Utc>>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub resolved_first_contact: bool,
    /// Never invited to rate (`do_not_invite`, 不邀请).
    pub do_not_invite: bool,
}

/// The answer of `POST /service-records/import`: with `dry_run=true` whatever the rows hold
/// (nothing written); otherwise only when every row is valid (every new row written). A real
/// import of a file with a bad row is a 422 problem listing the same `errors`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecordImportReport {
    pub dry_run: bool,
    /// The file's encoding when it was not UTF-8 and was converted, e.g. `GBK`.
    pub converted_from: Option<String>,
    /// Data rows in the file (blank lines not counted).
    pub rows: u64,
    /// Valid rows whose external id is new.
    pub new: u64,
    /// Valid rows identical to a record already there.
    pub unchanged: u64,
    /// Records written: `new` after a real import, 0 in a dry run.
    pub imported: u64,
    /// Customers the new rows create (created after a real import).
    pub new_customers: u64,
    /// Customers' values in rows that were not applied (`kept`: the customer has another
    /// value; `taken`: another customer has this e-mail address), named like `errors`. They
    /// do not stop the import.
    pub kept: Vec<FieldError>,
    /// The first valid rows as read (at most 10).
    pub preview: Vec<RecordPreview>,
    /// Every problem, one per bad cell, named `row <line>: <column>`.
    pub errors: Vec<FieldError>,
}

#[cfg(test)]
mod tests;
