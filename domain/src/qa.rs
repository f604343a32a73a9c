//! Internal quality assurance (质检, seeds 002 and 003): checklist templates (dimension → items
//! → standard, with 1-5 rubric levels per dimension), inspection plans that draw a stratified
//! sample of service records, inspections of one record against the checklist, rectification of
//! every item found wanting, and the scores that come out of it.
//!
//! The rules here are pure: the sample ([`draw_sample`], [`assign_evenly`]), the score rate of a
//! dimension ([`score_rate`]), the QA score of an inspection ([`qa_score`]), the composite score
//! ([`composite_score`]) and the checks of what a user sends ([`NewTemplate::check`],
//! [`NewPlan::check`], [`NewInspection::check`], [`RectificationReport::check`],
//! [`Recheck::check`]).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::problem::FieldError;
use crate::rules::sample_size;
use crate::wire::{Channel, CustomerType};

/// Longest name of a template, dimension or item, in characters.
pub const NAME_MAX_CHARS: usize = 100;
/// Longest standard text, level description, problem, highlight or note, in characters.
pub const TEXT_MAX_CHARS: usize = 1000;
/// Most dimensions a template has.
pub const MAX_DIMENSIONS: usize = 20;
/// Most items a dimension has.
pub const MAX_ITEMS: usize = 30;
/// A dimension whose mean rubric score is under this is flagged (seed 003: "得分低于3分").
pub const FLAG_BELOW: f64 = 3.0;

closed_list! {
    /// How one checklist item was found (检查结果).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    #[serde(rename_all = "snake_case")]
    pub enum ItemResult {
        /// 符合
        Compliant = "compliant" ("符合", "Compliant"),
        /// 部分符合
        Partly = "partly" ("部分符合", "Partly compliant"),
        /// 不符合
        NonCompliant = "non_compliant" ("不符合", "Non-compliant"),
        /// N/A: the item does not apply to this service (e.g. dress code on a phone call).
        NotApplicable = "not_applicable" ("N/A", "N/A"),
    }
}

impl ItemResult {
    /// Counted in the score rate's denominator.
    pub fn applicable(self) -> bool {
        self != ItemResult::NotApplicable
    }

    /// Partly or not compliant: the inspector describes what happened and the item is
    /// rectified (seed 002: "对“不符合”或“部分符合”的项目,需记录具体事件").
    pub fn wanting(self) -> bool {
        matches!(self, ItemResult::Partly | ItemResult::NonCompliant)
    }
}

closed_list! {
    /// What the owner of a rectification reports (整改结果).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    #[serde(rename_all = "snake_case")]
    pub enum RectificationResult {
        /// 已整改
        Rectified = "rectified" ("已整改", "Rectified"),
        /// 未整改
        NotRectified = "not_rectified" ("未整改", "Not rectified"),
        /// 需持续改进
        Ongoing = "ongoing" ("需持续改进", "Needs ongoing improvement"),
    }
}

closed_list! {
    /// Where a rectification stands: the owner works on it (open), has reported a result
    /// (reported), and the inspector re-checks it: accepted (closed) or sent back (open again).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    #[serde(rename_all = "snake_case")]
    pub enum RectificationStatus {
        Open = "open" ("整改中", "Open"),
        Reported = "reported" ("待复查", "Awaiting re-check"),
        Closed = "closed" ("已关闭", "Closed"),
    }
}

/// Overdue: still open (its owner has reported nothing, or it was sent back) and its deadline
/// (a whole day in the organisation's zone) has passed. A reported one waits for the
/// inspector, not for its owner.
pub fn rectification_overdue(
    status: RectificationStatus,
    deadline: NaiveDate,
    today: NaiveDate,
) -> bool {
    status == RectificationStatus::Open && today > deadline
}

closed_list! {
    /// What a plan's sample is stratified by.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    #[serde(rename_all = "snake_case")]
    pub enum StratumKey {
        ServiceType = "service_type" ("服务类型", "Service type"),
        CustomerType = "customer_type" ("客户类型", "Customer type"),
        Channel = "channel" ("渠道", "Channel"),
    }
}

// ---------------------------------------------------------------------------------------------
// Rules
// ---------------------------------------------------------------------------------------------

/// SplitMix64's finaliser: a fixed, well-mixed 64-bit permutation, so the rank of a record in a
/// sample depends only on the seed and its id (stable across versions and platforms).
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The sample of one stratum: `sample_size(N)` of the `population` (record ids, N of them),
/// chosen by ranking each id by a hash keyed with `seed`. The same seed and population give the
/// same sample, in the same order; duplicates in `population` count once.
pub fn draw_sample(population: &[i64], seed: u32) -> Vec<i64> {
    let mut ids = population.to_vec();
    ids.sort_unstable();
    ids.dedup();
    let n = usize::try_from(sample_size(ids.len() as u64)).unwrap_or(usize::MAX);
    let key = mix(u64::from(seed));
    let mut ranked: Vec<(u64, i64)> = ids
        .into_iter()
        .map(|id| (mix(key ^ id as u64), id))
        .collect();
    ranked.sort_unstable();
    ranked.into_iter().take(n).map(|(_, id)| id).collect()
}

/// Deals `count` sampled records to the `inspectors` in turn, so that no inspector has more than
/// one record more than another: the inspector of record `i` is `inspectors[i % len]`. `None`
/// without inspectors.
pub fn assign_evenly(count: usize, inspectors: &[i64]) -> Option<Vec<i64>> {
    if inspectors.is_empty() {
        return None;
    }
    Some(
        (0..count)
            .map(|i| inspectors[i % inspectors.len()])
            .collect(),
    )
}

/// Dimension score rate (得分率) = compliant items / applicable items, 0 to 1; a partly
/// compliant item is applicable but not compliant, an N/A item is left out. `None` when no
/// item applies.
pub fn score_rate(results: &[ItemResult]) -> Option<f64> {
    let applicable = results.iter().filter(|r| r.applicable()).count();
    let compliant = results
        .iter()
        .filter(|r| **r == ItemResult::Compliant)
        .count();
    (applicable > 0).then(|| compliant as f64 / applicable as f64)
}

/// Rounds to `places` decimals, halves away from zero (4.475 → 4.48).
pub fn round_to(value: f64, places: i32) -> f64 {
    let factor = 10f64.powi(places);
    // A tiny nudge so that decimal halves stored just under (4.475 as 4.47499…) round up.
    ((value * factor) + value.signum() * 1e-9).round() / factor
}

/// The QA score of an inspection: the mean of its rubric scores (1-5 per dimension), two
/// decimals; `None` without scores.
pub fn qa_score(scores: &[u8]) -> Option<f64> {
    if scores.is_empty() {
        return None;
    }
    let sum: u32 = scores.iter().map(|&s| u32::from(s)).sum();
    Some(round_to(f64::from(sum) / scores.len() as f64, 2))
}

/// The mean of `values`, two decimals; `None` when empty.
pub fn mean(values: &[f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    Some(round_to(
        values.iter().sum::<f64>() / values.len() as f64,
        2,
    ))
}

/// Composite score (综合得分) = customer score × customer weight + QA score × QA weight, the
/// weights in percent (the settings `composite_customer_weight`, 60, and `composite_qa_weight`,
/// 40), two decimals. Both scores are on the 1-5 scale. `None` unless both are known: a
/// composite of one side alone would pass one score off as the other.
pub fn composite_score(
    customer: Option<f64>,
    qa: Option<f64>,
    customer_weight: u8,
    qa_weight: u8,
) -> Option<f64> {
    let (customer, qa) = (customer?, qa?);
    let total = f64::from(customer_weight) + f64::from(qa_weight);
    if total == 0.0 {
        return None;
    }
    Some(round_to(
        (customer * f64::from(customer_weight) + qa * f64::from(qa_weight)) / total,
        2,
    ))
}

/// Whether a dimension's score is flagged (under 3).
pub fn flagged(score: Option<f64>) -> bool {
    score.is_some_and(|s| s < FLAG_BELOW)
}

fn check_text(errors: &mut Vec<FieldError>, field: &str, value: &str, required: bool, max: usize) {
    let chars = value.trim().chars().count();
    if required && chars == 0 {
        errors.push(FieldError::new(field, "required", "this cannot be empty"));
    } else if chars > max {
        errors.push(FieldError::new(
            field,
            "too_long",
            format!("at most {max} characters"),
        ));
    }
}

// ---------------------------------------------------------------------------------------------
// Templates
// ---------------------------------------------------------------------------------------------

/// A rubric level of a dimension: what a score means (seed 003: "1分(超24小时)-5分(≤15分钟)").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RubricLevel {
    /// 1 to 5.
    pub score: u8,
    pub text_zh: String,
    pub text_en: String,
}

/// A checklist item (检查项目) and its standard (检查标准).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TemplateItem {
    pub id: i64,
    pub name_zh: String,
    pub name_en: String,
    pub standard_zh: String,
    pub standard_en: String,
}

/// A dimension (检查维度) of a template: its items and its rubric levels.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TemplateDimension {
    pub id: i64,
    pub name_zh: String,
    pub name_en: String,
    /// Level descriptions, by score; may be empty or cover only some scores.
    pub levels: Vec<RubricLevel>,
    /// In order; may be empty for a rubric-only dimension.
    pub items: Vec<TemplateItem>,
}

/// A checklist template.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChecklistTemplate {
    pub id: i64,
    pub name_zh: String,
    pub name_en: String,
    pub description_zh: String,
    pub description_en: String,
    pub dimensions: Vec<TemplateDimension>,
    /// A plan uses it: it can no longer be edited (past inspections refer to its items), only
    /// copied into a new template.
    pub in_use: bool,
    pub updated_at: DateTime<Utc>,
}

impl ChecklistTemplate {
    /// Every item, with the dimension it belongs to, in order.
    pub fn items(&self) -> impl Iterator<Item = (&TemplateDimension, &TemplateItem)> {
        self.dimensions
            .iter()
            .flat_map(|d| d.items.iter().map(move |i| (d, i)))
    }
}

/// An item as a user writes it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewTemplateItem {
    pub name_zh: String,
    #[serde(default)]
    pub name_en: String,
    pub standard_zh: String,
    #[serde(default)]
    pub standard_en: String,
}

/// A dimension as a user writes it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewTemplateDimension {
    pub name_zh: String,
    #[serde(default)]
    pub name_en: String,
    #[serde(default)]
    pub levels: Vec<RubricLevel>,
    #[serde(default)]
    pub items: Vec<NewTemplateItem>,
}

/// `POST /qa/templates` and `PUT /qa/templates/{id}`: a whole template.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewTemplate {
    pub name_zh: String,
    #[serde(default)]
    pub name_en: String,
    #[serde(default)]
    pub description_zh: String,
    #[serde(default)]
    pub description_en: String,
    pub dimensions: Vec<NewTemplateDimension>,
}

impl NewTemplate {
    /// Names required in Chinese (English falls back to it), at least one dimension, lengths in
    /// bounds, level scores 1-5 and each at most once. Fields are named
    /// `dimensions.{i}.items.{j}.name_zh` etc.
    pub fn check(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        check_text(&mut errors, "name_zh", &self.name_zh, true, NAME_MAX_CHARS);
        check_text(&mut errors, "name_en", &self.name_en, false, NAME_MAX_CHARS);
        check_text(
            &mut errors,
            "description_zh",
            &self.description_zh,
            false,
            TEXT_MAX_CHARS,
        );
        check_text(
            &mut errors,
            "description_en",
            &self.description_en,
            false,
            TEXT_MAX_CHARS,
        );
        if self.dimensions.is_empty() {
            errors.push(FieldError::new(
                "dimensions",
                "required",
                "a template needs at least one dimension",
            ));
        } else if self.dimensions.len() > MAX_DIMENSIONS {
            errors.push(FieldError::new(
                "dimensions",
                "too_many",
                format!("at most {MAX_DIMENSIONS} dimensions"),
            ));
            return Err(errors);
        }
        for (i, d) in self.dimensions.iter().enumerate() {
            if d.items.len() > MAX_ITEMS || d.levels.len() > 5 {
                errors.push(FieldError::new(
                    format!("dimensions.{i}.items"),
                    "too_many",
                    format!("at most {MAX_ITEMS} items and 5 levels a dimension"),
                ));
                continue;
            }
            let at = format!("dimensions.{i}");
            check_text(
                &mut errors,
                &format!("{at}.name_zh"),
                &d.name_zh,
                true,
                NAME_MAX_CHARS,
            );
            check_text(
                &mut errors,
                &format!("{at}.name_en"),
                &d.name_en,
                false,
                NAME_MAX_CHARS,
            );
            let mut seen = [false; 6];
            for (k, level) in d.levels.iter().enumerate() {
                let field = format!("{at}.levels.{k}");
                if !(1..=5).contains(&level.score) {
                    errors.push(FieldError::new(
                        format!("{field}.score"),
                        "out_of_range",
                        "a level is a score from 1 to 5",
                    ));
                } else if std::mem::replace(&mut seen[usize::from(level.score)], true) {
                    errors.push(FieldError::new(
                        format!("{field}.score"),
                        "duplicate",
                        "each score has one description",
                    ));
                }
                check_text(
                    &mut errors,
                    &format!("{field}.text_zh"),
                    &level.text_zh,
                    true,
                    TEXT_MAX_CHARS,
                );
                check_text(
                    &mut errors,
                    &format!("{field}.text_en"),
                    &level.text_en,
                    false,
                    TEXT_MAX_CHARS,
                );
            }
            for (j, item) in d.items.iter().enumerate() {
                let field = format!("{at}.items.{j}");
                check_text(
                    &mut errors,
                    &format!("{field}.name_zh"),
                    &item.name_zh,
                    true,
                    NAME_MAX_CHARS,
                );
                check_text(
                    &mut errors,
                    &format!("{field}.name_en"),
                    &item.name_en,
                    false,
                    NAME_MAX_CHARS,
                );
                check_text(
                    &mut errors,
                    &format!("{field}.standard_zh"),
                    &item.standard_zh,
                    true,
                    TEXT_MAX_CHARS,
                );
                check_text(
                    &mut errors,
                    &format!("{field}.standard_en"),
                    &item.standard_en,
                    false,
                    TEXT_MAX_CHARS,
                );
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// The template as sent, trimmed, with the English falling back to the Chinese where
    /// it was left empty, and levels in score order.
    pub fn normalized(&self) -> NewTemplate {
        fn or_zh(en: &str, zh: &str) -> String {
            let en = en.trim();
            if en.is_empty() { zh.trim() } else { en }.to_owned()
        }
        NewTemplate {
            name_zh: self.name_zh.trim().to_owned(),
            name_en: or_zh(&self.name_en, &self.name_zh),
            description_zh: self.description_zh.trim().to_owned(),
            description_en: or_zh(&self.description_en, &self.description_zh),
            dimensions: self
                .dimensions
                .iter()
                .map(|d| {
                    let mut levels: Vec<RubricLevel> = d
                        .levels
                        .iter()
                        .map(|l| RubricLevel {
                            score: l.score,
                            text_zh: l.text_zh.trim().to_owned(),
                            text_en: or_zh(&l.text_en, &l.text_zh),
                        })
                        .collect();
                    levels.sort_by_key(|l| l.score);
                    NewTemplateDimension {
                        name_zh: d.name_zh.trim().to_owned(),
                        name_en: or_zh(&d.name_en, &d.name_zh),
                        levels,
                        items: d
                            .items
                            .iter()
                            .map(|i| NewTemplateItem {
                                name_zh: i.name_zh.trim().to_owned(),
                                name_en: or_zh(&i.name_en, &i.name_zh),
                                standard_zh: i.standard_zh.trim().to_owned(),
                                standard_en: or_zh(&i.standard_en, &i.standard_zh),
                            })
                            .collect(),
                    }
                })
                .collect(),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Plans
// ---------------------------------------------------------------------------------------------

/// A person named in QA views: id, staff number and name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Person {
    pub id: i64,
    pub no: String,
    pub name: String,
}

/// `POST /qa/plans`: an inspection plan (检测计划).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewPlan {
    pub name: String,
    /// 检测目标, e.g. "提升响应时效".
    #[serde(default)]
    pub goal: String,
    /// First day of the period (services that ended on it count), in the organisation's zone.
    pub from: NaiveDate,
    /// Last day of the period, included.
    pub to: NaiveDate,
    pub template_id: i64,
    /// Service type codes in scope; empty = all.
    #[serde(default)]
    pub service_types: Vec<String>,
    /// Channels in scope; empty = all.
    #[serde(default)]
    pub channels: Vec<Channel>,
    /// Customer types in scope; empty = all.
    #[serde(default)]
    pub customer_types: Vec<CustomerType>,
    /// What the sample is stratified by; empty = one stratum.
    #[serde(default)]
    pub strata: Vec<StratumKey>,
    /// The inspectors the sample is dealt to (at least one).
    pub inspector_ids: Vec<i64>,
    /// The sampling seed; the server draws one when it is missing. Kept with the plan so the
    /// sample can be drawn again and checked.
    #[serde(default)]
    pub seed: Option<u32>,
}

/// Longest plan period, in days.
pub const PLAN_MAX_DAYS: i64 = 366;

impl NewPlan {
    /// A name, a period of at most a year ending no later than `today`, at least one inspector,
    /// no stratum key twice.
    pub fn check(&self, today: NaiveDate) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        check_text(&mut errors, "name", &self.name, true, NAME_MAX_CHARS);
        check_text(&mut errors, "goal", &self.goal, false, TEXT_MAX_CHARS);
        if self.to < self.from {
            errors.push(FieldError::new(
                "to",
                "before_start",
                "the period ends before it starts",
            ));
        } else if (self.to - self.from).num_days() >= PLAN_MAX_DAYS {
            errors.push(FieldError::new(
                "to",
                "too_long",
                format!("a plan covers at most {PLAN_MAX_DAYS} days"),
            ));
        }
        if self.from > today {
            errors.push(FieldError::new(
                "from",
                "in_future",
                "the period must start today or earlier",
            ));
        }
        if self.inspector_ids.is_empty() {
            errors.push(FieldError::new(
                "inspector_ids",
                "required",
                "choose at least one inspector",
            ));
        }
        let mut keys = self.strata.clone();
        keys.sort();
        keys.dedup();
        if keys.len() != self.strata.len() {
            errors.push(FieldError::new(
                "strata",
                "duplicate",
                "each stratum key once",
            ));
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

/// One part of a stratum's definition, e.g. customer type = 会员.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StratumPart {
    pub key: StratumKey,
    /// The stored value: a service type code, `new`, `online`…
    pub value: String,
    pub label_zh: String,
    pub label_en: String,
}

/// A stratum of a plan: its population in scope (N) and the sample drawn from it (n).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Stratum {
    /// Empty for a plan without strata (one stratum: everything in scope).
    pub parts: Vec<StratumPart>,
    pub population: u64,
    pub sample: u64,
}

/// A plan in lists and at the top of its pages.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlanSummary {
    pub id: i64,
    pub name: String,
    pub goal: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub template_id: i64,
    pub template_name_zh: String,
    pub template_name_en: String,
    pub seed: u32,
    pub created_by: Person,
    pub created_at: DateTime<Utc>,
    pub sample_count: u64,
    pub inspected_count: u64,
    /// Rectifications not closed yet.
    pub open_rectifications: u64,
}

/// The scope a plan was drawn from, as it was asked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlanScope {
    pub service_types: Vec<String>,
    pub channels: Vec<Channel>,
    pub customer_types: Vec<CustomerType>,
    pub strata: Vec<StratumKey>,
}

closed_list! {
    /// Whether a sampled record has been inspected.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    #[serde(rename_all = "snake_case")]
    pub enum SampleStatus {
        Pending = "pending" ("待检查", "Pending"),
        Inspected = "inspected" ("已检查", "Inspected"),
    }
}

/// A sampled record, to whom it is assigned and how far it got.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SampleRow {
    pub id: i64,
    pub plan_id: i64,
    pub plan_name: String,
    pub record_id: i64,
    pub external_id: String,
    pub agent: Person,
    pub service_type_name_zh: String,
    pub service_type_name_en: String,
    pub channel: Channel,
    pub customer_type: Option<CustomerType>,
    pub ended_at: DateTime<Utc>,
    /// Index into the plan's strata.
    pub stratum: usize,
    pub inspector: Person,
    pub status: SampleStatus,
    pub qa_score: Option<f64>,
    /// Items found partly or not compliant.
    pub wanting: u32,
}

/// `GET /qa/plans/{id}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlanDetail {
    pub plan: PlanSummary,
    pub scope: PlanScope,
    pub strata: Vec<Stratum>,
    pub inspectors: Vec<Person>,
    pub samples: Vec<SampleRow>,
}

/// A service type offered in the plan form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ServiceTypeOption {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
}

/// `GET /qa/options`: what the plan form offers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlanOptions {
    pub templates: Vec<ChecklistTemplate>,
    pub inspectors: Vec<Person>,
    pub service_types: Vec<ServiceTypeOption>,
    /// Today in the organisation's zone.
    pub today: NaiveDate,
}

/// `GET /qa/home`: the inspector's (or admin's) start page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QaHome {
    pub plans: Vec<PlanSummary>,
    /// Sampled records assigned to the caller and not inspected yet.
    pub to_inspect: Vec<SampleRow>,
    /// Rectifications reported and waiting for a re-check, and overdue ones.
    pub to_recheck: Vec<Rectification>,
    pub overdue: Vec<Rectification>,
}

// ---------------------------------------------------------------------------------------------
// Inspections
// ---------------------------------------------------------------------------------------------

/// One item as found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ItemAnswer {
    pub item_id: i64,
    pub result: ItemResult,
    /// What happened (time, what was said or done), required when partly or not compliant.
    #[serde(default)]
    pub problem: Option<String>,
}

/// A rubric score of one dimension.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DimensionScore {
    pub dimension_id: i64,
    /// 1 to 5.
    pub score: u8,
}

/// Who rectifies an item found wanting, and by when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RectificationAssignment {
    pub item_id: i64,
    pub owner_id: i64,
    pub deadline: NaiveDate,
}

/// `PUT /qa/samples/{id}/inspection`: the whole inspection of one sampled record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewInspection {
    /// Every item of the template, once.
    pub answers: Vec<ItemAnswer>,
    /// Every dimension of the template, once.
    pub scores: Vec<DimensionScore>,
    /// Highlights worth sharing (服务亮点).
    #[serde(default)]
    pub highlights: Option<String>,
    /// One per item found partly or not compliant.
    #[serde(default)]
    pub rectifications: Vec<RectificationAssignment>,
}

impl NewInspection {
    /// Against the plan's `template`: every item answered once and nothing else, a problem for
    /// every item found wanting, a score of 1-5 for every dimension, and a rectification
    /// (owner among `owners`, deadline from `today` on) for exactly the items found wanting.
    /// Fields: `answers.{item_id}.result`, `answers.{item_id}.problem`,
    /// `scores.{dimension_id}`, `rectifications.{item_id}.owner_id` / `.deadline`, `highlights`.
    pub fn check(
        &self,
        template: &ChecklistTemplate,
        owners: &[i64],
        today: NaiveDate,
    ) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        for (_, item) in template.items() {
            let answers: Vec<&ItemAnswer> = self
                .answers
                .iter()
                .filter(|a| a.item_id == item.id)
                .collect();
            let field = format!("answers.{}", item.id);
            match answers.as_slice() {
                [] => errors.push(FieldError::new(
                    format!("{field}.result"),
                    "required",
                    "mark this item",
                )),
                [answer] => {
                    let problem = answer.problem.as_deref().unwrap_or("").trim();
                    if answer.result.wanting() && problem.is_empty() {
                        errors.push(FieldError::new(
                            format!("{field}.problem"),
                            "required",
                            "describe what happened: when, what was said or done",
                        ));
                    } else {
                        check_text(
                            &mut errors,
                            &format!("{field}.problem"),
                            problem,
                            false,
                            TEXT_MAX_CHARS,
                        );
                    }
                    let assigned: Vec<&RectificationAssignment> = self
                        .rectifications
                        .iter()
                        .filter(|r| r.item_id == item.id)
                        .collect();
                    let at = format!("rectifications.{}", item.id);
                    match (answer.result.wanting(), assigned.as_slice()) {
                        (true, []) => errors.push(FieldError::new(
                            format!("{at}.owner_id"),
                            "required",
                            "name who rectifies this item and by when",
                        )),
                        (true, [r]) => {
                            if !owners.contains(&r.owner_id) {
                                errors.push(FieldError::new(
                                    format!("{at}.owner_id"),
                                    "unknown",
                                    "choose the agent or their team lead",
                                ));
                            }
                            if r.deadline < today {
                                errors.push(FieldError::new(
                                    format!("{at}.deadline"),
                                    "in_past",
                                    "the deadline cannot be in the past",
                                ));
                            }
                        }
                        (true, _) => errors.push(FieldError::new(
                            format!("{at}.owner_id"),
                            "duplicate",
                            "one rectification per item",
                        )),
                        (false, []) => {}
                        (false, _) => errors.push(FieldError::new(
                            format!("{at}.owner_id"),
                            "not_wanting",
                            "only an item found partly or not compliant is rectified",
                        )),
                    }
                }
                _ => errors.push(FieldError::new(
                    format!("{field}.result"),
                    "duplicate",
                    "each item is marked once",
                )),
            }
        }
        for answer in &self.answers {
            if !template.items().any(|(_, i)| i.id == answer.item_id) {
                errors.push(FieldError::new(
                    format!("answers.{}.result", answer.item_id),
                    "unknown",
                    "this item is not in the plan's checklist",
                ));
            }
        }
        for r in &self.rectifications {
            if !template.items().any(|(_, i)| i.id == r.item_id) {
                errors.push(FieldError::new(
                    format!("rectifications.{}.owner_id", r.item_id),
                    "unknown",
                    "this item is not in the plan's checklist",
                ));
            }
        }
        for d in &template.dimensions {
            let scores: Vec<&DimensionScore> = self
                .scores
                .iter()
                .filter(|s| s.dimension_id == d.id)
                .collect();
            let field = format!("scores.{}", d.id);
            match scores.as_slice() {
                [] => errors.push(FieldError::new(field, "required", "score 1 to 5")),
                [s] if !(1..=5).contains(&s.score) => {
                    errors.push(FieldError::new(field, "out_of_range", "score 1 to 5"))
                }
                [_] => {}
                _ => errors.push(FieldError::new(field, "duplicate", "one score each")),
            }
        }
        for s in &self.scores {
            if !template.dimensions.iter().any(|d| d.id == s.dimension_id) {
                errors.push(FieldError::new(
                    format!("scores.{}", s.dimension_id),
                    "unknown",
                    "this dimension is not in the plan's checklist",
                ));
            }
        }
        check_text(
            &mut errors,
            "highlights",
            self.highlights.as_deref().unwrap_or(""),
            false,
            TEXT_MAX_CHARS,
        );
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

/// A rectification (整改) of an item found wanting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Rectification {
    pub id: i64,
    pub plan_id: i64,
    pub plan_name: String,
    pub sample_id: i64,
    pub record_id: i64,
    pub external_id: String,
    /// The agent who served the record.
    pub agent: Person,
    pub item_id: i64,
    pub item_name_zh: String,
    pub item_name_en: String,
    pub dimension_name_zh: String,
    pub dimension_name_en: String,
    pub result_found: ItemResult,
    pub problem: String,
    pub owner: Person,
    pub deadline: NaiveDate,
    pub status: RectificationStatus,
    pub overdue: bool,
    pub result: Option<RectificationResult>,
    pub owner_note: Option<String>,
    pub reported_at: Option<DateTime<Utc>>,
    pub check_note: Option<String>,
    pub checked_by: Option<Person>,
    pub checked_at: Option<DateTime<Utc>>,
    pub inspector: Person,
}

/// `POST /qa/rectifications/{id}/report`: the owner's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RectificationReport {
    pub result: RectificationResult,
    /// What was done (措施), required.
    pub note: String,
}

impl RectificationReport {
    pub fn check(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        check_text(&mut errors, "note", &self.note, true, TEXT_MAX_CHARS);
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

/// `POST /qa/rectifications/{id}/recheck`: the inspector's re-check (复查) of a reported result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Recheck {
    /// Accepted closes it; not accepted sends it back to its owner, open again.
    pub accepted: bool,
    /// Required when it is sent back.
    #[serde(default)]
    pub note: String,
}

impl Recheck {
    pub fn check(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        check_text(
            &mut errors,
            "note",
            &self.note,
            !self.accepted,
            TEXT_MAX_CHARS,
        );
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

/// An inspection as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Inspection {
    pub id: i64,
    pub sample_id: i64,
    pub inspector: Person,
    pub submitted_at: DateTime<Utc>,
    pub answers: Vec<ItemAnswer>,
    pub scores: Vec<DimensionScore>,
    pub highlights: Option<String>,
    pub qa_score: f64,
    pub rectifications: Vec<Rectification>,
}

/// The customer's evaluation of a record, as the inspector sees it beside the checklist.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CustomerView {
    pub number: String,
    pub total_score: f64,
    pub overall: u8,
    pub suggestion: Option<String>,
    pub scores: Vec<CustomerScore>,
    pub submitted_at: DateTime<Utc>,
}

/// One dimension of the customer's evaluation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CustomerScore {
    pub name_zh: String,
    pub name_en: String,
    pub score: Option<u8>,
}

/// `GET /qa/samples/{id}`: everything the inspection of one record needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InspectionSheet {
    pub sample: SampleRow,
    pub record: crate::records::ServiceRecord,
    /// The customer's current evaluation, when there is one and it is not deleted.
    pub evaluation: Option<CustomerView>,
    pub template: ChecklistTemplate,
    pub inspection: Option<Inspection>,
    /// Who may own a rectification: the agent and their team lead.
    pub owners: Vec<Person>,
    /// The deadline offered: 3 working days from today (the setting for improvement plans).
    pub default_deadline: NaiveDate,
    pub today: NaiveDate,
    /// Whether the caller may (re-)submit: the assigned inspector or an admin, and no
    /// rectification of it reported yet.
    pub editable: bool,
}

// ---------------------------------------------------------------------------------------------
// Reports
// ---------------------------------------------------------------------------------------------

/// A dimension in a plan's report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DimensionResult {
    pub dimension_id: i64,
    pub name_zh: String,
    pub name_en: String,
    /// Mean rubric score, 1-5.
    pub score: Option<f64>,
    /// Compliant / applicable items over every inspection, 0-1.
    pub score_rate: Option<f64>,
    pub applicable: u64,
    pub compliant: u64,
    /// Under 3.
    pub flagged: bool,
    /// The same dimension (by name) in the plan compared against.
    pub before: Option<f64>,
}

/// Scores of an agent or a team in a plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CompositeRow {
    /// The agent, or the team (id, "", name).
    pub who: Person,
    pub team_name: Option<String>,
    pub inspections: u64,
    pub qa_score: Option<f64>,
    /// Mean total score of the customers' current, undeleted evaluations in the plan's period.
    pub customer_score: Option<f64>,
    pub evaluations: u64,
    pub composite: Option<f64>,
}

/// An item often found wanting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FrequentProblem {
    pub item_id: i64,
    pub item_name_zh: String,
    pub item_name_en: String,
    pub dimension_name_zh: String,
    pub dimension_name_en: String,
    /// Inspections that found it partly or not compliant.
    pub count: u64,
    /// Of the inspections where it applied, 0-1.
    pub share: f64,
    /// Up to three problem descriptions.
    pub examples: Vec<String>,
}

/// A highlight worth sharing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Highlight {
    pub agent: Person,
    pub external_id: String,
    pub text: String,
}

/// Rectifications of a plan by status.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RectificationCounts {
    pub open: u64,
    pub reported: u64,
    pub closed: u64,
    pub overdue: u64,
}

/// The plan a report is compared against (before/after).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Comparison {
    pub plan: PlanSummary,
    pub qa_score: Option<f64>,
    pub composite: Option<f64>,
}

/// `GET /qa/plans/{id}/report`: the inspection report of a plan (检测报告).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlanReport {
    pub plan: PlanSummary,
    pub scope: PlanScope,
    pub strata: Vec<Stratum>,
    pub inspected: u64,
    pub dimensions: Vec<DimensionResult>,
    pub qa_score: Option<f64>,
    pub customer_score: Option<f64>,
    pub composite: Option<f64>,
    pub customer_weight: u8,
    pub qa_weight: u8,
    pub agents: Vec<CompositeRow>,
    pub teams: Vec<CompositeRow>,
    pub problems: Vec<FrequentProblem>,
    pub highlights: Vec<Highlight>,
    pub rectifications: RectificationCounts,
    pub compare: Option<Comparison>,
    /// Earlier plans on the same template, to compare against.
    pub comparable: Vec<PlanSummary>,
}

/// `GET /me/qa`: an agent's own inspection results and rectifications.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyQa {
    pub inspections: Vec<MyInspection>,
    /// Owned by the caller or about their services.
    pub rectifications: Vec<Rectification>,
}

/// One inspection of an agent's service, as the agent sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyInspection {
    pub sample: SampleRow,
    pub submitted_at: DateTime<Utc>,
    pub dimensions: Vec<MyDimension>,
    pub highlights: Option<String>,
}

/// A dimension of an agent's inspection: the score, and the items found wanting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyDimension {
    pub name_zh: String,
    pub name_en: String,
    pub score: u8,
    pub score_rate: Option<f64>,
    pub wanting: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn template() -> ChecklistTemplate {
        ChecklistTemplate {
            id: 1,
            name_zh: "检查表".into(),
            name_en: "Checklist".into(),
            description_zh: String::new(),
            description_en: String::new(),
            dimensions: vec![
                TemplateDimension {
                    id: 10,
                    name_zh: "服务态度".into(),
                    name_en: "Attitude".into(),
                    levels: vec![],
                    items: vec![
                        TemplateItem {
                            id: 100,
                            name_zh: "主动问候客户".into(),
                            name_en: "Greets".into(),
                            standard_zh: "规范话术".into(),
                            standard_en: "Standard".into(),
                        },
                        TemplateItem {
                            id: 101,
                            name_zh: "耐心倾听".into(),
                            name_en: "Listens".into(),
                            standard_zh: "不打断".into(),
                            standard_en: "No interrupting".into(),
                        },
                    ],
                },
                TemplateDimension {
                    id: 11,
                    name_zh: "响应及时性".into(),
                    name_en: "Timeliness".into(),
                    levels: vec![],
                    items: vec![],
                },
            ],
            in_use: false,
            updated_at: DateTime::<Utc>::from_timestamp(0, 0).unwrap(),
        }
    }

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn inspection(results: [ItemResult; 2]) -> NewInspection {
        NewInspection {
            answers: vec![
                ItemAnswer {
                    item_id: 100,
                    result: results[0],
                    problem: None,
                },
                ItemAnswer {
                    item_id: 101,
                    result: results[1],
                    problem: None,
                },
            ],
            scores: vec![
                DimensionScore {
                    dimension_id: 10,
                    score: 4,
                },
                DimensionScore {
                    dimension_id: 11,
                    score: 3,
                },
            ],
            highlights: None,
            rectifications: vec![],
        }
    }

    fn codes(result: Result<(), Vec<FieldError>>) -> Vec<(String, String)> {
        result
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|e| (e.field, e.code))
            .collect()
    }

    #[test]
    fn sample_sizes_per_stratum_follow_the_floors() {
        for (n, expected) in [
            (10, 10),
            (29, 29),
            (30, 30),
            (299, 30),
            (300, 30),
            (301, 31),
            (1000, 100),
        ] {
            let population: Vec<i64> = (1..=n).collect();
            assert_eq!(
                draw_sample(&population, 7).len() as i64,
                expected,
                "N = {n}"
            );
        }
    }

    #[test]
    fn the_same_seed_draws_the_same_sample_and_another_seed_another() {
        let population: Vec<i64> = (1..=1000).collect();
        let a = draw_sample(&population, 42);
        let mut shuffled = population.clone();
        shuffled.reverse();
        assert_eq!(
            draw_sample(&shuffled, 42),
            a,
            "order of the population is irrelevant"
        );
        assert_ne!(draw_sample(&population, 43), a);
        let mut unique = a.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), a.len(), "no record twice");
    }

    #[test]
    fn records_are_dealt_evenly() {
        let dealt = assign_evenly(7, &[1, 2, 3]).unwrap();
        assert_eq!(dealt, vec![1, 2, 3, 1, 2, 3, 1]);
        assert_eq!(assign_evenly(3, &[]), None);
    }

    #[test]
    fn the_composite_of_customer_4_8_and_qa_4_0_is_4_48() {
        assert_eq!(composite_score(Some(4.8), Some(4.0), 60, 40), Some(4.48));
        assert_eq!(composite_score(Some(4.8), None, 60, 40), None);
        assert_eq!(composite_score(None, Some(4.0), 60, 40), None);
        assert_eq!(composite_score(Some(5.0), Some(1.0), 50, 50), Some(3.0));
    }

    #[test]
    fn the_score_rate_leaves_out_items_that_do_not_apply() {
        use ItemResult::*;
        assert_eq!(
            score_rate(&[Compliant, Compliant, NotApplicable]),
            Some(1.0)
        );
        assert_eq!(
            score_rate(&[Compliant, Partly, NonCompliant, NotApplicable]),
            Some(1.0 / 3.0)
        );
        assert_eq!(score_rate(&[NotApplicable, NotApplicable]), None);
        assert_eq!(score_rate(&[]), None);
    }

    #[test]
    fn qa_scores_are_the_mean_of_the_rubric_and_under_3_is_flagged() {
        assert_eq!(qa_score(&[5, 5, 4, 5, 5]), Some(4.8));
        assert_eq!(qa_score(&[2, 3, 2, 1, 3]), Some(2.2));
        assert_eq!(qa_score(&[]), None);
        assert!(flagged(Some(2.99)));
        assert!(!flagged(Some(3.0)));
        assert!(!flagged(None));
    }

    #[test]
    fn an_inspection_marks_every_item_and_scores_every_dimension() {
        use ItemResult::*;
        let t = template();
        let today = day("2026-11-20");
        assert_eq!(
            codes(inspection([Compliant, NotApplicable]).check(&t, &[5], today)),
            vec![]
        );
        let mut missing = inspection([Compliant, Compliant]);
        missing.answers.pop();
        missing.scores.pop();
        assert_eq!(
            codes(missing.check(&t, &[5], today)),
            vec![
                ("answers.101.result".into(), "required".into()),
                ("scores.11".into(), "required".into()),
            ]
        );
        let mut foreign = inspection([Compliant, Compliant]);
        foreign.scores[0].score = 6;
        foreign.answers.push(ItemAnswer {
            item_id: 999,
            result: Compliant,
            problem: None,
        });
        assert_eq!(
            codes(foreign.check(&t, &[5], today)),
            vec![
                ("answers.999.result".into(), "unknown".into()),
                ("scores.10".into(), "out_of_range".into()),
            ]
        );
    }

    #[test]
    fn an_item_found_wanting_needs_a_problem_and_a_rectification() {
        use ItemResult::*;
        let t = template();
        let today = day("2026-11-20");
        let bare = inspection([NonCompliant, Partly]);
        assert_eq!(
            codes(bare.check(&t, &[5], today)),
            vec![
                ("answers.100.problem".into(), "required".into()),
                ("rectifications.100.owner_id".into(), "required".into()),
                ("answers.101.problem".into(), "required".into()),
                ("rectifications.101.owner_id".into(), "required".into()),
            ]
        );
        let mut full = inspection([NonCompliant, Compliant]);
        full.answers[0].problem = Some("10:05 客户询问退货时多次打断客户".into());
        full.rectifications.push(RectificationAssignment {
            item_id: 100,
            owner_id: 5,
            deadline: today,
        });
        assert_eq!(codes(full.check(&t, &[5], today)), vec![]);
        let mut wrong = full.clone();
        wrong.rectifications[0].owner_id = 6;
        wrong.rectifications[0].deadline = day("2026-11-19");
        wrong.rectifications.push(RectificationAssignment {
            item_id: 101,
            owner_id: 5,
            deadline: today,
        });
        assert_eq!(
            codes(wrong.check(&t, &[5], today)),
            vec![
                ("rectifications.100.owner_id".into(), "unknown".into()),
                ("rectifications.100.deadline".into(), "in_past".into()),
                ("rectifications.101.owner_id".into(), "not_wanting".into()),
            ]
        );
    }

    #[test]
    fn a_plan_needs_a_name_a_period_and_an_inspector() {
        let today = day("2026-11-20");
        let plan = NewPlan {
            name: " ".into(),
            goal: String::new(),
            from: day("2026-11-21"),
            to: day("2026-11-01"),
            template_id: 1,
            service_types: vec![],
            channels: vec![],
            customer_types: vec![],
            strata: vec![StratumKey::Channel, StratumKey::Channel],
            inspector_ids: vec![],
            seed: None,
        };
        assert_eq!(
            codes(plan.check(today)),
            vec![
                ("name".into(), "required".into()),
                ("to".into(), "before_start".into()),
                ("from".into(), "in_future".into()),
                ("inspector_ids".into(), "required".into()),
                ("strata".into(), "duplicate".into()),
            ]
        );
        let good = NewPlan {
            name: "11 月巡检".into(),
            from: day("2026-11-01"),
            to: today,
            strata: vec![StratumKey::ServiceType, StratumKey::CustomerType],
            inspector_ids: vec![3],
            ..plan
        };
        assert_eq!(codes(good.check(today)), vec![]);
    }

    #[test]
    fn a_template_needs_names_and_valid_levels() {
        let t = NewTemplate {
            name_zh: "模板".into(),
            dimensions: vec![NewTemplateDimension {
                name_zh: "响应及时性".into(),
                levels: vec![
                    RubricLevel {
                        score: 1,
                        text_zh: "超24小时".into(),
                        text_en: String::new(),
                    },
                    RubricLevel {
                        score: 1,
                        text_zh: "重复".into(),
                        text_en: String::new(),
                    },
                    RubricLevel {
                        score: 6,
                        text_zh: "x".into(),
                        text_en: String::new(),
                    },
                ],
                items: vec![NewTemplateItem {
                    name_zh: "响应速度".into(),
                    ..Default::default()
                }],
                ..Default::default()
            }],
            ..Default::default()
        };
        assert_eq!(
            codes(t.check()),
            vec![
                ("dimensions.0.levels.1.score".into(), "duplicate".into()),
                ("dimensions.0.levels.2.score".into(), "out_of_range".into()),
                ("dimensions.0.items.0.standard_zh".into(), "required".into()),
            ]
        );
        assert_eq!(
            codes(NewTemplate::default().check()),
            vec![
                ("name_zh".into(), "required".into()),
                ("dimensions".into(), "required".into()),
            ]
        );
        let huge = NewTemplate {
            name_zh: "模板".into(),
            dimensions: vec![NewTemplateDimension::default(); MAX_DIMENSIONS + 1],
            ..Default::default()
        };
        assert_eq!(
            codes(huge.check()),
            vec![("dimensions".into(), "too_many".into())]
        );
        let crowded = NewTemplate {
            name_zh: "模板".into(),
            dimensions: vec![NewTemplateDimension {
                name_zh: "维度".into(),
                items: vec![NewTemplateItem::default(); MAX_ITEMS + 1],
                ..Default::default()
            }],
            ..Default::default()
        };
        assert_eq!(
            codes(crowded.check()),
            vec![("dimensions.0.items".into(), "too_many".into())]
        );
        let normal = NewTemplate {
            name_zh: " 模板 ".into(),
            ..Default::default()
        }
        .normalized();
        assert_eq!(
            (normal.name_zh.as_str(), normal.name_en.as_str()),
            ("模板", "模板")
        );
    }

    #[test]
    fn reports_and_rechecks_need_their_notes() {
        let report = RectificationReport {
            result: RectificationResult::Rectified,
            note: "".into(),
        };
        assert_eq!(
            codes(report.check()),
            vec![("note".into(), "required".into())]
        );
        assert_eq!(
            codes(
                Recheck {
                    accepted: true,
                    note: String::new()
                }
                .check()
            ),
            vec![]
        );
        assert_eq!(
            codes(
                Recheck {
                    accepted: false,
                    note: String::new()
                }
                .check()
            ),
            vec![("note".into(), "required".into())]
        );
    }

    #[test]
    fn overdue_means_past_the_deadline_and_still_open() {
        let deadline = day("2026-11-20");
        assert!(!rectification_overdue(
            RectificationStatus::Open,
            deadline,
            deadline
        ));
        assert!(rectification_overdue(
            RectificationStatus::Open,
            deadline,
            day("2026-11-21")
        ));
        assert!(!rectification_overdue(
            RectificationStatus::Reported,
            deadline,
            day("2026-11-21")
        ));
        assert!(!rectification_overdue(
            RectificationStatus::Closed,
            deadline,
            day("2026-11-21")
        ));
    }

    proptest! {
        #[test]
        fn a_sample_is_a_subset_of_its_stratum_of_the_right_size(
            population in proptest::collection::btree_set(0i64..100_000, 0..2_000),
            seed in any::<u32>(),
        ) {
            let population: Vec<i64> = population.into_iter().collect();
            let sample = draw_sample(&population, seed);
            prop_assert_eq!(sample.len() as u64, sample_size(population.len() as u64));
            prop_assert!(sample.iter().all(|id| population.binary_search(id).is_ok()));
            prop_assert_eq!(draw_sample(&population, seed), sample);
        }

        #[test]
        fn dealt_records_differ_by_at_most_one_per_inspector(count in 0usize..500, inspectors in 1usize..12) {
            let ids: Vec<i64> = (0..inspectors as i64).collect();
            let dealt = assign_evenly(count, &ids).unwrap();
            let per: Vec<usize> = ids.iter().map(|i| dealt.iter().filter(|d| *d == i).count()).collect();
            prop_assert!(per.iter().max().unwrap() - per.iter().min().unwrap() <= 1);
        }

        #[test]
        fn the_composite_lies_between_its_two_scores(c in 1.0f64..=5.0, q in 1.0f64..=5.0, w in 0u8..=100) {
            let composite = composite_score(Some(c), Some(q), w, 100 - w).unwrap();
            prop_assert!(composite >= c.min(q) - 0.005 && composite <= c.max(q) + 0.005);
        }
    }
}
