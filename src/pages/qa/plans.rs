//! Inspection plans (检测计划): the form that draws a plan's stratified sample
//! (`/qa/plans/new`) and a plan's page (`/qa/plans/:id`): overview, strata with their population
//! and sample, inspectors and the sampled records.

use chrono::{Duration, NaiveDate};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};
use pingjia_domain::FieldError;
use pingjia_domain::qa::{
    NewPlan, PlanDetail, PlanOptions, PlanScope, ServiceTypeOption, StratumKey,
};
use pingjia_domain::wire::{Channel, CustomerType};

use crate::api::{self, ApiError};
use crate::components::data_table::Loaded;
use crate::components::error_panel::error_message;
use crate::components::form::error_id;
use crate::components::form::failure::refused;
use crate::components::form::fields::{ErrorLine, InputField, TextAreaField};
use crate::components::form::focus_first_invalid;
use crate::components::page::PageTitle;
use crate::i18n::{Locale, t_string, td_string, use_i18n};
use crate::labels::{channel_name, customer_type_name, in_language};
use crate::locale::tr;
use crate::outbox;
use crate::pages::qa::plan_samples::PlanSamples;
use crate::pages::qa::{
    QaErrors, period_text, person_text, plan_href, report_href, stratum_key_name, stratum_label,
};

/// The id of the plan form.
const FORM_ID: &str = "plan-form";

/// The period the form starts with: the 30 days ending `today`.
pub fn default_period(today: NaiveDate) -> (NaiveDate, NaiveDate) {
    (today - Duration::days(29), today)
}

/// What the plan form holds, as typed.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PlanDraft {
    pub name: String,
    pub goal: String,
    pub from: String,
    pub to: String,
    pub template_id: String,
    pub service_types: Vec<String>,
    pub channels: Vec<Channel>,
    pub customer_types: Vec<CustomerType>,
    pub strata: Vec<StratumKey>,
    pub inspector_ids: Vec<i64>,
    pub seed: String,
}

impl PlanDraft {
    /// The plan to send, or the fields that cannot be read (dates, template, seed) and the
    /// plan's own checks against `today`.
    pub fn to_plan(&self, today: NaiveDate) -> Result<NewPlan, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut date = |field: &str, value: &str| match value.trim().parse::<NaiveDate>() {
            Ok(day) => Some(day),
            Err(_) => {
                errors.push(FieldError::new(field, "required", "choose a day"));
                None
            }
        };
        let from = date("from", &self.from);
        let to = date("to", &self.to);
        let template_id = self.template_id.trim().parse::<i64>().ok();
        if template_id.is_none() {
            errors.push(FieldError::new(
                "template_id",
                "required",
                "choose a template",
            ));
        }
        let seed = match self.seed.trim() {
            "" => None,
            s => match s.parse::<u32>() {
                Ok(seed) => Some(seed),
                Err(_) => {
                    errors.push(FieldError::new(
                        "seed",
                        "not_a_number",
                        "a whole number from 0 to 4294967295",
                    ));
                    None
                }
            },
        };
        let plan = NewPlan {
            name: self.name.trim().to_owned(),
            goal: self.goal.trim().to_owned(),
            from: from.unwrap_or(today),
            to: to.unwrap_or(today),
            template_id: template_id.unwrap_or(0),
            service_types: self.service_types.clone(),
            channels: self.channels.clone(),
            customer_types: self.customer_types.clone(),
            strata: self.strata.clone(),
            inspector_ids: self.inspector_ids.clone(),
            seed,
        };
        if let Err(found) = plan.check(today) {
            errors.extend(
                found
                    .into_iter()
                    .filter(|e| !errors_for_unread(&e.field, from, to)),
            );
        }
        if errors.is_empty() {
            Ok(plan)
        } else {
            Err(errors)
        }
    }
}

/// Whether a check of `field` is moot because a date it compares could not be read.
fn errors_for_unread(field: &str, from: Option<NaiveDate>, to: Option<NaiveDate>) -> bool {
    matches!(field, "from" | "to") && (from.is_none() || to.is_none())
}

/// Toggles `value` in `list`.
fn toggle<T: PartialEq>(list: &mut Vec<T>, value: T, on: bool) {
    let present = list.contains(&value);
    if on && !present {
        list.push(value);
    } else if !on && present {
        list.retain(|v| *v != value);
    }
}

/// The plan form (`/qa/plans/new`).
#[component]
pub fn NewPlanPage() -> impl IntoView {
    let i18n = use_i18n();
    let options = LocalResource::new(api::qa::options);
    view! {
        <PageTitle page=Signal::derive(move || t_string!(i18n, qa.new_plan)) />
        <p class="breadcrumb">
            <A href=super::QA_PATH>{tr(i18n, |l| td_string!(l, qa.home_title))}</A>
        </p>
        <h1>{tr(i18n, |l| td_string!(l, qa.new_plan))}</h1>
        <p class="lead">{tr(i18n, |l| td_string!(l, qa.new_plan_intro))}</p>
        <Loaded
            resource=options
            view=move |options| view! { <PlanForm options /> }
        />
    }
}

/// A group of checkboxes, one per (value, label); `checked` and `on_toggle` by index.
#[component]
fn CheckGroup(
    /// The group's id; the boxes' ids derive from it.
    id: &'static str,
    /// The legend.
    #[prop(into)]
    legend: Signal<String>,
    /// A note under the legend.
    #[prop(optional, into)]
    hint: Option<Signal<String>>,
    /// The boxes' labels.
    #[prop(into)]
    labels: Signal<Vec<String>>,
    /// Whether box `i` is ticked.
    checked: Callback<usize, bool>,
    /// Ticks or unticks box `i`.
    on_toggle: Callback<(usize, bool)>,
    /// What is wrong with the choice.
    #[prop(into)]
    error: Signal<Option<String>>,
    /// Marks the boxes invalid for an error shown elsewhere (the scope's).
    #[prop(optional, into)]
    also_invalid: Option<Signal<bool>>,
) -> impl IntoView {
    let invalid = move || error.with(Option::is_some) || also_invalid.is_some_and(|a| a.get());
    let hint_id = format!("{id}-hint");
    let has_hint = hint.is_some();
    view! {
        <fieldset
            id=id
            class="field qa-checks"
            class:field-invalid=invalid
            aria-describedby=move || {
                let ids: Vec<String> = [has_hint.then(|| format!("{id}-hint")), error.with(Option::is_some).then(|| error_id(id))]
                    .into_iter()
                    .flatten()
                    .collect();
                (!ids.is_empty()).then(|| ids.join(" "))
            }
        >
            <legend>{move || legend.get()}</legend>
            {hint.map(|hint| view! { <p id=hint_id class="field-hint">{move || hint.get()}</p> })}
            <div class="qa-check-options">
                {move || {
                    labels
                        .get()
                        .into_iter()
                        .enumerate()
                        .map(|(i, text)| {
                            let box_id = format!("{id}-{i}");
                            let label_for = box_id.clone();
                            view! {
                                <label class="checkbox" for=label_for>
                                    <input
                                        type="checkbox"
                                        id=box_id
                                        aria-invalid=move || invalid().then_some("true")
                                        prop:checked=move || checked.run(i)
                                        on:change=move |ev| on_toggle.run((i, event_target_checked(&ev)))
                                    />
                                    <span>{text}</span>
                                </label>
                            }
                        })
                        .collect_view()
                }}
            </div>
            <ErrorLine id=error_id(id) error />
        </fieldset>
    }
}

/// The plan form: name, goal, period, template, scope, strata, inspectors and seed.
#[component]
fn PlanForm(
    /// What the form offers.
    options: PlanOptions,
) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let PlanOptions {
        templates,
        inspectors,
        service_types,
        today,
    } = options;
    let (from, to) = default_period(today);
    let name = RwSignal::new(String::new());
    let goal = RwSignal::new(String::new());
    let from = RwSignal::new(from.to_string());
    let to = RwSignal::new(to.to_string());
    let template_id = RwSignal::new(
        templates
            .first()
            .map(|t| t.id.to_string())
            .unwrap_or_default(),
    );
    let chosen_types = RwSignal::new(Vec::<String>::new());
    let channels = RwSignal::new(Vec::<Channel>::new());
    let customer_types = RwSignal::new(Vec::<CustomerType>::new());
    let strata = RwSignal::new(Vec::<StratumKey>::new());
    let inspector_ids = RwSignal::new(Vec::<i64>::new());
    let seed = RwSignal::new(String::new());
    let errors = QaErrors::default();
    let failure = RwSignal::new(None::<ApiError>);
    // The key of the last plan sent, with the plan: sending the same plan again (a double
    // press, a retry after a lost answer) reuses it and the server draws one plan.
    let sent = StoredValue::new(None::<(String, NewPlan)>);

    let create = Action::new_local(move |(key, plan): &(String, NewPlan)| {
        let (key, plan) = (key.clone(), plan.clone());
        let navigate = navigate.clone();
        async move {
            match api::qa::create_plan(&key, &plan).await {
                Ok(detail) => navigate(&plan_href(detail.plan.id), Default::default()),
                Err(error) => refused(error, failure, |found| {
                    errors.set(found);
                    focus_first_invalid(FORM_ID);
                }),
            }
        }
    });

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if create.pending().get_untracked() {
            return;
        }
        failure.set(None);
        let draft = PlanDraft {
            name: name.get_untracked(),
            goal: goal.get_untracked(),
            from: from.get_untracked(),
            to: to.get_untracked(),
            template_id: template_id.get_untracked(),
            service_types: chosen_types.get_untracked(),
            channels: channels.get_untracked(),
            customer_types: customer_types.get_untracked(),
            strata: strata.get_untracked(),
            inspector_ids: inspector_ids.get_untracked(),
            seed: seed.get_untracked(),
        };
        match draft.to_plan(today) {
            Ok(plan) => {
                errors.set(Vec::new());
                let key = sent
                    .with_value(|sent| {
                        sent.as_ref()
                            .filter(|(_, last)| *last == plan)
                            .map(|(key, _)| key.clone())
                    })
                    .unwrap_or_else(outbox::new_key);
                sent.set_value(Some((key.clone(), plan.clone())));
                create.dispatch_local((key, plan));
            }
            Err(found) => {
                errors.set(found);
                focus_first_invalid(FORM_ID);
            }
        }
    };

    let template_options = StoredValue::new(templates);
    let service_types = StoredValue::new(service_types);
    let inspectors = StoredValue::new(inspectors);
    let label = move |f: fn(Locale) -> &'static str| {
        Signal::derive(move || f(i18n.get_locale()).to_owned())
    };
    let type_labels = Signal::derive(move || {
        let locale = i18n.get_locale();
        service_types.with_value(|types| {
            types
                .iter()
                .map(|t: &ServiceTypeOption| in_language(locale, &t.name_zh, &t.name_en).to_owned())
                .collect()
        })
    });
    let type_code = move |i: usize| service_types.with_value(|t| t.get(i).map(|t| t.code.clone()));
    let inspector_labels = Signal::derive(move || {
        inspectors.with_value(|people| people.iter().map(person_text).collect())
    });
    let inspector_id = move |i: usize| inspectors.with_value(|p| p.get(i).map(|p| p.id));
    let template_error = errors.of("template_id".into());
    let scope_error = errors.of("scope".into());

    view! {
        <form id=FORM_ID class="form qa-form" novalidate on:submit=on_submit data-testid="qa-plan-form">
            <InputField id="plan-name" label=label(|l| td_string!(l, qa.plan_name)) value=name error=errors.of("name".into()) required=true />
            <TextAreaField id="plan-goal" label=label(|l| td_string!(l, qa.goal)) value=goal error=errors.of("goal".into()) optional=true hint=label(|l| td_string!(l, qa.goal_hint)) />
            <div class="qa-period">
                <InputField id="plan-from" label=label(|l| td_string!(l, qa.period_from)) value=from error=errors.of("from".into()) input_type="date" required=true />
                <InputField id="plan-to" label=label(|l| td_string!(l, qa.period_to)) value=to error=errors.of("to".into()) input_type="date" required=true />
            </div>
            <div class="field" class:field-invalid=move || template_error.with(Option::is_some)>
                <label for="plan-template">{tr(i18n, |l| td_string!(l, qa.template))}</label>
                <select
                    id="plan-template"
                    aria-invalid=move || template_error.with(Option::is_some).then_some("true")
                    aria-describedby=error_id("plan-template")
                    on:change=move |ev| template_id.set(event_target_value(&ev))
                >
                    {move || {
                        let locale = i18n.get_locale();
                        template_options.with_value(|templates| {
                            templates
                                .iter()
                                .map(|t| {
                                    let value = t.id.to_string();
                                    let chosen = value.clone();
                                    view! {
                                        <option value=value prop:selected=move || template_id.get() == chosen>
                                            {in_language(locale, &t.name_zh, &t.name_en).to_owned()}
                                        </option>
                                    }
                                })
                                .collect_view()
                        })
                    }}
                </select>
                <ErrorLine id=error_id("plan-template") error=template_error />
            </div>
            <fieldset class="field qa-scope" id="plan-scope" class:field-invalid=move || scope_error.with(Option::is_some)
                aria-describedby=move || scope_error.with(Option::is_some).then(|| error_id("plan-scope"))
            >
                <legend>{tr(i18n, |l| td_string!(l, qa.scope))}</legend>
                <p class="field-hint">{tr(i18n, |l| td_string!(l, qa.scope_hint))}</p>
                <CheckGroup
                    id="plan-service-types"
                    legend=label(|l| td_string!(l, qa.service_types))
                    labels=type_labels
                    checked=Callback::new(move |i| type_code(i).is_some_and(|c| chosen_types.with(|t| t.contains(&c))))
                    on_toggle=Callback::new(move |(i, on)| {
                        if let Some(code) = type_code(i) {
                            chosen_types.update(|t| toggle(t, code, on));
                        }
                    })
                    error=errors.of("service_types".into())
                    also_invalid=Signal::derive(move || scope_error.with(Option::is_some))
                />
                <CheckGroup
                    id="plan-channels"
                    legend=label(|l| td_string!(l, qa.channels))
                    labels=Signal::derive(move || Channel::ALL.iter().map(|c| channel_name(i18n.get_locale(), *c).to_owned()).collect())
                    checked=Callback::new(move |i| channels.with(|c| c.contains(&Channel::ALL[i])))
                    on_toggle=Callback::new(move |(i, on)| channels.update(|c| toggle(c, Channel::ALL[i], on)))
                    error=errors.of("channels".into())
                />
                <CheckGroup
                    id="plan-customer-types"
                    legend=label(|l| td_string!(l, qa.customer_types))
                    labels=Signal::derive(move || CustomerType::ALL.iter().map(|c| customer_type_name(i18n.get_locale(), *c).to_owned()).collect())
                    checked=Callback::new(move |i| customer_types.with(|c| c.contains(&CustomerType::ALL[i])))
                    on_toggle=Callback::new(move |(i, on)| customer_types.update(|c| toggle(c, CustomerType::ALL[i], on)))
                    error=errors.of("customer_types".into())
                />
                <ErrorLine id=error_id("plan-scope") error=scope_error />
            </fieldset>
            <CheckGroup
                id="plan-strata"
                legend=label(|l| td_string!(l, qa.strata))
                hint=label(|l| td_string!(l, qa.strata_hint))
                labels=Signal::derive(move || StratumKey::ALL.iter().map(|k| stratum_key_name(i18n.get_locale(), *k).to_owned()).collect())
                checked=Callback::new(move |i| strata.with(|s| s.contains(&StratumKey::ALL[i])))
                on_toggle=Callback::new(move |(i, on)| strata.update(|s| toggle(s, StratumKey::ALL[i], on)))
                error=errors.of("strata".into())
            />
            <CheckGroup
                id="plan-inspectors"
                legend=label(|l| td_string!(l, qa.inspectors))
                hint=label(|l| td_string!(l, qa.inspectors_hint))
                labels=inspector_labels
                checked=Callback::new(move |i| inspector_id(i).is_some_and(|id| inspector_ids.with(|s| s.contains(&id))))
                on_toggle=Callback::new(move |(i, on)| {
                    if let Some(id) = inspector_id(i) {
                        inspector_ids.update(|s| toggle(s, id, on));
                    }
                })
                error=errors.of("inspector_ids".into())
            />
            <InputField
                id="plan-seed"
                label=label(|l| td_string!(l, qa.seed))
                value=seed
                error=errors.of("seed".into())
                input_type="number"
                optional=true
                hint=label(|l| td_string!(l, qa.seed_hint))
            />
            <div role="alert">
                {move || failure.get().map(|error| view! {
                    <div class="notice notice-error form-error"><p>{error_message(i18n, &error)}</p></div>
                })}
            </div>
            <div class="form-actions">
                <button
                    type="submit"
                    class="button"
                    disabled=move || create.pending().get()
                    data-testid="qa-plan-submit"
                >
                    {move || {
                        if create.pending().get() {
                            t_string!(i18n, qa.drawing)
                        } else {
                            t_string!(i18n, qa.create_plan)
                        }
                    }}
                </button>
            </div>
        </form>
    }
}

/// A plan's page (`/qa/plans/:id`).
#[component]
pub fn PlanPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok())));
    let plan = LocalResource::new(move || {
        let id = id.get();
        async move {
            match id {
                Some(id) => api::qa::plan(id).await,
                None => Err(ApiError::NotFound),
            }
        }
    });
    view! {
        <PageTitle page=Signal::derive(move || t_string!(i18n, qa.plan)) />
        <p class="breadcrumb">
            <A href=super::QA_PATH>{tr(i18n, |l| td_string!(l, qa.home_title))}</A>
        </p>
        <Loaded
            resource=plan
            view=move |detail| view! { <PlanView detail /> }
        />
    }
}

/// The scope of a plan in words; service types by name once the options have loaded.
#[component]
pub fn ScopeFacts(
    /// The scope as asked.
    scope: PlanScope,
) -> impl IntoView {
    let i18n = use_i18n();
    let names = LocalResource::new(api::qa::options);
    let PlanScope {
        service_types,
        channels,
        customer_types,
        strata,
    } = scope;
    let all = move || td_string!(i18n.get_locale(), qa.scope_all).to_owned();
    let types = move || {
        if service_types.is_empty() {
            return all();
        }
        let locale = i18n.get_locale();
        let known = names.get().and_then(Result::ok);
        service_types
            .iter()
            .map(|code| {
                known
                    .as_ref()
                    .and_then(|o| o.service_types.iter().find(|t| &t.code == code))
                    .map_or_else(
                        || code.clone(),
                        |t| in_language(locale, &t.name_zh, &t.name_en).to_owned(),
                    )
            })
            .collect::<Vec<_>>()
            .join("、")
    };
    let channels_text = move || {
        if channels.is_empty() {
            return all();
        }
        channels
            .iter()
            .map(|c| channel_name(i18n.get_locale(), *c))
            .collect::<Vec<_>>()
            .join("、")
    };
    let customers_text = move || {
        if customer_types.is_empty() {
            return all();
        }
        customer_types
            .iter()
            .map(|c| customer_type_name(i18n.get_locale(), *c))
            .collect::<Vec<_>>()
            .join("、")
    };
    let strata_text = move || {
        if strata.is_empty() {
            return td_string!(i18n.get_locale(), qa.strata_none).to_owned();
        }
        strata
            .iter()
            .map(|k| stratum_key_name(i18n.get_locale(), *k))
            .collect::<Vec<_>>()
            .join("、")
    };
    view! {
        <div class="fact"><dt>{tr(i18n, |l| td_string!(l, qa.service_types))}</dt><dd>{types}</dd></div>
        <div class="fact"><dt>{tr(i18n, |l| td_string!(l, qa.channels))}</dt><dd>{channels_text}</dd></div>
        <div class="fact"><dt>{tr(i18n, |l| td_string!(l, qa.customer_types))}</dt><dd>{customers_text}</dd></div>
        <div class="fact"><dt>{tr(i18n, |l| td_string!(l, qa.strata))}</dt><dd>{strata_text}</dd></div>
    }
}

/// The strata of a plan: each one's definition, population N and sample n.
#[component]
pub fn StrataTable(
    /// The strata.
    strata: Vec<pingjia_domain::qa::Stratum>,
) -> impl IntoView {
    let i18n = use_i18n();
    let total_n: u64 = strata.iter().map(|s| s.population).sum();
    let total_sample: u64 = strata.iter().map(|s| s.sample).sum();
    let rows = strata
        .into_iter()
        .map(|s| {
            let (population, sample) = (s.population, s.sample);
            view! {
                <tr>
                    <th scope="row" data-label=move || t_string!(i18n, qa.stratum)>
                        {move || stratum_label(i18n.get_locale(), &s)}
                    </th>
                    <td data-label=move || t_string!(i18n, qa.population)>{population}</td>
                    <td data-label=move || t_string!(i18n, qa.sample_size)>{sample}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-scroll">
            <table class="data-table qa-table" data-testid="qa-strata-table">
                <caption>{tr(i18n, |l| td_string!(l, qa.strata_caption))}</caption>
                <thead>
                    <tr>
                        <th scope="col">{tr(i18n, |l| td_string!(l, qa.stratum))}</th>
                        <th scope="col">{tr(i18n, |l| td_string!(l, qa.population))}</th>
                        <th scope="col">{tr(i18n, |l| td_string!(l, qa.sample_size))}</th>
                    </tr>
                </thead>
                <tbody>
                    {rows}
                    <tr class="qa-total-row">
                        <th scope="row" data-label=move || t_string!(i18n, qa.stratum)>{tr(i18n, |l| td_string!(l, qa.total))}</th>
                        <td data-label=move || t_string!(i18n, qa.population)>{total_n}</td>
                        <td data-label=move || t_string!(i18n, qa.sample_size)>{total_sample}</td>
                    </tr>
                </tbody>
            </table>
        </div>
        <p class="field-hint">{tr(i18n, |l| td_string!(l, qa.sample_rule))}</p>
    }
}

/// A loaded plan.
#[component]
fn PlanView(
    /// The plan with its strata and inspectors (its records load a page at a time).
    detail: PlanDetail,
) -> impl IntoView {
    let i18n = use_i18n();
    let PlanDetail {
        plan,
        scope,
        strata,
        inspectors,
        samples: _,
    } = detail;
    let (zh, en) = (plan.template_name_zh.clone(), plan.template_name_en.clone());
    let goal = if plan.goal.trim().is_empty() {
        "—".to_owned()
    } else {
        plan.goal.clone()
    };
    let inspector_list = inspectors
        .iter()
        .map(|p| view! { <li>{person_text(p)}</li> })
        .collect_view();
    view! {
        <div class="page-head">
            <h1>{tr(i18n, |l| td_string!(l, qa.plan))} "：" {plan.name.clone()}</h1>
            <p class="page-actions">
                <A href=report_href(plan.id, None) attr:class="button">
                    {tr(i18n, |l| td_string!(l, qa.view_report))}
                </A>
            </p>
        </div>
        <section class="panel" aria-labelledby="plan-overview-title">
            <h2 id="plan-overview-title">{tr(i18n, |l| td_string!(l, qa.overview))}</h2>
            <dl class="facts qa-facts">
                <div class="fact"><dt>{tr(i18n, |l| td_string!(l, qa.goal))}</dt><dd>{goal}</dd></div>
                <div class="fact"><dt>{tr(i18n, |l| td_string!(l, qa.period))}</dt><dd>{period_text(plan.from, plan.to)}</dd></div>
                <div class="fact"><dt>{tr(i18n, |l| td_string!(l, qa.template))}</dt><dd>{move || in_language(i18n.get_locale(), &zh, &en).to_owned()}</dd></div>
                <ScopeFacts scope />
                <div class="fact"><dt>{tr(i18n, |l| td_string!(l, qa.seed))}</dt><dd class="mono">{plan.seed}</dd></div>
                <div class="fact"><dt>{tr(i18n, |l| td_string!(l, qa.progress))}</dt><dd data-testid="qa-plan-progress">{format!("{}/{}", plan.inspected_count, plan.sample_count)}</dd></div>
                <div class="fact"><dt>{tr(i18n, |l| td_string!(l, qa.created_by))}</dt><dd>{person_text(&plan.created_by)}</dd></div>
            </dl>
        </section>
        <section class="panel" aria-labelledby="plan-strata-title">
            <h2 id="plan-strata-title">{tr(i18n, |l| td_string!(l, qa.strata))}</h2>
            <StrataTable strata />
        </section>
        <section class="panel" aria-labelledby="plan-inspectors-title">
            <h2 id="plan-inspectors-title">{tr(i18n, |l| td_string!(l, qa.inspectors))}</h2>
            <ul class="plain-list">{inspector_list}</ul>
        </section>
        <section class="panel" aria-labelledby="plan-samples-title">
            <h2 id="plan-samples-title">{tr(i18n, |l| td_string!(l, qa.samples_heading))} " (" {plan.sample_count} ")"</h2>
            <PlanSamples plan_id=plan.id />
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn the_form_starts_with_the_last_30_days_and_reads_what_was_typed() {
        assert_eq!(
            default_period(day("2026-11-30")),
            (day("2026-11-01"), day("2026-11-30"))
        );
        let draft = PlanDraft {
            name: " 11 月巡检 ".into(),
            from: "2026-11-01".into(),
            to: "2026-11-30".into(),
            template_id: "2".into(),
            inspector_ids: vec![3],
            seed: "42".into(),
            ..PlanDraft::default()
        };
        let plan = draft.to_plan(day("2026-11-30")).unwrap();
        assert_eq!(plan.name, "11 月巡检");
        assert_eq!(plan.template_id, 2);
        assert_eq!(plan.seed, Some(42));
        let bad = PlanDraft {
            seed: "-1".into(),
            from: String::new(),
            ..draft
        };
        let fields: Vec<String> = bad
            .to_plan(day("2026-11-30"))
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["from", "seed"]);
    }
}
