//! The versions of an inspection (质检版本) on the inspection view: the original and each
//! change a decided dispute made, who made it and when, what changed from the version before,
//! and each version's item results, all readable after the change.

use leptos::prelude::*;
use pingjia_domain::qa::{ChecklistTemplate, InspectionVersion, ItemResult};

use crate::api;
use crate::format::{local_time, score_text};
use crate::i18n::{td_string, use_i18n};
use crate::labels::in_language;
use crate::locale::tr;
use crate::pages::qa::{item_result_class, item_result_name, person_text};

/// The versions of the inspection of sample `sample_id`; nothing while it has only its
/// original (no dispute changed it).
#[component]
pub fn InspectionVersions(
    /// The sampled record's id.
    sample_id: i64,
    /// The plan's checklist: the names of the items and dimensions.
    template: ChecklistTemplate,
) -> impl IntoView {
    let versions = LocalResource::new(move || api::qa_disputes::versions(sample_id));
    let template = StoredValue::new(template);
    move || {
        let list = versions.get().and_then(Result::ok).unwrap_or_default();
        (!list.is_empty())
            .then(|| view! { <VersionList versions=list template=template.get_value() /> })
    }
}

#[component]
fn VersionList(versions: Vec<InspectionVersion>, template: ChecklistTemplate) -> impl IntoView {
    let i18n = use_i18n();
    let template = StoredValue::new(template);
    let mut previous: Option<InspectionVersion> = None;
    let cards = versions
        .into_iter()
        .map(|v| {
            let before = previous.replace(v.clone());
            view! { <VersionCard version=v before template=template.get_value() /> }
        })
        .collect_view();
    view! {
        <section class="panel" aria-labelledby="qa-versions-title" data-testid="qa-versions">
            <h2 id="qa-versions-title">{tr(i18n, |l| td_string!(l, qa_disputes.versions_title))}</h2>
            <ol class="qa-rect-list qa-versions">{cards}</ol>
        </section>
    }
}

#[component]
fn VersionCard(
    version: InspectionVersion,
    before: Option<InspectionVersion>,
    template: ChecklistTemplate,
) -> impl IntoView {
    let i18n = use_i18n();
    let n = version.version.to_string();
    let original = version.dispute_id.is_none();
    let (who, at, score) = (
        person_text(&version.saved_by),
        local_time(version.saved_at),
        score_text(Some(version.qa_score)),
    );
    let result_of = |v: &InspectionVersion, item: i64| -> Option<ItemResult> {
        v.answers
            .iter()
            .find(|a| a.item_id == item)
            .map(|a| a.result)
    };
    let mut changes = Vec::new();
    if let Some(before) = &before {
        for (_, item) in template.items() {
            if let (Some(was), Some(now)) =
                (result_of(before, item.id), result_of(&version, item.id))
                && was != now
            {
                let (zh, en) = (item.name_zh.clone(), item.name_en.clone());
                changes.push(view! {
                    <li>
                        {move || in_language(i18n.get_locale(), &zh, &en).to_owned()} "："
                        <span class=item_result_class(was)>{move || item_result_name(i18n.get_locale(), was)}</span>
                        " → "
                        <span class=item_result_class(now)>{move || item_result_name(i18n.get_locale(), now)}</span>
                    </li>
                }.into_any());
            }
        }
        for d in &template.dimensions {
            let score = |v: &InspectionVersion| {
                v.scores
                    .iter()
                    .find(|s| s.dimension_id == d.id)
                    .map(|s| s.score)
            };
            if let (Some(was), Some(now)) = (score(before), score(&version))
                && was != now
            {
                let (zh, en) = (d.name_zh.clone(), d.name_en.clone());
                changes.push(
                    view! {
                        <li>
                            {move || {
                                let dimension = in_language(i18n.get_locale(), &zh, &en).to_owned();
                                td_string!(
                                    i18n.get_locale(),
                                    qa_disputes.version_score_line,
                                    dimension = dimension,
                                    before = was.to_string(),
                                    after = now.to_string()
                                )
                            }}
                        </li>
                    }
                    .into_any(),
                );
            }
        }
    }
    let changes = (!changes.is_empty()).then(|| {
        view! {
            <p class="appeal-label">{tr(i18n, |l| td_string!(l, qa_disputes.version_changes))}</p>
            <ul class="brief-list">{changes}</ul>
        }
    });
    let answers = template
        .items()
        .filter_map(|(_, item)| {
            let result = result_of(&version, item.id)?;
            let (zh, en) = (item.name_zh.clone(), item.name_en.clone());
            Some(view! {
                <li>
                    {move || in_language(i18n.get_locale(), &zh, &en).to_owned()} " "
                    <span class=item_result_class(result)>{move || item_result_name(i18n.get_locale(), result)}</span>
                </li>
            })
        })
        .collect_view();
    view! {
        <li class="card qa-version" data-testid=format!("qa-version-{}", version.version)>
            <h3>
                {move || td_string!(i18n.get_locale(), qa_disputes.version_label, n = n.clone())} " · "
                {move || if original {
                    td_string!(i18n.get_locale(), qa_disputes.version_original)
                } else {
                    td_string!(i18n.get_locale(), qa_disputes.version_dispute)
                }}
            </h3>
            <p class="record-meta">
                {move || td_string!(i18n.get_locale(), qa_disputes.version_meta, who = who.clone(), at = at.clone(), score = score.clone())}
            </p>
            {changes}
            <details>
                <summary>{tr(i18n, |l| td_string!(l, qa_disputes.version_answers))}</summary>
                <ul class="brief-list">{answers}</ul>
            </details>
        </li>
    }
}
