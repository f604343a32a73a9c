//! The dialogs of the user list: edit a user's name, role and team (a customer's mobile
//! number and e-mail address); set a new password; disable or re-enable an account.

use leptos::ev::SubmitEvent;
use leptos::html;
use leptos::prelude::*;
use pingjia_domain::FieldError;
use pingjia_domain::auth::check_password_shape;
use pingjia_domain::users::{
    SetPasswordRequest, Team, User, UserPatch, check_display_name, has_team,
};
use pingjia_domain::wire::Role;

use crate::api::{self, ApiError};
use crate::components::dialog::{FormDialog, close_dialog};
use crate::components::form::failure::{FormFailure, refused};
use crate::components::form::{FieldErrors, SelectField, TextField, focus_first_invalid};
use crate::i18n::{Locale, t, t_string, td_string, use_i18n};
use crate::labels::role_name;
use crate::session::use_session;

/// What a dialog did, announced on the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Done {
    Saved(String),
    PasswordSet(String),
    Disabled(String),
    Enabled(String),
}

/// What a dialog did, in words.
#[component]
pub fn DoneMessage(
    /// What was done.
    done: Done,
) -> impl IntoView {
    let i18n = use_i18n();
    match done {
        Done::Saved(name) => t!(i18n, users.saved, name).into_any(),
        Done::PasswordSet(name) => t!(i18n, users.password_set, name).into_any(),
        Done::Disabled(name) => t!(i18n, users.disabled_done, name).into_any(),
        Done::Enabled(name) => t!(i18n, users.enabled_done, name).into_any(),
    }
}

/// The roles a staff account can be given.
const STAFF_ROLES: [Role; 4] = [Role::Agent, Role::TeamLead, Role::QaInspector, Role::Admin];

/// Edit a user's display name, and for staff their role (not one's own) and team.
#[component]
pub fn EditUserDialog(
    /// The user; set to the saved user on success.
    user: RwSignal<User>,
    /// The teams to choose from.
    teams: Signal<Vec<Team>>,
    /// Called once the dialog has closed.
    on_close: Callback<()>,
    /// Called with what was done, to announce it.
    done: Callback<Done>,
) -> impl IntoView {
    const FORM_ID: &str = "edit-user-form";
    let i18n = use_i18n();
    let session = use_session();
    let node = NodeRef::<html::Dialog>::new();
    let original = user.get_untracked();
    let id = original.id;
    let title_name = original.display_name.clone();
    let is_me = session.me().map(|me| me.id) == Some(id);
    let staff = original.role != Role::Customer;
    let name = RwSignal::new(original.display_name.clone());
    let role = RwSignal::new(original.role.as_str().to_owned());
    let team = RwSignal::new(original.team_id.map(|t| t.to_string()).unwrap_or_default());
    // A customer's contacts are shown masked: a new value replaces one, blank keeps it.
    let phone = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let current_phone = original.phone.clone();
    let current_email = original.email.clone();
    let chosen_role = Memo::new(move |_| role.with(|r| Role::parse(r)).unwrap_or(original.role));
    let errors = FieldErrors::default();
    let failure = RwSignal::new(None::<ApiError>);
    let action = Action::new_local(move |patch: &UserPatch| {
        let patch = patch.clone();
        async move {
            match api::users::update_user(id, &patch).await {
                Ok(saved) => {
                    let message = Done::Saved(saved.display_name.clone());
                    user.set(saved);
                    done.run(message);
                    close_dialog(node);
                }
                Err(error) => refused(error, failure, |found| {
                    errors.set(found);
                    focus_first_invalid(FORM_ID);
                }),
            }
        }
    });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if action.pending().get_untracked() {
            return;
        }
        failure.set(None);
        let display_name = name.get_untracked().trim().to_owned();
        if let Some(error) = check_display_name("display_name", &display_name) {
            errors.set(vec![error]);
            focus_first_invalid(FORM_ID);
            return;
        }
        errors.clear();
        let new_role = chosen_role.get_untracked();
        let new_team = team.with_untracked(|t| t.parse::<i64>().ok());
        let typed = |value: RwSignal<String>| {
            let value = value.get_untracked().trim().to_owned();
            (!value.is_empty()).then_some(Some(value))
        };
        let patch = UserPatch {
            display_name: (display_name != original.display_name).then_some(display_name),
            role: (new_role != original.role).then_some(new_role),
            team_id: if has_team(new_role) {
                (new_team != original.team_id).then_some(new_team)
            } else {
                original.team_id.map(|_| None)
            },
            disabled: None,
            phone: typed(phone),
            email: typed(email),
        };
        if let Err(found) = patch.contacts(!staff) {
            errors.set(found);
            focus_first_invalid(FORM_ID);
            return;
        }
        if patch == UserPatch::default() {
            close_dialog(node);
        } else {
            action.dispatch_local(patch);
        }
    };
    // What a contact field says: the current (masked) value and where messages go.
    let contact_hint = move |current: Option<String>, staff: bool| {
        Signal::derive(move || {
            let locale = i18n.get_locale();
            Some(match (&current, staff) {
                (Some(current), false) => {
                    td_string!(locale, users.contact_hint_current, current).to_string()
                }
                (None, false) => td_string!(locale, users.contact_hint_none).to_owned(),
                (Some(current), true) => {
                    td_string!(locale, users.staff_email_hint_current, current).to_string()
                }
                (None, true) => td_string!(locale, users.staff_email_hint_none).to_owned(),
            })
        })
    };
    let role_options = Signal::derive(move || {
        STAFF_ROLES
            .iter()
            .map(|role| {
                (
                    role.as_str().to_owned(),
                    role_name(i18n.get_locale(), *role).to_owned(),
                )
            })
            .collect::<Vec<_>>()
    });
    let team_options = Signal::derive(move || {
        std::iter::once((String::new(), t_string!(i18n, users.no_team).to_owned()))
            .chain(teams.get().into_iter().map(|t| (t.id.to_string(), t.name)))
            .collect::<Vec<_>>()
    });
    view! {
        <FormDialog
            node_ref=node
            title_id="edit-user-title"
            title=t!(i18n, users.edit_title, name = title_name.clone()).into_any()
            form_id=FORM_ID
            on_submit
            on_close
            submit=Signal::derive(move || t_string!(i18n, dialogs.save))
            pending=action.pending()
        >
                <TextField
                    id="edit-display-name"
                    label=Signal::derive(move || t_string!(i18n, users.name))
                    value=name
                    autocomplete="off"
                    required=true
                    error=errors.of("display_name")
                />
                {(staff && !is_me)
                    .then(|| {
                        view! {
                            <SelectField
                                id="edit-role"
                                label=Signal::derive(move || t_string!(i18n, users.role))
                                value=role
                                options=role_options
                                error=errors.of("role")
                            />
                        }
                    })}
                {(staff && is_me)
                    .then(|| view! { <p class="field-hint">{t!(i18n, users.own_role_fixed)}</p> })}
                {move || {
                    has_team(chosen_role.get())
                        .then(|| {
                            view! {
                                <SelectField
                                    id="edit-team"
                                    label=Signal::derive(move || t_string!(i18n, users.team))
                                    value=team
                                    options=team_options
                                    error=errors.of("team_id")
                                />
                            }
                        })
                }}
                {(!staff).then(|| {
                    view! {
                        <TextField
                            id="edit-phone"
                            label=Signal::derive(move || t_string!(i18n, users.phone))
                            value=phone
                            input_type="tel"
                            inputmode="numeric"
                            autocomplete="off"
                            optional=true
                            hint=contact_hint(current_phone.clone(), false)
                            error=errors.of("phone")
                        />
                    }
                })}
                // Anyone may have an address: a customer's messages, a staff member's
                // notifications by e-mail.
                <TextField
                    id="edit-email"
                    label=Signal::derive(move || t_string!(i18n, users.email))
                    value=email
                    input_type="email"
                    autocomplete="off"
                    optional=true
                    hint=contact_hint(current_email.clone(), staff)
                    error=errors.of("email")
                />
                <FormFailure failure explain=conflict_text />
        </FormDialog>
    }
}

/// Set a new password for a user (who forgot theirs or never had one); their sessions end.
#[component]
pub fn PasswordDialog(
    /// The user.
    user: RwSignal<User>,
    /// Called once the dialog has closed.
    on_close: Callback<()>,
    /// Called with what was done, to announce it.
    done: Callback<Done>,
) -> impl IntoView {
    const FORM_ID: &str = "password-dialog-form";
    let i18n = use_i18n();
    let node = NodeRef::<html::Dialog>::new();
    let original = user.get_untracked();
    let id = original.id;
    let display_name = original.display_name.clone();
    let identifiers: Vec<String> = [
        original.employee_no.clone(),
        original.customer_no.clone(),
        original.member_no.clone(),
    ]
    .into_iter()
    .flatten()
    .collect();
    let password = RwSignal::new(String::new());
    let errors = FieldErrors::default();
    let failure = RwSignal::new(None::<ApiError>);
    let action = Action::new_local(move |request: &SetPasswordRequest| {
        let request = request.clone();
        let display_name = display_name.clone();
        async move {
            match api::users::set_password(id, &request).await {
                Ok(()) => {
                    user.update(|u| u.has_password = true);
                    done.run(Done::PasswordSet(display_name));
                    close_dialog(node);
                }
                Err(error) => refused(error, failure, |found| {
                    errors.set(found);
                    focus_first_invalid(FORM_ID);
                }),
            }
        }
    });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if action.pending().get_untracked() {
            return;
        }
        failure.set(None);
        let new_password = password.get_untracked();
        let logins: Vec<&str> = identifiers.iter().map(String::as_str).collect();
        let problem = if new_password.is_empty() {
            Some(FieldError::new(
                "new_password",
                "required",
                "enter a password",
            ))
        } else {
            check_password_shape(&new_password, &logins)
                .err()
                .map(|p| FieldError::new("new_password", p.code(), p.message()))
        };
        match problem {
            Some(error) => {
                errors.set(vec![error]);
                focus_first_invalid(FORM_ID);
            }
            None => {
                errors.clear();
                action.dispatch_local(SetPasswordRequest { new_password });
            }
        }
    };
    view! {
        <FormDialog
            node_ref=node
            title_id="password-dialog-title"
            title=t!(i18n, users.password_title, name = original.display_name.clone()).into_any()
            form_id=FORM_ID
            on_submit
            on_close
            submit=Signal::derive(move || t_string!(i18n, users.set_password))
            pending=action.pending()
        >
                <p>{t!(i18n, users.password_body)}</p>
                <TextField
                    id="reset-new-password"
                    label=Signal::derive(move || t_string!(i18n, password.new))
                    hint=Signal::derive(move || Some(t_string!(i18n, password.policy).to_owned()))
                    value=password
                    input_type="password"
                    autocomplete="new-password"
                    required=true
                    error=errors.of("new_password")
                />
                <FormFailure failure explain=conflict_text />
        </FormDialog>
    }
}

/// Confirm disabling (or re-enabling) an account.
#[component]
pub fn StatusDialog(
    /// The user.
    user: RwSignal<User>,
    /// Called once the dialog has closed.
    on_close: Callback<()>,
    /// Called with what was done, to announce it.
    done: Callback<Done>,
) -> impl IntoView {
    let i18n = use_i18n();
    let node = NodeRef::<html::Dialog>::new();
    let original = user.get_untracked();
    let id = original.id;
    let disable = !original.disabled;
    let name = original.display_name.clone();
    let failure = RwSignal::new(None::<ApiError>);
    let action = Action::new_local(move |_: &()| {
        let patch = UserPatch {
            disabled: Some(disable),
            ..UserPatch::default()
        };
        async move {
            match api::users::update_user(id, &patch).await {
                Ok(saved) => {
                    let name = saved.display_name.clone();
                    let message = if disable {
                        Done::Disabled(name)
                    } else {
                        Done::Enabled(name)
                    };
                    user.set(saved);
                    done.run(message);
                    close_dialog(node);
                }
                Err(error) => failure.set(Some(error)),
            }
        }
    });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if !action.pending().get_untracked() {
            failure.set(None);
            action.dispatch_local(());
        }
    };
    let title = if disable {
        t!(i18n, users.disable_title, name = name.clone()).into_any()
    } else {
        t!(i18n, users.enable_title, name = name.clone()).into_any()
    };
    let body = if disable {
        t!(i18n, users.disable_body, name).into_any()
    } else {
        t!(i18n, users.enable_body, name).into_any()
    };
    view! {
        <FormDialog
            node_ref=node
            title_id="status-dialog-title"
            title
            on_submit
            on_close
            submit=Signal::derive(move || {
                if disable {
                    t_string!(i18n, users.disable)
                } else {
                    t_string!(i18n, users.enable)
                }
            })
            pending=action.pending()
        >
            <p>{body}</p>
            <FormFailure failure explain=conflict_text />
        </FormDialog>
    }
}

/// The message to show when a change to a user was refused for a reason other than its
/// fields (409: e.g. the user leads a team).
pub fn conflict_text(locale: Locale, error: &ApiError) -> Option<&'static str> {
    matches!(error, ApiError::Conflict(_)).then(|| td_string!(locale, users.change_conflict))
}
