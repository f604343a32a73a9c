//! Where each role lives: its home page, and the navigation its top bar shows.
use pingjia::components::guard::Allowed;
use pingjia::components::top_bar::{NavLink, nav_links};
use pingjia::session::home_path;
use pingjia_domain::wire::Role;
use wasm_bindgen_test::*;

#[wasm_bindgen_test]
fn each_role_has_its_own_home() {
    let homes: Vec<(Role, &str)> = Role::ALL.iter().map(|r| (*r, home_path(*r))).collect();
    assert_eq!(
        homes,
        [
            (Role::Customer, "/customer"),
            (Role::Agent, "/agent"),
            (Role::TeamLead, "/lead"),
            (Role::QaInspector, "/qa"),
            (Role::Admin, "/admin"),
        ]
    );
}

#[wasm_bindgen_test]
fn a_role_home_admits_only_its_role() {
    for home_role in Role::ALL {
        for visitor in Role::ALL {
            assert_eq!(
                Allowed::Only(home_role).admits(visitor),
                home_role == visitor,
                "{visitor:?} at the home of {home_role:?}"
            );
        }
        assert!(Allowed::SignedIn.admits(home_role));
    }
}

#[wasm_bindgen_test]
fn the_top_bar_shows_the_pages_of_the_role_only() {
    let hrefs = |role: Option<Role>| -> Vec<&str> {
        nav_links(role).into_iter().map(NavLink::href).collect()
    };
    assert_eq!(hrefs(None), ["/"]);
    assert_eq!(
        hrefs(Some(Role::Customer)),
        ["/customer", "/customer/evaluations", "/customer/appeals"]
    );
    assert_eq!(
        hrefs(Some(Role::Agent)),
        ["/agent", "/agent/feedback", "/agent/plans", "/agent/qa"]
    );
    assert_eq!(
        hrefs(Some(Role::TeamLead)),
        [
            "/lead",
            "/lead/plans",
            "/lead/reports",
            "/lead/qa/team",
            "/lead/qa"
        ]
    );
    assert_eq!(
        hrefs(Some(Role::QaInspector)),
        ["/qa", "/qa/plans", "/qa/rectifications", "/qa/templates"]
    );
    assert_eq!(
        hrefs(Some(Role::Admin)),
        [
            "/admin",
            "/admin/analytics",
            "/admin/reports",
            "/admin/users",
            "/admin/teams",
            "/admin/moderation",
            "/admin/appeals",
            "/admin/audit",
            "/qa"
        ]
    );
}
