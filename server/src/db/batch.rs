//! Several writing statements sent to the database as one: each module pushes its own
//! statement (with its values bound), and the batch runs them in order, in one round trip to
//! the connection's thread on SQLite (PostgreSQL prepares one statement at a time: there they
//! run one after the other, in the caller's transaction all the same). A rating submission
//! writes its evaluation, scores, terms, audit entries, flags, callback task and idempotent
//! answer this way, inside its transaction.

use crate::db::sql::{self, Conn, Dialect, QueryBuilder};

/// Statements to run in order; the first error stops the rest (and the caller's transaction
/// is then rolled back).
#[derive(Default)]
pub struct Batch {
    statements: Vec<QueryBuilder<'static>>,
}

impl Batch {
    /// The builder to write the next statement with (without its `;`).
    pub fn statement(&mut self) -> &mut QueryBuilder<'static> {
        self.statements.push(QueryBuilder::new(""));
        self.statements.last_mut().expect("just pushed")
    }

    /// Runs the statements in order.
    pub async fn run(mut self, conn: &mut Conn) -> Result<(), sqlx::Error> {
        match conn.dialect() {
            Dialect::Sqlite => {
                let mut parts = self.statements.into_iter().map(QueryBuilder::into_parts);
                let Some((mut text, mut values)) = parts.next() else {
                    return Ok(());
                };
                for (more, more_values) in parts {
                    text.push_str(";\n");
                    text.push_str(&more);
                    values.extend(more_values);
                }
                let mut query = sql::query(&text);
                for value in values {
                    query = query.bind(value);
                }
                query.execute(conn).await?;
            }
            Dialect::Postgres => {
                for statement in &mut self.statements {
                    statement.build().execute(&mut *conn).await?;
                }
            }
        }
        Ok(())
    }
}
