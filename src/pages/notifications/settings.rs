//! The notification centre's settings (`/notifications/settings`): one row per kind the
//! staff member's role may be told of, with an in-app switch and an e-mail switch (the latter
//! off limits until an admin gives them an address; where mail goes shown when one is set);
//! saved together, each refused kind's error beside its row.

use leptos::prelude::*;
use pingjia_domain::FieldError;
use pingjia_domain::notifications::{NotificationSetting, NotificationSettings};

use super::{CentreHeading, Tab};
use crate::api::{self, ApiError};
use crate::components::data_table::Loaded;
use crate::components::form::failure::FormFailure;
use crate::components::form::field_error_text;
use crate::i18n::{Locale, td_string, use_i18n};
use crate::labels::event_name;
use crate::locale::tr;

/// The settings tab.
#[component]
pub fn NotificationSettingsPage() -> impl IntoView {
    let loaded = LocalResource::new(api::notifications::settings);
    view! {
        <CentreHeading current=Tab::Settings />
        <Loaded
            resource=loaded
            view=move |settings: NotificationSettings| view! { <SettingsForm settings /> }
        />
    }
}

/// The field a row's error names (`kinds[2].event_type`).
pub fn row_field(index: usize) -> String {
    format!("kinds[{index}].event_type")
}

/// Which switch of a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Switch {
    InApp,
    Email,
}

impl Switch {
    fn label(self, locale: Locale) -> &'static str {
        match self {
            Switch::InApp => td_string!(locale, notifications.in_app),
            Switch::Email => td_string!(locale, notifications.email),
        }
    }

    fn get(self, setting: &NotificationSetting) -> bool {
        match self {
            Switch::InApp => setting.in_app,
            Switch::Email => setting.email,
        }
    }

    fn set(self, setting: &mut NotificationSetting, on: bool) {
        match self {
            Switch::InApp => setting.in_app = on,
            Switch::Email => setting.email = on,
        }
    }
}

/// The form: the kinds as a table of switches, where e-mail goes, and the save button.
#[component]
fn SettingsForm(settings: NotificationSettings) -> impl IntoView {
    let i18n = use_i18n();
    let kinds = RwSignal::new(settings.kinds);
    let email_to = RwSignal::new(settings.email_to);
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let failure = RwSignal::new(None::<ApiError>);
    let saved = RwSignal::new(false);
    let save = Action::new_local(move |wanted: &NotificationSettings| {
        let wanted = wanted.clone();
        async move {
            match api::notifications::save_settings(&wanted).await {
                Ok(answer) => {
                    kinds.set(answer.kinds);
                    email_to.set(answer.email_to);
                    errors.set(Vec::new());
                    failure.set(None);
                    saved.set(true);
                }
                Err(error) => match error.problem() {
                    Some(problem) if !problem.errors.is_empty() => {
                        errors.set(problem.errors.clone());
                        failure.set(None);
                    }
                    _ => failure.set(Some(error)),
                },
            }
        }
    });
    let can_email = move || email_to.with(Option::is_some);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if save.pending().get_untracked() {
            return;
        }
        saved.set(false);
        save.dispatch_local(NotificationSettings {
            kinds: kinds.get_untracked(),
            email_to: None,
        });
    };
    let switch = move |index: usize, which: Switch| {
        let described = format!("notify-kind-{index}-error");
        view! {
            <td class="notify-switch" data-label=move || which.label(i18n.get_locale())>
                <label class="notify-toggle">
                    <input
                        type="checkbox"
                        role="switch"
                        name=format!("{}-{index}", if which == Switch::InApp { "in_app" } else { "email" })
                        prop:checked=move || kinds.with(|k| k.get(index).is_some_and(|s| which.get(s)))
                        disabled=move || which == Switch::Email && !can_email()
                        aria-describedby=move || {
                            if which == Switch::Email && !can_email() {
                                "notify-email-note".to_owned()
                            } else {
                                described.clone()
                            }
                        }
                        aria-label=move || {
                            let locale = i18n.get_locale();
                            let kind = kinds.with(|k| k.get(index).map(|s| event_name(locale, s.event_type)));
                            format!("{} · {}", kind.unwrap_or_default(), which.label(locale))
                        }
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            saved.set(false);
                            kinds.update(|k| {
                                if let Some(setting) = k.get_mut(index) {
                                    which.set(setting, on);
                                }
                            });
                        }
                    />
                    <span class="notify-toggle-text" aria-hidden="true">{move || which.label(i18n.get_locale())}</span>
                </label>
            </td>
        }
    };
    let rows = move || {
        (0..kinds.with(Vec::len))
            .map(|index| {
                let error = move || {
                    errors.with(|all| all.iter().find(|e| e.field == row_field(index)).cloned())
                };
                view! {
                    <tr data-testid=move || kinds.with(|k| k.get(index).map(|s| format!("notify-{}", s.event_type.as_str())).unwrap_or_default())>
                        <th scope="row" data-label=move || td_string!(i18n.get_locale(), notifications.kind)>
                            {move || {
                                kinds.with(|k| k.get(index).map(|s| event_name(i18n.get_locale(), s.event_type)))
                            }}
                            {move || error().map(|error| view! {
                                <p id=format!("notify-kind-{index}-error") class="field-error">
                                    {error_words(i18n.get_locale(), &error, i18n)}
                                </p>
                            })}
                        </th>
                        {switch(index, Switch::InApp)}
                        {switch(index, Switch::Email)}
                    </tr>
                }
            })
            .collect_view()
    };
    view! {
        <form class="notify-settings" on:submit=on_submit novalidate>
            <p class="lead">{tr(i18n, |l| td_string!(l, notifications.settings_intro))}</p>
            <p id="notify-email-note" class="field-hint" data-testid="notify-email-note">
                {move || match email_to.get() {
                    Some(address) => td_string!(i18n.get_locale(), notifications.email_to, address = address),
                    None => td_string!(i18n.get_locale(), notifications.no_email).to_owned(),
                }}
            </p>
            <div class="table-scroll">
                <table class="data-table notify-table">
                    <caption class="visually-hidden">{tr(i18n, |l| td_string!(l, notifications.settings_caption))}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{tr(i18n, |l| td_string!(l, notifications.kind))}</th>
                            <th scope="col">{tr(i18n, |l| td_string!(l, notifications.in_app))}</th>
                            <th scope="col">{tr(i18n, |l| td_string!(l, notifications.email))}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <FormFailure failure />
            <p class="status" role="status" aria-live="polite">
                {move || saved.get().then(|| td_string!(i18n.get_locale(), notifications.saved))}
            </p>
            <div class="form-actions">
                <button type="submit" class="button" disabled=move || save.pending().get()>
                    {tr(i18n, |l| td_string!(l, notifications.save))}
                </button>
            </div>
        </form>
    }
}

/// A refused kind's error in words.
fn error_words(
    locale: Locale,
    error: &FieldError,
    i18n: leptos_i18n::I18nContext<Locale>,
) -> AnyView {
    if error.code == "not_for_role" {
        td_string!(locale, notifications.not_for_role).into_any()
    } else {
        field_error_text(i18n, error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn a_row_is_named_as_the_server_names_its_error() {
        assert_eq!(row_field(2), "kinds[2].event_type");
    }
}
