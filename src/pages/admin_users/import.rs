//! Importing users from a CSV file (`/admin/users/import`): all rows or none, with a report of
//! every bad cell.

use leptos::either::EitherOf3;
use leptos::ev::{Event, SubmitEvent};
use leptos::prelude::*;
use leptos_router::components::A;
use pingjia_domain::FieldError;
use pingjia_domain::users::{IMPORT_COLUMNS, ImportReport};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::api::{self, ApiError};
use crate::components::error_panel::error_message;
use crate::components::form::field_error_text;
use crate::components::import_report::{ImportErrorReport, bad_rows};
use crate::components::page::PageTitle;
use crate::i18n::{Locale, t, t_string, td_string, use_i18n};
use crate::pages::admin_users::USERS_PATH;

/// Where the template is served (`public/`).
pub const TEMPLATE_PATH: &str = "/templates/users-import.csv";

/// A file the user chose, read as text.
#[derive(Debug, Clone, PartialEq)]
struct Chosen {
    name: String,
    text: String,
}

/// Why a chosen file cannot be sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FileProblem {
    /// The bytes are not UTF-8 (e.g. a spreadsheet saved as GBK).
    NotUtf8,
    /// The browser could not read the file.
    Unreadable,
}

/// The name of an import column in the interface language (the column's own name otherwise).
fn column_name(locale: Locale, column: &str) -> String {
    match column {
        "role" => td_string!(locale, users.role),
        "display_name" => td_string!(locale, users.name),
        "employee_no" => td_string!(locale, users.employee_no),
        "customer_no" => td_string!(locale, users.customer_no),
        "member_no" => td_string!(locale, users.member_no),
        "phone" => td_string!(locale, users.phone),
        "customer_type" => td_string!(locale, users.customer_type),
        "team" => td_string!(locale, users.team),
        "password" => td_string!(locale, new_user.password),
        other => return other.to_owned(),
    }
    .to_owned()
}

/// Reads a chosen file as UTF-8 text; a byte order mark is dropped by the decoder.
async fn read_file(file: web_sys::File) -> Result<String, FileProblem> {
    let text = JsFuture::from(file.text())
        .await
        .ok()
        .and_then(|value| value.as_string())
        .ok_or(FileProblem::Unreadable)?;
    // The decoder replaces bytes that are not UTF-8 with U+FFFD.
    if text.contains('\u{FFFD}') {
        Err(FileProblem::NotUtf8)
    } else {
        Ok(text)
    }
}

/// The import page: the template, the file, the upload and its outcome.
#[component]
pub fn ImportUsers() -> impl IntoView {
    let i18n = use_i18n();
    let chosen = RwSignal::new(None::<Result<Chosen, FileProblem>>);
    let outcome = RwSignal::new(None::<Result<ImportReport, ApiError>>);
    let action = Action::new_local(move |csv: &String| {
        let csv = csv.clone();
        async move {
            let result = api::users::import_users(csv).await;
            outcome.set(Some(result));
        }
    });
    let on_change = move |ev: Event| {
        outcome.set(None);
        let file = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            .and_then(|input| input.files())
            .and_then(|files| files.get(0));
        let Some(file) = file else {
            chosen.set(None);
            return;
        };
        let name = file.name();
        leptos::task::spawn_local(async move {
            let read = read_file(file).await.map(|text| Chosen { name, text });
            chosen.set(Some(read));
        });
    };
    let ready = move || chosen.with(|c| matches!(c, Some(Ok(_))));
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if action.pending().get_untracked() {
            return;
        }
        if let Some(Ok(file)) = chosen.get_untracked() {
            outcome.set(None);
            action.dispatch_local(file.text);
        }
    };
    let file_problem = move || {
        chosen
            .get()
            .and_then(Result::err)
            .map(|problem| match problem {
                FileProblem::NotUtf8 => t_string!(i18n, import.not_utf8),
                FileProblem::Unreadable => t_string!(i18n, import.unreadable),
            })
    };
    view! {
        <PageTitle page=Signal::derive(move || t_string!(i18n, import.title)) />
        <p class="breadcrumb">
            <A href=USERS_PATH>{t!(i18n, users.back_to_list)}</A>
        </p>
        <section aria-labelledby="import-title">
            <h1 id="import-title">{t!(i18n, import.title)}</h1>
            <p class="lead">{t!(i18n, import.intro)}</p>
            <div class="panel">
                <h2>{t!(i18n, import.format_heading)}</h2>
                <p>{t!(i18n, import.format_body)}</p>
                <p>
                    <code class="columns">{IMPORT_COLUMNS.join(",")}</code>
                </p>
                <ul class="plain-list">
                    <li>{t!(i18n, import.format_roles)}</li>
                    <li>{t!(i18n, import.format_types)}</li>
                    <li>{t!(i18n, import.format_team)}</li>
                    <li>{t!(i18n, import.format_password)}</li>
                </ul>
                <p>
                    <a href=TEMPLATE_PATH download="pingjia-users-template.csv" class="button button-secondary">
                        {t!(i18n, import.template)}
                    </a>
                </p>
            </div>
            <form id="import-form" class="panel form" novalidate on:submit=on_submit>
                <h2>{t!(i18n, import.upload_heading)}</h2>
                <div class="field" class:field-invalid=move || file_problem().is_some()>
                    <label for="import-file">{t!(i18n, import.file_label)}</label>
                    <p id="import-file-hint" class="field-hint">{t!(i18n, import.file_hint)}</p>
                    <input
                        id="import-file"
                        name="file"
                        type="file"
                        accept=".csv,text/csv"
                        aria-describedby=move || {
                            if file_problem().is_some() {
                                "import-file-hint import-file-error"
                            } else {
                                "import-file-hint"
                            }
                        }
                        aria-invalid=move || file_problem().map(|_| "true")
                        on:change=on_change
                    />
                    {move || {
                        file_problem()
                            .map(|text| {
                                view! {
                                    <p id="import-file-error" class="field-error">
                                        {text}
                                    </p>
                                }
                            })
                    }}
                </div>
                <div class="form-actions">
                    <button
                        type="submit"
                        class="button"
                        aria-disabled=move || (!ready() || action.pending().get()).then_some("true")
                    >
                        {move || {
                            if action.pending().get() {
                                t_string!(i18n, import.uploading)
                            } else {
                                t_string!(i18n, import.upload)
                            }
                        }}
                    </button>
                </div>
            </form>
            <div class="import-outcome">
                // Only the outcome's summary is announced; the report follows it.
                <div role="status">
                    {move || {
                        outcome
                            .get()
                            .map(|result| match result {
                                Ok(report) => EitherOf3::A(view! { <Imported report /> }),
                                Err(ApiError::Validation(problem)) => {
                                    EitherOf3::B(view! { <Refused errors=problem.errors /> })
                                }
                                Err(error) => {
                                    EitherOf3::C(
                                        view! {
                                            <div class="notice notice-error">
                                                <p>{error_message(i18n, &error)}</p>
                                            </div>
                                        },
                                    )
                                }
                            })
                    }}
                </div>
                {move || {
                    outcome
                        .get()
                        .and_then(|result| match result {
                            Err(ApiError::Validation(problem)) if !problem.errors.is_empty() => {
                                Some(view! { <ImportErrorReport errors=problem.errors column_name error_text=field_error_text /> })
                            }
                            _ => None,
                        })
                }}
            </div>
        </section>
    }
}

/// The users a valid file created.
#[component]
fn Imported(
    /// The server's answer.
    report: ImportReport,
) -> impl IntoView {
    let i18n = use_i18n();
    let count = report.imported;
    view! {
        <div class="notice notice-success">
            <p class="notice-title">{t!(i18n, import.imported, count = move || count)}</p>
            <p>
                <A href=USERS_PATH>{t!(i18n, import.view_users)}</A>
            </p>
        </div>
    }
}

/// What a refused file says: how many rows are wrong, and that nothing was imported.
#[component]
fn Refused(
    /// The field errors of the 422 answer.
    errors: Vec<FieldError>,
) -> impl IntoView {
    let i18n = use_i18n();
    let bad_rows = bad_rows(&errors);
    view! {
        <div class="notice notice-error">
            <p class="notice-title">
                {if bad_rows == 0 {
                    t!(i18n, import.refused_file).into_any()
                } else {
                    t!(i18n, import.refused_rows, count = move || bad_rows).into_any()
                }}
            </p>
            <p>{t!(i18n, import.nothing_imported)}</p>
        </div>
    }
}
