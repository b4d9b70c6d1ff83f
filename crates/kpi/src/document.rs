//! A KPI report as people read it, whatever it is written to: a title, the period and filters,
//! the key figures with their change against the previous period, charts and tables, in French
//! or English. CSV, XLSX, PDF and the scheduled report's mail are all written from a
//! [`Document`], so they never disagree.

use chrono::{DateTime, Utc};
use gmao_domain::Locale;

use crate::report::{Figure, Report, Unit};

/// What a report says.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub locale: Locale,
    /// "Indicateurs de maintenance", or a schedule's name.
    pub title: String,
    pub company: String,
    /// The window, as people say it: "mars 2026", "semaine du 2 mars 2026".
    pub period: String,
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    /// The filters applied, as (label, value); none: everything the reader may see.
    pub filters: Vec<(String, String)>,
    /// When it was computed, written in the report's time zone.
    pub generated_at: String,
    pub key_figures: Vec<KeyFigure>,
    pub charts: Vec<Chart>,
    pub tables: Vec<Table>,
}

/// One indicator over the window, and over the window before it.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyFigure {
    /// `mtbf`, `mttr`, `availability`, `pm_compliance`, `planned_work`, `backlog`.
    pub key: &'static str,
    pub label: String,
    pub value: Option<f64>,
    /// The same indicator over the previous period of the same length.
    pub previous: Option<f64>,
    pub unit: Unit,
    /// Whether a rise is good news (MTBF) or bad news (MTTR, backlog).
    pub higher_is_better: bool,
    /// How it is computed, with its figures: "743 h de fonctionnement / 3 pannes".
    pub detail: String,
}

impl KeyFigure {
    /// `value − previous`, when both exist.
    pub fn change(&self) -> Option<f64> {
        Some(self.value? - self.previous?)
    }

    /// Whether the change is good news, bad news, or neither (no change, or nothing to compare).
    pub fn trend(&self) -> Trend {
        match self.change() {
            Some(change) if change.abs() < 1e-9 => Trend::Flat,
            Some(change) if (change > 0.0) == self.higher_is_better => Trend::Better,
            Some(_) => Trend::Worse,
            None => Trend::Unknown,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trend {
    Better,
    Worse,
    Flat,
    Unknown,
}

/// A series to draw: one bar per period.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    pub title: String,
    pub unit: Unit,
    /// (period label, value); none where the period has no value.
    pub points: Vec<(String, Option<f64>)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Also the sheet's name in a workbook: short.
    pub title: String,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Cell>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub label: String,
    /// Numbers are right-aligned and kept as numbers in a workbook.
    pub numeric: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    /// A number shown with this many decimals.
    Number(f64, u8),
    Empty,
}

impl Cell {
    fn number(value: Option<f64>, decimals: u8) -> Cell {
        value.map_or(Cell::Empty, |v| Cell::Number(v, decimals))
    }

    /// The cell as text in the report's language (numbers grouped and rounded).
    pub fn display(&self, locale: Locale) -> String {
        match self {
            Cell::Text(text) => text.clone(),
            Cell::Number(value, decimals) => format_number(locale, *value, *decimals),
            Cell::Empty => "—".to_owned(),
        }
    }
}

/// What a report is about, besides its figures.
#[derive(Debug, Clone, PartialEq)]
pub struct Heading {
    pub locale: Locale,
    pub title: String,
    pub company: String,
    pub period: String,
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub filters: Vec<(String, String)>,
    pub generated_at: String,
}

/// A dashboard filter as a report prints it: (`Criticité`, `Haute`).
pub fn filter_label(locale: Locale, key: &str, value: &str) -> (String, String) {
    let l = locale;
    let label = match key {
        "site_id" => "Site".to_owned(),
        "plant_id" => pick(l, "Usine", "Plant"),
        "production_line_id" => pick(l, "Ligne", "Line"),
        "equipment_id" => pick(l, "Équipement", "Equipment"),
        "category" => pick(l, "Catégorie", "Category"),
        "criticality" => pick(l, "Criticité", "Criticality"),
        other => other.to_owned(),
    };
    let value = match (key, value) {
        ("criticality", "low") => pick(l, "Faible", "Low"),
        ("criticality", "medium") => pick(l, "Moyenne", "Medium"),
        ("criticality", "high") => pick(l, "Haute", "High"),
        ("criticality", "critical") => pick(l, "Critique", "Critical"),
        (_, v) => v.to_owned(),
    };
    (label, value)
}

fn pick(locale: Locale, fr: &str, en: &str) -> String {
    match locale {
        Locale::Fr => fr.to_owned(),
        Locale::En => en.to_owned(),
    }
}

/// `1 234,5` in French (narrow no-break space), `1,234.5` in English.
pub fn format_number(locale: Locale, value: f64, decimals: u8) -> String {
    let raw = format!("{:.*}", usize::from(decimals), value.abs());
    let (whole, fraction) = raw.split_once('.').unwrap_or((raw.as_str(), ""));
    let (group, point) = match locale {
        Locale::Fr => ('\u{202f}', ','),
        Locale::En => (',', '.'),
    };
    let mut grouped = String::new();
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push(group);
        }
        grouped.push(digit);
    }
    // -0.0 and values that round to zero have no sign.
    let negative = value < 0.0 && raw.chars().any(|c| c.is_ascii_digit() && c != '0');
    let sign = if negative { "-" } else { "" };
    if fraction.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}{point}{fraction}")
    }
}

/// A value with its unit: `97,4 %`, `12,5 h`, `3`.
pub fn format_value(locale: Locale, value: Option<f64>, unit: Unit) -> String {
    let Some(value) = value else {
        return "—".to_owned();
    };
    match unit {
        Unit::Percent => format!("{}\u{a0}%", format_number(locale, value, 1)),
        Unit::Hours => format!("{}\u{a0}h", format_number(locale, value, 1)),
        Unit::Orders => format_number(locale, value, 0),
        Unit::Weeks => format!(
            "{}\u{a0}{}",
            format_number(locale, value, 1),
            pick(locale, "sem.", "wk")
        ),
        Unit::Currency => format_number(locale, value, 0),
    }
}

/// The sign of a currency (`€`), or its code.
pub fn currency_sign(code: &str) -> &str {
    match code {
        "EUR" => "€",
        "USD" => "$",
        "GBP" => "£",
        other => other,
    }
}

/// A change with its sign and unit: `+1,2 pt`, `−3,0 h`.
pub fn format_change(locale: Locale, change: f64, unit: Unit) -> String {
    let sign = if change > 0.0 {
        "+"
    } else if change < 0.0 {
        "\u{2212}"
    } else {
        "±"
    };
    let magnitude = match unit {
        Unit::Percent => format!("{}\u{a0}pt", format_number(locale, change.abs(), 1)),
        Unit::Hours => format!("{}\u{a0}h", format_number(locale, change.abs(), 1)),
        Unit::Orders | Unit::Currency => format_number(locale, change.abs(), 0),
        Unit::Weeks => format!(
            "{}\u{a0}{}",
            format_number(locale, change.abs(), 1),
            pick(locale, "sem.", "wk")
        ),
    };
    format!("{sign}{magnitude}")
}

fn hours(locale: Locale, value: f64) -> String {
    format_value(locale, Some(value), Unit::Hours)
}

fn count(locale: Locale, value: f64, fr: (&str, &str), en: (&str, &str)) -> String {
    let n = format_number(locale, value, 0);
    let word = match (locale, value.round() as i64 == 1) {
        (Locale::Fr, true) => fr.0,
        (Locale::Fr, false) => fr.1,
        (Locale::En, true) => en.0,
        (Locale::En, false) => en.1,
    };
    format!("{n} {word}")
}

/// The key figures, with how each is computed.
fn key_figures(locale: Locale, now: &Report, before: Option<&Report>) -> Vec<KeyFigure> {
    let l = locale;
    let fr = |f: &str, e: &str| pick(l, f, e);
    let previous = |f: fn(&Report) -> Figure| before.and_then(|r| f(r).value);
    let m = now.mtbf.total;
    let r = now.mttr.total;
    let a = now.availability.total;
    let p = now.pm_compliance.total;
    let w = now.planned_work.total;
    let b = &now.backlog;
    let c = &now.cost;
    vec![
        KeyFigure {
            key: "mtbf",
            label: "MTBF".to_owned(),
            value: m.value,
            previous: previous(|r| r.mtbf.total),
            unit: Unit::Hours,
            higher_is_better: true,
            detail: format!(
                "{} {} / {}",
                hours(l, m.numerator),
                fr("de fonctionnement", "of operation"),
                count(
                    l,
                    m.denominator,
                    ("panne", "pannes"),
                    ("failure", "failures")
                )
            ),
        },
        KeyFigure {
            key: "mttr",
            label: "MTTR".to_owned(),
            value: r.value,
            previous: previous(|r| r.mttr.total),
            unit: Unit::Hours,
            higher_is_better: false,
            detail: format!(
                "{} {} / {}",
                hours(l, r.numerator),
                fr("de réparation", "of repair"),
                count(
                    l,
                    r.denominator,
                    ("réparation", "réparations"),
                    ("repair", "repairs")
                )
            ),
        },
        KeyFigure {
            key: "availability",
            label: fr("Disponibilité", "Availability"),
            value: a.value,
            previous: previous(|r| r.availability.total),
            unit: Unit::Percent,
            higher_is_better: true,
            detail: format!(
                "{} {} / {} {}",
                hours(l, a.numerator),
                fr("de fonctionnement", "of operation"),
                hours(l, a.denominator),
                fr("calendaires", "of calendar time")
            ),
        },
        KeyFigure {
            key: "pm_compliance",
            label: fr("Respect du préventif", "Preventive compliance"),
            value: p.value,
            previous: previous(|r| r.pm_compliance.total),
            unit: Unit::Percent,
            higher_is_better: true,
            detail: format!(
                "{} {} / {} {}",
                format_number(l, p.numerator, 0),
                fr("à temps", "on time"),
                format_number(l, p.denominator, 0),
                fr("dus", "due")
            ),
        },
        KeyFigure {
            key: "planned_work",
            label: fr("Travail planifié", "Planned work"),
            value: w.value,
            previous: previous(|r| r.planned_work.total),
            unit: Unit::Percent,
            higher_is_better: true,
            detail: format!(
                "{} {} / {} {}",
                hours(l, w.numerator),
                fr("planifiées", "planned"),
                hours(l, w.denominator),
                fr("saisies", "logged")
            ),
        },
        KeyFigure {
            key: "backlog",
            label: fr("Carnet de travaux", "Backlog"),
            value: b.total.value,
            previous: before.and_then(|r| r.backlog.total.value),
            unit: Unit::Orders,
            higher_is_better: false,
            detail: format!(
                "{} · {} {}",
                count(
                    l,
                    b.total.numerator,
                    ("bon ouvert", "bons ouverts"),
                    ("open order", "open orders")
                ),
                hours(l, b.estimated_hours),
                fr("estimées", "estimated")
            ) + &b
                .crew_weeks
                .value
                .map(|weeks| {
                    format!(
                        " · {} {}",
                        format_value(l, Some(weeks), Unit::Weeks),
                        fr("d'équipe", "of the crew")
                    )
                })
                .unwrap_or_default(),
        },
        KeyFigure {
            key: "cost",
            label: format!(
                "{} ({})",
                fr("Coût main-d'œuvre", "Labour cost"),
                currency_sign(&c.currency)
            ),
            value: c.total.value,
            previous: before.and_then(|r| r.cost.total.value),
            unit: Unit::Currency,
            higher_is_better: false,
            detail: if c.unpriced_hours > 0.0 {
                format!(
                    "{} {} · {} {}",
                    hours(l, c.priced_hours),
                    fr("valorisées", "priced"),
                    hours(l, c.unpriced_hours),
                    fr("sans taux horaire", "without an hourly rate")
                )
            } else {
                format!(
                    "{} {}",
                    hours(l, c.priced_hours),
                    fr("valorisées", "priced")
                )
            },
        },
    ]
}

fn column(label: String, numeric: bool) -> Column {
    Column { label, numeric }
}

fn decimals(unit: Unit) -> u8 {
    match unit {
        Unit::Orders | Unit::Currency => 0,
        Unit::Hours | Unit::Percent | Unit::Weeks => 1,
    }
}

fn unit_label(locale: Locale, unit: Unit) -> String {
    match unit {
        Unit::Hours => "h".to_owned(),
        Unit::Percent => "%".to_owned(),
        Unit::Orders => pick(locale, "bons", "orders"),
        Unit::Weeks => pick(locale, "semaines", "weeks"),
        Unit::Currency => pick(locale, "montant", "amount"),
    }
}

fn figures_table(locale: Locale, figures: &[KeyFigure], now: &Report) -> Table {
    let l = locale;
    let total = |key: &str| match key {
        "mtbf" => now.mtbf.total,
        "mttr" => now.mttr.total,
        "availability" => now.availability.total,
        "pm_compliance" => now.pm_compliance.total,
        "planned_work" => now.planned_work.total,
        "cost" => now.cost.total,
        _ => now.backlog.total,
    };
    Table {
        title: pick(l, "Chiffres clés", "Key figures"),
        columns: vec![
            column(pick(l, "Indicateur", "Indicator"), false),
            column(pick(l, "Valeur", "Value"), true),
            column(pick(l, "Période précédente", "Previous period"), true),
            column(pick(l, "Écart", "Change"), true),
            column(pick(l, "Unité", "Unit"), false),
            column(pick(l, "Numérateur", "Numerator"), true),
            column(pick(l, "Dénominateur", "Denominator"), true),
            column(pick(l, "Calcul", "How"), false),
        ],
        rows: figures
            .iter()
            .map(|f| {
                let total = total(f.key);
                let d = decimals(f.unit);
                vec![
                    Cell::Text(f.label.clone()),
                    Cell::number(f.value, d),
                    Cell::number(f.previous, d),
                    Cell::number(f.change(), d),
                    Cell::Text(unit_label(l, f.unit)),
                    Cell::Number(total.numerator, 1),
                    Cell::Number(total.denominator, 1),
                    Cell::Text(f.detail.clone()),
                ]
            })
            .collect(),
    }
}

/// The series by period, one row per period; none when no grouping was asked.
fn series_table(locale: Locale, now: &Report, with_cost: bool) -> Option<Table> {
    let l = locale;
    if now.availability.series.is_empty() {
        return None;
    }
    let series = [
        &now.mtbf,
        &now.mttr,
        &now.availability,
        &now.pm_compliance,
        &now.planned_work,
    ];
    let rows = now
        .availability
        .series
        .iter()
        .enumerate()
        .map(|(i, point)| {
            let mut row = vec![Cell::Text(point.period.clone())];
            for indicator in series {
                row.push(Cell::number(
                    indicator.series.get(i).and_then(|p| p.figure.value),
                    1,
                ));
            }
            let backlog = now.backlog.series.get(i);
            row.push(Cell::number(backlog.map(|b| b.open), 0));
            row.push(Cell::number(backlog.map(|b| b.estimated_hours), 1));
            if with_cost {
                row.push(Cell::number(
                    now.cost.series.get(i).and_then(|p| p.figure.value),
                    0,
                ));
            }
            row
        })
        .collect();
    let mut columns = vec![
        column(pick(l, "Période", "Period"), false),
        column("MTBF (h)".to_owned(), true),
        column("MTTR (h)".to_owned(), true),
        column(pick(l, "Disponibilité (%)", "Availability (%)"), true),
        column(
            pick(l, "Respect du préventif (%)", "PM compliance (%)"),
            true,
        ),
        column(pick(l, "Travail planifié (%)", "Planned work (%)"), true),
        column(pick(l, "Bons ouverts", "Open orders"), true),
        column(pick(l, "Heures estimées", "Estimated hours"), true),
    ];
    if with_cost {
        columns.push(cost_column(l, now));
    }
    Some(Table {
        title: pick(l, "Par période", "By period"),
        columns,
        rows,
    })
}

/// "Coût main-d'œuvre (€)".
fn cost_column(locale: Locale, now: &Report) -> Column {
    column(
        format!(
            "{} ({})",
            pick(locale, "Coût main-d'œuvre", "Labour cost"),
            currency_sign(&now.cost.currency)
        ),
        true,
    )
}

/// The indicators side by side (by site in reports), when there is more than one row.
fn breakdown_table(locale: Locale, now: &Report, with_cost: bool) -> Option<Table> {
    let l = locale;
    let breakdown = now.breakdown.as_ref().filter(|b| b.rows.len() > 1)?;
    let (title, first) = match breakdown.by {
        crate::breakdown::Dimension::Site => {
            (pick(l, "Par site", "By site"), pick(l, "Site", "Site"))
        }
        crate::breakdown::Dimension::Equipment => (
            pick(l, "Par équipement", "By equipment"),
            pick(l, "Équipement", "Equipment"),
        ),
        crate::breakdown::Dimension::Category => (
            pick(l, "Par catégorie", "By category"),
            pick(l, "Catégorie", "Category"),
        ),
        crate::breakdown::Dimension::Cause => (
            pick(l, "Par cause de défaillance", "By failure cause"),
            pick(l, "Cause", "Cause"),
        ),
        crate::breakdown::Dimension::Technician => (
            pick(l, "Par technicien", "By technician"),
            pick(l, "Technicien", "Technician"),
        ),
    };
    let value = |f: Option<Figure>| f.and_then(|f| f.value);
    let mut columns = vec![
        column(first, false),
        column(pick(l, "Disponibilité (%)", "Availability (%)"), true),
        column("MTBF (h)".to_owned(), true),
        column("MTTR (h)".to_owned(), true),
        column(
            pick(l, "Respect du préventif (%)", "PM compliance (%)"),
            true,
        ),
        column(pick(l, "Pannes", "Failures"), true),
        column(pick(l, "Arrêts (h)", "Downtime (h)"), true),
        column(pick(l, "Heures saisies", "Hours logged"), true),
    ];
    if with_cost {
        columns.push(cost_column(l, now));
    }
    Some(Table {
        title,
        columns,
        rows: breakdown
            .rows
            .iter()
            .map(|r| {
                let mut row = vec![
                    Cell::Text(if r.label.is_empty() {
                        pick(l, "(non renseigné)", "(not given)")
                    } else {
                        r.label.clone()
                    }),
                    Cell::number(value(r.availability), 1),
                    Cell::number(value(r.mtbf), 1),
                    Cell::number(value(r.mttr), 1),
                    Cell::number(value(r.pm_compliance), 1),
                    Cell::number(r.failures, 0),
                    Cell::number(r.downtime_hours, 1),
                    Cell::number(r.labour_hours, 1),
                ];
                if with_cost {
                    row.push(Cell::number(r.cost, 0));
                }
                row
            })
            .collect(),
    })
}

fn charts(locale: Locale, now: &Report) -> Vec<Chart> {
    let l = locale;
    let chart = |title: String, indicator: &crate::report::Indicator| Chart {
        title,
        unit: indicator.unit,
        points: indicator
            .series
            .iter()
            .map(|p| (p.period.clone(), p.figure.value))
            .collect(),
    };
    if now.availability.series.is_empty() {
        return Vec::new();
    }
    vec![
        chart(
            pick(l, "Disponibilité (%)", "Availability (%)"),
            &now.availability,
        ),
        chart("MTBF (h)".to_owned(), &now.mtbf),
        chart("MTTR (h)".to_owned(), &now.mttr),
        chart(
            pick(l, "Respect du préventif (%)", "Preventive compliance (%)"),
            &now.pm_compliance,
        ),
        Chart {
            title: pick(l, "Bons ouverts", "Open orders"),
            unit: Unit::Orders,
            points: now
                .backlog
                .series
                .iter()
                .map(|p| (p.period.clone(), Some(p.open)))
                .collect(),
        },
    ]
}

fn failure_tables(locale: Locale, now: &Report) -> Vec<Table> {
    let l = locale;
    let f = &now.failures;
    let unknown = pick(l, "Cause non renseignée", "Cause not given");
    let ranking = |title: String, list: &[crate::report::EquipmentRank]| Table {
        title,
        columns: vec![
            column(pick(l, "Code", "Code"), false),
            column(pick(l, "Équipement", "Equipment"), false),
            column(pick(l, "Arrêt (h)", "Downtime (h)"), true),
            column(pick(l, "Pannes", "Failures"), true),
        ],
        rows: list
            .iter()
            .map(|e| {
                vec![
                    Cell::Text(e.code.clone()),
                    Cell::Text(e.name.clone()),
                    Cell::Number(e.downtime_hours, 1),
                    Cell::Number(e.failures as f64, 0),
                ]
            })
            .collect(),
    };
    vec![
        Table {
            title: pick(l, "Arrêts par cause", "Downtime by cause"),
            columns: vec![
                column(pick(l, "Cause", "Cause"), false),
                column(pick(l, "Arrêt (h)", "Downtime (h)"), true),
                column(pick(l, "Pannes", "Failures"), true),
                column(pick(l, "Cumul (%)", "Cumulative (%)"), true),
            ],
            rows: f
                .by_cause
                .iter()
                .map(|c| {
                    vec![
                        Cell::Text(c.cause.as_ref().map_or_else(
                            || unknown.clone(),
                            |c| format!("{} — {}", c.code, c.label),
                        )),
                        Cell::Number(c.downtime_hours, 1),
                        Cell::Number(c.failures as f64, 0),
                        Cell::Number(c.cumulative_percent, 1),
                    ]
                })
                .collect(),
        },
        ranking(pick(l, "Plus d'arrêt", "Most downtime"), &f.most_downtime),
        ranking(pick(l, "Plus de pannes", "Most failures"), &f.most_failures),
        Table {
            title: pick(l, "Pannes répétées", "Repeat failures"),
            columns: vec![
                column(pick(l, "Équipement", "Equipment"), false),
                column(pick(l, "Problème", "Problem"), false),
                column(pick(l, "Répétitions", "Repeats"), true),
            ],
            rows: f
                .repeat_list
                .iter()
                .map(|r| {
                    vec![
                        Cell::Text(format!("{} — {}", r.equipment.code, r.equipment.name)),
                        Cell::Text(r.problem.as_ref().map_or_else(
                            || unknown.clone(),
                            |c| format!("{} — {}", c.code, c.label),
                        )),
                        Cell::Number(r.repeats as f64, 0),
                    ]
                })
                .collect(),
        },
    ]
}

fn labour_table(locale: Locale, now: &Report) -> Table {
    let l = locale;
    Table {
        title: pick(l, "Heures par technicien", "Hours by technician"),
        columns: vec![
            column(pick(l, "Technicien", "Technician"), false),
            column(pick(l, "Heures", "Hours"), true),
            column(pick(l, "Capacité (h)", "Capacity (h)"), true),
            column(pick(l, "Taux d'occupation (%)", "Utilisation (%)"), true),
        ],
        rows: now
            .labour
            .by_technician
            .iter()
            .map(|t| {
                vec![
                    Cell::Text(t.full_name.clone()),
                    Cell::Number(t.hours, 1),
                    Cell::Number(t.capacity_hours, 1),
                    Cell::number(t.utilisation.value, 1),
                ]
            })
            .collect(),
    }
}

fn backlog_table(locale: Locale, now: &Report) -> Table {
    let l = locale;
    let ages = now.backlog.ages;
    let row = |label: String, n: u64| vec![Cell::Text(label), Cell::Number(n as f64, 0)];
    Table {
        title: pick(l, "Âge des bons ouverts", "Age of open orders"),
        columns: vec![
            column(pick(l, "Âge", "Age"), false),
            column(pick(l, "Bons", "Orders"), true),
        ],
        rows: vec![
            row(
                pick(l, "Moins de 7 jours", "Under 7 days"),
                ages.under_7_days,
            ),
            row(
                pick(l, "7 à 30 jours", "7 to 30 days"),
                ages.from_7_to_30_days,
            ),
            row(
                pick(l, "30 à 90 jours", "30 to 90 days"),
                ages.from_30_to_90_days,
            ),
            row(
                pick(l, "Plus de 90 jours", "Over 90 days"),
                ages.over_90_days,
            ),
        ],
    }
}

fn requests_table(locale: Locale, now: &Report) -> Table {
    let l = locale;
    let q = &now.requests;
    let r = &now.response;
    let line =
        |label: String, value: Option<f64>, d: u8| vec![Cell::Text(label), Cell::number(value, d)];
    Table {
        title: pick(l, "Demandes", "Requests"),
        columns: vec![
            column(pick(l, "Mesure", "Measure"), false),
            column(pick(l, "Valeur", "Value"), true),
        ],
        rows: vec![
            line(
                pick(l, "Demandes reçues", "Requests received"),
                Some(q.total as f64),
                0,
            ),
            line(
                pick(l, "Taux d'acceptation (%)", "Approval rate (%)"),
                q.approval_rate.value,
                1,
            ),
            line(
                pick(
                    l,
                    "Délai de décision, médiane (h)",
                    "Time to decision, median (h)",
                ),
                q.time_to_decision.median_hours,
                1,
            ),
            line(
                pick(
                    l,
                    "Demande → acceptation, médiane (h)",
                    "Report → approval, median (h)",
                ),
                r.to_approval.median_hours,
                1,
            ),
            line(
                pick(
                    l,
                    "Demande → début des travaux, médiane (h)",
                    "Report → start of work, median (h)",
                ),
                r.to_start.median_hours,
                1,
            ),
        ],
    }
}

/// What a report may show, by key: the six key figures, then the sections.
pub const INDICATORS: [&str; 10] = [
    "mtbf",
    "mttr",
    "availability",
    "pm_compliance",
    "planned_work",
    "backlog",
    "cost",
    "failures",
    "labour",
    "requests",
];

/// The report of `now`, compared with `before` (the previous period of the same length),
/// showing only `indicators` (keys of [`INDICATORS`]) when given.
pub fn build(
    heading: Heading,
    now: &Report,
    before: Option<&Report>,
    indicators: Option<&[String]>,
) -> Document {
    let l = heading.locale;
    let shown = |key: &str| indicators.is_none_or(|list| list.iter().any(|i| i == key));
    let mut key_figures = key_figures(l, now, before);
    key_figures.retain(|f| shown(f.key));
    let mut tables = Vec::new();
    if !key_figures.is_empty() {
        tables.push(figures_table(l, &key_figures, now));
    }
    let trends = [
        "mtbf",
        "mttr",
        "availability",
        "pm_compliance",
        "planned_work",
        "backlog",
        "cost",
    ];
    if trends.iter().any(|k| shown(k)) {
        tables.extend(series_table(l, now, shown("cost")));
        tables.extend(breakdown_table(l, now, shown("cost")));
    }
    if shown("failures") {
        tables.extend(failure_tables(l, now));
    }
    if shown("backlog") {
        tables.push(backlog_table(l, now));
    }
    if shown("labour") {
        tables.push(labour_table(l, now));
    }
    if shown("requests") {
        tables.push(requests_table(l, now));
    }
    let chart_keys = ["availability", "mtbf", "mttr", "pm_compliance", "backlog"];
    let charts = charts(l, now)
        .into_iter()
        .zip(chart_keys)
        .filter(|(_, key)| shown(key))
        .map(|(chart, _)| chart)
        .collect();
    Document {
        locale: l,
        title: heading.title,
        company: heading.company,
        period: heading.period,
        from: heading.from,
        to: heading.to,
        filters: heading.filters,
        generated_at: heading.generated_at,
        charts,
        key_figures,
        tables,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_follow_the_language() {
        assert_eq!(format_number(Locale::Fr, 1234.56, 1), "1\u{202f}234,6");
        assert_eq!(format_number(Locale::En, 1234.56, 1), "1,234.6");
        assert_eq!(format_number(Locale::En, 1_234_567.0, 0), "1,234,567");
        assert_eq!(format_number(Locale::En, 999.0, 0), "999");
        assert_eq!(format_number(Locale::En, -12.25, 1), "-12.2");
        assert_eq!(format_number(Locale::Fr, -0.04, 1), "0,0");
        assert_eq!(
            format_value(Locale::Fr, Some(97.43), Unit::Percent),
            "97,4\u{a0}%"
        );
        assert_eq!(format_value(Locale::En, None, Unit::Hours), "—");
        assert_eq!(
            format_change(Locale::Fr, -3.0, Unit::Hours),
            "\u{2212}3,0\u{a0}h"
        );
        assert_eq!(
            format_change(Locale::En, 1.25, Unit::Percent),
            "+1.2\u{a0}pt"
        );
        assert_eq!(format_change(Locale::En, 0.0, Unit::Orders), "±0");
    }

    #[test]
    fn a_rise_is_good_news_only_where_higher_is_better() {
        let figure = |value, previous, higher_is_better| KeyFigure {
            key: "x",
            label: String::new(),
            value,
            previous,
            unit: Unit::Hours,
            higher_is_better,
            detail: String::new(),
        };
        assert_eq!(figure(Some(5.0), Some(4.0), true).trend(), Trend::Better);
        assert_eq!(figure(Some(5.0), Some(4.0), false).trend(), Trend::Worse);
        assert_eq!(figure(Some(3.0), Some(4.0), false).trend(), Trend::Better);
        assert_eq!(figure(Some(4.0), Some(4.0), true).trend(), Trend::Flat);
        assert_eq!(figure(None, Some(4.0), true).trend(), Trend::Unknown);
        assert_eq!(figure(Some(5.0), Some(4.0), true).change(), Some(1.0));
    }
}
