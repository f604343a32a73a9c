//! What the pages reached from a rating link (`/r/:token/…`) share: the opt-out page's address
//! and what a link that does not work (unknown, expired, revoked) says. The link's own page
//! (`/r/:token`) is a separate tiny build (`link/`), which the server serves for that address.

use crate::locale::tr;
use leptos::prelude::*;
use leptos_router::components::A;
use pingjia_domain::invitations::{LINK_EXPIRED, LINK_REVOKED};

use crate::api::ApiError;
use crate::i18n::{td_string, use_i18n};

/// Why a rating link does not work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkProblem {
    /// Nobody issued it (or it was cut short).
    Unknown,
    /// The time to rate (and to appeal) is over.
    Expired,
    /// Withdrawn, or replaced by a newer link.
    Revoked,
    /// Too many links were opened from this address.
    TooMany,
}

/// The link problem an error of the link's endpoints means, if it means one.
pub fn link_problem(error: &ApiError) -> Option<LinkProblem> {
    match error {
        ApiError::NotFound => Some(LinkProblem::Unknown),
        ApiError::RateLimited { .. } => Some(LinkProblem::TooMany),
        _ => match error.code() {
            Some(LINK_EXPIRED) => Some(LinkProblem::Expired),
            Some(LINK_REVOKED) => Some(LinkProblem::Revoked),
            _ => None,
        },
    }
}

/// What a link that does not work says, and the way to sign in instead.
#[component]
pub fn LinkProblemNotice(
    /// Why the link does not work.
    problem: LinkProblem,
) -> impl IntoView {
    let i18n = use_i18n();
    let text = move || match problem {
        LinkProblem::Unknown => td_string!(i18n.get_locale(), link.unknown),
        LinkProblem::Expired => td_string!(i18n.get_locale(), link.expired),
        LinkProblem::Revoked => td_string!(i18n.get_locale(), link.revoked),
        LinkProblem::TooMany => td_string!(i18n.get_locale(), link.too_many),
    };
    view! {
        <div class="notice notice-warn link-problem" role="alert">
            <p>{text}</p>
            <p>
                <A href="/login" attr:class="button">{tr(i18n, |l| td_string!(l, link.sign_in))}</A>
            </p>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pingjia_domain::Problem;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn gone(code: &str) -> ApiError {
        let mut problem = Problem::new(410, "Gone");
        problem.code = Some(code.to_owned());
        ApiError::Unexpected {
            status: 410,
            problem: Some(problem),
        }
    }

    #[test]
    fn the_links_problems_are_told_apart_by_their_codes() {
        assert_eq!(
            link_problem(&ApiError::NotFound),
            Some(LinkProblem::Unknown)
        );
        assert_eq!(
            link_problem(&gone("link_expired")),
            Some(LinkProblem::Expired)
        );
        assert_eq!(
            link_problem(&gone("link_revoked")),
            Some(LinkProblem::Revoked)
        );
        assert_eq!(
            link_problem(&ApiError::RateLimited {
                retry_after_secs: Some(60)
            }),
            Some(LinkProblem::TooMany)
        );
        assert_eq!(link_problem(&ApiError::Network("offline".into())), None);
    }
}
