//! The write lane of rating submissions: their write transactions run one at a time, in the
//! order they asked, on a thread of their own.
//!
//! SQLite has one writer. Left to themselves, concurrent `BEGIN IMMEDIATE`s wait in SQLite's
//! busy handler, which sleeps and retries (1 ms, 2 ms, … 100 ms a time) and lets newcomers
//! overtake; and the transaction holding the lock waits behind every other request's task
//! on the request threads at each of its statements, and for a connection behind every
//! reading request. Here a submission hands its transaction to [`Writer::run`]: it queues on
//! a fair lock (first come, first served), on a runtime that does nothing else, with a
//! connection of its own, so the lock holder runs as soon as the database answers.

use std::future::Future;
use std::sync::{Arc, LazyLock};

use sqlx::SqlitePool;
use sqlx::sqlite::SqlitePoolOptions;

use tokio::runtime::{Builder, Runtime};
use tokio::sync::Mutex;

use crate::error::AppError;

/// The lane's runtime: one thread, shared by every application in the process.
static LANE: LazyLock<Runtime> = LazyLock::new(|| {
    Builder::new_multi_thread()
        .worker_threads(1)
        .thread_name("pingjia-writer")
        .enable_all()
        .build()
        .expect("starting the write lane's thread")
});

/// One application's turn to write (one database).
#[derive(Debug)]
pub struct Writer {
    turn: Mutex<()>,
    /// The lane's own connection (opened on first use, with the application pool's options).
    pool: SqlitePool,
}

impl Writer {
    /// The lane of the database `pool` opens.
    pub fn new(pool: &SqlitePool) -> Writer {
        let options = (*pool.connect_options()).clone();
        Writer {
            turn: Mutex::new(()),
            pool: SqlitePoolOptions::new()
                .max_connections(1)
                .test_before_acquire(false)
                .idle_timeout(None)
                .max_lifetime(None)
                .connect_lazy_with(options),
        }
    }

    /// Runs `work` (a write transaction, from its `BEGIN IMMEDIATE` to its commit, on the
    /// pool it is given) on the lane, when its turn comes. A panic in `work` goes on in the
    /// caller.
    pub async fn run<T, F, W>(self: &Arc<Self>, work: W) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: Future<Output = Result<T, AppError>> + Send + 'static,
        W: FnOnce(SqlitePool) -> F + Send + 'static,
    {
        let writer = self.clone();
        let handle = LANE.spawn(async move {
            let _turn = writer.turn.lock().await;
            work(writer.pool.clone()).await
        });
        match handle.await {
            Ok(result) => result,
            Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
            Err(e) => Err(AppError::Internal(format!("the write lane: {e}"))),
        }
    }
}
