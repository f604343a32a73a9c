//! Picking a calibration's records from a QA plan's sample on the new-session form: a plan
//! (a page of plans at a time), its sampled records a page at a time from the server, by
//! agent; ticking a record writes its number into the first empty record box, unticking takes
//! it out. The boxes stay the one source of what is sent, so a number typed by hand and a
//! picked one go together.

use leptos::prelude::*;
use pingjia_domain::qa::{Person, PlanPage, SamplePage, SampleRow};

use crate::api;
use crate::api::qa::{PlanQuery, SampleQuery};
use crate::components::data_table::{Column, DataTable, Loaded, Paging, Rows};
use crate::i18n::{Locale, t_string, td_string, use_i18n};
use crate::labels::in_language;
use crate::locale::tr;
use crate::pages::qa::{person_text, sample_status_name};

/// The record boxes of the form, in order.
pub(super) type Boxes = StoredValue<Vec<RwSignal<String>>>;

/// Whether `number` is in a box.
fn picked(boxes: Boxes, number: &str) -> bool {
    boxes.with_value(|b| b.iter().any(|v| v.with(|v| v.trim() == number)))
}

/// Writes `number` into the first empty box; `false` when every box is full.
fn add(boxes: Boxes, number: &str) -> bool {
    boxes.with_value(|b| {
        b.iter()
            .find(|v| v.with_untracked(|v| v.trim().is_empty()))
            .map(|v| v.set(number.to_owned()))
            .is_some()
    })
}

/// Takes `number` out of the boxes, moving the later ones up.
fn remove(boxes: Boxes, number: &str) {
    boxes.with_value(|b| {
        let kept: Vec<String> = b
            .iter()
            .map(|v| v.get_untracked())
            .filter(|v| v.trim() != number)
            .collect();
        for (i, v) in b.iter().enumerate() {
            v.set(kept.get(i).cloned().unwrap_or_default());
        }
    });
}

/// Previous / next buttons and "page 2 of 7" for a list paged inside a form.
#[component]
fn ButtonPager(
    /// What the pager moves through, for its label.
    #[prop(into)]
    label: Signal<String>,
    /// The page shown, from 1.
    page: RwSignal<u32>,
    /// How many pages there are (as the last answer said).
    pages: Signal<u64>,
) -> impl IntoView {
    let i18n = use_i18n();
    let current = move || u64::from(page.get());
    let at_first = move || current() <= 1;
    let at_last = move || current() >= pages.get();
    let several = move || pages.get() > 1;
    view! {
        <Show when=several>
        <nav class="pager" aria-label=move || label.get()>
            <button type="button" class="button button-secondary" disabled=at_first
                on:click=move |_| page.update(|p| *p = p.saturating_sub(1).max(1))>
                {tr(i18n, |l| td_string!(l, pager.previous))}
            </button>
            <span class="pager-position">
                {move || td_string!(i18n.get_locale(), pager.page_of, page = current().to_string(), pages = pages.get().to_string())}
            </span>
            <button type="button" class="button button-secondary" disabled=at_last
                on:click=move |_| page.update(|p| *p += 1)>
                {tr(i18n, |l| td_string!(l, pager.next))}
            </button>
        </nav>
        </Show>
    }
}

/// The plan and agent choices and the chosen plan's sampled records to tick.
#[component]
pub(super) fn SamplePicker(
    /// The form's record boxes.
    boxes: Boxes,
) -> impl IntoView {
    let i18n = use_i18n();
    let plans_page = RwSignal::new(1u32);
    let plans = LocalResource::new(move || {
        let query = PlanQuery {
            page: plans_page.get(),
            ..PlanQuery::default()
        };
        async move { api::qa::plans(&query).await }
    });
    // The pagers stand outside the lists, which are drawn again on each page: the keyboard's
    // focus stays on the button pressed. Their page counts are the last answers'.
    let plan_pages = RwSignal::new(1u64);
    Effect::new(move || {
        if let Some(Ok(page)) = plans.get() {
            plan_pages
                .set(Paging::new(page.page, page.per_page, page.total, page.plans.len()).pages);
        }
    });
    let plan_id = RwSignal::new(None::<i64>);
    let agent_id = RwSignal::new(None::<i64>);
    let samples_page = RwSignal::new(1u32);
    // Another page of plans no longer lists the chosen plan: choose again.
    Effect::watch(
        move || plans_page.get(),
        move |_, _, _| {
            plan_id.set(None);
            agent_id.set(None);
            samples_page.set(1);
        },
        false,
    );
    let samples = LocalResource::new(move || {
        let plan = plan_id.get();
        let query = SampleQuery {
            agent_id: agent_id.get(),
            page: samples_page.get(),
            ..SampleQuery::default()
        };
        async move {
            match plan {
                Some(plan) => api::calibration::pick_samples(plan, &query).await.map(Some),
                None => Ok(None),
            }
        }
    });
    // The agents of the chosen plan, as its records' last answer offered them (kept while
    // the next page loads, so the filter stays where the keyboard left it).
    let agents = RwSignal::new(Vec::<Person>::new());
    let sample_pages = RwSignal::new(1u64);
    Effect::new(move || match samples.get() {
        Some(Ok(Some(page))) => {
            let paging = Paging::new(
                page.page,
                page.per_page.max(1),
                page.total,
                page.samples.len(),
            );
            sample_pages.set(paging.pages);
            agents.set(page.agents);
        }
        Some(Ok(None)) => sample_pages.set(1),
        _ => {}
    });
    let plan_select = move |page: PlanPage| {
        let options = page
            .plans
            .into_iter()
            .map(|p| {
                let value = p.id.to_string();
                let id = p.id;
                view! { <option value=value prop:selected=move || plan_id.get() == Some(id)>{p.name}</option> }
            })
            .collect_view();
        view! {
            <div class="field">
                <label for="cal-pick-plan">{tr(i18n, |l| td_string!(l, calibration.pick_plan))}</label>
                <select
                    id="cal-pick-plan"
                    on:change=move |ev| {
                        plan_id.set(event_target_value(&ev).parse().ok());
                        agent_id.set(None);
                        agents.set(Vec::new());
                        samples_page.set(1);
                    }
                >
                    <option value="" prop:selected=move || plan_id.get().is_none()>
                        {tr(i18n, |l| td_string!(l, calibration.pick_no_plan))}
                    </option>
                    {options}
                </select>
            </div>
        }
    };
    view! {
        <section class="cal-pick" aria-labelledby="cal-pick-heading" data-testid="cal-pick">
            <h2 id="cal-pick-heading">{tr(i18n, |l| td_string!(l, calibration.pick_heading))}</h2>
            <p class="field-hint">{tr(i18n, |l| td_string!(l, calibration.pick_hint))}</p>
            <Loaded resource=plans view=plan_select />
            <ButtonPager
                label=Signal::derive(move || t_string!(i18n, calibration.pick_plans_pages).to_owned())
                page=plans_page
                pages=plan_pages.into()
            />
            {move || plan_id.get().is_some().then(|| view! {
                <div class="field">
                    <label for="cal-pick-agent">{tr(i18n, |l| td_string!(l, qa.agent))}</label>
                    <select
                        id="cal-pick-agent"
                        on:change=move |ev| {
                            agent_id.set(event_target_value(&ev).parse().ok());
                            samples_page.set(1);
                        }
                    >
                        <option value="" prop:selected=move || agent_id.get().is_none()>
                            {tr(i18n, |l| td_string!(l, qa.all_agents))}
                        </option>
                        {move || agents.get().into_iter().map(|p| {
                            let id = p.id;
                            view! { <option value=id.to_string() prop:selected=move || agent_id.get() == Some(id)>{person_text(&p)}</option> }
                        }).collect_view()}
                    </select>
                </div>
            })}
            <Loaded resource=samples view=move |page| page.map(|page| view! { <Samples page boxes agent_id /> }) />
            <ButtonPager
                label=Signal::derive(move || t_string!(i18n, calibration.pick_samples_pages).to_owned())
                page=samples_page
                pages=sample_pages.into()
            />
        </section>
    }
}

/// One page of the plan's records with a box to tick each.
#[component]
fn Samples(page: SamplePage, boxes: Boxes, agent_id: RwSignal<Option<i64>>) -> impl IntoView {
    let i18n = use_i18n();
    let paging = Paging::new(
        page.page,
        page.per_page.max(1),
        page.total,
        page.samples.len(),
    );
    let full = move || boxes.with_value(|b| b.iter().all(|v| v.with(|v| !v.trim().is_empty())));
    let columns: Vec<Column<SampleRow>> = vec![
        Column::new(
            |l| td_string!(l, qa.record),
            |s: &SampleRow| s.external_id.clone(),
        )
        .row_header(Some(|s: &SampleRow| format!("cal-pick-{}-record", s.id)))
        .class("mono"),
        Column::new(
            |l| td_string!(l, qa.agent),
            |s: &SampleRow| person_text(&s.agent),
        ),
        Column::new(
            |l| td_string!(l, qa.service_type),
            move |s: &SampleRow| {
                let (zh, en) = (
                    s.service_type_name_zh.clone(),
                    s.service_type_name_en.clone(),
                );
                move || in_language(i18n.get_locale(), &zh, &en).to_owned()
            },
        ),
        Column::new(
            |l| td_string!(l, qa.status),
            move |s: &SampleRow| {
                let status = s.status;
                move || sample_status_name(i18n.get_locale(), status)
            },
        ),
        Column::new(
            |l| td_string!(l, calibration.pick_column),
            move |s: &SampleRow| {
                let number = StoredValue::new(s.external_id.clone());
                let id = format!("cal-pick-{}", s.id);
                let label = format!("{id}-label cal-pick-{}-record", s.id);
                let checked = move || number.with_value(|n| picked(boxes, n));
                view! {
                    <input
                        type="checkbox"
                        id=id.clone()
                        aria-labelledby=label
                        prop:checked=checked
                        disabled=move || !checked() && full()
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            number.with_value(|n| {
                                if on {
                                    add(boxes, n);
                                } else {
                                    remove(boxes, n);
                                }
                            });
                        }
                    />
                    <span id=format!("{id}-label") class="visually-hidden">
                        {tr(i18n, |l| td_string!(l, calibration.pick_record))}
                    </span>
                }
            },
        ),
    ];
    let count = move |locale: Locale| {
        td_string!(
            locale,
            qa.samples_count,
            count = paging.total.to_string(),
            first = paging.first.to_string(),
            last = paging.last.to_string()
        )
    };
    let filtered = agent_id.get_untracked().is_some();
    let rows = page.samples;
    view! {
        {if rows.is_empty() {
            view! {
                <p class="notice notice-empty">
                    {move || if filtered {
                        td_string!(i18n.get_locale(), qa.samples_empty_filtered)
                    } else {
                        td_string!(i18n.get_locale(), qa.samples_none)
                    }}
                </p>
            }
            .into_any()
        } else {
            view! {
                <p class="list-count">{move || count(i18n.get_locale())}</p>
                <div class="table-scroll">
                    <DataTable
                        class="data-table qa-table cal-pick-table"
                        caption=|l| td_string!(l, calibration.pick_caption)
                        roles=true
                        testid="cal-pick-table"
                        columns
                        rows
                        row=Rows::default().testid(|s: &SampleRow| format!("cal-pick-row-{}", s.external_id))
                    />
                </div>
            }
            .into_any()
        }}
    }
}
