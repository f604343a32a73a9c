//! Writing what service records did to their customers: the customers they created (without
//! a password; a generated customer number when the record had none) and the contacts they
//! filled in, as the [`CustomerBook`] holds them.

use crate::db::sql;
use crate::db::sql::Conn;
use chrono::{DateTime, Utc};
use pingjia_domain::customers::{Customer, CustomerBook, generated_customer_no};
use pingjia_domain::wire::CustomerType;

use crate::time::to_db;

/// How many customers [`save_customers`] created and changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Saved {
    pub(crate) created: u64,
    pub(crate) updated: u64,
}

/// The next generated customer number no user has (one an admin typed by hand is skipped).
async fn next_generated_no(conn: &mut Conn) -> Result<String, sqlx::Error> {
    loop {
        let n: i64 = sql::query_scalar(
            "UPDATE customer_number_sequence SET last = last + 1 WHERE id = 1 RETURNING last",
        )
        .fetch_one(&mut *conn)
        .await?;
        let number = generated_customer_no(n);
        let taken: bool =
            sql::query_scalar("SELECT EXISTS (SELECT 1 FROM users WHERE customer_no = ?)")
                .bind(&number)
                .fetch_one(&mut *conn)
                .await?;
        if !taken {
            return Ok(number);
        }
    }
}

/// Writes the book's new and changed customers (in a writing transaction); the new ones get
/// their ids and numbers in the book.
pub(crate) async fn save_customers(
    conn: &mut Conn,
    book: &mut CustomerBook,
    now: DateTime<Utc>,
) -> Result<Saved, sqlx::Error> {
    let changes: Vec<(usize, Customer)> = book.changes().map(|(i, c)| (i, c.clone())).collect();
    let mut saved = Saved::default();
    for (index, customer) in changes {
        let kind = customer.customer_type.map(CustomerType::as_str);
        match customer.id {
            None => {
                let (number, generated) = match customer.customer_no.clone() {
                    Some(number) => (number, false),
                    None => (next_generated_no(conn).await?, true),
                };
                let name = customer.name.clone().unwrap_or_else(|| number.clone());
                let id: i64 = sql::query_scalar(
                    "INSERT INTO users (role, display_name, customer_no, customer_no_generated,
                                        member_no, phone, email, customer_type, created_at)
                     VALUES ('customer', ?, ?, ?, ?, ?, ?, ?, ?)
                     RETURNING id",
                )
                .bind(name)
                .bind(&number)
                .bind(generated)
                .bind(&customer.member_no)
                .bind(&customer.phone)
                .bind(&customer.email)
                .bind(kind)
                .bind(to_db(now))
                .fetch_one(&mut *conn)
                .await?;
                book.stored(index, id, number, generated);
                saved.created += 1;
            }
            Some(id) => {
                let number = customer.customer_no.clone().unwrap_or_default();
                let name = customer.name.clone().unwrap_or_else(|| number.clone());
                sql::query(
                    "UPDATE users SET display_name = ?, customer_no = ?,
                            customer_no_generated = ?, member_no = ?, phone = ?, email = ?,
                            customer_type = ?
                     WHERE id = ? AND role = 'customer'",
                )
                .bind(name)
                .bind(number)
                .bind(customer.customer_no_generated)
                .bind(&customer.member_no)
                .bind(&customer.phone)
                .bind(&customer.email)
                .bind(kind)
                .bind(id)
                .execute(&mut *conn)
                .await?;
                saved.updated += 1;
            }
        }
    }
    Ok(saved)
}
