//! Accounts and teams as the admin screens manage them, and the rules a new account meets
//! before any database is asked (the server adds uniqueness, team existence and its check
//! against common passwords).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize};

use crate::auth::{
    MAX_ACCOUNT_NUMBER_LEN, check_password_shape, is_account_number, is_mobile_number,
    normalize_login,
};
use crate::problem::{FieldError, name_length_error};
use crate::wire::{CustomerType, Role};

/// Longest display name of a user.
pub const MAX_DISPLAY_NAME_LEN: usize = 50;
/// Longest team name.
pub const MAX_TEAM_NAME_LEN: usize = 50;
/// Users per page of `GET /users` when none is asked for.
pub const DEFAULT_PER_PAGE: u32 = 20;
/// Most users per page of `GET /users`.
pub const MAX_PER_PAGE: u32 = 100;

/// The header of a user import file (`POST /users/import`, `text/csv`, UTF-8 with or without
/// a byte order mark), in the template's order; columns may come in any order.
pub const IMPORT_COLUMNS: [&str; 9] = [
    "role",
    "display_name",
    "employee_no",
    "customer_no",
    "member_no",
    "phone",
    "customer_type",
    "team",
    "password",
];

/// A user as the admin screens list them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct User {
    pub id: i64,
    pub role: Role,
    pub display_name: String,
    /// Staff only.
    pub employee_no: Option<String>,
    /// Customers only.
    pub customer_no: Option<String>,
    /// Member customers only.
    pub member_no: Option<String>,
    /// Customers: always masked, e.g. `138****0001`.
    pub phone: Option<String>,
    pub customer_type: Option<CustomerType>,
    pub team_id: Option<i64>,
    pub team_name: Option<String>,
    /// A disabled user cannot sign in and has no sessions.
    pub disabled: bool,
    /// Without a password the user cannot sign in until an admin sets one.
    pub has_password: bool,
    pub created_at: DateTime<Utc>,
}

/// `GET /users`: one page of the users matching the filters, oldest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserPage {
    pub users: Vec<User>,
    /// Users matching the filters, on every page.
    pub total: u64,
    /// This page, from 1.
    pub page: u32,
    pub per_page: u32,
}

/// `POST /users`: an account of any role, with the identifiers its role has.
///
/// Staff (`agent`, `team_lead`, `qa_inspector`, `admin`) have an employee number; customers a
/// customer number and type, a member number when they are members, and optionally a mobile
/// number to sign in with. Only agents and team leads belong to a team. Without a password
/// the account cannot sign in until an admin sets one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewUser {
    pub role: Role,
    #[cfg_attr(feature = "openapi", schema(min_length = 1))]
    pub display_name: String,
    #[serde(default)]
    pub employee_no: Option<String>,
    #[serde(default)]
    pub customer_no: Option<String>,
    #[serde(default)]
    pub member_no: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub customer_type: Option<CustomerType>,
    #[serde(default)]
    pub team_id: Option<i64>,
    #[serde(default)]
    pub password: Option<String>,
}

/// Empty and blank strings count as absent; identifiers are normalised.
fn clean(value: Option<String>, normalize: bool) -> Option<String> {
    let value = value?;
    let value = if normalize {
        normalize_login(&value)
    } else {
        value.trim().to_owned()
    };
    (!value.is_empty()).then_some(value)
}

/// Whether a role's users belong to a team.
pub fn has_team(role: Role) -> bool {
    matches!(role, Role::Agent | Role::TeamLead)
}

/// A display name, trimmed: required, at most [`MAX_DISPLAY_NAME_LEN`] characters.
pub fn check_display_name(field: &str, name: &str) -> Option<FieldError> {
    check_name(field, name, MAX_DISPLAY_NAME_LEN)
}

/// A team name, trimmed: required, at most [`MAX_TEAM_NAME_LEN`] characters.
pub fn check_team_name(field: &str, name: &str) -> Option<FieldError> {
    check_name(field, name, MAX_TEAM_NAME_LEN)
}

fn check_name(field: &str, name: &str, max: usize) -> Option<FieldError> {
    name_length_error(field, name.trim(), "enter a name", max)
}

impl NewUser {
    /// The account as it is stored: the name trimmed, identifiers normalised
    /// ([`normalize_login`]), blank fields absent. The password is kept as typed.
    pub fn normalized(self) -> NewUser {
        NewUser {
            role: self.role,
            display_name: self.display_name.trim().to_owned(),
            employee_no: clean(self.employee_no, true),
            customer_no: clean(self.customer_no, true),
            member_no: clean(self.member_no, true),
            phone: clean(self.phone, true),
            customer_type: self.customer_type,
            team_id: self.team_id,
            password: self.password.filter(|p| !p.is_empty()),
        }
    }

    /// The account's identifiers: what its password must not contain.
    pub fn identifiers(&self) -> Vec<&str> {
        [
            &self.employee_no,
            &self.customer_no,
            &self.member_no,
            &self.phone,
        ]
        .into_iter()
        .flatten()
        .map(String::as_str)
        .collect()
    }

    /// Everything checked without a database, on a [normalised](Self::normalized) account:
    /// the fields the role requires and forbids, formats, lengths and the password's shape.
    /// Field names are this type's; an empty list means valid.
    pub fn validate(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        let role = self.role;
        errors.extend(check_display_name("display_name", &self.display_name));
        let customer = role == Role::Customer;
        let member = self.customer_type == Some(CustomerType::Member);
        let account_numbers = [
            ("employee_no", &self.employee_no, !customer, "staff"),
            ("customer_no", &self.customer_no, customer, "customers"),
            (
                "member_no",
                &self.member_no,
                customer && member,
                "member customers",
            ),
        ];
        for (field, value, wanted, who) in account_numbers {
            match (value, wanted) {
                (None, true) => {
                    errors.push(FieldError::new(field, "required", "enter the number"));
                }
                (Some(_), false) => errors.push(FieldError::new(
                    field,
                    "not_allowed",
                    format!("only {who} have this number"),
                )),
                (Some(number), true) if !is_account_number(number) => {
                    errors.push(FieldError::new(
                        field,
                        "invalid",
                        format!(
                            "use 2 to {MAX_ACCOUNT_NUMBER_LEN} letters and digits starting with a letter"
                        ),
                    ));
                }
                _ => {}
            }
        }
        match (&self.phone, customer) {
            (Some(_), false) => errors.push(FieldError::new(
                "phone",
                "not_allowed",
                "only customers have a phone number here",
            )),
            (Some(phone), true) if !is_mobile_number(phone) => errors.push(FieldError::new(
                "phone",
                "invalid",
                "enter an 11-digit mobile number",
            )),
            _ => {}
        }
        match (self.customer_type, customer) {
            (None, true) => errors.push(FieldError::new(
                "customer_type",
                "required",
                "choose new, returning or member",
            )),
            (Some(_), false) => errors.push(FieldError::new(
                "customer_type",
                "not_allowed",
                "only customers have a customer type",
            )),
            _ => {}
        }
        if self.team_id.is_some() && !has_team(role) {
            errors.push(FieldError::new(
                "team_id",
                "not_allowed",
                "only agents and team leads belong to a team",
            ));
        }
        if let Some(password) = &self.password
            && let Err(problem) = check_password_shape(password, &self.identifiers())
        {
            errors.push(FieldError::new(
                "password",
                problem.code(),
                problem.message(),
            ));
        }
        errors
    }
}

/// Reads a field that may be absent (leave unchanged), `null` (clear) or a value (set).
fn double_option<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

/// `PATCH /users/{id}`: the fields to change; absent fields stay as they are.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserPatch {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// Within staff roles only: a customer cannot become staff or the reverse.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    /// A team id, or `null` to take the user out of their team.
    #[serde(
        default,
        deserialize_with = "double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<i64>))]
    pub team_id: Option<Option<i64>>,
    /// Disabling ends every session of the user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disabled: Option<bool>,
}

/// `POST /users/{id}/password`: an admin sets a user's password; their sessions end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SetPasswordRequest {
    pub new_password: String,
}

/// A team of agents and its lead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Team {
    pub id: i64,
    pub name: String,
    /// A `team_lead` user.
    pub lead_user_id: Option<i64>,
    pub lead_name: Option<String>,
    /// Users in the team, the lead included.
    pub members: u64,
}

/// `POST /teams`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewTeam {
    #[cfg_attr(feature = "openapi", schema(min_length = 1))]
    pub name: String,
    /// A `team_lead` user who leads no other team; they join this team.
    #[serde(default)]
    pub lead_user_id: Option<i64>,
}

/// `PATCH /teams/{id}`: the fields to change; absent fields stay as they are.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TeamPatch {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// A `team_lead` user who leads no other team (they join this team), or `null` for none.
    #[serde(
        default,
        deserialize_with = "double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<i64>))]
    pub lead_user_id: Option<Option<i64>>,
}

/// `POST /users/import`: how many users a valid file created. An invalid file creates none
/// and is answered with a 422 problem whose `errors` name each bad cell as
/// `row <line>: <column>` (the header is line 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportReport {
    pub imported: u64,
}

/// The field name of a cell of an import file, as sent in the problem's `errors`.
pub fn import_field(line: u64, column: &str) -> String {
    format!("row {line}: {column}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn agent() -> NewUser {
        NewUser {
            role: Role::Agent,
            display_name: " 张伟 ".to_owned(),
            employee_no: Some(" e1001".to_owned()),
            customer_no: None,
            member_no: None,
            phone: None,
            customer_type: None,
            team_id: Some(1),
            password: Some("Correct-Horse-Battery".to_owned()),
        }
        .normalized()
    }

    fn customer(kind: CustomerType) -> NewUser {
        NewUser {
            role: Role::Customer,
            display_name: "李明".to_owned(),
            employee_no: None,
            customer_no: Some("c000001".to_owned()),
            member_no: (kind == CustomerType::Member).then(|| "M000001".to_owned()),
            phone: Some("138 0000 0001".to_owned()),
            customer_type: Some(kind),
            team_id: None,
            password: None,
        }
        .normalized()
    }

    fn codes(user: &NewUser) -> Vec<(String, String)> {
        user.validate()
            .into_iter()
            .map(|e| (e.field, e.code))
            .collect()
    }

    fn pair(field: &str, code: &str) -> (String, String) {
        (field.to_owned(), code.to_owned())
    }

    #[test]
    fn valid_accounts_are_normalised() {
        let agent = agent();
        assert_eq!(agent.display_name, "张伟");
        assert_eq!(agent.employee_no.as_deref(), Some("E1001"));
        assert!(agent.validate().is_empty());
        for kind in CustomerType::ALL {
            let customer = customer(kind);
            assert_eq!(customer.phone.as_deref(), Some("13800000001"));
            assert_eq!(customer.customer_no.as_deref(), Some("C000001"));
            assert!(customer.validate().is_empty(), "{kind:?}");
        }
    }

    #[test]
    fn each_role_has_its_identifiers() {
        let mut user = agent();
        user.employee_no = None;
        user.phone = Some("13800000001".to_owned());
        user.customer_type = Some(CustomerType::New);
        assert_eq!(
            codes(&user),
            [
                pair("employee_no", "required"),
                pair("phone", "not_allowed"),
                pair("customer_type", "not_allowed"),
            ]
        );

        let mut user = customer(CustomerType::Returning);
        user.member_no = Some("M1".to_owned());
        user.employee_no = Some("E1".to_owned());
        user.team_id = Some(1);
        assert_eq!(
            codes(&user),
            [
                pair("employee_no", "not_allowed"),
                pair("member_no", "not_allowed"),
                pair("team_id", "not_allowed"),
            ]
        );

        let mut user = customer(CustomerType::Member);
        user.member_no = None;
        user.customer_type = None;
        assert_eq!(
            codes(&user),
            [pair("customer_type", "required")],
            "without a type, no member number is asked for"
        );

        let mut user = customer(CustomerType::Member);
        user.member_no = None;
        assert_eq!(codes(&user), [pair("member_no", "required")]);

        let mut qa = agent();
        qa.role = Role::QaInspector;
        assert_eq!(codes(&qa), [pair("team_id", "not_allowed")]);
    }

    #[test]
    fn formats_lengths_and_passwords() {
        let mut user = customer(CustomerType::New);
        user.phone = Some("12345".to_owned());
        user.customer_no = Some("123".to_owned());
        user.display_name = "名".repeat(51);
        user.password = Some("13800000001abc".to_owned());
        assert_eq!(
            codes(&user),
            [
                pair("display_name", "too_long"),
                pair("customer_no", "invalid"),
                pair("phone", "invalid"),
            ],
        );
        let mut user = customer(CustomerType::New);
        user.password = Some("x13800000001abc".to_owned());
        assert_eq!(codes(&user), [pair("password", "contains_login")]);
        user.password = Some("short".to_owned());
        assert_eq!(codes(&user), [pair("password", "too_short")]);
        let user = NewUser {
            display_name: "  ".to_owned(),
            ..agent()
        };
        assert_eq!(codes(&user), [pair("display_name", "required")]);
    }

    #[test]
    fn blank_fields_are_absent() {
        let user = NewUser {
            phone: Some("  ".to_owned()),
            password: Some(String::new()),
            ..customer(CustomerType::New)
        }
        .normalized();
        assert_eq!(user.phone, None);
        assert_eq!(user.password, None);
        assert!(user.validate().is_empty());
    }

    #[test]
    fn patches_tell_absent_from_null() {
        let patch: UserPatch = serde_json::from_str(r#"{"team_id":null}"#).unwrap();
        assert_eq!(patch.team_id, Some(None));
        let patch: UserPatch = serde_json::from_str(r#"{"team_id":3}"#).unwrap();
        assert_eq!(patch.team_id, Some(Some(3)));
        let patch: UserPatch = serde_json::from_str(r#"{"disabled":true}"#).unwrap();
        assert_eq!(patch.team_id, None);
        assert_eq!(
            serde_json::to_string(&patch).unwrap(),
            r#"{"disabled":true}"#
        );
        let clear = TeamPatch {
            lead_user_id: Some(None),
            ..TeamPatch::default()
        };
        assert_eq!(
            serde_json::to_string(&clear).unwrap(),
            r#"{"lead_user_id":null}"#
        );
    }

    #[test]
    fn import_cells_are_named_by_line_and_column() {
        assert_eq!(import_field(7, "phone"), "row 7: phone");
    }
}
