//! Which pages which build serves. The server sends the rating link's page
//! ([`served_by_link_page`], `dist/link`), the light customer app's `index.html` for its pages
//! ([`served_by_customer_app`], `dist/c`, when it is built) and the full app for every other
//! page; the light app loads any other path as a whole page, so the server and the app must
//! agree: both use these functions.

/// Where the light customer app's files are, under the full app's root.
pub const CUSTOMER_APP_DIR: &str = "c";

/// Where the rating link page's files are (its own small build, `link.html`), under the full
/// app's root.
pub const LINK_APP_DIR: &str = "link";

/// `path` without one trailing slash (`/` stays `/`).
fn trimmed(path: &str) -> &str {
    path.strip_suffix('/')
        .filter(|p| !p.is_empty())
        .unwrap_or(path)
}

/// Whether the page at `path` (no query string) is a rating link's page, `/r/{token}`: one
/// segment after `/r/`, with or without a trailing slash. Its opt-out page
/// (`/r/{token}/opt-out`) is the light customer app's.
pub fn served_by_link_page(path: &str) -> bool {
    trimmed(path)
        .strip_prefix(crate::invitations::LINK_PAGE_PREFIX)
        .is_some_and(|token| !token.is_empty() && !token.contains('/'))
}

/// Whether the page at `path` (no query string) is one of the light customer app's: the
/// home page, sign-in, everything under `/customer` and a rating link's opt-out page
/// (`/r/{token}/opt-out`); not the rating link's page itself (see [`served_by_link_page`]).
pub fn served_by_customer_app(path: &str) -> bool {
    let path = trimmed(path);
    matches!(path, "/" | "/login" | "/customer")
        || path.starts_with("/customer/")
        || (path.starts_with(crate::invitations::LINK_PAGE_PREFIX) && !served_by_link_page(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "AbC-_0123456789abcdefghijklmnopqrstuvwxyzAB";

    #[test]
    fn the_customer_pages_and_the_way_in() {
        for path in [
            "/",
            "/login",
            "/login/",
            "/customer",
            "/customer/",
            "/customer/rate/12",
            &format!("/r/{TOKEN}/opt-out"),
            &format!("/r/{TOKEN}/opt-out/"),
        ] {
            assert!(served_by_customer_app(path), "{path}");
        }
        for path in [
            "/admin",
            "/agent",
            "/customers",
            "/customerx/1",
            "/account/password",
            "/loginx",
            "/r",
            "/rx/1",
            &format!("/r/{TOKEN}"),
            &format!("/r/{TOKEN}/"),
        ] {
            assert!(!served_by_customer_app(path), "{path}");
        }
    }

    #[test]
    fn the_link_page_is_one_segment_after_r() {
        for path in [
            format!("/r/{TOKEN}"),
            format!("/r/{TOKEN}/"),
            "/r/x".to_owned(),
        ] {
            assert!(served_by_link_page(&path), "{path}");
        }
        for path in [
            "/",
            "/r",
            "/r/",
            "/r//",
            "/rx/1",
            "/login",
            "/customer/rate/12",
            &format!("/r/{TOKEN}/opt-out"),
            &format!("/r/{TOKEN}/opt-out/"),
            &format!("/r/{TOKEN}//"),
        ] {
            assert!(!served_by_link_page(path), "{path}");
        }
    }

    #[test]
    fn every_page_has_one_build() {
        for path in [
            format!("/r/{TOKEN}"),
            format!("/r/{TOKEN}/opt-out"),
            "/login".to_owned(),
            "/admin".to_owned(),
        ] {
            assert!(
                !(served_by_link_page(&path) && served_by_customer_app(&path)),
                "{path}"
            );
        }
    }
}
