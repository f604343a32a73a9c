//! The inspection of one sampled record (`/qa/samples/:id`): the record and the customer's
//! evaluation above the checklist, the record's conversation beside it (a finding may quote a
//! line of it); each item marked 符合 / 部分符合 / 不符合 / N/A, with the
//! problem, the rectification's owner and deadline for an item found wanting; a 1-5 rubric
//! score per dimension; highlights. A draft is kept on this device until it is saved.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use leptos::either::{Either, EitherOf3};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use pingjia_domain::FieldError;
use pingjia_domain::feedback::{CoachingSourceKind, new_coaching_href};
use pingjia_domain::qa::{
    ChecklistTemplate, CustomerView, DimensionScore, Inspection, InspectionSheet, ItemAnswer,
    ItemResult, NewInspection, RectificationAssignment,
};
use pingjia_domain::records::ServiceRecord;
use pingjia_domain::wire::Role;
use serde::{Deserialize, Serialize};

use crate::api::{self, ApiError};
use crate::components::conversation::ConversationPanel;
use crate::components::data_table::Loaded;
use crate::components::error_panel::error_message;
use crate::components::form::failure::refused;
use crate::components::form::fields::TextAreaField;
use crate::components::form::focus_first_invalid;
use crate::components::page::PageTitle;
use crate::drafts;
use crate::format::local_time;
use crate::i18n::{Locale, t_string, td_string, use_i18n};
use crate::labels::{channel_name, customer_type_name, in_language, team_name};
use crate::locale::tr;
use crate::pages::qa::versions::InspectionVersions;
use crate::pages::qa::{QaErrors, plan_href};
use crate::session::use_session;

mod fieldsets;
pub use fieldsets::InspectionResult;
use fieldsets::{DimensionFieldset, ItemState};

/// The id of the inspection form.
const FORM_ID: &str = "inspection-form";

/// One item as marked so far.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ItemDraft {
    pub result: Option<ItemResult>,
    pub problem: String,
    /// The owner's id as chosen in the select.
    pub owner: String,
    /// `YYYY-MM-DD`.
    pub deadline: String,
    /// The quoted line of the transcript; empty for none.
    #[serde(default)]
    pub quote: String,
}

/// An inspection as typed so far, kept on this device per sample.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct InspectionDraft {
    pub answers: BTreeMap<i64, ItemDraft>,
    pub scores: BTreeMap<i64, u8>,
    pub highlights: String,
}

/// The name of a sample's draft.
pub fn draft_name(sample_id: i64) -> String {
    format!("qa-inspection-{sample_id}")
}

impl InspectionDraft {
    /// A fresh draft for `sheet`: its inspection so far when there is one, else nothing marked;
    /// a rectification's owner defaults to the agent, its deadline to the sheet's default.
    pub fn start(sheet: &InspectionSheet) -> InspectionDraft {
        let owner = sheet
            .owners
            .iter()
            .find(|p| p.id == sheet.sample.agent.id)
            .or(sheet.owners.first())
            .map(|p| p.id.to_string())
            .unwrap_or_default();
        let deadline = sheet.default_deadline.to_string();
        let previous = sheet.inspection.as_ref();
        let answers = sheet
            .template
            .items()
            .map(|(_, item)| {
                let answer = previous.and_then(|i| i.answers.iter().find(|a| a.item_id == item.id));
                let assigned =
                    previous.and_then(|i| i.rectifications.iter().find(|r| r.item_id == item.id));
                let draft = ItemDraft {
                    result: answer.map(|a| a.result),
                    problem: answer.and_then(|a| a.problem.clone()).unwrap_or_default(),
                    owner: assigned.map_or_else(|| owner.clone(), |r| r.owner.id.to_string()),
                    deadline: assigned.map_or_else(|| deadline.clone(), |r| r.deadline.to_string()),
                    quote: answer.and_then(|a| a.quote.clone()).unwrap_or_default(),
                };
                (item.id, draft)
            })
            .collect();
        InspectionDraft {
            answers,
            scores: previous
                .map(|i| i.scores.iter().map(|s| (s.dimension_id, s.score)).collect())
                .unwrap_or_default(),
            highlights: previous
                .and_then(|i| i.highlights.clone())
                .unwrap_or_default(),
        }
    }

    /// The inspection to send, or every field that needs attention: the inspection's own
    /// checks against the plan's `template`, the possible `owners`, `today` and the record's
    /// transcript `lines`, plus a deadline that cannot be read.
    pub fn to_inspection(
        &self,
        template: &ChecklistTemplate,
        owners: &[i64],
        today: NaiveDate,
        lines: &[String],
    ) -> Result<NewInspection, Vec<FieldError>> {
        let mut answers = Vec::new();
        let mut rectifications = Vec::new();
        let mut unread = Vec::new();
        for (_, item) in template.items() {
            let Some(draft) = self.answers.get(&item.id) else {
                continue;
            };
            let Some(result) = draft.result else {
                continue;
            };
            let problem = draft.problem.trim();
            answers.push(ItemAnswer {
                item_id: item.id,
                result,
                problem: (result.wanting() && !problem.is_empty()).then(|| problem.to_owned()),
                quote: Some(draft.quote.trim().to_owned()).filter(|q| !q.is_empty()),
            });
            if result.wanting() {
                let owner = draft.owner.trim().parse::<i64>().ok();
                let deadline = draft.deadline.trim().parse::<NaiveDate>().ok();
                match (owner, deadline) {
                    (Some(owner_id), Some(deadline)) => {
                        rectifications.push(RectificationAssignment {
                            item_id: item.id,
                            owner_id,
                            deadline,
                        })
                    }
                    (Some(_), None) => unread.push(FieldError::new(
                        format!("rectifications.{}.deadline", item.id),
                        "required",
                        "choose a deadline",
                    )),
                    (None, _) => {}
                }
            }
        }
        let scores = template
            .dimensions
            .iter()
            .filter_map(|d| {
                self.scores.get(&d.id).map(|&score| DimensionScore {
                    dimension_id: d.id,
                    score,
                })
            })
            .collect();
        let highlights = self.highlights.trim();
        let inspection = NewInspection {
            answers,
            scores,
            highlights: (!highlights.is_empty()).then(|| highlights.to_owned()),
            rectifications,
        };
        let mut errors = inspection
            .check(template, owners, today, lines)
            .err()
            .unwrap_or_default();
        // A missing deadline, not a missing owner, is what keeps such an item unassigned.
        errors.retain(|e| {
            !unread.iter().any(|u| {
                e.code == "required"
                    && e.field.strip_suffix(".owner_id") == u.field.strip_suffix(".deadline")
            })
        });
        errors.extend(unread);
        if errors.is_empty() {
            Ok(inspection)
        } else {
            Err(errors)
        }
    }
}

/// The inspection page: loads the sheet.
#[component]
pub fn InspectPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok())));
    let sheet = LocalResource::new(move || {
        let id = id.get();
        async move {
            match id {
                Some(id) => api::qa::sheet(id).await,
                None => Err(ApiError::NotFound),
            }
        }
    });
    view! {
        <PageTitle page=Signal::derive(move || t_string!(i18n, qa.inspection_title)) />
        <Loaded
            resource=sheet
            view=move |sheet| view! { <InspectionSheetView sheet /> }
        />
    }
}

/// A loaded sheet: the record and the customer's evaluation, then the inspection read-only
/// (with a way to edit it while it may be) or its form.
#[component]
pub fn InspectionSheetView(
    /// The sheet.
    sheet: InspectionSheet,
) -> impl IntoView {
    let i18n = use_i18n();
    let saved = RwSignal::new(sheet.inspection.clone());
    let editable = sheet.editable;
    let editing = RwSignal::new(editable && sheet.inspection.is_none());
    let just_saved = RwSignal::new(false);
    let sample = sheet.sample.clone();
    // Admins coach agents from an inspection (leads from their team's evaluations and plans).
    let coaches = use_session().role() == Some(Role::Admin);
    let template = StoredValue::new(sheet.template.clone());
    let sheet_value = StoredValue::new(sheet.clone());
    // The items' calibration guidance, shown under their standards (`fieldsets::ItemFieldset`).
    let template_id = sheet.template.id;
    provide_context(fieldsets::Guidance(LocalResource::new(move || {
        api::calibration::guidance(template_id)
    })));
    let on_saved = Callback::new(move |inspection: Inspection| {
        saved.set(Some(inspection));
        editing.set(false);
        just_saved.set(true);
    });
    let body = move || {
        if editing.get() {
            let mut sheet = sheet_value.get_value();
            sheet.inspection = saved.get_untracked();
            return EitherOf3::A(view! { <InspectionForm sheet on_saved /> });
        }
        match saved.get() {
            Some(inspection) => EitherOf3::B(view! {
                {coaches.then(|| view! {
                    <p class="page-actions">
                        <A
                            href=new_coaching_href(CoachingSourceKind::Inspection, &inspection.id.to_string())
                            attr:class="button button-secondary"
                            attr:data-testid="qa-record-coaching"
                        >
                            {tr(i18n, |l| td_string!(l, coaching.from_source))}
                        </A>
                    </p>
                })}
                <InspectionResult template=template.get_value() inspection />
                <InspectionVersions sample_id=sheet_value.with_value(|s| s.sample.id) template=template.get_value() />
                {editable.then(|| view! {
                    <p class="form-actions">
                        <button
                            type="button"
                            class="button button-secondary"
                            data-testid="qa-edit-inspection"
                            on:click=move |_| {
                                just_saved.set(false);
                                editing.set(true);
                            }
                        >
                            {tr(i18n, |l| td_string!(l, qa.edit_inspection))}
                        </button>
                    </p>
                })}
            }),
            None => EitherOf3::C(view! {
                <p class="notice notice-empty">{tr(i18n, |l| td_string!(l, qa.not_editable))}</p>
            }),
        }
    };
    view! {
        <p class="breadcrumb">
            <A href=plan_href(sample.plan_id)>{sample.plan_name.clone()}</A>
        </p>
        <h1>{tr(i18n, |l| td_string!(l, qa.inspection_title))} "：" <span class="mono">{sample.external_id.clone()}</span></h1>
        <p class="status" role="status" aria-live="polite">
            {move || just_saved.get().then(|| view! {
                <span class="notice notice-success qa-saved">{tr(i18n, |l| td_string!(l, qa.inspection_saved))}</span>
            })}
        </p>
        <div class="qa-sheet">
            <section class="panel" aria-labelledby="qa-record-title">
                <h2 id="qa-record-title">{tr(i18n, |l| td_string!(l, qa.record_heading))}</h2>
                <RecordDetails record=sheet.record.clone() />
            </section>
            <section class="panel" aria-labelledby="qa-evaluation-title">
                <h2 id="qa-evaluation-title">{tr(i18n, |l| td_string!(l, qa.customer_evaluation))}</h2>
                <CustomerEvaluation evaluation=sheet.evaluation.clone() />
            </section>
        </div>
        <div class="qa-workspace">
            <ConversationPanel conversation=sheet.conversation.clone() />
            <div class="qa-workspace-main">{body}</div>
        </div>
    }
}

/// The facts of a service record.
#[component]
fn RecordDetails(
    /// The record.
    record: ServiceRecord,
) -> impl IntoView {
    let i18n = use_i18n();
    let fact = |term: fn(Locale) -> &'static str, value: AnyView| {
        view! {
            <div class="fact">
                <dt>{move || term(i18n.get_locale())}</dt>
                <dd>{value}</dd>
            </div>
        }
    };
    let (zh, en) = (
        record.service_type_name_zh.clone(),
        record.service_type_name_en.clone(),
    );
    let channel = record.channel;
    let kind = record.customer_type;
    let customer_no = record.customer_no.clone();
    let mut facts = vec![
        fact(
            |l| td_string!(l, qa.record),
            view! { <span class="mono">{record.external_id.clone()}</span> }.into_any(),
        ),
        fact(
            |l| td_string!(l, qa.service_type),
            (move || in_language(i18n.get_locale(), &zh, &en).to_owned()).into_any(),
        ),
        fact(
            |l| td_string!(l, qa.customer),
            (move || match kind {
                Some(k) => format!(
                    "{customer_no} · {}",
                    customer_type_name(i18n.get_locale(), k)
                ),
                None => customer_no.clone(),
            })
            .into_any(),
        ),
        fact(
            |l| td_string!(l, qa.agent),
            format!("{} ({})", record.agent_name, record.agent_no).into_any(),
        ),
        fact(
            |l| td_string!(l, qa.channel),
            (move || channel_name(i18n.get_locale(), channel)).into_any(),
        ),
        fact(
            |l| td_string!(l, qa.started),
            local_time(record.started_at).into_any(),
        ),
        fact(
            |l| td_string!(l, qa.ended),
            local_time(record.ended_at).into_any(),
        ),
    ];
    if let Some(zh) = record.team_name.clone() {
        let en = record.team_name_en.clone();
        let team = move || team_name(i18n.get_locale(), &zh, en.as_deref());
        facts.push(fact(|l| td_string!(l, qa.team), team.into_any()));
    }
    if let Some(order) = record.order_no.clone() {
        facts.push(fact(
            |l| td_string!(l, qa.order_no),
            view! { <span class="mono">{order}</span> }.into_any(),
        ));
    }
    if let Some(resolved) = record.resolved_at {
        facts.push(fact(
            |l| td_string!(l, qa.resolved),
            local_time(resolved).into_any(),
        ));
    }
    view! { <dl class="facts qa-facts">{facts}</dl> }
}

/// The customer's evaluation: total, overall, per-dimension stars, suggestion.
#[component]
fn CustomerEvaluation(
    /// The evaluation, when the customer has given one.
    evaluation: Option<CustomerView>,
) -> impl IntoView {
    let i18n = use_i18n();
    let Some(evaluation) = evaluation else {
        return Either::Left(view! {
            <p class="notice notice-empty">{tr(i18n, |l| td_string!(l, qa.no_evaluation))}</p>
        });
    };
    let scores = evaluation
        .scores
        .into_iter()
        .map(|s| {
            let (zh, en) = (s.name_zh, s.name_en);
            let stars = s.score.map_or_else(|| "—".to_owned(), |s| format!("{s} ★"));
            view! {
                <li>
                    <span>{move || in_language(i18n.get_locale(), &zh, &en).to_owned()}</span>
                    " " <strong>{stars}</strong>
                </li>
            }
        })
        .collect_view();
    let total = format!("{:.1}", evaluation.total_score);
    let overall = evaluation.overall;
    let suggestion = evaluation.suggestion.unwrap_or_else(|| "—".to_owned());
    Either::Right(view! {
        <dl class="facts qa-facts">
            <div class="fact"><dt>{tr(i18n, |l| td_string!(l, qa.evaluation_number))}</dt><dd class="mono">{evaluation.number}</dd></div>
            <div class="fact"><dt>{tr(i18n, |l| td_string!(l, qa.total_score))}</dt><dd>{total}</dd></div>
            <div class="fact"><dt>{tr(i18n, |l| td_string!(l, qa.overall))}</dt><dd>{overall} "/10"</dd></div>
            <div class="fact"><dt>{tr(i18n, |l| td_string!(l, qa.submitted))}</dt><dd>{local_time(evaluation.submitted_at)}</dd></div>
        </dl>
        <ul class="score-chips">{scores}</ul>
        <p class="appeal-label">{tr(i18n, |l| td_string!(l, qa.suggestion))}</p>
        <p class="suggestion-text">{suggestion}</p>
    })
}

/// The inspection form of a sheet; `on_saved` receives the saved inspection.
#[component]
pub fn InspectionForm(
    /// The sheet: template, owners, deadlines, and the inspection so far.
    sheet: InspectionSheet,
    /// Called with the inspection once it is saved.
    on_saved: Callback<Inspection>,
) -> impl IntoView {
    let i18n = use_i18n();
    let sample_id = sheet.sample.id;
    let name = draft_name(sample_id);
    let draft: InspectionDraft =
        drafts::local::load(&name).unwrap_or_else(|| InspectionDraft::start(&sheet));
    let fallback = InspectionDraft::start(&sheet);
    let items: BTreeMap<i64, ItemState> = sheet
        .template
        .items()
        .map(|(_, item)| {
            let kept = draft
                .answers
                .get(&item.id)
                .or_else(|| fallback.answers.get(&item.id))
                .cloned()
                .unwrap_or_default();
            (
                item.id,
                ItemState {
                    result: RwSignal::new(kept.result),
                    problem: RwSignal::new(kept.problem),
                    owner: RwSignal::new(kept.owner),
                    deadline: RwSignal::new(kept.deadline),
                    quote: RwSignal::new(kept.quote),
                },
            )
        })
        .collect();
    let scores: BTreeMap<i64, RwSignal<Option<u8>>> = sheet
        .template
        .dimensions
        .iter()
        .map(|d| {
            let kept = draft
                .scores
                .get(&d.id)
                .copied()
                .filter(|s| (1..=5).contains(s));
            (d.id, RwSignal::new(kept))
        })
        .collect();
    let highlights = RwSignal::new(draft.highlights.clone());
    let items = StoredValue::new(items);
    let scores = StoredValue::new(scores);
    let errors = QaErrors::default();
    let failure = RwSignal::new(None::<ApiError>);
    let template = StoredValue::new(sheet.template.clone());
    let owners = StoredValue::new(sheet.owners.clone());
    let owner_ids: Vec<i64> = sheet.owners.iter().map(|p| p.id).collect();
    let owner_ids = StoredValue::new(owner_ids);
    let lines = StoredValue::new(sheet.conversation.lines.clone());
    let today = sheet.today;

    let current = move || InspectionDraft {
        answers: items.with_value(|items| {
            items
                .iter()
                .map(|(id, s)| {
                    (
                        *id,
                        ItemDraft {
                            result: s.result.get(),
                            problem: s.problem.get(),
                            owner: s.owner.get(),
                            deadline: s.deadline.get(),
                            quote: s.quote.get(),
                        },
                    )
                })
                .collect()
        }),
        scores: scores.with_value(|scores| {
            scores
                .iter()
                .filter_map(|(id, s)| s.get().map(|s| (*id, s)))
                .collect()
        }),
        highlights: highlights.get(),
    };
    // Every change is kept on this device until the inspection is saved.
    let draft_key = name.clone();
    Effect::new(move || {
        let draft = current();
        drafts::local::save(&draft_key, &draft);
    });

    let send = Action::new_local(move |body: &NewInspection| {
        let body = body.clone();
        let name = name.clone();
        async move {
            match api::qa::inspect(sample_id, &body).await {
                Ok(inspection) => {
                    drafts::local::clear(&name);
                    on_saved.run(inspection);
                }
                Err(error) => refused(error, failure, |found| {
                    errors.set(found);
                    focus_first_invalid(FORM_ID);
                }),
            }
        }
    });

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if send.pending().get_untracked() {
            return;
        }
        failure.set(None);
        let draft = untrack(current);
        let checked = template.with_value(|template| {
            owner_ids.with_value(|owners| {
                lines.with_value(|lines| draft.to_inspection(template, owners, today, lines))
            })
        });
        match checked {
            Ok(body) => {
                errors.set(Vec::new());
                send.dispatch_local(body);
            }
            Err(found) => {
                errors.set(found);
                focus_first_invalid(FORM_ID);
            }
        }
    };

    let dimensions = template.with_value(|t| t.dimensions.clone());
    let sections = dimensions
        .into_iter()
        .map(|dimension| {
            let states: Vec<(pingjia_domain::qa::TemplateItem, ItemState)> = dimension
                .items
                .iter()
                .filter_map(|item| {
                    items
                        .with_value(|items| items.get(&item.id).copied().map(|s| (item.clone(), s)))
                })
                .collect();
            let score = scores.with_value(|s| s.get(&dimension.id).copied());
            view! { <DimensionFieldset dimension states score errors owners lines /> }
        })
        .collect_view();

    view! {
        <form id=FORM_ID class="form qa-inspection" novalidate on:submit=on_submit data-testid="qa-inspection-form">
            <h2>{tr(i18n, |l| td_string!(l, qa.checklist_heading))}</h2>
            <p class="field-hint">{tr(i18n, |l| td_string!(l, qa.checklist_hint))}</p>
            {move || errors.any().then(|| view! {
                <p class="notice notice-error" role="alert">{tr(i18n, |l| td_string!(l, qa.fix_errors))}</p>
            })}
            {sections}
            <TextAreaField
                id="inspection-highlights"
                label=Signal::derive(move || t_string!(i18n, qa.highlights).to_owned())
                hint=Signal::derive(move || t_string!(i18n, qa.highlights_hint).to_owned())
                value=highlights
                error=errors.of("highlights".into())
                optional=true
            />
            <div role="alert">
                {move || failure.get().map(|error| {
                    let locked = error.code() == Some(api::qa::INSPECTION_LOCKED);
                    view! {
                        <div class="notice notice-error form-error">
                            <p>
                                {if locked {
                                    tr(i18n, |l| td_string!(l, qa.inspection_locked)).into_any()
                                } else {
                                    error_message(i18n, &error)
                                }}
                            </p>
                        </div>
                    }
                })}
            </div>
            <div class="form-actions">
                <button type="submit" class="button" disabled=move || send.pending().get() data-testid="qa-inspection-submit">
                    {move || if send.pending().get() { t_string!(i18n, qa.saving) } else { t_string!(i18n, qa.save_inspection) }}
                </button>
            </div>
        </form>
    }
}
