//! Which pages which build serves. The server sends the rating link's page
//! ([`served_by_link_page`], `dist/link`), the sign-in build's `index.html` for the way in
//! ([`served_by_sign_in_build`], `dist/s`, when it is built), the light customer app's for its
//! pages ([`served_by_customer_app`], `dist/c`, when it is built) and the full app for every
//! other page; the light app and the sign-in build load any other path as a whole page, so the
//! server and the apps must agree: both use these functions.

/// Where the light customer app's files are, under the full app's root.
pub const CUSTOMER_APP_DIR: &str = "c";

/// Where the sign-in build's files are (the app with its home and sign-in pages only,
/// `signin.html`), under the full app's root.
pub const SIGN_IN_APP_DIR: &str = "s";

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
    link_page_token(path).is_some()
}

/// The token of the rating link whose page is at `path` (`/r/{token}`, as it is written in
/// the path), or `None` when `path` is not a rating link's page.
pub fn link_page_token(path: &str) -> Option<&str> {
    trimmed(path)
        .strip_prefix(crate::invitations::LINK_PAGE_PREFIX)
        .filter(|token| !token.is_empty() && !token.contains('/'))
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

/// Whether the page at `path` (no query string) is the way in, which a first visit opens in
/// the sign-in build (the app with only these pages, a third of the light app's weight): the
/// home page and sign-in. The light and full apps have them too, for a user who goes there
/// from one of their pages (signed out, the session expired).
pub fn served_by_sign_in_build(path: &str) -> bool {
    matches!(trimmed(path), "/" | "/login")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_way_in_is_home_and_sign_in() {
        for path in ["/", "/login", "/login/"] {
            assert!(served_by_sign_in_build(path), "{path}");
            assert!(
                served_by_customer_app(path),
                "{path}: the light app has it too"
            );
        }
        for path in ["/customer", "/login/x", "/loginx", "/admin", "/r/x"] {
            assert!(!served_by_sign_in_build(path), "{path}");
        }
    }

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

/// The configuration file every build reads beside its own `index.html`.
pub const CONFIG_FILE: &str = "config.json";

/// Where a build reads `config.json`: in the folder of its own public URL, told by
/// `module_url`, the URL of the build's wasm-bindgen loader (or of its wasm) as the page names
/// it (`<link rel="modulepreload" href="/c/pingjia-1a2b.js">`). The folder is everything up to
/// the URL's last `/` (query and fragment dropped): the full app (`/pingjia-….js`) reads
/// `/config.json`, the light customer app (`/c/pingjia-….js`) `/c/config.json`, the rating
/// link's page `/link/config.json`, a build made with `--public-url /pj/` `/pj/config.json`.
/// Without a URL, the site root's `/config.json`.
pub fn config_url(module_url: Option<&str>) -> String {
    let Some(url) = module_url.map(str::trim).filter(|u| !u.is_empty()) else {
        return format!("/{CONFIG_FILE}");
    };
    let url = url.split(['?', '#']).next().unwrap_or_default();
    // An absolute URL's path starts after `scheme://authority`.
    let path_start = url.find("://").map_or(0, |scheme| {
        let authority = scheme + 3;
        url[authority..]
            .find('/')
            .map_or(url.len(), |slash| authority + slash)
    });
    match url[path_start..].rfind('/') {
        Some(slash) => format!("{}{CONFIG_FILE}", &url[..=path_start + slash]),
        None if path_start > 0 => format!("{url}/{CONFIG_FILE}"),
        None => CONFIG_FILE.to_owned(),
    }
}

#[cfg(test)]
mod config_url_tests {
    use super::*;

    #[test]
    fn config_json_is_beside_the_builds_own_index_html() {
        for (module_url, config) in [
            // The full app, public URL `/`.
            (Some("/pingjia-1a2b3c4d5e6f7a8b.js"), "/config.json"),
            (Some("/"), "/config.json"),
            // The light customer app, built with `--public-url /c/`.
            (Some("/c/pingjia-1a2b3c4d5e6f7a8b.js"), "/c/config.json"),
            (
                Some("/c/pingjia-1a2b3c4d5e6f7a8b_bg.wasm"),
                "/c/config.json",
            ),
            (Some("/c/"), "/c/config.json"),
            // The rating link's page, and any other public URL.
            (Some("/link/link-0123456789abcdef.js"), "/link/config.json"),
            (Some("/pj/app/x.js?v=2#top"), "/pj/app/config.json"),
            (
                Some("https://pj.example.com/c/pingjia-1a2b.js"),
                "https://pj.example.com/c/config.json",
            ),
            (
                Some("https://pj.example.com"),
                "https://pj.example.com/config.json",
            ),
            // A relative public URL: beside the page, as the build's own files are.
            (Some("./x.js"), "./config.json"),
            (Some("x.js"), "config.json"),
            // Nothing tells it: the site root.
            (None, "/config.json"),
            (Some(" "), "/config.json"),
        ] {
            assert_eq!(config_url(module_url), config, "{module_url:?}");
        }
    }
}
