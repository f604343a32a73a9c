//! The notification centre (`/notifications`, every staff role): one's notifications a page
//! at a time, all or only the unread ones (in the address), each with its kind, what it is
//! about, its due time and a link to the thing (which marks it read); "mark all read". The
//! list follows new notifications live. The settings are a second tab
//! (`/notifications/settings`).

pub mod settings;

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::params::ParamsMap;
use pingjia_domain::notifications::{Notification, NotificationPage};

use crate::api::notifications::{ListQuery, PER_PAGE};
use crate::api::{self, ApiError};
use crate::components::data_table::{Loaded, PagedList, Paging};
use crate::components::form::failure::AlertFailure;
use crate::components::notification_bell::{NOTIFICATIONS_PATH, use_notification_centre};
use crate::components::page::PageTitle;
use crate::format::local_time;
use crate::i18n::{Locale, td_string, use_i18n};
use crate::labels::event_name;
use crate::locale::tr;

/// The settings tab's address.
pub const SETTINGS_PATH: &str = "/notifications/settings";

/// The list's filter and page as the address carries them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListFilter {
    pub unread: bool,
    /// From 1.
    pub page: u32,
}

impl ListFilter {
    /// Reads the address; anything unreadable is left out.
    pub fn from_params(params: &ParamsMap) -> ListFilter {
        ListFilter {
            unread: params.get_str("unread") == Some("true"),
            page: params
                .get_str("page")
                .and_then(|p| p.parse().ok())
                .filter(|p| *p >= 1)
                .unwrap_or(1),
        }
    }

    /// The list's address (the first page and "all" left out).
    pub fn href(self) -> String {
        let mut pairs = Vec::new();
        if self.unread {
            pairs.push("unread=true".to_owned());
        }
        if self.page > 1 {
            pairs.push(format!("page={}", self.page));
        }
        if pairs.is_empty() {
            NOTIFICATIONS_PATH.to_owned()
        } else {
            format!("{NOTIFICATIONS_PATH}?{}", pairs.join("&"))
        }
    }

    /// The API's query.
    pub fn query(self) -> ListQuery {
        ListQuery {
            unread_only: self.unread,
            page: self.page,
            per_page: PER_PAGE,
        }
    }
}

/// Which tab of the centre shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    List,
    Settings,
}

/// The centre's title and its two tabs (links: each tab has its address).
#[component]
pub fn CentreHeading(
    /// The tab shown.
    current: Tab,
) -> impl IntoView {
    let i18n = use_i18n();
    let tab = move |tab: Tab, href: &'static str, label: fn(Locale) -> &'static str| {
        view! {
            <A href=href exact=true attr:class="tab" attr:aria-current=(tab == current).then_some("page")>
                {tr(i18n, label)}
            </A>
        }
    };
    view! {
        <PageTitle page=Signal::derive(move || td_string!(i18n.get_locale(), notifications.title)) />
        <h1>{tr(i18n, |l| td_string!(l, notifications.title))}</h1>
        <nav class="tabs" aria-label=move || td_string!(i18n.get_locale(), notifications.tabs)>
            {tab(Tab::List, NOTIFICATIONS_PATH, |l| td_string!(l, notifications.tab_list))}
            {tab(Tab::Settings, SETTINGS_PATH, |l| td_string!(l, notifications.tab_settings))}
        </nav>
    }
}

/// The list page.
#[component]
pub fn NotificationsPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let filter = Memo::new(move |_| query.with(ListFilter::from_params));
    let centre = use_notification_centre();
    let refreshed = RwSignal::new(0u32);
    let page = LocalResource::new(move || {
        let wanted = filter.get().query();
        refreshed.track();
        // A new notification shows at once.
        if let Some(centre) = centre {
            centre.arrived();
        }
        async move { api::notifications::list(&wanted).await }
    });
    let failure = RwSignal::new(None::<ApiError>);
    let read_all = Action::new_local(move |_: &()| async move {
        match api::notifications::mark_all_read().await {
            Ok(alert) => {
                if let Some(centre) = centre {
                    centre.set_unread(alert.unread);
                }
                failure.set(None);
                refreshed.update(|n| *n += 1);
            }
            Err(error) => failure.set(Some(error)),
        }
    });
    let show = move |unread: bool, label: fn(Locale) -> &'static str| {
        let href = ListFilter { unread, page: 1 }.href();
        view! {
            // A plain link (the router still handles it): `A` marks every link to this path
            // current, whatever its query, so both options showed as chosen.
            <a
                href=href
                class="button button-secondary button-small switch-option"
                aria-current=move || (filter.get().unread == unread).then_some("page")
            >
                {tr(i18n, label)}
            </a>
        }
    };
    view! {
        <CentreHeading current=Tab::List />
        <div class="notification-bar">
            <div class="preset-group" role="group" aria-label=move || td_string!(i18n.get_locale(), notifications.show)>
                {show(false, |l| td_string!(l, notifications.all))}
                {show(true, |l| td_string!(l, notifications.unread_only))}
            </div>
            <button
                type="button"
                class="button button-secondary"
                disabled=move || {
                    read_all.pending().get()
                        || centre.and_then(|c| c.unread()).is_some_and(|n| n == 0)
                }
                on:click=move |_| {
                    read_all.dispatch_local(());
                }
            >
                {tr(i18n, |l| td_string!(l, notifications.mark_all_read))}
            </button>
        </div>
        <AlertFailure failure />
        <Loaded
            resource=page
            view=move |found: NotificationPage| view! { <NotificationList found filter failure /> }
        />
    }
}

/// One page of notifications with the count and the paging.
#[component]
fn NotificationList(
    found: NotificationPage,
    filter: Memo<ListFilter>,
    failure: RwSignal<Option<ApiError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let paging = Paging::new(found.page, found.per_page, found.total, found.items.len());
    let total = found.total;
    let unread = found.unread;
    let unread_filter = filter.get_untracked().unread;
    let href = move |page: u64| {
        ListFilter {
            unread: unread_filter,
            page: u32::try_from(page).unwrap_or(1),
        }
        .href()
    };
    let empty = move || match (unread_filter, total) {
        (true, 0) => td_string!(i18n.get_locale(), notifications.empty_unread),
        (false, 0) => td_string!(i18n.get_locale(), notifications.empty),
        _ => td_string!(i18n.get_locale(), notifications.page_empty),
    };
    let count = move || {
        td_string!(
            i18n.get_locale(),
            notifications.count,
            total = total.to_string(),
            unread = unread.to_string()
        )
    };
    view! {
        <PagedList paging href count=count.into_any() empty=empty.into_any()>
            <ul class="notification-list" data-testid="notifications">
                {found
                    .items
                    .into_iter()
                    .map(|notification| view! { <NotificationItem notification failure /> })
                    .collect_view()}
            </ul>
        </PagedList>
    }
}

/// One notification: its kind and subject (the link to it, which marks it read), the due
/// time, when it came, and whether it is unread.
#[component]
fn NotificationItem(
    notification: Notification,
    failure: RwSignal<Option<ApiError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let centre = use_notification_centre();
    let Notification {
        id,
        event_type,
        subject,
        link,
        due_at,
        created_at,
        read_at,
    } = notification;
    let unread = read_at.is_none();
    let target = link.clone();
    // Read first, then away: the request must not be cut off by leaving the page.
    let open = move |ev: leptos::ev::MouseEvent| {
        if !unread || ev.ctrl_key() || ev.meta_key() || ev.shift_key() || ev.button() != 0 {
            return;
        }
        ev.prevent_default();
        let navigate = navigate.clone();
        let target = target.clone();
        leptos::task::spawn_local(async move {
            match api::notifications::mark_read(vec![id]).await {
                Ok(alert) => {
                    if let Some(centre) = centre {
                        centre.set_unread(alert.unread);
                    }
                }
                Err(error) => failure.set(Some(error)),
            }
            navigate(&target, Default::default());
        });
    };
    view! {
        <li
            class="notification-item"
            class:notification-unread=unread
            data-testid=format!("notification-{id}")
        >
            <p class="notification-title">
                <a href=link class="notification-link" on:click=open>
                    <span class="notification-kind">{move || event_name(i18n.get_locale(), event_type)}</span>
                    " "
                    <span class="notification-subject">{subject}</span>
                </a>
                {unread.then(|| view! {
                    " " <span class="badge badge-new">{tr(i18n, |l| td_string!(l, notifications.unread_badge))}</span>
                })}
            </p>
            <p class="notification-meta">
                {due_at.map(|due| view! {
                    <span class="notification-due">
                        {tr(i18n, |l| td_string!(l, notifications.due))} " " <time>{local_time(due)}</time>
                    </span>
                })}
                <span class="notification-time">
                    {tr(i18n, |l| td_string!(l, notifications.created))} " " <time>{local_time(created_at)}</time>
                </span>
            </p>
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn the_filter_round_trips_through_the_address() {
        let mut params = ParamsMap::new();
        assert_eq!(
            ListFilter::from_params(&params),
            ListFilter {
                unread: false,
                page: 1
            }
        );
        params.insert("unread", "true".to_owned());
        params.insert("page", "3".to_owned());
        let filter = ListFilter::from_params(&params);
        assert_eq!(filter.href(), "/notifications?unread=true&page=3");
        assert_eq!(
            ListFilter { page: 1, ..filter }.href(),
            "/notifications?unread=true"
        );
        let mut bad = ParamsMap::new();
        bad.insert("page", "0".to_owned());
        assert_eq!(ListFilter::from_params(&bad).page, 1);
    }
}
