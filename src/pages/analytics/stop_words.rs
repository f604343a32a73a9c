//! The word cloud's extra stop words (`/admin/analytics/stop-words`): words admins leave out
//! of the word cloud besides the built-in list; added here and removed (after asking).

use leptos::either::Either;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::components::A;
use pingjia_domain::analytics::{NewStopWord, STOP_WORD_MAX_CHARS, StopWord};

use super::DASHBOARD_PATH;
use crate::api::analytics::STOP_WORD_EXISTS;
use crate::api::{self, ApiError};
use crate::components::confirm::{ConfirmDialog, Pending};
use crate::components::error_panel::{ErrorPanel, error_message};
use crate::components::form::focus_first_invalid;
use crate::components::loading::Loading;
use crate::components::page::PageTitle;
use crate::format::{fill, local_time};
use crate::i18n::{Locale, td_string, use_i18n};
use crate::locale::tr;
use crate::outbox;

/// What the last change did, announced.
#[derive(Debug, Clone, PartialEq)]
enum Change {
    Added(String),
    Removed(String),
}

/// What is wrong with a stop word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StopWordProblem {
    Blank,
    TooLong,
    /// Several words, or spaces.
    NotOneWord,
    /// In the built-in list already.
    BuiltIn,
    /// Added already.
    Exists,
    /// Anything else, in the server's words.
    Other(String),
}

impl StopWordProblem {
    /// The problem a field error's code names.
    pub fn from_code(code: &str, message: &str) -> StopWordProblem {
        match code {
            "required" => StopWordProblem::Blank,
            "too_long" => StopWordProblem::TooLong,
            "one_word" => StopWordProblem::NotOneWord,
            "builtin" => StopWordProblem::BuiltIn,
            "duplicate" | STOP_WORD_EXISTS => StopWordProblem::Exists,
            _ => StopWordProblem::Other(message.to_owned()),
        }
    }

    /// The problem in words.
    pub fn text(&self, locale: Locale) -> String {
        match self {
            StopWordProblem::Blank => td_string!(locale, analytics.stop_word_required).to_owned(),
            StopWordProblem::TooLong => fill(
                td_string!(locale, analytics.stop_word_too_long),
                &[&STOP_WORD_MAX_CHARS.to_string()],
            ),
            StopWordProblem::NotOneWord => {
                td_string!(locale, analytics.stop_word_one_word).to_owned()
            }
            StopWordProblem::BuiltIn => td_string!(locale, analytics.stop_word_builtin).to_owned(),
            StopWordProblem::Exists => td_string!(locale, analytics.stop_word_exists).to_owned(),
            StopWordProblem::Other(message) => message.clone(),
        }
    }
}

/// The problem with the word in a refused request, if the refusal names it.
fn word_problem(error: &ApiError) -> Option<StopWordProblem> {
    if let ApiError::Conflict(_) = error {
        return Some(StopWordProblem::Exists);
    }
    let field = error.problem()?.field("word")?;
    Some(StopWordProblem::from_code(&field.code, &field.message))
}

/// The stop words page: the add form, then every added word with a way to remove it.
#[component]
pub fn StopWordsPage() -> impl IntoView {
    const FORM_ID: &str = "add-stop-word-form";
    let i18n = use_i18n();
    let version = RwSignal::new(0u32);
    let words = LocalResource::new(move || {
        version.track();
        api::analytics::stop_words()
    });
    let changed = RwSignal::new(None::<Change>);
    let word = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<StopWordProblem>);
    let invalid = move || problem.with(Option::is_some);
    let failure = RwSignal::new(None::<ApiError>);
    let removing = RwSignal::new(None::<String>);
    // The key of the last request and its word: a retry of the same word reuses it.
    let sent = StoredValue::new(None::<(String, String)>);
    let add = Action::new_local(move |(key, text): &(String, String)| {
        let (key, request) = (key.clone(), NewStopWord { word: text.clone() });
        async move {
            match api::analytics::add_stop_word(&key, &request).await {
                Ok(added) => {
                    word.set(String::new());
                    sent.set_value(None);
                    changed.set(Some(Change::Added(added.word)));
                    version.update(|v| *v += 1);
                }
                Err(error) => match word_problem(&error) {
                    Some(found) => {
                        problem.set(Some(found));
                        focus_first_invalid(FORM_ID);
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
        match (NewStopWord {
            word: word.get_untracked(),
        })
        .check()
        {
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
            Err(errors) => {
                let found = errors.first().map_or(StopWordProblem::Blank, |e| {
                    StopWordProblem::from_code(&e.code, &e.message)
                });
                problem.set(Some(found));
                focus_first_invalid(FORM_ID);
            }
        }
    };
    let on_remove = Callback::new(move |text: String| {
        changed.set(None);
        removing.set(Some(text));
    });
    view! {
        <PageTitle page=Signal::derive(move || td_string!(i18n.get_locale(), analytics.stop_words_title)) />
        <div class="page-head">
            <h1>{tr(i18n, |l| td_string!(l, analytics.stop_words_title))}</h1>
            <p class="page-actions">
                <A href=DASHBOARD_PATH attr:class="button button-secondary">
                    {tr(i18n, |l| td_string!(l, analytics.back))}
                </A>
            </p>
        </div>
        <p class="lead">{tr(i18n, |l| td_string!(l, analytics.stop_words_intro))}</p>
        <form id=FORM_ID class="form add-term" novalidate on:submit=on_submit>
            <div class="field" class:field-invalid=invalid>
                <label for="new-stop-word">{tr(i18n, |l| td_string!(l, analytics.stop_word))}</label>
                <p id="new-stop-word-hint" class="field-hint">
                    {move || fill(td_string!(i18n.get_locale(), analytics.stop_word_hint), &[&STOP_WORD_MAX_CHARS.to_string()])}
                </p>
                <input
                    id="new-stop-word"
                    name="word"
                    type="text"
                    autocomplete="off"
                    spellcheck="false"
                    aria-required="true"
                    aria-invalid=move || invalid().then_some("true")
                    aria-describedby=move || {
                        if invalid() { "new-stop-word-hint new-stop-word-error" } else { "new-stop-word-hint" }
                    }
                    bind:value=word
                />
                {move || problem.get().map(|found| view! {
                    <p id="new-stop-word-error" class="field-error">{found.text(i18n.get_locale())}</p>
                })}
            </div>
            <div class="form-actions">
                <button
                    type="submit"
                    class="button"
                    aria-disabled=move || add.pending().get().then_some("true")
                >
                    {tr(i18n, |l| td_string!(l, analytics.add_stop_word))}
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
                let locale = i18n.get_locale();
                changed.get().map(|change| match change {
                    Change::Added(w) => fill(td_string!(locale, analytics.stop_word_added), &[&w]),
                    Change::Removed(w) => fill(td_string!(locale, analytics.stop_word_removed), &[&w]),
                })
            }}
        </p>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match words.await {
                    Ok(list) => Either::Left(view! { <StopWordList list on_remove /> }),
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
                Box::pin(async move {
                    api::analytics::remove_stop_word(&target).await?;
                    changed.set(Some(Change::Removed(target)));
                    version.update(|v| *v += 1);
                    Ok(())
                })
            });
            let title = fill(td_string!(i18n.get_locale_untracked(), analytics.remove_title), &[&text]);
            view! {
                <ConfirmDialog
                    title=title.into_any()
                    body=tr(i18n, |l| td_string!(l, analytics.remove_body)).into_any()
                    confirm=tr(i18n, |l| td_string!(l, analytics.remove)).into_any()
                    on_confirm
                    on_close=Callback::new(move |()| removing.set(None))
                />
            }
        })}
    }
}

/// Every added stop word, with who added it and when, and its remove button.
#[component]
fn StopWordList(
    /// The stop words.
    list: Vec<StopWord>,
    /// Asks to remove a word.
    on_remove: Callback<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    if list.is_empty() {
        return Either::Left(view! {
            <p class="notice notice-empty">{tr(i18n, |l| td_string!(l, analytics.stop_words_empty))}</p>
        });
    }
    let count = list.len();
    let label = move |text: fn(Locale) -> &'static str| move || text(i18n.get_locale());
    Either::Right(view! {
        <p class="list-count">
            {move || fill(td_string!(i18n.get_locale(), analytics.stop_words_count), &[&count.to_string()])}
        </p>
        <table class="data-table terms-table">
            <caption class="visually-hidden">{tr(i18n, |l| td_string!(l, analytics.stop_words_caption))}</caption>
            <thead>
                <tr>
                    <th scope="col">{tr(i18n, |l| td_string!(l, analytics.stop_word))}</th>
                    <th scope="col">{tr(i18n, |l| td_string!(l, analytics.added_by))}</th>
                    <th scope="col">{tr(i18n, |l| td_string!(l, analytics.added_at))}</th>
                    <th scope="col">{tr(i18n, |l| td_string!(l, analytics.actions))}</th>
                </tr>
            </thead>
            <tbody>
                {list
                    .into_iter()
                    .enumerate()
                    .map(|(index, entry)| {
                        let word_id = format!("stop-word-{index}");
                        let remove_id = format!("stop-word-{index}-remove");
                        let labelled = format!("{remove_id} {word_id}");
                        let text = entry.word.clone();
                        view! {
                            <tr>
                                <th scope="row" id=word_id data-label=label(|l| td_string!(l, analytics.stop_word))>
                                    {entry.word.clone()}
                                </th>
                                <td data-label=label(|l| td_string!(l, analytics.added_by))>{entry.added_by.clone()}</td>
                                <td data-label=label(|l| td_string!(l, analytics.added_at))>{local_time(entry.added_at)}</td>
                                <td data-label=label(|l| td_string!(l, analytics.actions))>
                                    <button
                                        type="button"
                                        class="button button-secondary button-small"
                                        id=remove_id
                                        aria-labelledby=labelled
                                        on:click=move |_| on_remove.run(text.clone())
                                    >
                                        {tr(i18n, |l| td_string!(l, analytics.remove))}
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
