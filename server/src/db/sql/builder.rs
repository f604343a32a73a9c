//! SQL written piece by piece with its values: the calls of sqlx's `QueryBuilder`, for both
//! databases (its placeholders are SQLite's `?`, numbered for PostgreSQL when run).

use std::fmt::Display;
use std::marker::PhantomData;

use super::{Bind, Query, QueryAs, QueryScalar, Row, Scalar, Value};

/// SQL written piece by piece with its values: the same calls as sqlx's `QueryBuilder`.
pub struct QueryBuilder<'a> {
    sql: String,
    values: Vec<Value<'a>>,
}

impl std::fmt::Debug for QueryBuilder<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("QueryBuilder")
            .field("sql", &self.sql)
            .finish()
    }
}

impl<'a> QueryBuilder<'a> {
    pub fn new(init: impl Into<String>) -> Self {
        QueryBuilder {
            sql: init.into(),
            values: Vec::new(),
        }
    }

    pub fn push(&mut self, sql: impl Display) -> &mut Self {
        use std::fmt::Write;
        write!(self.sql, "{sql}").expect("writing to a String");
        self
    }

    /// A placeholder, with its value.
    pub fn push_bind(&mut self, value: impl Bind<'a>) -> &mut Self {
        self.sql.push('?');
        self.values.push(value.value());
        self
    }

    /// Pieces separated by `separator` (a list of values, of conditions).
    pub fn separated<'qb, Sep: Display>(&'qb mut self, separator: Sep) -> Separated<'qb, 'a, Sep> {
        Separated {
            builder: self,
            separator,
            first: true,
        }
    }

    /// `VALUES (…), (…)`: one tuple per item, written by `push_tuple`.
    pub fn push_values<I, F>(&mut self, tuples: I, mut push_tuple: F) -> &mut Self
    where
        I: IntoIterator,
        F: FnMut(Separated<'_, 'a, &'static str>, I::Item),
    {
        self.push("VALUES ");
        let mut first = true;
        for tuple in tuples {
            if !first {
                self.push(", ");
            }
            first = false;
            self.push('(');
            push_tuple(self.separated(", "), tuple);
            self.push(')');
        }
        self
    }

    /// The statement built, its values taken (the builder keeps its text).
    pub fn build(&mut self) -> Query<'_> {
        Query {
            sql: &self.sql,
            values: std::mem::take(&mut self.values),
        }
    }

    pub fn build_query_as<T: Row>(&mut self) -> QueryAs<'_, T> {
        QueryAs {
            query: self.build(),
            row: PhantomData,
        }
    }

    pub fn build_query_scalar<T: Scalar>(&mut self) -> QueryScalar<'_, T> {
        QueryScalar {
            query: self.build(),
            value: PhantomData,
        }
    }

    /// The text and the values, to run with others (`db::batch`).
    pub fn into_parts(self) -> (String, Vec<Value<'a>>) {
        (self.sql, self.values)
    }

    /// The text written so far.
    pub fn sql(&self) -> &str {
        &self.sql
    }

    /// How many values are bound so far.
    pub fn bound(&self) -> usize {
        self.values.len()
    }

    /// Forgets what was written (keeping the allocation).
    pub fn reset(&mut self) -> &mut Self {
        self.sql.clear();
        self.values.clear();
        self
    }
}

/// Pieces of a [`QueryBuilder`] separated by a separator.
pub struct Separated<'qb, 'a, Sep> {
    builder: &'qb mut QueryBuilder<'a>,
    separator: Sep,
    first: bool,
}

impl<'a, Sep: Display> Separated<'_, 'a, Sep> {
    fn separate(&mut self) {
        if !self.first {
            self.builder.push(&self.separator);
        }
        self.first = false;
    }

    pub fn push(&mut self, sql: impl Display) -> &mut Self {
        self.separate();
        self.builder.push(sql);
        self
    }

    pub fn push_unseparated(&mut self, sql: impl Display) -> &mut Self {
        self.builder.push(sql);
        self
    }

    pub fn push_bind(&mut self, value: impl Bind<'a>) -> &mut Self {
        self.separate();
        self.builder.push_bind(value);
        self
    }

    pub fn push_bind_unseparated(&mut self, value: impl Bind<'a>) -> &mut Self {
        self.builder.push_bind(value);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_builder_writes_sqlites_placeholders() {
        let mut q = QueryBuilder::new("INSERT INTO t (a, b) ");
        q.push_values([(1i64, "x"), (2, "y")], |mut row, (a, b)| {
            row.push_bind(a).push_bind(b);
        });
        let mut w = q.separated(" AND ");
        w.push("a = ").push_bind_unseparated(3i64);
        assert_eq!(q.sql(), "INSERT INTO t (a, b) VALUES (?, ?), (?, ?)a = ?");
        assert_eq!(q.bound(), 5);
    }
}
