//! The form that starts a calibration session (`/qa/calibrations/new`): a name, a checklist,
//! one to five records (picked from a plan's sample, `pick`, or by number) and two or more
//! inspectors.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use pingjia_domain::qa::{MAX_CALIBRATION_RECORDS, NewCalibration, PlanOptions};

use super::pick::SamplePicker;
use super::{CalibrationErrors, calibration_href};
use crate::api::{self, ApiError};
use crate::components::data_table::Loaded;
use crate::components::error_panel::error_message;
use crate::components::form::error_id;
use crate::components::form::failure::refused;
use crate::components::form::fields::{ErrorLine, InputField};
use crate::components::form::focus_first_invalid;
use crate::components::page::PageTitle;
use crate::i18n::{t_string, td_string, use_i18n};
use crate::labels::in_language;
use crate::locale::tr;
use crate::pages::qa::person_text;

const FORM_ID: &str = "cal-form";

/// `/qa/calibrations/new`.
#[component]
pub fn NewCalibrationPage() -> impl IntoView {
    let i18n = use_i18n();
    let options = LocalResource::new(api::qa::options);
    view! {
        <PageTitle page=Signal::derive(move || t_string!(i18n, calibration.new_heading)) />
        <div class="page-head">
            <h1>{tr(i18n, |l| td_string!(l, calibration.new_heading))}</h1>
        </div>
        <p class="lead">{tr(i18n, |l| td_string!(l, calibration.blind_note))}</p>
        <Loaded resource=options view=move |options| view! { <CalibrationForm options /> } />
    }
}

/// The form, with the templates and inspectors to choose from.
#[component]
fn CalibrationForm(
    /// The templates and inspectors.
    options: PlanOptions,
) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let templates: Vec<_> = options
        .templates
        .into_iter()
        .filter(|t| t.usable())
        .collect();
    let name = RwSignal::new(String::new());
    let template_id = RwSignal::new(
        templates
            .first()
            .map(|t| t.id.to_string())
            .unwrap_or_default(),
    );
    let records: Vec<RwSignal<String>> = (0..MAX_CALIBRATION_RECORDS)
        .map(|_| RwSignal::new(String::new()))
        .collect();
    let records = StoredValue::new(records);
    let chosen = RwSignal::new(Vec::<i64>::new());
    let errors = CalibrationErrors::default();
    let failure = RwSignal::new(None::<ApiError>);

    let create = Action::new_local(move |new: &NewCalibration| {
        let new = new.clone();
        let navigate = navigate.clone();
        async move {
            match api::calibration::create(&new).await {
                Ok(detail) => navigate(&calibration_href(detail.summary.id), Default::default()),
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
        // The numbers filled in, moved up so that the server's `records.{i}` is the i-th box.
        let numbers: Vec<String> = records.with_value(|boxes| {
            boxes
                .iter()
                .map(|b| b.get_untracked().trim().to_owned())
                .filter(|n| !n.is_empty())
                .collect()
        });
        records.with_value(|boxes| {
            for (i, b) in boxes.iter().enumerate() {
                b.set(numbers.get(i).cloned().unwrap_or_default());
            }
        });
        let new = NewCalibration {
            name: name.get_untracked().trim().to_owned(),
            template_id: template_id.get_untracked().parse().unwrap_or(0),
            records: numbers,
            inspector_ids: chosen.get_untracked(),
        };
        match new.check() {
            Ok(()) => {
                errors.set(Vec::new());
                create.dispatch_local(new);
            }
            Err(found) => {
                errors.set(found);
                focus_first_invalid(FORM_ID);
            }
        }
    };

    let label = move |f: fn(crate::i18n::Locale) -> &'static str| {
        Signal::derive(move || f(i18n.get_locale()).to_owned())
    };
    let template_error = errors.of("template_id".into());
    let records_error = errors.of("records".into());
    let inspectors_error = errors.of("inspector_ids".into());
    let templates = StoredValue::new(templates);
    let record_boxes = records.with_value(|boxes| {
        boxes
            .iter()
            .enumerate()
            .map(|(i, value)| {
                let n = i + 1;
                let first = i == 0;
                view! {
                    <InputField
                        id=format!("cal-record-{i}")
                        label=Signal::derive(move || td_string!(i18n.get_locale(), calibration.record_n, n = n.to_string()))
                        value=*value
                        error=errors.of(format!("records.{i}"))
                        required=first
                        optional=!first
                    />
                }
            })
            .collect_view()
    });
    let inspector_boxes = options
        .inspectors
        .into_iter()
        .map(|p| {
            let id = p.id;
            let box_id = format!("cal-inspector-{id}");
            let label_for = box_id.clone();
            view! {
                <label class="checkbox" for=label_for>
                    <input
                        type="checkbox"
                        id=box_id
                        aria-invalid=move || inspectors_error.with(Option::is_some).then_some("true")
                        prop:checked=move || chosen.with(|c| c.contains(&id))
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            chosen.update(|c| {
                                c.retain(|x| *x != id);
                                if on {
                                    c.push(id);
                                }
                            });
                        }
                    />
                    <span>{person_text(&p)}</span>
                </label>
            }
        })
        .collect_view();
    view! {
        <form id=FORM_ID class="form qa-form" novalidate on:submit=on_submit data-testid="cal-form">
            <InputField id="cal-name" label=label(|l| td_string!(l, calibration.name)) value=name error=errors.of("name".into()) required=true />
            <div class="field" class:field-invalid=move || template_error.with(Option::is_some)>
                <label for="cal-template">{tr(i18n, |l| td_string!(l, calibration.template))}</label>
                <select
                    id="cal-template"
                    aria-invalid=move || template_error.with(Option::is_some).then_some("true")
                    aria-describedby=error_id("cal-template")
                    on:change=move |ev| template_id.set(event_target_value(&ev))
                >
                    {move || {
                        let locale = i18n.get_locale();
                        templates.with_value(|templates| {
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
                <ErrorLine id=error_id("cal-template") error=template_error />
            </div>
            <fieldset
                id="cal-records"
                class="field"
                class:field-invalid=move || records_error.with(Option::is_some)
                aria-describedby=move || {
                    if records_error.with(Option::is_some) {
                        format!("cal-records-hint {}", error_id("cal-records"))
                    } else {
                        "cal-records-hint".to_owned()
                    }
                }
            >
                <legend>{tr(i18n, |l| td_string!(l, calibration.records_legend))}</legend>
                <p id="cal-records-hint" class="field-hint">{tr(i18n, |l| td_string!(l, calibration.records_hint))}</p>
                <SamplePicker boxes=records />
                <div class="cal-records">{record_boxes}</div>
                <ErrorLine id=error_id("cal-records") error=records_error />
            </fieldset>
            <fieldset
                id="cal-inspectors"
                class="field qa-checks"
                class:field-invalid=move || inspectors_error.with(Option::is_some)
                aria-describedby=move || inspectors_error.with(Option::is_some).then(|| error_id("cal-inspectors"))
            >
                <legend>{tr(i18n, |l| td_string!(l, calibration.inspectors_legend))}</legend>
                <div class="qa-check-options">{inspector_boxes}</div>
                <ErrorLine id=error_id("cal-inspectors") error=inspectors_error />
            </fieldset>
            <div role="alert">
                {move || failure.get().map(|error| view! {
                    <div class="notice notice-error form-error"><p>{error_message(i18n, &error)}</p></div>
                })}
            </div>
            <div class="form-actions">
                <button type="submit" class="button" disabled=move || create.pending().get() data-testid="cal-create">
                    {move || {
                        if create.pending().get() {
                            t_string!(i18n, calibration.creating)
                        } else {
                            t_string!(i18n, calibration.create)
                        }
                    }}
                </button>
            </div>
        </form>
    }
}
