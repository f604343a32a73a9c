//! The write lane of rating submissions: their writes run one at a time, in the order they
//! asked, on a thread of their own, and the submissions waiting together share one commit.
//!
//! SQLite has one writer. Left to themselves, concurrent `BEGIN IMMEDIATE`s wait in SQLite's
//! busy handler, which sleeps and retries (1 ms, 2 ms, … 100 ms a time) and lets newcomers
//! overtake; and the transaction holding the lock waits behind every other request's task
//! on the request threads at each of its statements, and for a connection behind every
//! reading request. Here a submission hands its writes to [`Writer::run`]: they queue (first
//! come, first served) for a runtime that does nothing else, with a connection of its own,
//! so the lock holder runs as soon as the database answers.
//!
//! **Group commit.** The lane takes every submission waiting (up to [`MAX_GROUP`]) into one
//! transaction: `BEGIN IMMEDIATE`, then each submission's writes inside a savepoint of its
//! own (rolled back alone when it fails: its caller gets its error, the others go on), then
//! one `COMMIT`. A submission's caller hears its answer only after that commit, so nothing
//! is answered that a crash could lose; when the commit fails, every submission of the group
//! gets the error (503 when the database was busy) and may retry with its key. Under load
//! this writes each touched page once per group instead of once per submission, and halves
//! the round trips that only open and close transactions.
//!
//! **The lane's connection.** Its savepoints' journals stay in memory (`temp_store =
//! MEMORY`): a submission's savepoint journals every page it changes, more than SQLite keeps
//! in memory by default, and writing them to a temporary file cost more than the
//! submission's own writes.
//!
//! **Checkpoints beside the lane.** A submission adds some thirty pages to the WAL (its rows
//! and the entries of a dozen indexes), and copying them back into the database (a checkpoint,
//! with its two `fsync`s) cost the committing connection as much again: SQLite runs it in the
//! commit that fills [`CHECKPOINT_PAGES`] pages. Here a task of its own, with a connection of
//! its own, checkpoints (`PASSIVE`: it never waits for or blocks the writer) at most every
//! [`CHECKPOINT_EVERY`] while submissions commit, and the lane's connection checkpoints only
//! when the WAL still reaches [`CHECKPOINT_PAGES`] pages: copying what is left (little), it
//! lets the next transaction start the WAL over, so the file does not grow under steady load.

use crate::db::sql;
use std::any::Any;
use std::panic::AssertUnwindSafe;
use std::sync::LazyLock;
use std::time::{Duration, Instant};

use crate::db::sql::{Conn, Dialect, Pool};
use futures_util::FutureExt;
use futures_util::future::BoxFuture;
use sqlx::sqlite::SqlitePoolOptions;
use tokio::runtime::{Builder, Runtime};
use tokio::sync::{mpsc, oneshot, watch};

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

/// At most this many submissions share one transaction.
pub const MAX_GROUP: usize = 64;

/// The lane's connection checkpoints the WAL itself when it holds this many pages (SQLite's
/// default is 1,000): 16 MB with 4 KiB pages.
pub const CHECKPOINT_PAGES: u32 = 4_000;

/// The checkpointing task runs at most this often, after a group commits.
pub const CHECKPOINT_EVERY: Duration = Duration::from_millis(100);

/// One application's write lane (one database).
#[derive(Debug)]
pub struct Writer {
    jobs: mpsc::UnboundedSender<Box<dyn Job>>,
}

impl Writer {
    /// The lane of the database `pool` opens. Its task ends when the `Writer` is dropped.
    pub fn new(pool: &Pool) -> Writer {
        let (jobs, queue) = mpsc::unbounded_channel();
        let (committed, commits) = watch::channel(());
        match pool {
            Pool::Sqlite(pool) => {
                let options = (*pool.connect_options()).clone();
                let connection = |options| {
                    Pool::from(
                        SqlitePoolOptions::new()
                            .max_connections(1)
                            .test_before_acquire(false)
                            .idle_timeout(None)
                            .max_lifetime(None)
                            .connect_lazy_with(options),
                    )
                };
                let lane_pool = connection(
                    options
                        .clone()
                        .pragma("temp_store", "memory")
                        .pragma("wal_autocheckpoint", CHECKPOINT_PAGES.to_string()),
                );
                LANE.spawn(lane(lane_pool, queue, committed));
                LANE.spawn(checkpoints(connection(options), commits));
            }
            // PostgreSQL has no single writer to wait for: the lane's groups still share a
            // commit, on a connection of the pool.
            Pool::Postgres(_) => {
                LANE.spawn(lane(pool.clone(), queue, committed));
            }
        }
        Writer { jobs }
    }

    /// Runs `work` (writes on the connection it is given, inside the lane's transaction:
    /// it neither begins nor commits) on the lane, when its turn comes, and answers its
    /// result once the group it ran in is committed. An error of `work` rolls back its own
    /// writes only. A panic in `work` rolls them back and goes on in the caller.
    pub async fn run<T, W>(&self, work: W) -> Result<T, AppError>
    where
        T: Send + 'static,
        W: for<'c> FnOnce(&'c mut Conn) -> BoxFuture<'c, Result<T, AppError>> + Send + 'static,
    {
        let (reply, answer) = oneshot::channel();
        let job = Pending {
            work: Some(work),
            result: None,
            reply,
        };
        self.jobs
            .send(Box::new(job))
            .map_err(|_| AppError::Internal("the write lane has stopped".to_owned()))?;
        match answer.await {
            Ok(Ok(result)) => result,
            Ok(Err(panic)) => std::panic::resume_unwind(panic),
            Err(_) => Err(AppError::Internal(
                "the write lane dropped a submission".to_owned(),
            )),
        }
    }
}

/// What a job's caller hears: its result, or its panic.
type Answer<T> = Result<Result<T, AppError>, Box<dyn Any + Send>>;

/// A submission's writes, waiting on the lane.
trait Job: Send {
    /// Runs the writes; whether they stay (they did not fail).
    fn run<'c>(&'c mut self, conn: &'c mut Conn) -> BoxFuture<'c, bool>;
    /// Tells the caller, once the group's outcome is known.
    fn finish(self: Box<Self>, group: Result<(), &sqlx::Error>);
}

impl std::fmt::Debug for dyn Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Job")
    }
}

struct Pending<T, W> {
    work: Option<W>,
    result: Option<Answer<T>>,
    reply: oneshot::Sender<Answer<T>>,
}

impl<T, W> Job for Pending<T, W>
where
    T: Send + 'static,
    W: for<'c> FnOnce(&'c mut Conn) -> BoxFuture<'c, Result<T, AppError>> + Send + 'static,
{
    fn run<'c>(&'c mut self, conn: &'c mut Conn) -> BoxFuture<'c, bool> {
        Box::pin(async move {
            let Some(work) = self.work.take() else {
                return false;
            };
            let result = AssertUnwindSafe(async move { work(conn).await })
                .catch_unwind()
                .await;
            let keep = matches!(result, Ok(Ok(_)));
            self.result = Some(result);
            keep
        })
    }

    fn finish(self: Box<Self>, group: Result<(), &sqlx::Error>) {
        let Pending { result, reply, .. } = *self;
        let answer = match (result, group) {
            // Its own failure (rolled back alone), or its panic.
            (Some(Ok(Err(e))), _) => Ok(Err(e)),
            (Some(Err(panic)), _) => Err(panic),
            (Some(Ok(Ok(value))), Ok(())) => Ok(Ok(value)),
            (_, Err(e)) => Ok(Err(group_failure(e))),
            (None, Ok(())) => Ok(Err(AppError::Internal(
                "the write lane skipped a submission".to_owned(),
            ))),
        };
        // A caller that went away (the client hung up) needs no answer.
        let _ = reply.send(answer);
    }
}

/// The error each submission of a group that could not commit gets: the database was busy
/// (503, retry) or failed.
fn group_failure(error: &sqlx::Error) -> AppError {
    let copy = sqlx::Error::Protocol(error.to_string());
    if crate::error::is_busy(error) {
        AppError::Busy(copy)
    } else {
        AppError::Database(copy)
    }
}

/// The lane: takes the waiting jobs as a group, writes them, tells their callers (and the
/// checkpointing task, `committed`).
async fn lane(
    pool: Pool,
    mut queue: mpsc::UnboundedReceiver<Box<dyn Job>>,
    committed: watch::Sender<()>,
) {
    let mut group = Vec::with_capacity(MAX_GROUP);
    while queue.recv_many(&mut group, MAX_GROUP).await > 0 {
        let began = Instant::now();
        let outcome = write(&pool, &mut group).await;
        tracing::debug!(
            size = group.len(),
            took = ?began.elapsed(),
            committed = outcome.is_ok(),
            "group written"
        );
        if outcome.is_ok() {
            committed.send_replace(());
        }
        for job in group.drain(..) {
            job.finish(outcome.as_ref().map(|_| ()));
        }
    }
}

/// Checkpoints the WAL (`PASSIVE`) after groups commit, at most every [`CHECKPOINT_EVERY`],
/// until the lane stops.
async fn checkpoints(pool: Pool, mut commits: watch::Receiver<()>) {
    while commits.changed().await.is_ok() {
        if let Err(e) = sql::query("PRAGMA wal_checkpoint(PASSIVE)")
            .execute(&pool)
            .await
        {
            tracing::warn!(error = %e, "checkpointing the WAL failed");
        }
        tokio::time::sleep(CHECKPOINT_EVERY).await;
    }
}

/// One transaction for the group: `BEGIN IMMEDIATE` and the first savepoint, each job in its
/// savepoint (released, or rolled back to when the job failed, together with the next one's
/// opening), then `COMMIT`. Any failure of the transaction itself rolls the whole group back.
async fn write(pool: &Pool, group: &mut [Box<dyn Job>]) -> Result<(), sqlx::Error> {
    let mut conn = pool.acquire().await?;
    let result = async {
        statements(&mut conn, "BEGIN IMMEDIATE; SAVEPOINT job").await?;
        let last = group.len().saturating_sub(1);
        for (i, job) in group.iter_mut().enumerate() {
            let kept = job.run(&mut conn).await;
            let close = match (kept, i == last) {
                (true, false) => "RELEASE job; SAVEPOINT job",
                (false, false) => "ROLLBACK TO job; RELEASE job; SAVEPOINT job",
                (true, true) => "RELEASE job; COMMIT",
                (false, true) => "ROLLBACK TO job; RELEASE job; COMMIT",
            };
            statements(&mut conn, close).await?;
        }
        Ok(())
    }
    .await;
    if result.is_err() {
        // Leaves the connection outside any transaction (there may be none to roll back).
        let _ = sql::query("ROLLBACK").execute(&mut conn).await;
    }
    result
}

/// Runs `sqlite`'s statements (separated by `; `): as one on SQLite, one by one on PostgreSQL
/// (which prepares one statement at a time), where `BEGIN IMMEDIATE` is `BEGIN` and the lanes'
/// lock ([`crate::db::lanes_lock`]): the lanes of several instances on one database write one
/// group at a time, as SQLite's one writer does, so that a submission's next id and day
/// number (read under the lock) are free when it commits.
async fn statements(conn: &mut Conn, sqlite: &str) -> Result<(), sqlx::Error> {
    match conn.dialect() {
        Dialect::Sqlite => {
            sql::query(sqlite).execute(conn).await?;
        }
        Dialect::Postgres => {
            for statement in sqlite.split("; ") {
                if statement == "BEGIN IMMEDIATE" {
                    sql::query("BEGIN").execute(&mut *conn).await?;
                    crate::db::lanes_lock(conn).await?;
                } else {
                    sql::query(statement).execute(&mut *conn).await?;
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode};

    use super::*;

    async fn database(dir: &tempfile::TempDir) -> Pool {
        let options = SqliteConnectOptions::new()
            .filename(dir.path().join("lane.db"))
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal);
        let pool = Pool::from(sqlx::SqlitePool::connect_with(options).await.unwrap());
        sql::query("CREATE TABLE t (x INTEGER NOT NULL UNIQUE)")
            .execute(&pool)
            .await
            .unwrap();
        pool
    }

    /// Inserts `x` twice when asked to: the second insert fails after the first is written.
    fn insert(
        x: i64,
        twice: bool,
    ) -> impl for<'c> FnOnce(&'c mut Conn) -> BoxFuture<'c, Result<i64, AppError>> + Send + 'static
    {
        move |conn| {
            Box::pin(async move {
                sql::query("INSERT INTO t (x) VALUES (?)")
                    .bind(x)
                    .execute(&mut *conn)
                    .await?;
                if twice {
                    sql::query("INSERT INTO t (x) VALUES (?)")
                        .bind(x)
                        .execute(&mut *conn)
                        .await?;
                }
                Ok(x)
            })
        }
    }

    async fn stored(pool: &Pool) -> Vec<i64> {
        sql::query_scalar("SELECT x FROM t ORDER BY x")
            .fetch_all(pool)
            .await
            .unwrap()
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn each_submission_of_a_group_stands_or_fails_alone_and_is_answered_once_committed() {
        let dir = tempfile::tempdir().unwrap();
        let pool = database(&dir).await;
        let writer = Arc::new(Writer::new(&pool));
        // 200 jobs at once (several groups): every seventh fails half-way through its writes,
        // every eleventh panics after writing.
        let jobs = (0..200_i64).map(|x| {
            let writer = writer.clone();
            let pool = pool.clone();
            tokio::spawn(async move {
                let answer = if x % 11 == 5 {
                    writer
                        .run(move |conn| {
                            Box::pin(async move {
                                sql::query("INSERT INTO t (x) VALUES (?)")
                                    .bind(x)
                                    .execute(&mut *conn)
                                    .await?;
                                panic!("job {x} panics");
                            })
                        })
                        .await
                } else {
                    writer.run(insert(x, x % 7 == 3)).await
                };
                // An answer means committed: another connection reads the row at once.
                if let Ok(x) = answer {
                    let seen: Option<i64> = sql::query_scalar("SELECT x FROM t WHERE x = ?")
                        .bind(x)
                        .fetch_optional(&pool)
                        .await
                        .unwrap();
                    assert_eq!(seen, Some(x), "answered before its commit");
                }
                answer.map_err(|e| e.to_string())
            })
        });
        let answers = futures_util::future::join_all(jobs).await;
        let mut expected = Vec::new();
        for (x, answer) in (0..200_i64).zip(answers) {
            match answer {
                Err(panic) => {
                    assert!(panic.is_panic(), "job {x}: {panic}");
                    assert_eq!(x % 11, 5, "job {x} panicked");
                }
                Ok(Err(e)) => {
                    assert_eq!(x % 7, 3, "job {x} failed: {e}");
                    assert!(x % 11 != 5);
                }
                Ok(Ok(value)) => {
                    assert_eq!(value, x);
                    assert!(x % 7 != 3 && x % 11 != 5, "job {x} should have failed");
                    expected.push(x);
                }
            }
        }
        assert_eq!(stored(&pool).await, expected);
        // The lane goes on after all that.
        assert_eq!(writer.run(insert(1_000, false)).await.unwrap(), 1_000);
    }

    #[tokio::test]
    async fn a_group_that_cannot_begin_fails_every_submission_and_the_lane_goes_on() {
        let dir = tempfile::tempdir().unwrap();
        let pool = database(&dir).await;
        let options = (*pool.as_sqlite().unwrap().connect_options())
            .clone()
            .busy_timeout(std::time::Duration::from_millis(50));
        let busy_pool = Pool::from(sqlx::SqlitePool::connect_with(options).await.unwrap());
        let writer = Writer::new(&busy_pool);
        // Another connection holds the write lock.
        let mut holder = pool.acquire().await.unwrap();
        sql::query("BEGIN IMMEDIATE")
            .execute(&mut holder)
            .await
            .unwrap();
        let refused = writer.run(insert(1, false)).await;
        assert!(matches!(refused, Err(AppError::Busy(_))), "{refused:?}");
        sql::query("COMMIT").execute(&mut holder).await.unwrap();
        assert_eq!(writer.run(insert(2, false)).await.unwrap(), 2);
        assert_eq!(stored(&pool).await, vec![2]);
    }
}
