//! Toasts: short notices of what just happened (a new evaluation, a new notification), in a
//! polite status region, each with a link to the thing and a button to dismiss it. A toast
//! hides after a while, unless the pointer or the focus is on it.

use std::time::Duration;

use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::{Locale, td_string, use_i18n};
use crate::locale::tr;

/// How long a toast stays unless the pointer or the focus is on it.
pub const TOAST_DURATION: Duration = Duration::from_secs(8);

/// One toast on screen.
#[derive(Debug, Clone, PartialEq)]
pub struct Shown<T> {
    pub id: u64,
    pub item: T,
}

/// The toasts on screen, oldest first.
#[derive(Debug)]
pub struct ToastList<T: Send + Sync + 'static> {
    shown: RwSignal<Vec<Shown<T>>>,
    next_id: StoredValue<u64>,
}

impl<T: Send + Sync + 'static> Clone for ToastList<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for ToastList<T> {}

impl<T: Send + Sync + 'static> Default for ToastList<T> {
    fn default() -> Self {
        ToastList {
            shown: RwSignal::new(Vec::new()),
            next_id: StoredValue::new(0),
        }
    }
}

impl<T: Clone + Send + Sync + 'static> ToastList<T> {
    /// The toasts on screen, oldest first (tracked).
    pub fn shown(self) -> Vec<Shown<T>> {
        self.shown.get()
    }

    /// Shows a toast and hides it after a while.
    pub fn show(self, item: T) {
        let id = self.next_id.get_value() + 1;
        self.next_id.set_value(id);
        self.shown.update(|all| all.push(Shown { id, item }));
        self.expire_later(id);
    }

    fn expire_later(self, id: u64) {
        set_timeout(move || self.expire(id), TOAST_DURATION);
    }

    /// Hides a toast whose time is up, unless the pointer or the focus is on it (then later).
    fn expire(self, id: u64) {
        let held = document()
            .query_selector(&format!("[data-toast='{id}']"))
            .ok()
            .flatten()
            .is_some_and(|el| el.matches(":hover, :focus-within").unwrap_or(false));
        if held {
            self.expire_later(id);
        } else {
            self.dismiss(id);
        }
    }

    /// Hides a toast.
    pub fn dismiss(self, id: u64) {
        self.shown.try_update(|all| all.retain(|t| t.id != id));
    }

    /// Hides them all (signed out).
    pub fn clear(self) {
        self.shown.update(Vec::clear);
    }
}

/// The toasts of a list, each with its words, a link to its thing and a dismiss button.
#[component]
pub fn ToastRegion<T>(
    /// The toasts.
    toasts: ToastList<T>,
    /// A toast's words.
    text: fn(Locale, &T) -> String,
    /// Where a toast's link leads.
    href: fn(&T) -> String,
    /// The link's words.
    link: fn(Locale) -> &'static str,
) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
{
    let i18n = use_i18n();
    view! {
        <div class="toast-region" role="status" aria-live="polite">
            <For each=move || toasts.shown() key=|toast| toast.id let:toast>
                {
                    let id = toast.id;
                    let text_id = format!("toast-{id}-text");
                    let item = toast.item;
                    let to = href(&item);
                    view! {
                        <div class="toast" data-toast=id.to_string()>
                            <p id=text_id.clone() class="toast-text">
                                {move || text(i18n.get_locale(), &item)}
                            </p>
                            <div class="toast-actions">
                                <A href=to attr:class="toast-link" on:click=move |_| toasts.dismiss(id)>
                                    {move || link(i18n.get_locale())}
                                </A>
                                <button
                                    type="button"
                                    class="button button-secondary button-small"
                                    aria-describedby=text_id
                                    on:click=move |_| toasts.dismiss(id)
                                >
                                    {tr(i18n, |l| td_string!(l, feedback.toast_dismiss))}
                                </button>
                            </div>
                        </div>
                    }
                }
            </For>
        </div>
    }
}
