//! The data layer: opening the SQLite file, migrating it, and the presets every database holds
//! (here), and the queries and row types of each area (one module each).

pub mod analytics;
pub mod api_keys;
pub mod appeals;
pub mod audit;
pub mod batch;
pub mod calendar;
pub mod callbacks;
pub mod catalog;
pub mod channels;
pub(crate) mod cluster;
pub mod copy;
pub mod deliveries;
pub mod endpoints;
pub mod evaluations;
pub mod events;
pub mod feedback;
pub mod invitations;
pub mod leases;
pub mod lexicons;
pub mod moderation;
pub mod notifications;
pub mod qa;
pub mod records;
pub mod reports;
pub mod sending;
pub mod settings;
pub mod sign_in_codes;
pub mod sql;
pub mod sums;
pub mod tags;
pub mod teams;
pub mod users;

use std::path::{Path, PathBuf};

/// What db functions take: a connection (a pooled one or a transaction, dereferenced), or the
/// pool for a single query.
pub use sql::{Conn, Pool, Tx};

use chrono::NaiveDate;

use crate::error::AppError;
use std::time::Duration;

use pingjia_domain::catalog as presets;
use sql::QueryBuilder;
use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

/// SQLite's schema, embedded from `server/migrations/` at build time.
pub static MIGRATOR: Migrator = sqlx::migrate!("./migrations");

/// How long a statement waits for another connection's lock before the database counts as
/// busy (answered 503 with `Retry-After`, see [`crate::error::AppError::Busy`]).
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// How much of the database file each connection reads through memory mapping (`PRAGMA
/// mmap_size`), in bytes. Every commit makes the other connections drop their page caches (WAL):
/// mapped, their next reads are the OS's pages in place, not copies read again with `pread`.
const MMAP_SIZE: u64 = 256 * 1024 * 1024;

/// How many connections the pool keeps at most (sqlx's default, said here).
pub const POOL_SIZE: u32 = 10;

/// PostgreSQL's schema, embedded from `server/migrations/postgres/` (its first migration is
/// SQLite's 0001–0029 at once; from 0030 on both folders get each migration).
pub static POSTGRES_MIGRATOR: Migrator = sqlx::migrate!("./migrations/postgres");

/// Where the database is: an SQLite file, or a PostgreSQL server (`postgres://…`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    Sqlite(PathBuf),
    Postgres(String),
}

impl std::str::FromStr for Location {
    type Err = std::convert::Infallible;

    /// A `postgres://` or `postgresql://` URL, or else a file path.
    fn from_str(text: &str) -> Result<Location, Self::Err> {
        Ok(
            if text.starts_with("postgres://") || text.starts_with("postgresql://") {
                Location::Postgres(text.to_owned())
            } else {
                Location::Sqlite(PathBuf::from(text))
            },
        )
    }
}

impl std::fmt::Display for Location {
    /// The file's path, or the URL without its password (for the logs).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Location::Sqlite(path) => write!(f, "{}", path.display()),
            Location::Postgres(url) => {
                // scheme://user:password@host…: the password left out.
                let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
                match rest.split_once('@') {
                    Some((user, host)) if user.contains(':') => {
                        let user = user.split(':').next().unwrap_or_default();
                        write!(f, "{scheme}://{user}:…@{host}")
                    }
                    _ => f.write_str(url),
                }
            }
        }
    }
}

/// Opens the database at `location`, applies the pending migrations and makes sure the preset
/// catalogue and the kept sums are there. An SQLite file is created when missing (with its
/// parent directory); a PostgreSQL database must exist (empty, or Pingjia's).
pub async fn open(location: &Location) -> anyhow::Result<Pool> {
    match location {
        Location::Sqlite(path) => open_with(path, BUSY_TIMEOUT).await,
        Location::Postgres(url) => open_postgres(url).await,
    }
}

/// [`open`] on a PostgreSQL server.
pub async fn open_postgres(url: &str) -> anyhow::Result<Pool> {
    // `public` before `pg_catalog`: SQLite's `sum` and `avg` of integers and its `NOCASE`
    // (PostgreSQL migration 0032) in place of the built-in ones, for the shared queries.
    let options: PgConnectOptions = url
        .parse::<PgConnectOptions>()?
        .options([("search_path", "public,pg_catalog")]);
    // One connection first, closed again: a server that refuses, a wrong password or a missing
    // database is said as such, not as the pool's timeout after its retries.
    {
        use sqlx::{ConnectOptions, Connection};
        options.connect().await?.close().await?;
    }
    let pool = PgPoolOptions::new()
        .max_connections(POOL_SIZE)
        .acquire_timeout(Duration::from_secs(5))
        .connect_with(options)
        .await?;
    POSTGRES_MIGRATOR.run(&pool).await?;
    prepare(Pool::from(pool)).await
}

/// [`open`] with another busy timeout (the tests of a locked database).
pub async fn open_with(path: &Path, busy_timeout: Duration) -> anyhow::Result<Pool> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    // WAL: readers never wait for the writer, nor it for them; one writer at a time, each
    // writing transaction taking the lock first (`begin_write`) and waiting up to
    // `busy_timeout` for it. `synchronous = NORMAL` in WAL mode loses no commit when the process
    // dies (`kill -9`, see the crash test), only the last ones on a power cut or an OS crash.
    let options = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(busy_timeout)
        .pragma("mmap_size", MMAP_SIZE.to_string());
    migrate(&options).await?;
    // A connection to a local file does not go stale: no ping before each use (a round trip
    // to the connection's thread per request). Enough connections for the readers of a busy
    // moment; a request that finds none free within the acquire timeout is busy too (503).
    let pool = Pool::from(
        SqlitePoolOptions::new()
            .max_connections(POOL_SIZE)
            .acquire_timeout(Duration::from_secs(5))
            .test_before_acquire(false)
            .connect_with(options)
            .await?,
    );
    prepare(pool).await
}

/// The preset catalogue, and the kept sums of a database from before them (SQLite's
/// migration 0022 added them empty).
async fn prepare(pool: Pool) -> anyhow::Result<Pool> {
    seed_presets(&pool).await?;
    let mut tx = begin_write(&pool).await?;
    if sums::fill_if_empty(&mut tx).await? {
        tracing::info!("the kept sums were computed from the evaluations");
    }
    tx.commit().await?;
    Ok(pool)
}

/// Applies the pending migrations on a connection of its own with foreign keys off, then
/// checks every reference (refusing to start on one that points nowhere).
///
/// Off, because SQLite can change some things of a table only by rebuilding it (a new table,
/// the rows copied, the old one dropped, the new one renamed: SQLite's ALTER TABLE page), and
/// dropping a table that others reference with foreign keys on would run their `ON DELETE`
/// actions; the pragma cannot change inside the transaction each migration runs in.
async fn migrate(options: &SqliteConnectOptions) -> anyhow::Result<()> {
    use sqlx::{ConnectOptions, Connection};
    let mut conn = options.clone().foreign_keys(false).connect().await?;
    MIGRATOR.run(&mut conn).await?;
    let broken: Vec<(String, Option<i64>, String)> =
        sqlx::query_as("SELECT \"table\", rowid, parent FROM pragma_foreign_key_check")
            .fetch_all(&mut conn)
            .await?;
    conn.close().await?;
    if let Some((table, row, parent)) = broken.first() {
        anyhow::bail!(
            "the database has {} reference(s) to nothing after its migrations, e.g. {table} row \
             {row:?} to {parent}",
            broken.len()
        );
    }
    Ok(())
}

/// Begins a transaction that writes: `BEGIN IMMEDIATE`, which takes the write lock at once,
/// waiting for it up to the busy timeout. A deferred transaction (`pool.begin()`) that reads
/// first would ask for the lock at its first write, when SQLite cannot wait (another writer
/// may have changed what it read) and fails at once with "database is locked". Every
/// transaction that may write begins here; a lock still not free after the busy timeout is a
/// 503 with `Retry-After` ([`AppError::Busy`], from the `From<sqlx::Error>` of [`AppError`]).
pub async fn begin_write(pool: &Pool) -> Result<Tx, sqlx::Error> {
    pool.begin_with("BEGIN IMMEDIATE").await
}

/// On PostgreSQL, in a transaction: waits for, and holds until the transaction ends, the lock
/// the write lanes of every instance on the database share (`http::writer`, a transaction-level
/// advisory lock). Nothing on SQLite, whose write lock is the database's.
pub async fn lanes_lock(conn: &mut Conn) -> Result<(), sqlx::Error> {
    /// The advisory lock's key: "pjlane" in ASCII, a number no other lock of the app uses.
    const LANES: i64 = 0x706a_6c61_6e65;
    if conn.dialect() == sql::Dialect::Postgres {
        sql::query("SELECT pg_advisory_xact_lock(?)")
            .bind(LANES)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// After rows were written with ids of their own (the demo): the ids the database gives next
/// come after the largest. SQLite's rowid does so by itself; PostgreSQL's identity columns
/// keep a sequence of their own, moved on here.
pub async fn ids_follow(conn: &mut Conn, tables: &[&str]) -> Result<(), sqlx::Error> {
    if conn.dialect() == sql::Dialect::Postgres {
        for table in tables {
            sql::query(&format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), MAX(id)) FROM {table} \
                 HAVING MAX(id) IS NOT NULL"
            ))
            .execute(&mut *conn)
            .await?;
        }
    }
    Ok(())
}

/// A stored enumeration (a role, a customer type) read back with its `parse`; a value the
/// code does not know is a decode error.
pub fn parse_stored<T>(text: &str, parse: fn(&str) -> Option<T>) -> Result<T, sqlx::Error> {
    parse(text)
        .ok_or_else(|| sqlx::Error::Decode(format!("unexpected stored value {text:?}").into()))
}

/// Whether a database error is a UNIQUE constraint violation.
pub fn is_unique_violation(error: &sqlx::Error) -> bool {
    error
        .as_database_error()
        .is_some_and(|e| e.is_unique_violation())
}

/// `text` for a `LIKE ... ESCAPE '\'` pattern: its wildcards taken literally.
pub(crate) fn like_escaped(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

/// ` LIMIT … OFFSET …` of page `page` (from 1) of `per_page` rows.
pub(crate) fn push_page(query: &mut QueryBuilder<'_>, page: u32, per_page: u32) {
    query
        .push(" LIMIT ")
        .push_bind(i64::from(per_page))
        .push(" OFFSET ")
        .push_bind(i64::from(page - 1) * i64::from(per_page));
}

/// A stored value that does not read back as it should.
pub(crate) fn decode(what: String) -> sqlx::Error {
    sqlx::Error::Decode(what.into())
}

/// A JSON column, read back.
pub(crate) fn from_json<T: serde::de::DeserializeOwned>(
    what: &str,
    text: &str,
) -> Result<T, sqlx::Error> {
    serde_json::from_str(text).map_err(|e| decode(format!("stored {what}: {e}")))
}

/// A value for a JSON column.
pub(crate) fn to_json<T: serde::Serialize>(what: &str, value: &T) -> Result<String, AppError> {
    serde_json::to_string(value).map_err(|e| AppError::Internal(format!("serialising {what}: {e}")))
}

/// A stored date (`YYYY-MM-DD`).
pub(crate) fn stored_date(text: &str) -> Result<NaiveDate, sqlx::Error> {
    text.parse()
        .map_err(|_| decode(format!("stored date {text:?}")))
}

/// A stored small number (a score, a position).
pub(crate) fn small(what: &str, value: i64) -> Result<u8, sqlx::Error> {
    u8::try_from(value).map_err(|_| decode(format!("{what} {value}")))
}

/// The latest successfully applied migration.
pub async fn schema_version(pool: &Pool) -> Result<Option<i64>, sqlx::Error> {
    sql::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success")
        .fetch_one(pool)
        .await
}

/// Inserts the preset dimensions and service types of [`pingjia_domain::catalog`] that are
/// missing. Idempotent: what an admin changed later (names, archiving, a type's dimension set)
/// is left alone, because a preset type's dimensions are only written with the type itself.
pub async fn seed_presets(pool: &Pool) -> Result<(), sqlx::Error> {
    let mut tx = begin_write(pool).await?;
    for (position, d) in presets::DIMENSIONS.iter().enumerate() {
        sql::query(
            "INSERT INTO dimensions (code, name_zh, name_en, description_zh, description_en, position)
             VALUES (?, ?, ?, ?, ?, ?)
             ON CONFLICT (code) DO NOTHING",
        )
        .bind(d.code)
        .bind(d.name_zh)
        .bind(d.name_en)
        .bind(d.description_zh)
        .bind(d.description_en)
        .bind(position as i64)
        .execute(&mut *tx)
        .await?;
    }
    for (position, t) in presets::SERVICE_TYPES.iter().enumerate() {
        let inserted = sql::query(
            "INSERT INTO service_types (code, name_zh, name_en, position)
             VALUES (?, ?, ?, ?)
             ON CONFLICT (code) DO NOTHING",
        )
        .bind(t.code)
        .bind(t.name_zh)
        .bind(t.name_en)
        .bind(position as i64)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if inserted == 0 {
            continue;
        }
        for (position, (dimension, optional)) in t.dimensions.iter().enumerate() {
            sql::query(
                "INSERT INTO service_type_dimensions (service_type, dimension, position, optional)
                 VALUES (?, ?, ?, ?)",
            )
            .bind(t.code)
            .bind(*dimension)
            .bind(position as i64)
            .bind(*optional)
            .execute(&mut *tx)
            .await?;
        }
    }
    tx.commit().await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_location_is_a_postgres_url_or_a_file() {
        let url = "postgres://pingjia:secret@127.0.0.1:5432/pingjia";
        let location: Location = url.parse().unwrap();
        assert_eq!(location, Location::Postgres(url.to_owned()));
        assert_eq!(
            location.to_string(),
            "postgres://pingjia:…@127.0.0.1:5432/pingjia"
        );
        let bare: Location = "postgresql://db.internal/pingjia".parse().unwrap();
        assert_eq!(bare.to_string(), "postgresql://db.internal/pingjia");
        let file: Location = "data/pingjia.db".parse().unwrap();
        assert_eq!(file, Location::Sqlite(PathBuf::from("data/pingjia.db")));
        assert_eq!(file.to_string(), "data/pingjia.db");
    }

    #[test]
    fn like_wildcards_are_taken_literally() {
        assert_eq!(like_escaped("evaluation."), "evaluation.");
        assert_eq!(like_escaped("a_b%c\\"), "a\\_b\\%c\\\\");
    }
}
