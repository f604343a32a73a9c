//! The rating invitations' settings (`/admin/settings/invitations`), beside the mail and the
//! channels' pages: whether invitations go out by themselves, the delay, the reminder, the
//! suppression, the channels in the order they are tried, the messages' language, and the
//! eight message templates (SMS and e-mail × Chinese and English × invitation and reminder),
//! each with a live preview on sample values.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::components::A;
use pingjia_domain::FieldError;
use pingjia_domain::invitations::{InvitationChannel, InvitationSettings, MessageLanguage};

use crate::api::{self, ApiError};
use crate::components::data_table::Loaded;
use crate::components::form::config::{ConfigField, SubmitButton};
use crate::components::form::failure::{AlertFailure, refused};
use crate::components::form::{SelectField, focus_first_invalid};
use crate::components::page::PageTitle;
use crate::i18n::{Locale, td_string, use_i18n};
use crate::labels::lang;
use crate::locale::tr;

mod errors;
pub mod templates;

pub use errors::{error_of, invitation_error_text};

use templates::{TemplateFields, Templates, template_fields, template_index};

/// Where the invitations' settings live.
pub const INVITATIONS_PATH: &str = "/admin/settings/invitations";

const FORM_ID: &str = "invitation-settings-form";

/// The page.
#[component]
pub fn InvitationSettingsPage() -> impl IntoView {
    let i18n = use_i18n();
    let settings = LocalResource::new(api::invitations::settings);
    view! {
        <PageTitle page=Signal::derive(move || td_string!(i18n.get_locale(), invitations.title)) />
        <p class="breadcrumb">
            <A href="/admin/settings">{tr(i18n, |l| td_string!(l, reports.back_to_settings))}</A>
        </p>
        <h1>{tr(i18n, |l| td_string!(l, invitations.title))}</h1>
        <p class="lead">{tr(i18n, |l| td_string!(l, invitations.intro))}</p>
        <p>
            <A href="/admin/settings/channels">{tr(i18n, |l| td_string!(l, deliveries.channels_title))}</A>
            " · "
            <A href="/admin/deliveries">{tr(i18n, |l| td_string!(l, deliveries.title))}</A>
            " · "
            <A href="/admin/records">{tr(i18n, |l| td_string!(l, config.records_title))}</A>
        </p>
        <Loaded resource=settings view=move |initial| view! { <InvitationSettingsForm initial /> } />
    }
}

/// A channel in the order they are tried, and whether it is used.
pub type ChannelChoice = (InvitationChannel, bool);

/// The channels as the form shows them: those used, in their order, then the others, unused.
pub fn channel_choices(order: &[InvitationChannel]) -> Vec<ChannelChoice> {
    let mut choices: Vec<ChannelChoice> = Vec::new();
    for channel in order {
        if !choices.iter().any(|(c, _)| c == channel) {
            choices.push((*channel, true));
        }
    }
    for channel in InvitationChannel::ALL {
        if !choices.iter().any(|(c, _)| *c == channel) {
            choices.push((channel, false));
        }
    }
    choices
}

/// The channels used, in their order.
pub fn channel_order(choices: &[ChannelChoice]) -> Vec<InvitationChannel> {
    choices
        .iter()
        .filter(|(_, used)| *used)
        .map(|(c, _)| *c)
        .collect()
}

/// A number field's value, or its error (`not_a_number`).
fn number(field: &str, text: &str) -> Result<u32, FieldError> {
    text.trim()
        .parse()
        .map_err(|_| FieldError::new(field, "not_a_number", "a whole number"))
}

/// The settings' fields.
#[derive(Clone, Copy)]
struct Fields {
    enabled: RwSignal<bool>,
    delay_minutes: RwSignal<String>,
    reminder_hours: RwSignal<String>,
    suppression_days: RwSignal<String>,
    channels: RwSignal<Vec<ChannelChoice>>,
    language: RwSignal<String>,
    templates: StoredValue<Vec<TemplateFields>>,
}

impl Fields {
    fn new(initial: &InvitationSettings) -> Fields {
        Fields {
            enabled: RwSignal::new(initial.enabled),
            delay_minutes: RwSignal::new(initial.delay_minutes.to_string()),
            reminder_hours: RwSignal::new(initial.reminder_hours.to_string()),
            suppression_days: RwSignal::new(initial.suppression_days.to_string()),
            channels: RwSignal::new(channel_choices(&initial.channel_order)),
            language: RwSignal::new(initial.language.as_str().to_owned()),
            templates: StoredValue::new(template_fields(&initial.templates)),
        }
    }

    /// The settings to save, or the fields that are not numbers.
    fn input(self) -> Result<InvitationSettings, Vec<FieldError>> {
        let delay = number("delay_minutes", &self.delay_minutes.get_untracked());
        let reminder = number("reminder_hours", &self.reminder_hours.get_untracked());
        let suppression = number("suppression_days", &self.suppression_days.get_untracked());
        match (delay, reminder, suppression) {
            (Ok(delay_minutes), Ok(reminder_hours), Ok(suppression_days)) => {
                Ok(InvitationSettings {
                    enabled: self.enabled.get_untracked(),
                    delay_minutes,
                    reminder_hours,
                    suppression_days,
                    channel_order: self.channels.with_untracked(|c| channel_order(c)),
                    language: MessageLanguage::parse(&self.language.get_untracked())
                        .unwrap_or(MessageLanguage::Zh),
                    templates: self
                        .templates
                        .with_value(|t| t.iter().map(TemplateFields::template).collect()),
                })
            }
            (a, b, c) => Err([a.err(), b.err(), c.err()].into_iter().flatten().collect()),
        }
    }
}

/// The settings form: the numbers, the channels, the language and the templates; saved at
/// once with `PUT`.
#[component]
pub fn InvitationSettingsForm(initial: InvitationSettings) -> impl IntoView {
    let i18n = use_i18n();
    let fields = Fields::new(&initial);
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let failure = RwSignal::new(None::<ApiError>);
    let saved = RwSignal::new(false);
    // The template the editor shows: the first one with an error after a refusal.
    let shown = RwSignal::new(0usize);
    let show_first_error = move |found: &[FieldError]| {
        if let Some(index) = found.iter().find_map(|e| template_index(&e.field)) {
            shown.set(index);
        }
        focus_first_invalid(FORM_ID);
    };
    let action = Action::new_local(move |input: &InvitationSettings| {
        let input = input.clone();
        async move {
            match api::invitations::save_settings(&input).await {
                Ok(_) => {
                    errors.set(Vec::new());
                    saved.set(true);
                }
                Err(error) => refused(error, failure, |found| {
                    show_first_error(&found);
                    errors.set(found);
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
        match fields.input() {
            Ok(input) => {
                errors.set(Vec::new());
                action.dispatch_local(input);
            }
            Err(found) => {
                errors.set(found);
                focus_first_invalid(FORM_ID);
            }
        }
    };
    let text = |l: fn(Locale) -> &'static str| Signal::derive(move || l(i18n.get_locale()));
    let hint = |l: fn(Locale) -> &'static str| {
        Signal::derive(move || Some(l(i18n.get_locale()).to_owned()))
    };
    let unit = |l: fn(Locale) -> &'static str| Signal::derive(move || Some(l(i18n.get_locale())));
    let languages = Signal::derive(move || {
        MessageLanguage::ALL
            .map(|l| {
                (
                    l.as_str().to_owned(),
                    l.label(lang(i18n.get_locale())).to_owned(),
                )
            })
            .to_vec()
    });
    let field_error = move |field: &'static str| error_of(errors, field.to_owned());
    view! {
        <form id=FORM_ID class="form panel invitation-form" novalidate on:submit=on_submit aria-labelledby="invitation-general-title">
            <h2 id="invitation-general-title">{tr(i18n, |l| td_string!(l, invitations.general_heading))}</h2>
            <div class="field">
                <label class="checkbox" for="invitations-enabled">
                    <input type="checkbox" role="switch" id="invitations-enabled" aria-describedby="invitations-enabled-hint" bind:checked=fields.enabled />
                    {tr(i18n, |l| td_string!(l, invitations.enabled))}
                </label>
                <p class="field-hint" id="invitations-enabled-hint">{tr(i18n, |l| td_string!(l, invitations.enabled_hint))}</p>
            </div>
            <ConfigField id="delay_minutes" label=text(|l| td_string!(l, invitations.delay)) value=fields.delay_minutes input_type="number" unit=unit(|l| td_string!(l, invitations.unit_minutes)) hint=hint(|l| td_string!(l, invitations.delay_hint)) error=field_error("delay_minutes") />
            <ConfigField id="reminder_hours" label=text(|l| td_string!(l, invitations.reminder)) value=fields.reminder_hours input_type="number" unit=unit(|l| td_string!(l, invitations.unit_hours)) hint=hint(|l| td_string!(l, invitations.reminder_hint)) error=field_error("reminder_hours") />
            <ConfigField id="suppression_days" label=text(|l| td_string!(l, invitations.suppression)) value=fields.suppression_days input_type="number" unit=unit(|l| td_string!(l, invitations.unit_days)) hint=hint(|l| td_string!(l, invitations.suppression_hint)) error=field_error("suppression_days") />
            <ChannelOrder choices=fields.channels error=field_error("channel_order") />
            <SelectField id="invitation-language" label=text(|l| td_string!(l, invitations.language)) value=fields.language options=languages error=field_error("language") />
            <Templates templates=fields.templates errors shown />
            <AlertFailure failure />
            <div role="status">
                {move || saved.get().then(|| view! { <p class="notice notice-success">{tr(i18n, |l| td_string!(l, invitations.saved))}</p> })}
            </div>
            <SubmitButton pending=action.pending() label={|l| td_string!(l, invitations.save)} busy={|l| td_string!(l, reports.saving)} />
        </form>
    }
}

/// The channels in the order they are tried: each on or off, moved up or down by buttons.
#[component]
fn ChannelOrder(
    /// The channels in their order, and whether each is used.
    choices: RwSignal<Vec<ChannelChoice>>,
    /// What is wrong with the order.
    error: Signal<Option<FieldError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let moved = RwSignal::new(None::<(InvitationChannel, usize)>);
    let name = move |c: InvitationChannel| c.label(lang(i18n.get_locale()));
    let count = move || choices.with(Vec::len);
    let position = move |channel: InvitationChannel| {
        choices.with(|c| c.iter().position(|(x, _)| *x == channel).unwrap_or(0))
    };
    let shift = move |channel: InvitationChannel, up: bool| {
        let from = position(channel);
        let to = if up {
            from.checked_sub(1)
        } else {
            Some(from + 1)
        };
        let Some(to) = to.filter(|to| *to < count()) else {
            return;
        };
        choices.update(|c| c.swap(from, to));
        moved.set(Some((channel, to + 1)));
        // The button keeps the focus, or its twin once the channel reaches an end.
        let first = to == 0;
        let last = to + 1 == count();
        let id = match (up, first, last) {
            (true, true, _) => button_id(channel, false),
            (false, _, true) => button_id(channel, true),
            _ => button_id(channel, up),
        };
        request_animation_frame(move || {
            if let Some(button) = document().get_element_by_id(&id) {
                let _ =
                    wasm_bindgen::JsCast::unchecked_into::<web_sys::HtmlElement>(button).focus();
            }
        });
    };
    let invalid = move || error.with(Option::is_some);
    view! {
        <fieldset class="fieldset channel-order" class:field-invalid=invalid aria-describedby="channel-order-hint">
            <legend>{tr(i18n, |l| td_string!(l, invitations.channels))}</legend>
            <p class="field-hint" id="channel-order-hint">{tr(i18n, |l| td_string!(l, invitations.channels_hint))}</p>
            <ol class="channel-order-list">
                <For each=move || choices.get() key=|(c, _)| *c let((channel, _))>
                    <li class="channel-order-item">
                        <label class="checkbox" for=format!("channel-{}", channel.as_str())>
                            <input
                                type="checkbox"
                                id=format!("channel-{}", channel.as_str())
                                aria-invalid=move || invalid().then_some("true")
                                prop:checked=move || choices.with(|c| c.iter().any(|(x, used)| *x == channel && *used))
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    choices.update(|c| {
                                        if let Some(choice) = c.iter_mut().find(|(x, _)| *x == channel) {
                                            choice.1 = on;
                                        }
                                    });
                                }
                            />
                            <span class="channel-order-position">{move || position(channel) + 1} ". "</span>
                            {move || name(channel)}
                        </label>
                        <span class="row-actions">
                            <button
                                type="button"
                                class="button button-small button-secondary"
                                id=button_id(channel, true)
                                aria-label=move || td_string!(i18n.get_locale(), invitations.move_up, channel = name(channel))
                                aria-disabled=move || (position(channel) == 0).then_some("true")
                                on:click=move |_| shift(channel, true)
                            >
                                {tr(i18n, |l| td_string!(l, invitations.up))}
                            </button>
                            <button
                                type="button"
                                class="button button-small button-secondary"
                                id=button_id(channel, false)
                                aria-label=move || td_string!(i18n.get_locale(), invitations.move_down, channel = name(channel))
                                aria-disabled=move || (position(channel) + 1 == count()).then_some("true")
                                on:click=move |_| shift(channel, false)
                            >
                                {tr(i18n, |l| td_string!(l, invitations.down))}
                            </button>
                        </span>
                    </li>
                </For>
            </ol>
            <p class="visually-hidden" role="status">
                {move || moved.get().map(|(channel, at)| td_string!(i18n.get_locale(), invitations.moved, channel = name(channel), position = at))}
            </p>
            {move || error.get().map(|error| view! {
                <p class="field-error" id="channel-order-error">{invitation_error_text(i18n, &error)}</p>
            })}
        </fieldset>
    }
}

/// The id of a channel's up (or down) button.
fn button_id(channel: InvitationChannel, up: bool) -> String {
    format!(
        "channel-{}-{}",
        channel.as_str(),
        if up { "up" } else { "down" }
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn the_channels_used_come_first_in_their_order_then_the_others_off() {
        let choices = channel_choices(&[InvitationChannel::Email, InvitationChannel::Sms]);
        assert_eq!(
            choices,
            [
                (InvitationChannel::Email, true),
                (InvitationChannel::Sms, true),
                (InvitationChannel::Webhook, false),
            ]
        );
        assert_eq!(
            channel_order(&choices),
            [InvitationChannel::Email, InvitationChannel::Sms]
        );
        assert_eq!(channel_choices(&[]).len(), 3);
        assert!(channel_order(&channel_choices(&[])).is_empty());
    }

    #[test]
    fn a_number_field_that_is_not_a_whole_number_is_named() {
        assert_eq!(number("delay_minutes", " 30 "), Ok(30));
        let error = number("delay_minutes", "-1").unwrap_err();
        assert_eq!(
            (error.field.as_str(), error.code.as_str()),
            ("delay_minutes", "not_a_number")
        );
    }
}
