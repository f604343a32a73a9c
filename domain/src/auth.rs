//! Accounts and sessions on the wire, and the rules about identifiers and passwords.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::wire::{CustomerType, Role};

/// Minimum password length when a password is set (NIST SP 800-63B asks for at least 8;
/// without a second factor we ask for more).
pub const MIN_PASSWORD_LEN: usize = 10;
/// Longest password accepted (argon2 costs grow with length; nobody types more).
pub const MAX_PASSWORD_LEN: usize = 128;

/// How a person signs in: customers with their phone or member number, staff with their
/// employee number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum LoginKind {
    Customer,
    Staff,
}

/// `POST /auth/login`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoginRequest {
    pub kind: LoginKind,
    /// Phone number or member number (customers), employee number (staff).
    pub login: String,
    pub password: String,
}

/// `GET /auth/me` and the answer to a login: who is signed in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Me {
    pub id: i64,
    pub role: Role,
    pub display_name: String,
    /// Staff: the employee number.
    pub employee_no: Option<String>,
    /// Customers: the customer number.
    pub customer_no: Option<String>,
    pub customer_type: Option<CustomerType>,
    pub team_id: Option<i64>,
    pub team_name: Option<String>,
    /// The team's English name, when set.
    #[serde(default)]
    pub team_name_en: Option<String>,
    /// When the session ends at the latest, whatever the activity.
    pub session_expires_at: DateTime<Utc>,
}

/// `POST /auth/password`: a signed-in user changes their own password.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChangePasswordRequest {
    pub current_password: String,
    pub new_password: String,
}

/// Why a new password is refused; the server adds its own check against common passwords.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordProblem {
    TooShort,
    TooLong,
    /// The password contains the login itself.
    ContainsLogin,
}

impl PasswordProblem {
    /// The stable code sent in a field error.
    pub fn code(self) -> &'static str {
        match self {
            PasswordProblem::TooShort => "too_short",
            PasswordProblem::TooLong => "too_long",
            PasswordProblem::ContainsLogin => "contains_login",
        }
    }

    pub fn message(self) -> String {
        match self {
            PasswordProblem::TooShort => format!("use at least {MIN_PASSWORD_LEN} characters"),
            PasswordProblem::TooLong => format!("use at most {MAX_PASSWORD_LEN} characters"),
            PasswordProblem::ContainsLogin => "must not contain your login".to_owned(),
        }
    }
}

/// The length and login rules for a new password (counted in characters, not bytes).
pub fn check_password_shape(password: &str, logins: &[&str]) -> Result<(), PasswordProblem> {
    let len = password.chars().count();
    if len < MIN_PASSWORD_LEN {
        return Err(PasswordProblem::TooShort);
    }
    if len > MAX_PASSWORD_LEN {
        return Err(PasswordProblem::TooLong);
    }
    let lower = password.to_lowercase();
    if logins
        .iter()
        .filter(|l| l.chars().count() >= 4)
        .any(|l| lower.contains(&l.to_lowercase()))
    {
        return Err(PasswordProblem::ContainsLogin);
    }
    Ok(())
}

/// A phone number as staff see it: the first three and last four digits, e.g. `138****1234`.
/// Shorter or odd numbers keep only their last two characters.
pub fn mask_phone(phone: &str) -> String {
    let chars: Vec<char> = phone.chars().filter(|c| !c.is_whitespace()).collect();
    if chars.len() >= 11 {
        let head: String = chars[..3].iter().collect();
        let tail: String = chars[chars.len() - 4..].iter().collect();
        format!("{head}****{tail}")
    } else if chars.len() > 2 {
        let tail: String = chars[chars.len() - 2..].iter().collect();
        format!("{}{tail}", "*".repeat(chars.len() - 2))
    } else {
        "*".repeat(chars.len())
    }
}

/// An e-mail address as staff see it: its first character and its domain, e.g.
/// `l***@example.com`.
pub fn mask_email(email: &str) -> String {
    match email.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        None => "***".to_owned(),
    }
}

/// The longest employee, customer or member number.
pub const MAX_ACCOUNT_NUMBER_LEN: usize = 20;

/// A login or an account number as stored and compared: surrounding and inner whitespace and
/// hyphens dropped, ASCII letters upper-cased (`" e1001 "` → `E1001`, `138-0000-0001` →
/// `13800000001`), so people can type them as they are printed.
pub fn normalize_login(login: &str) -> String {
    login
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// An employee, customer or member number (already normalised): 2 to
/// [`MAX_ACCOUNT_NUMBER_LEN`] ASCII letters and digits, starting with a letter, e.g. `E1001`,
/// `C000123`, `M000001`.
pub fn is_account_number(s: &str) -> bool {
    (2..=MAX_ACCOUNT_NUMBER_LEN).contains(&s.len())
        && s.as_bytes()[0].is_ascii_uppercase()
        && s.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

/// A mainland mobile number: 11 digits starting with 1 and a second digit 3-9.
pub fn is_mobile_number(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 11
        && b[0] == b'1'
        && (b'3'..=b'9').contains(&b[1])
        && b.iter().all(u8::is_ascii_digit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_are_masked_for_staff() {
        assert_eq!(mask_phone("13812341234"), "138****1234");
        assert_eq!(mask_phone("138 1234 1234"), "138****1234");
        assert_eq!(mask_phone("12345"), "***45");
        assert_eq!(mask_phone("1"), "*");
    }

    #[test]
    fn emails_are_masked_for_staff() {
        assert_eq!(mask_email("li.ming@example.com"), "l***@example.com");
        assert_eq!(mask_email("broken"), "***");
    }

    #[test]
    fn mobile_numbers_are_recognised() {
        assert!(is_mobile_number("13800000001"));
        assert!(!is_mobile_number("12800000001"));
        assert!(!is_mobile_number("1380000000"));
        assert!(!is_mobile_number("M000001"));
    }

    #[test]
    fn logins_are_normalised_as_printed() {
        assert_eq!(normalize_login(" e1001 "), "E1001");
        assert_eq!(normalize_login("138-0000 0001"), "13800000001");
        assert_eq!(normalize_login("m000001"), "M000001");
        assert_eq!(normalize_login("张伟"), "张伟");
    }

    #[test]
    fn account_numbers() {
        for ok in ["E1001", "C000123", "M000001", "A0", "QA2026X"] {
            assert!(is_account_number(ok), "{ok}");
        }
        for bad in ["", "E", "1001", "e1001", "E-1001", "张伟", &"E".repeat(21)] {
            assert!(!is_account_number(bad), "{bad}");
        }
    }

    #[test]
    fn password_shape_rules() {
        assert_eq!(
            check_password_shape("short", &[]),
            Err(PasswordProblem::TooShort)
        );
        assert_eq!(check_password_shape("exactly10!", &[]), Ok(()));
        assert_eq!(check_password_shape("密码密码密码密码密码", &[]), Ok(()));
        assert_eq!(
            check_password_shape(&"x".repeat(129), &[]),
            Err(PasswordProblem::TooLong)
        );
        assert_eq!(
            check_password_shape("my-E1001-password", &["E1001"]),
            Err(PasswordProblem::ContainsLogin)
        );
    }
}
