//! What an import row or an ingested record is checked against in the database (the customer,
//! the agent, the service type, a record already there), and writing the new records.

use crate::db::sql;
use std::collections::HashMap;

use crate::db::sql::{Conn, QueryBuilder};
use chrono::{DateTime, Utc};
use pingjia_domain::FieldError;
use pingjia_domain::auth::normalize_login;
use pingjia_domain::customers::{Customer, CustomerBook, RecordCustomer, Target};
use pingjia_domain::records::conversation::join_transcript;
use pingjia_domain::records::{ParsedRecord, RawRecord, RecordPreview, RowOutcome};
use pingjia_domain::wire::{CustomerType, Role};

use crate::db::parse_stored;
use crate::time::{org_zone, to_db};

/// A staff member as incoming records refer to them.
pub(crate) struct Person {
    pub(crate) id: i64,
    pub(crate) role: Role,
    /// The employee number.
    pub(crate) number: String,
}

/// What incoming records are checked against: customers by each of their numbers (the
/// [`CustomerBook`], which also takes the customers records create or complete), staff by
/// employee number, service types by code and names. Read once per import.
pub(crate) struct References {
    /// Staff by employee number.
    pub(crate) staff: HashMap<String, Person>,
    pub(crate) customers: CustomerBook,
    /// Service types by code, Chinese name and lower-cased English name: (code, archived).
    pub(crate) types: HashMap<String, (String, bool)>,
}

/// A stored customer as the book reads them.
#[derive(sqlx::FromRow)]
struct CustomerRow {
    id: i64,
    display_name: String,
    customer_no: Option<String>,
    customer_no_generated: bool,
    member_no: Option<String>,
    phone: Option<String>,
    email: Option<String>,
    customer_type: Option<String>,
}

/// Pushes ` AND (column IN (keys…) OR …)` for the columns: none of them without keys.
fn push_keys(query: &mut QueryBuilder<'_>, columns: &[&str], keys: &[String]) {
    query.push(" AND (0 = 1");
    // `IN ()` is SQLite's only.
    for column in columns.iter().filter(|_| !keys.is_empty()) {
        query.push(format!(" OR {column} IN ("));
        let mut values = query.separated(", ");
        for key in keys {
            values.push_bind(key.clone());
        }
        query.push(")");
    }
    query.push(")");
}

impl References {
    /// Reads the people and service types; with `only`, just the people having one of these
    /// (normalised) numbers or e-mail addresses, for a single record.
    pub(crate) async fn load(
        conn: &mut Conn,
        only: Option<&[String]>,
    ) -> Result<References, sqlx::Error> {
        let mut query =
            QueryBuilder::new("SELECT id, role, employee_no FROM users WHERE role <> 'customer'");
        if let Some(keys) = only {
            push_keys(&mut query, &["employee_no"], keys);
        }
        let rows: Vec<(i64, String, Option<String>)> =
            query.build_query_as().fetch_all(&mut *conn).await?;
        let mut staff = HashMap::new();
        let mut customers = CustomerBook::default();
        for (id, role, employee_no) in rows {
            let role = parse_stored(&role, Role::parse)?;
            let Some(number) = employee_no else { continue };
            customers.add_staff(number.clone(), role);
            staff.insert(number.clone(), Person { id, role, number });
        }
        let mut query = QueryBuilder::new(
            "SELECT id, display_name, customer_no, customer_no_generated, member_no, phone, \
             email, customer_type FROM users WHERE role = 'customer'",
        );
        if let Some(keys) = only {
            push_keys(
                &mut query,
                &["customer_no", "member_no", "phone", "email"],
                keys,
            );
        }
        let rows: Vec<CustomerRow> = query.build_query_as().fetch_all(&mut *conn).await?;
        for row in rows {
            let customer_type = row
                .customer_type
                .as_deref()
                .map(|t| parse_stored(t, CustomerType::parse))
                .transpose()?;
            // A customer created without a name carries their number as a placeholder.
            let name = Some(row.display_name).filter(|n| Some(n) != row.customer_no.as_ref());
            customers.add(Customer {
                id: Some(row.id),
                customer_no: row.customer_no,
                customer_no_generated: row.customer_no_generated,
                member_no: row.member_no,
                phone: row.phone,
                email: row.email,
                name,
                customer_type,
            });
        }
        let type_rows: Vec<(String, String, String, bool)> =
            sql::query_as("SELECT code, name_zh, name_en, archived FROM service_types")
                .fetch_all(&mut *conn)
                .await?;
        let mut types = HashMap::new();
        for (code, name_zh, name_en, archived) in type_rows {
            types.insert(name_en.to_lowercase(), (code.clone(), archived));
            types.insert(name_zh, (code.clone(), archived));
            types.insert(code.clone(), (code, archived));
        }
        Ok(References {
            staff,
            customers,
            types,
        })
    }

    /// A raw record read, checked and resolved, or every problem with it: its own fields'
    /// first, then its references (field names are [`RawRecord`]'s). With `identify`, its
    /// customer is identified in the book as it is now ([`CustomerBook::identify`], nothing
    /// changed); without (an import, whose earlier rows may create the customer), the target
    /// is left [`Target::New`] for the caller to identify in the file's order.
    pub(crate) fn check(
        &self,
        raw: RawRecord,
        identify: bool,
    ) -> Result<Resolved, Vec<FieldError>> {
        let mut problems = Vec::new();
        // The customer's own fields' problems are `parse`'s to report.
        let target = if identify {
            raw.read_customer().ok().and_then(|customer| {
                self.customers
                    .identify(&customer)
                    .map_err(|errors| problems.extend(errors))
                    .ok()
            })
        } else {
            Some(Target::New)
        };
        let agent = self.agent(&raw.agent, &mut problems);
        let service_type = self.service_type(&raw.service_type, &mut problems);
        let parsed = match raw.parse(org_zone()) {
            Ok(parsed) => parsed,
            Err(mut errors) => {
                errors.extend(problems);
                return Err(errors);
            }
        };
        match (target, agent, service_type) {
            (Some(target), Some(agent), Some(service_type)) => Ok(Resolved {
                target,
                agent_id: agent.id,
                agent_no: agent.number.clone(),
                service_type,
                parsed,
            }),
            _ => Err(problems),
        }
    }

    /// The agent a record names by employee number.
    pub(crate) fn agent(&self, text: &str, errors: &mut Vec<FieldError>) -> Option<&Person> {
        let reference = normalize_login(text);
        if reference.is_empty() {
            return None;
        }
        match self.staff.get(&reference) {
            Some(p) if p.role == Role::Agent => Some(p),
            Some(p) => {
                errors.push(FieldError::new(
                    "agent",
                    "not_agent",
                    format!("{reference} is not an agent (role {})", p.role.as_str()),
                ));
                None
            }
            None if self
                .customers
                .identify(&RecordCustomer {
                    reference: Some(reference.clone()),
                    ..RecordCustomer::default()
                })
                .is_ok() =>
            {
                errors.push(FieldError::new(
                    "agent",
                    "not_agent",
                    format!("{reference} is not an agent (a customer)"),
                ));
                None
            }
            None => {
                errors.push(FieldError::new(
                    "agent",
                    "unknown",
                    format!("no staff member has the employee number {reference}"),
                ));
                None
            }
        }
    }

    /// The code of the service type a record names by code or name; not archived.
    pub(crate) fn service_type(&self, text: &str, errors: &mut Vec<FieldError>) -> Option<String> {
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        match self
            .types
            .get(text)
            .or_else(|| self.types.get(&text.to_lowercase()))
        {
            Some((code, false)) => Some(code.clone()),
            Some((code, true)) => {
                errors.push(FieldError::new(
                    "service_type",
                    "archived",
                    format!("the service type {code} is archived and takes no new records"),
                ));
                None
            }
            None => {
                errors.push(FieldError::new(
                    "service_type",
                    "unknown",
                    format!("no service type has the code or name {text:?}"),
                ));
                None
            }
        }
    }
}

/// A record's stored columns (but its id and creation time), as compared with what is
/// already there.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub(crate) struct Stored {
    pub(crate) external_id: String,
    pub(crate) customer_id: i64,
    pub(crate) agent_id: i64,
    pub(crate) service_type: String,
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
    pub(crate) do_not_invite: bool,
    pub(crate) transcript_url: Option<String>,
    pub(crate) recording_url: Option<String>,
    /// The lines joined by line feeds.
    pub(crate) transcript: Option<String>,
}

pub(crate) const STORED_COLUMNS: &str = "external_id, customer_id, agent_id, service_type, channel, \
     started_at, ended_at, order_no, urgency, category, tags, requested_at, first_response_at, \
     resolved_at, resolved_first_contact, do_not_invite, transcript_url, recording_url, transcript";

/// An incoming record checked against the database: its customer identified
/// ([`Target`]), its agent and service type resolved.
pub(crate) struct Resolved {
    pub(crate) parsed: ParsedRecord,
    pub(crate) target: Target,
    pub(crate) agent_id: i64,
    pub(crate) agent_no: String,
    /// The service type's code.
    pub(crate) service_type: String,
}

impl Resolved {
    /// The record's stored columns, for the customer `customer_id`.
    pub(crate) fn stored(&self, customer_id: i64) -> Stored {
        let r = &self.parsed;
        Stored {
            external_id: r.external_id.clone(),
            customer_id,
            agent_id: self.agent_id,
            service_type: self.service_type.clone(),
            channel: r.channel.as_str().to_owned(),
            started_at: to_db(r.started_at),
            ended_at: to_db(r.ended_at),
            order_no: r.order_no.clone(),
            urgency: r.urgency.as_str().to_owned(),
            category: r.category.as_str().to_owned(),
            tags: serde_json::to_string(&r.tags).expect("tags serialise"),
            requested_at: to_db(r.requested_at),
            first_response_at: r.first_response_at.map(to_db),
            resolved_at: r.resolved_at.map(to_db),
            resolved_first_contact: r.resolved_first_contact,
            do_not_invite: r.do_not_invite,
            transcript_url: r.transcript_url.clone(),
            recording_url: r.recording_url.clone(),
            transcript: join_transcript(&r.transcript),
        }
    }

    /// The row as the dry run previews it; `customer_no` empty when it is still to be
    /// generated.
    pub(crate) fn preview(
        &self,
        line: u64,
        outcome: RowOutcome,
        customer_no: String,
        new_customer: bool,
    ) -> RecordPreview {
        let r = &self.parsed;
        RecordPreview {
            line,
            outcome,
            external_id: r.external_id.clone(),
            customer_no,
            new_customer,
            agent_no: self.agent_no.clone(),
            service_type: self.service_type.clone(),
            channel: r.channel,
            started_at: r.started_at,
            ended_at: r.ended_at,
            order_no: r.order_no.clone(),
            urgency: r.urgency,
            category: r.category,
            tags: r.tags.clone(),
            requested_at: r.requested_at,
            first_response_at: r.first_response_at,
            resolved_at: r.resolved_at,
            resolved_first_contact: r.resolved_first_contact,
            do_not_invite: r.do_not_invite,
        }
    }
}

/// The stored records with these external ids.
pub(crate) async fn existing(
    conn: &mut Conn,
    external_ids: &[&str],
) -> Result<HashMap<String, Stored>, sqlx::Error> {
    let mut found = HashMap::new();
    for chunk in external_ids.chunks(500) {
        let mut query = QueryBuilder::new(format!(
            "SELECT {STORED_COLUMNS} FROM service_records WHERE external_id IN ("
        ));
        let mut ids = query.separated(", ");
        for id in chunk {
            ids.push_bind(*id);
        }
        query.push(")");
        let rows: Vec<Stored> = query.build_query_as().fetch_all(&mut *conn).await?;
        found.extend(rows.into_iter().map(|r| (r.external_id.clone(), r)));
    }
    Ok(found)
}

/// Writes new records in multi-row inserts; answers how many.
pub(crate) async fn insert(
    conn: &mut Conn,
    records: &[&Stored],
    now: DateTime<Utc>,
) -> Result<u64, sqlx::Error> {
    let created_at = to_db(now);
    let mut written = 0;
    // 20 values a row: within SQLite's 32,766 and PostgreSQL's 65,535 bound parameters.
    for chunk in records.chunks(400) {
        let mut insert = QueryBuilder::new(format!(
            "INSERT INTO service_records ({STORED_COLUMNS}, created_at) "
        ));
        insert.push_values(chunk, |mut row, r| {
            row.push_bind(&r.external_id)
                .push_bind(r.customer_id)
                .push_bind(r.agent_id)
                .push_bind(&r.service_type)
                .push_bind(&r.channel)
                .push_bind(&r.started_at)
                .push_bind(&r.ended_at)
                .push_bind(&r.order_no)
                .push_bind(&r.urgency)
                .push_bind(&r.category)
                .push_bind(&r.tags)
                .push_bind(&r.requested_at)
                .push_bind(&r.first_response_at)
                .push_bind(&r.resolved_at)
                .push_bind(r.resolved_first_contact)
                .push_bind(r.do_not_invite)
                .push_bind(&r.transcript_url)
                .push_bind(&r.recording_url)
                .push_bind(&r.transcript)
                .push_bind(&created_at);
        });
        written += insert.build().execute(&mut *conn).await?.rows_affected();
    }
    Ok(written)
}
