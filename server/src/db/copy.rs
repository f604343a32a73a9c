//! Copying an SQLite installation into an empty PostgreSQL database
//! (`pingjia-server migrate-sqlite-to-postgres FROM TO`), and proving the copy whole.
//!
//! Both databases are at the same migration (each opened, and so migrated, by the caller), so
//! their tables and columns are the same: the copy reads PostgreSQL's catalog for the tables,
//! their columns' types and the foreign keys, and copies every table in one transaction:
//!
//! 1. the target's user triggers are switched off (`ALTER TABLE … DISABLE TRIGGER USER`, which
//!    the tables' owner may do), so that the kept sums and copied columns are copied as they
//!    are rather than counted a second time; its foreign keys are dropped (users and teams
//!    refer to each other, so no order of the tables satisfies them row by row);
//! 2. the presets the target was given when it was made are removed (`TRUNCATE`), and every
//!    row of every table is inserted with its own id, a thousand rows a statement;
//! 3. the foreign keys are added again, which checks every copied row against them; the
//!    triggers are switched on again and each identity column's sequence moved past the
//!    largest id; then the transaction commits. A failure anywhere leaves the target as it was.
//!
//! Then [`verify`] reads both databases again: each table's row count and a checksum of its
//! rows (the sum of each row's SHA-256 over its typed values, so that the order rows are read
//! in does not matter) must be equal.

use std::collections::{BTreeMap, BTreeSet};

use futures_util::TryStreamExt;
use sha2::{Digest, Sha256};
use sqlx::{PgPool, Postgres, QueryBuilder, Row, SqlitePool};

/// The column types the schema uses on PostgreSQL (SQLite's INTEGER, INTEGER flags, REAL and
/// TEXT).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Int,
    Bool,
    Real,
    Text,
}

impl Kind {
    fn of(data_type: &str) -> Option<Kind> {
        match data_type {
            "bigint" | "integer" | "smallint" => Some(Kind::Int),
            "boolean" => Some(Kind::Bool),
            "double precision" | "real" => Some(Kind::Real),
            "text" | "character varying" => Some(Kind::Text),
            _ => None,
        }
    }

    /// How SQLite is asked for a column of this kind (its values may be stored loosely).
    fn sqlite_select(self, column: &str) -> String {
        match self {
            Kind::Int | Kind::Bool => format!("CAST(\"{column}\" AS INTEGER)"),
            Kind::Real => format!("CAST(\"{column}\" AS REAL)"),
            Kind::Text => format!("CAST(\"{column}\" AS TEXT)"),
        }
    }
}

/// One value of a row, typed by its column.
#[derive(Debug, Clone, PartialEq)]
enum Value {
    Null,
    Int(i64),
    Bool(bool),
    Real(f64),
    Text(String),
}

impl Value {
    fn hash_into(&self, hasher: &mut Sha256) {
        match self {
            Value::Null => hasher.update([0]),
            Value::Int(v) => {
                hasher.update([1]);
                hasher.update(v.to_le_bytes());
            }
            Value::Bool(v) => hasher.update([2, u8::from(*v)]),
            Value::Real(v) => {
                hasher.update([3]);
                hasher.update(v.to_bits().to_le_bytes());
            }
            Value::Text(v) => {
                hasher.update([4]);
                hasher.update((v.len() as u64).to_le_bytes());
                hasher.update(v.as_bytes());
            }
        }
    }
}

/// A table of the schema: its name and its columns with their kinds, in order.
#[derive(Debug, Clone)]
struct Table {
    name: String,
    columns: Vec<(String, Kind)>,
}

/// What was copied of one table, or found when verifying: its rows and their checksum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableSum {
    pub table: String,
    pub rows: u64,
    /// The sum of the rows' SHA-256 (their first 16 bytes, wrapping), in hex.
    pub checksum: String,
}

/// A table whose copy differs from its source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    pub source: TableSum,
    pub copy: TableSum,
}

/// The tables of the schema on PostgreSQL, by name, with their columns but the generated ones
/// (computed from the others on both sides).
async fn tables(to: &PgPool) -> anyhow::Result<Vec<Table>> {
    let columns: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT c.table_name::text, c.column_name::text, c.data_type::text
         FROM information_schema.columns c
         JOIN information_schema.tables t
           ON t.table_schema = c.table_schema AND t.table_name = c.table_name
         WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
           AND c.table_name <> '_sqlx_migrations' AND c.is_generated = 'NEVER'
         ORDER BY c.table_name, c.ordinal_position",
    )
    .fetch_all(to)
    .await?;
    let mut by_name: BTreeMap<String, Vec<(String, Kind)>> = BTreeMap::new();
    for (table, column, data_type) in columns {
        let kind = Kind::of(&data_type).ok_or_else(|| {
            anyhow::anyhow!("{table}.{column} has the type {data_type}, which the copy cannot read")
        })?;
        by_name.entry(table).or_default().push((column, kind));
    }
    Ok(by_name
        .into_iter()
        .map(|(name, columns)| Table { name, columns })
        .collect())
}

/// The foreign keys of the schema: each one's table, name and definition.
async fn foreign_keys(
    tx: &mut sqlx::Transaction<'_, Postgres>,
) -> Result<Vec<(String, String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT c.conrelid::regclass::text, c.conname::text, pg_get_constraintdef(c.oid)
         FROM pg_constraint c
         WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace
         ORDER BY 1, 2",
    )
    .fetch_all(&mut **tx)
    .await
}

/// The rows of `table` in SQLite, as typed values, in the order of its rowid.
fn sqlite_rows<'a>(
    from: &'a SqlitePool,
    table: &'a Table,
    select: &'a str,
) -> impl futures_util::Stream<Item = Result<Vec<Value>, sqlx::Error>> + 'a {
    sqlx::query(select)
        .fetch(from)
        .map_ok(move |row| values(table, &row))
        .and_then(|read| async move { read })
}

/// The statement reading `table` from SQLite, in rowid order unless it has none (then
/// `without_rowid`; such tables are kept sums, which refer to no row of their own table).
fn sqlite_select(table: &Table, without_rowid: &BTreeSet<String>) -> String {
    let columns: Vec<String> = table
        .columns
        .iter()
        .map(|(name, kind)| kind.sqlite_select(name))
        .collect();
    let order = if without_rowid.contains(&table.name) {
        ""
    } else {
        " ORDER BY rowid"
    };
    format!(
        "SELECT {} FROM \"{}\"{order}",
        columns.join(", "),
        table.name
    )
}

/// SQLite's tables without a rowid.
async fn without_rowid(from: &SqlitePool) -> Result<BTreeSet<String>, sqlx::Error> {
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE '%WITHOUT ROWID%'",
    )
    .fetch_all(from)
    .await?;
    Ok(names.into_iter().collect())
}

fn postgres_select(table: &Table) -> String {
    let columns: Vec<String> = table
        .columns
        .iter()
        .map(|(name, _)| format!("\"{name}\""))
        .collect();
    format!("SELECT {} FROM \"{}\"", columns.join(", "), table.name)
}

/// A row's values, typed by its table's columns: the same reading of either database (an
/// SQLite flag, read as an integer, is a boolean as PostgreSQL's is).
fn values<R>(table: &Table, row: &R) -> Result<Vec<Value>, sqlx::Error>
where
    R: Row,
    usize: sqlx::ColumnIndex<R>,
    for<'r> i64: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> bool: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> f64: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> String: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
{
    table
        .columns
        .iter()
        .enumerate()
        .map(|(i, (_, kind))| match kind {
            Kind::Int => row
                .try_get::<Option<i64>, _>(i)
                .map(|v| v.map_or(Value::Null, Value::Int)),
            Kind::Bool => row
                .try_get::<Option<bool>, _>(i)
                .map(|v| v.map_or(Value::Null, Value::Bool)),
            Kind::Real => row
                .try_get::<Option<f64>, _>(i)
                .map(|v| v.map_or(Value::Null, Value::Real)),
            Kind::Text => row
                .try_get::<Option<String>, _>(i)
                .map(|v| v.map_or(Value::Null, Value::Text)),
        })
        .collect()
}

/// Adds a row's hash to `sum`.
fn add_row(sum: &mut u128, values: &[Value]) {
    let mut hasher = Sha256::new();
    for value in values {
        value.hash_into(&mut hasher);
    }
    let digest = hasher.finalize();
    let mut first = [0u8; 16];
    first.copy_from_slice(&digest[..16]);
    *sum = sum.wrapping_add(u128::from_le_bytes(first));
}

/// Copies every table of `from` into `to`, which holds no organisation yet (no users), as the
/// module describes: what was copied of each table.
pub async fn sqlite_to_postgres(from: &SqlitePool, to: &PgPool) -> anyhow::Result<Vec<TableSum>> {
    let users: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users")
        .fetch_one(to)
        .await?;
    if users > 0 {
        anyhow::bail!(
            "the PostgreSQL database already has {users} user(s): copy into a new, empty database"
        );
    }
    let tables = tables(to).await?;
    let without_rowid = without_rowid(from).await?;
    let mut tx = to.begin().await?;
    for table in &tables {
        sqlx::query(&format!(
            "ALTER TABLE \"{}\" DISABLE TRIGGER USER",
            table.name
        ))
        .execute(&mut *tx)
        .await?;
    }
    let keys = foreign_keys(&mut tx).await?;
    for (table, name, _) in &keys {
        sqlx::query(&format!("ALTER TABLE {table} DROP CONSTRAINT \"{name}\""))
            .execute(&mut *tx)
            .await?;
    }
    let names: Vec<String> = tables.iter().map(|t| format!("\"{}\"", t.name)).collect();
    sqlx::query(&format!("TRUNCATE {}", names.join(", ")))
        .execute(&mut *tx)
        .await?;
    let mut copied = Vec::with_capacity(tables.len());
    for table in &tables {
        let select = sqlite_select(table, &without_rowid);
        let mut rows = std::pin::pin!(sqlite_rows(from, table, &select));
        // At most a thousand rows, and PostgreSQL's 65,535 parameters, a statement.
        let per_statement = (60_000 / table.columns.len().max(1)).clamp(1, 1_000);
        let mut batch: Vec<Vec<Value>> = Vec::with_capacity(per_statement);
        let (mut count, mut sum) = (0u64, 0u128);
        while let Some(values) = rows.try_next().await? {
            add_row(&mut sum, &values);
            count += 1;
            batch.push(values);
            if batch.len() == per_statement {
                insert(&mut tx, table, &batch).await?;
                batch.clear();
            }
        }
        if !batch.is_empty() {
            insert(&mut tx, table, &batch).await?;
        }
        copied.push(TableSum {
            table: table.name.clone(),
            rows: count,
            checksum: format!("{sum:032x}"),
        });
    }
    for (table, name, definition) in &keys {
        sqlx::query(&format!(
            "ALTER TABLE {table} ADD CONSTRAINT \"{name}\" {definition}"
        ))
        .execute(&mut *tx)
        .await?;
    }
    for table in &tables {
        sqlx::query(&format!(
            "ALTER TABLE \"{}\" ENABLE TRIGGER USER",
            table.name
        ))
        .execute(&mut *tx)
        .await?;
    }
    let identities: Vec<(String, String)> = sqlx::query_as(
        "SELECT table_name::text, column_name::text FROM information_schema.columns
         WHERE table_schema = 'public' AND is_identity = 'YES'",
    )
    .fetch_all(&mut *tx)
    .await?;
    for (table, column) in identities {
        sqlx::query(&format!(
            "SELECT setval(pg_get_serial_sequence('\"{table}\"', '{column}'), MAX(\"{column}\")) \
             FROM \"{table}\" HAVING MAX(\"{column}\") IS NOT NULL"
        ))
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(copied)
}

/// Inserts `rows` of `table`, whole, in one statement.
async fn insert(
    tx: &mut sqlx::Transaction<'_, Postgres>,
    table: &Table,
    rows: &[Vec<Value>],
) -> Result<(), sqlx::Error> {
    let columns: Vec<String> = table
        .columns
        .iter()
        .map(|(name, _)| format!("\"{name}\""))
        .collect();
    let mut q: QueryBuilder<Postgres> = QueryBuilder::new(format!(
        "INSERT INTO \"{}\" ({}) ",
        table.name,
        columns.join(", ")
    ));
    q.push_values(rows, |mut b, row| {
        for (value, (_, kind)) in row.iter().zip(&table.columns) {
            match (value, kind) {
                (Value::Int(v), _) => b.push_bind(*v),
                (Value::Bool(v), _) => b.push_bind(*v),
                (Value::Real(v), _) => b.push_bind(*v),
                (Value::Text(v), _) => b.push_bind(v.clone()),
                (Value::Null, Kind::Int) => b.push_bind(None::<i64>),
                (Value::Null, Kind::Bool) => b.push_bind(None::<bool>),
                (Value::Null, Kind::Real) => b.push_bind(None::<f64>),
                (Value::Null, Kind::Text) => b.push_bind(None::<String>),
            };
        }
    });
    q.build().execute(&mut **tx).await?;
    Ok(())
}

/// Each table's rows and checksum in `from` and in `to`, read again: the tables whose copy
/// differs (none when the copy is whole), and the sums of the source.
pub async fn verify(
    from: &SqlitePool,
    to: &PgPool,
) -> anyhow::Result<(Vec<TableSum>, Vec<Mismatch>)> {
    let mut sums = Vec::new();
    let mut mismatches = Vec::new();
    let without_rowid = without_rowid(from).await?;
    for table in tables(to).await? {
        let select = sqlite_select(&table, &without_rowid);
        let mut rows = std::pin::pin!(sqlite_rows(from, &table, &select));
        let (mut count, mut sum) = (0u64, 0u128);
        while let Some(values) = rows.try_next().await? {
            add_row(&mut sum, &values);
            count += 1;
        }
        let source = TableSum {
            table: table.name.clone(),
            rows: count,
            checksum: format!("{sum:032x}"),
        };
        let select = postgres_select(&table);
        let mut rows = sqlx::query(&select).fetch(to);
        let (mut count, mut sum) = (0u64, 0u128);
        while let Some(row) = rows.try_next().await? {
            add_row(&mut sum, &values(&table, &row)?);
            count += 1;
        }
        let copy = TableSum {
            table: table.name.clone(),
            rows: count,
            checksum: format!("{sum:032x}"),
        };
        if copy != source {
            mismatches.push(Mismatch {
                source: source.clone(),
                copy,
            });
        }
        sums.push(source);
    }
    Ok((sums, mismatches))
}
