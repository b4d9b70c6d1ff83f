//! Small text values shared by many entities: names, codes, time zones.

use crate::validation::FieldError;

/// A trimmed, non-empty human name (site, plant, role, person...) of at most `max` characters.
pub fn name(raw: &str, max: usize) -> Result<String, FieldError> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Err(FieldError::new("required"));
    }
    if trimmed.chars().count() > max {
        return Err(FieldError::new("too_long").with("max", max));
    }
    if trimmed.chars().any(char::is_control) {
        return Err(FieldError::new("invalid_characters"));
    }
    Ok(trimmed.to_owned())
}

/// Optional free text: blank becomes `None`. Line breaks and tabs are text; other control
/// characters (a NUL, which PostgreSQL cannot store) are refused.
pub fn optional_text(raw: Option<&str>, max: usize) -> Result<Option<String>, FieldError> {
    match raw.map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) if text.chars().count() > max => {
            Err(FieldError::new("too_long").with("max", max))
        }
        Some(text)
            if text
                .chars()
                .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')) =>
        {
            Err(FieldError::new("invalid_characters"))
        }
        Some(text) => Ok(Some(text.to_owned())),
    }
}

/// A short identifier people type and print on labels (`LYON-1`, `L2.A`): 1 to 32 letters,
/// digits, `-`, `_` or `.`, stored upper-case so that `lyon-1` and `LYON-1` are one code.
pub fn code(raw: &str) -> Result<String, FieldError> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Err(FieldError::new("required"));
    }
    if trimmed.chars().count() > 32 {
        return Err(FieldError::new("too_long").with("max", 32));
    }
    if !trimmed
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        return Err(FieldError::new("invalid_code"));
    }
    Ok(trimmed.to_ascii_uppercase())
}

/// An IANA time zone name (`Europe/Paris`), as scheduling needs it.
pub fn time_zone(raw: &str) -> Result<chrono_tz::Tz, FieldError> {
    raw.trim()
        .parse::<chrono_tz::Tz>()
        .map_err(|_| FieldError::new("invalid_time_zone"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(
            name("  Usine de Lyon ", 120).as_deref(),
            Ok("Usine de Lyon")
        );
        assert_eq!(name("   ", 120).map_err(|e| e.code), Err("required"));
        assert_eq!(
            name(&"x".repeat(121), 120).map_err(|e| e.code),
            Err("too_long")
        );
        assert_eq!(
            name("a\u{0}b", 120).map_err(|e| e.code),
            Err("invalid_characters")
        );
        assert_eq!(name("Élévateur n°2", 120).as_deref(), Ok("Élévateur n°2"));
    }

    #[test]
    fn codes_are_normalised_to_upper_case() {
        assert_eq!(code(" lyon-1 ").as_deref(), Ok("LYON-1"));
        assert_eq!(code("L2.A_b").as_deref(), Ok("L2.A_B"));
        assert_eq!(code("a b").map_err(|e| e.code), Err("invalid_code"));
        assert_eq!(code("é").map_err(|e| e.code), Err("invalid_code"));
        assert_eq!(code(&"A".repeat(33)).map_err(|e| e.code), Err("too_long"));
        assert_eq!(code("").map_err(|e| e.code), Err("required"));
    }

    #[test]
    fn optional_text_blank_is_none() {
        assert_eq!(optional_text(Some("  "), 10), Ok(None));
        assert_eq!(optional_text(None, 10), Ok(None));
        assert_eq!(optional_text(Some(" a "), 10), Ok(Some("a".into())));
        assert!(optional_text(Some("abcdefghijk"), 10).is_err());
        assert_eq!(
            optional_text(Some("ligne 1\nligne 2\tfin"), 50),
            Ok(Some("ligne 1\nligne 2\tfin".into()))
        );
        assert_eq!(
            optional_text(Some("a\u{0}b"), 10).map_err(|e| e.code),
            Err("invalid_characters")
        );
    }

    #[test]
    fn time_zones_are_iana_names() {
        assert_eq!(time_zone("Europe/Paris"), Ok(chrono_tz::Europe::Paris));
        assert_eq!(
            time_zone(" America/Montreal "),
            Ok(chrono_tz::America::Montreal)
        );
        assert!(time_zone("Europe/Lyon").is_err());
        assert!(time_zone("CEST+2").is_err());
    }
}
