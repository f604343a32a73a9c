//! The values a query binds, typed (a `NULL` too, for PostgreSQL), and the row and column
//! types both databases read into.

use std::borrow::Cow;

use sqlx::postgres::{PgRow, Postgres};
use sqlx::sqlite::{Sqlite, SqliteRow};
use sqlx::{Decode, FromRow, Type};

/// The type of a bound value, for a typed `NULL`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Bool,
    Int,
    Real,
    Text,
}

/// A value bound to a placeholder.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'q> {
    Null(Kind),
    Bool(bool),
    Int(i64),
    Real(f64),
    Text(Cow<'q, str>),
}

/// What can be bound to a placeholder: the Rust values the queries bind.
pub trait Bind<'q> {
    /// The type of the value (of its `NULL`).
    const KIND: Kind;
    fn value(self) -> Value<'q>;
}

macro_rules! bind_int {
    ($($t:ty),*) => {$(
        impl<'q> Bind<'q> for $t {
            const KIND: Kind = Kind::Int;
            fn value(self) -> Value<'q> {
                Value::Int(i64::from(self))
            }
        }
        impl<'q> Bind<'q> for &$t {
            const KIND: Kind = Kind::Int;
            fn value(self) -> Value<'q> {
                Value::Int(i64::from(*self))
            }
        }
    )*};
}
bind_int!(i8, i16, i32, i64, u8, u16, u32);

impl<'q> Bind<'q> for bool {
    const KIND: Kind = Kind::Bool;
    fn value(self) -> Value<'q> {
        Value::Bool(self)
    }
}

impl<'q> Bind<'q> for &bool {
    const KIND: Kind = Kind::Bool;
    fn value(self) -> Value<'q> {
        Value::Bool(*self)
    }
}

impl<'q> Bind<'q> for f64 {
    const KIND: Kind = Kind::Real;
    fn value(self) -> Value<'q> {
        Value::Real(self)
    }
}

impl<'q> Bind<'q> for &f64 {
    const KIND: Kind = Kind::Real;
    fn value(self) -> Value<'q> {
        Value::Real(*self)
    }
}

impl<'q> Bind<'q> for f32 {
    const KIND: Kind = Kind::Real;
    fn value(self) -> Value<'q> {
        Value::Real(f64::from(self))
    }
}

impl<'q> Bind<'q> for &'q str {
    const KIND: Kind = Kind::Text;
    fn value(self) -> Value<'q> {
        Value::Text(Cow::Borrowed(self))
    }
}

impl<'q> Bind<'q> for &'q &str {
    const KIND: Kind = Kind::Text;
    fn value(self) -> Value<'q> {
        Value::Text(Cow::Borrowed(*self))
    }
}

impl<'q> Bind<'q> for String {
    const KIND: Kind = Kind::Text;
    fn value(self) -> Value<'q> {
        Value::Text(Cow::Owned(self))
    }
}

impl<'q> Bind<'q> for &'q String {
    const KIND: Kind = Kind::Text;
    fn value(self) -> Value<'q> {
        Value::Text(Cow::Borrowed(self.as_str()))
    }
}

impl<'q> Bind<'q> for Cow<'q, str> {
    const KIND: Kind = Kind::Text;
    fn value(self) -> Value<'q> {
        Value::Text(self)
    }
}

impl<'q, T: Bind<'q>> Bind<'q> for Option<T> {
    const KIND: Kind = T::KIND;
    fn value(self) -> Value<'q> {
        match self {
            Some(value) => value.value(),
            None => Value::Null(T::KIND),
        }
    }
}

impl<'q> Bind<'q> for &'q Option<String> {
    const KIND: Kind = Kind::Text;
    fn value(self) -> Value<'q> {
        self.as_deref().value()
    }
}

impl<'q> Bind<'q> for &Option<i64> {
    const KIND: Kind = Kind::Int;
    fn value(self) -> Value<'q> {
        (*self).value()
    }
}

impl<'q> Bind<'q> for Value<'q> {
    const KIND: Kind = Kind::Text;
    fn value(self) -> Value<'q> {
        self
    }
}

/// A row type both databases' rows read into (`#[derive(sqlx::FromRow)]`, a tuple).
pub trait Row: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin {}
impl<T> Row for T where T: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin
{}

/// A single value both databases' columns read into.
pub trait Scalar:
    for<'r> Decode<'r, Sqlite>
    + Type<Sqlite>
    + for<'r> Decode<'r, Postgres>
    + Type<Postgres>
    + Send
    + Unpin
{
}
impl<T> Scalar for T where
    T: for<'r> Decode<'r, Sqlite>
        + Type<Sqlite>
        + for<'r> Decode<'r, Postgres>
        + Type<Postgres>
        + Send
        + Unpin
{
}
