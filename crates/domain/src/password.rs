//! The password policy, shared by signup, member creation and password change. The web app
//! mirrors these rules so that people see the problem before they submit.

use crate::validation::FieldError;

pub const MIN_LENGTH: usize = 10;
pub const MAX_LENGTH: usize = 128;

/// Passwords that satisfy the length and variety rules but that every attacker tries first.
const COMMON: &[&str] = &[
    "password123",
    "password1!",
    "motdepasse1",
    "motdepasse123",
    "azerty1234",
    "azertyuiop1",
    "qwerty1234",
    "qwertyuiop1",
    "1234567890a",
    "a1234567890",
    "abc1234567",
    "abcd123456",
    "bonjour1234",
    "soleil12345",
    "welcome123",
    "letmein1234",
    "iloveyou12",
    "admin12345",
    "administrator1",
    "changeme123",
    "p@ssw0rd123",
    "passw0rd123",
    "maintenance1",
    "gmao123456",
];

/// Personal words the password must not contain: the email's local part, the person's and the
/// company's names.
#[derive(Debug, Default, Clone, Copy)]
pub struct PersonalWords<'a> {
    pub email_local_part: Option<&'a str>,
    pub full_name: Option<&'a str>,
    pub company: Option<&'a str>,
}

/// Checks a new password; the error's `reason` says which rule failed.
pub fn check(password: &str, personal: PersonalWords<'_>) -> Result<(), FieldError> {
    let weak = |reason: &str| FieldError::new("weak_password").with("reason", reason.to_owned());
    let length = password.chars().count();
    if length == 0 {
        return Err(FieldError::new("required"));
    }
    if length < MIN_LENGTH {
        return Err(weak("too_short").with("min", MIN_LENGTH));
    }
    if length > MAX_LENGTH {
        return Err(weak("too_long").with("max", MAX_LENGTH));
    }
    let has_letter = password.chars().any(char::is_alphabetic);
    let has_other = password.chars().any(|c| !c.is_alphabetic());
    if !has_letter || !has_other {
        return Err(weak("needs_variety"));
    }
    let lowered = password.to_lowercase();
    if COMMON.contains(&lowered.as_str()) || has_long_run(&lowered) {
        return Err(weak("too_common"));
    }
    let words = [
        personal.email_local_part,
        personal.full_name,
        personal.company,
    ];
    let contains_personal = words
        .into_iter()
        .flatten()
        .flat_map(|w| w.split(|c: char| !c.is_alphanumeric()))
        .filter(|w| w.chars().count() >= 4)
        .any(|w| lowered.contains(&w.to_lowercase()));
    if contains_personal {
        return Err(weak("contains_personal_info"));
    }
    Ok(())
}

/// `aaaaaaaaaa1` or `0000000000x`: one character repeated over most of the password.
fn has_long_run(password: &str) -> bool {
    let chars: Vec<char> = password.chars().collect();
    let mut longest = 1;
    let mut current = 1;
    for pair in chars.windows(2) {
        if pair[0] == pair[1] {
            current += 1;
            longest = longest.max(current);
        } else {
            current = 1;
        }
    }
    longest * 2 > chars.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reason(password: &str, personal: PersonalWords<'_>) -> Option<String> {
        check(password, personal)
            .err()
            .map(|e| e.params["reason"].as_str().unwrap_or(e.code).to_owned())
    }

    #[test]
    fn accepts_reasonable_passwords() {
        assert_eq!(
            reason("Roulement-42-graisse", PersonalWords::default()),
            None
        );
        assert_eq!(
            reason("correct horse 7 battery", PersonalWords::default()),
            None
        );
        assert_eq!(reason("Clé à molette 12", PersonalWords::default()), None);
    }

    #[test]
    fn refuses_each_rule() {
        let none = PersonalWords::default();
        assert_eq!(reason("Court-1", none).as_deref(), Some("too_short"));
        assert_eq!(reason(&"ab1".repeat(50), none).as_deref(), Some("too_long"));
        assert_eq!(
            reason("seulementdeslettres", none).as_deref(),
            Some("needs_variety")
        );
        assert_eq!(
            reason("12345678901234", none).as_deref(),
            Some("needs_variety")
        );
        assert_eq!(reason("Azerty1234", none).as_deref(), Some("too_common"));
        assert_eq!(reason("aaaaaaaaaaaa1", none).as_deref(), Some("too_common"));
        assert_eq!(reason("", none).as_deref(), Some("required"));
    }

    #[test]
    fn refuses_personal_words() {
        let personal = PersonalWords {
            email_local_part: Some("anne.martin"),
            full_name: Some("Anne Martin"),
            company: Some("Fonderie Rhône"),
        };
        assert_eq!(
            reason("martin-2026-xyz", personal).as_deref(),
            Some("contains_personal_info")
        );
        assert_eq!(
            reason("FONDERIE!2026", personal).as_deref(),
            Some("contains_personal_info")
        );
        // Words shorter than four letters are too common to forbid.
        let short = PersonalWords {
            full_name: Some("Li Bo"),
            ..Default::default()
        };
        assert_eq!(reason("li-bo-pompe-42", short), None);
    }
}
