//! The QA home (`/qa`, 质检工作台): the records waiting to be inspected, rectifications waiting
//! for a re-check, overdue ones, and the plans; and the way to a new plan.

use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::components::A;
use pingjia_domain::qa::{QaHome, Rectification};

use crate::api;
use crate::components::data_table::Loaded;
use crate::components::page::Greeting;
use crate::components::page::PageTitle;
use crate::i18n::{t_string, td_string, use_i18n};
use crate::locale::tr;
use crate::pages::qa::{
    NEW_PLAN_PATH, PLANS_PATH, PlanTable, RECTIFICATIONS_PATH, RectificationCard, SampleTable,
    TEMPLATES_PATH,
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
        to_inspect,
        to_recheck,
        overdue,
    } = home;
    let to_inspect_count = to_inspect.len();
    let recheck_count = to_recheck.len();
    let overdue_count = overdue.len();
    view! {
        <section class="panel" aria-labelledby="qa-to-inspect-title">
            <h2 id="qa-to-inspect-title">
                {tr(i18n, |l| td_string!(l, qa.to_inspect_heading))} " (" {to_inspect_count} ")"
            </h2>
            <SampleTable
                samples=to_inspect
                caption=Signal::derive(move || t_string!(i18n, qa.to_inspect_heading).to_owned())
                show_plan=true
            />
        </section>
        <section class="panel" aria-labelledby="qa-to-recheck-title">
            <h2 id="qa-to-recheck-title">
                {tr(i18n, |l| td_string!(l, qa.to_recheck_heading))} " (" {recheck_count} ")"
            </h2>
            <RectificationList rectifications=to_recheck />
            <p>
                <A href=format!("{RECTIFICATIONS_PATH}?status=reported")>
                    {tr(i18n, |l| td_string!(l, qa.go_recheck))}
                </A>
            </p>
        </section>
        <section class="panel" aria-labelledby="qa-overdue-title">
            <h2 id="qa-overdue-title">
                {tr(i18n, |l| td_string!(l, qa.overdue_heading))} " (" {overdue_count} ")"
            </h2>
            <RectificationList rectifications=overdue />
        </section>
        <section class="panel" aria-labelledby="qa-plans-title">
            <div class="section-head">
                <h2 id="qa-plans-title">{tr(i18n, |l| td_string!(l, qa.plans_heading))}</h2>
                <A href=PLANS_PATH>{tr(i18n, |l| td_string!(l, qa.all_plans))}</A>
            </div>
            <PlanTable plans />
        </section>
    }
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

/// Every plan (`/qa/plans`).
#[component]
pub fn PlansPage() -> impl IntoView {
    let i18n = use_i18n();
    let plans = LocalResource::new(api::qa::plans);
    view! {
        <PageTitle page=Signal::derive(move || t_string!(i18n, qa.plans_heading)) />
        <div class="page-head">
            <h1>{tr(i18n, |l| td_string!(l, qa.plans_heading))}</h1>
            <p class="page-actions">
                <A href=NEW_PLAN_PATH attr:class="button">{tr(i18n, |l| td_string!(l, qa.new_plan))}</A>
            </p>
        </div>
        <Loaded
            resource=plans
            view=move |plans| view! { <PlanTable plans /> }
        />
    }
}
