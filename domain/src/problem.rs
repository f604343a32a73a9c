//! RFC 9457 problem details, the one error shape of the API (`application/problem+json`).

use serde::{Deserialize, Serialize};

/// The media type of every error response.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// An error answer from the API.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Problem {
    /// A URI naming the kind of problem; `about:blank` when the status says it all.
    #[serde(rename = "type", default = "about_blank")]
    pub kind: String,
    /// A short, human-readable summary of the kind of problem.
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// What went wrong this time, for a person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Validation errors, one per offending field.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// A stable code for this kind of problem that the app can translate, e.g.
    /// `already_rated` or `rating_window_closed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// What the problem refers to, e.g. the number of the evaluation that already exists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
}

fn about_blank() -> String {
    "about:blank".to_owned()
}

/// A message about one field of the request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    /// The field's name as sent, e.g. `scores.attitude` or `suggestion`.
    pub field: String,
    /// A stable code the app can translate, e.g. `required`, `too_long`, `out_of_range`.
    pub code: String,
    /// The message in English, for clients that do not know the code.
    pub message: String,
}

impl FieldError {
    pub fn new(
        field: impl Into<String>,
        code: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        FieldError {
            field: field.into(),
            code: code.into(),
            message: message.into(),
        }
    }
}

/// What a text field may hold besides printable characters.
///
/// The rule of the house: no text a person types may hold a control character (Unicode
/// general category Cc: NUL, ESC, DEL, the C1 controls, …). A single line (a name, a term, a
/// tag, a setting, anything that ends up in a list, a CSV cell or a mail header) holds none
/// at all, not even a tab or a line break. A multi-line text (a comment, a note, a reason,
/// a description) may hold line breaks (`\n`, `\r`) and tabs, nothing else.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lines {
    Single,
    Multi,
}

impl Lines {
    /// Whether `c` is a control character this kind of text may not hold.
    pub fn refuses(self, c: char) -> bool {
        c.is_control() && (self == Lines::Single || !matches!(c, '\n' | '\r' | '\t'))
    }
}

/// The error of a text holding a control character it may not hold (see [`Lines`]): code
/// `control_character`; `None` when it holds none.
pub fn control_error(field: impl Into<String>, text: &str, lines: Lines) -> Option<FieldError> {
    let c = text.chars().find(|&c| lines.refuses(c))?;
    let what = match lines {
        Lines::Single => "line breaks, tabs and other control characters are not allowed",
        Lines::Multi => "control characters other than line breaks and tabs are not allowed",
    };
    Some(FieldError::new(
        field,
        "control_character",
        format!("{what} (found U+{:04X})", u32::from(c)),
    ))
}

/// The error of a multi-line text field (already trimmed) that must hold `min` to `max`
/// characters: `required` (with the message `required`) when blank, `too_short` below `min`,
/// `too_long` above `max`, `control_character` for a control character other than a line
/// break or a tab; `None` when it fits.
pub fn length_error(
    field: impl Into<String>,
    text: &str,
    required: &str,
    min: usize,
    max: usize,
) -> Option<FieldError> {
    bounded_text(
        field.into(),
        text,
        required,
        min,
        max,
        "at most",
        Lines::Multi,
    )
}

/// [`length_error`] for a single line (a term, a title): no control character at all.
pub fn line_length_error(
    field: impl Into<String>,
    text: &str,
    required: &str,
    min: usize,
    max: usize,
) -> Option<FieldError> {
    bounded_text(
        field.into(),
        text,
        required,
        min,
        max,
        "at most",
        Lines::Single,
    )
}

/// [`line_length_error`] for a name of at most `max` characters, as the forms word it ("use
/// at most … characters").
pub fn name_length_error(
    field: impl Into<String>,
    name: &str,
    required: &str,
    max: usize,
) -> Option<FieldError> {
    bounded_text(
        field.into(),
        name,
        required,
        1,
        max,
        "use at most",
        Lines::Single,
    )
}

fn bounded_text(
    field: String,
    text: &str,
    required: &str,
    min: usize,
    max: usize,
    at_most: &str,
    lines: Lines,
) -> Option<FieldError> {
    let chars = text.chars().count();
    if let Some(error) = control_error(field.clone(), text, lines) {
        Some(error)
    } else if chars == 0 {
        Some(FieldError::new(field, "required", required))
    } else if chars < min {
        Some(FieldError::new(
            field,
            "too_short",
            format!("at least {min} characters"),
        ))
    } else if chars > max {
        Some(FieldError::new(
            field,
            "too_long",
            format!("{at_most} {max} characters"),
        ))
    } else {
        None
    }
}

/// The end of every check: `Ok(value)` when no field error was found, else all of them.
pub fn checked<T>(errors: Vec<FieldError>, value: T) -> Result<T, Vec<FieldError>> {
    if errors.is_empty() {
        Ok(value)
    } else {
        Err(errors)
    }
}

impl Problem {
    /// A problem of the given status with the standard title and `about:blank` type.
    pub fn new(status: u16, title: impl Into<String>) -> Self {
        Problem {
            kind: about_blank(),
            title: title.into(),
            status,
            detail: None,
            errors: Vec::new(),
            code: None,
            reference: None,
        }
    }

    pub fn with_code(mut self, code: impl Into<String>) -> Self {
        self.code = Some(code.into());
        self
    }

    pub fn with_reference(mut self, reference: impl Into<String>) -> Self {
        self.reference = Some(reference.into());
        self
    }

    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }

    pub fn with_errors(mut self, errors: Vec<FieldError>) -> Self {
        self.errors = errors;
        self
    }

    /// The message for one field, if the problem names it.
    pub fn field(&self, name: &str) -> Option<&FieldError> {
        self.errors.iter().find(|e| e.field == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serialises_as_rfc9457_with_field_errors() {
        let p = Problem::new(422, "Unprocessable Content")
            .with_detail("2 fields are invalid")
            .with_errors(vec![FieldError::new(
                "suggestion",
                "too_long",
                "at most 500 characters",
            )]);
        let v = serde_json::to_value(&p).unwrap();
        assert_eq!(v["type"], "about:blank");
        assert_eq!(v["status"], 422);
        assert_eq!(v["errors"][0]["field"], "suggestion");
        let back: Problem = serde_json::from_value(v).unwrap();
        assert_eq!(back, p);
        assert_eq!(back.field("suggestion").unwrap().code, "too_long");
    }

    #[test]
    fn control_characters_are_refused_line_breaks_only_in_multi_line_texts() {
        let code = |e: Option<FieldError>| e.map(|e| e.code);
        for bad in ["a\0b", "a\u{1b}[31mb", "a\u{7f}", "a\u{85}b"] {
            assert_eq!(
                code(control_error("x", bad, Lines::Multi)).as_deref(),
                Some("control_character"),
                "{bad:?}"
            );
            assert_eq!(
                code(name_length_error("x", bad, "r", 50)).as_deref(),
                Some("control_character")
            );
        }
        for line in ["two\nlines", "a\tb", "a\r\nb"] {
            assert_eq!(control_error("x", line, Lines::Multi), None);
            assert_eq!(length_error("x", line, "r", 1, 50), None);
            assert_eq!(
                code(line_length_error("x", line, "r", 1, 50)).as_deref(),
                Some("control_character")
            );
        }
        assert_eq!(control_error("x", "客服 ok 😀", Lines::Single), None);
        let e = control_error("term", "a\0", Lines::Single).unwrap();
        assert_eq!(e.field, "term");
        assert!(e.message.contains("U+0000"), "{}", e.message);
    }

    #[test]
    fn reads_a_minimal_problem_from_another_backend() {
        let p: Problem = serde_json::from_str(r#"{"title":"Not Found","status":404}"#).unwrap();
        assert_eq!(p.kind, "about:blank");
        assert!(p.errors.is_empty());
        assert_eq!(p.detail, None);
    }
}
