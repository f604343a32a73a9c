//! The admin's user management: the user list with its filters and paging, and the actions
//! on each user (`/admin/users`); creating a user (`new_user`) and importing a CSV file
//! (`import`) have their own pages.

mod dialogs;
pub mod import;
pub mod new_user;

use leptos::either::EitherOf3;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::params::ParamsMap;
use pingjia_domain::users::{DEFAULT_PER_PAGE, Team, User, UserPage};
use pingjia_domain::wire::Role;

use crate::api::query::{self, paged_href};
use crate::api::users::UserQuery;
use crate::api::{self};
use crate::components::page::PageTitle;
use crate::i18n::{t, t_string, td_string, use_i18n};
use crate::labels::{customer_type_name, role_name, team_label, team_name};
use crate::session::use_session;

use crate::components::data_table::{Column, DataTable, Loaded, PagedList, Paging, Rows};
use crate::components::filters::{FilterActions, SelectFilter, submitted_values};
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
    paged_href(USERS_PATH, query, query::Paging::after_first(query.page))
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
        <Loaded resource=users view=move |page| view! { <UserList page on_action=open /> } />
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
        let Some(value) = submitted_values(&ev) else {
            return;
        };
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
            <SelectFilter
                id="filter-role"
                name="role"
                label=|l| td_string!(l, users.role)
                all=|l| td_string!(l, users.all_roles)
                options=Signal::derive(move || {
                    let locale = i18n.get_locale();
                    Role::ALL.map(|r| (r.as_str().to_owned(), role_name(locale, r).to_owned())).to_vec()
                })
                selected=Signal::derive(move || query.with(|q| q.role.map(|r| r.as_str().to_owned()).unwrap_or_default()))
            />
            <SelectFilter
                id="filter-team"
                name="team_id"
                label=|l| td_string!(l, users.team)
                all=|l| td_string!(l, users.all_teams)
                options=Signal::derive(move || teams.get().into_iter().map(|t| (t.id.to_string(), team_label(i18n.get_locale(), &t))).collect())
                selected=Signal::derive(move || query.with(|q| q.team_id.map(|t| t.to_string()).unwrap_or_default()))
            />
            <SelectFilter
                id="filter-status"
                name="disabled"
                label=|l| td_string!(l, users.status)
                all=|l| td_string!(l, users.all_statuses)
                options=Signal::derive(move || {
                    vec![
                        ("false".to_owned(), t_string!(i18n, users.enabled).to_owned()),
                        ("true".to_owned(), t_string!(i18n, users.disabled).to_owned()),
                    ]
                })
                selected=Signal::derive(move || query.with(|q| q.disabled.map(|d| d.to_string()).unwrap_or_default()))
            />
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
    let paging = Paging::new(page.page, page.per_page, page.total, page.users.len());
    let Paging {
        total, first, last, ..
    } = paging;
    let empty = move || {
        if total == 0 {
            t_string!(i18n, users.none_found)
        } else {
            t_string!(i18n, users.page_empty)
        }
    };
    let rows: Vec<RwSignal<User>> = page.users.into_iter().map(RwSignal::new).collect();
    let href = move |page: u64| {
        let mut query = query.clone();
        query.page = u32::try_from(page).unwrap_or(1);
        users_href(&query)
    };
    let disabled = |user: &RwSignal<User>| {
        let user = *user;
        Signal::derive(move || user.with(|u| u.disabled))
    };
    view! {
        <PagedList
            paging
            href
            count=t!(i18n, users.count, count = move || total, first, last).into_any()
            empty=empty.into_any()
        >
            <DataTable
                class="data-table users-table"
                caption=|l| td_string!(l, users.table_caption)
                roles=true
                columns=user_columns(on_action)
                rows
                row=Rows::default().flag("row-disabled", disabled)
            />
        </PagedList>
    }
}

/// The columns of the user list: every cell follows the user's signal, so a change made in a
/// dialog shows at once and keeps the row (and the focus in it).
fn user_columns(on_action: Callback<(DialogKind, RwSignal<User>)>) -> Vec<Column<RwSignal<User>>> {
    let i18n = use_i18n();
    let session = use_session();
    let me = Memo::new(move |_| session.me().map(|me| me.id));
    // An empty cell shows a dash, so a card at phone width has no blank line.
    let field = |f: fn(&User) -> Option<String>| {
        move |user: &RwSignal<User>| {
            let user = *user;
            move || user.with(f).unwrap_or_else(|| "—".to_owned())
        }
    };
    vec![
        Column::new(
            |l| td_string!(l, users.name),
            |user: &RwSignal<User>| {
                let user = *user;
                move || user.with(|u| u.display_name.clone())
            },
        )
        .row_header(Some(|user: &RwSignal<User>| {
            format!("user-{}-name", user.with_untracked(|u| u.id))
        })),
        Column::new(
            |l| td_string!(l, users.role),
            move |user: &RwSignal<User>| {
                let user = *user;
                view! {
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
                }
            },
        ),
        Column::new(
            |l| td_string!(l, users.identifiers),
            |user: &RwSignal<User>| {
                view! { <Identifiers user=*user /> }
            },
        ),
        Column::new(|l| td_string!(l, users.phone), field(|u| u.phone.clone())),
        Column::new(|l| td_string!(l, users.email), field(|u| u.email.clone())),
        Column::new(
            |l| td_string!(l, users.team),
            move |user: &RwSignal<User>| {
                let user = *user;
                move || {
                    user.with(|u| {
                        u.team_name
                            .as_deref()
                            .map(|zh| team_name(i18n.get_locale(), zh, u.team_name_en.as_deref()))
                    })
                    .unwrap_or_else(|| "—".to_owned())
                }
            },
        ),
        Column::new(
            |l| td_string!(l, users.status),
            move |user: &RwSignal<User>| {
                let user = *user;
                view! {
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
                }
            },
        ),
        Column::actions(
            |l| td_string!(l, users.actions),
            move |user: &RwSignal<User>| {
                view! { <UserActions user=*user me on_action /> }
            },
        ),
    ]
}

/// The buttons about one user; each is named by its own text and the user's name:
/// "Edit 张伟".
#[component]
fn UserActions(
    /// The user.
    user: RwSignal<User>,
    /// The signed-in user's id.
    me: Memo<Option<i64>>,
    /// Opens a dialog about the user.
    on_action: Callback<(DialogKind, RwSignal<User>)>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = user.with_untracked(|u| u.id);
    let is_me = move || me.get() == Some(id);
    let named = move |action: &str| format!("user-{id}-{action} user-{id}-name");
    view! {
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
        let (employee, customer, member, generated) = user.with(|u| {
            (
                u.employee_no.clone(),
                u.customer_no.clone(),
                u.member_no.clone(),
                u.customer_no_generated,
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
                {generated
                    .then(|| {
                        view! {
                            <span class="badge" title=td_string!(locale, users.generated_no_title)>
                                {td_string!(locale, users.generated_no)}
                            </span>
                        }
                    })}
                {entry(td_string!(locale, users.member_no_short), member)}
            </span>
        }
    }
}
