//! The abusive-word lexicon (`/admin/moderation/terms`): the terms that flag a suggestion as
//! abusive at submission; admins add and remove them (removing asks first).

use leptos::prelude::*;
use pingjia_domain::moderation::{NewAbusiveTerm, TERM_MAX_CHARS};

use super::MODERATION_PATH;
use crate::api::{self, ApiError};
use crate::components::word_list::{WordEntry, WordList, WordListPage, WordProblem};
use crate::i18n::{t, td_string};

/// What is wrong with a term, by the code of its field error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TermProblem {
    Blank,
    TooLong,
    /// Already in the lexicon.
    Duplicate,
    /// A control character (NUL, a line break, …).
    ControlCharacter,
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
            "control_character" => TermProblem::ControlCharacter,
            _ => TermProblem::Other(message.to_owned()),
        }
    }
}

/// The problem with the term in a refused request, if the refusal names it.
fn term_problem(error: &ApiError) -> Option<WordProblem> {
    let problem = error.problem()?;
    let field = problem.field("term")?;
    Some(WordProblem::new(&field.code, &field.message))
}

/// The abusive-word lexicon.
const TERMS: WordList = WordList {
    form_id: "add-term-form",
    input_id: "new-term",
    id: "term",
    name: "term",
    back_href: MODERATION_PATH,
    list: || {
        Box::pin(async {
            Ok::<_, ApiError>(
                api::moderation::terms()
                    .await?
                    .into_iter()
                    .map(|t| WordEntry {
                        word: t.term,
                        added_by: t.added_by_name,
                        added_at: t.added_at,
                    })
                    .collect(),
            )
        })
    },
    add: |_key, term| {
        Box::pin(async move {
            let added = api::moderation::add_term(&NewAbusiveTerm { term }).await?;
            Ok::<_, ApiError>(added.term)
        })
    },
    remove: |term| Box::pin(async move { api::moderation::remove_term(&term).await }),
    check: |term| {
        NewAbusiveTerm { term }
            .check()
            .map_err(|error| WordProblem::new(&error.code, &error.message))
    },
    refusal: term_problem,
    title: |l| td_string!(l, moderation.terms_title),
    back: |l| td_string!(l, moderation.back_to_queue),
    intro: |l| td_string!(l, moderation.terms_intro),
    word: |l| td_string!(l, moderation.term),
    add_button: |l| td_string!(l, moderation.add_term),
    empty: |l| td_string!(l, moderation.terms_empty),
    caption: |l| td_string!(l, moderation.terms_caption),
    added_by: |l| td_string!(l, moderation.added_by),
    added_at: |l| td_string!(l, moderation.added_at),
    actions: |l| td_string!(l, moderation.actions),
    remove_button: |l| td_string!(l, moderation.remove),
    remove_body: |l| td_string!(l, moderation.remove_body),
    built_in: |l| td_string!(l, moderation.built_in),
    hint: |i18n| t!(i18n, moderation.term_hint, max = TERM_MAX_CHARS).into_any(),
    problem: |i18n, found| match TermProblem::from_code(&found.code, &found.message) {
        TermProblem::Blank => t!(i18n, moderation.term_required).into_any(),
        TermProblem::TooLong => t!(i18n, moderation.term_too_long, max = TERM_MAX_CHARS).into_any(),
        TermProblem::Duplicate => t!(i18n, moderation.term_duplicate).into_any(),
        TermProblem::ControlCharacter => t!(i18n, field_errors.control_character).into_any(),
        TermProblem::Other(message) => message.into_any(),
    },
    added: |i18n, term| t!(i18n, moderation.term_added, term).into_any(),
    removed: |i18n, term| t!(i18n, moderation.term_removed, term).into_any(),
    remove_title: |i18n, term| t!(i18n, moderation.remove_title, term).into_any(),
    count: |i18n, count| t!(i18n, moderation.terms_count, count).into_any(),
};

/// The lexicon page: the add form, then every term with a way to remove it.
#[component]
pub fn AdminTerms() -> impl IntoView {
    view! { <WordListPage list=TERMS /> }
}
