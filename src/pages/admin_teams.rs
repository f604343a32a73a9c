//! The admin's team management (`/admin/teams`): the teams with their leads and sizes,
//! creating a team, renaming one (its Chinese and optional English name) and setting its lead.

use leptos::either::Either;
use leptos::ev::SubmitEvent;
use leptos::html;
use leptos::prelude::*;
use pingjia_domain::users::{
    MAX_PER_PAGE, NewTeam, Team, TeamPatch, User, check_team_name, check_team_name_en,
    clean_team_name_en,
};
use pingjia_domain::wire::Role;

use crate::api::users::UserQuery;
use crate::api::{self, ApiError};
use crate::components::data_table::{Column, DataTable};
use crate::components::dialog::{FormDialog, close_dialog};
use crate::components::error_panel::ErrorPanel;
use crate::components::form::failure::{FormFailure, refused};
use crate::components::form::{FieldErrors, SelectField, TextField, focus_first_invalid};
use crate::components::page::PageTitle;
use crate::i18n::{t, t_string, td_string, use_i18n};
use crate::labels::lang;

/// What the page announces after a change.
#[derive(Debug, Clone, PartialEq, Eq)]
enum TeamDone {
    Created(String),
    Saved(String),
}

/// The lead choices: "none" and every enabled team lead.
fn lead_options(none: &str, leads: &[User]) -> Vec<(String, String)> {
    std::iter::once((String::new(), none.to_owned()))
        .chain(leads.iter().map(|u| {
            let label = match &u.employee_no {
                Some(number) => format!("{} ({number})", u.display_name),
                None => u.display_name.clone(),
            };
            (u.id.to_string(), label)
        }))
        .collect()
}

/// The teams page.
#[component]
pub fn AdminTeams() -> impl IntoView {
    let i18n = use_i18n();
    let teams = LocalResource::new(api::users::list_teams);
    let leads = LocalResource::new(|| async move {
        let query = UserQuery {
            role: Some(Role::TeamLead),
            disabled: Some(false),
            page: 1,
            per_page: MAX_PER_PAGE,
            ..UserQuery::default()
        };
        api::users::list_users(&query).await.map(|page| page.users)
    });
    let lead_list = Signal::derive(move || leads.get().and_then(Result::ok).unwrap_or_default());
    let announcement = RwSignal::new(None::<TeamDone>);
    let editing = RwSignal::new(None::<RwSignal<Team>>);
    let loading = move || {
        view! {
            <p class="status" role="status">
                {t!(i18n, status.loading)}
            </p>
        }
    };
    view! {
        <PageTitle page=Signal::derive(move || t_string!(i18n, teams.title)) />
        <h1>{t!(i18n, teams.title)}</h1>
        <p class="lead">{t!(i18n, teams.intro)}</p>
        <p class="status" role="status">
            {move || {
                announcement
                    .get()
                    .map(|done| match done {
                        TeamDone::Created(name) => t!(i18n, teams.created, name).into_any(),
                        TeamDone::Saved(name) => t!(i18n, teams.saved, name).into_any(),
                    })
            }}
        </p>
        <Transition fallback=loading>
            {move || Suspend::new(async move {
                match teams.await {
                    Ok(list) if list.is_empty() => {
                        Either::Left(
                            Either::Left(
                                view! { <p class="notice notice-empty">{t!(i18n, teams.none)}</p> },
                            ),
                        )
                    }
                    Ok(list) => {
                        let rows: Vec<RwSignal<Team>> = list.into_iter().map(RwSignal::new).collect();
                        Either::Left(
                            Either::Right(
                                view! {
                                    <DataTable
                                        class="data-table teams-table"
                                        caption=|l| td_string!(l, teams.title)
                                        roles=true
                                        columns=team_columns(Callback::new(move |team| {
                                            announcement.set(None);
                                            editing.set(Some(team));
                                        }))
                                        rows
                                    />
                                },
                            ),
                        )
                    }
                    Err(error) => {
                        Either::Right(
                            view! {
                                <ErrorPanel error on_retry=Callback::new(move |()| teams.refetch()) />
                            },
                        )
                    }
                }
            })}
        </Transition>
        <NewTeamForm
            leads=lead_list
            on_created=Callback::new(move |team: Team| {
                teams.refetch();
                let name = team.name_in(lang(i18n.get_locale_untracked())).to_owned();
                announcement.set(Some(TeamDone::Created(name)));
            })
        />
        {move || {
            editing
                .get()
                .map(|team| {
                    view! {
                        <EditTeamDialog
                            team
                            leads=lead_list
                            on_close=Callback::new(move |()| editing.set(None))
                            done=Callback::new(move |message| announcement.set(Some(message)))
                        />
                    }
                })
        }}
    }
}

/// The columns of the team list; each cell follows its team's signal, so a saved change
/// shows at once.
fn team_columns(on_edit: Callback<RwSignal<Team>>) -> Vec<Column<RwSignal<Team>>> {
    let i18n = use_i18n();
    vec![
        Column::new(
            |l| td_string!(l, teams.name),
            move |team: &RwSignal<Team>| {
                let team = *team;
                move || team.with(|t| t.name_in(lang(i18n.get_locale())).to_owned())
            },
        )
        .row_header(Some(|team: &RwSignal<Team>| {
            format!("team-{}-name", team.with_untracked(|t| t.id))
        })),
        Column::new(
            |l| td_string!(l, teams.lead),
            move |team: &RwSignal<Team>| {
                let team = *team;
                move || match team.with(|t| t.lead_name.clone()) {
                    // A person's name, as they wrote it (not a word of the interface).
                    Some(name) => Either::Left(view! { <span data-verbatim="">{name}</span> }),
                    None => Either::Right(t_string!(i18n, teams.no_lead)),
                }
            },
        ),
        Column::new(
            |l| td_string!(l, teams.members),
            |team: &RwSignal<Team>| {
                let team = *team;
                move || team.with(|t| t.members)
            },
        ),
        Column::new(
            |l| td_string!(l, users.actions),
            move |team: &RwSignal<Team>| {
                let team = *team;
                let id = team.with_untracked(|t| t.id);
                view! {
                    <button
                        type="button"
                        class="button button-secondary button-small"
                        id=format!("team-{id}-edit")
                        aria-labelledby=format!("team-{id}-edit team-{id}-name")
                        on:click=move |_| on_edit.run(team)
                    >
                        {t!(i18n, users.edit)}
                    </button>
                }
            },
        ),
    ]
}

/// Create a team, optionally with its lead.
#[component]
fn NewTeamForm(
    /// The team leads to choose from.
    leads: Signal<Vec<User>>,
    /// Called with each team created.
    on_created: Callback<Team>,
) -> impl IntoView {
    const FORM_ID: &str = "new-team-form";
    let i18n = use_i18n();
    let name = RwSignal::new(String::new());
    let name_en = RwSignal::new(String::new());
    let lead = RwSignal::new(String::new());
    let errors = FieldErrors::default();
    let failure = RwSignal::new(None::<ApiError>);
    let create = Action::new_local(move |team: &NewTeam| {
        let team = team.clone();
        async move {
            match api::users::create_team(&team).await {
                Ok(team) => {
                    name.set(String::new());
                    name_en.set(String::new());
                    lead.set(String::new());
                    errors.clear();
                    on_created.run(team);
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
        if create.pending().get_untracked() {
            return;
        }
        failure.set(None);
        let team = NewTeam {
            name: name.get_untracked().trim().to_owned(),
            name_en: name_en.with_untracked(|n| clean_team_name_en(Some(n))),
            lead_user_id: lead.with_untracked(|l| l.parse().ok()),
        };
        let found: Vec<_> = check_team_name("name", &team.name)
            .into_iter()
            .chain(check_team_name_en("name_en", team.name_en.as_deref()))
            .collect();
        if !found.is_empty() {
            errors.set(found);
            focus_first_invalid(FORM_ID);
        } else {
            errors.clear();
            create.dispatch_local(team);
        }
    };
    let options =
        Signal::derive(move || lead_options(t_string!(i18n, teams.no_lead), &leads.get()));
    view! {
        <section class="panel" aria-labelledby="new-team-title">
            <h2 id="new-team-title">{t!(i18n, teams.new_heading)}</h2>
            <form id=FORM_ID class="form" novalidate on:submit=on_submit>
                <TeamNameFields id="team-name" id_en="team-name-en" name name_en errors />
                <SelectField
                    id="team-lead"
                    label=Signal::derive(move || t_string!(i18n, teams.lead))
                    value=lead
                    options
                    error=errors.of("lead_user_id")
                />
                <FormFailure failure />
                <div class="form-actions">
                    <button
                        type="submit"
                        class="button"
                        aria-disabled=move || create.pending().get().then_some("true")
                    >
                        {t!(i18n, teams.create)}
                    </button>
                </div>
            </form>
        </section>
    }
}

/// Rename a team or set its lead.
#[component]
fn EditTeamDialog(
    /// The team; set to the saved team on success.
    team: RwSignal<Team>,
    /// The team leads to choose from.
    leads: Signal<Vec<User>>,
    /// Called once the dialog has closed.
    on_close: Callback<()>,
    /// Called with what was done, to announce it.
    done: Callback<TeamDone>,
) -> impl IntoView {
    const FORM_ID: &str = "edit-team-form";
    let i18n = use_i18n();
    let node = NodeRef::<html::Dialog>::new();
    let original = team.get_untracked();
    let id = original.id;
    let title_name = original
        .name_in(lang(i18n.get_locale_untracked()))
        .to_owned();
    let name = RwSignal::new(original.name.clone());
    let name_en = RwSignal::new(original.name_en.clone().unwrap_or_default());
    let lead = RwSignal::new(
        original
            .lead_user_id
            .map(|l| l.to_string())
            .unwrap_or_default(),
    );
    let errors = FieldErrors::default();
    let failure = RwSignal::new(None::<ApiError>);
    let action = Action::new_local(move |patch: &TeamPatch| {
        let patch = patch.clone();
        async move {
            match api::users::update_team(id, &patch).await {
                Ok(saved) => {
                    let message = TeamDone::Saved(
                        saved.name_in(lang(i18n.get_locale_untracked())).to_owned(),
                    );
                    team.set(saved);
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
        let new_name = name.get_untracked().trim().to_owned();
        let new_name_en = name_en.with_untracked(|n| clean_team_name_en(Some(n)));
        let found: Vec<_> = check_team_name("name", &new_name)
            .into_iter()
            .chain(check_team_name_en("name_en", new_name_en.as_deref()))
            .collect();
        if !found.is_empty() {
            errors.set(found);
            focus_first_invalid(FORM_ID);
            return;
        }
        errors.clear();
        let new_lead = lead.with_untracked(|l| l.parse::<i64>().ok());
        let patch = TeamPatch {
            name: (new_name != original.name).then_some(new_name),
            name_en: (new_name_en != original.name_en).then_some(new_name_en),
            lead_user_id: (new_lead != original.lead_user_id).then_some(new_lead),
        };
        if patch == TeamPatch::default() {
            close_dialog(node);
        } else {
            action.dispatch_local(patch);
        }
    };
    let options =
        Signal::derive(move || lead_options(t_string!(i18n, teams.no_lead), &leads.get()));
    view! {
        <FormDialog
            node_ref=node
            title_id="edit-team-title"
            title=t!(i18n, teams.edit_title, name = title_name.clone()).into_any()
            form_id=FORM_ID
            on_submit
            on_close
            submit=Signal::derive(move || t_string!(i18n, dialogs.save))
            pending=action.pending()
        >
                <TeamNameFields id="edit-team-name" id_en="edit-team-name-en" name name_en errors />
                <SelectField
                    id="edit-team-lead"
                    label=Signal::derive(move || t_string!(i18n, teams.lead))
                    value=lead
                    options
                    error=errors.of("lead_user_id")
                />
                <FormFailure failure />
        </FormDialog>
    }
}

/// A team's Chinese name (required) and English name (optional, shown on English pages), as
/// the new-team form and the edit dialog ask them (inputs `id` and `id_en`).
#[component]
fn TeamNameFields(
    id: &'static str,
    id_en: &'static str,
    name: RwSignal<String>,
    name_en: RwSignal<String>,
    errors: FieldErrors,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <TextField
            id=id
            label=Signal::derive(move || t_string!(i18n, teams.name_zh))
            value=name
            autocomplete="off"
            required=true
            error=errors.of("name")
        />
        <TextField
            id=id_en
            label=Signal::derive(move || t_string!(i18n, teams.name_en))
            value=name_en
            autocomplete="off"
            optional=true
            hint=Signal::derive(move || Some(t_string!(i18n, teams.name_en_hint).to_owned()))
            error=errors.of("name_en")
        />
    }
}
