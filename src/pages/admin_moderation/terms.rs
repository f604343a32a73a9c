//! The abusive-word lexicon (`/admin/moderation/terms`): the terms that flag a suggestion as
//! abusive at submission; admins add and remove them (removing asks first).

use leptos::either::Either;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::components::A;
use pingjia_domain::moderation::{AbusiveTerm, NewAbusiveTerm, TERM_MAX_CHARS};

use super::MODERATION_PATH;
use crate::api::{self, ApiError};
use crate::components::confirm::{ConfirmDialog, Pending};
use crate::components::error_panel::{ErrorPanel, error_message};
use crate::components::form::focus_first_invalid;
use crate::components::loading::Loading;
use crate::components::page::PageTitle;
use crate::format::local_time;
use crate::i18n::{t, t_string, use_i18n};

/// What the last change did, announced.
#[derive(Debug, Clone, PartialEq)]
enum Change {
    Added(String),
    Removed(String),
}

/// What is wrong with a term, by the code of its field error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TermProblem {
    Blank,
    TooLong,
    /// Already in the lexicon.
    Duplicate,
    /// Anything else, in the server's words.
    Other(String),
}

impl TermProblem {
    /// The problem a field error's code names.
    pub fn from_code(code: &str, message: &str) -> TermProblem {
        match code {
            "required" => TermProblem::Blank,
            "too_long" => TermProblem::TooLong,
            "duplicate" => TermProblem::Duplicate,
            _ => TermProblem::Other(message.to_owned()),
        }
    }
}

/// The problem with the term in a refused request, if the refusal names it.
fn term_problem(error: &ApiError) -> Option<TermProblem> {
    let problem = error.problem()?;
    let field = problem.field("term")?;
    Some(TermProblem::from_code(&field.code, &field.message))
}

/// The lexicon page: the add form, then every term with a way to remove it.
#[component]
pub fn AdminTerms() -> impl IntoView {
    const FORM_ID: &str = "add-term-form";
    let i18n = use_i18n();
    let version = RwSignal::new(0u32);
    let terms = LocalResource::new(move || {
        version.track();
        api::moderation::terms()
    });
    let changed = RwSignal::new(None::<Change>);
    let term = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<TermProblem>);
    let invalid = move || problem.with(Option::is_some);
    let failure = RwSignal::new(None::<ApiError>);
    let removing = RwSignal::new(None::<String>);
    let add = Action::new_local(move |text: &String| {
        let request = NewAbusiveTerm { term: text.clone() };
        async move {
            match api::moderation::add_term(&request).await {
                Ok(added) => {
                    term.set(String::new());
                    changed.set(Some(Change::Added(added.term)));
                    version.update(|v| *v += 1);
                }
                Err(error) => match term_problem(&error) {
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
        match (NewAbusiveTerm {
            term: term.get_untracked(),
        })
        .check()
        {
            Ok(text) => {
                problem.set(None);
                add.dispatch_local(text);
            }
            Err(error) => {
                problem.set(Some(TermProblem::from_code(&error.code, &error.message)));
                focus_first_invalid(FORM_ID);
            }
        }
    };
    let on_remove = Callback::new(move |text: String| {
        changed.set(None);
        removing.set(Some(text));
    });
    view! {
        <PageTitle page=Signal::derive(move || t_string!(i18n, moderation.terms_title)) />
        <div class="page-head">
            <h1>{t!(i18n, moderation.terms_title)}</h1>
            <p class="page-actions">
                <A href=MODERATION_PATH attr:class="button button-secondary">
                    {t!(i18n, moderation.back_to_queue)}
                </A>
            </p>
        </div>
        <p class="lead">{t!(i18n, moderation.terms_intro)}</p>
        <form id=FORM_ID class="form add-term" novalidate on:submit=on_submit>
            <div class="field" class:field-invalid=invalid>
                <label for="new-term">{t!(i18n, moderation.term)}</label>
                <p id="new-term-hint" class="field-hint">
                    {t!(i18n, moderation.term_hint, max = TERM_MAX_CHARS)}
                </p>
                <input
                    id="new-term"
                    name="term"
                    type="text"
                    autocomplete="off"
                    spellcheck="false"
                    aria-required="true"
                    aria-invalid=move || invalid().then_some("true")
                    aria-describedby=move || {
                        if invalid() { "new-term-hint new-term-error" } else { "new-term-hint" }
                    }
                    bind:value=term
                />
                {move || {
                    problem
                        .get()
                        .map(|found| {
                            view! {
                                <p id="new-term-error" class="field-error">
                                    {match found {
                                        TermProblem::Blank => t!(i18n, moderation.term_required).into_any(),
                                        TermProblem::TooLong => {
                                            t!(i18n, moderation.term_too_long, max = TERM_MAX_CHARS).into_any()
                                        }
                                        TermProblem::Duplicate => t!(i18n, moderation.term_duplicate).into_any(),
                                        TermProblem::Other(message) => message.into_any(),
                                    }}
                                </p>
                            }
                        })
                }}
            </div>
            <div class="form-actions">
                <button
                    type="submit"
                    class="button"
                    aria-disabled=move || add.pending().get().then_some("true")
                >
                    {t!(i18n, moderation.add_term)}
                </button>
            </div>
            <div role="alert">
                {move || {
                    failure
                        .get()
                        .map(|error| {
                            view! { <p class="notice notice-error">{error_message(i18n, &error)}</p> }
                        })
                }}
            </div>
        </form>
        <p class="status" role="status">
            {move || {
                changed
                    .get()
                    .map(|change| match change {
                        Change::Added(term) => t!(i18n, moderation.term_added, term).into_any(),
                        Change::Removed(term) => t!(i18n, moderation.term_removed, term).into_any(),
                    })
            }}
        </p>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match terms.await {
                    Ok(list) => Either::Left(view! { <TermList list on_remove /> }),
                    Err(error) => {
                        Either::Right(
                            view! {
                                <ErrorPanel error on_retry=Callback::new(move |()| terms.refetch()) />
                            },
                        )
                    }
                }
            })}
        </Transition>
        {move || {
            removing
                .get()
                .map(|text| {
                    let target = text.clone();
                    let on_confirm = Callback::new(move |()| -> Pending {
                        let target = target.clone();
                        Box::pin(async move {
                            api::moderation::remove_term(&target).await?;
                            changed.set(Some(Change::Removed(target)));
                            version.update(|v| *v += 1);
                            Ok(())
                        })
                    });
                    let title_term = text.clone();
                    view! {
                        <ConfirmDialog
                            title=t!(i18n, moderation.remove_title, term = title_term).into_any()
                            body=t!(i18n, moderation.remove_body).into_any()
                            confirm=t!(i18n, moderation.remove).into_any()
                            on_confirm
                            on_close=Callback::new(move |()| removing.set(None))
                        />
                    }
                })
        }}
    }
}

/// Every term, with who added it and when, and its remove button.
#[component]
fn TermList(
    /// The lexicon.
    list: Vec<AbusiveTerm>,
    /// Asks to remove a term.
    on_remove: Callback<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    if list.is_empty() {
        return Either::Left(
            view! { <p class="notice notice-empty">{t!(i18n, moderation.terms_empty)}</p> },
        );
    }
    let count = list.len();
    Either::Right(view! {
        <p class="list-count">{t!(i18n, moderation.terms_count, count)}</p>
        <table class="data-table terms-table">
            <caption class="visually-hidden">{t!(i18n, moderation.terms_caption)}</caption>
            <thead>
                <tr>
                    <th scope="col">{t!(i18n, moderation.term)}</th>
                    <th scope="col">{t!(i18n, moderation.added_by)}</th>
                    <th scope="col">{t!(i18n, moderation.added_at)}</th>
                    <th scope="col">{t!(i18n, moderation.actions)}</th>
                </tr>
            </thead>
            <tbody>
                {list
                    .into_iter()
                    .enumerate()
                    .map(|(index, entry)| {
                        let term_id = format!("term-{index}");
                        let remove_id = format!("term-{index}-remove");
                        let labelled = format!("{remove_id} {term_id}");
                        let text = entry.term.clone();
                        let by = entry.added_by_name.clone();
                        view! {
                            <tr>
                                <th
                                    scope="row"
                                    id=term_id
                                    data-label=move || t_string!(i18n, moderation.term)
                                >
                                    {entry.term.clone()}
                                </th>
                                <td data-label=move || t_string!(i18n, moderation.added_by)>
                                    {match by {
                                        Some(name) => Either::Left(name),
                                        None => Either::Right(t!(i18n, moderation.built_in)),
                                    }}
                                </td>
                                <td data-label=move || t_string!(i18n, moderation.added_at)>
                                    {local_time(entry.added_at)}
                                </td>
                                <td data-label=move || t_string!(i18n, moderation.actions)>
                                    <button
                                        type="button"
                                        class="button button-secondary button-small"
                                        id=remove_id
                                        aria-labelledby=labelled
                                        on:click=move |_| on_remove.run(text.clone())
                                    >
                                        {t!(i18n, moderation.remove)}
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
