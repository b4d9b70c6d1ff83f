//! Email addresses, the login of every person.

use std::fmt;

use crate::validation::FieldError;

/// A syntactically plausible address, trimmed and lower-cased: gmao treats `Anne@Usine.fr` and
/// `anne@usine.fr` as one person.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Email, FieldError> {
        let candidate = raw.trim().to_lowercase();
        if candidate.is_empty() {
            return Err(FieldError::new("required"));
        }
        if candidate.len() > 254 {
            return Err(FieldError::new("invalid_email"));
        }
        let Some((local, domain)) = candidate.split_once('@') else {
            return Err(FieldError::new("invalid_email"));
        };
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
                    && label.chars().all(|c| c.is_alphanumeric() || c == '-')
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
        assert!(Email::parse("josé@société.fr").is_ok());
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
