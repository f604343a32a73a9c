//! The working-day calendar: a year's holidays and make-up workdays (`/admin/calendar`).

use chrono::{Datelike, Local, NaiveDate, Weekday};
use leptos::either::Either;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use pingjia_domain::FieldError;
use pingjia_domain::calendar::{
    CalendarBulk, CalendarDay, CalendarYear, DayEntry, DayKind, check_day,
};

use super::{Message, Outcome, OutcomeMessage};
use crate::api;
use crate::components::confirm::{ConfirmDialog, Pending};
use crate::components::data_table::{Column, DataTable, Loaded};
use crate::components::form::config::{ConfigField, config_error_text};
use crate::components::form::failure::{AlertFailure, refused};
use crate::components::form::{FieldErrors, focus_first_invalid};
use crate::components::page::PageTitle;
use crate::i18n::{Locale, t, t_string, td_string, use_i18n};

/// What is wrong with one line of a bulk entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineProblem {
    /// Not three comma-separated parts.
    Format,
    /// The date is not `YYYY-MM-DD`.
    Date,
    /// The date is in another year.
    OtherYear,
    /// The kind is neither `holiday` nor `workday`.
    Kind,
    /// The name is empty.
    Name,
    /// The date was on an earlier line.
    Duplicate,
}

/// Reads a bulk entry: one `YYYY-MM-DD,holiday|workday,name` per line (blank lines skipped;
/// the kind may be written 假/休 or 班 too), every day in `year`; or every bad line (from 1)
/// with its first problem.
pub fn parse_bulk(text: &str, year: i32) -> Result<Vec<CalendarDay>, Vec<(usize, LineProblem)>> {
    let mut days: Vec<CalendarDay> = Vec::new();
    let mut problems = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let parts: Vec<&str> = line.splitn(3, [',', '，']).map(str::trim).collect();
        let [date, kind, name] = parts[..] else {
            problems.push((index + 1, LineProblem::Format));
            continue;
        };
        let problem = match NaiveDate::parse_from_str(date, "%Y-%m-%d") {
            Err(_) => Some(LineProblem::Date),
            Ok(d) if d.year() != year => Some(LineProblem::OtherYear),
            Ok(d) if days.iter().any(|day| day.date == d) => Some(LineProblem::Duplicate),
            Ok(_) => None,
        };
        let kind = match kind.to_lowercase().as_str() {
            "holiday" | "假" | "休" => Some(DayKind::Holiday),
            "workday" | "班" => Some(DayKind::Workday),
            _ => None,
        };
        match (problem, kind, name.is_empty()) {
            (Some(problem), _, _) => problems.push((index + 1, problem)),
            (None, None, _) => problems.push((index + 1, LineProblem::Kind)),
            (None, Some(_), true) => problems.push((index + 1, LineProblem::Name)),
            (None, Some(kind), false) => days.push(CalendarDay {
                date: NaiveDate::parse_from_str(date, "%Y-%m-%d").expect("checked above"),
                kind,
                name: name.to_owned(),
            }),
        }
    }
    if problems.is_empty() {
        Ok(days)
    } else {
        Err(problems)
    }
}

/// The year's days as bulk lines, to edit them all at once.
pub fn bulk_text(days: &[CalendarDay]) -> String {
    days.iter()
        .map(|d| format!("{},{},{}", d.date, d.kind.as_str(), d.name))
        .collect::<Vec<_>>()
        .join("\n")
}

fn kind_name(locale: Locale, kind: DayKind) -> &'static str {
    match kind {
        DayKind::Holiday => td_string!(locale, config.kind_holiday),
        DayKind::Workday => td_string!(locale, config.kind_workday),
    }
}

fn weekday_name(locale: Locale, day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => td_string!(locale, config.mon),
        Weekday::Tue => td_string!(locale, config.tue),
        Weekday::Wed => td_string!(locale, config.wed),
        Weekday::Thu => td_string!(locale, config.thu),
        Weekday::Fri => td_string!(locale, config.fri),
        Weekday::Sat => td_string!(locale, config.sat),
        Weekday::Sun => td_string!(locale, config.sun),
    }
}

fn line_problem_text(locale: Locale, problem: LineProblem) -> &'static str {
    match problem {
        LineProblem::Format => td_string!(locale, config.bulk_format),
        LineProblem::Date => td_string!(locale, config.bulk_date),
        LineProblem::OtherYear => td_string!(locale, config.bulk_other_year),
        LineProblem::Kind => td_string!(locale, config.bulk_kind),
        LineProblem::Name => td_string!(locale, config.bulk_name),
        LineProblem::Duplicate => td_string!(locale, config.bulk_duplicate),
    }
}

/// The calendar page: a year, its days, adding one, replacing them all.
#[component]
pub fn AdminCalendar() -> impl IntoView {
    let i18n = use_i18n();
    let year = RwSignal::new(Local::now().year());
    let changed = RwSignal::new(0u32);
    let calendar = LocalResource::new(move || {
        let year = year.get();
        changed.track();
        async move { api::admin_config::calendar(year).await }
    });
    let outcome = RwSignal::new(None::<Outcome>);
    let removing = RwSignal::new(None::<CalendarDay>);
    let reload = Callback::new(move |done: Outcome| {
        outcome.set(Some(done));
        changed.update(|n| *n += 1);
    });
    view! {
        <PageTitle page=Signal::derive(move || t_string!(i18n, config.calendar_title)) />
        <h1>{t!(i18n, config.calendar_title)}</h1>
        <p class="lead">{t!(i18n, config.calendar_intro)}</p>
        <nav class="year-switch" aria-label=move || t_string!(i18n, config.year_nav)>
            <button type="button" class="button button-secondary" on:click=move |_| { outcome.set(None); year.update(|y| *y -= 1) }>
                {move || t_string!(i18n, config.year_previous)}
            </button>
            <h2 id="calendar-year-heading" class="year-current" aria-live="polite">{t!(i18n, config.year_heading, year = move || year.get())}</h2>
            <button type="button" class="button button-secondary" on:click=move |_| { outcome.set(None); year.update(|y| *y += 1) }>
                {move || t_string!(i18n, config.year_next)}
            </button>
        </nav>
        <div class="config-columns">
            <AddDay year reload />
            <BulkEntry year calendar reload />
        </div>
        <OutcomeMessage outcome />
        <section class="config-section" aria-labelledby="calendar-year-heading">
            <Loaded
                resource=calendar
                view=move |days| view! { <DayList days on_remove=Callback::new(move |d| { outcome.set(None); removing.set(Some(d)) }) /> }
            />
        </section>
        {move || removing.get().map(|day| {
            let date = day.date;
            let name = day.name.clone();
            let on_confirm = Callback::new(move |()| -> Pending {
                let name = name.clone();
                Box::pin(async move {
                    api::admin_config::remove_day(date).await?;
                    reload.run(Outcome::Done(Message::DayRemoved(date.to_string(), name)));
                    Ok(())
                })
            });
            view! {
                <ConfirmDialog
                    title=t!(i18n, config.remove_day_title, date = date.to_string(), name = day.name.clone()).into_any()
                    body=t!(i18n, config.remove_day_body).into_any()
                    confirm=t!(i18n, config.remove).into_any()
                    on_confirm
                    on_close=Callback::new(move |()| removing.set(None))
                />
            }
        })}
    }
}

/// The year's configured days.
#[component]
fn DayList(
    /// The year as loaded.
    days: CalendarYear,
    /// Asks to remove a day.
    on_remove: Callback<CalendarDay>,
) -> impl IntoView {
    let i18n = use_i18n();
    if days.days.is_empty() {
        return Either::Left(
            view! { <p class="notice notice-empty">{t!(i18n, config.no_days)}</p> },
        );
    }
    let holidays = days
        .days
        .iter()
        .filter(|d| d.kind == DayKind::Holiday)
        .count();
    let workdays = days.days.len() - holidays;
    let columns = vec![
        Column::new(|l| td_string!(l, config.date), move |day: &CalendarDay| {
            let weekday = day.date.weekday();
            view! {
                <span class="mono">{day.date.to_string()}</span>
                " " <span class="muted">{move || weekday_name(i18n.get_locale(), weekday)}</span>
            }
        })
        .row_header(Some(|day: &CalendarDay| format!("day-{}", day.date))),
        Column::new(|l| td_string!(l, config.kind), move |day: &CalendarDay| {
            let kind = day.kind;
            view! {
                <span class="badge" class:badge-warn=kind == DayKind::Workday>{move || kind_name(i18n.get_locale(), kind)}</span>
            }
        }),
        Column::new(|l| td_string!(l, config.day_name), |day: &CalendarDay| day.name.clone()),
        Column::new(|l| td_string!(l, config.actions), move |day: &CalendarDay| {
            let id = format!("day-{}", day.date);
            let removed = day.clone();
            view! {
                <button
                    type="button"
                    class="button button-secondary button-small"
                    id=format!("{id}-remove")
                    aria-labelledby=format!("{id}-remove {id}")
                    on:click=move |_| on_remove.run(removed.clone())
                >
                    {t!(i18n, config.remove)}
                </button>
            }
        }),
    ];
    Either::Right(view! {
        <p class="list-count">{t!(i18n, config.days_count, holidays, workdays)}</p>
        <DataTable
            class="data-table"
            caption=|l| td_string!(l, config.calendar_title)
            roles=true
            columns
            rows=days.days
        />
    })
}

/// Makes one date a holiday or a make-up workday.
#[component]
fn AddDay(
    /// The year shown.
    year: RwSignal<i32>,
    /// Called with what was done.
    reload: Callback<Outcome>,
) -> impl IntoView {
    const FORM_ID: &str = "add-day-form";
    let i18n = use_i18n();
    let date = RwSignal::new(String::new());
    let kind = RwSignal::new(DayKind::Holiday.as_str().to_owned());
    let name = RwSignal::new(String::new());
    let errors = FieldErrors::default();
    let failure = RwSignal::new(None::<api::ApiError>);
    let action = Action::new_local(move |(day, entry): &(NaiveDate, DayEntry)| {
        let (day, entry) = (*day, entry.clone());
        async move {
            match api::admin_config::set_day(day, &entry).await {
                Ok(saved) => {
                    date.set(String::new());
                    name.set(String::new());
                    if saved.date.year() != year.get_untracked() {
                        year.set(saved.date.year());
                    }
                    reload.run(Outcome::Done(Message::DaySaved(
                        saved.date.to_string(),
                        saved.name,
                    )));
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
        let kind = DayKind::parse(&kind.get_untracked()).unwrap_or(DayKind::Holiday);
        let text = name.get_untracked().trim().to_owned();
        let problems = match date.get_untracked().parse::<NaiveDate>() {
            Ok(day) => {
                let problems = check_day("", day, kind, &text);
                if problems.is_empty() {
                    errors.clear();
                    action.dispatch_local((day, DayEntry { kind, name: text }));
                    return;
                }
                problems
            }
            Err(_) => {
                let mut problems = vec![FieldError::new("date", "required", "enter a date")];
                problems.extend(check_day("", NaiveDate::MIN, DayKind::Holiday, &text));
                problems
            }
        };
        errors.set(problems);
        focus_first_invalid(FORM_ID);
    };
    view! {
        <form id=FORM_ID class="panel form" novalidate on:submit=on_submit aria-labelledby="add-day-heading">
            <h2 id="add-day-heading">{t!(i18n, config.add_day)}</h2>
            <ConfigField id="day-date" label=Signal::derive(move || t_string!(i18n, config.date)) value=date input_type="date" error=errors.of("date") />
            <div class="field" class:field-invalid=move || errors.of("kind").with(Option::is_some)>
                <label for="day-kind">{t!(i18n, config.kind)}</label>
                <select
                    id="day-kind"
                    aria-invalid=move || errors.of("kind").with(Option::is_some).then_some("true")
                    aria-describedby=move || errors.of("kind").with(Option::is_some).then_some("day-kind-error")
                    on:change=move |ev| kind.set(event_target_value(&ev))
                >
                    {DayKind::ALL.into_iter().map(|k| view! {
                        <option value=k.as_str() prop:selected=move || kind.get() == k.as_str()>{move || kind_name(i18n.get_locale(), k)}</option>
                    }).collect_view()}
                </select>
                {move || errors.of("kind").get().map(|e| view! { <p id="day-kind-error" class="field-error">{config_error_text(i18n, &e)}</p> })}
            </div>
            <ConfigField
                id="day-name"
                label=Signal::derive(move || t_string!(i18n, config.day_name))
                hint=Signal::derive(move || Some(t_string!(i18n, config.day_name_hint).to_owned()))
                value=name
                error=errors.of("name")
            />
            <AlertFailure failure />
            <div class="form-actions">
                <button type="submit" class="button" aria-disabled=move || action.pending().get().then_some("true")>
                    {t!(i18n, config.add_day_button)}
                </button>
            </div>
        </form>
    }
}

/// Replaces the year's days with pasted lines.
#[component]
fn BulkEntry(
    /// The year shown.
    year: RwSignal<i32>,
    /// The year's days, to start from.
    calendar: LocalResource<Result<CalendarYear, api::ApiError>>,
    /// Called with what was done.
    reload: Callback<Outcome>,
) -> impl IntoView {
    let i18n = use_i18n();
    let text = RwSignal::new(String::new());
    let problems = RwSignal::new(Vec::<(usize, String)>::new());
    let failure = RwSignal::new(None::<api::ApiError>);
    let action = Action::new_local(move |bulk: &CalendarBulk| {
        let bulk = bulk.clone();
        async move {
            match api::admin_config::replace_year(&bulk).await {
                Ok(saved) => {
                    text.set(String::new());
                    reload.run(Outcome::Done(Message::BulkSaved(
                        saved.year,
                        saved.days.len(),
                    )));
                }
                Err(error) => match error.problem().filter(|p| !p.errors.is_empty()) {
                    // `days[3].kind` is the fourth line that holds a day.
                    Some(problem) => {
                        let lines: Vec<usize> = text
                            .get_untracked()
                            .lines()
                            .enumerate()
                            .filter(|(_, l)| !l.trim().is_empty())
                            .map(|(i, _)| i + 1)
                            .collect();
                        let locale = i18n.get_locale_untracked();
                        problems.set(
                            problem
                                .errors
                                .iter()
                                .map(|e| {
                                    let line = e
                                        .field
                                        .strip_prefix("days[")
                                        .and_then(|r| r.split_once(']'))
                                        .and_then(|(i, _)| i.parse::<usize>().ok())
                                        .and_then(|i| lines.get(i).copied())
                                        .unwrap_or(0);
                                    (line, server_problem_text(locale, e))
                                })
                                .collect(),
                        );
                    }
                    None => failure.set(Some(error)),
                },
            }
        }
    });
    let fill = move |_| {
        if let Some(Ok(days)) = calendar.get_untracked() {
            text.set(bulk_text(&days.days));
        }
    };
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if action.pending().get_untracked() {
            return;
        }
        failure.set(None);
        let locale = i18n.get_locale_untracked();
        let year = year.get_untracked();
        match parse_bulk(&text.get_untracked(), year) {
            Ok(days) => {
                problems.set(Vec::new());
                action.dispatch_local(CalendarBulk { year, days });
            }
            Err(found) => {
                problems.set(
                    found
                        .into_iter()
                        .map(|(line, p)| (line, line_problem_text(locale, p).to_owned()))
                        .collect(),
                );
                focus_first_invalid("bulk-form");
            }
        }
    };
    let invalid = move || problems.with(|p| !p.is_empty());
    view! {
        <form id="bulk-form" class="panel form" novalidate on:submit=on_submit aria-labelledby="bulk-heading">
            <h2 id="bulk-heading">{t!(i18n, config.bulk_heading, year = move || year.get())}</h2>
            <div class="field" class:field-invalid=invalid>
                <label for="bulk-lines">{t!(i18n, config.bulk_label)}</label>
                <p id="bulk-lines-hint" class="field-hint">{t!(i18n, config.bulk_hint)}</p>
                <textarea
                    id="bulk-lines"
                    rows="8"
                    spellcheck="false"
                    placeholder="2026-10-01,holiday,国庆节"
                    aria-invalid=move || invalid().then_some("true")
                    aria-describedby=move || if invalid() { "bulk-lines-hint bulk-lines-error" } else { "bulk-lines-hint" }
                    bind:value=text
                ></textarea>
                {move || invalid().then(|| view! {
                    <ul id="bulk-lines-error" class="field-error plain-list">
                        {problems.get().into_iter().map(|(line, text)| view! {
                            <li>{t!(i18n, config.bulk_line, line)} " " {text}</li>
                        }).collect_view()}
                    </ul>
                })}
            </div>
            <p class="field-hint">{t!(i18n, config.bulk_replaces)}</p>
            <AlertFailure failure />
            <div class="form-actions">
                <button type="submit" class="button" aria-disabled=move || action.pending().get().then_some("true")>
                    {t!(i18n, config.bulk_button)}
                </button>
                <button type="button" class="button button-secondary" on:click=fill>
                    {t!(i18n, config.bulk_fill)}
                </button>
            </div>
        </form>
    }
}

/// A server's problem with one bulk day, in words.
fn server_problem_text(locale: Locale, error: &FieldError) -> String {
    match error.code.as_str() {
        "not_weekend" => td_string!(locale, config.error_not_weekend).to_owned(),
        "duplicate" => td_string!(locale, config.bulk_duplicate).to_owned(),
        "other_year" => td_string!(locale, config.bulk_other_year).to_owned(),
        "required" => td_string!(locale, config.bulk_name).to_owned(),
        _ => error.message.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn bulk_lines_become_days() {
        let days = parse_bulk("2026-10-01,holiday,国庆节\n\n 2026-10-10 , workday , 国庆节调休 \n2026-10-02，休，国庆节", 2026).unwrap();
        assert_eq!(days.len(), 3);
        assert_eq!(days[1].date, NaiveDate::from_ymd_opt(2026, 10, 10).unwrap());
        assert_eq!(days[1].kind, DayKind::Workday);
        assert_eq!(days[1].name, "国庆节调休");
        assert_eq!(days[2].kind, DayKind::Holiday);
        assert_eq!(parse_bulk(&bulk_text(&days), 2026).unwrap(), days);
        assert_eq!(parse_bulk("", 2026), Ok(Vec::new()));
    }

    #[test]
    fn every_bad_line_is_reported_with_its_number() {
        let text = "2026-10-01,holiday\n2026-13-01,holiday,x\n2025-10-01,holiday,x\n2026-10-03,rest,x\n2026-10-04,holiday,\n2026-10-05,holiday,a\n2026-10-05,holiday,b";
        assert_eq!(
            parse_bulk(text, 2026),
            Err(vec![
                (1, LineProblem::Format),
                (2, LineProblem::Date),
                (3, LineProblem::OtherYear),
                (4, LineProblem::Kind),
                (5, LineProblem::Name),
                (7, LineProblem::Duplicate),
            ])
        );
    }
}
