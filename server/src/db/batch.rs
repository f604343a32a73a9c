//! Several writing statements sent to the database as one: each module pushes its own
//! statement (with its values bound), and the batch runs them in order, in one round trip to
//! the connection's thread. A rating submission writes its evaluation, scores, terms, audit
//! entries, flags, callback task and idempotent answer this way, inside its transaction.

use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

/// Statements to run in order; the first error stops the rest (and the caller's transaction
/// is then rolled back).
pub struct Batch {
    query: QueryBuilder<'static, Sqlite>,
    empty: bool,
}

impl Default for Batch {
    fn default() -> Self {
        Batch {
            query: QueryBuilder::new(""),
            empty: true,
        }
    }
}

impl Batch {
    /// The builder to push the next statement onto (without its `;`).
    pub fn statement(&mut self) -> &mut QueryBuilder<'static, Sqlite> {
        if !self.empty {
            self.query.push(";\n");
        }
        self.empty = false;
        &mut self.query
    }

    /// Runs the statements in order.
    pub async fn run(mut self, conn: &mut SqliteConnection) -> Result<(), sqlx::Error> {
        if self.empty {
            return Ok(());
        }
        self.query.build().execute(conn).await?;
        Ok(())
    }
}
