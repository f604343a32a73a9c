//! Running one job of a worker so that a panic in it fails that job, not the worker: the
//! architecture's rule that a failing job is marked failed with its reason and never takes its
//! worker down; and a scheduled job on one instance at a time ([`exclusive`]).

use std::future::Future;
use std::panic::AssertUnwindSafe;

use futures_util::FutureExt;

use crate::db::leases;
use crate::db::sql::Dialect;
use crate::error::panic_message;
use crate::http::state::AppState;

/// Runs `job` to its end. A panic inside it is caught (futures-util's `catch_unwind`), logged
/// with `what`, and returned as `Err` with the panic's message, for the caller to record as
/// the job's failure.
pub async fn isolated<F: Future>(what: &str, job: F) -> Result<F::Output, String> {
    AssertUnwindSafe(job).catch_unwind().await.map_err(|panic| {
        let message = panic_message(panic.as_ref()).to_owned();
        tracing::error!(job = what, panic = %message, "a job panicked");
        message
    })
}

/// How soon a worker tries its job again when another instance was running it ([`exclusive`]
/// gave `Ok(None)`): it may have been woken for what the other's run does not see.
pub const BUSY_RETRY: std::time::Duration = std::time::Duration::from_secs(1);

/// Runs the scheduled job `name` ([`isolated`]) on this instance alone among those sharing the
/// database: on PostgreSQL, under the job's lease (`db::leases`), taken for the state's
/// `lease` (longer than a run takes) and given up when the run ends; `Ok(None)`, without running it, while another instance holds it (a
/// killed instance's lease runs out). On SQLite, where one instance has the file, it just runs.
/// `Err` is the panic's message, or the lease could not be taken (the database failed).
pub async fn exclusive<F: Future>(
    state: &AppState,
    name: &str,
    job: F,
) -> Result<Option<F::Output>, String> {
    if state.pool.dialect() == Dialect::Sqlite {
        return isolated(name, job).await.map(Some);
    }
    let now = state.clock.now();
    let taken = async {
        let mut conn = state.pool.acquire().await?;
        leases::take(&mut conn, name, &state.instance, now, now + state.lease).await
    }
    .await;
    match taken {
        Ok(true) => {}
        Ok(false) => return Ok(None),
        Err(error) => {
            tracing::error!(job = name, %error, "taking the job's lease");
            return Err(error.to_string());
        }
    }
    let outcome = isolated(name, job).await;
    let released = async {
        let mut conn = state.pool.acquire().await?;
        leases::release(&mut conn, name, &state.instance).await
    }
    .await;
    if let Err(error) = released {
        // It runs out by itself.
        tracing::warn!(job = name, %error, "giving the job's lease up");
    }
    outcome.map(Some)
}
