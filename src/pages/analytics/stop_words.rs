//! The word cloud's extra stop words (`/admin/analytics/stop-words`): words admins leave out
//! of the word cloud besides the built-in list; added here and removed (after asking).

use leptos::prelude::*;
use pingjia_domain::analytics::{NewStopWord, STOP_WORD_MAX_CHARS};

use super::routes::DASHBOARD_PATH;
use crate::api::analytics::STOP_WORD_EXISTS;
use crate::api::{self, ApiError};
use crate::components::word_list::{WordEntry, WordList, WordListPage, WordProblem};
use crate::i18n::{Locale, td_string};

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
    /// A control character (NUL, a tab, …).
    ControlCharacter,
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
            "control_character" => StopWordProblem::ControlCharacter,
            _ => StopWordProblem::Other(message.to_owned()),
        }
    }

    /// The problem in words.
    pub fn text(&self, locale: Locale) -> String {
        match self {
            StopWordProblem::Blank => td_string!(locale, analytics.stop_word_required).to_owned(),
            StopWordProblem::TooLong => td_string!(
                locale,
                analytics.stop_word_too_long,
                max = STOP_WORD_MAX_CHARS.to_string()
            ),
            StopWordProblem::NotOneWord => {
                td_string!(locale, analytics.stop_word_one_word).to_owned()
            }
            StopWordProblem::BuiltIn => td_string!(locale, analytics.stop_word_builtin).to_owned(),
            StopWordProblem::Exists => td_string!(locale, analytics.stop_word_exists).to_owned(),
            StopWordProblem::ControlCharacter => {
                td_string!(locale, field_errors.control_character).to_owned()
            }
            StopWordProblem::Other(message) => message.clone(),
        }
    }
}

/// The problem with the word in a refused request, if the refusal names it.
fn word_problem(error: &ApiError) -> Option<WordProblem> {
    if let ApiError::Conflict(_) = error {
        return Some(WordProblem::new(STOP_WORD_EXISTS, ""));
    }
    let field = error.problem()?.field("word")?;
    Some(WordProblem::new(&field.code, &field.message))
}

/// The stop word list.
const STOP_WORDS: WordList = WordList {
    form_id: "add-stop-word-form",
    input_id: "new-stop-word",
    id: "stop-word",
    name: "word",
    back_href: DASHBOARD_PATH,
    list: || {
        Box::pin(async {
            Ok::<_, ApiError>(
                api::analytics::stop_words()
                    .await?
                    .into_iter()
                    .map(|w| WordEntry {
                        word: w.word,
                        added_by: Some(w.added_by),
                        added_at: w.added_at,
                    })
                    .collect(),
            )
        })
    },
    add: |key, word| {
        Box::pin(async move {
            let added = api::analytics::add_stop_word(&key, &NewStopWord { word }).await?;
            Ok::<_, ApiError>(added.word)
        })
    },
    remove: |word| Box::pin(async move { api::analytics::remove_stop_word(&word).await }),
    check: |word| {
        NewStopWord { word }.check().map_err(|errors| {
            errors.first().map_or_else(
                || WordProblem::new("required", ""),
                |e| WordProblem::new(&e.code, &e.message),
            )
        })
    },
    refusal: word_problem,
    title: |l| td_string!(l, analytics.stop_words_title),
    back: |l| td_string!(l, analytics.back),
    intro: |l| td_string!(l, analytics.stop_words_intro),
    word: |l| td_string!(l, analytics.stop_word),
    add_button: |l| td_string!(l, analytics.add_stop_word),
    empty: |l| td_string!(l, analytics.stop_words_empty),
    caption: |l| td_string!(l, analytics.stop_words_caption),
    added_by: |l| td_string!(l, analytics.added_by),
    added_at: |l| td_string!(l, analytics.added_at),
    actions: |l| td_string!(l, analytics.actions),
    remove_button: |l| td_string!(l, analytics.remove),
    remove_body: |l| td_string!(l, analytics.remove_body),
    built_in: |l| td_string!(l, analytics.added_by),
    hint: |i18n| {
        (move || {
            td_string!(
                i18n.get_locale(),
                analytics.stop_word_hint,
                max = STOP_WORD_MAX_CHARS.to_string()
            )
        })
        .into_any()
    },
    problem: |i18n, found| {
        StopWordProblem::from_code(&found.code, &found.message)
            .text(i18n.get_locale())
            .into_any()
    },
    added: |i18n, w| td_string!(i18n.get_locale(), analytics.stop_word_added, word = &w).into_any(),
    removed: |i18n, w| {
        td_string!(i18n.get_locale(), analytics.stop_word_removed, word = &w).into_any()
    },
    remove_title: |i18n, w| {
        td_string!(
            i18n.get_locale_untracked(),
            analytics.remove_title,
            word = &w
        )
        .into_any()
    },
    count: |i18n, count| {
        (move || {
            td_string!(
                i18n.get_locale(),
                analytics.stop_words_count,
                count = count.to_string()
            )
        })
        .into_any()
    },
};

/// The stop words page: the add form, then every added word with a way to remove it.
#[component]
pub fn StopWordsPage() -> impl IntoView {
    view! { <WordListPage list=STOP_WORDS /> }
}
