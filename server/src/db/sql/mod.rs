//! One set of queries for both databases (issue 23): the pool, connection and transaction the
//! `db` functions take, and the query, query-builder and batch they write SQL with, each the
//! same for SQLite and PostgreSQL.
//!
//! A query is written once, in the SQL both databases share, with `?` (or `?N`) placeholders
//! as SQLite takes them; on PostgreSQL they become `$N` ([`postgres_sql`]). The values bound
//! carry their type ([`Value`]), so a `NULL` is typed for PostgreSQL too, and a row reads into
//! the same Rust type from either database: a row type derives `sqlx::FromRow`, which is
//! generic over the row, and a query asks for [`Row`] (or [`Scalar`]): readable from both.
//! Where the dialects differ (date arithmetic, JSON lists, upserts of a trigger), a function
//! asks its connection's [`Dialect`] and writes the variant.
//!
//! This is what sqlx's `Any` driver does, but rows are decoded by each database's own driver:
//! `Any` reads SQLite's integers as integers only (no `bool`), and its query builder writes
//! `?` for PostgreSQL too.

mod builder;
mod value;

pub use builder::{QueryBuilder, Separated};
pub use value::{Bind, Kind, Row, Scalar, Value};

use std::borrow::Cow;
use std::marker::PhantomData;
use std::ops::{Deref, DerefMut};

use futures_util::stream::{self, BoxStream, StreamExt};
use sqlx::pool::PoolConnection;
use sqlx::postgres::{PgArguments, PgPool, Postgres};
use sqlx::sqlite::{Sqlite, SqliteArguments, SqlitePool};
use sqlx::{Arguments, Database, TransactionManager};

/// Which database a pool or connection speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

impl Dialect {
    /// One JSON array text of `items` (an expression per row, or several: then each row is an
    /// array of them) over the rows of the query it is in, in `order` (SQL, or empty): SQLite's
    /// `json_group_array`, PostgreSQL's `json_agg` (`[]` for no row on both).
    pub fn json_rows(self, items: &[&str], order: &str) -> String {
        let order = if order.is_empty() {
            String::new()
        } else {
            format!(" ORDER BY {order}")
        };
        let items = items.join(", ");
        match self {
            Dialect::Sqlite if items.contains(',') => {
                format!("json_group_array(json_array({items}){order})")
            }
            Dialect::Sqlite => format!("json_group_array({items}{order})"),
            Dialect::Postgres if items.contains(',') => {
                format!("COALESCE(json_agg(json_build_array({items}){order})::text, '[]')")
            }
            Dialect::Postgres => format!("COALESCE(json_agg({items}{order})::text, '[]')"),
        }
    }
}

impl Dialect {
    /// A JSON array text of `items` (SQL expressions) of one row: SQLite's `json_array`,
    /// PostgreSQL's `json_build_array`.
    pub fn json_array(self, items: &str) -> String {
        match self {
            Dialect::Sqlite => format!("json_array({items})"),
            Dialect::Postgres => format!("CAST(json_build_array({items}) AS TEXT)"),
        }
    }

    /// The value at `path` (object keys) of the JSON text `column`, as the SQL type `cast`:
    /// SQLite's `json_extract`, PostgreSQL's `#>>` of the text read as `jsonb`.
    pub fn json_value(self, column: &str, path: &[&str], cast: &str) -> String {
        match self {
            Dialect::Sqlite => {
                format!(
                    "CAST(json_extract({column}, '$.{}') AS {cast})",
                    path.join(".")
                )
            }
            Dialect::Postgres => {
                format!(
                    "CAST(CAST({column} AS jsonb) #>> '{{{}}}' AS {cast})",
                    path.join(",")
                )
            }
        }
    }
}

/// `SUM` of the rows where `condition` holds, an integer on both databases (SQLite adds up
/// its 0/1 truth values, PostgreSQL's are booleans).
pub fn count_if(condition: &str) -> String {
    format!("SUM(CASE WHEN {condition} THEN 1 ELSE 0 END)")
}

/// `SUM` of an integer expression read as an `i64` on both databases (PostgreSQL sums a
/// `bigint` into a `numeric`).
pub fn sum_int(expression: &str) -> String {
    format!("CAST(SUM({expression}) AS BIGINT)")
}

/// The sum of a column of tenths (a total score kept in tenths) as a real, in points (0.0 of
/// no row), on both databases (`/ 10.0` would be a `numeric` on PostgreSQL).
pub fn tenths_sum(column: &str) -> String {
    format!("CAST(COALESCE(SUM({column}), 0) AS DOUBLE PRECISION) / 10")
}

/// The server's database: a pool of connections to an SQLite file or a PostgreSQL server.
#[derive(Debug, Clone)]
pub enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

impl From<SqlitePool> for Pool {
    fn from(pool: SqlitePool) -> Pool {
        Pool::Sqlite(pool)
    }
}

impl From<PgPool> for Pool {
    fn from(pool: PgPool) -> Pool {
        Pool::Postgres(pool)
    }
}

impl Pool {
    pub fn dialect(&self) -> Dialect {
        match self {
            Pool::Sqlite(_) => Dialect::Sqlite,
            Pool::Postgres(_) => Dialect::Postgres,
        }
    }

    /// A connection of the pool, returned to it when dropped.
    pub async fn acquire(&self) -> Result<Conn, sqlx::Error> {
        Ok(match self {
            Pool::Sqlite(pool) => Conn::Sqlite(pool.acquire().await?),
            Pool::Postgres(pool) => Conn::Postgres(pool.acquire().await?),
        })
    }

    /// A transaction that only reads (or whose writes cannot meet another's: see
    /// [`crate::db::begin_write`] for those that may).
    pub async fn begin(&self) -> Result<Tx, sqlx::Error> {
        self.acquire().await?.into_transaction(None).await
    }

    /// A transaction begun with `statement` on SQLite (`BEGIN IMMEDIATE`), `BEGIN` on
    /// PostgreSQL.
    pub async fn begin_with(&self, sqlite: &'static str) -> Result<Tx, sqlx::Error> {
        self.acquire().await?.into_transaction(Some(sqlite)).await
    }

    /// The SQLite pool, for what only SQLite has (the write lane, checkpoints, `PRAGMA`s).
    pub fn as_sqlite(&self) -> Option<&SqlitePool> {
        match self {
            Pool::Sqlite(pool) => Some(pool),
            Pool::Postgres(_) => None,
        }
    }

    /// Closes every connection (waiting for those in use to come back).
    pub async fn close(&self) {
        match self {
            Pool::Sqlite(pool) => pool.close().await,
            Pool::Postgres(pool) => pool.close().await,
        }
    }
}

/// A connection taken from the [`Pool`]. A function of `db` takes `&mut Conn`: a connection of
/// its own or a transaction's (`&mut tx`, see [`Tx`]).
#[derive(Debug)]
pub enum Conn {
    Sqlite(PoolConnection<Sqlite>),
    Postgres(PoolConnection<Postgres>),
}

impl Conn {
    pub fn dialect(&self) -> Dialect {
        match self {
            Conn::Sqlite(_) => Dialect::Sqlite,
            Conn::Postgres(_) => Dialect::Postgres,
        }
    }

    /// Begins a transaction on this connection (`sqlite`: SQLite's statement for it, `BEGIN`
    /// when none).
    pub async fn into_transaction(
        mut self,
        sqlite: Option<&'static str>,
    ) -> Result<Tx, sqlx::Error> {
        match &mut self {
            Conn::Sqlite(c) => {
                <Sqlite as Database>::TransactionManager::begin(c, sqlite.map(Cow::Borrowed))
                    .await?;
            }
            Conn::Postgres(c) => {
                <Postgres as Database>::TransactionManager::begin(c, None).await?;
            }
        }
        Ok(Tx {
            conn: self,
            open: true,
        })
    }

    /// The SQLite connection, for what only SQLite has.
    pub fn as_sqlite(&mut self) -> Option<&mut sqlx::SqliteConnection> {
        match self {
            Conn::Sqlite(c) => Some(c),
            Conn::Postgres(_) => None,
        }
    }
}

/// A transaction: a connection in it until [`Tx::commit`]; rolled back when dropped before
/// (as sqlx's own transactions: the rollback is sent with the connection's next use, at the
/// latest when it goes back to the pool). It dereferences to its [`Conn`].
#[derive(Debug)]
pub struct Tx {
    conn: Conn,
    open: bool,
}

impl Tx {
    pub async fn commit(mut self) -> Result<(), sqlx::Error> {
        match &mut self.conn {
            Conn::Sqlite(c) => <Sqlite as Database>::TransactionManager::commit(c).await?,
            Conn::Postgres(c) => <Postgres as Database>::TransactionManager::commit(c).await?,
        }
        self.open = false;
        Ok(())
    }

    pub async fn rollback(mut self) -> Result<(), sqlx::Error> {
        match &mut self.conn {
            Conn::Sqlite(c) => <Sqlite as Database>::TransactionManager::rollback(c).await?,
            Conn::Postgres(c) => <Postgres as Database>::TransactionManager::rollback(c).await?,
        }
        self.open = false;
        Ok(())
    }
}

impl Deref for Tx {
    type Target = Conn;
    fn deref(&self) -> &Conn {
        &self.conn
    }
}

impl DerefMut for Tx {
    fn deref_mut(&mut self) -> &mut Conn {
        &mut self.conn
    }
}

impl Drop for Tx {
    fn drop(&mut self) {
        if self.open {
            match &mut self.conn {
                Conn::Sqlite(c) => <Sqlite as Database>::TransactionManager::start_rollback(c),
                Conn::Postgres(c) => <Postgres as Database>::TransactionManager::start_rollback(c),
            }
        }
    }
}

/// Where a query runs: on the pool (a connection for that query alone) or on a connection.
pub enum On<'e> {
    Pool(&'e Pool),
    Conn(&'e mut Conn),
}

impl<'e> From<&'e Pool> for On<'e> {
    fn from(pool: &'e Pool) -> On<'e> {
        On::Pool(pool)
    }
}

impl<'e> From<&'e mut Conn> for On<'e> {
    fn from(conn: &'e mut Conn) -> On<'e> {
        On::Conn(conn)
    }
}

impl<'e> From<&'e mut Tx> for On<'e> {
    fn from(tx: &'e mut Tx) -> On<'e> {
        On::Conn(&mut tx.conn)
    }
}

/// What a statement did.
#[derive(Debug, Clone, Copy)]
pub struct Done {
    rows_affected: u64,
}

impl Done {
    pub fn rows_affected(&self) -> u64 {
        self.rows_affected
    }
}

/// A statement with its values (`query`): run with `execute`, or read with `query_as` /
/// `query_scalar`.
#[must_use = "a query does nothing until it is run"]
pub struct Query<'q> {
    sql: &'q str,
    values: Vec<Value<'q>>,
}

/// A statement whose rows read into `T`.
#[must_use = "a query does nothing until it is run"]
pub struct QueryAs<'q, T> {
    query: Query<'q>,
    row: PhantomData<fn() -> T>,
}

/// A statement whose rows' first column reads into `T`.
#[must_use = "a query does nothing until it is run"]
pub struct QueryScalar<'q, T> {
    query: Query<'q>,
    value: PhantomData<fn() -> T>,
}

/// A statement (or several, on SQLite, separated by `;`).
pub fn query(sql: &str) -> Query<'_> {
    Query {
        sql,
        values: Vec::new(),
    }
}

/// A statement whose rows read into `T`.
pub fn query_as<T: Row>(sql: &str) -> QueryAs<'_, T> {
    QueryAs {
        query: query(sql),
        row: PhantomData,
    }
}

/// A statement whose rows' first column reads into `T`.
pub fn query_scalar<T: Scalar>(sql: &str) -> QueryScalar<'_, T> {
    QueryScalar {
        query: query(sql),
        value: PhantomData,
    }
}

fn encode(error: sqlx::error::BoxDynError) -> sqlx::Error {
    sqlx::Error::Encode(error)
}

fn sqlite_arguments(values: Vec<Value<'_>>) -> Result<SqliteArguments<'_>, sqlx::Error> {
    let mut arguments = SqliteArguments::default();
    for value in values {
        match value {
            Value::Null(_) => arguments.add(None::<i64>),
            Value::Bool(b) => arguments.add(b),
            Value::Int(i) => arguments.add(i),
            Value::Real(f) => arguments.add(f),
            Value::Text(t) => arguments.add(t),
        }
        .map_err(encode)?;
    }
    Ok(arguments)
}

fn postgres_arguments(values: Vec<Value<'_>>) -> Result<PgArguments, sqlx::Error> {
    let mut arguments = PgArguments::default();
    for value in values {
        match value {
            Value::Null(Kind::Bool) => arguments.add(None::<bool>),
            Value::Null(Kind::Int) => arguments.add(None::<i64>),
            Value::Null(Kind::Real) => arguments.add(None::<f64>),
            Value::Null(Kind::Text) => arguments.add(None::<String>),
            Value::Bool(b) => arguments.add(b),
            Value::Int(i) => arguments.add(i),
            Value::Real(f) => arguments.add(f),
            Value::Text(t) => arguments.add(t.into_owned()),
        }
        .map_err(encode)?;
    }
    Ok(arguments)
}

/// `sql` with SQLite's placeholders (`?`, `?N`) written as PostgreSQL's (`$N`): a bare `?` is
/// the next after the last one numbered, as SQLite counts them. Quoted texts, quoted names
/// and comments are left as they are.
pub fn postgres_sql(sql: &str) -> Cow<'_, str> {
    if !sql.contains('?') {
        return Cow::Borrowed(sql);
    }
    let bytes = sql.as_bytes();
    let mut out = String::with_capacity(sql.len() + 16);
    let mut highest = 0usize;
    let mut i = 0;
    let mut copied = 0;
    while i < bytes.len() {
        match bytes[i] {
            quote @ (b'\'' | b'"') => {
                i += 1;
                while i < bytes.len() {
                    if bytes[i] == quote {
                        if bytes.get(i + 1) == Some(&quote) {
                            i += 2;
                            continue;
                        }
                        break;
                    }
                    i += 1;
                }
                i += 1;
            }
            b'-' if bytes.get(i + 1) == Some(&b'-') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i + 1 < bytes.len() && !(bytes[i] == b'*' && bytes[i + 1] == b'/') {
                    i += 1;
                }
                i += 2;
            }
            b'?' => {
                out.push_str(&sql[copied..i]);
                let digits = bytes[i + 1..]
                    .iter()
                    .take_while(|b| b.is_ascii_digit())
                    .count();
                let number = if digits > 0 {
                    sql[i + 1..i + 1 + digits].parse().unwrap_or(0)
                } else {
                    highest + 1
                };
                highest = highest.max(number);
                out.push('$');
                out.push_str(&number.to_string());
                i += 1 + digits;
                copied = i;
            }
            _ => i += 1,
        }
    }
    out.push_str(&sql[copied.min(sql.len())..]);
    Cow::Owned(out)
}

impl<'q> Query<'q> {
    /// Binds the next placeholder.
    pub fn bind(mut self, value: impl Bind<'q>) -> Self {
        self.values.push(value.value());
        self
    }

    /// The statement's text, as written.
    pub fn sql(&self) -> &'q str {
        self.sql
    }

    pub async fn execute<'e>(self, on: impl Into<On<'e>>) -> Result<Done, sqlx::Error> {
        let Query { sql, values } = self;
        let rows_affected = match on.into() {
            On::Pool(Pool::Sqlite(pool)) => sqlx::query_with(sql, sqlite_arguments(values)?)
                .execute(pool)
                .await?
                .rows_affected(),
            On::Conn(Conn::Sqlite(c)) => sqlx::query_with(sql, sqlite_arguments(values)?)
                .execute(&mut **c)
                .await?
                .rows_affected(),
            On::Pool(Pool::Postgres(pool)) => {
                sqlx::query_with(&postgres_sql(sql), postgres_arguments(values)?)
                    .execute(pool)
                    .await?
                    .rows_affected()
            }
            On::Conn(Conn::Postgres(c)) => {
                sqlx::query_with(&postgres_sql(sql), postgres_arguments(values)?)
                    .execute(&mut **c)
                    .await?
                    .rows_affected()
            }
        };
        Ok(Done { rows_affected })
    }
}

macro_rules! reads {
    ($name:ident, $with:ident, $bound:ident) => {
        impl<'q, T: $bound> $name<'q, T> {
            /// Binds the next placeholder.
            pub fn bind(mut self, value: impl Bind<'q>) -> Self {
                self.query.values.push(value.value());
                self
            }

            /// The statement's text, as written.
            pub fn sql(&self) -> &'q str {
                self.query.sql
            }

            pub async fn fetch_all<'e>(self, on: impl Into<On<'e>>) -> Result<Vec<T>, sqlx::Error> {
                let Query { sql, values } = self.query;
                match on.into() {
                    On::Pool(Pool::Sqlite(pool)) => {
                        sqlx::$with(sql, sqlite_arguments(values)?)
                            .fetch_all(pool)
                            .await
                    }
                    On::Conn(Conn::Sqlite(c)) => {
                        sqlx::$with(sql, sqlite_arguments(values)?)
                            .fetch_all(&mut **c)
                            .await
                    }
                    On::Pool(Pool::Postgres(pool)) => {
                        sqlx::$with(&postgres_sql(sql), postgres_arguments(values)?)
                            .fetch_all(pool)
                            .await
                    }
                    On::Conn(Conn::Postgres(c)) => {
                        sqlx::$with(&postgres_sql(sql), postgres_arguments(values)?)
                            .fetch_all(&mut **c)
                            .await
                    }
                }
            }

            pub async fn fetch_optional<'e>(
                self,
                on: impl Into<On<'e>>,
            ) -> Result<Option<T>, sqlx::Error> {
                let Query { sql, values } = self.query;
                match on.into() {
                    On::Pool(Pool::Sqlite(pool)) => {
                        sqlx::$with(sql, sqlite_arguments(values)?)
                            .fetch_optional(pool)
                            .await
                    }
                    On::Conn(Conn::Sqlite(c)) => {
                        sqlx::$with(sql, sqlite_arguments(values)?)
                            .fetch_optional(&mut **c)
                            .await
                    }
                    On::Pool(Pool::Postgres(pool)) => {
                        sqlx::$with(&postgres_sql(sql), postgres_arguments(values)?)
                            .fetch_optional(pool)
                            .await
                    }
                    On::Conn(Conn::Postgres(c)) => {
                        sqlx::$with(&postgres_sql(sql), postgres_arguments(values)?)
                            .fetch_optional(&mut **c)
                            .await
                    }
                }
            }

            pub async fn fetch_one<'e>(self, on: impl Into<On<'e>>) -> Result<T, sqlx::Error> {
                self.fetch_optional(on)
                    .await?
                    .ok_or(sqlx::Error::RowNotFound)
            }

            /// The rows as they are read (on PostgreSQL: read first, then streamed).
            pub fn fetch<'e>(self, conn: &'e mut Conn) -> BoxStream<'e, Result<T, sqlx::Error>>
            where
                'q: 'e,
                T: 'e,
            {
                let Query { sql, values } = self.query;
                match conn {
                    Conn::Sqlite(c) => match sqlite_arguments(values) {
                        Ok(arguments) => sqlx::$with(sql, arguments).fetch(&mut **c),
                        Err(e) => stream::once(async move { Err(e) }).boxed(),
                    },
                    Conn::Postgres(c) => stream::once(async move {
                        let rows = sqlx::$with(&postgres_sql(sql), postgres_arguments(values)?)
                            .fetch_all(&mut **c)
                            .await?;
                        Ok::<_, sqlx::Error>(stream::iter(rows.into_iter().map(Ok)))
                    })
                    .map(|read| match read {
                        Ok(rows) => rows.boxed(),
                        Err(e) => stream::once(async move { Err(e) }).boxed(),
                    })
                    .flatten()
                    .boxed(),
                }
            }
        }
    };
}

reads!(QueryAs, query_as_with, Row);
reads!(QueryScalar, query_scalar_with, Scalar);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_for_postgres() {
        assert_eq!(postgres_sql("SELECT 1"), "SELECT 1");
        assert_eq!(
            postgres_sql("SELECT a FROM t WHERE a = ? AND b = ?"),
            "SELECT a FROM t WHERE a = $1 AND b = $2"
        );
        assert_eq!(
            postgres_sql("SELECT ?2, ?1, ?2 WHERE x = ?1"),
            "SELECT $2, $1, $2 WHERE x = $1"
        );
        // As SQLite counts: a bare `?` is the next after the highest so far.
        assert_eq!(postgres_sql("SELECT ?3, ?"), "SELECT $3, $4");
        assert_eq!(
            postgres_sql("SELECT '?', \"a?\" -- what?\n, ? /* ? */, ?"),
            "SELECT '?', \"a?\" -- what?\n, $1 /* ? */, $2"
        );
        assert_eq!(postgres_sql("SELECT 'it''s ?', ?"), "SELECT 'it''s ?', $1");
    }
}
