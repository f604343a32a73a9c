//! Passwords: argon2id hashes in PHC strings, and the rules a new password meets.
//!
//! Hashing and verifying are deliberately slow (tens of milliseconds), so they run on tokio's
//! blocking pool, never on a request's worker thread.

use std::sync::LazyLock;

use argon2::password_hash::SaltString;
use argon2::{Algorithm, Argon2, Params, PasswordHash, PasswordHasher, PasswordVerifier, Version};
use pingjia_domain::FieldError;
use pingjia_domain::auth::check_password_shape;
use zxcvbn::Score;

use crate::error::AppError;

/// Memory cost in KiB (19 MiB): OWASP's first argon2id configuration.
pub const MEMORY_KIB: u32 = 19_456;
/// Passes over the memory.
pub const ITERATIONS: u32 = 2;
/// Lanes.
pub const PARALLELISM: u32 = 1;

/// The lowest zxcvbn score a new password may have: 3 is "safely unguessable: moderate
/// protection from an offline slow-hash scenario" (about 10^10 guesses).
pub const MIN_STRENGTH: Score = Score::Three;

/// zxcvbn's cost grows quickly with length; the first characters decide the score anyway.
const STRENGTH_CHECKED_CHARS: usize = 64;

/// A hash of a random password nobody knows, with the current parameters: unknown logins are
/// verified against it so they take as long as known ones.
static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| {
    hash_now(&format!("{:x}", rand::random::<u128>())).expect("argon2 hashes a random string")
});

fn argon2() -> Argon2<'static> {
    let params = Params::new(MEMORY_KIB, ITERATIONS, PARALLELISM, None)
        .expect("the argon2 parameters are in range");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes a password on the calling thread: a PHC string such as
/// `$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>` with a fresh 128-bit salt.
pub fn hash_now(password: &str) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::encode_b64(&rand::random::<[u8; 16]>())?;
    Ok(argon2()
        .hash_password(password.as_bytes(), &salt)?
        .to_string())
}

/// Whether `password` matches the PHC string `hash`, on the calling thread. A malformed hash
/// matches nothing. The parameters are the hash's own, so older hashes keep working.
pub fn verify_now(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| {
        argon2()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// Hashes a password on the blocking pool.
pub async fn hash(password: String) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || hash_now(&password))
        .await
        .map_err(|e| AppError::Internal(format!("the password hashing task failed: {e}")))?
        .map_err(|e| AppError::Internal(format!("argon2 could not hash: {e}")))
}

/// Verifies a password on the blocking pool. Without a stored hash (unknown login, account
/// without a password) the same work is done against a dummy hash and the answer is `false`,
/// so the time taken does not tell whether the account exists.
pub async fn verify(password: String, hash: Option<String>) -> Result<bool, AppError> {
    tokio::task::spawn_blocking(move || match hash {
        Some(hash) => verify_now(&password, &hash),
        None => {
            verify_now(&password, &DUMMY_HASH);
            false
        }
    })
    .await
    .map_err(|e| AppError::Internal(format!("the password verification task failed: {e}")))
}

/// Computes the dummy hash now, so the first unknown login is not slower than the others.
pub fn warm_up() {
    LazyLock::force(&DUMMY_HASH);
}

/// The rules for a new password, as a field error on `field`: the shape rules of
/// [`check_password_shape`] against the account's `identifiers`, then zxcvbn's estimate (told
/// the identifiers and the display name too) of at least [`MIN_STRENGTH`].
pub fn check_new(
    field: &str,
    password: &str,
    identifiers: &[&str],
    display_name: &str,
) -> Result<(), FieldError> {
    check_password_shape(password, identifiers)
        .map_err(|problem| FieldError::new(field, problem.code(), problem.message()))?;
    let checked: String = password.chars().take(STRENGTH_CHECKED_CHARS).collect();
    let mut inputs = identifiers.to_vec();
    inputs.push(display_name);
    inputs.push("pingjia");
    if zxcvbn::zxcvbn(&checked, &inputs).score() < MIN_STRENGTH {
        return Err(FieldError::new(
            field,
            "too_common",
            "this password is too easy to guess: use a longer phrase of unrelated words",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use super::*;

    #[test]
    fn hashes_are_argon2id_phc_strings_with_the_owasp_parameters() {
        let hash = hash_now("Correct-Horse-Battery").unwrap();
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert!(verify_now("Correct-Horse-Battery", &hash));
        assert!(!verify_now("correct-horse-battery", &hash));
        assert_ne!(hash, hash_now("Correct-Horse-Battery").unwrap(), "salted");
        assert!(!verify_now("anything", "not a phc string"));
        assert!(DUMMY_HASH.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
    }

    #[test]
    fn new_passwords_are_long_unrelated_to_the_account_and_uncommon() {
        let code = |password: &str| {
            check_new("new_password", password, &["E1001"], "张伟")
                .err()
                .map(|e| (e.field, e.code))
        };
        let error = |code: &str| Some(("new_password".to_owned(), code.to_owned()));
        assert_eq!(code("short"), error("too_short"));
        assert_eq!(code("password123"), error("too_common"));
        assert_eq!(code("qwertyuiop1"), error("too_common"));
        assert_eq!(code("1234567890"), error("too_common"));
        assert_eq!(code("Pingjia2026!"), error("too_common"));
        assert_eq!(code("my-e1001-secret-words"), error("contains_login"));
        assert_eq!(code("Pingjia-Demo-2026"), None);
        assert_eq!(code("violet-tractor-lantern"), None);
        assert_eq!(code("绿色的拖拉机在月光下"), None);
        let long = "a7#Kq".repeat(25);
        let started = Instant::now();
        assert_eq!(code(&long), None);
        assert!(
            started.elapsed().as_millis() < 2_000,
            "{:?}",
            started.elapsed()
        );
    }

    /// The time of one login's password check with the production parameters. Run in the
    /// server's profile: `cargo test -p pingjia-server --profile server --lib
    /// verification_latency -- --ignored --nocapture`.
    #[test]
    #[ignore = "a measurement, not a check; run it in an optimised profile"]
    fn verification_latency() {
        let hash = hash_now("Correct-Horse-Battery").unwrap();
        let mut times: Vec<f64> = (0..20)
            .map(|_| {
                let started = Instant::now();
                assert!(verify_now("Correct-Horse-Battery", &hash));
                started.elapsed().as_secs_f64() * 1000.0
            })
            .collect();
        times.sort_by(f64::total_cmp);
        let median = (times[9] + times[10]) / 2.0;
        println!(
            "argon2id m={MEMORY_KIB} KiB t={ITERATIONS} p={PARALLELISM}: 20 verifications, \
             median {median:.1} ms, min {:.1} ms, max {:.1} ms",
            times[0], times[19]
        );
    }
}
