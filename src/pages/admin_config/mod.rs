//! The admin's configuration screens: the dimension and service type catalogue
//! (`/admin/catalog`), service records and their import (`/admin/records`), settings
//! (`/admin/settings`), the working-day calendar (`/admin/calendar`) and the helpdesk's API
//! keys (`/admin/api-keys`); and what they share.

pub mod api_keys;
pub mod calendar;
pub mod catalog;
pub mod records;
pub mod settings;

use chrono::{DateTime, Local, Utc};
use leptos::html;
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_router::components::A;
use pingjia_domain::FieldError;

use crate::api::ApiError;
use crate::components::dialog::{Modal, close_dialog};
use crate::components::error_panel::error_message;
use crate::components::form::field_error_text;
use crate::i18n::{Locale, t, t_string, use_i18n};

/// The ways into the configuration screens, for the admin's home.
#[component]
pub fn ConfigLinks() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="panel" aria-labelledby="config-links-title">
            <h2 id="config-links-title">{t!(i18n, config.nav_heading)}</h2>
            <ul class="link-grid">
                <li>
                    <A href="/admin/catalog">{t!(i18n, config.catalog_title)}</A>
                    <p>{t!(i18n, config.nav_catalog_body)}</p>
                </li>
                <li>
                    <A href="/admin/records">{t!(i18n, config.records_title)}</A>
                    <p>{t!(i18n, config.nav_records_body)}</p>
                </li>
                <li>
                    <A href="/admin/settings">{t!(i18n, config.settings_title)}</A>
                    <p>{t!(i18n, config.nav_settings_body)}</p>
                </li>
                <li>
                    <A href="/admin/settings/mail">{t!(i18n, reports.mail_title)}</A>
                    <p>{t!(i18n, reports.mail_nav_body)}</p>
                </li>
                <li>
                    <A href="/admin/calendar">{t!(i18n, config.calendar_title)}</A>
                    <p>{t!(i18n, config.nav_calendar_body)}</p>
                </li>
                <li>
                    <A href="/admin/api-keys">{t!(i18n, config.keys_title)}</A>
                    <p>{t!(i18n, config.nav_keys_body)}</p>
                </li>
            </ul>
        </section>
    }
}

/// Which way an item moves in an ordered list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
    Up,
    Down,
}

/// Moves the item at `index` one place up or down; `false` (and nothing changed) at an end
/// of the list or past it.
pub fn move_item<T>(items: &mut [T], index: usize, direction: Move) -> bool {
    let other = match direction {
        Move::Up => index.checked_sub(1),
        Move::Down => index.checked_add(1),
    };
    match other {
        Some(other) if index < items.len() && other < items.len() => {
            items.swap(index, other);
            true
        }
        _ => false,
    }
}

/// A time in the user's time zone, `YYYY-MM-DD HH:MM`.
pub fn local_time(time: DateTime<Utc>) -> String {
    time.with_timezone(&Local)
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

/// A field error of the configuration screens in words; codes the shared forms do not know
/// are named here.
pub fn config_error_text(i18n: I18nContext<Locale>, error: &FieldError) -> AnyView {
    match error.code.as_str() {
        "out_of_range" => t!(i18n, config.error_out_of_range).into_any(),
        "not_a_number" => t!(i18n, config.error_not_a_number).into_any(),
        "all_optional" => t!(i18n, config.error_all_optional).into_any(),
        "too_many" => t!(i18n, config.error_too_many).into_any(),
        "not_weekend" => t!(i18n, config.error_not_weekend).into_any(),
        "other_year" => t!(i18n, config.error_other_year).into_any(),
        "sum" => t!(i18n, config.error_weights_sum).into_any(),
        "order" if error.field.starts_with("sla_") => t!(i18n, config.error_sla_order).into_any(),
        "order" if error.field == "callback_threshold" => {
            t!(i18n, config.error_threshold_order).into_any()
        }
        "invalid_time" => t!(i18n, config.error_time).into_any(),
        "unknown" => t!(i18n, config.error_unknown_reference).into_any(),
        "invalid" if error.field == "code" => t!(i18n, config.error_code).into_any(),
        _ => field_error_text(i18n, error),
    }
}

/// What a change did or why it was refused, announced on the page.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// It was done.
    Done(Message),
    /// It was refused (e.g. a 409: still in use).
    Refused(Message),
}

/// The words of an [`Outcome`].
#[derive(Debug, Clone, PartialEq)]
pub enum Message {
    Archived(String),
    Restored(String),
    Saved(String),
    Deleted(String),
    OrderSaved,
    /// 409, with the server's reason.
    InUse(String),
    Failed(ApiError),
    DaySaved(String, String),
    DayRemoved(String, String),
    BulkSaved(i32, usize),
    KeyRevoked(String),
}

/// A message in the interface language.
fn message_view(i18n: I18nContext<Locale>, message: Message) -> AnyView {
    match message {
        Message::Archived(name) => t!(i18n, config.archived_named, name).into_any(),
        Message::Restored(name) => t!(i18n, config.restored_named, name).into_any(),
        Message::Saved(name) => t!(i18n, config.saved_named, name).into_any(),
        Message::Deleted(name) => t!(i18n, config.deleted_named, name).into_any(),
        Message::OrderSaved => t!(i18n, config.order_saved).into_any(),
        Message::InUse(detail) => view! { {t!(i18n, config.in_use)} " " {detail} }.into_any(),
        Message::Failed(error) => error_message(i18n, &error),
        Message::DaySaved(date, name) => t!(i18n, config.day_saved, date, name).into_any(),
        Message::DayRemoved(date, name) => t!(i18n, config.day_removed, date, name).into_any(),
        Message::BulkSaved(year, count) => t!(i18n, config.bulk_saved, year, count).into_any(),
        Message::KeyRevoked(name) => t!(i18n, config.key_revoked, name).into_any(),
    }
}

/// The announcement of the last change: polite when it worked, an alert when refused.
#[component]
pub fn OutcomeMessage(
    /// The last change, if any.
    outcome: RwSignal<Option<Outcome>>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div role="status" class="outcome">
            {move || match outcome.get() {
                Some(Outcome::Done(message)) => {
                    Some(view! { <p class="notice notice-success">{message_view(i18n, message)}</p> })
                }
                _ => None,
            }}
        </div>
        <div role="alert" class="outcome">
            {move || match outcome.get() {
                Some(Outcome::Refused(message)) => {
                    Some(view! { <p class="notice notice-error">{message_view(i18n, message)}</p> })
                }
                _ => None,
            }}
        </div>
    }
}

/// A request started for a dialog, not yet answered.
pub type Pending = std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), ApiError>>>>;

/// Asks before an action that cannot be taken back (delete, revoke); runs `on_confirm` and
/// shows its error in the dialog, or closes it.
#[component]
pub fn ConfirmDialog(
    /// The question, as the dialog's heading.
    title: AnyView,
    /// What happens.
    body: AnyView,
    /// The confirming button's text.
    confirm: AnyView,
    /// The action: `Ok` closes the dialog, an error is shown in it.
    on_confirm: Callback<(), Pending>,
    /// Called once the dialog has closed.
    on_close: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let node = NodeRef::<html::Dialog>::new();
    let failure = RwSignal::new(None::<ApiError>);
    let action = Action::new_local(move |()| {
        let run = on_confirm.run(());
        async move {
            match run.await {
                Ok(()) => close_dialog(node),
                Err(error) => failure.set(Some(error)),
            }
        }
    });
    view! {
        <Modal node_ref=node labelled_by="confirm-title" on_close>
            <h2 id="confirm-title">{title}</h2>
            <p>{body}</p>
            <div role="alert">
                {move || {
                    failure
                        .get()
                        .map(|error| {
                            view! {
                                <p class="notice notice-error">{error_message(i18n, &error)}</p>
                            }
                        })
                }}
            </div>
            <div class="form-actions">
                <button
                    type="button"
                    class="button button-danger"
                    aria-disabled=move || action.pending().get().then_some("true")
                    on:click=move |_| {
                        if !action.pending().get_untracked() {
                            failure.set(None);
                            action.dispatch_local(());
                        }
                    }
                >
                    {confirm}
                </button>
                <button
                    type="button"
                    class="button button-secondary"
                    on:click=move |_| close_dialog(node)
                >
                    {t!(i18n, dialogs.cancel)}
                </button>
            </div>
        </Modal>
    }
}

/// A labelled input (or text area) with a hint, a unit and its error message beside it, the
/// error in the words of [`config_error_text`].
#[component]
pub fn ConfigField(
    /// The control's id, unique on the page.
    id: &'static str,
    /// The visible label.
    #[prop(into)]
    label: Signal<&'static str>,
    /// The value, bound both ways.
    value: RwSignal<String>,
    /// What is wrong with the value.
    #[prop(optional, into)]
    error: MaybeProp<FieldError>,
    /// A short note under the label.
    #[prop(optional, into)]
    hint: MaybeProp<String>,
    /// The unit shown after the input, e.g. 分钟.
    #[prop(optional, into)]
    unit: MaybeProp<&'static str>,
    /// The input's type: `text`, `number`, `date`.
    #[prop(default = "text")]
    input_type: &'static str,
    /// A text area instead of a one-line input.
    #[prop(optional)]
    multiline: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let invalid = move || error.with(Option::is_some);
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let unit_id = format!("{id}-unit");
    let described_by = {
        let (hint_id, error_id, unit_id) = (hint_id.clone(), error_id.clone(), unit_id.clone());
        move || {
            let ids: Vec<&str> = [
                hint.with(Option::is_some).then_some(hint_id.as_str()),
                unit.with(Option::is_some).then_some(unit_id.as_str()),
                invalid().then_some(error_id.as_str()),
            ]
            .into_iter()
            .flatten()
            .collect();
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    let control = if multiline {
        view! {
            <textarea
                id=id
                name=id
                rows="3"
                aria-invalid=move || invalid().then_some("true")
                aria-describedby=described_by
                bind:value=value
            ></textarea>
        }
        .into_any()
    } else {
        view! {
            <input
                id=id
                name=id
                type=input_type
                inputmode=(input_type == "number").then_some("numeric")
                autocomplete="off"
                spellcheck="false"
                aria-invalid=move || invalid().then_some("true")
                aria-describedby=described_by
                bind:value=value
            />
        }
        .into_any()
    };
    view! {
        <div class="field" class:field-invalid=invalid>
            <label for=id>{move || label.get()}</label>
            {move || {
                hint.get().map(|text| view! { <p id=hint_id.clone() class="field-hint">{text}</p> })
            }}
            <div class="field-control">
                {control}
                {move || {
                    unit.get().map(|text| view! { <span id=unit_id.clone() class="field-unit">{text}</span> })
                }}
            </div>
            {move || {
                error
                    .get()
                    .map(|error| {
                        view! {
                            <p id=error_id.clone() class="field-error">
                                {config_error_text(i18n, &error)}
                            </p>
                        }
                    })
            }}
        </div>
    }
}

/// The name of a catalogue entry in the interface language.
pub fn localized<'a>(locale: Locale, zh: &'a str, en: &'a str) -> &'a str {
    match locale {
        Locale::zh_CN => zh,
        Locale::en => en,
    }
}

/// A refused change: a 409 says it is in use, with the server's reason.
pub fn refusal(error: ApiError) -> Outcome {
    Outcome::Refused(match error {
        ApiError::Conflict(problem) => Message::InUse(problem.detail.unwrap_or(problem.title)),
        error => Message::Failed(error),
    })
}

/// The loading line of a screen.
#[component]
pub fn Loading() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class="status" role="status">
            {t_string!(i18n, status.loading)}
        </p>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn items_move_one_place_and_stop_at_the_ends() {
        let mut items = vec!['a', 'b', 'c'];
        assert!(move_item(&mut items, 1, Move::Up));
        assert_eq!(items, ['b', 'a', 'c']);
        assert!(move_item(&mut items, 1, Move::Down));
        assert_eq!(items, ['b', 'c', 'a']);
        assert!(!move_item(&mut items, 0, Move::Up));
        assert!(!move_item(&mut items, 2, Move::Down));
        assert!(!move_item(&mut items, 7, Move::Up));
        assert_eq!(items, ['b', 'c', 'a']);
    }
}
