//! The lists of the staff pages: a table with a column per field (and a column of row actions),
//! its count line, empty notice and pager, and the loading and error states around it.

use std::sync::Arc;

use leptos::either::Either;
use leptos::prelude::*;

use crate::api::ApiError;
use crate::components::error_panel::ErrorPanel;
use crate::components::loading::Loading;
use crate::components::pager::Pager;
use crate::i18n::{Locale, use_i18n};

/// A column's name in a language: its header, and the label of its cells in the cards that
/// the table becomes at phone width.
pub type Header = fn(Locale) -> &'static str;

type Cell<T> = Arc<dyn Fn(&T) -> AnyView + Send + Sync>;
type RowText<T> = Arc<dyn Fn(&T) -> String + Send + Sync>;
type RowFlag<T> = Arc<dyn Fn(&T) -> Signal<bool> + Send + Sync>;

/// One column of a [`DataTable`]: its header and how a row fills its cell.
pub struct Column<T> {
    header: Header,
    cell: Cell<T>,
    row_header: bool,
    id: Option<RowText<T>>,
    class: Option<&'static str>,
}

impl<T> Column<T> {
    /// A column named `header` whose cell shows `cell(row)`.
    pub fn new<V>(header: Header, cell: impl Fn(&T) -> V + Send + Sync + 'static) -> Self
    where
        V: IntoView + 'static,
    {
        Self {
            header,
            cell: Arc::new(move |row| cell(row).into_any()),
            row_header: false,
            id: None,
            class: None,
        }
    }

    /// A column of buttons about the row, side by side (`row-actions`).
    pub fn actions<V>(header: Header, cell: impl Fn(&T) -> V + Send + Sync + 'static) -> Self
    where
        V: IntoView + 'static,
    {
        Self::new(header, move |row| {
            view! { <div class="row-actions">{cell(row)}</div> }
        })
    }

    /// The cell names its row (`<th scope="row">`), with the id `id(row)` for the labels of
    /// the row's buttons when one is given.
    pub fn row_header(mut self, id: Option<fn(&T) -> String>) -> Self
    where
        T: 'static,
    {
        self.row_header = true;
        self.id = id.map(|id| Arc::new(id) as RowText<T>);
        self
    }

    /// A class on each of the column's cells.
    pub fn class(mut self, class: &'static str) -> Self {
        self.class = Some(class);
        self
    }
}

/// What the rows of a [`DataTable`] carry besides their cells.
pub struct Rows<T> {
    /// A test id of each row.
    testid: Option<RowText<T>>,
    /// A class a row has while a condition holds (a disabled user, an overdue plan).
    flag: Option<(&'static str, RowFlag<T>)>,
}

impl<T> Default for Rows<T> {
    fn default() -> Self {
        Self {
            testid: None,
            flag: None,
        }
    }
}

impl<T> Rows<T> {
    /// Each row has the test id `testid(row)`.
    pub fn testid(mut self, testid: impl Fn(&T) -> String + Send + Sync + 'static) -> Self {
        self.testid = Some(Arc::new(testid));
        self
    }

    /// Each row has the class `class` while `on(row)` holds.
    pub fn flag(
        mut self,
        class: &'static str,
        on: impl Fn(&T) -> Signal<bool> + Send + Sync + 'static,
    ) -> Self {
        self.flag = Some((class, Arc::new(on)));
        self
    }
}

/// A table of rows, one column per field: a header row, then a row per item. With `roles`
/// each element also carries its ARIA role, which keeps the table a table for assistive
/// technology when the phone-width style turns its rows into cards.
#[component]
pub fn DataTable<T>(
    /// The table's classes (`data-table …`).
    class: &'static str,
    /// The table's caption, read by screen readers only unless `caption_shown`.
    #[prop(optional)]
    caption: Option<Header>,
    /// Whether the caption is shown to everyone.
    #[prop(optional)]
    caption_shown: bool,
    /// The caption's id, for a scrolling region it names.
    #[prop(optional)]
    caption_id: Option<&'static str>,
    /// Whether the elements carry their ARIA roles.
    #[prop(optional)]
    roles: bool,
    /// The table's test id.
    #[prop(optional)]
    testid: Option<&'static str>,
    /// The columns, in order.
    columns: Vec<Column<T>>,
    /// The rows.
    rows: Vec<T>,
    /// What the rows carry besides their cells.
    #[prop(optional)]
    row: Rows<T>,
) -> impl IntoView
where
    T: 'static,
{
    let i18n = use_i18n();
    let role = move |name: &'static str| roles.then_some(name);
    let headers = columns
        .iter()
        .map(|column| {
            let header = column.header;
            view! {
                <th role=role("columnheader") scope="col">
                    {move || header(i18n.get_locale())}
                </th>
            }
        })
        .collect_view();
    let body = rows
        .into_iter()
        .map(|item| {
            let cells = columns
                .iter()
                .map(|column| {
                    let header = column.header;
                    let label = move || header(i18n.get_locale());
                    let content = (column.cell)(&item);
                    if column.row_header {
                        let id = column.id.as_ref().map(|id| id(&item));
                        Either::Left(view! {
                            <th
                                role=role("rowheader")
                                scope="row"
                                id=id
                                class=column.class
                                data-label=label
                            >
                                {content}
                            </th>
                        })
                    } else {
                        Either::Right(view! {
                            <td role=role("cell") class=column.class data-label=label>
                                {content}
                            </td>
                        })
                    }
                })
                .collect_view();
            let testid = row.testid.as_ref().map(|testid| testid(&item));
            match &row.flag {
                Some((name, on)) => Either::Left(view! {
                    <tr role=role("row") data-testid=testid class=(*name, on(&item))>
                        {cells}
                    </tr>
                }),
                None => Either::Right(view! {
                    <tr role=role("row") data-testid=testid>
                        {cells}
                    </tr>
                }),
            }
        })
        .collect_view();
    view! {
        <table class=class role=role("table") data-testid=testid>
            {caption
                .map(|caption| {
                    view! {
                        <caption
                            id=caption_id
                            class=(!caption_shown).then_some("visually-hidden")
                        >
                            {move || caption(i18n.get_locale())}
                        </caption>
                    }
                })}
            <thead role=role("rowgroup")>
                <tr role=role("row")>{headers}</tr>
            </thead>
            <tbody role=role("rowgroup")>{body}</tbody>
        </table>
    }
}

/// Where a page of a list stands: which page of how many, and which rows it shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paging {
    /// The page shown, from 1.
    pub page: u64,
    /// How many pages there are (at least 1).
    pub pages: u64,
    /// The number of the page's first row, from 1.
    pub first: u64,
    /// The number of the page's last row.
    pub last: u64,
    /// How many rows the list has on all its pages.
    pub total: u64,
    /// How many rows the page shows.
    pub shown: usize,
}

impl Paging {
    /// Page `page` (from 1) of a list of `total` rows, `per_page` a page, showing `shown`.
    pub fn new(page: u32, per_page: u32, total: u64, shown: usize) -> Self {
        let per_page = u64::from(per_page.max(1));
        let page = u64::from(page.max(1));
        let first = (page - 1) * per_page + 1;
        Self {
            page,
            pages: total.div_ceil(per_page).max(1),
            first,
            last: (first + shown as u64).saturating_sub(1),
            total,
            shown,
        }
    }
}

/// The words of a list: its count line ("12 sessions; showing 1–10") and its three empty
/// notices (a page past the end, nothing matching the filters, nothing at all).
#[derive(Clone, Copy)]
pub struct ListWords {
    /// The count line of a page: the locale, the rows on all pages, the first and last shown.
    pub count: fn(Locale, u64, u64, u64) -> String,
    /// The list has rows, but not on this page (an old address).
    pub page_empty: fn(Locale) -> &'static str,
    /// No row matches the filters.
    pub filtered: fn(Locale) -> &'static str,
    /// The list has no row at all.
    pub none: fn(Locale) -> &'static str,
}

impl ListWords {
    /// The count line and the empty notice for [`PagedList`], in the reader's language, for a
    /// page at `paging` of a list that is `filtered` or not.
    pub fn views(self, paging: Paging, filtered: bool) -> (AnyView, AnyView) {
        let i18n = use_i18n();
        let Paging {
            total, first, last, ..
        } = paging;
        let count = move || (self.count)(i18n.get_locale(), total, first, last);
        let empty = move || {
            let locale = i18n.get_locale();
            if total > 0 {
                (self.page_empty)(locale)
            } else if filtered {
                (self.filtered)(locale)
            } else {
                (self.none)(locale)
            }
        };
        (count.into_any(), empty.into_any())
    }
}

/// One page of a list: its count line, its rows (`children`) and the pager whose links
/// `href(page)` makes; the `empty` notice instead when the page has no rows.
#[component]
pub fn PagedList(
    /// Where the page stands.
    paging: Paging,
    /// The address of a page, from 1.
    href: impl Fn(u64) -> String + 'static,
    /// The count line's text.
    count: AnyView,
    /// The notice of an empty page.
    empty: AnyView,
    /// The rows: a table or a list.
    children: Children,
) -> impl IntoView {
    if paging.shown == 0 {
        return Either::Left(view! { <p class="notice notice-empty">{empty}</p> });
    }
    let previous = (paging.page > 1).then(|| href(paging.page - 1));
    let next = (paging.page < paging.pages).then(|| href(paging.page + 1));
    Either::Right(view! {
        <p class="list-count">{count}</p>
        {children()}
        <Pager previous next page=paging.page pages=paging.pages />
    })
}

/// What a request loads, once it has: "Loading…" meanwhile (the last answer while it loads
/// again), and the error with a button to try again if it failed.
#[component]
pub fn Loaded<T, V>(
    /// The request.
    resource: LocalResource<Result<T, ApiError>>,
    /// What to show of its answer.
    view: impl Fn(T) -> V + Send + Sync + Clone + 'static,
) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    view! {
        <Transition fallback=Loading>
            {
                let view = view.clone();
                move || {
                    let view = view.clone();
                    Suspend::new(async move {
                        match resource.await {
                            Ok(value) => Either::Left(view(value)),
                            Err(error) => Either::Right(view! {
                                <ErrorPanel error on_retry=Callback::new(move |()| resource.refetch()) />
                            }),
                        }
                    })
                }
            }
        </Transition>
    }
}
