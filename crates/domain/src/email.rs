//! Email addresses, the login of every person.

use std::fmt;

use unicode_normalization::UnicodeNormalization;

use crate::validation::FieldError;

/// A syntactically plausible address in one spelling: trimmed, Unicode NFC, lower-cased, the
/// domain in IDNA A-labels (`société.fr` → `xn--socit-esab.fr`). gmao treats `Anne@Usine.fr`,
/// `anne@usine.fr` and the address typed with a decomposed accent as one person, so nobody
/// gets a second account by spelling someone's address differently.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

/// Longer input is refused before any work (RFC 5321 allows 254 characters).
const MAX_INPUT: usize = 320;

impl Email {
    pub fn parse(raw: &str) -> Result<Email, FieldError> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err(FieldError::new("required"));
        }
        if trimmed.len() > MAX_INPUT {
            return Err(FieldError::new("invalid_email"));
        }
        let lowered: String = trimmed.nfc().collect::<String>().to_lowercase();
        let Some((local, domain)) = lowered.split_once('@') else {
            return Err(FieldError::new("invalid_email"));
        };
        let local: String = local.nfc().collect();
        let domain = match idna::domain_to_ascii(domain) {
            Ok(ascii) if !ascii.is_empty() => ascii,
            _ => return Err(FieldError::new("invalid_email")),
        };
        let candidate = format!("{local}@{domain}");
        if candidate.len() > 254 {
            return Err(FieldError::new("invalid_email"));
        }
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..")
            && local
                .chars()
                .all(|c| c.is_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c));
        let labels: Vec<&str> = domain.split('.').collect();
        let domain_ok = labels.len() >= 2
            && labels.iter().all(|label| {
                !label.is_empty()
                    && label.len() <= 63
                    && !label.starts_with('-')
                    && !label.ends_with('-')
                    && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            });
        if local_ok && domain_ok {
            Ok(Email(candidate))
        } else {
            Err(FieldError::new("invalid_email"))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The part before `@`, used to refuse passwords built from the address.
    pub fn local_part(&self) -> &str {
        self.0.split('@').next().unwrap_or("")
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for Email {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_and_normalises_ordinary_addresses() {
        assert_eq!(
            Email::parse(" Anne.Martin@Usine-Lyon.fr ").map(|e| e.0),
            Ok("anne.martin@usine-lyon.fr".into())
        );
        assert!(Email::parse("a+gmao@example.co.uk").is_ok());
    }

    #[test]
    fn one_address_has_one_spelling() {
        // The domain in IDNA A-labels, whatever its case.
        assert_eq!(
            Email::parse("José@Société.FR").map(|e| e.0),
            Ok("josé@xn--socit-esab.fr".into())
        );
        assert_eq!(
            Email::parse("josé@xn--socit-esab.fr"),
            Email::parse("JOSÉ@société.fr")
        );
        // A decomposed accent (e + combining acute) is the same letter as the composed one.
        assert_eq!(
            Email::parse("jose\u{301}@usine.fr"),
            Email::parse("jos\u{e9}@usine.fr")
        );
        assert_eq!(
            Email::parse("jose\u{301}@usine.fr").map(|e| e.0.into_bytes()),
            Ok("jos\u{e9}@usine.fr".as_bytes().to_vec())
        );
        // Trimmed, and refused at once when absurdly long.
        assert_eq!(
            Email::parse("  anne@usine.fr\n").map(|e| e.0),
            Ok("anne@usine.fr".into())
        );
        let long = format!("{}@usine.fr", "a".repeat(5000));
        assert_eq!(
            Email::parse(&long).map_err(|e| e.code),
            Err("invalid_email")
        );
        assert!(Email::parse("anne@exa mple.fr").is_err());
    }

    #[test]
    fn refuses_malformed_addresses() {
        for bad in [
            "",
            "anne",
            "anne@",
            "@usine.fr",
            "anne@usine",
            "an ne@usine.fr",
            "anne@@usine.fr",
            "anne@usine..fr",
            ".anne@usine.fr",
            "anne@-usine.fr",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?} should be refused");
        }
        assert_eq!(Email::parse("").map_err(|e| e.code), Err("required"));
        assert_eq!(Email::parse("x").map_err(|e| e.code), Err("invalid_email"));
    }
}
