//! The organisation's settings, grouped, with their units (`/admin/settings`).

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use pingjia_domain::FieldError;
use pingjia_domain::settings::Settings;

use crate::api::{self, ApiError};
use crate::components::data_table::Loaded;
use crate::components::form::config::ConfigField;
use crate::components::form::failure::{AlertFailure, refused};
use crate::components::form::{FieldErrors, focus_first_invalid};
use crate::components::page::PageTitle;
use crate::i18n::{Locale, t, t_string, td_string, use_i18n};

const FORM_ID: &str = "settings-form";

/// The settings kept in one byte (scores and percentages).
const BYTE_FIELDS: [&str; 5] = [
    "satisfaction_threshold",
    "callback_threshold",
    "composite_customer_weight",
    "composite_qa_weight",
    "inconsistency_gap",
];

/// The groups of the form, each with its settings in order.
const GROUPS: [(Group, &[&str]); 6] = [
    (
        Group::Windows,
        &["rating_window_days", "appeal_window_hours"],
    ),
    (
        Group::Deadlines,
        &["improvement_plan_working_days", "qa_dispute_working_days"],
    ),
    (
        Group::Sla,
        &["sla_high_minutes", "sla_normal_minutes", "sla_low_minutes"],
    ),
    (
        Group::Thresholds,
        &[
            "satisfaction_threshold",
            "callback_threshold",
            "callback_max_attempts",
        ],
    ),
    (
        Group::Weights,
        &["composite_customer_weight", "composite_qa_weight"],
    ),
    (
        Group::Anomalies,
        &[
            "anomaly_min_form_seconds",
            "brushing_window_minutes",
            "brushing_count",
            "inconsistency_gap",
        ],
    ),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Group {
    Windows,
    Deadlines,
    Sla,
    Thresholds,
    Weights,
    Anomalies,
}

/// Reads the form's texts (setting name → text) into settings, or the fields that are not
/// whole numbers in range of their type.
pub fn settings_from_texts(texts: &[(&'static str, String)]) -> Result<Settings, Vec<FieldError>> {
    let mut map = serde_json::Map::new();
    let mut errors = Vec::new();
    for (field, text) in texts {
        match text.trim().parse::<u32>() {
            Ok(n) if BYTE_FIELDS.contains(field) && n > 255 => {
                errors.push(FieldError::new(*field, "out_of_range", "out of range"))
            }
            Ok(n) => {
                map.insert((*field).to_owned(), n.into());
            }
            Err(_) => errors.push(FieldError::new(
                *field,
                "not_a_number",
                "enter a whole number",
            )),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    serde_json::from_value(serde_json::Value::Object(map))
        .map_err(|e| vec![FieldError::new("settings", "invalid", e.to_string())])
}

/// A setting's label, unit and the range it accepts.
fn describe(locale: Locale, field: &str) -> (&'static str, &'static str, &'static str) {
    match field {
        "rating_window_days" => (
            td_string!(locale, config.s_rating_window),
            td_string!(locale, config.unit_days),
            td_string!(locale, config.h_rating_window),
        ),
        "appeal_window_hours" => (
            td_string!(locale, config.s_appeal_window),
            td_string!(locale, config.unit_hours),
            td_string!(locale, config.h_appeal_window),
        ),
        "improvement_plan_working_days" => (
            td_string!(locale, config.s_improvement_plan),
            td_string!(locale, config.unit_working_days),
            td_string!(locale, config.h_improvement_plan),
        ),
        "qa_dispute_working_days" => (
            td_string!(locale, config.s_qa_dispute),
            td_string!(locale, config.unit_working_days),
            td_string!(locale, config.h_qa_dispute),
        ),
        "sla_high_minutes" => (
            td_string!(locale, config.s_sla_high),
            td_string!(locale, config.unit_minutes),
            td_string!(locale, config.h_sla),
        ),
        "sla_normal_minutes" => (
            td_string!(locale, config.s_sla_normal),
            td_string!(locale, config.unit_minutes),
            td_string!(locale, config.h_sla),
        ),
        "sla_low_minutes" => (
            td_string!(locale, config.s_sla_low),
            td_string!(locale, config.unit_minutes),
            td_string!(locale, config.h_sla),
        ),
        "satisfaction_threshold" => (
            td_string!(locale, config.s_satisfaction),
            td_string!(locale, config.unit_points),
            td_string!(locale, config.h_satisfaction),
        ),
        "callback_threshold" => (
            td_string!(locale, config.s_callback),
            td_string!(locale, config.unit_points),
            td_string!(locale, config.h_callback),
        ),
        "callback_max_attempts" => (
            td_string!(locale, config.s_callback_attempts),
            td_string!(locale, config.unit_calls),
            td_string!(locale, config.h_callback_attempts),
        ),
        "composite_customer_weight" => (
            td_string!(locale, config.s_customer_weight),
            td_string!(locale, config.unit_percent),
            td_string!(locale, config.h_weights),
        ),
        "composite_qa_weight" => (
            td_string!(locale, config.s_qa_weight),
            td_string!(locale, config.unit_percent),
            td_string!(locale, config.h_weights),
        ),
        "anomaly_min_form_seconds" => (
            td_string!(locale, config.s_min_form),
            td_string!(locale, config.unit_seconds),
            td_string!(locale, config.h_min_form),
        ),
        "brushing_window_minutes" => (
            td_string!(locale, config.s_brushing_window),
            td_string!(locale, config.unit_minutes),
            td_string!(locale, config.h_brushing_window),
        ),
        "brushing_count" => (
            td_string!(locale, config.s_brushing_count),
            td_string!(locale, config.unit_evaluations),
            td_string!(locale, config.h_brushing_count),
        ),
        _ => (
            td_string!(locale, config.s_inconsistency_gap),
            td_string!(locale, config.unit_points),
            td_string!(locale, config.h_inconsistency_gap),
        ),
    }
}

fn group_heading(locale: Locale, group: Group) -> &'static str {
    match group {
        Group::Windows => td_string!(locale, config.group_windows),
        Group::Deadlines => td_string!(locale, config.group_deadlines),
        Group::Sla => td_string!(locale, config.group_sla),
        Group::Thresholds => td_string!(locale, config.group_thresholds),
        Group::Weights => td_string!(locale, config.group_weights),
        Group::Anomalies => td_string!(locale, config.group_anomalies),
    }
}

/// The settings page: loads the settings, then [`SettingsForm`] edits them.
#[component]
pub fn AdminSettings() -> impl IntoView {
    let i18n = use_i18n();
    let settings = LocalResource::new(api::admin_config::settings);
    view! {
        <PageTitle page=Signal::derive(move || t_string!(i18n, config.settings_title)) />
        <h1>{t!(i18n, config.settings_title)}</h1>
        <p class="lead">{t!(i18n, config.settings_intro)}</p>
        <p>
            <leptos_router::components::A href="/admin/settings/mail">
                {t!(i18n, reports.mail_settings_link)}
            </leptos_router::components::A>
            " · "
            <leptos_router::components::A href="/admin/settings/channels">
                {t!(i18n, deliveries.channels_title)}
            </leptos_router::components::A>
            " · "
            <leptos_router::components::A href="/admin/settings/invitations">
                {t!(i18n, invitations.title)}
            </leptos_router::components::A>
            " · "
            <leptos_router::components::A href="/admin/deliveries">
                {t!(i18n, deliveries.title)}
            </leptos_router::components::A>
            " · "
            <leptos_router::components::A href="/admin/webhooks">
                {t!(i18n, webhooks.title)}
            </leptos_router::components::A>
        </p>
        <Loaded
            resource=settings
            view=move |initial| view! { <SettingsForm initial /> }
        />
    }
}

/// Every setting, grouped; saved all at once.
#[component]
fn SettingsForm(
    /// The settings as loaded.
    initial: Settings,
) -> impl IntoView {
    let i18n = use_i18n();
    let stored = initial.to_map();
    let values: Vec<(&'static str, RwSignal<String>)> = GROUPS
        .iter()
        .flat_map(|(_, fields)| fields.iter())
        .map(|field| {
            let text = stored
                .get(*field)
                .map(ToString::to_string)
                .unwrap_or_default();
            (*field, RwSignal::new(text))
        })
        .collect();
    let values = StoredValue::new(values);
    let errors = FieldErrors::default();
    let failure = RwSignal::new(None::<ApiError>);
    let saved = RwSignal::new(false);
    let action = Action::new_local(move |settings: &Settings| {
        let settings = settings.clone();
        async move {
            match api::admin_config::save_settings(&settings).await {
                Ok(stored) => {
                    let map = stored.to_map();
                    values.with_value(|values| {
                        for (field, value) in values {
                            if let Some(n) = map.get(*field) {
                                value.set(n.to_string());
                            }
                        }
                    });
                    saved.set(true);
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
        if action.pending().get_untracked() {
            return;
        }
        saved.set(false);
        failure.set(None);
        let texts: Vec<(&'static str, String)> = values.with_value(|values| {
            values
                .iter()
                .map(|(f, v)| (*f, v.get_untracked()))
                .collect()
        });
        let checked = settings_from_texts(&texts).and_then(|settings| {
            let problems = settings.validate();
            if problems.is_empty() {
                Ok(settings)
            } else {
                Err(problems)
            }
        });
        match checked {
            Ok(settings) => {
                errors.clear();
                action.dispatch_local(settings);
            }
            Err(problems) => {
                errors.set(problems);
                focus_first_invalid(FORM_ID);
            }
        }
    };
    let field_view = move |field: &'static str| {
        let value =
            values.with_value(|values| values.iter().find(|(f, _)| *f == field).map(|(_, v)| *v));
        value.map(|value| {
            let id = field;
            view! {
                <ConfigField
                    id=id
                    label=Signal::derive(move || describe(i18n.get_locale(), field).0)
                    unit=Signal::derive(move || Some(describe(i18n.get_locale(), field).1))
                    hint=Signal::derive(move || Some(describe(i18n.get_locale(), field).2.to_owned()))
                    value
                    input_type="number"
                    error=errors.of(field)
                />
            }
        })
    };
    view! {
        <p class="notice">{t!(i18n, config.settings_apply_now)}</p>
        <form id=FORM_ID class="form settings-form" novalidate on:submit=on_submit>
            {GROUPS
                .iter()
                .map(|(group, fields)| {
                    let group = *group;
                    view! {
                        <fieldset class="panel settings-group">
                            <legend>{move || group_heading(i18n.get_locale(), group)}</legend>
                            <div class="settings-fields">
                                {fields.iter().map(|field| field_view(field)).collect_view()}
                            </div>
                        </fieldset>
                    }
                })
                .collect_view()}
            <AlertFailure failure />
            <div role="status">
                {move || saved.get().then(|| view! { <p class="notice notice-success">{t!(i18n, config.settings_saved)}</p> })}
            </div>
            <div class="form-actions">
                <button type="submit" class="button" aria-disabled=move || action.pending().get().then_some("true")>
                    {move || if action.pending().get() { t_string!(i18n, config.saving) } else { t_string!(i18n, config.save_settings) }}
                </button>
            </div>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn texts(settings: &Settings) -> Vec<(&'static str, String)> {
        let map = settings.to_map();
        GROUPS
            .iter()
            .flat_map(|(_, fields)| fields.iter())
            .map(|f| (*f, map[*f].to_string()))
            .collect()
    }

    #[test]
    fn the_form_covers_every_setting_and_reads_back() {
        let defaults = Settings::default();
        let all = texts(&defaults);
        assert_eq!(all.len(), defaults.to_map().len());
        assert_eq!(settings_from_texts(&all), Ok(defaults));
    }

    #[test]
    fn texts_that_are_not_numbers_in_range_are_named() {
        let mut all = texts(&Settings::default());
        all[0].1 = "七".into();
        let byte = all
            .iter()
            .position(|(f, _)| *f == "satisfaction_threshold")
            .unwrap();
        all[byte].1 = "300".into();
        let errors = settings_from_texts(&all).unwrap_err();
        assert_eq!(errors.len(), 2);
        assert_eq!(
            (errors[0].field.as_str(), errors[0].code.as_str()),
            ("rating_window_days", "not_a_number")
        );
        assert_eq!(
            (errors[1].field.as_str(), errors[1].code.as_str()),
            ("satisfaction_threshold", "out_of_range")
        );
    }
}
