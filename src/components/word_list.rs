//! A page of words admins add and remove (the word cloud's stop words, the abusive-word
//! lexicon): the add form, then every word with who added it and when, and a remove button
//! that asks first. The two lists differ only in their requests, ids and texts.

use std::future::Future;
use std::pin::Pin;

use chrono::{DateTime, Utc};
use leptos::either::Either;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_router::components::A;

use crate::api::ApiError;
use crate::components::confirm::{ConfirmDialog, Pending};
use crate::components::error_panel::{ErrorPanel, error_message};
use crate::components::form::focus_first_invalid;
use crate::components::loading::Loading;
use crate::components::page::PageTitle;
use crate::format::local_time;
use crate::i18n::{Locale, use_i18n};
use crate::locale::tr;
use crate::outbox;

/// One word of a list.
#[derive(Debug, Clone, PartialEq)]
pub struct WordEntry {
    pub word: String,
    /// Who added it; `None` for the words the system shipped with.
    pub added_by: Option<String>,
    pub added_at: DateTime<Utc>,
}

/// What is wrong with a word: the code of its field error and the server's words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WordProblem {
    pub code: String,
    pub message: String,
}

impl WordProblem {
    pub fn new(code: &str, message: &str) -> Self {
        WordProblem {
            code: code.to_owned(),
            message: message.to_owned(),
        }
    }
}

/// A request of the list, started.
pub type Request<T> = Pin<Box<dyn Future<Output = Result<T, ApiError>>>>;

/// A fixed text of the list in a language.
type Text = fn(Locale) -> &'static str;

/// What one word list is: its ids, address, requests and texts.
#[derive(Clone, Copy)]
pub struct WordList {
    /// The id of the add form.
    pub form_id: &'static str,
    /// The id of the input; its hint's and error's derive from it.
    pub input_id: &'static str,
    /// The ids' stem of the words: `{id}-{n}` is the n-th, `{id}-{n}-remove` its button.
    pub id: &'static str,
    /// The input's name.
    pub name: &'static str,
    /// Where the back button goes.
    pub back_href: &'static str,
    /// Every word.
    pub list: fn() -> Request<Vec<WordEntry>>,
    /// Adds a word with an idempotency key (a retry of the same word reuses it); answers the
    /// word as stored.
    pub add: fn(String, String) -> Request<String>,
    /// Removes a word.
    pub remove: fn(String) -> Pending,
    /// The word to send, or what is wrong with what was typed.
    pub check: fn(String) -> Result<String, WordProblem>,
    /// What is wrong with the word in a refused request, if the refusal names it.
    pub refusal: fn(&ApiError) -> Option<WordProblem>,
    pub title: Text,
    pub back: Text,
    pub intro: Text,
    /// The word's label and column.
    pub word: Text,
    pub add_button: Text,
    pub empty: Text,
    pub caption: Text,
    pub added_by: Text,
    pub added_at: Text,
    pub actions: Text,
    pub remove_button: Text,
    pub remove_body: Text,
    /// Who added a word the system shipped with.
    pub built_in: Text,
    /// The input's hint.
    pub hint: fn(I18nContext<Locale>) -> AnyView,
    /// A problem in words.
    pub problem: fn(I18nContext<Locale>, WordProblem) -> AnyView,
    /// "Added “w”.", "Removed “w”.", "Remove “w”?".
    pub added: fn(I18nContext<Locale>, String) -> AnyView,
    pub removed: fn(I18nContext<Locale>, String) -> AnyView,
    pub remove_title: fn(I18nContext<Locale>, String) -> AnyView,
    /// How many words there are.
    pub count: fn(I18nContext<Locale>, usize) -> AnyView,
}

/// What the last change did, announced.
#[derive(Debug, Clone, PartialEq)]
enum Change {
    Added(String),
    Removed(String),
}

/// The page of a word list: the add form, then every word with a way to remove it.
#[component]
pub fn WordListPage(
    /// Which list.
    list: WordList,
) -> impl IntoView {
    let (form_id, input_id) = (list.form_id, list.input_id);
    let hint_id = format!("{input_id}-hint");
    let error_id = format!("{input_id}-error");
    let i18n = use_i18n();
    let version = RwSignal::new(0u32);
    let words = LocalResource::new(move || {
        version.track();
        (list.list)()
    });
    let changed = RwSignal::new(None::<Change>);
    let word = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<WordProblem>);
    let invalid = move || problem.with(Option::is_some);
    let failure = RwSignal::new(None::<ApiError>);
    let removing = RwSignal::new(None::<String>);
    let focus_form = move || focus_first_invalid(form_id);
    // The key of the last request and its word: a retry of the same word reuses it.
    let sent = StoredValue::new(None::<(String, String)>);
    let add = Action::new_local(move |(key, text): &(String, String)| {
        let request = (list.add)(key.clone(), text.clone());
        async move {
            match request.await {
                Ok(added) => {
                    word.set(String::new());
                    sent.set_value(None);
                    changed.set(Some(Change::Added(added)));
                    version.update(|v| *v += 1);
                }
                Err(error) => match (list.refusal)(&error) {
                    Some(found) => {
                        problem.set(Some(found));
                        focus_form();
                    }
                    None => failure.set(Some(error)),
                },
            }
        }
    });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if add.pending().get_untracked() {
            return;
        }
        failure.set(None);
        changed.set(None);
        match (list.check)(word.get_untracked()) {
            Ok(text) => {
                problem.set(None);
                let key = sent
                    .with_value(|sent| {
                        sent.as_ref()
                            .filter(|(_, last)| *last == text)
                            .map(|(key, _)| key.clone())
                    })
                    .unwrap_or_else(outbox::new_key);
                sent.set_value(Some((key.clone(), text.clone())));
                add.dispatch_local((key, text));
            }
            Err(found) => {
                problem.set(Some(found));
                focus_form();
            }
        }
    };
    let on_remove = Callback::new(move |text: String| {
        changed.set(None);
        removing.set(Some(text));
    });
    let described_by = {
        let (hint_id, error_id) = (hint_id.clone(), error_id.clone());
        move || {
            if invalid() {
                format!("{hint_id} {error_id}")
            } else {
                hint_id.clone()
            }
        }
    };
    view! {
        <PageTitle page=Signal::derive(move || (list.title)(i18n.get_locale())) />
        <div class="page-head">
            <h1>{tr(i18n, list.title)}</h1>
            <p class="page-actions">
                <A href=list.back_href attr:class="button button-secondary">
                    {tr(i18n, list.back)}
                </A>
            </p>
        </div>
        <p class="lead">{tr(i18n, list.intro)}</p>
        <form id=form_id class="form add-term" novalidate on:submit=on_submit>
            <div class="field" class:field-invalid=invalid>
                <label for=input_id>{tr(i18n, list.word)}</label>
                <p id=hint_id class="field-hint">
                    {(list.hint)(i18n)}
                </p>
                <input
                    id=input_id
                    name=list.name
                    type="text"
                    autocomplete="off"
                    spellcheck="false"
                    aria-required="true"
                    aria-invalid=move || invalid().then_some("true")
                    aria-describedby=described_by
                    bind:value=word
                />
                {move || problem.get().map(|found| view! {
                    <p id=error_id.clone() class="field-error">{(list.problem)(i18n, found)}</p>
                })}
            </div>
            <div class="form-actions">
                <button
                    type="submit"
                    class="button"
                    aria-disabled=move || add.pending().get().then_some("true")
                >
                    {tr(i18n, list.add_button)}
                </button>
            </div>
            <div role="alert">
                {move || failure.get().map(|error| view! {
                    <p class="notice notice-error">{error_message(i18n, &error)}</p>
                })}
            </div>
        </form>
        <p class="status" role="status">
            {move || {
                changed.get().map(|change| match change {
                    Change::Added(w) => (list.added)(i18n, w),
                    Change::Removed(w) => (list.removed)(i18n, w),
                })
            }}
        </p>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match words.await {
                    Ok(words) => Either::Left(view! { <WordTable list words on_remove /> }),
                    Err(error) => Either::Right(view! {
                        <ErrorPanel error on_retry=Callback::new(move |()| words.refetch()) />
                    }),
                }
            })}
        </Transition>
        {move || removing.get().map(|text| {
            let target = text.clone();
            let on_confirm = Callback::new(move |()| -> Pending {
                let target = target.clone();
                let request = (list.remove)(target.clone());
                Box::pin(async move {
                    request.await?;
                    changed.set(Some(Change::Removed(target)));
                    version.update(|v| *v += 1);
                    Ok(())
                })
            });
            view! {
                <ConfirmDialog
                    title=(list.remove_title)(i18n, text)
                    body=tr(i18n, list.remove_body).into_any()
                    confirm=tr(i18n, list.remove_button).into_any()
                    on_confirm
                    on_close=Callback::new(move |()| removing.set(None))
                />
            }
        })}
    }
}

/// Every word, with who added it and when, and its remove button.
#[component]
fn WordTable(
    /// Which list.
    list: WordList,
    /// The words.
    words: Vec<WordEntry>,
    /// Asks to remove a word.
    on_remove: Callback<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    if words.is_empty() {
        return Either::Left(view! {
            <p class="notice notice-empty">{tr(i18n, list.empty)}</p>
        });
    }
    let count = words.len();
    let label = move |text: Text| move || text(i18n.get_locale());
    Either::Right(view! {
        <p class="list-count">{(list.count)(i18n, count)}</p>
        <table class="data-table terms-table">
            <caption class="visually-hidden">{tr(i18n, list.caption)}</caption>
            <thead>
                <tr>
                    <th scope="col">{tr(i18n, list.word)}</th>
                    <th scope="col">{tr(i18n, list.added_by)}</th>
                    <th scope="col">{tr(i18n, list.added_at)}</th>
                    <th scope="col">{tr(i18n, list.actions)}</th>
                </tr>
            </thead>
            <tbody>
                {words
                    .into_iter()
                    .enumerate()
                    .map(|(index, entry)| {
                        let word_id = format!("{}-{index}", list.id);
                        let remove_id = format!("{}-{index}-remove", list.id);
                        let labelled = format!("{remove_id} {word_id}");
                        let text = entry.word.clone();
                        view! {
                            <tr>
                                <th scope="row" id=word_id data-label=label(list.word)>
                                    {entry.word.clone()}
                                </th>
                                <td data-label=label(list.added_by)>
                                    {match entry.added_by {
                                        Some(name) => Either::Left(name),
                                        None => Either::Right(tr(i18n, list.built_in)),
                                    }}
                                </td>
                                <td data-label=label(list.added_at)>{local_time(entry.added_at)}</td>
                                <td data-label=label(list.actions)>
                                    <button
                                        type="button"
                                        class="button button-secondary button-small"
                                        id=remove_id
                                        aria-labelledby=labelled
                                        on:click=move |_| on_remove.run(text.clone())
                                    >
                                        {tr(i18n, list.remove_button)}
                                    </button>
                                </td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    })
}
