//! Which report a request is for: the scope (the company or a team, what a team lead may
//! see) and the period of a report key.

use pingjia_domain::analytics::Period;
use pingjia_domain::reports::{Report, ReportKind};
use pingjia_domain::wire::Role;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::db::Conn;
use crate::db::teams;
use crate::error::AppError;
use crate::http::authz::CurrentUser;
use crate::http::state::AppState;
use crate::services::reports::{self as engine};
use crate::time::org_day;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ScopeQuery {
    /// A team's id; without it the whole company (admins). A team lead always gets their own
    /// team.
    pub(super) team: Option<i64>,
}

/// The team a caller may read: admins any existing team or the company (`None`), leads their
/// own team only.
pub(super) async fn scope_team(
    conn: &mut Conn,
    caller: &CurrentUser,
    requested: Option<i64>,
) -> Result<Option<i64>, AppError> {
    match caller.role {
        Role::Admin => {
            if let Some(team) = requested
                && !teams::exists(conn, team).await?
            {
                return Err(AppError::field(
                    "team",
                    "unknown",
                    format!("no team {team}"),
                ));
            }
            Ok(requested)
        }
        Role::TeamLead => match (caller.team_id, requested) {
            (Some(own), None) => Ok(Some(own)),
            (Some(own), Some(team)) if team == own => Ok(Some(own)),
            (None, _) => Err(AppError::Forbidden("You lead no team".to_owned())),
            _ => Err(AppError::Forbidden(
                "This belongs to another team".to_owned(),
            )),
        },
        _ => Err(AppError::Forbidden(
            "Reports are for admins and team leads".to_owned(),
        )),
    }
}

/// The kind and period a path names.
fn period_of(kind: &str, key: &str) -> Result<(ReportKind, Period), AppError> {
    let kind = ReportKind::parse(kind)
        .ok_or_else(|| AppError::field("kind", "invalid", "`week` or `month`"))?;
    let period = kind.parse_key(key).ok_or_else(|| {
        AppError::field(
            "key",
            "invalid",
            match kind {
                ReportKind::Week => "a week such as 2026-W47",
                ReportKind::Month => "a month such as 2026-11",
            },
        )
    })?;
    Ok((kind, period))
}

/// The kept report, or the figures of now for a period that has begun.
pub(super) async fn report_of(
    state: &AppState,
    caller: &CurrentUser,
    kind: &str,
    key: &str,
    team: Option<i64>,
) -> Result<Report, AppError> {
    let (kind, period) = period_of(kind, key)?;
    let now = state.clock.now();
    if period.from > org_day(now) {
        return Err(AppError::field(
            "key",
            "future",
            "this period has not begun",
        ));
    }
    let settings = state.settings.get(&state.pool).await?;
    let mut conn = state.pool.acquire().await?;
    let team = scope_team(&mut conn, caller, team).await?;
    if let Some((_, report)) = engine::stored(&mut conn, kind, &kind.key(period), team).await? {
        return Ok(report);
    }
    engine::build(&mut conn, &settings, kind, period, team, now).await
}
