//! Demo data: a believable organisation with three months of service records and the
//! customers' evaluations of them.
//!
//! Generation is split in two so later issues can extend it: [`DemoPlan::generate`] decides
//! every row in memory (deterministic: a fixed-seed ChaCha8 stream and times relative to the
//! `now` passed in), then [`insert`] writes the plan in one transaction with multi-row inserts.
//! Record `i` of [`DemoPlan::records`] gets the id `i + 1`, evaluation `j` of
//! [`DemoPlan::evaluations`] the id `j + 1`.
//!
//! Stable identities the accounts and the end-to-end tests rely on: admin `A0001`, team lead
//! `L0001` (team 1), QA inspector `Q0001`, agent `E1001` (team 1), member customer
//! `13800000001` (`C000001`, `M000001`) and customer `13800000002` (`C000002`); `E1001` served
//! `13800000001` several times, recently too. QA inspectors `Q0002` and `Q0003` (the last
//! users, so no other id moved) calibrated two records with `Q0001` (`calibration`).
//!
//! What the rating tests can count on (at `now`, with the default 7-day rating window):
//! - none of the two demo customers' records that ended in the last five days is rated, so
//!   they all await a rating and stay rateable for two more days at least;
//! - `13800000001` has at least 10 records that ended between 2 hours and 5 days before `now`
//!   (several service types, so several dimension sets, served by `E1001` and others), and at
//!   least 5 rated records older than that;
//! - `13800000002` has at least 8 such awaiting records and at least 3 rated ones.
//!
//! The evaluations (see [`evaluations`]) follow real patterns: each agent has a latent quality
//! (`E1008` and `E1014` are the weak ones), complaints score far lower, a late first response
//! lowers `responsiveness`, a problem not resolved at first contact lowers `resolution`, and
//! the suggestions' wording follows the scores and their cause.
//!
//! Every demo user has the password [`DEMO_PASSWORD`], hashed once per seeding and shared, so
//! seeding stays fast; [`DEMO_LOGINS`] lists the logins to show a newcomer.

use crate::db::sql;
use crate::db::sql::{Conn, Pool};
use chrono::{DateTime, Utc};
use pingjia_domain::auth::LoginKind;
use pingjia_domain::wire::{Category, Channel, CustomerType, Role, Urgency};

use crate::db::begin_write;

mod calibration;
mod channels;
pub mod evaluations;
mod feedback;
mod generate;
mod invitations;
mod qa;
mod suggestions;
mod transcripts;
mod write;

pub use evaluations::{EvaluationPlan, ScorePlan};

/// The seed of the demo organisation.
pub const DEMO_SEED: u64 = 20_261_122;

/// How many days of records the demo covers, today included.
pub const DEMO_DAYS: u64 = 90;

/// Records on an ordinary weekday before weekday, trend and noise factors.
const RECORDS_PER_WEEKDAY: f64 = 84.0;

/// Phone numbers of the two customers the accounts issue signs in with.
pub const DEMO_MEMBER_PHONE: &str = "13800000001";
pub const DEMO_CUSTOMER_PHONE: &str = "13800000002";

/// The password of every demo user.
pub const DEMO_PASSWORD: &str = "Pingjia-Demo-2026";

/// A demo login to show a newcomer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoLogin {
    pub role: Role,
    pub kind: LoginKind,
    pub login: &'static str,
}

/// One login per role, and the member customer's other login (the member number).
pub const DEMO_LOGINS: &[DemoLogin] = &[
    DemoLogin {
        role: Role::Admin,
        kind: LoginKind::Staff,
        login: "A0001",
    },
    DemoLogin {
        role: Role::TeamLead,
        kind: LoginKind::Staff,
        login: "L0001",
    },
    DemoLogin {
        role: Role::QaInspector,
        kind: LoginKind::Staff,
        login: "Q0001",
    },
    DemoLogin {
        role: Role::Agent,
        kind: LoginKind::Staff,
        login: "E1001",
    },
    DemoLogin {
        role: Role::Customer,
        kind: LoginKind::Customer,
        login: DEMO_MEMBER_PHONE,
    },
    DemoLogin {
        role: Role::Customer,
        kind: LoginKind::Customer,
        login: "M000001",
    },
    DemoLogin {
        role: Role::Customer,
        kind: LoginKind::Customer,
        login: DEMO_CUSTOMER_PHONE,
    },
];

/// [`DEMO_LOGINS`] as a small text table for the console.
pub fn logins_table() -> String {
    let mut table = format!(
        "Demo logins (every demo user's password is {DEMO_PASSWORD}):\n  {:<14}{:<10}{:<13}{}\n",
        "role", "kind", "login", "password"
    );
    for login in DEMO_LOGINS {
        let kind = match login.kind {
            LoginKind::Customer => "customer",
            LoginKind::Staff => "staff",
        };
        table.push_str(&format!(
            "  {:<14}{kind:<10}{:<13}{DEMO_PASSWORD}\n",
            login.role.as_str(),
            login.login
        ));
    }
    table
}

/// Everything the demo writes, decided before anything is written.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoPlan {
    pub teams: Vec<TeamPlan>,
    pub users: Vec<UserPlan>,
    pub records: Vec<RecordPlan>,
    /// In submission order; each names its record by id (index in `records` + 1).
    pub evaluations: Vec<EvaluationPlan>,
    /// `created_at` of every row.
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TeamPlan {
    pub id: i64,
    pub name: &'static str,
    pub lead_user_id: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct UserPlan {
    pub id: i64,
    pub role: Role,
    pub display_name: String,
    pub employee_no: Option<String>,
    pub customer_no: Option<String>,
    pub member_no: Option<String>,
    pub phone: Option<String>,
    pub customer_type: Option<CustomerType>,
    pub team_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RecordPlan {
    pub external_id: String,
    pub customer_id: i64,
    pub agent_id: i64,
    pub service_type: &'static str,
    pub channel: Channel,
    pub started_at: DateTime<Utc>,
    pub ended_at: DateTime<Utc>,
    pub order_no: Option<String>,
    pub urgency: Urgency,
    pub category: Category,
    pub tags: Vec<&'static str>,
    pub requested_at: DateTime<Utc>,
    pub first_response_at: Option<DateTime<Utc>>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub resolved_first_contact: bool,
}

/// What a seeding wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoSummary {
    pub teams: usize,
    pub users: usize,
    pub records: usize,
    pub evaluations: usize,
    /// Evaluations with a suggestion.
    pub suggestions: usize,
}

/// Seeds the demo organisation when the database has no users yet; `None` when it has some
/// (a second start on the same database writes nothing).
pub async fn seed_if_empty(pool: &Pool, now: DateTime<Utc>) -> anyhow::Result<Option<DemoSummary>> {
    let mut tx = begin_write(pool).await?;
    let users: i64 = sql::query_scalar("SELECT COUNT(*) FROM users")
        .fetch_one(&mut *tx)
        .await?;
    if users > 0 {
        return Ok(None);
    }
    let password_hash = crate::services::password::hash(DEMO_PASSWORD.to_owned()).await?;
    let plan = DemoPlan::generate(DEMO_SEED, now);
    insert(&mut tx, &plan, &password_hash).await?;
    // Written with their ids: the next ids given by the database come after them.
    crate::db::ids_follow(&mut tx, &["teams", "users", "service_records"]).await?;
    tx.commit().await?;
    Ok(Some(plan.summary()))
}

/// Writes a plan (into an empty database, inside the caller's transaction); every user gets
/// the one `password_hash`.
pub async fn insert(
    conn: &mut Conn,
    plan: &DemoPlan,
    password_hash: &str,
) -> Result<(), sqlx::Error> {
    write::insert_teams(conn, plan).await?;
    write::insert_tag_names(conn).await?;
    write::insert_users(conn, plan, password_hash).await?;
    write::assign_team_leads(conn, plan).await?;
    write::insert_records(conn, plan).await?;
    evaluations::insert(conn, plan).await?;
    crate::services::analytics::catch_up(conn).await?;
    feedback::insert(conn, plan.created_at).await?;
    transcripts::insert(conn, plan.created_at).await?;
    qa::insert(conn, plan.created_at).await?;
    calibration::insert(conn, plan.created_at).await?;
    let admin = plan
        .users
        .iter()
        .find(|user| user.role == Role::Admin)
        .map_or(1, |user| user.id);
    channels::configure(conn, admin, plan.created_at).await?;
    invitations::insert(conn, plan.created_at).await
}
