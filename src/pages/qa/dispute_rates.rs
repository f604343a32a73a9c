//! The disputes section of a plan's report (检测报告): per inspector, how many of their
//! inspections were disputed and how many of those changed; per item disputed, the same.

use leptos::either::Either;
use leptos::prelude::*;
use pingjia_domain::qa::{InspectorDisputes, ItemDisputes, share};

use crate::components::data_table::{Column, DataTable};
use crate::format::whole_percent_text;
use crate::i18n::{td_string, use_i18n};
use crate::labels::in_language;
use crate::locale::tr;
use crate::pages::qa::person_text;

/// The section: both tables, or a notice while nothing of the plan was disputed.
#[component]
pub fn DisputeRates(
    /// Every inspector who inspected in the plan.
    inspectors: Vec<InspectorDisputes>,
    /// Every item disputed, in the checklist's order.
    items: Vec<ItemDisputes>,
) -> impl IntoView {
    let i18n = use_i18n();
    let body = if items.is_empty() {
        Either::Left(view! {
            <p class="notice notice-empty">{tr(i18n, |l| td_string!(l, qa_disputes.rates_none))}</p>
        })
    } else {
        let by_inspector = vec![
            Column::new(
                |l| td_string!(l, qa_disputes.inspector),
                |r: &InspectorDisputes| person_text(&r.inspector),
            )
            .row_header(None),
            Column::new(
                |l| td_string!(l, qa_disputes.inspected),
                |r: &InspectorDisputes| r.inspected,
            ),
            Column::new(
                |l| td_string!(l, qa_disputes.disputed),
                |r: &InspectorDisputes| r.disputed,
            ),
            Column::new(
                |l| td_string!(l, qa_disputes.rate),
                |r: &InspectorDisputes| whole_percent_text(share(r.disputed, r.inspected)),
            ),
            Column::new(
                |l| td_string!(l, qa_disputes.changed),
                |r: &InspectorDisputes| r.changed,
            ),
            Column::new(
                |l| td_string!(l, qa_disputes.changed_share),
                |r: &InspectorDisputes| whole_percent_text(share(r.changed, r.disputed)),
            ),
        ];
        let by_item = vec![
            Column::new(
                |l| td_string!(l, qa_disputes.item),
                move |r: &ItemDisputes| {
                    let (zh, en) = (r.item_name_zh.clone(), r.item_name_en.clone());
                    move || in_language(i18n.get_locale(), &zh, &en).to_owned()
                },
            )
            .row_header(None),
            Column::new(
                |l| td_string!(l, qa_disputes.inspected),
                |r: &ItemDisputes| r.inspected,
            ),
            Column::new(
                |l| td_string!(l, qa_disputes.disputed),
                |r: &ItemDisputes| r.disputed,
            ),
            Column::new(
                |l| td_string!(l, qa_disputes.rate),
                |r: &ItemDisputes| whole_percent_text(share(r.disputed, r.inspected)),
            ),
            Column::new(
                |l| td_string!(l, qa_disputes.changed),
                |r: &ItemDisputes| r.changed,
            ),
            Column::new(
                |l| td_string!(l, qa_disputes.changed_share),
                |r: &ItemDisputes| whole_percent_text(share(r.changed, r.disputed)),
            ),
        ];
        Either::Right(view! {
            <div class="table-scroll">
                <DataTable
                    class="data-table qa-table"
                    testid="qa-dispute-inspectors"
                    caption=|l| td_string!(l, qa_disputes.rates_inspector)
                    columns=by_inspector
                    rows=inspectors
                />
            </div>
            <div class="table-scroll">
                <DataTable
                    class="data-table qa-table"
                    testid="qa-dispute-items"
                    caption=|l| td_string!(l, qa_disputes.rates_item)
                    columns=by_item
                    rows=items
                />
            </div>
        })
    };
    view! {
        <section class="panel qa-section" aria-labelledby="report-disputes-title">
            <h2 id="report-disputes-title">{tr(i18n, |l| td_string!(l, qa_disputes.rates_title))}</h2>
            {body}
        </section>
    }
}
