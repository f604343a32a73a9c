//! Labelled form controls that show their own hint and error message, and the translation of
//! the API's field error codes.

#[cfg(feature = "staff")]
pub mod config;
pub mod failure;
#[cfg(feature = "staff")]
pub mod fields;
pub mod rating;
pub mod reason;

use crate::locale::tr;
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use pingjia_domain::FieldError;
use pingjia_domain::auth::{MAX_ACCOUNT_NUMBER_LEN, MAX_PASSWORD_LEN, MIN_PASSWORD_LEN};
use pingjia_domain::evaluations::SUGGESTION_MAX_CHARS;
use pingjia_domain::users::{MAX_DISPLAY_NAME_LEN, MAX_EMAIL_LEN, MAX_TEAM_NAME_LEN};

use crate::api::ApiError;
use crate::i18n::{Locale, t, t_string, td_string, use_i18n};

/// The field errors a form shows: its own checks before sending, then the server's (422).
#[derive(Debug, Clone, Copy)]
pub struct FieldErrors(RwSignal<Vec<FieldError>>);

impl Default for FieldErrors {
    fn default() -> Self {
        FieldErrors(RwSignal::new(Vec::new()))
    }
}

impl FieldErrors {
    /// Replaces every message.
    pub fn set(self, errors: Vec<FieldError>) {
        self.0.set(errors);
    }

    /// Forgets every message.
    pub fn clear(self) {
        self.0.update(Vec::clear);
    }

    /// Takes the field errors of a rejected request; `true` when there were any.
    pub fn take_from(self, error: &ApiError) -> bool {
        match error.problem() {
            Some(problem) if !problem.errors.is_empty() => {
                self.set(problem.errors.clone());
                true
            }
            _ => false,
        }
    }

    /// The error of `field`, if any (tracked).
    pub fn of(self, field: &'static str) -> Signal<Option<FieldError>> {
        Signal::derive(move || {
            self.0
                .with(|errors| errors.iter().find(|e| e.field == field).cloned())
        })
    }
}

/// How the forms of an area word their fields' errors (QA, feedback): in their own words
/// where they have them, else the server's message.
pub trait ErrorWords {
    /// `error` in words.
    fn words(locale: Locale, error: &FieldError) -> String;
}

/// The field errors of a form that words them its own way (`W`): its own checks, then the
/// server's.
#[derive(Debug)]
pub struct WordedErrors<W>(
    RwSignal<Vec<FieldError>>,
    std::marker::PhantomData<fn() -> W>,
);

impl<W> Clone for WordedErrors<W> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<W> Copy for WordedErrors<W> {}

impl<W> Default for WordedErrors<W> {
    fn default() -> Self {
        WordedErrors(RwSignal::new(Vec::new()), std::marker::PhantomData)
    }
}

impl<W: ErrorWords + 'static> WordedErrors<W> {
    /// Replaces every message.
    pub fn set(self, errors: Vec<FieldError>) {
        self.0.set(errors);
    }

    /// After an edit, with the form's own checks of what it now holds (`found`): a message
    /// shown for a field that is now right goes, one still wrong takes its new words; no new
    /// message appears before the next submit.
    pub fn recheck(self, found: &[FieldError]) {
        self.0.update(|shown| {
            shown.retain_mut(|e| match found.iter().find(|f| f.field == e.field) {
                Some(now) => {
                    *e = now.clone();
                    true
                }
                None => false,
            });
        });
    }

    /// Whether there is any message (tracked).
    pub fn any(self) -> bool {
        self.0.with(|e| !e.is_empty())
    }

    /// The message of `field`, in words (tracked).
    pub fn of(self, field: String) -> Signal<Option<String>> {
        let i18n = use_i18n();
        Signal::derive(move || {
            self.0.with(|errors| {
                errors
                    .iter()
                    .find(|e| e.field == field)
                    .map(|e| W::words(i18n.get_locale(), e))
            })
        })
    }
}

/// A field error in words: by its code (and field, where that changes the words), or the
/// server's own English message for a code this app does not know.
pub fn field_error_text(i18n: I18nContext<Locale>, error: &FieldError) -> AnyView {
    // Import files name cells `row 3: phone`; the column decides the words.
    let field = error
        .field
        .rsplit_once(": ")
        .map_or(error.field.as_str(), |(_, column)| column);
    let password = matches!(field, "password" | "new_password" | "current_password");
    let detail = error.message.clone();
    match (error.code.as_str(), field) {
        // The rating form (`scores.<code>`, `overall`, `suggestion`) and the evaluation look-up.
        ("required", "scores") => tr(i18n, |l| td_string!(l, rating.need_one_score)).into_any(),
        ("required", f) if f.starts_with("scores.") => {
            tr(i18n, |l| td_string!(l, rating.need_stars)).into_any()
        }
        ("out_of_range", f) if f.starts_with("scores.") => {
            tr(i18n, |l| td_string!(l, rating.stars_range)).into_any()
        }
        ("unknown_dimension", _) => {
            tr(i18n, |l| td_string!(l, rating.unknown_dimension)).into_any()
        }
        ("required", "overall") => tr(i18n, |l| td_string!(l, rating.need_overall)).into_any(),
        ("out_of_range", "overall") => tr(i18n, |l| td_string!(l, rating.overall_range)).into_any(),
        ("too_long", "suggestion") => {
            t!(i18n, field_errors.too_long, max = SUGGESTION_MAX_CHARS).into_any()
        }
        ("invalid", "evaluation_number") => {
            tr(i18n, |l| td_string!(l, rating.number_malformed)).into_any()
        }
        ("not_found", "evaluation_number") => {
            tr(i18n, |l| td_string!(l, rating.number_not_found)).into_any()
        }
        ("required", "customer_login") => {
            tr(i18n, |l| td_string!(l, login.customer_login_missing)).into_any()
        }
        ("required", "staff_login") => {
            tr(i18n, |l| td_string!(l, login.staff_login_missing)).into_any()
        }
        ("required", _) if password => {
            tr(i18n, |l| td_string!(l, login.password_missing)).into_any()
        }
        ("required", "customer_type" | "role") => {
            tr(i18n, |l| td_string!(l, field_errors.choose)).into_any()
        }
        // `empty`: an address left blank (`reports::mail::check_address`).
        ("required" | "empty", _) => tr(i18n, |l| td_string!(l, field_errors.required)).into_any(),
        ("invalid", "phone" | "customer_phone") => {
            tr(i18n, |l| td_string!(l, field_errors.invalid_phone)).into_any()
        }
        ("invalid_email", _) => tr(i18n, |l| td_string!(l, field_errors.invalid_email)).into_any(),
        ("conflict", "customer" | "customer_no" | "member_no" | "customer_phone") => {
            tr(i18n, |l| td_string!(l, field_errors.customer_conflict)).into_any()
        }
        ("not_member", _) => tr(i18n, |l| td_string!(l, field_errors.not_member)).into_any(),
        ("kept", _) => tr(i18n, |l| td_string!(l, field_errors.kept)).into_any(),
        ("invalid", "employee_no" | "customer_no" | "member_no") => t!(
            i18n,
            field_errors.invalid_number,
            max = MAX_ACCOUNT_NUMBER_LEN
        )
        .into_any(),
        ("invalid", "role") => tr(i18n, |l| td_string!(l, field_errors.invalid_role)).into_any(),
        ("invalid", "customer_type") => {
            tr(i18n, |l| td_string!(l, field_errors.invalid_customer_type)).into_any()
        }
        ("invalid", _) => tr(i18n, |l| td_string!(l, field_errors.invalid)).into_any(),
        ("not_allowed", "role") => tr(i18n, |l| td_string!(l, field_errors.role_fixed)).into_any(),
        ("not_allowed", _) => tr(i18n, |l| td_string!(l, field_errors.not_for_role)).into_any(),
        ("too_short", _) => t!(i18n, field_errors.too_short, min = MIN_PASSWORD_LEN).into_any(),
        ("too_long", _) if password => {
            t!(i18n, field_errors.too_long, max = MAX_PASSWORD_LEN).into_any()
        }
        ("too_long", "email" | "customer_email") => {
            t!(i18n, field_errors.too_long, max = MAX_EMAIL_LEN).into_any()
        }
        ("too_long", "name") => t!(i18n, field_errors.too_long, max = MAX_TEAM_NAME_LEN).into_any(),
        ("too_long", _) => t!(i18n, field_errors.too_long, max = MAX_DISPLAY_NAME_LEN).into_any(),
        ("contains_login", _) => {
            tr(i18n, |l| td_string!(l, field_errors.contains_login)).into_any()
        }
        ("too_common", _) => tr(i18n, |l| td_string!(l, field_errors.too_common)).into_any(),
        ("wrong", _) => tr(i18n, |l| td_string!(l, field_errors.wrong_password)).into_any(),
        ("unchanged", _) => tr(i18n, |l| td_string!(l, field_errors.unchanged)).into_any(),
        ("mismatch", _) => tr(i18n, |l| td_string!(l, field_errors.mismatch)).into_any(),
        ("taken", "name") => tr(i18n, |l| td_string!(l, field_errors.team_name_taken)).into_any(),
        ("taken", "email") => tr(i18n, |l| td_string!(l, field_errors.email_taken)).into_any(),
        ("taken", "customer_email") => {
            tr(i18n, |l| td_string!(l, field_errors.email_not_added)).into_any()
        }
        ("taken", _) => tr(i18n, |l| td_string!(l, field_errors.number_taken)).into_any(),
        ("unknown", "team" | "team_id") => {
            tr(i18n, |l| td_string!(l, field_errors.unknown_team)).into_any()
        }
        ("unknown", _) => tr(i18n, |l| td_string!(l, field_errors.unknown_user)).into_any(),
        ("duplicate", _) => tr(i18n, |l| td_string!(l, field_errors.duplicate)).into_any(),
        ("not_team_lead", _) => tr(i18n, |l| td_string!(l, field_errors.not_team_lead)).into_any(),
        ("disabled", _) => tr(i18n, |l| td_string!(l, field_errors.lead_disabled)).into_any(),
        ("leads_another_team", _) => {
            tr(i18n, |l| td_string!(l, field_errors.leads_another_team)).into_any()
        }
        ("malformed", _) => tr(i18n, |l| td_string!(l, field_errors.malformed)).into_any(),
        // The server's message names the column; it is a technical name either way.
        ("control_character", _) => t!(i18n, field_errors.control_character).into_any(),
        ("missing_column", _) => t!(i18n, field_errors.missing_column, detail).into_any(),
        ("duplicate_column", _) => t!(i18n, field_errors.duplicate_column, detail).into_any(),
        ("unknown_column", _) => t!(i18n, field_errors.unknown_column, detail).into_any(),
        _ => detail.into_any(),
    }
}

/// The id of a field's hint.
fn hint_id(id: &str) -> String {
    format!("{id}-hint")
}

/// The id of a field's error message.
pub fn error_id(id: &str) -> String {
    format!("{id}-error")
}

/// A labelled text input with an optional hint and its error message beside it. A password
/// input (`input_type = "password"`) gets a show/hide toggle.
#[component]
pub fn TextField(
    /// The input's id, unique on the page.
    id: &'static str,
    /// The visible label.
    #[prop(into)]
    label: Signal<&'static str>,
    /// The value, bound both ways.
    value: RwSignal<String>,
    /// What is wrong with the value, shown beside the field.
    #[prop(optional, into)]
    error: MaybeProp<FieldError>,
    /// A short note under the label, e.g. the rules the value must meet.
    #[prop(optional, into)]
    hint: MaybeProp<String>,
    /// The input's type: `text`, `password`, `tel`, `search`...
    #[prop(default = "text")]
    input_type: &'static str,
    /// The `autocomplete` token.
    #[prop(optional)]
    autocomplete: Option<&'static str>,
    /// The `inputmode` hint for on-screen keyboards.
    #[prop(optional)]
    inputmode: Option<&'static str>,
    /// Whether the label says the field may be left empty.
    #[prop(optional)]
    optional: bool,
    /// Whether the field must be filled in (announced; the form checks it).
    #[prop(optional)]
    required: bool,
    /// Called when the input loses focus.
    #[prop(optional, into)]
    on_blur: Option<Callback<()>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let revealed = RwSignal::new(false);
    let password = input_type == "password";
    let shown_type = move || {
        if password && revealed.get() {
            "text"
        } else {
            input_type
        }
    };
    let invalid = move || error.with(Option::is_some);
    let described_by = move || {
        let ids: Vec<String> = [
            hint.with(Option::is_some).then(|| hint_id(id)),
            invalid().then(|| error_id(id)),
        ]
        .into_iter()
        .flatten()
        .collect();
        (!ids.is_empty()).then(|| ids.join(" "))
    };
    let toggle_label = move || {
        if revealed.get() {
            t_string!(i18n, form.hide_password)
        } else {
            t_string!(i18n, form.show_password)
        }
    };
    view! {
        <div class="field" class:field-invalid=invalid>
            <label for=id>
                {move || label.get()}
                {optional
                    .then(|| {
                        view! { <span class="field-optional">{tr(i18n, |l| td_string!(l, form.optional))}</span> }
                    })}
            </label>
            {move || {
                hint.get().map(|hint| view! { <p id=hint_id(id) class="field-hint">{hint}</p> })
            }}
            <div class="field-control">
                <input
                    id=id
                    name=id
                    type=shown_type
                    autocomplete=autocomplete
                    inputmode=inputmode
                    autocapitalize=(input_type != "email" && !password).then_some("none")
                    spellcheck="false"
                    aria-required=required.then_some("true")
                    aria-invalid=move || invalid().then_some("true")
                    aria-describedby=described_by
                    bind:value=value
                    on:blur=move |_| {
                        if let Some(on_blur) = on_blur {
                            on_blur.run(());
                        }
                    }
                />
                {password
                    .then(|| {
                        view! {
                            <button
                                type="button"
                                class="button button-secondary reveal-toggle"
                                aria-controls=id
                                aria-pressed=move || revealed.get().to_string()
                                on:click=move |_| revealed.update(|r| *r = !*r)
                            >
                                {toggle_label}
                            </button>
                        }
                    })}
            </div>
            <FieldMessage id=error_id(id) error />
        </div>
    }
}

/// A labelled `<select>`; `options` are (value, label) pairs, the empty value meaning none.
#[component]
pub fn SelectField(
    /// The select's id, unique on the page.
    id: &'static str,
    /// The visible label.
    #[prop(into)]
    label: Signal<&'static str>,
    /// The chosen value, bound both ways.
    value: RwSignal<String>,
    /// The choices: value and label.
    #[prop(into)]
    options: Signal<Vec<(String, String)>>,
    /// What is wrong with the value, shown beside the field.
    #[prop(optional, into)]
    error: MaybeProp<FieldError>,
    /// Called after the user picks another option.
    #[prop(optional, into)]
    on_change: Option<Callback<()>>,
) -> impl IntoView {
    let invalid = move || error.with(Option::is_some);
    view! {
        <div class="field" class:field-invalid=invalid>
            <label for=id>{move || label.get()}</label>
            <select
                id=id
                name=id
                aria-invalid=move || invalid().then_some("true")
                aria-describedby=move || invalid().then(|| error_id(id))
                on:change=move |ev| {
                    value.set(event_target_value(&ev));
                    if let Some(on_change) = on_change {
                        on_change.run(());
                    }
                }
            >
                {move || {
                    options
                        .get()
                        .into_iter()
                        .map(|(option, text)| {
                            let chosen = option.clone();
                            view! {
                                <option value=option prop:selected=move || value.get() == chosen>
                                    {text}
                                </option>
                            }
                        })
                        .collect_view()
                }}
            </select>
            <FieldMessage id=error_id(id) error />
        </div>
    }
}

/// A labelled group of radio buttons; `options` are (value, label) pairs.
#[component]
pub fn RadioGroup(
    /// The radios' `name`, unique on the page; ids derive from it.
    name: &'static str,
    /// The group's visible legend.
    #[prop(into)]
    legend: Signal<&'static str>,
    /// The chosen value, bound both ways.
    value: RwSignal<String>,
    /// The choices: value and label.
    #[prop(into)]
    options: Signal<Vec<(&'static str, &'static str)>>,
    /// What is wrong with the choice, shown beside the group.
    #[prop(optional, into)]
    error: MaybeProp<FieldError>,
) -> impl IntoView {
    let invalid = move || error.with(Option::is_some);
    view! {
        <fieldset
            class="field radio-group"
            class:field-invalid=invalid
            aria-describedby=move || invalid().then(|| error_id(name))
        >
            <legend>{move || legend.get()}</legend>
            <div class="radio-options">
                {move || {
                    options
                        .get()
                        .into_iter()
                        .map(|(option, text)| {
                            let id = format!("{name}-{option}");
                                let label_for = id.clone();
                            view! {
                                <label class="radio-option" for=label_for>
                                    <input
                                        type="radio"
                                        id=id
                                        name=name
                                        value=option
                                        aria-invalid=move || invalid().then_some("true")
                                        bind:group=value
                                    />
                                    <span>{text}</span>
                                </label>
                            }
                        })
                        .collect_view()
                }}
            </div>
            <FieldMessage id=error_id(name) error />
        </fieldset>
    }
}

/// The error message under a field, when there is one.
#[component]
fn FieldMessage(
    /// The message's id, named by the control's `aria-describedby`.
    id: String,
    /// What is wrong.
    error: MaybeProp<FieldError>,
) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        error.get().map(|error| {
            view! {
                <p id=id.clone() class="field-error">
                    {field_error_text(i18n, &error)}
                </p>
            }
        })
    }
}

/// Moves focus to the first invalid control inside the element `container_id`, once the page
/// has drawn the messages, so keyboard and screen reader users land on what needs fixing.
pub fn focus_first_invalid(container_id: &'static str) {
    focus_invalid_in(container_id.to_owned());
}

/// [`focus_first_invalid`] for an id built at run time.
pub fn focus_invalid_in(container_id: String) {
    request_animation_frame(move || {
        let selector = format!("#{container_id} [aria-invalid='true']");
        if let Some(element) = document()
            .query_selector(&selector)
            .ok()
            .flatten()
            .and_then(|el| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el).ok())
        {
            let _ = element.focus();
        }
    });
}
