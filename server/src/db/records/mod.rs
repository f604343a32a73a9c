//! Service records as stored: the select the admin list and the ingestion answer with, and
//! one record by its id or the helpdesk's `external_id`.
//! The volume per day and channel is in `volume`; what incoming records are checked against
//! in `import`, and writing the customers they create or complete in `customers`.

mod customers;
mod import;
mod volume;

pub(crate) use customers::*;
pub(crate) use import::*;
pub(crate) use volume::*;

use crate::db::sql;
use crate::db::sql::{Conn, QueryBuilder};
use chrono::{DateTime, Days, NaiveDate, Utc};
use pingjia_domain::auth::mask_phone;
use pingjia_domain::invitations::InvitationState;
use pingjia_domain::records::ServiceRecord;
use pingjia_domain::records::conversation::{Conversation, split_transcript};
use pingjia_domain::wire::{Category, Channel, CustomerType, Urgency};

use crate::db::sending::state_sql;
use crate::db::{parse_stored, push_page};
use crate::error::AppError;
use crate::time::{from_db, org_day_start, to_db};

/// The joins of a record's invitation and its message, for [`state_sql`].
const INVITATION_JOINS: &str = " LEFT JOIN invitations i ON i.service_record_id = r.id \
     LEFT JOIN deliveries d ON d.id = i.delivery_id";

/// The select of the admin list (`r` the record, `e` its evaluation, `i` its invitation, `d`
/// the invitation's message).
fn record_select() -> String {
    format!(
        "SELECT r.id, r.external_id, r.customer_id, c.customer_no, \
         c.customer_type, c.phone, r.agent_id, a.employee_no AS agent_no, \
         a.display_name AS agent_name, a.team_id, t.name AS team_name, t.name_en AS team_name_en, \
         r.service_type, \
         st.name_zh AS type_name_zh, st.name_en AS type_name_en, r.channel, r.started_at, \
         r.ended_at, r.order_no, r.urgency, r.category, r.tags, r.requested_at, \
         r.first_response_at, r.resolved_at, r.resolved_first_contact, \
         e.id IS NOT NULL AS rated, r.created_at, r.do_not_invite, \
         {} AS invitation_state \
         FROM service_records r \
         JOIN users c ON c.id = r.customer_id \
         JOIN users a ON a.id = r.agent_id \
         LEFT JOIN teams t ON t.id = a.team_id \
         JOIN service_types st ON st.code = r.service_type \
         LEFT JOIN evaluations e ON e.service_record_id = r.id{INVITATION_JOINS}",
        state_sql("r", "e", "i", "d")
    )
}

#[derive(sqlx::FromRow)]
pub(crate) struct RecordRow {
    pub(crate) id: i64,
    pub(crate) external_id: String,
    pub(crate) customer_id: i64,
    pub(crate) customer_no: Option<String>,
    pub(crate) customer_type: Option<String>,
    pub(crate) phone: Option<String>,
    pub(crate) agent_id: i64,
    pub(crate) agent_no: Option<String>,
    pub(crate) agent_name: String,
    pub(crate) team_id: Option<i64>,
    pub(crate) team_name: Option<String>,
    pub(crate) team_name_en: Option<String>,
    pub(crate) service_type: String,
    pub(crate) type_name_zh: String,
    pub(crate) type_name_en: String,
    pub(crate) channel: String,
    pub(crate) started_at: String,
    pub(crate) ended_at: String,
    pub(crate) order_no: Option<String>,
    pub(crate) urgency: String,
    pub(crate) category: String,
    pub(crate) tags: String,
    pub(crate) requested_at: String,
    pub(crate) first_response_at: Option<String>,
    pub(crate) resolved_at: Option<String>,
    pub(crate) resolved_first_contact: bool,
    pub(crate) rated: bool,
    pub(crate) created_at: String,
    pub(crate) do_not_invite: bool,
    pub(crate) invitation_state: String,
}

pub(crate) fn optional_time(text: Option<&str>) -> Result<Option<DateTime<Utc>>, sqlx::Error> {
    text.map(from_db).transpose()
}

impl RecordRow {
    /// The record as sent: the customer's phone masked.
    pub(crate) fn into_record(self) -> Result<ServiceRecord, sqlx::Error> {
        let decode = |what: &str| sqlx::Error::Decode(format!("record {}: {what}", self.id).into());
        Ok(ServiceRecord {
            id: self.id,
            customer_no: self
                .customer_no
                .clone()
                .ok_or_else(|| decode("customer_no"))?,
            customer_type: self
                .customer_type
                .as_deref()
                .map(|t| parse_stored(t, CustomerType::parse))
                .transpose()?,
            customer_phone: self.phone.as_deref().map(mask_phone),
            agent_no: self.agent_no.clone().ok_or_else(|| decode("employee_no"))?,
            tags: serde_json::from_str(&self.tags).map_err(|_| decode("tags"))?,
            external_id: self.external_id,
            customer_id: self.customer_id,
            agent_id: self.agent_id,
            agent_name: self.agent_name,
            team_id: self.team_id,
            team_name: self.team_name,
            team_name_en: self.team_name_en,
            service_type: self.service_type,
            service_type_name_zh: self.type_name_zh,
            service_type_name_en: self.type_name_en,
            channel: parse_stored(&self.channel, Channel::parse)?,
            started_at: from_db(&self.started_at)?,
            ended_at: from_db(&self.ended_at)?,
            order_no: self.order_no,
            urgency: parse_stored(&self.urgency, Urgency::parse)?,
            category: parse_stored(&self.category, Category::parse)?,
            requested_at: from_db(&self.requested_at)?,
            first_response_at: optional_time(self.first_response_at.as_deref())?,
            resolved_at: optional_time(self.resolved_at.as_deref())?,
            resolved_first_contact: self.resolved_first_contact,
            rated: self.rated,
            created_at: from_db(&self.created_at)?,
            do_not_invite: self.do_not_invite,
            invitation_state: parse_stored(&self.invitation_state, InvitationState::parse)?,
        })
    }
}

pub(crate) async fn load_record(
    conn: &mut Conn,
    external_id: &str,
) -> Result<ServiceRecord, AppError> {
    let row: RecordRow = sql::query_as(&format!("{} WHERE r.external_id = ?", record_select()))
        .bind(external_id)
        .fetch_optional(conn)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("The service record {external_id}")))?;
    Ok(row.into_record()?)
}

/// The service record `id`, as the admin list shows it.
pub(crate) async fn load_record_by_id(conn: &mut Conn, id: i64) -> Result<ServiceRecord, AppError> {
    let row: RecordRow = sql::query_as(&format!("{} WHERE r.id = ?", record_select()))
        .bind(id)
        .fetch_optional(conn)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("The service record {id}")))?;
    Ok(row.into_record()?)
}

/// The conversation of the service record `id` (its transcript's lines and links), for the
/// QA inspection; empty when the record has none.
pub(crate) async fn load_conversation(conn: &mut Conn, id: i64) -> Result<Conversation, AppError> {
    let row: Option<(Option<String>, Option<String>, Option<String>)> = sql::query_as(
        "SELECT transcript_url, recording_url, transcript FROM service_records WHERE id = ?",
    )
    .bind(id)
    .fetch_optional(conn)
    .await?;
    let (transcript_url, recording_url, transcript) = row.unwrap_or_default();
    Ok(Conversation {
        transcript_url,
        recording_url,
        lines: split_transcript(transcript.as_deref()),
    })
}

/// Which service records the admin list shows: started in `from..=to` (organisation days),
/// of an agent, of the agent's team, of a service type, on a channel, rated or not (each
/// when given).
pub(crate) struct RecordQuery<'a> {
    pub(crate) from: Option<NaiveDate>,
    pub(crate) to: Option<NaiveDate>,
    pub(crate) agent_id: Option<i64>,
    pub(crate) team_id: Option<i64>,
    pub(crate) service_type: Option<&'a str>,
    pub(crate) channel: Option<Channel>,
    pub(crate) rated: Option<bool>,
    pub(crate) invitation: Option<InvitationState>,
}

fn push_filters(query: &mut QueryBuilder<'_>, filter: &RecordQuery<'_>) {
    query.push(" WHERE 1 = 1");
    if let Some(from) = filter.from {
        query
            .push(" AND r.started_at >= ")
            .push_bind(to_db(org_day_start(from)));
    }
    if let Some(to) = filter.to.and_then(|to| to.checked_add_days(Days::new(1))) {
        query
            .push(" AND r.started_at < ")
            .push_bind(to_db(org_day_start(to)));
    }
    if let Some(agent_id) = filter.agent_id {
        query.push(" AND r.agent_id = ").push_bind(agent_id);
    }
    if let Some(team_id) = filter.team_id {
        query.push(" AND a.team_id = ").push_bind(team_id);
    }
    if let Some(code) = filter.service_type {
        query
            .push(" AND r.service_type = ")
            .push_bind(code.to_owned());
    }
    if let Some(channel) = filter.channel {
        query.push(" AND r.channel = ").push_bind(channel.as_str());
    }
    match filter.rated {
        Some(true) => {
            query.push(" AND e.id IS NOT NULL");
        }
        Some(false) => {
            query.push(" AND e.id IS NULL");
        }
        None => {}
    }
    if let Some(state) = filter.invitation {
        query
            .push(format!(" AND {} = ", state_sql("r", "e", "i", "d")))
            .push_bind(state.as_str());
    }
}

/// How many records `filter` selects, and one page of them, newest first (by start).
pub(crate) async fn record_page(
    conn: &mut Conn,
    filter: &RecordQuery<'_>,
    page: u32,
    per_page: u32,
) -> Result<(i64, Vec<ServiceRecord>), AppError> {
    let mut count = QueryBuilder::new(
        "SELECT COUNT(*) FROM service_records r JOIN users a ON a.id = r.agent_id \
         LEFT JOIN evaluations e ON e.service_record_id = r.id",
    );
    count.push(INVITATION_JOINS);
    push_filters(&mut count, filter);
    let total: i64 = count.build_query_scalar().fetch_one(&mut *conn).await?;

    let mut select = QueryBuilder::new(record_select());
    push_filters(&mut select, filter);
    select.push(" ORDER BY r.started_at DESC, r.id DESC");
    push_page(&mut select, page, per_page);
    let rows: Vec<RecordRow> = select.build_query_as().fetch_all(&mut *conn).await?;
    let records = rows
        .into_iter()
        .map(RecordRow::into_record)
        .collect::<Result<_, _>>()?;
    Ok((total, records))
}

/// The ids of the records `filter` selects, newest first, at most `limit`, and how many it
/// selects in all (a selection sent invitations by hand).
pub(crate) async fn selected_ids(
    conn: &mut Conn,
    filter: &RecordQuery<'_>,
    limit: u32,
) -> Result<(i64, Vec<i64>), AppError> {
    let mut count = QueryBuilder::new(
        "SELECT COUNT(*) FROM service_records r JOIN users a ON a.id = r.agent_id \
         LEFT JOIN evaluations e ON e.service_record_id = r.id",
    );
    count.push(INVITATION_JOINS);
    push_filters(&mut count, filter);
    let total: i64 = count.build_query_scalar().fetch_one(&mut *conn).await?;
    let mut select = QueryBuilder::new(
        "SELECT r.id FROM service_records r JOIN users a ON a.id = r.agent_id \
         LEFT JOIN evaluations e ON e.service_record_id = r.id",
    );
    select.push(INVITATION_JOINS);
    push_filters(&mut select, filter);
    select
        .push(" ORDER BY r.started_at DESC, r.id DESC LIMIT ")
        .push_bind(i64::from(limit));
    let ids: Vec<i64> = select.build_query_scalar().fetch_all(&mut *conn).await?;
    Ok((total, ids))
}
