//! The keys the helpdesk sends its service records with (`/admin/api-keys`).

use leptos::either::Either;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use pingjia_domain::wire::{ApiKey, CreatedApiKey, NewApiKey};
use wasm_bindgen::JsCast;

use super::{Message, Outcome, OutcomeMessage};
use crate::api::{self, ApiError};
use crate::components::confirm::{ConfirmDialog, Pending};
use crate::components::copy_text::copy_to_clipboard;
use crate::components::data_table::{Column, DataTable, Loaded, Rows};
use crate::components::form::config::ConfigField;
use crate::components::form::failure::{AlertFailure, refused};
use crate::components::form::{FieldErrors, focus_first_invalid};
use crate::components::page::PageTitle;
use crate::format::local_time;
use crate::i18n::{t, t_string, td_string, use_i18n};

/// Longest key name the form accepts.
const MAX_KEY_NAME_LEN: usize = 50;

/// The API keys page: create a key, see its secret once, list and revoke keys.
#[component]
pub fn AdminApiKeys() -> impl IntoView {
    let i18n = use_i18n();
    let changed = RwSignal::new(0u32);
    let keys = LocalResource::new(move || {
        changed.track();
        api::admin_config::api_keys()
    });
    let outcome = RwSignal::new(None::<Outcome>);
    let created = RwSignal::new(None::<CreatedApiKey>);
    let revoking = RwSignal::new(None::<ApiKey>);
    view! {
        <PageTitle page=Signal::derive(move || t_string!(i18n, config.keys_title)) />
        <h1>{t!(i18n, config.keys_title)}</h1>
        <p class="lead">{t!(i18n, config.keys_intro)}</p>
        <NewKeyForm on_created=Callback::new(move |key: CreatedApiKey| {
            outcome.set(None);
            created.set(Some(key));
            changed.update(|n| *n += 1);
        }) />
        {move || created.get().map(|key| view! { <Secret key /> })}
        <OutcomeMessage outcome />
        <section class="config-section" aria-labelledby="keys-list-heading">
            <h2 id="keys-list-heading">{t!(i18n, config.keys_list_heading)}</h2>
            <Loaded
                resource=keys
                view=move |keys| view! {
                            <KeyList keys on_revoke=Callback::new(move |key| { outcome.set(None); revoking.set(Some(key)) }) />
                        }
            />
        </section>
        {move || revoking.get().map(|key| {
            let id = key.id;
            let name = key.name.clone();
            let on_confirm = Callback::new(move |()| -> Pending {
                let name = name.clone();
                Box::pin(async move {
                    api::admin_config::revoke_api_key(id).await?;
                    outcome.set(Some(Outcome::Done(Message::KeyRevoked(name))));
                    changed.update(|n| *n += 1);
                    Ok(())
                })
            });
            view! {
                <ConfirmDialog
                    title=t!(i18n, config.revoke_title, name = key.name.clone()).into_any()
                    body=t!(i18n, config.revoke_body).into_any()
                    confirm=t!(i18n, config.revoke).into_any()
                    on_confirm
                    on_close=Callback::new(move |()| revoking.set(None))
                />
            }
        })}
    }
}

/// Names and creates a key.
#[component]
fn NewKeyForm(
    /// Called with the new key and its secret.
    on_created: Callback<CreatedApiKey>,
) -> impl IntoView {
    const FORM_ID: &str = "new-key-form";
    let i18n = use_i18n();
    let name = RwSignal::new(String::new());
    let errors = FieldErrors::default();
    let failure = RwSignal::new(None::<ApiError>);
    let action = Action::new_local(move |key: &NewApiKey| {
        let key = key.clone();
        async move {
            match api::admin_config::create_api_key(&key).await {
                Ok(created) => {
                    name.set(String::new());
                    on_created.run(created);
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
        failure.set(None);
        let text = name.get_untracked().trim().to_owned();
        let problem = if text.is_empty() {
            Some(pingjia_domain::FieldError::new(
                "name", "required", "required",
            ))
        } else if text.chars().count() > MAX_KEY_NAME_LEN {
            Some(pingjia_domain::FieldError::new(
                "name", "too_long", "too long",
            ))
        } else {
            None
        };
        match problem {
            Some(problem) => {
                errors.set(vec![problem]);
                focus_first_invalid(FORM_ID);
            }
            None => {
                errors.clear();
                action.dispatch_local(NewApiKey { name: text });
            }
        }
    };
    view! {
        <form id=FORM_ID class="panel form" novalidate on:submit=on_submit aria-labelledby="new-key-heading">
            <h2 id="new-key-heading">{t!(i18n, config.new_key)}</h2>
            <ConfigField
                id="key-name"
                label=Signal::derive(move || t_string!(i18n, config.key_name))
                hint=Signal::derive(move || Some(t_string!(i18n, config.key_name_hint).to_owned()))
                value=name
                error=errors.of("name")
            />
            <AlertFailure failure />
            <div class="form-actions">
                <button type="submit" class="button" aria-disabled=move || action.pending().get().then_some("true")>
                    {t!(i18n, config.create_key)}
                </button>
            </div>
        </form>
    }
}

/// A new key's secret, shown this once, with a copy button.
#[component]
fn Secret(
    /// The new key.
    key: CreatedApiKey,
) -> impl IntoView {
    let i18n = use_i18n();
    let copied = RwSignal::new(None::<bool>);
    let secret = key.secret.clone();
    let copy = Action::new_local(move |text: &String| {
        let text = text.clone();
        async move { copied.set(Some(copy_to_clipboard(&text).await)) }
    });
    view! {
        <section class="notice notice-warn secret" role="alert" aria-labelledby="secret-heading">
            <h2 id="secret-heading" class="notice-title">{t!(i18n, config.secret_heading, name = key.key.name.clone())}</h2>
            <p>{t!(i18n, config.secret_warning)}</p>
            <div class="field">
                <label for="key-secret">{t!(i18n, config.secret_label)}</label>
                <div class="field-control">
                    <input id="key-secret" type="text" class="mono" readonly prop:value=secret.clone() on:focus=move |ev| {
                        if let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                            input.select();
                        }
                    } />
                    <button type="button" class="button" on:click=move |_| { copy.dispatch_local(secret.clone()); }>
                        {t!(i18n, config.copy)}
                    </button>
                </div>
            </div>
            <p role="status">
                {move || copied.get().map(|ok| if ok { t_string!(i18n, config.copied) } else { t_string!(i18n, config.copy_failed) })}
            </p>
        </section>
    }
}

/// Every key.
#[component]
fn KeyList(
    /// The keys.
    keys: Vec<ApiKey>,
    /// Asks to revoke a key.
    on_revoke: Callback<ApiKey>,
) -> impl IntoView {
    let i18n = use_i18n();
    if keys.is_empty() {
        return Either::Left(
            view! { <p class="notice notice-empty">{t!(i18n, config.no_keys)}</p> },
        );
    }
    let columns = vec![
        Column::new(
            |l| td_string!(l, config.key_name),
            |key: &ApiKey| key.name.clone(),
        )
        .row_header(Some(|key: &ApiKey| format!("key-{}", key.id))),
        Column::new(
            |l| td_string!(l, config.key_prefix),
            |key: &ApiKey| {
                view! { <span class="mono">{key.prefix.clone()} "…"</span> }
            },
        ),
        Column::new(
            |l| td_string!(l, config.created_at),
            |key: &ApiKey| local_time(key.created_at),
        ),
        Column::new(
            |l| td_string!(l, config.last_used),
            move |key: &ApiKey| {
                let used = key.last_used_at;
                move || {
                    used.map(local_time)
                        .unwrap_or_else(|| t_string!(i18n, config.never).to_owned())
                }
            },
        ),
        Column::new(
            |l| td_string!(l, config.status),
            move |key: &ApiKey| {
                let revoked = key.revoked_at;
                view! {
                    <span class="badge" class:badge-off=revoked.is_some()>
                        {match revoked {
                            Some(at) => t!(i18n, config.revoked_at, at = local_time(at)).into_any(),
                            None => t!(i18n, config.key_active).into_any(),
                        }}
                    </span>
                }
            },
        ),
        Column::new(
            |l| td_string!(l, config.actions),
            move |key: &ApiKey| {
                let id = format!("key-{}", key.id);
                let target = key.clone();
                key.revoked_at.is_none().then(|| {
                    view! {
                        <button
                            type="button"
                            class="button button-secondary button-small"
                            id=format!("{id}-revoke")
                            aria-labelledby=format!("{id}-revoke {id}")
                            on:click=move |_| on_revoke.run(target.clone())
                        >
                            {t!(i18n, config.revoke)}
                        </button>
                    }
                })
            },
        ),
    ];
    let revoked = |key: &ApiKey| Signal::stored(key.revoked_at.is_some());
    Either::Right(view! {
        <DataTable
            class="data-table"
            caption=|l| td_string!(l, config.keys_list_heading)
            roles=true
            columns
            rows=keys
            row=Rows::default().flag("row-disabled", revoked)
        />
    })
}
