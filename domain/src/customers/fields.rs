//! Reading the customer fields of an incoming record: numbers, contacts and type.

use super::RecordCustomer;
use crate::auth::{is_account_number, is_mobile_number, normalize_login};
use crate::closed_list::{choices, parse_code_or_chinese};
use crate::problem::FieldError;
use crate::users::{check_display_name, check_email};
use crate::wire::CustomerType;

/// An optional text field: `None` when blank.
fn optional(value: &str) -> Option<&str> {
    Some(value.trim()).filter(|v| !v.is_empty())
}

/// The customer's fields read and checked: at least one number (`customer` else
/// `required`), numbers in their formats, the e-mail address, the name, the type (a member
/// number implies `member`, and a member number with another type is refused).
pub fn read_customer(raw: &CustomerFields<'_>) -> Result<RecordCustomer, Vec<FieldError>> {
    let mut errors = Vec::new();
    match customer_fields(raw, &mut errors) {
        Some(customer) => Ok(customer),
        None => Err(errors),
    }
}

/// A record's customer fields as sent (the `customer…` fields of `records::RawRecord`).
#[derive(Debug, Clone, Copy, Default)]
pub struct CustomerFields<'a> {
    pub customer: &'a str,
    pub customer_no: &'a str,
    pub member_no: &'a str,
    pub customer_phone: &'a str,
    pub customer_type: &'a str,
    pub customer_email: &'a str,
    pub customer_name: &'a str,
}

/// [`read_customer`], its problems pushed onto `e` (for `records::RawRecord::parse`).
pub(crate) fn customer_fields(
    raw: &CustomerFields<'_>,
    e: &mut Vec<FieldError>,
) -> Option<RecordCustomer> {
    let before = e.len();
    let number = |e: &mut Vec<FieldError>, field: &str, value: &str| {
        let number = normalize_login(optional(value)?);
        if is_account_number(&number) {
            Some(number)
        } else {
            e.push(FieldError::new(
                field,
                "invalid",
                "use 2 to 20 letters and digits starting with a letter",
            ));
            None
        }
    };
    let customer_no = number(e, "customer_no", raw.customer_no);
    let member_no = number(e, "member_no", raw.member_no);
    let phone = optional(raw.customer_phone).map(normalize_login);
    if phone.as_deref().is_some_and(|p| !is_mobile_number(p)) {
        e.push(FieldError::new(
            "customer_phone",
            "invalid",
            "enter an 11-digit mobile number",
        ));
    }
    let reference = optional(raw.customer).map(normalize_login);
    if reference.is_none()
        && [raw.customer_no, raw.member_no, raw.customer_phone]
            .iter()
            .all(|n| n.trim().is_empty())
    {
        e.push(FieldError::new(
            "customer",
            "required",
            "this field is required",
        ));
    }
    let email = optional(raw.customer_email).and_then(|text| {
        check_email("customer_email", text)
            .map_err(|error| e.push(error))
            .ok()
    });
    let name = optional(raw.customer_name).map(str::to_owned);
    if let Some(name) = &name {
        e.extend(check_display_name("customer_name", name));
    }
    let mut customer_type = match optional(raw.customer_type) {
        None => None,
        Some(text) => parse_code_or_chinese::<CustomerType>(text).or_else(|| {
            e.push(FieldError::new(
                "customer_type",
                "invalid",
                format!(
                    "{text:?} is not a customer type: use {}",
                    choices::<CustomerType>()
                ),
            ));
            None
        }),
    };
    if raw.member_no.trim().is_empty() {
        // Nothing implied.
    } else if customer_type.is_none() && optional(raw.customer_type).is_none() {
        customer_type = Some(CustomerType::Member);
    } else if customer_type.is_some_and(|t| t != CustomerType::Member) {
        e.push(FieldError::new(
            "customer_type",
            "not_member",
            "a customer with a member number is a member (member, 会员)",
        ));
    }
    (e.len() == before).then_some(RecordCustomer {
        reference,
        customer_no,
        member_no,
        phone,
        email,
        name,
        customer_type,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair(field: &str, code: &str) -> (String, String) {
        (field.to_owned(), code.to_owned())
    }

    fn fields(r: &CustomerFields<'_>) -> Result<RecordCustomer, Vec<(String, String)>> {
        read_customer(r).map_err(|errors| errors.into_iter().map(|e| (e.field, e.code)).collect())
    }

    #[test]
    fn the_customer_is_named_by_one_number_at_least() {
        let mut r = CustomerFields {
            customer_phone: "139 0000 0009",
            customer_email: " Wang@Example.com",
            customer_name: "王芳",
            customer_type: "老客",
            ..CustomerFields::default()
        };
        let parsed = fields(&r).unwrap();
        assert_eq!(parsed.phone.as_deref(), Some("13900000009"));
        assert_eq!(parsed.email.as_deref(), Some("wang@example.com"));
        assert_eq!(parsed.customer_type, Some(CustomerType::Returning));
        assert_eq!(parsed.reference, None);

        r.customer_phone = "";
        r.member_no = "m000009";
        r.customer_type = "";
        let parsed = fields(&r).unwrap();
        assert_eq!(parsed.member_no.as_deref(), Some("M000009"));
        assert_eq!(parsed.customer_type, Some(CustomerType::Member), "implied");

        r.customer_type = "new";
        r.customer_no = "123";
        r.customer_email = "not an address";
        assert_eq!(
            fields(&r).unwrap_err(),
            [
                pair("customer_no", "invalid"),
                pair("customer_email", "invalid_email"),
                pair("customer_type", "not_member"),
            ]
        );
        let reference = CustomerFields {
            customer: "c-000-001",
            ..CustomerFields::default()
        };
        assert_eq!(
            fields(&reference).unwrap().reference.as_deref(),
            Some("C000001")
        );
        assert_eq!(
            fields(&CustomerFields::default()).unwrap_err(),
            [pair("customer", "required")]
        );
    }
}
