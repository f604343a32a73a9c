//! What an import row or an ingested record is checked against in the database (the customer,
//! the agent, the service type, a record already there), and writing the new records.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use pingjia_domain::FieldError;
use pingjia_domain::auth::normalize_login;
use pingjia_domain::records::{ParsedRecord, RawRecord, RecordPreview, RowOutcome};
use pingjia_domain::wire::Role;
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

use crate::db::parse_stored;
use crate::time::{org_zone, to_db};

/// A user as incoming records refer to them.
pub(crate) struct Person {
    pub(crate) id: i64,
    pub(crate) role: Role,
    /// The customer number of customers, the employee number of staff.
    pub(crate) number: String,
}

/// What incoming records are checked against: people by any of their numbers, service types
/// by code and names. Read once per import.
pub(crate) struct References {
    /// Customers by customer number, phone and member number; staff by employee number.
    pub(crate) people: HashMap<String, Person>,
    /// Service types by code, Chinese name and lower-cased English name: (code, archived).
    pub(crate) types: HashMap<String, (String, bool)>,
}

impl References {
    /// Reads the people and service types; with `only`, just the people having one of these
    /// (normalised) numbers, for a single record.
    pub(crate) async fn load(
        conn: &mut SqliteConnection,
        only: Option<&[String]>,
    ) -> Result<References, sqlx::Error> {
        type UserRow = (
            i64,
            String,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
        );
        let mut query = QueryBuilder::<Sqlite>::new(
            "SELECT id, role, employee_no, customer_no, member_no, phone FROM users",
        );
        if let Some(keys) = only {
            query.push(" WHERE 0 = 1");
            for column in ["employee_no", "customer_no", "member_no", "phone"] {
                query.push(format!(" OR {column} IN ("));
                let mut values = query.separated(", ");
                for key in keys {
                    values.push_bind(key.clone());
                }
                query.push(")");
            }
        }
        let users: Vec<UserRow> = query.build_query_as().fetch_all(&mut *conn).await?;
        let mut people = HashMap::new();
        for (id, role, employee_no, customer_no, member_no, phone) in users {
            let role = parse_stored(&role, Role::parse)?;
            let Some(number) = customer_no.clone().or_else(|| employee_no.clone()) else {
                continue;
            };
            for key in [employee_no, customer_no, member_no, phone]
                .into_iter()
                .flatten()
            {
                people.insert(
                    key,
                    Person {
                        id,
                        role,
                        number: number.clone(),
                    },
                );
            }
        }
        let type_rows: Vec<(String, String, String, bool)> =
            sqlx::query_as("SELECT code, name_zh, name_en, archived FROM service_types")
                .fetch_all(&mut *conn)
                .await?;
        let mut types = HashMap::new();
        for (code, name_zh, name_en, archived) in type_rows {
            types.insert(name_en.to_lowercase(), (code.clone(), archived));
            types.insert(name_zh, (code.clone(), archived));
            types.insert(code.clone(), (code, archived));
        }
        Ok(References { people, types })
    }

    /// A raw record read, checked and resolved, or every problem with it: its own fields'
    /// first, then its references (field names are [`RawRecord`]'s).
    pub(crate) fn check(&self, raw: RawRecord) -> Result<Resolved, Vec<FieldError>> {
        let mut problems = Vec::new();
        let customer = self.customer(&raw.customer, &mut problems);
        let agent = self.agent(&raw.agent, &mut problems);
        let service_type = self.service_type(&raw.service_type, &mut problems);
        let parsed = match raw.parse(org_zone()) {
            Ok(parsed) => parsed,
            Err(mut errors) => {
                errors.extend(problems);
                return Err(errors);
            }
        };
        match (customer, agent, service_type) {
            (Some(customer), Some(agent), Some(service_type)) => Ok(Resolved {
                values: Stored::new(&parsed, customer.id, agent.id, service_type),
                customer_no: customer.number.clone(),
                agent_no: agent.number.clone(),
                parsed,
            }),
            _ => Err(problems),
        }
    }

    /// The customer a record names by customer number, phone or member number (a blank
    /// reference is [`RawRecord::parse`]'s to report).
    pub(crate) fn customer(&self, text: &str, errors: &mut Vec<FieldError>) -> Option<&Person> {
        let reference = normalize_login(text);
        if reference.is_empty() {
            return None;
        }
        match self.people.get(&reference) {
            Some(p) if p.role == Role::Customer => Some(p),
            Some(p) => {
                errors.push(FieldError::new(
                    "customer",
                    "not_customer",
                    format!(
                        "{reference} is a staff member ({}), not a customer",
                        p.role.as_str()
                    ),
                ));
                None
            }
            None => {
                errors.push(FieldError::new(
                    "customer",
                    "unknown",
                    format!(
                        "no customer has the customer number, phone or member number {reference}"
                    ),
                ));
                None
            }
        }
    }

    /// The agent a record names by employee number.
    pub(crate) fn agent(&self, text: &str, errors: &mut Vec<FieldError>) -> Option<&Person> {
        let reference = normalize_login(text);
        if reference.is_empty() {
            return None;
        }
        match self.people.get(&reference) {
            Some(p) if p.role == Role::Agent => Some(p),
            Some(p) => {
                errors.push(FieldError::new(
                    "agent",
                    "not_agent",
                    format!("{reference} is not an agent (role {})", p.role.as_str()),
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
}

pub(crate) const STORED_COLUMNS: &str = "external_id, customer_id, agent_id, service_type, channel, \
     started_at, ended_at, order_no, urgency, category, tags, requested_at, first_response_at, \
     resolved_at, resolved_first_contact";

impl Stored {
    pub(crate) fn new(
        r: &ParsedRecord,
        customer_id: i64,
        agent_id: i64,
        service_type: String,
    ) -> Stored {
        Stored {
            external_id: r.external_id.clone(),
            customer_id,
            agent_id,
            service_type,
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
        }
    }
}

/// An incoming record checked against the database.
pub(crate) struct Resolved {
    pub(crate) parsed: ParsedRecord,
    pub(crate) values: Stored,
    pub(crate) customer_no: String,
    pub(crate) agent_no: String,
}

impl Resolved {
    pub(crate) fn preview(&self, line: u64, outcome: RowOutcome) -> RecordPreview {
        let r = &self.parsed;
        RecordPreview {
            line,
            outcome,
            external_id: r.external_id.clone(),
            customer_no: self.customer_no.clone(),
            agent_no: self.agent_no.clone(),
            service_type: self.values.service_type.clone(),
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
        }
    }
}

/// The stored records with these external ids.
pub(crate) async fn existing(
    conn: &mut SqliteConnection,
    external_ids: &[&str],
) -> Result<HashMap<String, Stored>, sqlx::Error> {
    let mut found = HashMap::new();
    for chunk in external_ids.chunks(500) {
        let mut query = QueryBuilder::<Sqlite>::new(format!(
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
    conn: &mut SqliteConnection,
    records: &[&Stored],
    now: DateTime<Utc>,
) -> Result<u64, sqlx::Error> {
    let created_at = to_db(now);
    let mut written = 0;
    for chunk in records.chunks(400) {
        let mut insert = QueryBuilder::<Sqlite>::new(format!(
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
                .push_bind(&created_at);
        });
        written += insert.build().execute(&mut *conn).await?.rows_affected();
    }
    Ok(written)
}
