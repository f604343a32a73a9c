//! The template editor's rows: a dimension and an item, with their move and remove buttons.

use leptos::prelude::*;
use pingjia_domain::qa::NewTemplateItem;

use crate::components::form::fields::{InputField, TextAreaField};
use crate::i18n::{Locale, td_string, use_i18n};
use crate::locale::tr;
use crate::pages::qa::QaErrors;

use super::rows::{DimensionRow, ItemRow, Uids, shift};

/// The small up / down / remove buttons of a row, named after what they move.
#[component]
pub(super) fn RowButtons(
    /// The row's name for assistive technology.
    #[prop(into)]
    name: Signal<String>,
    /// Whether it is the first row.
    first: bool,
    /// Whether it is the last row.
    last: bool,
    /// Moves it: up (true) or down.
    on_move: Callback<bool>,
    /// Removes it.
    on_remove: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <span class="row-actions">
            <button type="button" class="button button-secondary button-small" aria-disabled=first.then_some("true")
                on:click=move |_| if !first { on_move.run(true) }>
                <span aria-hidden="true">"↑"</span>
                <span class="visually-hidden">{move || td_string!(i18n.get_locale(), qa.move_up, name = name.get())}</span>
            </button>
            <button type="button" class="button button-secondary button-small" aria-disabled=last.then_some("true")
                on:click=move |_| if !last { on_move.run(false) }>
                <span aria-hidden="true">"↓"</span>
                <span class="visually-hidden">{move || td_string!(i18n.get_locale(), qa.move_down, name = name.get())}</span>
            </button>
            <button type="button" class="button button-secondary button-small" on:click=move |_| on_remove.run(())>
                <span aria-hidden="true">{tr(i18n, |l| td_string!(l, qa.remove))}</span>
                <span class="visually-hidden">{move || td_string!(i18n.get_locale(), qa.remove_named, name = name.get())}</span>
            </button>
        </span>
    }
}

/// One dimension of the editor: names, items, rubric levels.
#[component]
pub(super) fn DimensionEditor(
    /// Its place, from 0.
    index: usize,
    /// How many dimensions there are.
    count: usize,
    /// The dimension.
    row: DimensionRow,
    /// Every dimension, to move or remove this one.
    dimensions: RwSignal<Vec<DimensionRow>>,
    /// The form's errors.
    errors: QaErrors,
    /// Ids for new rows.
    uids: Uids,
) -> impl IntoView {
    let i18n = use_i18n();
    let uid = row.uid;
    let at = format!("dimensions.{index}");
    let label = move |f: fn(Locale) -> &'static str| {
        Signal::derive(move || f(i18n.get_locale()).to_owned())
    };
    let heading = Signal::derive(move || {
        let name = row.name_zh.get();
        if name.trim().is_empty() {
            td_string!(
                i18n.get_locale(),
                qa.dimension_n,
                n = &(index + 1).to_string()
            )
        } else {
            name
        }
    });
    let on_move = Callback::new(move |up: bool| dimensions.update(|d| shift(d, index, up)));
    let on_remove = Callback::new(move |()| {
        dimensions.update(|d| {
            if index < d.len() {
                d.remove(index);
            }
        })
    });
    let items_error = errors.of(format!("{at}.items"));
    let item_list = {
        let at = at.clone();
        move || {
            let rows = row.items.get();
            let count = rows.len();
            rows.into_iter()
                .enumerate()
                .map(|(j, item)| {
                    let field = format!("{at}.items.{j}");
                    view! { <ItemEditor index=j count item items=row.items errors field /> }
                })
                .collect_view()
        }
    };
    let add_item = move |_| {
        row.items
            .update(|items| items.push(ItemRow::new(uids, &NewTemplateItem::default())))
    };
    let levels = (0..5usize)
        .map(|k| {
            let score = k + 1;
            let field = format!("{at}.level{score}");
            view! {
                <div class="qa-pair qa-level-pair">
                    <InputField
                        id=format!("tpl-d{uid}-level{score}-zh")
                        label=Signal::derive(move || td_string!(i18n.get_locale(), qa.level_zh, score = score.to_string()))
                        value=row.levels_zh[k]
                        error=errors.of(format!("{field}.text_zh"))
                        optional=true
                    />
                    <InputField
                        id=format!("tpl-d{uid}-level{score}-en")
                        label=Signal::derive(move || td_string!(i18n.get_locale(), qa.level_en, score = score.to_string()))
                        value=row.levels_en[k]
                        error=errors.of(format!("{field}.text_en"))
                        optional=true
                    />
                </div>
            }
        })
        .collect_view();
    let heading_id = format!("tpl-d{uid}-title");
    let labelled_by = heading_id.clone();
    view! {
        <li class="qa-dimension-editor" data-testid=format!("qa-template-dimension-{index}")>
            <section aria-labelledby=labelled_by>
                <div class="section-head">
                    <h3 id=heading_id>{move || heading.get()}</h3>
                    <RowButtons name=heading first=index == 0 last=index + 1 == count on_move on_remove />
                </div>
                <div class="qa-pair">
                    <InputField id=format!("tpl-d{uid}-name-zh") label=label(|l| td_string!(l, qa.dimension_name_zh)) value=row.name_zh error=errors.of(format!("{at}.name_zh")) required=true />
                    <InputField id=format!("tpl-d{uid}-name-en") label=label(|l| td_string!(l, qa.dimension_name_en)) value=row.name_en error=errors.of(format!("{at}.name_en")) optional=true />
                </div>
                <h4>{tr(i18n, |l| td_string!(l, qa.items))}</h4>
                {move || items_error.get().map(|text| view! { <p class="field-error">{text}</p> })}
                <ol class="qa-item-list">{item_list}</ol>
                <p>
                    <button type="button" class="button button-secondary button-small" on:click=add_item>
                        {tr(i18n, |l| td_string!(l, qa.add_item))}
                        <span class="visually-hidden">" · " {move || heading.get()}</span>
                    </button>
                </p>
                <details class="qa-levels-editor">
                    <summary>{tr(i18n, |l| td_string!(l, qa.rubric_levels))}</summary>
                    <p class="field-hint">{tr(i18n, |l| td_string!(l, qa.rubric_levels_hint))}</p>
                    {levels}
                </details>
            </section>
        </li>
    }
}

/// One item of the editor: name and standard, in Chinese and English.
#[component]
pub(super) fn ItemEditor(
    /// Its place in its dimension, from 0.
    index: usize,
    /// How many items the dimension has.
    count: usize,
    /// The item.
    item: ItemRow,
    /// The dimension's items, to move or remove this one.
    items: RwSignal<Vec<ItemRow>>,
    /// The form's errors.
    errors: QaErrors,
    /// The field prefix, `dimensions.{i}.items.{j}`.
    field: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let uid = item.uid;
    let label = move |f: fn(Locale) -> &'static str| {
        Signal::derive(move || f(i18n.get_locale()).to_owned())
    };
    let name = Signal::derive(move || {
        let name = item.name_zh.get();
        if name.trim().is_empty() {
            td_string!(i18n.get_locale(), qa.item_n, n = &(index + 1).to_string())
        } else {
            name
        }
    });
    let on_move = Callback::new(move |up: bool| items.update(|list| shift(list, index, up)));
    let on_remove = Callback::new(move |()| {
        items.update(|list| {
            if index < list.len() {
                list.remove(index);
            }
        })
    });
    view! {
        <li class="qa-item-editor">
            <div class="section-head">
                <p class="qa-item-title">{move || name.get()}</p>
                <RowButtons name first=index == 0 last=index + 1 == count on_move on_remove />
            </div>
            <div class="qa-pair">
                <InputField id=format!("tpl-i{uid}-name-zh") label=label(|l| td_string!(l, qa.item_name_zh)) value=item.name_zh error=errors.of(format!("{field}.name_zh")) required=true />
                <InputField id=format!("tpl-i{uid}-name-en") label=label(|l| td_string!(l, qa.item_name_en)) value=item.name_en error=errors.of(format!("{field}.name_en")) optional=true />
            </div>
            <div class="qa-pair">
                <TextAreaField id=format!("tpl-i{uid}-standard-zh") label=label(|l| td_string!(l, qa.standard_zh)) value=item.standard_zh error=errors.of(format!("{field}.standard_zh")) required=true rows=2 />
                <TextAreaField id=format!("tpl-i{uid}-standard-en") label=label(|l| td_string!(l, qa.standard_en)) value=item.standard_en error=errors.of(format!("{field}.standard_en")) optional=true rows=2 />
            </div>
        </li>
    }
}
