//! Reading CSV import files: where each row is in the file, for messages naming the line a
//! spreadsheet shows it on; and writing the cells of the CSV files the server gives out.

use pingjia_domain::problem::Lines;

/// Most problems listed for one import file; the detail still counts every bad row.
pub const MAX_IMPORT_ERRORS: usize = 200;

/// Line numbers of a CSV text's byte positions.
pub struct LineIndex<'a> {
    text: &'a str,
    line_ends: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> LineIndex<'a> {
        LineIndex {
            text,
            line_ends: text.match_indices('\n').map(|(at, _)| at).collect(),
        }
    }

    /// The line (from 1) of a record the reader reports at `position`. A record's position is
    /// where its reading started, before the blank lines the reader skips; those are skipped
    /// here too.
    pub fn line_of(&self, position: Option<&csv::Position>) -> u64 {
        let text = self.text;
        position.map_or(0, |p| {
            let byte = usize::try_from(p.byte())
                .unwrap_or(text.len())
                .min(text.len());
            let start = text
                .get(byte..)
                .and_then(|rest| rest.find(|c| c != '\r' && c != '\n'))
                .map_or(byte, |skipped| byte + skipped);
            self.line_ends.partition_point(|&end| end < start) as u64 + 1
        })
    }
}

/// A cell as written to a CSV a spreadsheet will open: control characters other than line
/// breaks and tabs (NUL, ESC, DEL, …; [`Lines::Multi`]) are dropped, so neither a spreadsheet
/// nor a terminal showing the file interprets them; then a cell that starts with `=`, `+`,
/// `-`, `@`, a tab or a carriage return would be read as a formula, so it gets a leading `'`.
pub fn safe_cell(text: &str) -> String {
    let text: String = text.chars().filter(|&c| !Lines::Multi.refuses(c)).collect();
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_lose_control_characters_and_stay_formula_safe() {
        assert_eq!(safe_cell("a\0b\u{1b}[31mc\u{7f}"), "ab[31mc");
        assert_eq!(safe_cell("two\nlines\tand a tab"), "two\nlines\tand a tab");
        assert_eq!(safe_cell("\0=1+1"), "'=1+1");
        assert_eq!(safe_cell("-3"), "'-3");
        assert_eq!(safe_cell("服务很好"), "服务很好");
    }

    #[test]
    fn rows_are_named_by_their_line_after_blank_lines() {
        let text = "a,b\n1,2\n\n\n3,4\n";
        let index = LineIndex::new(text);
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let lines: Vec<u64> = reader
            .records()
            .map(|r| index.line_of(r.unwrap().position()))
            .collect();
        assert_eq!(lines, [2, 5]);
    }
}
