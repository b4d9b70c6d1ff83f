//! What an order's checklist found wrong (a reading out of its bounds, a failed check), and the
//! follow-up corrective order proposed from it, written for the person who reads it.

use crate::Locale;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FindingKind {
    BelowMin,
    AboveMax,
    Failed,
}

impl FindingKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FindingKind::BelowMin => "below_min",
            FindingKind::AboveMax => "above_max",
            FindingKind::Failed => "failed",
        }
    }
}

/// One answered checklist item, as far as findings go.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading<'a> {
    pub label: &'a str,
    pub passed: Option<bool>,
    pub value: Option<f64>,
    pub unit: Option<&'a str>,
    pub min: Option<f64>,
    pub max: Option<f64>,
}

impl Reading<'_> {
    /// What is wrong with this answer, if anything. An unanswered item finds nothing.
    pub fn finding(&self) -> Option<FindingKind> {
        if self.passed == Some(false) {
            return Some(FindingKind::Failed);
        }
        let value = self.value?;
        if self.min.is_some_and(|min| value < min) {
            Some(FindingKind::BelowMin)
        } else if self.max.is_some_and(|max| value > max) {
            Some(FindingKind::AboveMax)
        } else {
            None
        }
    }
}

/// A number as a person of `locale` writes it: no trailing zeros, a decimal comma in French.
pub fn number(value: f64, locale: Locale) -> String {
    let text = format!("{:.3}", value);
    let text = text.trim_end_matches('0').trim_end_matches('.');
    let text = if text == "-0" { "0" } else { text };
    match locale {
        Locale::Fr => text.replace('.', ","),
        Locale::En => text.to_owned(),
    }
}

fn with_unit(value: f64, unit: Option<&str>, locale: Locale) -> String {
    match unit.filter(|u| !u.is_empty()) {
        Some(unit) => format!("{} {unit}", number(value, locale)),
        None => number(value, locale),
    }
}

/// One finding in a line: `Pression : 12,5 bar (attendu entre 2 et 10 bar)`.
pub fn describe(reading: &Reading<'_>, locale: Locale) -> Option<String> {
    let kind = reading.finding()?;
    let label = reading.label;
    if kind == FindingKind::Failed {
        return Some(match locale {
            Locale::Fr => format!("{label} : non conforme"),
            Locale::En => format!("{label}: failed"),
        });
    }
    let value = with_unit(reading.value?, reading.unit, locale);
    let bound = |v: f64| with_unit(v, reading.unit, locale);
    let expected = match (reading.min, reading.max, locale) {
        (Some(min), Some(max), Locale::Fr) => {
            format!("attendu entre {} et {}", bound(min), bound(max))
        }
        (Some(min), Some(max), Locale::En) => format!("expected {} to {}", bound(min), bound(max)),
        (Some(min), None, Locale::Fr) => format!("minimum {}", bound(min)),
        (Some(min), None, Locale::En) => format!("at least {}", bound(min)),
        (None, Some(max), Locale::Fr) => format!("maximum {}", bound(max)),
        (None, Some(max), Locale::En) => format!("at most {}", bound(max)),
        (None, None, _) => return None,
    };
    Some(match locale {
        Locale::Fr => format!("{label} : {value} ({expected})"),
        Locale::En => format!("{label}: {value} ({expected})"),
    })
}

/// The proposed follow-up: its title and its description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub title: String,
    pub description: String,
}

/// The follow-up proposed for order `number` ("title") from its readings; with no finding, a
/// plain follow-up of the order.
pub fn draft(number: &str, title: &str, readings: &[Reading<'_>], locale: Locale) -> Draft {
    let lines: Vec<String> = readings
        .iter()
        .filter_map(|r| describe(r, locale))
        .collect();
    let headline = match (lines.first(), lines.len(), locale) {
        (None, _, Locale::Fr) => format!("Suite de {number} : {title}"),
        (None, _, Locale::En) => format!("Follow-up of {number}: {title}"),
        (Some(first), 1, Locale::Fr) => format!("Suite de {number} : {first}"),
        (Some(first), 1, Locale::En) => format!("Follow-up of {number}: {first}"),
        (Some(first), 2, Locale::Fr) => format!("Suite de {number} : {first} (+1 autre)"),
        (Some(first), n, Locale::Fr) => format!("Suite de {number} : {first} (+{} autres)", n - 1),
        (Some(first), n, Locale::En) => format!("Follow-up of {number}: {first} (+{} more)", n - 1),
    };
    let intro = match locale {
        Locale::Fr => format!("Constats de {number} « {title} » :"),
        Locale::En => format!("Findings of {number} “{title}”:"),
    };
    let description = if lines.is_empty() {
        match locale {
            Locale::Fr => format!("Suite de {number} « {title} »."),
            Locale::En => format!("Follow-up of {number} “{title}”."),
        }
    } else {
        let mut text = intro;
        for line in &lines {
            text.push_str("\n- ");
            text.push_str(line);
        }
        text
    };
    Draft {
        title: truncate(&headline, 200),
        description,
    }
}

/// At most `max` characters, with an ellipsis when cut.
fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(max - 1).collect();
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reading(label: &str, value: Option<f64>, min: Option<f64>, max: Option<f64>) -> Reading<'_> {
        Reading {
            label,
            passed: None,
            value,
            unit: Some("bar"),
            min,
            max,
        }
    }

    #[test]
    fn readings_out_of_their_bounds_and_failed_checks_are_findings() {
        assert_eq!(
            reading("P", Some(1.9), Some(2.0), Some(10.0)).finding(),
            Some(FindingKind::BelowMin)
        );
        assert_eq!(
            reading("P", Some(10.5), Some(2.0), Some(10.0)).finding(),
            Some(FindingKind::AboveMax)
        );
        // The bounds themselves are within tolerance.
        assert_eq!(
            reading("P", Some(2.0), Some(2.0), Some(10.0)).finding(),
            None
        );
        assert_eq!(
            reading("P", Some(10.0), Some(2.0), Some(10.0)).finding(),
            None
        );
        assert_eq!(reading("P", None, Some(2.0), Some(10.0)).finding(), None);
        assert_eq!(reading("P", Some(99.0), None, None).finding(), None);
        let failed = Reading {
            passed: Some(false),
            ..reading("Étanchéité", None, None, None)
        };
        assert_eq!(failed.finding(), Some(FindingKind::Failed));
        let passed = Reading {
            passed: Some(true),
            ..reading("Étanchéité", None, None, None)
        };
        assert_eq!(passed.finding(), None);
    }

    #[test]
    fn numbers_read_as_people_write_them() {
        assert_eq!(number(12.5, Locale::Fr), "12,5");
        assert_eq!(number(12.5, Locale::En), "12.5");
        assert_eq!(number(10.0, Locale::Fr), "10");
        assert_eq!(number(0.125, Locale::Fr), "0,125");
        assert_eq!(number(-0.0001, Locale::En), "0");
    }

    #[test]
    fn a_draft_names_the_order_and_lists_its_findings() {
        let readings = [
            reading("Pression huile", Some(12.5), Some(2.0), Some(10.0)),
            reading("Pression air", Some(6.0), Some(2.0), Some(10.0)),
            Reading {
                passed: Some(false),
                ..reading("Étanchéité vérin", None, None, None)
            },
            reading("Débit", Some(1.0), Some(3.0), None),
        ];
        let fr = draft("BT-2026-00042", "Contrôle presse", &readings, Locale::Fr);
        assert_eq!(
            fr.title,
            "Suite de BT-2026-00042 : Pression huile : 12,5 bar (attendu entre 2 bar et 10 bar) (+2 autres)"
        );
        assert_eq!(
            fr.description,
            "Constats de BT-2026-00042 « Contrôle presse » :\n\
             - Pression huile : 12,5 bar (attendu entre 2 bar et 10 bar)\n\
             - Étanchéité vérin : non conforme\n\
             - Débit : 1 bar (minimum 3 bar)"
        );
        let en = draft("BT-2026-00042", "Press check", &readings[2..3], Locale::En);
        assert_eq!(
            en.title,
            "Follow-up of BT-2026-00042: Étanchéité vérin: failed"
        );
        assert_eq!(
            en.description,
            "Findings of BT-2026-00042 “Press check”:\n- Étanchéité vérin: failed"
        );
        let plain = draft("BT-2026-00042", "Press check", &readings[1..2], Locale::En);
        assert_eq!(plain.title, "Follow-up of BT-2026-00042: Press check");
        assert_eq!(
            plain.description,
            "Follow-up of BT-2026-00042 “Press check”."
        );
    }

    #[test]
    fn a_long_title_is_cut_to_two_hundred_characters() {
        let label = "x".repeat(300);
        let readings = [Reading {
            passed: Some(false),
            ..reading(&label, None, None, None)
        }];
        let title = draft("BT-1", "T", &readings, Locale::En).title;
        assert_eq!(title.chars().count(), 200);
        assert!(title.ends_with('…'));
    }
}
