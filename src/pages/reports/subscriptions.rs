//! The e-mail subscriptions of the reports: who receives the weekly or monthly report of the
//! company or a team. Listed with their state; created and changed in a form (recipients one
//! per line, the server's word on a bad address beside the field, naming its line); paused and
//! resumed; deleted after a confirmation.

use leptos::either::Either;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use pingjia_domain::FieldError;
use pingjia_domain::reports::{MAX_RECIPIENTS, ReportKind, Subscription, SubscriptionInput};
use pingjia_domain::users::Team;

use super::{ReportArea, kind_name, scope_name};
use crate::api::{self, ApiError};
use crate::components::confirm::{ConfirmDialog, Pending};
use crate::components::data_table::Loaded;
use crate::components::error_panel::error_message;
use crate::components::form::failure::AlertFailure;
use crate::components::form::{RadioGroup, SelectField, field_error_text, focus_first_invalid};
use crate::format::local_time;
use crate::i18n::{Locale, td_string, use_i18n};
use crate::locale::tr;

/// A subscription's team in the interface language (`None`: the whole company).
fn team_of(locale: crate::i18n::Locale, subscription: &Subscription) -> Option<String> {
    let zh = subscription.team_name.as_deref()?;
    Some(crate::labels::team_name(
        locale,
        zh,
        subscription.team_name_en.as_deref(),
    ))
}

const FORM_ID: &str = "subscription-form";

/// The lines of the recipients' text area that hold something: (line number from 1, text).
pub fn recipient_lines(text: &str) -> Vec<(usize, String)> {
    text.lines()
        .enumerate()
        .map(|(i, line)| (i + 1, line.trim().to_owned()))
        .filter(|(_, line)| !line.is_empty())
        .collect()
}

/// A recipients error in words; `lines` are the lines that were sent, so `recipients[i]`
/// names its line and address.
pub fn recipients_error_text(
    locale: Locale,
    error: &FieldError,
    lines: &[(usize, String)],
) -> String {
    let index = error
        .field
        .strip_prefix("recipients[")
        .and_then(|rest| rest.strip_suffix(']'))
        .and_then(|i| i.parse::<usize>().ok());
    match (index, error.code.as_str()) {
        (Some(i), _) => match lines.get(i) {
            Some((line, text)) => td_string!(
                locale,
                reports.recipient_invalid,
                line = line.to_string(),
                text = text
            ),
            None => error.message.clone(),
        },
        (None, "required") => td_string!(locale, reports.recipients_required).to_owned(),
        (None, "too_many") => td_string!(
            locale,
            reports.recipients_too_many,
            max = MAX_RECIPIENTS.to_string()
        ),
        (None, _) => error.message.clone(),
    }
}

/// The subscriptions section of the reports hub.
#[component]
pub fn SubscriptionsPanel(
    /// Whose hub.
    area: ReportArea,
    /// The teams an admin may pick.
    teams: Signal<Vec<Team>>,
    /// A lead's own team.
    lead_team: Option<(i64, String)>,
) -> impl IntoView {
    let i18n = use_i18n();
    let list = LocalResource::new(api::reports::subscriptions);
    let editing = RwSignal::new(None::<Option<Subscription>>);
    let deleting = RwSignal::new(None::<Subscription>);
    let notice = RwSignal::new(None::<Result<String, ApiError>>);
    let toggle = Action::new_local(move |subscription: &Subscription| {
        let subscription = subscription.clone();
        async move {
            let input = SubscriptionInput {
                kind: subscription.kind,
                team_id: subscription.team_id,
                recipients: subscription.recipients.clone(),
                active: !subscription.active,
            };
            match api::reports::update_subscription(subscription.id, &input).await {
                Ok(saved) => {
                    let locale = i18n.get_locale_untracked();
                    let text = if saved.active {
                        td_string!(locale, reports.resumed)
                    } else {
                        td_string!(locale, reports.paused)
                    };
                    notice.set(Some(Ok(text.to_owned())));
                    list.refetch();
                }
                Err(error) => notice.set(Some(Err(error))),
            }
        }
    });
    let on_saved = Callback::new(move |_: Subscription| {
        editing.set(None);
        notice.set(Some(Ok(td_string!(
            i18n.get_locale_untracked(),
            reports.subscription_saved
        )
        .to_owned())));
        list.refetch();
    });
    let on_cancel = Callback::new(move |()| editing.set(None));
    let lead_team_for_form = lead_team.clone();
    let form = move || {
        editing.get().map(|editing| {
            view! {
                <SubscriptionForm
                    editing
                    area
                    teams
                    lead_team=lead_team_for_form.clone()
                    on_saved
                    on_cancel
                />
            }
        })
    };
    let confirm = move || {
        deleting.get().map(|subscription| {
            let locale = i18n.get_locale_untracked();
            let id = subscription.id;
            let what = format!(
                "{} · {}",
                kind_name(locale, subscription.kind),
                scope_name(locale, team_of(locale, &subscription).as_deref())
            );
            let on_confirm = Callback::new(move |()| -> Pending {
                Box::pin(async move {
                    api::reports::delete_subscription(id).await?;
                    notice.set(Some(Ok(td_string!(
                        i18n.get_locale_untracked(),
                        reports.subscription_deleted
                    )
                    .to_owned())));
                    list.refetch();
                    Ok(())
                })
            });
            view! {
                <ConfirmDialog
                    title=td_string!(locale, reports.delete_title, name = &what).into_any()
                    body=td_string!(locale, reports.delete_body).into_any()
                    confirm=td_string!(locale, reports.delete).into_any()
                    on_confirm
                    on_close=Callback::new(move |()| deleting.set(None))
                />
            }
        })
    };
    view! {
        <section class="panel" aria-labelledby="subscriptions-title">
            <div class="panel-head">
                <h2 id="subscriptions-title">{tr(i18n, |l| td_string!(l, reports.subscriptions_heading))}</h2>
                <button
                    type="button"
                    class="button"
                    aria-expanded=move || editing.with(|e| matches!(e, Some(None))).to_string()
                    on:click=move |_| editing.set(Some(None))
                >
                    {tr(i18n, |l| td_string!(l, reports.new_subscription))}
                </button>
            </div>
            <p class="muted">{tr(i18n, |l| td_string!(l, reports.subscriptions_intro))}</p>
            <div role="status">
                {move || match notice.get() {
                    Some(Ok(text)) => Some(view! { <p class="notice notice-success">{text}</p> }),
                    _ => None,
                }}
            </div>
            <div role="alert">
                {move || match notice.get() {
                    Some(Err(error)) => Some(view! { <p class="notice notice-error">{error_message(i18n, &error)}</p> }),
                    _ => None,
                }}
            </div>
            {form}
            <Loaded
                resource=list
                view=move |subscriptions| view! {
                            <SubscriptionTable subscriptions editing deleting toggle />
                        }
            />
            {confirm}
        </section>
    }
}

/// The subscriptions with their actions.
#[component]
fn SubscriptionTable(
    subscriptions: Vec<Subscription>,
    editing: RwSignal<Option<Option<Subscription>>>,
    deleting: RwSignal<Option<Subscription>>,
    toggle: Action<Subscription, ()>,
) -> impl IntoView {
    let i18n = use_i18n();
    if subscriptions.is_empty() {
        return Either::Left(view! {
            <p class="notice notice-empty">{tr(i18n, |l| td_string!(l, reports.subscriptions_empty))}</p>
        });
    }
    let label = move |f: fn(Locale) -> &'static str| move || f(i18n.get_locale());
    let rows = subscriptions
        .into_iter()
        .map(|subscription| {
            let id = subscription.id;
            let row_id = format!("subscription-{id}");
            let (kind, active) = (subscription.kind, subscription.active);
            let team = subscription.clone();
            let recipients = subscription
                .recipients
                .iter()
                .map(|r| view! { <li>{r.clone()}</li> })
                .collect_view();
            let created = format!(
                "{} · {}",
                subscription.created_by,
                local_time(subscription.created_at)
            );
            let (edit, remove, flip) = (
                subscription.clone(),
                subscription.clone(),
                subscription.clone(),
            );
            let edit_id = format!("{row_id}-edit");
            let toggle_id = format!("{row_id}-toggle");
            let delete_id = format!("{row_id}-delete");
            view! {
                <tr>
                    <th scope="row" id=row_id.clone() data-label=label(|l| td_string!(l, reports.col_subscription))>
                        {move || format!(
                            "{} · {}",
                            kind_name(i18n.get_locale(), kind),
                            scope_name(i18n.get_locale(), team_of(i18n.get_locale(), &team).as_deref())
                        )}
                    </th>
                    <td data-label=label(|l| td_string!(l, reports.recipients))>
                        <ul class="plain-list">{recipients}</ul>
                    </td>
                    <td data-label=label(|l| td_string!(l, reports.col_state))>
                        <span class=if active { "badge" } else { "badge badge-off" }>
                            {move || if active {
                                td_string!(i18n.get_locale(), reports.active)
                            } else {
                                td_string!(i18n.get_locale(), reports.paused_state)
                            }}
                        </span>
                    </td>
                    <td class="mono" data-label=label(|l| td_string!(l, reports.col_first_key))>{subscription.first_key.clone()}</td>
                    <td data-label=label(|l| td_string!(l, reports.col_created))>{created}</td>
                    <td data-label=label(|l| td_string!(l, reports.col_actions))>
                        <div class="row-actions">
                            <button
                                type="button"
                                class="button button-secondary"
                                id=edit_id.clone()
                                aria-labelledby=format!("{edit_id} {row_id}")
                                on:click=move |_| editing.set(Some(Some(edit.clone())))
                            >
                                {tr(i18n, |l| td_string!(l, reports.edit))}
                            </button>
                            <button
                                type="button"
                                class="button button-secondary"
                                id=toggle_id.clone()
                                aria-labelledby=format!("{toggle_id} {row_id}")
                                aria-disabled=move || toggle.pending().get().then_some("true")
                                on:click=move |_| {
                                    if !toggle.pending().get_untracked() {
                                        toggle.dispatch_local(flip.clone());
                                    }
                                }
                            >
                                {move || if active {
                                    td_string!(i18n.get_locale(), reports.pause)
                                } else {
                                    td_string!(i18n.get_locale(), reports.resume)
                                }}
                            </button>
                            <button
                                type="button"
                                class="button button-danger"
                                id=delete_id.clone()
                                aria-labelledby=format!("{delete_id} {row_id}")
                                on:click=move |_| deleting.set(Some(remove.clone()))
                            >
                                {tr(i18n, |l| td_string!(l, reports.delete))}
                            </button>
                        </div>
                    </td>
                </tr>
            }
        })
        .collect_view();
    Either::Right(view! {
        <div class="table-scroll">
            <table class="data-table" data-testid="subscription-table">
                <caption class="visually-hidden">{tr(i18n, |l| td_string!(l, reports.subscriptions_heading))}</caption>
                <thead>
                    <tr>
                        <th scope="col">{tr(i18n, |l| td_string!(l, reports.col_subscription))}</th>
                        <th scope="col">{tr(i18n, |l| td_string!(l, reports.recipients))}</th>
                        <th scope="col">{tr(i18n, |l| td_string!(l, reports.col_state))}</th>
                        <th scope="col">{tr(i18n, |l| td_string!(l, reports.col_first_key))}</th>
                        <th scope="col">{tr(i18n, |l| td_string!(l, reports.col_created))}</th>
                        <th scope="col">{tr(i18n, |l| td_string!(l, reports.col_actions))}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    })
}

/// Creates a subscription (`editing` is `None`) or changes one.
#[component]
pub fn SubscriptionForm(
    /// The subscription changed, or `None` for a new one.
    editing: Option<Subscription>,
    /// Whose hub.
    area: ReportArea,
    /// The teams an admin may pick.
    #[prop(into)]
    teams: Signal<Vec<Team>>,
    /// A lead's own team (id and name): the only scope a lead has.
    #[prop(optional_no_strip)]
    lead_team: Option<(i64, String)>,
    /// Called with the saved subscription.
    on_saved: Callback<Subscription>,
    /// Called when the user gives up.
    on_cancel: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = editing.as_ref().map(|s| s.id);
    let kind = RwSignal::new(
        editing
            .as_ref()
            .map_or(ReportKind::Week, |s| s.kind)
            .as_str()
            .to_owned(),
    );
    let team = RwSignal::new(
        editing
            .as_ref()
            .and_then(|s| s.team_id)
            .map(|t| t.to_string())
            .unwrap_or_default(),
    );
    let recipients = RwSignal::new(
        editing
            .as_ref()
            .map(|s| s.recipients.join("\n"))
            .unwrap_or_default(),
    );
    let active = RwSignal::new(editing.as_ref().is_none_or(|s| s.active));
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let sent_lines = StoredValue::new(Vec::<(usize, String)>::new());
    let failure = RwSignal::new(None::<ApiError>);
    let idempotency_key = StoredValue::new(crate::outbox::new_key());
    let lead_team_id = lead_team.as_ref().map(|(id, _)| *id);
    let action = Action::new_local(move |input: &SubscriptionInput| {
        let input = input.clone();
        async move {
            let saved = match id {
                Some(id) => api::reports::update_subscription(id, &input).await,
                None => {
                    let key = idempotency_key.get_value();
                    api::reports::create_subscription(&key, &input).await
                }
            };
            match saved {
                Ok(subscription) => {
                    idempotency_key.set_value(crate::outbox::new_key());
                    on_saved.run(subscription);
                }
                Err(error) => match error.problem() {
                    Some(problem) if !problem.errors.is_empty() => {
                        errors.set(problem.errors.clone());
                        focus_first_invalid(FORM_ID);
                    }
                    _ => failure.set(Some(error)),
                },
            }
        }
    });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if action.pending().get_untracked() {
            return;
        }
        failure.set(None);
        let lines = recipient_lines(&recipients.get_untracked());
        let team_id = if area.picks_scope() {
            team.get_untracked().parse::<i64>().ok()
        } else {
            lead_team_id
        };
        let input = SubscriptionInput {
            kind: ReportKind::parse(&kind.get_untracked()).unwrap_or(ReportKind::Week),
            team_id,
            recipients: lines.iter().map(|(_, text)| text.clone()).collect(),
            active: active.get_untracked(),
        };
        sent_lines.set_value(lines);
        match input.check() {
            Ok(_) => {
                errors.set(Vec::new());
                action.dispatch_local(input);
            }
            Err(problems) => {
                errors.set(problems);
                focus_first_invalid(FORM_ID);
            }
        }
    };
    let recipient_errors = Memo::new(move |_| {
        errors.with(|errors| {
            errors
                .iter()
                .filter(|e| e.field == "recipients" || e.field.starts_with("recipients["))
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    let recipients_invalid = move || recipient_errors.with(|e| !e.is_empty());
    let team_error = Signal::derive(move || {
        errors.with(|errors| errors.iter().find(|e| e.field == "team_id").cloned())
    });
    let kind_options = Signal::derive(move || {
        let locale = i18n.get_locale();
        ReportKind::ALL
            .into_iter()
            .map(|k| (k.as_str(), kind_name(locale, k)))
            .collect::<Vec<_>>()
    });
    let scope = if area.picks_scope() {
        let options = Signal::derive(move || {
            let locale = i18n.get_locale();
            std::iter::once((
                String::new(),
                td_string!(locale, reports.company).to_owned(),
            ))
            .chain(teams.get().into_iter().map(|t| (t.id.to_string(), t.name)))
            .collect::<Vec<_>>()
        });
        Either::Left(view! {
            <SelectField
                id="subscription-team"
                label=Signal::derive(move || td_string!(i18n.get_locale(), reports.scope))
                value=team
                options
                error=team_error
            />
        })
    } else {
        let name = lead_team.map(|(_, name)| name).unwrap_or_default();
        Either::Right(view! {
            <div class="field">
                <p class="field-label">{tr(i18n, |l| td_string!(l, reports.scope))}</p>
                <p>{name}</p>
                {move || team_error.get().map(|error| view! {
                    <p class="field-error">{field_error_text(i18n, &error)}</p>
                })}
            </div>
        })
    };
    let heading = move || {
        let locale = i18n.get_locale();
        if id.is_some() {
            td_string!(locale, reports.edit_subscription)
        } else {
            td_string!(locale, reports.new_subscription)
        }
    };
    view! {
        <form id=FORM_ID class="form panel subscription-form" novalidate on:submit=on_submit aria-labelledby="subscription-form-title">
            <h3 id="subscription-form-title">{heading}</h3>
            <RadioGroup
                name="subscription-kind"
                legend=Signal::derive(move || td_string!(i18n.get_locale(), reports.kind))
                value=kind
                options=kind_options
            />
            {scope}
            <div class="field" class:field-invalid=recipients_invalid>
                <label for="subscription-recipients">{tr(i18n, |l| td_string!(l, reports.recipients))}</label>
                <p id="subscription-recipients-hint" class="field-hint">
                    {move || td_string!(i18n.get_locale(), reports.recipients_hint, max = MAX_RECIPIENTS.to_string())}
                </p>
                <textarea
                    id="subscription-recipients"
                    name="subscription-recipients"
                    rows="4"
                    spellcheck="false"
                    autocapitalize="none"
                    aria-required="true"
                    aria-invalid=move || recipients_invalid().then_some("true")
                    aria-describedby=move || {
                        if recipients_invalid() {
                            "subscription-recipients-hint subscription-recipients-error"
                        } else {
                            "subscription-recipients-hint"
                        }
                    }
                    bind:value=recipients
                ></textarea>
                {move || recipients_invalid().then(|| {
                    let locale = i18n.get_locale();
                    let lines = sent_lines.get_value();
                    let messages = recipient_errors
                        .get()
                        .iter()
                        .map(|e| view! { <span class="field-error-line">{recipients_error_text(locale, e, &lines)}</span> })
                        .collect_view();
                    view! { <p id="subscription-recipients-error" class="field-error">{messages}</p> }
                })}
            </div>
            <div class="field">
                <label class="checkbox" for="subscription-active">
                    <input type="checkbox" id="subscription-active" bind:checked=active />
                    {tr(i18n, |l| td_string!(l, reports.active_label))}
                </label>
            </div>
            {id.is_none().then(|| view! {
                <p class="notice" id="subscription-sends-now">{tr(i18n, |l| td_string!(l, reports.sends_now))}</p>
            })}
            <AlertFailure failure />
            <div class="form-actions">
                <button type="submit" class="button" aria-disabled=move || action.pending().get().then_some("true")>
                    {move || if action.pending().get() {
                        td_string!(i18n.get_locale(), reports.saving)
                    } else {
                        td_string!(i18n.get_locale(), reports.save_subscription)
                    }}
                </button>
                <button type="button" class="button button-secondary" on:click=move |_| on_cancel.run(())>
                    {tr(i18n, |l| td_string!(l, reports.cancel))}
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

    #[test]
    fn a_bad_address_is_named_by_its_line() {
        let lines = recipient_lines("ops@example.com\n\n  boss@example \n");
        assert_eq!(
            lines,
            [
                (1, "ops@example.com".to_owned()),
                (3, "boss@example".to_owned())
            ]
        );
        let error = FieldError::new("recipients[1]", "invalid", "not an address");
        assert_eq!(
            recipients_error_text(Locale::zh_CN, &error, &lines),
            "第 3 行“boss@example”不是有效的邮箱地址。"
        );
        let many = FieldError::new("recipients", "too_many", "at most 20");
        assert_eq!(
            recipients_error_text(Locale::en, &many, &lines),
            "At most 20 addresses."
        );
    }
}
