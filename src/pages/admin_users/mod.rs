//! The admin's user management: the user list with its filters and paging, and the actions
//! on each user (`/admin/users`); creating a user (`new_user`) and importing a CSV file
//! (`import`) have their own pages.

mod dialogs;
pub mod import;
pub mod new_user;

use leptos::either::{Either, EitherOf3};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::params::ParamsMap;
use pingjia_domain::users::{DEFAULT_PER_PAGE, Team, User, UserPage};
use pingjia_domain::wire::Role;
use wasm_bindgen::JsCast;

use crate::api::query::{self, Paging, paged_href};
use crate::api::users::UserQuery;
use crate::api::{self};
use crate::components::error_panel::ErrorPanel;
use crate::components::page::PageTitle;
use crate::i18n::{t, t_string, td_string, use_i18n};
use crate::labels::{customer_type_name, role_name};
use crate::session::use_session;

use crate::components::filters::FilterActions;
use crate::components::pager::Pager;
pub use dialogs::conflict_text;
use dialogs::{Done, DoneMessage, EditUserDialog, PasswordDialog, StatusDialog};

/// Where the user list lives.
pub const USERS_PATH: &str = "/admin/users";

/// The filters and page of the user list as the address carries them.
pub fn query_from_params(params: &ParamsMap) -> UserQuery {
    let query: UserQuery = query::from_pairs(params.latest_values(), &[]);
    UserQuery {
        page: query.page.max(1),
        per_page: DEFAULT_PER_PAGE,
        ..query
    }
}

/// The address of the user list with these filters and page (the first page and the page
/// size left out).
pub fn users_href(query: &UserQuery) -> String {
    paged_href(USERS_PATH, query, Paging::after_first(query.page))
}

/// What an open dialog is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DialogKind {
    Edit,
    Password,
    Status,
}

/// The user list: search, filters, one page of users with their actions, and paging.
#[component]
pub fn AdminUsers() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_query_map();
    let query = Memo::new(move |_| params.with(query_from_params));
    let users = LocalResource::new(move || {
        let query = query.get();
        async move { api::users::list_users(&query).await }
    });
    let teams = LocalResource::new(api::users::list_teams);
    let team_list = Signal::derive(move || teams.get().and_then(Result::ok).unwrap_or_default());
    // What the last change did, announced politely.
    let announcement = RwSignal::new(None::<Done>);
    let dialog = RwSignal::new(None::<(DialogKind, RwSignal<User>)>);
    let open = Callback::new(move |(kind, user): (DialogKind, RwSignal<User>)| {
        announcement.set(None);
        dialog.set(Some((kind, user)));
    });
    let closed = Callback::new(move |()| dialog.set(None));
    let done = Callback::new(move |message: Done| announcement.set(Some(message)));

    let loading = move || {
        view! {
            <p class="status" role="status">
                {t!(i18n, status.loading)}
            </p>
        }
    };
    view! {
        <PageTitle page=Signal::derive(move || t_string!(i18n, users.title)) />
        <div class="page-head">
            <h1>{t!(i18n, users.title)}</h1>
            <p class="page-actions">
                <A href="/admin/users/new" attr:class="button">
                    {t!(i18n, new_user.title)}
                </A>
                <A href="/admin/users/import" attr:class="button button-secondary">
                    {t!(i18n, import.title)}
                </A>
            </p>
        </div>
        <Filters query teams=team_list />
        <p class="status" role="status">
            {move || announcement.get().map(|done| view! { <DoneMessage done /> })}
        </p>
        <Transition fallback=loading>
            {move || Suspend::new(async move {
                match users.await {
                    Ok(page) => {
                        Either::Left(view! { <UserList page on_action=open /> })
                    }
                    Err(error) => {
                        Either::Right(
                            view! {
                                <ErrorPanel error on_retry=Callback::new(move |()| users.refetch()) />
                            },
                        )
                    }
                }
            })}
        </Transition>
        {move || {
            dialog
                .get()
                .map(|(kind, user)| match kind {
                    DialogKind::Edit => {
                        EitherOf3::A(
                            view! { <EditUserDialog user teams=team_list on_close=closed done /> },
                        )
                    }
                    DialogKind::Password => {
                        EitherOf3::B(view! { <PasswordDialog user on_close=closed done /> })
                    }
                    DialogKind::Status => {
                        EitherOf3::C(view! { <StatusDialog user on_close=closed done /> })
                    }
                })
        }}
    }
}

/// The search box and filters. The address holds them: the form's controls show what it says
/// and submitting the form changes it.
#[component]
fn Filters(
    /// The filters in the address.
    query: Memo<UserQuery>,
    /// The teams to filter by.
    teams: Signal<Vec<Team>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let Some(form) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlFormElement>().ok())
        else {
            return;
        };
        let Ok(data) = web_sys::FormData::new_with_form(&form) else {
            return;
        };
        let value = |name: &str| data.get(name).as_string().unwrap_or_default();
        let wanted = UserQuery {
            q: Some(value("q")),
            role: Role::parse(&value("role")),
            team_id: value("team_id").parse().ok(),
            disabled: value("disabled").parse().ok(),
            page: 1,
            per_page: DEFAULT_PER_PAGE,
        };
        navigate(&users_href(&wanted), Default::default());
    };
    let filtered = move || {
        query.with(|q| {
            q.q.is_some() || q.role.is_some() || q.team_id.is_some() || q.disabled.is_some()
        })
    };
    let selected =
        move |current: Option<String>, option: &str| current.as_deref().unwrap_or("") == option;
    view! {
        <form class="filters" role="search" on:submit=on_submit>
            <div class="field filter-search">
                <label for="filter-q">{t!(i18n, users.search)}</label>
                <input
                    id="filter-q"
                    name="q"
                    type="search"
                    autocomplete="off"
                    spellcheck="false"
                    aria-describedby="filter-q-hint"
                    prop:value=move || query.with(|q| q.q.clone().unwrap_or_default())
                />
                <p id="filter-q-hint" class="field-hint">
                    {t!(i18n, users.search_hint)}
                </p>
            </div>
            <div class="field">
                <label for="filter-role">{t!(i18n, users.role)}</label>
                <select id="filter-role" name="role">
                    <option value="" prop:selected=move || query.with(|q| q.role.is_none())>
                        {t!(i18n, users.all_roles)}
                    </option>
                    {Role::ALL
                        .into_iter()
                        .map(|role| {
                            view! {
                                <option
                                    value=role.as_str()
                                    prop:selected=move || query.with(|q| q.role == Some(role))
                                >
                                    {move || role_name(i18n.get_locale(), role)}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="filter-team">{t!(i18n, users.team)}</label>
                <select id="filter-team" name="team_id">
                    <option value="" prop:selected=move || query.with(|q| q.team_id.is_none())>
                        {t!(i18n, users.all_teams)}
                    </option>
                    {move || {
                        teams
                            .get()
                            .into_iter()
                            .map(|team| {
                                let id = team.id;
                                view! {
                                    <option
                                        value=id.to_string()
                                        prop:selected=move || query.with(|q| q.team_id == Some(id))
                                    >
                                        {team.name}
                                    </option>
                                }
                            })
                            .collect_view()
                    }}
                </select>
            </div>
            <div class="field">
                <label for="filter-status">{t!(i18n, users.status)}</label>
                <select id="filter-status" name="disabled">
                    {[("", None), ("false", Some(false)), ("true", Some(true))]
                        .into_iter()
                        .map(|(value, disabled)| {
                            view! {
                                <option
                                    value=value
                                    prop:selected=move || {
                                        selected(
                                            query.with(|q| q.disabled.map(|d| d.to_string())),
                                            value,
                                        )
                                    }
                                >
                                    {move || match disabled {
                                        None => t_string!(i18n, users.all_statuses),
                                        Some(false) => t_string!(i18n, users.enabled),
                                        Some(true) => t_string!(i18n, users.disabled),
                                    }}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
            <FilterActions apply=|l| td_string!(l, users.apply) clear=|l| td_string!(l, users.clear_filters) clear_href=USERS_PATH.to_owned() filtered=Signal::derive(filtered) />
        </form>
    }
}

/// One page of users: the counts, the table (cards at phone width) and the paging.
#[component]
fn UserList(
    /// The page as loaded.
    page: UserPage,
    /// Opens a dialog about a user.
    on_action: Callback<(DialogKind, RwSignal<User>)>,
) -> impl IntoView {
    let i18n = use_i18n();
    let params = use_query_map();
    let query = params.with_untracked(query_from_params);
    let total = page.total;
    let per_page = u64::from(page.per_page.max(1));
    let pages = total.div_ceil(per_page).max(1);
    let current = u64::from(page.page);
    let first = (current - 1) * per_page + 1;
    let last = (first + page.users.len() as u64).saturating_sub(1);
    if page.users.is_empty() {
        let text = move || {
            if total == 0 {
                t_string!(i18n, users.none_found)
            } else {
                t_string!(i18n, users.page_empty)
            }
        };
        return Either::Left(view! { <p class="notice notice-empty">{text}</p> });
    }
    let rows: Vec<RwSignal<User>> = page.users.into_iter().map(RwSignal::new).collect();
    let href_of = move |page: u64| {
        let mut query = query.clone();
        query.page = u32::try_from(page).unwrap_or(1);
        users_href(&query)
    };
    let previous = (current > 1).then(|| href_of(current - 1));
    let next = (current < pages).then(|| href_of(current + 1));
    Either::Right(view! {
        <p class="list-count">{t!(i18n, users.count, count = move || total, first, last)}</p>
        <table class="data-table users-table" role="table">
            <caption class="visually-hidden">{t!(i18n, users.table_caption)}</caption>
            <thead role="rowgroup">
                <tr role="row">
                    <th role="columnheader" scope="col">{t!(i18n, users.name)}</th>
                    <th role="columnheader" scope="col">{t!(i18n, users.role)}</th>
                    <th role="columnheader" scope="col">{t!(i18n, users.identifiers)}</th>
                    <th role="columnheader" scope="col">{t!(i18n, users.phone)}</th>
                    <th role="columnheader" scope="col">{t!(i18n, users.team)}</th>
                    <th role="columnheader" scope="col">{t!(i18n, users.status)}</th>
                    <th role="columnheader" scope="col">{t!(i18n, users.actions)}</th>
                </tr>
            </thead>
            <tbody role="rowgroup">
                {rows
                    .into_iter()
                    .map(|user| view! { <UserRow user on_action /> })
                    .collect_view()}
            </tbody>
        </table>
        <Pager previous next page={current} pages={pages} />
    })
}

/// One user's row: every cell follows the user's signal, so a change made in a dialog shows
/// at once and keeps the row (and the focus in it).
#[component]
fn UserRow(
    /// The user.
    user: RwSignal<User>,
    /// Opens a dialog about the user.
    on_action: Callback<(DialogKind, RwSignal<User>)>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let me = Memo::new(move |_| session.me().map(|me| me.id));
    // An empty cell shows a dash, so a card at phone width has no blank line.
    let field = move |f: fn(&User) -> Option<String>| {
        move || user.with(f).unwrap_or_else(|| "—".to_owned())
    };
    let name = move || user.with(|u| u.display_name.clone());
    let id = user.with_untracked(|u| u.id);
    let is_me = move || me.get() == Some(id);
    // Each action button is named by its own text and the user's name: "Edit 张伟".
    let name_id = format!("user-{id}-name");
    let named = move |action: &str| format!("user-{id}-{action} user-{id}-name");
    view! {
        <tr role="row" class:row-disabled=move || user.with(|u| u.disabled)>
            <th
                role="rowheader"
                scope="row"
                id=name_id
                data-label=move || t_string!(i18n, users.name)
            >
                {name}
            </th>
            <td role="cell" data-label=move || t_string!(i18n, users.role)>
                {move || role_name(i18n.get_locale(), user.with(|u| u.role))}
                {move || {
                    user.with(|u| u.customer_type)
                        .map(|kind| {
                            view! {
                                <span class="muted">
                                    " · " {customer_type_name(i18n.get_locale(), kind)}
                                </span>
                            }
                        })
                }}
            </td>
            <td role="cell" data-label=move || t_string!(i18n, users.identifiers)>
                <Identifiers user />
            </td>
            <td role="cell" data-label=move || t_string!(i18n, users.phone)>
                {field(|u| u.phone.clone())}
            </td>
            <td role="cell" data-label=move || t_string!(i18n, users.team)>
                {field(|u| u.team_name.clone())}
            </td>
            <td role="cell" data-label=move || t_string!(i18n, users.status)>
                <span class="badge" class:badge-off=move || user.with(|u| u.disabled)>
                    {move || {
                        if user.with(|u| u.disabled) {
                            t_string!(i18n, users.disabled)
                        } else {
                            t_string!(i18n, users.enabled)
                        }
                    }}
                </span>
                {move || {
                    user.with(|u| !u.has_password)
                        .then(|| {
                            view! {
                                <span class="badge badge-warn">{t!(i18n, users.no_password)}</span>
                            }
                        })
                }}
            </td>
            <td role="cell" data-label=move || t_string!(i18n, users.actions)>
                <div class="row-actions">
                    <button
                        type="button"
                        class="button button-secondary button-small"
                        id=format!("user-{id}-edit")
                        aria-labelledby=named("edit")
                        on:click=move |_| on_action.run((DialogKind::Edit, user))
                    >
                        {t!(i18n, users.edit)}
                    </button>
                    <button
                        type="button"
                        class="button button-secondary button-small"
                        id=format!("user-{id}-password")
                        aria-labelledby=named("password")
                        on:click=move |_| on_action.run((DialogKind::Password, user))
                    >
                        {t!(i18n, users.reset_password)}
                    </button>
                    {move || {
                        (!is_me())
                            .then(|| {
                                view! {
                                    <button
                                        type="button"
                                        class="button button-secondary button-small"
                                        id=format!("user-{id}-status")
                                        aria-labelledby=named("status")
                                        on:click=move |_| on_action.run((DialogKind::Status, user))
                                    >
                                        {move || {
                                            if user.with(|u| u.disabled) {
                                                t_string!(i18n, users.enable)
                                            } else {
                                                t_string!(i18n, users.disable)
                                            }
                                        }}
                                    </button>
                                }
                            })
                    }}
                </div>
            </td>
        </tr>
    }
}

/// A user's employee, customer and member numbers, each with its name.
#[component]
fn Identifiers(
    /// The user.
    user: RwSignal<User>,
) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        let (employee, customer, member) = user.with(|u| {
            (
                u.employee_no.clone(),
                u.customer_no.clone(),
                u.member_no.clone(),
            )
        });
        let entry = |label: &'static str, number: Option<String>| {
            number.map(|number| {
                view! {
                    <span class="identifier">
                        <span class="muted">{label}</span>
                        " "
                        <span class="mono">{number}</span>
                    </span>
                }
            })
        };
        let locale = i18n.get_locale();
        view! {
            <span class="identifiers">
                {entry(td_string!(locale, users.employee_no_short), employee)}
                {entry(td_string!(locale, users.customer_no_short), customer)}
                {entry(td_string!(locale, users.member_no_short), member)}
            </span>
        }
    }
}
