//! Registering or editing an endpoint, in a dialog: its name, kind, address (with the form of
//! address each chat gives), the events it wants (grouped), an optional filter by team and
//! by service type, whether it is on, and a DingTalk or Feishu robot's signing secret
//! (write-only: on edit, empty keeps it, or it may be removed).

use leptos::ev::SubmitEvent;
use leptos::html;
use leptos::prelude::*;
use pingjia_domain::FieldError;
use pingjia_domain::closed_list::Labelled;
use pingjia_domain::events::{Endpoint, EndpointInput, EndpointKind, EventType};

use crate::api::{self, ApiError};
use crate::components::dialog::{FormDialog, close_dialog};
use crate::components::form::failure::{FormFailure, refused};
use crate::components::form::{
    FieldErrors, SelectField, TextField, error_id, field_error_text, focus_first_invalid,
};
use crate::i18n::{Locale, t, t_string, td_string, use_i18n};
use crate::labels::{lang, team_label};
use crate::locale::tr;

const FORM_ID: &str = "endpoint-form";

/// The groups of events, by the first part of their names, in the order the form shows them.
pub const GROUPS: [&str; 8] = [
    "evaluation",
    "callback",
    "appeal",
    "plan",
    "rectification",
    "dispute",
    "coaching",
    "report",
];

/// A group's heading.
fn group_name(locale: Locale, group: &str) -> &'static str {
    match group {
        "evaluation" => td_string!(locale, webhooks.group_evaluation),
        "callback" => td_string!(locale, webhooks.group_callback),
        "appeal" => td_string!(locale, webhooks.group_appeal),
        "plan" => td_string!(locale, webhooks.group_plan),
        "rectification" => td_string!(locale, webhooks.group_rectification),
        "dispute" => td_string!(locale, webhooks.group_dispute),
        "coaching" => td_string!(locale, webhooks.group_coaching),
        _ => td_string!(locale, webhooks.group_report),
    }
}

/// The events of a group.
pub fn group_events(group: &str) -> Vec<EventType> {
    EventType::all()
        .iter()
        .copied()
        .filter(|e| e.as_str().split('.').next() == Some(group))
        .collect()
}

/// What the address of an endpoint of `kind` looks like.
fn url_hint(locale: Locale, kind: Option<EndpointKind>) -> &'static str {
    match kind {
        Some(EndpointKind::Wecom) => td_string!(locale, webhooks.url_hint_wecom),
        Some(EndpointKind::Dingtalk) => td_string!(locale, webhooks.url_hint_dingtalk),
        Some(EndpointKind::Feishu) => td_string!(locale, webhooks.url_hint_feishu),
        _ => td_string!(locale, webhooks.url_hint_webhook),
    }
}

/// Whether the admin gives the endpoint's secret (a DingTalk or Feishu robot's).
fn takes_secret(kind: Option<EndpointKind>) -> bool {
    matches!(kind, Some(EndpointKind::Dingtalk | EndpointKind::Feishu))
}

/// The form field an error of the server names (`service_types[2]` → `service_types`).
fn slot(error: FieldError) -> FieldError {
    let field = match error.field.split_once('[') {
        Some((field, _)) => field.to_owned(),
        None => error.field.clone(),
    };
    FieldError { field, ..error }
}

/// The kinds an endpoint may have: any when new; a signed webhook stays one, a robot stays a
/// robot.
fn kinds_for(endpoint: Option<&Endpoint>) -> Vec<EndpointKind> {
    EndpointKind::all()
        .iter()
        .copied()
        .filter(|k| endpoint.is_none_or(|e| e.kind.makes_secret() == k.makes_secret()))
        .collect()
}

/// The dialog; `on_saved` gets the endpoint's name and a new secret to show once.
#[component]
pub fn EndpointDialog(
    /// The endpoint edited, or none for a new one.
    endpoint: Option<Endpoint>,
    /// Called once saved: the name, and the secret made, if any.
    on_saved: Callback<(String, Option<String>)>,
    /// Called once the dialog has closed.
    on_close: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let node = NodeRef::<html::Dialog>::new();
    let editing = endpoint.as_ref().map(|e| e.id);
    let has_secret = endpoint.as_ref().is_some_and(|e| e.has_secret);
    let kinds = kinds_for(endpoint.as_ref());
    let start = endpoint.clone();
    let name = RwSignal::new(start.as_ref().map(|e| e.name.clone()).unwrap_or_default());
    let kind = RwSignal::new(
        start
            .as_ref()
            .map_or(EndpointKind::Webhook, |e| e.kind)
            .as_str()
            .to_owned(),
    );
    let url = RwSignal::new(start.as_ref().map(|e| e.url.clone()).unwrap_or_default());
    let events = RwSignal::new(
        start
            .as_ref()
            .map(|e| {
                e.events
                    .iter()
                    .map(|e| e.as_str().to_owned())
                    .collect::<Vec<String>>()
            })
            .unwrap_or_default(),
    );
    let teams = RwSignal::new(
        start
            .as_ref()
            .map(|e| {
                e.team_ids
                    .iter()
                    .map(i64::to_string)
                    .collect::<Vec<String>>()
            })
            .unwrap_or_default(),
    );
    let types = RwSignal::new(
        start
            .as_ref()
            .map(|e| e.service_types.clone())
            .unwrap_or_default(),
    );
    let enabled = RwSignal::new(start.as_ref().is_none_or(|e| e.enabled));
    let secret = RwSignal::new(String::new());
    let remove_secret = RwSignal::new(false);
    let chosen_kind = Signal::derive(move || kind.with(|k| EndpointKind::parse(k)));

    let team_list = LocalResource::new(api::users::list_teams);
    let catalog = LocalResource::new(api::catalog);
    let team_options = Signal::derive(move || {
        team_list
            .get()
            .and_then(Result::ok)
            .unwrap_or_default()
            .into_iter()
            .map(|t| (t.id.to_string(), team_label(i18n.get_locale(), &t)))
            .collect::<Vec<_>>()
    });
    let type_options = Signal::derive(move || {
        let zh = i18n.get_locale() != Locale::en;
        catalog
            .get()
            .and_then(Result::ok)
            .map(|c| c.service_types)
            .unwrap_or_default()
            .into_iter()
            .filter(|t| !t.archived || types.with(|chosen| chosen.contains(&t.code)))
            .map(|t| (t.code, if zh { t.name_zh } else { t.name_en }))
            .collect::<Vec<_>>()
    });

    let errors = FieldErrors::default();
    let failure = RwSignal::new(None::<ApiError>);
    let save = Action::new_local(move |input: &EndpointInput| {
        let input = input.clone();
        async move {
            let saved = match editing {
                Some(id) => api::webhooks::update(id, &input).await,
                None => api::webhooks::create(&input).await,
            };
            match saved {
                Ok(saved) => {
                    on_saved.run((saved.endpoint.name, saved.secret));
                    close_dialog(node);
                }
                Err(error) => refused(error, failure, |found| {
                    errors.set(found.into_iter().map(slot).collect());
                    focus_first_invalid(FORM_ID);
                }),
            }
        }
    });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if save.pending().get_untracked() {
            return;
        }
        failure.set(None);
        let kind = chosen_kind.get_untracked().unwrap_or(EndpointKind::Webhook);
        let secret = if !takes_secret(Some(kind)) {
            None
        } else if remove_secret.get_untracked() {
            Some(String::new())
        } else {
            Some(secret.get_untracked()).filter(|s| !s.trim().is_empty())
        };
        let input = EndpointInput {
            name: name.get_untracked(),
            kind,
            url: url.get_untracked(),
            events: events
                .with_untracked(|e| e.iter().filter_map(|e| EventType::parse(e)).collect()),
            team_ids: teams.with_untracked(|t| t.iter().filter_map(|t| t.parse().ok()).collect()),
            service_types: types.get_untracked(),
            enabled: enabled.get_untracked(),
            secret,
        };
        match input.check() {
            Ok(input) => {
                errors.clear();
                save.dispatch_local(input);
            }
            Err(found) => {
                errors.set(found.into_iter().map(slot).collect());
                focus_first_invalid(FORM_ID);
            }
        }
    };
    let title = match &endpoint {
        Some(e) => t!(i18n, webhooks.edit_title, name = e.name.clone()).into_any(),
        None => t!(i18n, webhooks.new_title).into_any(),
    };
    let kind_options = Signal::derive(move || {
        kinds
            .iter()
            .map(|k| {
                (
                    k.as_str().to_owned(),
                    k.label(lang(i18n.get_locale())).to_owned(),
                )
            })
            .collect::<Vec<_>>()
    });
    let secret_hint = move || {
        if has_secret {
            t_string!(i18n, webhooks.robot_secret_set).to_owned()
        } else {
            t_string!(i18n, webhooks.robot_secret_hint).to_owned()
        }
    };
    view! {
        <FormDialog
            node_ref=node
            title_id="endpoint-title"
            title
            form_id=FORM_ID
            form_class="form endpoint-form"
            on_submit
            on_close
            submit=Signal::derive(move || t_string!(i18n, dialogs.save))
            pending=save.pending()
        >
            <TextField
                id="endpoint-name"
                label=Signal::derive(move || t_string!(i18n, webhooks.name))
                value=name
                autocomplete="off"
                required=true
                error=errors.of("name")
            />
            <SelectField
                id="endpoint-kind"
                label=Signal::derive(move || t_string!(i18n, webhooks.kind))
                value=kind
                options=kind_options
            />
            <TextField
                id="endpoint-url"
                label=Signal::derive(move || t_string!(i18n, webhooks.url))
                value=url
                input_type="url"
                autocomplete="off"
                inputmode="url"
                required=true
                hint=Signal::derive(move || Some(url_hint(i18n.get_locale(), chosen_kind.get()).to_owned()))
                error=errors.of("url")
            />
            <fieldset
                class="fieldset event-groups"
                class:field-invalid=move || errors.of("events").with(Option::is_some)
                aria-describedby=move || errors.of("events").with(Option::is_some).then(|| error_id("endpoint-events"))
            >
                <legend>{t!(i18n, webhooks.events)}</legend>
                {GROUPS
                    .iter()
                    .map(|group| {
                        let group = *group;
                        let options = Signal::derive(move || {
                            group_events(group)
                                .into_iter()
                                .map(|e| (e.as_str().to_owned(), e.label(lang(i18n.get_locale())).to_owned()))
                                .collect::<Vec<_>>()
                        });
                        view! {
                            <fieldset class="event-group">
                                <legend>{move || group_name(i18n.get_locale(), group)}</legend>
                                <CheckList prefix="event" options chosen=events />
                            </fieldset>
                        }
                    })
                    .collect_view()}
                <ErrorOf id=error_id("endpoint-events") error=errors.of("events") events=true />
            </fieldset>
            <fieldset class="fieldset" class:field-invalid=move || errors.of("team_ids").with(Option::is_some)>
                <legend>
                    {t!(i18n, webhooks.teams)}
                    <span class="field-optional">{tr(i18n, |l| td_string!(l, form.optional))}</span>
                </legend>
                <p class="field-hint">{t!(i18n, webhooks.teams_hint)}</p>
                <CheckList prefix="team" options=team_options chosen=teams />
                <ErrorOf id=error_id("endpoint-teams") error=errors.of("team_ids") />
            </fieldset>
            <fieldset class="fieldset" class:field-invalid=move || errors.of("service_types").with(Option::is_some)>
                <legend>
                    {t!(i18n, webhooks.service_types)}
                    <span class="field-optional">{tr(i18n, |l| td_string!(l, form.optional))}</span>
                </legend>
                <p class="field-hint">{t!(i18n, webhooks.service_types_hint)}</p>
                <CheckList prefix="type" options=type_options chosen=types />
                <ErrorOf id=error_id("endpoint-types") error=errors.of("service_types") />
            </fieldset>
            <div class="field">
                <label class="checkbox" for="endpoint-enabled">
                    <input type="checkbox" id="endpoint-enabled" bind:checked=enabled />
                    {t!(i18n, webhooks.enabled_field)}
                </label>
            </div>
            <Show when=move || takes_secret(chosen_kind.get())>
                <TextField
                    id="endpoint-secret"
                    label=Signal::derive(move || t_string!(i18n, webhooks.robot_secret))
                    value=secret
                    input_type="password"
                    autocomplete="new-password"
                    optional=true
                    hint=Signal::derive(move || Some(secret_hint()))
                    error=errors.of("secret")
                />
                {has_secret.then(|| view! {
                    <div class="field">
                        <label class="checkbox" for="endpoint-remove-secret">
                            <input type="checkbox" id="endpoint-remove-secret" bind:checked=remove_secret />
                            {t!(i18n, webhooks.remove_secret)}
                        </label>
                    </div>
                })}
            </Show>
            {move || (chosen_kind.get() == Some(EndpointKind::Webhook)).then(|| view! {
                <p class="field-hint">{t!(i18n, webhooks.webhook_secret_note)}</p>
            })}
            <FormFailure failure />
        </FormDialog>
    }
}

/// An error under a group of checkboxes; "pick at least one event" for the events.
#[component]
fn ErrorOf(
    id: String,
    error: Signal<Option<FieldError>>,
    #[prop(optional)] events: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        error.get().map(|error| {
            let text = if events && error.code == "required" {
                t!(i18n, webhooks.events_required).into_any()
            } else {
                field_error_text(i18n, &error)
            };
            view! { <p id=id.clone() class="field-error">{text}</p> }
        })
    }
}

/// Checkboxes, one per option (value, label); `chosen` holds the values ticked.
#[component]
fn CheckList(
    /// The start of each box's id.
    prefix: &'static str,
    #[prop(into)] options: Signal<Vec<(String, String)>>,
    chosen: RwSignal<Vec<String>>,
) -> impl IntoView {
    view! {
        <ul class="check-list">
            <For each=move || options.get() key=|(value, label)| (value.clone(), label.clone()) let((value, label))>
                {
                    let id = format!("{prefix}-{}", value.replace('.', "-"));
                    let label_for = id.clone();
                    let (on, set) = (value.clone(), value.clone());
                    view! {
                        <li>
                            <label class="checkbox" for=label_for>
                                <input
                                    type="checkbox"
                                    id=id
                                    value=value.clone()
                                    prop:checked=move || chosen.with(|c| c.contains(&on))
                                    on:change=move |ev| {
                                        let tick = event_target_checked(&ev);
                                        chosen.update(|c| {
                                            c.retain(|v| *v != set);
                                            if tick {
                                                c.push(set.clone());
                                            }
                                        });
                                    }
                                />
                                <span>{label}</span>
                            </label>
                        </li>
                    }
                }
            </For>
        </ul>
    }
}
