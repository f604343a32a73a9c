//! Paging and period checks of the list endpoints' query parameters.

use chrono::NaiveDate;
use pingjia_domain::FieldError;

use crate::error::AppError;

/// The last page any list serves: far beyond any list's rows, and small enough that the offset
/// it makes (`page * per_page`) is an ordinary number. The OpenAPI document states it for
/// every `page` parameter (`api::openapi`).
pub const MAX_PAGE: u32 = 100_000;

/// Paging and period checks shared by the admin lists: the page within `1..=MAX_PAGE`,
/// `per_page` within `1..=max`, a period that does not end before it starts.
pub(crate) fn check_paging(
    page: u32,
    per_page: u32,
    max: u32,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> Result<(), AppError> {
    let mut errors = Vec::new();
    if !(1..=MAX_PAGE).contains(&page) {
        errors.push(FieldError::new(
            "page",
            "out_of_range",
            format!("page must be between 1 and {MAX_PAGE}"),
        ));
    }
    if !(1..=max).contains(&per_page) {
        errors.push(FieldError::new(
            "per_page",
            "out_of_range",
            format!("per_page must be between 1 and {max}"),
        ));
    }
    if let (Some(from), Some(to)) = (from, to)
        && to < from
    {
        errors.push(FieldError::new(
            "to",
            "order",
            "the period cannot end before it starts",
        ));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::Validation(errors))
    }
}
