//! The shared list pieces in a real browser: the data table (its header, cells labelled for
//! the phone-width cards, the row header, ARIA roles, row flags and test ids), a page of a list
//! with its count, pager and empty notice, and the filter select.
use crate::common::*;
use leptos::prelude::*;
use pingjia::api::query::{self, paged_href};
use pingjia::components::data_table::{Column, DataTable, PagedList, Paging, Rows};
use pingjia::components::filters::SelectFilter;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

#[derive(Debug, Clone)]
struct Fruit {
    id: i64,
    name: &'static str,
    ripe: bool,
}

fn fruits() -> Vec<Fruit> {
    vec![
        Fruit {
            id: 1,
            name: "苹果",
            ripe: true,
        },
        Fruit {
            id: 2,
            name: "香蕉",
            ripe: false,
        },
    ]
}

fn columns() -> Vec<Column<Fruit>> {
    vec![
        Column::new(|_| "名称", |f: &Fruit| f.name)
            .row_header(Some(|f: &Fruit| format!("fruit-{}-name", f.id))),
        Column::new(|_| "编号", |f: &Fruit| f.id).class("mono"),
        Column::actions(
            |_| "操作",
            |f: &Fruit| {
                view! { <button type="button" id=format!("fruit-{}-eat", f.id)>"吃"</button> }
            },
        ),
    ]
}

#[wasm_bindgen_test]
async fn a_table_names_its_columns_on_every_cell() {
    let (root, _mounted) = mount(|| {
        view! {
            <DataTable
                class="data-table fruit-table"
                caption=|_| "水果"
                roles=true
                testid="fruit-table"
                columns=columns()
                rows=fruits()
                row=Rows::default()
                    .testid(|f: &Fruit| format!("fruit-{}", f.id))
                    .flag("row-disabled", |f: &Fruit| Signal::stored(!f.ripe))
            />
        }
    });
    next_frame().await;

    let table = find(&root, "table").expect("a table");
    assert_eq!(
        table.get_attribute("class").as_deref(),
        Some("data-table fruit-table")
    );
    assert_eq!(table.get_attribute("role").as_deref(), Some("table"));
    assert_eq!(
        table.get_attribute("data-testid").as_deref(),
        Some("fruit-table")
    );
    assert_eq!(text(&root, "caption.visually-hidden"), "水果");
    let headers: Vec<String> = (0..3)
        .map(|i| text(&root, &format!("thead th:nth-child({})", i + 1)))
        .collect();
    assert_eq!(headers, ["名称", "编号", "操作"]);
    assert!(find(&root, "thead th[role='columnheader'][scope='col']").is_some());
    assert_eq!(
        root.query_selector_all("tbody tr[role='row']")
            .unwrap()
            .length(),
        2
    );

    let name = find(&root, "#fruit-1-name").expect("the row header");
    assert_eq!(name.tag_name(), "TH");
    assert_eq!(name.get_attribute("scope").as_deref(), Some("row"));
    assert_eq!(name.get_attribute("role").as_deref(), Some("rowheader"));
    assert_eq!(name.get_attribute("data-label").as_deref(), Some("名称"));
    let number = find(&root, "[data-testid='fruit-1'] td.mono").expect("the number cell");
    assert_eq!(number.text_content().as_deref(), Some("1"));
    assert_eq!(number.get_attribute("role").as_deref(), Some("cell"));
    assert_eq!(number.get_attribute("data-label").as_deref(), Some("编号"));
    assert!(
        find(
            &root,
            "[data-testid='fruit-2'] td .row-actions #fruit-2-eat"
        )
        .is_some()
    );

    let ripe = find(&root, "[data-testid='fruit-1']").unwrap();
    let green = find(&root, "[data-testid='fruit-2']").unwrap();
    assert!(!ripe.class_list().contains("row-disabled"));
    assert!(green.class_list().contains("row-disabled"));
}

#[wasm_bindgen_test]
async fn without_roles_a_table_is_plain_markup() {
    let (root, _mounted) = mount(|| {
        view! { <DataTable class="data-table" columns=columns() rows=fruits() /> }
    });
    next_frame().await;

    assert!(find(&root, "table").is_some());
    assert!(find(&root, "caption").is_none(), "no caption unless given");
    assert!(
        find(&root, "[role]").is_none(),
        "the elements keep their own roles"
    );
    assert!(find(&root, "tbody tr[data-testid]").is_none());
    assert!(find(&root, "tbody tr[class]").is_none());
}

#[wasm_bindgen_test]
fn paging_counts_the_rows_of_a_page() {
    let paging = Paging::new(3, 20, 45, 5);
    assert_eq!(
        (paging.page, paging.pages, paging.first, paging.last),
        (3, 3, 41, 45)
    );
    let empty = Paging::new(1, 20, 0, 0);
    assert_eq!((empty.pages, empty.first, empty.last), (1, 1, 0));
    let beyond = Paging::new(0, 0, 7, 7);
    assert_eq!(
        (beyond.page, beyond.pages),
        (1, 7),
        "no page 0, no page size 0"
    );
}

#[wasm_bindgen_test]
fn a_list_address_leaves_out_the_first_page() {
    #[derive(serde::Serialize)]
    struct Filters {
        #[serde(skip_serializing_if = "Option::is_none")]
        actor: Option<String>,
    }
    let none = Filters { actor: None };
    let actor = Filters {
        actor: Some("张 伟".to_owned()),
    };
    let page = query::Paging::after_first;
    assert_eq!(paged_href("/admin/audit", &none, page(1)), "/admin/audit");
    assert_eq!(
        paged_href("/admin/audit", &none, page(2)),
        "/admin/audit?page=2"
    );
    assert_eq!(
        paged_href("/admin/audit", &actor, page(3)),
        "/admin/audit?actor=%E5%BC%A0%20%E4%BC%9F&page=3"
    );
}

#[wasm_bindgen_test]
async fn a_page_of_a_list_has_its_count_and_pager() {
    let (root, _mounted) = mount(|| {
        view! {
            <PagedList
                paging=Paging::new(2, 2, 5, 2)
                href=|page| format!("/fruits?page={page}")
                count=view! { "第 3–4 条，共 5 条" }.into_any()
                empty=view! { "没有水果" }.into_any()
            >
                <DataTable class="data-table" columns=columns() rows=fruits() />
            </PagedList>
        }
    });
    next_frame().await;

    assert_eq!(text(&root, "p.list-count"), "第 3–4 条，共 5 条");
    assert!(
        find(&root, "p.list-count + table").is_some(),
        "the count, then the rows"
    );
    let pager = find(&root, "nav.pager").expect("a pager");
    assert_eq!(pager.get_attribute("aria-label").as_deref(), Some("分页"));
    let href = |rel: &str| {
        find(&root, &format!("nav.pager a[rel='{rel}']")).and_then(|a| a.get_attribute("href"))
    };
    assert_eq!(href("prev").as_deref(), Some("/fruits?page=1"));
    assert_eq!(href("next").as_deref(), Some("/fruits?page=3"));
    assert!(text(&root, ".pager-position").contains('2'));
    assert!(find(&root, ".notice-empty").is_none());
}

#[wasm_bindgen_test]
async fn an_empty_page_says_so_instead() {
    let (root, _mounted) = mount(|| {
        view! {
            <PagedList
                paging=Paging::new(1, 20, 0, 0)
                href=|page| format!("/fruits?page={page}")
                count=view! { "共 0 条" }.into_any()
                empty=view! { "没有水果" }.into_any()
            >
                <DataTable class="data-table" columns=columns() rows=Vec::new() />
            </PagedList>
        }
    });
    next_frame().await;

    assert_eq!(text(&root, "p.notice.notice-empty"), "没有水果");
    assert!(find(&root, "table").is_none());
    assert!(find(&root, ".list-count").is_none());
    assert!(find(&root, "nav.pager").is_none());
}

#[wasm_bindgen_test]
async fn a_filter_select_offers_all_then_each_choice() {
    let selected = RwSignal::new("2".to_owned());
    let (root, _mounted) = mount(move || {
        view! {
            <SelectFilter
                id="fruit-filter"
                name="fruit"
                label=|_| "水果"
                all=|_| "全部水果"
                options=Signal::derive(|| vec![
                    ("1".to_owned(), "苹果".to_owned()),
                    ("2".to_owned(), "香蕉".to_owned()),
                ])
                selected
            />
        }
    });
    next_frame().await;

    assert_eq!(text(&root, "label[for='fruit-filter']"), "水果");
    let select: web_sys::HtmlSelectElement = find(&root, "select#fruit-filter[name='fruit']")
        .expect("the select")
        .unchecked_into();
    assert_eq!(select.length(), 3);
    assert_eq!(text(&root, "option[value='']"), "全部水果");
    assert_eq!(select.value(), "2");
    selected.set(String::new());
    next_frame().await;
    assert_eq!(select.value(), "", "no filter chooses the first option");
}
