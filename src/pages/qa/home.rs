//! The QA home (`/qa`, 质检工作台): the records waiting to be inspected, rectifications waiting
//! for a re-check, overdue ones, and the first plans (the list is a link away); and the way to
//! a new plan.

use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::components::A;
use pingjia_domain::qa::{QaHome, Rectification, RectificationState};

use crate::api;
use crate::components::data_table::Loaded;
use crate::components::page::Greeting;
use crate::components::page::PageTitle;
use crate::i18n::{t_string, td_string, use_i18n};
use crate::locale::tr;
use crate::pages::qa::calibration::CALIBRATIONS_PATH;
use crate::pages::qa::rectifications::tab_href;
use crate::pages::qa::{
    NEW_PLAN_PATH, PLANS_PATH, PlanTable, RectificationCard, SampleTable, TEMPLATES_PATH,
};

/// The QA home of inspectors and admins.
#[component]
pub fn QaHomePage() -> impl IntoView {
    let i18n = use_i18n();
    let home = LocalResource::new(api::qa::home);
    view! {
        <PageTitle page=Signal::derive(move || t_string!(i18n, qa.home_title)) />
        <div class="page-head">
            <h1>{tr(i18n, |l| td_string!(l, qa.home_title))}</h1>
            <p class="page-actions">
                <A href=NEW_PLAN_PATH attr:class="button">{tr(i18n, |l| td_string!(l, qa.new_plan))}</A>
                <A href=TEMPLATES_PATH attr:class="button button-secondary">
                    {tr(i18n, |l| td_string!(l, qa.templates_title))}
                </A>
                <A href="/qa/disputes" attr:class="button button-secondary" attr:data-testid="qa-disputes-link">
                    {tr(i18n, |l| td_string!(l, qa_disputes.nav))}
                </A>
                <A href=CALIBRATIONS_PATH attr:class="button button-secondary" attr:data-testid="qa-calibrations">
                    {tr(i18n, |l| td_string!(l, calibration.title))}
                </A>
            </p>
        </div>
        <Greeting />
        <Loaded
            resource=home
            view=move |data| view! { <HomeSections home=data /> }
        />
    }
}

/// The loaded home: four sections.
#[component]
fn HomeSections(
    /// What the home shows.
    home: QaHome,
) -> impl IntoView {
    let i18n = use_i18n();
    let QaHome {
        plans,
        plans_total,
        to_inspect,
        to_inspect_total,
        to_recheck,
        to_recheck_total,
        overdue,
        overdue_total,
    } = home;
    let more_to_inspect = (to_inspect_total > to_inspect.len() as u64).then(|| {
        view! {
            <p class="list-count">
                {move || td_string!(i18n.get_locale(), qa.to_inspect_more, count = to_inspect_total.to_string())}
            </p>
        }
    });
    view! {
        <section class="panel" aria-labelledby="qa-to-inspect-title">
            <h2 id="qa-to-inspect-title">
                {tr(i18n, |l| td_string!(l, qa.to_inspect_heading))} " (" {to_inspect_total} ")"
            </h2>
            <SampleTable
                samples=to_inspect
                caption=Signal::derive(move || t_string!(i18n, qa.to_inspect_heading).to_owned())
                show_plan=true
            />
            {more_to_inspect}
        </section>
        <section class="panel" aria-labelledby="qa-to-recheck-title">
            <h2 id="qa-to-recheck-title">
                {tr(i18n, |l| td_string!(l, qa.to_recheck_heading))} " (" {to_recheck_total} ")"
            </h2>
            <RectificationList rectifications=to_recheck />
            <SeeAll state=RectificationState::Reported total=to_recheck_total />
        </section>
        <section class="panel" aria-labelledby="qa-overdue-title">
            <h2 id="qa-overdue-title">
                {tr(i18n, |l| td_string!(l, qa.overdue_heading))} " (" {overdue_total} ")"
            </h2>
            <RectificationList rectifications=overdue />
            <SeeAll state=RectificationState::Overdue total=overdue_total />
        </section>
        <section class="panel" aria-labelledby="qa-plans-title">
            <div class="section-head">
                <h2 id="qa-plans-title">{tr(i18n, |l| td_string!(l, qa.plans_heading))}</h2>
                <A href=PLANS_PATH attr:data-testid="qa-all-plans">
                    {move || td_string!(i18n.get_locale(), qa.all_plans_count, count = plans_total.to_string())}
                </A>
            </div>
            <PlanTable plans />
        </section>
    }
}

/// The link to every rectification of a tab in the tracking list, when there are any.
#[component]
fn SeeAll(
    /// The tab.
    state: RectificationState,
    /// How many it holds.
    total: u64,
) -> impl IntoView {
    let i18n = use_i18n();
    (total > 0).then(|| {
        view! {
            <p>
                <A href=tab_href(state) attr:data-testid=format!("qa-see-all-{}", state.as_str())>
                    {move || td_string!(i18n.get_locale(), qa.show_all_count, count = total.to_string())}
                </A>
            </p>
        }
    })
}

/// Rectifications as cards, or "none".
#[component]
fn RectificationList(
    /// The rectifications.
    rectifications: Vec<Rectification>,
) -> impl IntoView {
    let i18n = use_i18n();
    if rectifications.is_empty() {
        return Either::Left(view! {
            <p class="notice notice-empty">{tr(i18n, |l| td_string!(l, qa.rectifications_empty))}</p>
        });
    }
    Either::Right(view! {
        <ul class="qa-rect-list">
            {rectifications
                .into_iter()
                .map(|rectification| view! { <li><RectificationCard rectification /></li> })
                .collect_view()}
        </ul>
    })
}
