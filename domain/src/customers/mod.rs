//! Customers as their service records bring them: which customer a record names (by customer
//! number, phone or member number), whether it creates one, and what it adds to a customer
//! already known. Pure: the server loads a [`CustomerBook`] from the database, runs every
//! record of an import or an ingestion through it, then writes [`CustomerBook::changes`].
//!
//! The rules:
//! - Every number a record gives must point at the same customer, or at nobody. Two numbers
//!   of two different customers are refused (`conflict` on the second field): never merged.
//! - A customer number is the helpdesk's identity of the customer. A record whose customer
//!   number differs from the stored (not generated) number of the customer its phone or
//!   member number names is refused (`conflict`): the phone may have passed to someone else.
//! - A record naming nobody creates the customer (it then needs a type; a member, a member
//!   number). Without a customer number one is generated (`PJ000001`, marked generated); the
//!   first record that brings the helpdesk's customer number replaces it.
//! - Contacts a customer lacks (member number, phone, e-mail, name) are filled in. A value
//!   that differs from the stored one is not applied and is reported (`kept`): a phone or
//!   member number is what customers sign in with and an e-mail where their codes go, so a
//!   record never moves them; an admin changes them. An e-mail another customer has is not
//!   applied either (`taken`).
//! - The type follows the helpdesk (new → returning → member), except that a customer with a
//!   member number stays a member, and becoming a member needs a member number.

use std::collections::HashMap;

mod fields;

pub use fields::*;

use crate::auth::{mask_email, mask_phone};
use crate::problem::FieldError;
use crate::wire::{CustomerType, Role};

/// What generated customer numbers start with.
pub const GENERATED_PREFIX: &str = "PJ";

/// The `n`th generated customer number: `PJ000001`.
pub fn generated_customer_no(n: i64) -> String {
    format!("{GENERATED_PREFIX}{n:06}")
}

/// The customer a record names, as `records::RawRecord::parse` read it: numbers
/// normalised and checked, the type given or implied (a member number implies `member`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RecordCustomer {
    /// The `customer` field: a customer number, phone or member number of a known customer.
    pub reference: Option<String>,
    pub customer_no: Option<String>,
    pub member_no: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub name: Option<String>,
    pub customer_type: Option<CustomerType>,
}

impl RecordCustomer {
    /// Whether the record says which kind each of its numbers is (not only a reference).
    pub fn has_numbers(&self) -> bool {
        self.customer_no.is_some() || self.member_no.is_some() || self.phone.is_some()
    }
}

/// A customer as the book knows them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Customer {
    /// `None`: created by a record of this batch, not stored yet.
    pub id: Option<i64>,
    /// `None`: to be generated when the customer is stored.
    pub customer_no: Option<String>,
    pub customer_no_generated: bool,
    pub member_no: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    /// `None`: no name yet (stored as the customer number until a record brings one).
    pub name: Option<String>,
    pub customer_type: Option<CustomerType>,
}

/// Who a record's numbers point at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// The customer at this index of the book.
    Known(usize),
    /// Nobody: the record creates the customer.
    New,
}

/// A contact as [`CustomerBook::apply`] compares it: the record's field, the record's value,
/// the stored one, and how a message shows a value (masked).
type Contact<'a> = (
    &'static str,
    &'a Option<String>,
    &'a mut Option<String>,
    fn(&str) -> String,
);

/// What applying a record did to its customer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    /// The customer's index in the book.
    pub index: usize,
    pub created: bool,
    /// Fields of the customer the record filled in or changed (the record's field names).
    pub updated: Vec<&'static str>,
    /// The record's values that were not applied, and why (`kept`, `taken`).
    pub kept: Vec<FieldError>,
}

/// The customers incoming records are matched against, by each of their numbers, and the
/// changes the records make to them.
#[derive(Debug, Clone, Default)]
pub struct CustomerBook {
    customers: Vec<Customer>,
    changed: Vec<bool>,
    by_no: HashMap<String, usize>,
    by_member: HashMap<String, usize>,
    by_phone: HashMap<String, usize>,
    by_email: HashMap<String, usize>,
    /// Staff by employee number: a reference to one is not a customer.
    staff: HashMap<String, Role>,
}

/// How a customer is named in messages: their number, or "a customer created by an earlier
/// row" when it is still to be generated.
fn named(c: &Customer) -> String {
    c.customer_no
        .clone()
        .unwrap_or_else(|| "a customer created by an earlier record".to_owned())
}

impl CustomerBook {
    /// Adds a stored customer.
    pub fn add(&mut self, customer: Customer) {
        let index = self.customers.len();
        self.index(index, &customer);
        self.customers.push(customer);
        self.changed.push(false);
    }

    /// Adds a staff member's employee number.
    pub fn add_staff(&mut self, employee_no: String, role: Role) {
        self.staff.insert(employee_no, role);
    }

    fn index(&mut self, index: usize, c: &Customer) {
        let keys = [
            (&mut self.by_no, &c.customer_no),
            (&mut self.by_member, &c.member_no),
            (&mut self.by_phone, &c.phone),
            (&mut self.by_email, &c.email),
        ];
        for (map, value) in keys {
            if let Some(value) = value {
                map.insert(value.clone(), index);
            }
        }
    }

    pub fn get(&self, index: usize) -> &Customer {
        &self.customers[index]
    }

    /// The customer the reference (a customer number, phone or member number) names.
    fn by_reference(&self, reference: &str) -> Option<usize> {
        self.by_no
            .get(reference)
            .or_else(|| self.by_phone.get(reference))
            .or_else(|| self.by_member.get(reference))
            .copied()
    }

    /// Who the record names, without changing anything; or why it cannot be taken (field
    /// names are the record's: `customer`, `customer_no`, `member_no`, `customer_phone`,
    /// `customer_type`).
    pub fn identify(&self, c: &RecordCustomer) -> Result<Target, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut found: Vec<(&'static str, &str, usize)> = Vec::new();
        if let Some(reference) = &c.reference {
            match self.by_reference(reference) {
                Some(index) => found.push(("customer", reference, index)),
                None => {
                    if let Some(role) = self.staff.get(reference) {
                        errors.push(FieldError::new(
                            "customer",
                            "not_customer",
                            format!(
                                "{reference} is a staff member ({}), not a customer",
                                role.as_str()
                            ),
                        ));
                    } else if ![&c.customer_no, &c.member_no, &c.phone]
                        .into_iter()
                        .any(|n| n.as_deref() == Some(reference.as_str()))
                    {
                        let hint = if c.has_numbers() {
                            "; a number for a new customer goes in customer_no, customer_phone \
                             or member_no"
                        } else {
                            "; to create the customer, send customer_no, customer_phone or \
                             member_no with customer_type"
                        };
                        errors.push(FieldError::new(
                            "customer",
                            "unknown",
                            format!(
                                "no customer has the customer number, phone or member number \
                                 {reference}{hint}"
                            ),
                        ));
                    }
                }
            }
        }
        let numbers = [
            ("customer_no", &c.customer_no, &self.by_no),
            ("member_no", &c.member_no, &self.by_member),
            ("customer_phone", &c.phone, &self.by_phone),
        ];
        for (field, value, map) in numbers {
            if let Some(value) = value
                && let Some(index) = map.get(value)
            {
                found.push((field, value, *index));
            }
        }
        if let Some(&(first_field, first_value, first)) = found.first() {
            for &(field, value, index) in &found[1..] {
                if index != first {
                    errors.push(FieldError::new(
                        field,
                        "conflict",
                        format!(
                            "{value} belongs to customer {}, but the {} {first_value} to \
                             customer {}; a record names one customer",
                            named(&self.customers[index]),
                            what(first_field),
                            named(&self.customers[first]),
                        ),
                    ));
                }
            }
            let known = &self.customers[first];
            if let (Some(given), Some(stored)) = (&c.customer_no, &known.customer_no)
                && !known.customer_no_generated
                && given != stored
            {
                errors.push(FieldError::new(
                    "customer_no",
                    "conflict",
                    format!(
                        "the {} {first_value} belongs to customer {stored}, not {given}",
                        what(first_field)
                    ),
                ));
            }
            return if errors.is_empty() {
                Ok(Target::Known(first))
            } else {
                Err(errors)
            };
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        match c.customer_type {
            None => errors.push(FieldError::new(
                "customer_type",
                "required",
                "this record creates its customer, who needs a type: new, returning or member \
                 (新客/老客/会员)",
            )),
            Some(CustomerType::Member) if c.member_no.is_none() => {
                errors.push(FieldError::new(
                    "member_no",
                    "required",
                    "this record creates a member customer, who needs a member number",
                ));
            }
            Some(_) => {}
        }
        if errors.is_empty() {
            Ok(Target::New)
        } else {
            Err(errors)
        }
    }

    /// Applies an [identified](Self::identify) record: creates its customer, or fills in what
    /// the known one lacks (see the module's rules).
    pub fn apply(&mut self, c: &RecordCustomer, target: Target) -> Applied {
        let mut kept = Vec::new();
        let email = c.email.clone().filter(|email| {
            let free = match (target, self.by_email.get(email)) {
                (_, None) => true,
                (Target::Known(index), Some(owner)) => index == *owner,
                (Target::New, Some(_)) => false,
            };
            if !free {
                kept.push(FieldError::new(
                    "customer_email",
                    "taken",
                    format!(
                        "another customer has the e-mail address {}; it is not added",
                        mask_email(email)
                    ),
                ));
            }
            free
        });
        let index = match target {
            Target::New => {
                let customer = Customer {
                    id: None,
                    customer_no: c.customer_no.clone(),
                    customer_no_generated: false,
                    member_no: c.member_no.clone(),
                    phone: c.phone.clone(),
                    email,
                    name: c.name.clone(),
                    customer_type: c.customer_type,
                };
                let index = self.customers.len();
                self.index(index, &customer);
                self.customers.push(customer);
                self.changed.push(true);
                return Applied {
                    index,
                    created: true,
                    updated: Vec::new(),
                    kept,
                };
            }
            Target::Known(index) => index,
        };
        let mut updated = Vec::new();
        let mut customer = self.customers[index].clone();
        if let Some(no) = &c.customer_no
            && (customer.customer_no.is_none() || customer.customer_no_generated)
        {
            if let Some(old) = &customer.customer_no {
                self.by_no.remove(old);
            }
            customer.customer_no = Some(no.clone());
            customer.customer_no_generated = false;
            updated.push("customer_no");
        }
        let contacts: [Contact<'_>; 4] = [
            (
                "member_no",
                &c.member_no,
                &mut customer.member_no,
                str::to_owned,
            ),
            ("customer_phone", &c.phone, &mut customer.phone, mask_phone),
            ("customer_email", &email, &mut customer.email, mask_email),
            ("customer_name", &c.name, &mut customer.name, str::to_owned),
        ];
        for (field, given, stored, shown) in contacts {
            match (given, stored.clone()) {
                (Some(value), None) => {
                    *stored = Some(value.clone());
                    updated.push(field);
                }
                (Some(value), Some(old)) if *value != old => kept.push(FieldError::new(
                    field,
                    "kept",
                    format!(
                        "the customer's {} stays {} (not {}): a record does not change it",
                        what(field),
                        shown(&old),
                        shown(value)
                    ),
                )),
                _ => {}
            }
        }
        if let Some(kind) = c.customer_type
            && customer.customer_type != Some(kind)
        {
            let member_stays = customer.customer_type == Some(CustomerType::Member)
                && customer.member_no.is_some();
            let needs_number = kind == CustomerType::Member && customer.member_no.is_none();
            if member_stays || needs_number {
                let why = if member_stays {
                    "a customer with a member number stays a member"
                } else {
                    "a member needs a member number"
                };
                kept.push(FieldError::new(
                    "customer_type",
                    "kept",
                    format!(
                        "the customer's type stays {} (not {}): {why}",
                        customer.customer_type.map_or("none", CustomerType::as_str),
                        kind.as_str()
                    ),
                ));
            } else {
                customer.customer_type = Some(kind);
                updated.push("customer_type");
            }
        }
        if !updated.is_empty() {
            self.index(index, &customer);
            self.customers[index] = customer;
            self.changed[index] = true;
        }
        Applied {
            index,
            created: false,
            updated,
            kept,
        }
    }

    /// The customers records created (no id) or changed, with their index.
    pub fn changes(&self) -> impl Iterator<Item = (usize, &Customer)> {
        self.customers
            .iter()
            .enumerate()
            .filter(|(i, _)| self.changed[*i])
    }

    /// Records that the new customer at `index` is stored as `id` with `customer_no`.
    pub fn stored(&mut self, index: usize, id: i64, customer_no: String, generated: bool) {
        let customer = &mut self.customers[index];
        customer.id = Some(id);
        customer.customer_no_generated = generated;
        customer.customer_no = Some(customer_no.clone());
        self.by_no.insert(customer_no, index);
    }
}

/// A record field's number or contact in words.
fn what(field: &str) -> &'static str {
    match field {
        "customer_no" => "customer number",
        "member_no" => "member number",
        "customer_phone" => "phone",
        "customer_email" => "e-mail address",
        "customer_name" => "name",
        _ => "number",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known(id: i64, no: &str, phone: Option<&str>, member: Option<&str>) -> Customer {
        Customer {
            id: Some(id),
            customer_no: Some(no.to_owned()),
            customer_no_generated: no.starts_with(GENERATED_PREFIX),
            member_no: member.map(str::to_owned),
            phone: phone.map(str::to_owned),
            email: None,
            name: Some(format!("客户{id}")),
            customer_type: Some(if member.is_some() {
                CustomerType::Member
            } else {
                CustomerType::New
            }),
        }
    }

    fn book() -> CustomerBook {
        let mut book = CustomerBook::default();
        book.add(known(1, "C000001", Some("13800000001"), Some("M000001")));
        book.add(known(2, "C000002", Some("13800000002"), None));
        book.add(known(3, "PJ000001", Some("13800000003"), None));
        book.add_staff("E1001".to_owned(), Role::Agent);
        book
    }

    fn codes(result: Result<Target, Vec<FieldError>>) -> Vec<(String, String)> {
        result
            .unwrap_err()
            .into_iter()
            .map(|e| (e.field, e.code))
            .collect()
    }

    fn pair(field: &str, code: &str) -> (String, String) {
        (field.to_owned(), code.to_owned())
    }

    #[test]
    fn each_number_names_its_customer() {
        let book = book();
        for reference in ["C000001", "13800000001", "M000001"] {
            let c = RecordCustomer {
                reference: Some(reference.to_owned()),
                ..RecordCustomer::default()
            };
            assert_eq!(book.identify(&c), Ok(Target::Known(0)), "{reference}");
        }
        let by_member = RecordCustomer {
            member_no: Some("M000001".to_owned()),
            ..RecordCustomer::default()
        };
        assert_eq!(book.identify(&by_member), Ok(Target::Known(0)));
        let by_phone = RecordCustomer {
            phone: Some("13800000002".to_owned()),
            customer_no: Some("C000002".to_owned()),
            ..RecordCustomer::default()
        };
        assert_eq!(book.identify(&by_phone), Ok(Target::Known(1)));
    }

    #[test]
    fn two_customers_are_a_conflict_never_a_merge() {
        let book = book();
        let c = RecordCustomer {
            customer_no: Some("C000001".to_owned()),
            phone: Some("13800000002".to_owned()),
            ..RecordCustomer::default()
        };
        assert_eq!(
            codes(book.identify(&c)),
            [pair("customer_phone", "conflict")]
        );
        let c = RecordCustomer {
            customer_no: Some("C999999".to_owned()),
            phone: Some("13800000002".to_owned()),
            ..RecordCustomer::default()
        };
        assert_eq!(codes(book.identify(&c)), [pair("customer_no", "conflict")]);
        let staff = RecordCustomer {
            reference: Some("E1001".to_owned()),
            ..RecordCustomer::default()
        };
        assert_eq!(
            codes(book.identify(&staff)),
            [pair("customer", "not_customer")]
        );
    }

    #[test]
    fn a_new_customer_needs_a_type_and_a_member_its_number() {
        let book = book();
        let mut c = RecordCustomer {
            phone: Some("13900000009".to_owned()),
            ..RecordCustomer::default()
        };
        assert_eq!(
            codes(book.identify(&c)),
            [pair("customer_type", "required")]
        );
        c.customer_type = Some(CustomerType::Member);
        assert_eq!(codes(book.identify(&c)), [pair("member_no", "required")]);
        c.customer_type = Some(CustomerType::New);
        assert_eq!(book.identify(&c), Ok(Target::New));
        let only_reference = RecordCustomer {
            reference: Some("13900000009".to_owned()),
            customer_type: Some(CustomerType::New),
            ..RecordCustomer::default()
        };
        assert_eq!(
            codes(book.identify(&only_reference)),
            [pair("customer", "unknown")]
        );
    }

    #[test]
    fn a_created_customer_is_found_by_the_next_record() {
        let mut book = book();
        let c = RecordCustomer {
            phone: Some("13900000009".to_owned()),
            customer_type: Some(CustomerType::New),
            ..RecordCustomer::default()
        };
        let applied = book.apply(&c, Target::New);
        assert!(applied.created);
        assert_eq!(book.identify(&c), Ok(Target::Known(applied.index)));
        let with_no = RecordCustomer {
            customer_no: Some("C000009".to_owned()),
            ..c.clone()
        };
        let again = book.apply(&with_no, book.identify(&with_no).unwrap());
        assert_eq!(again.updated, ["customer_no"]);
        assert_eq!(book.changes().count(), 1);
        book.stored(again.index, 9, "C000009".to_owned(), false);
        assert_eq!(book.get(again.index).id, Some(9));
    }

    #[test]
    fn contacts_are_filled_in_never_overwritten() {
        let mut book = book();
        let c = RecordCustomer {
            customer_no: Some("C000002".to_owned()),
            phone: Some("13900000002".to_owned()),
            email: Some("chen@example.com".to_owned()),
            customer_type: Some(CustomerType::Returning),
            ..RecordCustomer::default()
        };
        let target = book.identify(&c).unwrap();
        let applied = book.apply(&c, target);
        assert_eq!(applied.updated, ["customer_email", "customer_type"]);
        assert_eq!(applied.kept.len(), 1);
        assert_eq!(applied.kept[0].field, "customer_phone");
        assert!(applied.kept[0].message.contains("138****0002"));
        assert_eq!(book.get(1).phone.as_deref(), Some("13800000002"));

        let other = RecordCustomer {
            reference: Some("C000001".to_owned()),
            email: Some("chen@example.com".to_owned()),
            customer_type: Some(CustomerType::Returning),
            ..RecordCustomer::default()
        };
        let applied = book.apply(&other, Target::Known(0));
        let kept: Vec<_> = applied.kept.iter().map(|k| (&*k.field, &*k.code)).collect();
        assert_eq!(
            kept,
            [("customer_email", "taken"), ("customer_type", "kept")],
            "a member stays a member"
        );
    }

    #[test]
    fn the_helpdesks_number_replaces_a_generated_one() {
        let mut book = book();
        let c = RecordCustomer {
            customer_no: Some("C000003".to_owned()),
            phone: Some("13800000003".to_owned()),
            ..RecordCustomer::default()
        };
        assert_eq!(book.identify(&c), Ok(Target::Known(2)));
        let applied = book.apply(&c, Target::Known(2));
        assert_eq!(applied.updated, ["customer_no"]);
        assert!(!book.get(2).customer_no_generated);
        let by_new_no = RecordCustomer {
            reference: Some("C000003".to_owned()),
            ..RecordCustomer::default()
        };
        assert_eq!(book.identify(&by_new_no), Ok(Target::Known(2)));
        assert_eq!(generated_customer_no(12), "PJ000012");
    }
}
