//! What the customer's appeal and the admin's review of it share: the status of an appeal in
//! words, and a whole set of answers being edited.

use std::collections::BTreeMap;

use leptos::prelude::*;
use pingjia_domain::FieldError;
use pingjia_domain::appeals::{AppealChange, AppealStatus};
use pingjia_domain::evaluations::DimensionScore;

use crate::components::star_rating::StarRating;
use crate::i18n::{Locale, td_string, use_i18n};
use crate::labels::in_language;

/// Where an appeal stands, in words.
pub fn appeal_status_name(locale: Locale, status: AppealStatus) -> &'static str {
    match status {
        AppealStatus::Pending => td_string!(locale, appeals.appeal_pending),
        AppealStatus::Approved => td_string!(locale, appeals.appeal_approved),
        AppealStatus::Rejected => td_string!(locale, appeals.appeal_rejected),
    }
}

/// The badge class of an appeal's status.
pub fn appeal_status_class(status: AppealStatus) -> &'static str {
    match status {
        AppealStatus::Pending => "badge badge-warn",
        AppealStatus::Approved => "badge",
        AppealStatus::Rejected => "badge badge-off",
    }
}

/// A field error of a change (`requested.overall`, `applied.scores.attitude`) named as the
/// rating form names it (`overall`, `scores.attitude`), so the same words and fields show it.
pub fn unprefixed(mut error: FieldError, prefix: &str) -> FieldError {
    if let Some(rest) = error.field.strip_prefix(prefix)
        && let Some(rest) = rest.strip_prefix('.')
    {
        error.field = rest.to_owned();
    }
    error
}

/// A whole set of answers being edited: a star group per dimension, the overall score and the
/// suggestion. The appeal form and the admin's edited approval use it.
#[derive(Clone, Copy)]
pub struct ChangeFields {
    /// Each dimension with its score.
    pub scores: StoredValue<Vec<(DimensionScore, RwSignal<Option<u8>>)>>,
    pub overall: RwSignal<Option<u8>>,
    pub suggestion: RwSignal<String>,
}

impl ChangeFields {
    /// Fields holding `change`, for the evaluation's `dimensions`.
    pub fn new(change: &AppealChange, dimensions: &[DimensionScore]) -> Self {
        let scores = dimensions
            .iter()
            .map(|d| {
                (
                    d.clone(),
                    RwSignal::new(change.scores.get(&d.code).copied()),
                )
            })
            .collect();
        ChangeFields {
            scores: StoredValue::new(scores),
            overall: RwSignal::new(Some(change.overall)),
            suggestion: RwSignal::new(change.suggestion.clone().unwrap_or_default()),
        }
    }

    /// What the fields hold, as a change to send.
    pub fn to_change(self) -> AppealChange {
        let scores: BTreeMap<String, u8> = self.scores.with_value(|scores| {
            scores
                .iter()
                .filter_map(|(d, v)| v.get_untracked().map(|s| (d.code.clone(), s)))
                .collect()
        });
        let suggestion = self.suggestion.get_untracked();
        AppealChange {
            scores,
            overall: self.overall.get_untracked().unwrap_or(0),
            suggestion: Some(suggestion.trim().to_owned()).filter(|s| !s.is_empty()),
        }
    }

    /// The star groups, with the errors of `scores.<code>` beside them.
    pub fn view(self, errors: RwSignal<Vec<FieldError>>) -> AnyView {
        let i18n = use_i18n();
        self.scores
            .with_value(|scores| {
                scores
                    .iter()
                    .map(|(d, value)| {
                        let field = format!("scores.{}", d.code);
                        let (zh, en) = (d.name_zh.clone(), d.name_en.clone());
                        view! {
                            <StarRating
                                name=format!("change-{}", d.code)
                                legend=Signal::derive(move || in_language(i18n.get_locale(), &zh, &en).to_owned())
                                optional=d.optional
                                value=*value
                                error=Signal::derive(move || {
                                    errors.with(|e| e.iter().find(|e| e.field == field).cloned())
                                })
                            />
                        }
                    })
                    .collect_view()
            })
            .into_any()
    }
}
