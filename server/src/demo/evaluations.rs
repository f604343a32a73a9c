//! The demo evaluations: who rates which record, when, and what they answer.
//!
//! Every record gets its own random stream (the demo seed, stream = record index + 1), so what
//! one record's customer answers does not depend on the others.
//!
//! - **Who rates**: about three quarters of the records, members more often than returning
//!   customers, new customers least; very bad and very good experiences more often than
//!   middling ones. The delay after the end is mostly minutes to hours, sometimes days, never
//!   past `now` nor the 7-day rating window, so records that ended in the last days are rated
//!   less often yet.
//! - **Scores**: a latent satisfaction per evaluation from the agent's quality
//!   ([`AGENT_QUALITY`]), the channel (offline a little higher), the customer type (members
//!   more demanding), the category (complaints far lower) and the outcome; every dimension is
//!   that plus its own noise, rounded to 1..=5. A late first response lowers `responsiveness`,
//!   a problem not resolved at first contact `resolution`, a weak agent `attitude`. An optional
//!   dimension is left unanswered about one time in five; a few evaluations are all 5 or all 1.
//! - **Overall** (1-10): about twice the dimension mean, ±1, with a few inconsistent ones.
//! - **Suggestions**: about 45 %, 85 % of them Chinese (see `demo/suggestions.rs`).
//! - **Form time**: log-normal around 70 s, 20 s to 10 min, a handful under 10 s.

use std::collections::HashMap;

use crate::db::sql::{Conn, QueryBuilder};
use chrono::{DateTime, Duration, Timelike, Utc};
use pingjia_domain::catalog;
use pingjia_domain::rules::{evaluation_number, response_sla, total_score};
use pingjia_domain::settings::Settings;
use pingjia_domain::wire::{Category, Channel, CustomerType};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::suggestions::{self, Cause, Lang, Tone};
use super::{DEMO_CUSTOMER_PHONE, DEMO_MEMBER_PHONE, DemoPlan, RecordPlan, UserPlan};
use crate::time::{org_day, org_zone, to_db};

/// One evaluation of a demo record.
#[derive(Debug, Clone, PartialEq)]
pub struct EvaluationPlan {
    /// Ids follow submission order, from 1.
    pub id: i64,
    /// `PJ20261122-000123`: the organisation day submitted and that day's sequence.
    pub number: String,
    /// The record's index in [`DemoPlan::records`] + 1.
    pub service_record_id: i64,
    pub customer_id: i64,
    pub agent_id: i64,
    pub service_type: &'static str,
    pub submitted_at: DateTime<Utc>,
    /// `rules::total_score` of `scores`.
    pub total_score: f64,
    pub overall: u8,
    pub suggestion: Option<String>,
    pub form_seconds: u32,
    /// The service type's preset dimensions, in order.
    pub scores: Vec<ScorePlan>,
}

/// One dimension of an evaluation, as the preset catalogue has it.
#[derive(Debug, Clone, PartialEq)]
pub struct ScorePlan {
    pub dimension: &'static str,
    /// From 0, as in `service_type_dimensions`.
    pub position: i64,
    pub optional: bool,
    pub name_zh: &'static str,
    pub name_en: &'static str,
    /// `None`: an optional dimension left unanswered.
    pub score: Option<u8>,
}

/// Each agent's latent quality: the satisfaction (1-5) an ordinary consultation served by them
/// leaves, before the customer's and the record's effects. `E1008` and `E1014` are weak.
pub const AGENT_QUALITY: &[(&str, f64)] = &[
    ("E1001", 4.87),
    ("E1002", 4.62),
    ("E1003", 5.2),
    ("E1004", 4.32),
    ("E1005", 4.77),
    ("E1006", 4.22),
    ("E1007", 4.92),
    ("E1008", 3.67),
    ("E1009", 4.57),
    ("E1010", 4.42),
    ("E1011", 5.3),
    ("E1012", 4.67),
    ("E1013", 4.27),
    ("E1014", 3.77),
    ("E1015", 4.82),
    ("E1016", 4.52),
];

/// Below this quality an agent is weak: customers complain about their attitude.
const WEAK_QUALITY: f64 = 4.0;

/// The two demo customers' records that ended this recently are never rated.
const DEMO_AWAITING_DAYS: i64 = 5;

/// An evaluation before its id and number are known.
struct Draft {
    record_index: usize,
    submitted_at: DateTime<Utc>,
    scores: Vec<ScorePlan>,
    total_score: f64,
    overall: u8,
    suggestion: Option<String>,
    form_seconds: u32,
}

/// The evaluations of `records` (`story`: which of them are the fixed story records), in
/// submission order, with their ids and numbers.
pub(super) fn plan(
    seed: u64,
    now: DateTime<Utc>,
    users: &[UserPlan],
    records: &[RecordPlan],
    story: &[bool],
) -> Vec<EvaluationPlan> {
    let settings = Settings::default();
    let window = Duration::days(i64::from(settings.rating_window_days));
    let quality: HashMap<i64, f64> = users
        .iter()
        .filter_map(|u| {
            let no = u.employee_no.as_deref()?;
            let (_, q) = AGENT_QUALITY.iter().find(|(n, _)| *n == no)?;
            Some((u.id, *q))
        })
        .collect();
    let customer_type: HashMap<i64, CustomerType> = users
        .iter()
        .filter_map(|u| Some((u.id, u.customer_type?)))
        .collect();
    let demo_customers: Vec<i64> = users
        .iter()
        .filter(|u| {
            matches!(
                u.phone.as_deref(),
                Some(DEMO_MEMBER_PHONE | DEMO_CUSTOMER_PHONE)
            )
        })
        .map(|u| u.id)
        .collect();

    let mut drafts = Vec::new();
    for (index, record) in records.iter().enumerate() {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        rng.set_stream(index as u64 + 1);
        let context = Context {
            record,
            quality: quality[&record.agent_id],
            customer_type: customer_type[&record.customer_id],
            late: record
                .first_response_at
                .is_some_and(|t| t - record.requested_at > response_sla(&settings, record.urgency)),
        };
        let satisfaction = context.satisfaction(&mut rng);

        // Who rates, and when.
        let forced = if demo_customers.contains(&record.customer_id) {
            if record.ended_at > now - Duration::days(DEMO_AWAITING_DAYS) {
                continue;
            }
            story[index]
        } else {
            false
        };
        let wants = rng.random_bool(context.rating_chance(satisfaction));
        if !wants && !forced {
            continue;
        }
        let last = (record.ended_at + window).min(now);
        let mut submitted_at = record.ended_at + delay(&mut rng, &context);
        if submitted_at > last {
            if !forced {
                continue;
            }
            let span = (last - record.ended_at).num_seconds();
            submitted_at = record.ended_at + Duration::seconds(rng.random_range(0..=span));
        }

        drafts.push(context.answers(&mut rng, index, satisfaction, submitted_at));
    }

    drafts.sort_by_key(|d| (d.submitted_at, d.record_index));
    let mut day = None;
    let mut sequence = 0;
    drafts
        .into_iter()
        .enumerate()
        .map(|(index, d)| {
            let submitted_day = org_day(d.submitted_at);
            if day != Some(submitted_day) {
                day = Some(submitted_day);
                sequence = 0;
            }
            sequence += 1;
            let record = &records[d.record_index];
            EvaluationPlan {
                id: index as i64 + 1,
                number: evaluation_number(submitted_day, sequence),
                service_record_id: d.record_index as i64 + 1,
                customer_id: record.customer_id,
                agent_id: record.agent_id,
                service_type: record.service_type,
                submitted_at: d.submitted_at,
                total_score: d.total_score,
                overall: d.overall,
                suggestion: d.suggestion,
                form_seconds: d.form_seconds,
                scores: d.scores,
            }
        })
        .collect()
}

/// What the customer's answers depend on.
struct Context<'a> {
    record: &'a RecordPlan,
    quality: f64,
    customer_type: CustomerType,
    /// The first response missed its SLA.
    late: bool,
}

impl Context<'_> {
    /// How satisfied the customer is, on the 1-5 scale (not clamped).
    fn satisfaction(&self, rng: &mut ChaCha8Rng) -> f64 {
        let r = self.record;
        let channel = match r.channel {
            Channel::Offline => 0.12,
            Channel::Online => -0.06,
        };
        let customer = match self.customer_type {
            CustomerType::Member => -0.25,
            CustomerType::Returning => 0.0,
            CustomerType::New => 0.12,
        };
        let category = match r.category {
            Category::Consultation => 0.05,
            Category::Complaint => -1.45,
            Category::Suggestion => -0.15,
            Category::Praise => 0.45,
        };
        let outcome = match (r.resolved_first_contact, r.resolved_at.is_some()) {
            (true, _) => 0.0,
            (false, true) => -0.3,
            (false, false) => -0.55,
        };
        let late = if self.late { -0.3 } else { 0.0 };
        self.quality + channel + customer + category + outcome + late + 0.5 * normal(rng)
    }

    /// The chance the customer rates at all: members most, new customers least, and strong
    /// feelings either way more than middling ones.
    fn rating_chance(&self, satisfaction: f64) -> f64 {
        let base = match self.customer_type {
            CustomerType::Member => 0.77,
            CustomerType::Returning => 0.71,
            CustomerType::New => 0.60,
        };
        (base + 0.12 * ((satisfaction - 3.7).abs() - 0.6)).clamp(0.3, 0.97)
    }

    /// The answers given at `submitted_at`.
    fn answers(
        &self,
        rng: &mut ChaCha8Rng,
        record_index: usize,
        satisfaction: f64,
        submitted_at: DateTime<Utc>,
    ) -> Draft {
        let r = self.record;
        let complaint = r.category == Category::Complaint;
        let preset = catalog::SERVICE_TYPES
            .iter()
            .find(|t| t.code == r.service_type)
            .expect("demo records use preset service types");

        let extreme = rng.random::<f64>();
        let all_five = extreme < 0.03;
        let all_one = !all_five && extreme < 0.03 + if complaint { 0.05 } else { 0.006 };
        let mut scores = Vec::with_capacity(preset.dimensions.len());
        for (position, &(code, optional)) in preset.dimensions.iter().enumerate() {
            let dimension = catalog::DIMENSIONS
                .iter()
                .find(|d| d.code == code)
                .expect("presets use preset dimensions");
            let mut x = satisfaction + 0.45 * normal(rng);
            x += match code {
                "attitude" => 0.15 + 0.5 * (self.quality - 4.2),
                "compliance" => 0.2,
                "environment" => 0.1,
                "added_value" => -0.2,
                "resolution" => -0.1,
                _ => 0.0,
            };
            if code == "responsiveness" && self.late {
                x -= 1.1;
            }
            if code == "resolution" && !r.resolved_first_contact {
                x -= if r.resolved_at.is_some() { 0.7 } else { 1.1 };
            }
            let score = if all_five {
                5
            } else if all_one {
                1
            } else {
                x.round().clamp(1.0, 5.0) as u8
            };
            let skipped = optional && rng.random_bool(0.2);
            scores.push(ScorePlan {
                dimension: code,
                position: position as i64,
                optional,
                name_zh: dimension.name_zh,
                name_en: dimension.name_en,
                score: (!skipped).then_some(score),
            });
        }
        let answered: Vec<Option<u8>> = scores.iter().map(|s| s.score).collect();
        let total_score = total_score(&answered).expect("required dimensions are answered");
        let answered: Vec<f64> = answered.iter().flatten().map(|&s| f64::from(s)).collect();
        let mean = answered.iter().sum::<f64>() / answered.len() as f64;

        let overall = if !all_five && !all_one && rng.random_bool(0.025) {
            // Inconsistent: the overall score contradicts the dimensions.
            if mean >= 3.0 {
                rng.random_range(1..=3)
            } else {
                rng.random_range(8..=10)
            }
        } else {
            (2.0 * mean + 0.55 * normal(rng)).round().clamp(1.0, 10.0) as u8
        };

        let tone = if total_score < 2.8 {
            Tone::Negative
        } else if total_score >= 4.2 {
            Tone::Positive
        } else {
            Tone::Mixed
        };
        let suggestion_chance = match tone {
            _ if all_five || all_one => 0.35,
            Tone::Negative => 0.75,
            Tone::Mixed => 0.47,
            Tone::Positive => 0.43,
        };
        let suggestion = rng.random_bool(suggestion_chance).then(|| {
            let lang = if rng.random_bool(0.15) {
                Lang::En
            } else {
                Lang::Zh
            };
            let cause = Cause {
                tone,
                service_type: r.service_type,
                late: self.late,
                unresolved: !r.resolved_first_contact,
                weak_agent: self.quality < WEAK_QUALITY,
                refund: r.tags.contains(&"退换货"),
                extreme: all_five || all_one,
                low: scores
                    .iter()
                    .filter(|s| s.score.is_some_and(|s| s <= 2))
                    .map(|s| s.dimension)
                    .collect(),
                high: scores
                    .iter()
                    .filter(|s| s.score == Some(5))
                    .map(|s| s.dimension)
                    .collect(),
            };
            suggestions::compose(rng, lang, &cause)
        });

        let form_seconds = if rng.random_bool(0.012) {
            rng.random_range(3..=9)
        } else {
            let size = 0.8 + 0.05 * scores.len() as f64;
            let writing = if suggestion.is_some() { 1.3 } else { 0.85 };
            (70.0 * size * writing * (0.7 * normal(rng)).exp()).clamp(20.0, 600.0) as u32
        };

        Draft {
            record_index,
            submitted_at,
            scores,
            total_score,
            overall,
            suggestion,
            form_seconds,
        }
    }
}

/// How long after the end of the service the customer rates: minutes (often right after),
/// hours (later that day), or days (a reminder). Late-night ratings move to the morning.
fn delay(rng: &mut ChaCha8Rng, context: &Context) -> Duration {
    let minutes_share = if context.record.category == Category::Complaint {
        0.5
    } else {
        0.4
    };
    let x = rng.random::<f64>();
    let seconds = if x < minutes_share {
        (720.0 * (0.9 * normal(rng)).exp()).clamp(45.0, 7200.0)
    } else if x < 0.8 {
        3600.0 * 24f64.powf(rng.random::<f64>())
    } else {
        86_400.0 * (1.0 - 1.1 * (1.0 - rng.random::<f64>()).ln()).min(6.9)
    };
    let mut delay = Duration::seconds(seconds as i64);
    let hour = (context.record.ended_at + delay)
        .with_timezone(&org_zone())
        .hour();
    if delay > Duration::hours(2) && (1..=6).contains(&hour) {
        delay += Duration::hours(i64::from(7 - hour)) + Duration::minutes(rng.random_range(0..90));
    }
    delay
}

/// A standard normal draw (Box-Muller).
fn normal(rng: &mut ChaCha8Rng) -> f64 {
    let u1 = 1.0 - rng.random::<f64>();
    let u2 = rng.random::<f64>();
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

/// Writes the plan's evaluations and their scores (after its records).
pub(super) async fn insert(conn: &mut Conn, plan: &DemoPlan) -> Result<(), sqlx::Error> {
    // 12 parameters a row, 7 a score: both well below SQLite's 32,766 bound parameters.
    const ROWS: usize = 2000;
    const SCORE_ROWS: usize = 4000;
    for chunk in plan.evaluations.chunks(ROWS) {
        let mut insert = QueryBuilder::new(
            "INSERT INTO evaluations (id, number, service_record_id, customer_id, agent_id, \
             service_type, submitted_at, total_score, overall, suggestion, status, \
             form_seconds) ",
        );
        insert.push_values(chunk, |mut row, e| {
            row.push_bind(e.id)
                .push_bind(&e.number)
                .push_bind(e.service_record_id)
                .push_bind(e.customer_id)
                .push_bind(e.agent_id)
                .push_bind(e.service_type)
                .push_bind(to_db(e.submitted_at))
                .push_bind(e.total_score)
                .push_bind(i64::from(e.overall))
                .push_bind(&e.suggestion)
                .push_bind("active")
                .push_bind(i64::from(e.form_seconds));
        });
        insert.build().execute(&mut *conn).await?;
    }
    let scores: Vec<(i64, &ScorePlan)> = plan
        .evaluations
        .iter()
        .flat_map(|e| e.scores.iter().map(move |s| (e.id, s)))
        .collect();
    for chunk in scores.chunks(SCORE_ROWS) {
        let mut insert = QueryBuilder::new(
            "INSERT INTO evaluation_scores (evaluation_id, dimension, position, optional, \
             name_zh, name_en, score) ",
        );
        insert.push_values(chunk, |mut row, (id, s)| {
            row.push_bind(*id)
                .push_bind(s.dimension)
                .push_bind(s.position)
                .push_bind(s.optional)
                .push_bind(s.name_zh)
                .push_bind(s.name_en)
                .push_bind(s.score.map(i64::from));
        });
        insert.build().execute(&mut *conn).await?;
    }
    Ok(())
}
