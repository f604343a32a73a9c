//! Running one job of a worker so that a panic in it fails that job, not the worker: the
//! architecture's rule that a failing job is marked failed with its reason and never takes its
//! worker down.

use std::future::Future;
use std::panic::AssertUnwindSafe;

use futures_util::FutureExt;

use crate::error::panic_message;

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
