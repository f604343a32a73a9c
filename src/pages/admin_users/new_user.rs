//! Creating a user (`/admin/users/new`): the fields follow the role; what is typed is kept as
//! a draft until the user is created.

use leptos::either::Either;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::components::A;
use pingjia_domain::users::{NewUser, User, has_team};
use pingjia_domain::wire::{CustomerType, Role};
use serde::{Deserialize, Serialize};

use crate::api::users::UserQuery;
use crate::api::{self, ApiError};
use crate::components::error_panel::error_message;
use crate::components::form::failure::refused;
use crate::components::form::{
    FieldErrors, RadioGroup, SelectField, TextField, focus_first_invalid,
};
use crate::components::page::PageTitle;
use crate::drafts;
use crate::i18n::{t, t_string, use_i18n};
use crate::labels::{customer_type_name, role_name, team_label};
use crate::pages::admin_users::{USERS_PATH, users_href};

const FORM_ID: &str = "new-user-form";
/// The draft's name in `sessionStorage`.
pub const DRAFT: &str = "new-user";

/// What the form holds, as kept between visits (the password never is).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    pub role: String,
    pub display_name: String,
    pub employee_no: String,
    pub customer_no: String,
    pub member_no: String,
    pub phone: String,
    /// Kept drafts from before the e-mail field read as empty.
    #[serde(default)]
    pub email: String,
    pub customer_type: String,
    pub team_id: String,
}

impl Default for Draft {
    fn default() -> Self {
        Draft {
            role: Role::Agent.as_str().to_owned(),
            display_name: String::new(),
            employee_no: String::new(),
            customer_no: String::new(),
            member_no: String::new(),
            phone: String::new(),
            email: String::new(),
            customer_type: String::new(),
            team_id: String::new(),
        }
    }
}

impl Draft {
    /// Whether nothing but the role was chosen.
    pub fn is_blank(&self) -> bool {
        [
            &self.display_name,
            &self.employee_no,
            &self.customer_no,
            &self.member_no,
            &self.phone,
            &self.email,
            &self.customer_type,
            &self.team_id,
        ]
        .iter()
        .all(|field| field.trim().is_empty())
    }

    /// The account to create: only the fields of the chosen role, normalised.
    pub fn to_new_user(&self, password: &str) -> NewUser {
        let role = Role::parse(&self.role).unwrap_or(Role::Agent);
        let customer = role == Role::Customer;
        let customer_type = CustomerType::parse(&self.customer_type);
        let text = |value: &str, wanted: bool| {
            (wanted && !value.trim().is_empty()).then(|| value.to_owned())
        };
        NewUser {
            role,
            display_name: self.display_name.clone(),
            employee_no: text(&self.employee_no, !customer),
            customer_no: text(&self.customer_no, customer),
            member_no: text(
                &self.member_no,
                customer && customer_type == Some(CustomerType::Member),
            ),
            phone: text(&self.phone, customer),
            // Anyone's: a customer's messages, a staff member's notifications by e-mail.
            email: text(&self.email, true),
            customer_type: customer_type.filter(|_| customer),
            team_id: self.team_id.parse().ok().filter(|_| has_team(role)),
            password: (!password.is_empty()).then(|| password.to_owned()),
        }
        .normalized()
    }
}

/// The form's fields, one signal each.
#[derive(Clone, Copy)]
struct Fields {
    role: RwSignal<String>,
    display_name: RwSignal<String>,
    employee_no: RwSignal<String>,
    customer_no: RwSignal<String>,
    member_no: RwSignal<String>,
    phone: RwSignal<String>,
    email: RwSignal<String>,
    customer_type: RwSignal<String>,
    team_id: RwSignal<String>,
}

impl Fields {
    fn new(draft: Draft) -> Self {
        Fields {
            role: RwSignal::new(draft.role),
            display_name: RwSignal::new(draft.display_name),
            employee_no: RwSignal::new(draft.employee_no),
            customer_no: RwSignal::new(draft.customer_no),
            member_no: RwSignal::new(draft.member_no),
            phone: RwSignal::new(draft.phone),
            email: RwSignal::new(draft.email),
            customer_type: RwSignal::new(draft.customer_type),
            team_id: RwSignal::new(draft.team_id),
        }
    }

    /// The draft (tracked).
    fn draft(self) -> Draft {
        Draft {
            role: self.role.get(),
            display_name: self.display_name.get(),
            employee_no: self.employee_no.get(),
            customer_no: self.customer_no.get(),
            member_no: self.member_no.get(),
            phone: self.phone.get(),
            email: self.email.get(),
            customer_type: self.customer_type.get(),
            team_id: self.team_id.get(),
        }
    }

    /// Empties every field but the role, ready for the next user.
    fn reset(self) {
        let role = self.role.get_untracked();
        let empty = Draft {
            role,
            ..Draft::default()
        };
        self.display_name.set(empty.display_name);
        self.employee_no.set(empty.employee_no);
        self.customer_no.set(empty.customer_no);
        self.member_no.set(empty.member_no);
        self.phone.set(empty.phone);
        self.email.set(empty.email);
        self.customer_type.set(empty.customer_type);
        self.team_id.set(empty.team_id);
    }
}

/// The user list filtered to the new user's first identifier.
fn list_href(user: &User) -> String {
    let q = user
        .employee_no
        .clone()
        .or_else(|| user.customer_no.clone())
        .unwrap_or_else(|| user.display_name.clone());
    users_href(&UserQuery {
        q: Some(q),
        page: 1,
        ..UserQuery::default()
    })
}

/// The create-user page.
#[component]
pub fn NewUserPage() -> impl IntoView {
    let i18n = use_i18n();
    let kept: Option<Draft> = drafts::load(DRAFT);
    let restored = kept.as_ref().is_some_and(|d| !d.is_blank());
    let fields = Fields::new(kept.unwrap_or_default());
    let password = RwSignal::new(String::new());
    Effect::new(move || drafts::save(DRAFT, &fields.draft()));
    let teams = LocalResource::new(api::users::list_teams);
    let errors = FieldErrors::default();
    let failure = RwSignal::new(None::<ApiError>);
    let created = RwSignal::new(None::<User>);
    let action = Action::new_local(move |user: &NewUser| {
        let user = user.clone();
        async move {
            match api::users::create_user(&user).await {
                Ok(user) => {
                    fields.reset();
                    password.set(String::new());
                    errors.clear();
                    drafts::clear(DRAFT);
                    created.set(Some(user));
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
        created.set(None);
        let user = fields.draft().to_new_user(&password.get_untracked());
        let problems = user.validate();
        if problems.is_empty() {
            errors.clear();
            action.dispatch_local(user);
        } else {
            errors.set(problems);
            focus_first_invalid(FORM_ID);
        }
    };
    let clear = move |_| {
        fields.reset();
        password.set(String::new());
        errors.clear();
        failure.set(None);
        created.set(None);
    };

    let role = Memo::new(move |_| fields.role.with(|r| Role::parse(r)).unwrap_or(Role::Agent));
    let customer = move || role.get() == Role::Customer;
    let member = move || {
        fields
            .customer_type
            .with(|t| t == CustomerType::Member.as_str())
    };
    let role_options = Signal::derive(move || {
        Role::ALL
            .iter()
            .map(|r| {
                (
                    r.as_str().to_owned(),
                    role_name(i18n.get_locale(), *r).to_owned(),
                )
            })
            .collect::<Vec<_>>()
    });
    let type_options = Signal::derive(move || {
        CustomerType::ALL
            .iter()
            .map(|k| (k.as_str(), customer_type_name(i18n.get_locale(), *k)))
            .collect::<Vec<_>>()
    });
    let team_options = Signal::derive(move || {
        std::iter::once((String::new(), t_string!(i18n, users.no_team).to_owned()))
            .chain(
                teams
                    .get()
                    .and_then(Result::ok)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|t| (t.id.to_string(), team_label(i18n.get_locale(), &t))),
            )
            .collect::<Vec<_>>()
    });
    let hint = move |text: fn(crate::i18n::Locale) -> &'static str| {
        Signal::derive(move || Some(text(i18n.get_locale()).to_owned()))
    };

    view! {
        <PageTitle page=Signal::derive(move || t_string!(i18n, new_user.title)) />
        <p class="breadcrumb">
            <A href=USERS_PATH>{t!(i18n, users.back_to_list)}</A>
        </p>
        <section class="narrow" aria-labelledby="new-user-title">
            <h1 id="new-user-title">{t!(i18n, new_user.title)}</h1>
            <p class="lead">{t!(i18n, new_user.intro)}</p>
            {restored
                .then(|| {
                    view! { <p class="notice" role="status">{t!(i18n, new_user.restored)}</p> }
                })}
            <form id=FORM_ID class="form" novalidate on:submit=on_submit>
                <SelectField
                    id="role"
                    label=Signal::derive(move || t_string!(i18n, users.role))
                    value=fields.role
                    options=role_options
                    error=errors.of("role")
                />
                <TextField
                    id="display_name"
                    label=Signal::derive(move || t_string!(i18n, users.name))
                    value=fields.display_name
                    autocomplete="off"
                    required=true
                    error=errors.of("display_name")
                />
                {move || {
                    if customer() {
                        Either::Left(
                            view! {
                                <RadioGroup
                                    name="customer_type"
                                    legend=Signal::derive(move || t_string!(i18n, users.customer_type))
                                    value=fields.customer_type
                                    options=type_options
                                    error=errors.of("customer_type")
                                />
                                <TextField
                                    id="customer_no"
                                    label=Signal::derive(move || t_string!(i18n, users.customer_no))
                                    hint=hint(|l| crate::i18n::td_string!(l, new_user.customer_no_hint))
                                    value=fields.customer_no
                                    autocomplete="off"
                                    required=true
                                    error=errors.of("customer_no")
                                />
                                {move || {
                                    member()
                                        .then(|| {
                                            view! {
                                                <TextField
                                                    id="member_no"
                                                    label=Signal::derive(move || t_string!(i18n, users.member_no))
                                                    hint=hint(|l| crate::i18n::td_string!(l, new_user.member_no_hint))
                                                    value=fields.member_no
                                                    autocomplete="off"
                                                    required=true
                                                    error=errors.of("member_no")
                                                />
                                            }
                                        })
                                }}
                                <TextField
                                    id="phone"
                                    label=Signal::derive(move || t_string!(i18n, users.phone))
                                    hint=hint(|l| crate::i18n::td_string!(l, new_user.phone_hint))
                                    value=fields.phone
                                    input_type="tel"
                                    autocomplete="off"
                                    optional=true
                                    error=errors.of("phone")
                                />
                            },
                        )
                    } else {
                        Either::Right(
                            view! {
                                <TextField
                                    id="employee_no"
                                    label=Signal::derive(move || t_string!(i18n, users.employee_no))
                                    hint=hint(|l| crate::i18n::td_string!(l, new_user.employee_no_hint))
                                    value=fields.employee_no
                                    autocomplete="off"
                                    required=true
                                    error=errors.of("employee_no")
                                />
                                {move || {
                                    has_team(role.get())
                                        .then(|| {
                                            view! {
                                                <SelectField
                                                    id="team_id"
                                                    label=Signal::derive(move || t_string!(i18n, users.team))
                                                    value=fields.team_id
                                                    options=team_options
                                                    error=errors.of("team_id")
                                                />
                                            }
                                        })
                                }}
                            },
                        )
                    }
                }}
                <TextField
                    id="email"
                    label=Signal::derive(move || t_string!(i18n, users.email))
                    hint=Signal::derive(move || {
                        let locale = i18n.get_locale();
                        Some(
                            if customer() {
                                crate::i18n::td_string!(locale, new_user.email_hint)
                            } else {
                                crate::i18n::td_string!(locale, new_user.staff_email_hint)
                            }
                                .to_owned(),
                        )
                    })
                    value=fields.email
                    input_type="email"
                    autocomplete="off"
                    optional=true
                    error=errors.of("email")
                />
                <TextField
                    id="password"
                    label=Signal::derive(move || t_string!(i18n, new_user.password))
                    hint=Signal::derive(move || {
                        let locale = i18n.get_locale();
                        Some(
                            if customer() {
                                crate::i18n::td_string!(locale, new_user.password_hint_customer)
                            } else {
                                crate::i18n::td_string!(locale, new_user.password_hint)
                            }
                                .to_owned(),
                        )
                    })
                    value=password
                    input_type="password"
                    autocomplete="new-password"
                    optional=true
                    error=errors.of("password")
                />
                {move || {
                    failure
                        .get()
                        .map(|error| {
                            view! {
                                <div class="notice notice-error form-error" role="alert">
                                    <p>{error_message(i18n, &error)}</p>
                                </div>
                            }
                        })
                }}
                <div role="status">
                    {move || {
                        created
                            .get()
                            .map(|user| {
                                let href = list_href(&user);
                                view! {
                                    <div class="notice notice-success">
                                        <p>{t!(i18n, new_user.created, name = user.display_name)}</p>
                                        <p>
                                            <A href=href>{t!(i18n, new_user.view_in_list)}</A>
                                        </p>
                                    </div>
                                }
                            })
                    }}
                </div>
                <div class="form-actions">
                    <button
                        type="submit"
                        class="button"
                        aria-disabled=move || action.pending().get().then_some("true")
                    >
                        {t!(i18n, new_user.submit)}
                    </button>
                    <button type="button" class="button button-secondary" on:click=clear>
                        {t!(i18n, new_user.clear)}
                    </button>
                </div>
            </form>
        </section>
    }
}
