//! The report of a CSV import's bad cells, read from the server's field names.

use leptos::prelude::*;
use leptos_i18n::I18nContext;
use pingjia_domain::FieldError;

use crate::components::data_table::{Column, DataTable};
use crate::i18n::{Locale, t_string, td_string, use_i18n};

/// One line of the error report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportLine {
    /// The line of the file (the header is line 1); `None` for the header itself.
    pub row: Option<u64>,
    /// The column, when the problem is in one cell.
    pub column: Option<String>,
    pub error: FieldError,
}

/// Reads the server's field names (`row 3: phone`, `row 7`, `header`) into report lines.
pub fn report_lines(errors: &[FieldError]) -> Vec<ReportLine> {
    errors
        .iter()
        .map(|error| {
            let (row, column) = match error.field.strip_prefix("row ") {
                Some(rest) => match rest.split_once(": ") {
                    Some((row, column)) => (row.parse().ok(), Some(column.to_owned())),
                    None => (rest.parse().ok(), None),
                },
                None => (None, None),
            };
            ReportLine {
                row,
                column,
                error: error.clone(),
            }
        })
        .collect()
}

/// Every problem of a refused file, by row and column: `column_name` names a column of the
/// file, `error_text` words a problem.
#[component]
pub fn ImportErrorReport(
    /// The field errors of the 422 answer.
    errors: Vec<FieldError>,
    /// A column's name in a language.
    column_name: fn(Locale, &str) -> String,
    /// A problem in words.
    error_text: fn(I18nContext<Locale>, &FieldError) -> AnyView,
) -> impl IntoView {
    let i18n = use_i18n();
    let columns = vec![
        Column::new(
            |l| td_string!(l, import.row),
            move |line: &ReportLine| {
                let row = line.row;
                move || match row {
                    Some(row) => row.to_string(),
                    None => t_string!(i18n, import.header).to_owned(),
                }
            },
        ),
        Column::new(
            |l| td_string!(l, import.column),
            move |line: &ReportLine| {
                let column = line.column.clone();
                move || {
                    column
                        .as_deref()
                        .map(|c| column_name(i18n.get_locale(), c))
                        .unwrap_or_default()
                }
            },
        ),
        Column::new(
            |l| td_string!(l, import.problem),
            move |line: &ReportLine| error_text(i18n, &line.error),
        ),
    ];
    view! {
        <DataTable
            class="data-table report-table"
            caption=|l| td_string!(l, import.report_caption)
            caption_shown=true
            roles=true
            columns
            rows=report_lines(&errors)
        />
    }
}

/// How many rows of a refused file have a problem (the header not counted).
pub fn bad_rows(errors: &[FieldError]) -> u64 {
    let mut rows: Vec<u64> = report_lines(errors).iter().filter_map(|l| l.row).collect();
    rows.sort_unstable();
    rows.dedup();
    rows.len() as u64
}
