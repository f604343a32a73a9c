//! Which pages the light customer app serves. The server sends its `index.html` for these
//! paths (when it is built) and the full app for every other page; the light app loads any
//! other path as a whole page, so the two must agree: both use [`served_by_customer_app`].

/// Where the light customer app's files are, under the full app's root.
pub const CUSTOMER_APP_DIR: &str = "c";

/// Whether the page at `path` (no query string) is one of the light customer app's: the
/// home page, sign-in, everything under `/customer` and the rating links (`/r/{token}`, and
/// their opt-out page `/r/{token}/opt-out`).
pub fn served_by_customer_app(path: &str) -> bool {
    let path = path
        .strip_suffix('/')
        .filter(|p| !p.is_empty())
        .unwrap_or(path);
    matches!(path, "/" | "/login" | "/customer")
        || path.starts_with("/customer/")
        || path.starts_with(crate::invitations::LINK_PAGE_PREFIX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_customer_pages_and_the_way_in() {
        for path in [
            "/",
            "/login",
            "/login/",
            "/customer",
            "/customer/",
            "/customer/rate/12",
            "/r/AbC-_0123456789abcdefghijklmnopqrstuvwxyzAB",
            "/r/AbC-_0123456789abcdefghijklmnopqrstuvwxyzAB/opt-out",
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
        ] {
            assert!(!served_by_customer_app(path), "{path}");
        }
    }
}
