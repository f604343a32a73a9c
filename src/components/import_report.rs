//! The report of a CSV import's bad cells, read from the server's field names.

use pingjia_domain::FieldError;

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
