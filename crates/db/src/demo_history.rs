//! Two years of believable maintenance history for the demo company: equipment with meters and
//! readings, failures reported, approved, repaired and validated, with downtime, failure codes
//! and time, and a present day with work in every state. Deterministic (a fixed random seed),
//! relative to today, so the charts of later releases always show the last two years.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Duration, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::json;
use uuid::Uuid;

use crate::{Result, TenantTx, audit};

/// (line code or "" for the site itself, code, name, category, manufacturer, criticality,
/// meter: (name, unit, monthly increase), parent code)
type Machine = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    Option<(&'static str, &'static str, f64)>,
    Option<&'static str>,
);

const LYON: &[(&str, &[Machine])] = &[
    (
        "USI",
        &[
            (
                "L1",
                "TOUR-CN-01",
                "Tour CN Mazak QT-250",
                "Tour",
                "Mazak",
                "critical",
                Some(("Heures de marche", "h", 420.0)),
                None,
            ),
            (
                "L1",
                "TOUR-CN-02",
                "Tour CN Okuma LB3000",
                "Tour",
                "Okuma",
                "high",
                Some(("Heures de marche", "h", 380.0)),
                None,
            ),
            (
                "L1",
                "EMBARR-01",
                "Embarreur LNS Express 320",
                "Ravitailleur",
                "LNS",
                "medium",
                None,
                Some("TOUR-CN-01"),
            ),
            (
                "L1",
                "CONV-USI-01",
                "Convoyeur à copeaux",
                "Convoyeur",
                "Mayfran",
                "low",
                None,
                None,
            ),
            (
                "L2",
                "FRAIS-01",
                "Centre d'usinage DMG Mori DMU 50",
                "Centre d'usinage",
                "DMG Mori",
                "critical",
                Some(("Heures de marche", "h", 450.0)),
                None,
            ),
            (
                "L2",
                "FRAIS-02",
                "Centre d'usinage Hermle C 42",
                "Centre d'usinage",
                "Hermle",
                "high",
                Some(("Heures de marche", "h", 400.0)),
                None,
            ),
            (
                "L2",
                "CMM-01",
                "Machine à mesurer Zeiss Contura",
                "Métrologie",
                "Zeiss",
                "medium",
                None,
                None,
            ),
        ],
    ),
    (
        "ASM",
        &[
            (
                "L1",
                "ROBOT-01",
                "Robot de vissage Fanuc M-20iD",
                "Robot",
                "Fanuc",
                "high",
                Some(("Cycles", "cycles", 42_000.0)),
                None,
            ),
            (
                "L1",
                "PRESSE-01",
                "Presse hydraulique 60 t",
                "Presse",
                "Schuler",
                "critical",
                Some(("Cycles", "cycles", 26_000.0)),
                None,
            ),
            (
                "L1",
                "CONV-ASM-01",
                "Convoyeur à rouleaux",
                "Convoyeur",
                "Interroll",
                "medium",
                None,
                None,
            ),
            (
                "L2",
                "BANC-01",
                "Banc d'essai moteurs",
                "Banc d'essai",
                "AVL",
                "high",
                Some(("Heures de marche", "h", 300.0)),
                None,
            ),
            (
                "L2",
                "LASER-01",
                "Marqueuse laser Trotec",
                "Marquage",
                "Trotec",
                "low",
                None,
                None,
            ),
        ],
    ),
    (
        "",
        &[
            (
                "",
                "COMP-LYO-01",
                "Compresseur à vis Atlas Copco GA 37",
                "Compresseur",
                "Atlas Copco",
                "critical",
                Some(("Heures de marche", "h", 560.0)),
                None,
            ),
            (
                "",
                "CLIM-LYO-01",
                "Centrale de traitement d'air",
                "CVC",
                "Carrier",
                "medium",
                Some(("Heures de marche", "h", 600.0)),
                None,
            ),
        ],
    ),
];

const MONTREAL: &[(&str, &[Machine])] = &[
    (
        "EMB",
        &[
            (
                "L1",
                "REMPL-01",
                "Remplisseuse Krones Modulfill",
                "Remplisseuse",
                "Krones",
                "critical",
                Some(("Heures de marche", "h", 480.0)),
                None,
            ),
            (
                "L1",
                "DOSEUR-01",
                "Pompe doseuse",
                "Pompe",
                "Grundfos",
                "medium",
                None,
                Some("REMPL-01"),
            ),
            (
                "L1",
                "BOUCH-01",
                "Boucheuse Arol Euro PK",
                "Boucheuse",
                "Arol",
                "high",
                Some(("Cycles", "cycles", 950_000.0)),
                None,
            ),
            (
                "L1",
                "CONV-EMB-01",
                "Convoyeur à bouteilles",
                "Convoyeur",
                "Krones",
                "medium",
                None,
                None,
            ),
            (
                "L2",
                "ETIQ-01",
                "Étiqueteuse Krones Contiroll",
                "Étiqueteuse",
                "Krones",
                "high",
                Some(("Heures de marche", "h", 470.0)),
                None,
            ),
            (
                "L2",
                "FARD-01",
                "Fardeleuse Smipack",
                "Fardeleuse",
                "Smipack",
                "medium",
                Some(("Heures de marche", "h", 350.0)),
                None,
            ),
            (
                "L2",
                "PALET-01",
                "Palettiseur robotisé Fanuc",
                "Robot",
                "Fanuc",
                "high",
                Some(("Cycles", "cycles", 18_000.0)),
                None,
            ),
        ],
    ),
    (
        "UTI",
        &[
            (
                "CHA",
                "CHAUD-01",
                "Chaudière vapeur Cleaver-Brooks",
                "Chaudière",
                "Cleaver-Brooks",
                "critical",
                Some(("Heures de marche", "h", 620.0)),
                None,
            ),
            (
                "CHA",
                "COMP-MTL-01",
                "Compresseur Ingersoll Rand R37",
                "Compresseur",
                "Ingersoll Rand",
                "critical",
                Some(("Heures de marche", "h", 580.0)),
                None,
            ),
            (
                "CHA",
                "SECH-01",
                "Sécheur d'air frigorifique",
                "Sécheur",
                "Atlas Copco",
                "medium",
                None,
                None,
            ),
            (
                "CHA",
                "POMPE-EAU-01",
                "Pompe de circulation Grundfos",
                "Pompe",
                "Grundfos",
                "low",
                Some(("Heures de marche", "h", 700.0)),
                None,
            ),
        ],
    ),
];

/// (kind, every, unit, ISO weekdays, day of month, meter every, mode)
type Rule = (
    &'static str,
    Option<i32>,
    Option<&'static str>,
    &'static [i32],
    Option<i32>,
    Option<f64>,
    &'static str,
);

/// (equipment code, title, rule, checklist JSON); the site's technician does the work.
const PLANS: &[(&str, &str, Rule, &str)] = &[
    (
        "TOUR-CN-01",
        "Graissage hebdomadaire du tour",
        ("calendar", Some(1), Some("week"), &[1], None, None, "fixed"),
        r#"[{"label": "Graisser les glissières", "kind": "checkbox", "required": true}, {"label": "Niveau d'huile de coupe correct", "kind": "pass_fail", "required": true}]"#,
    ),
    (
        "PRESSE-01",
        "Inspection mensuelle de la presse",
        (
            "calendar",
            Some(1),
            Some("month"),
            &[],
            Some(1),
            None,
            "fixed",
        ),
        r#"[{"label": "Pression hydraulique", "kind": "number", "unit": "bar", "min_value": 180, "max_value": 220, "required": true}, {"label": "Barrières immatérielles testées", "kind": "pass_fail", "required": true}, {"label": "Observations", "kind": "text"}]"#,
    ),
    (
        "COMP-LYO-01",
        "Vidange compresseur toutes les 2000 h",
        ("meter", None, None, &[], None, Some(2000.0), "fixed"),
        r#"[{"label": "Huile remplacée", "kind": "checkbox", "required": true}, {"label": "Filtre à huile remplacé", "kind": "checkbox", "required": true}]"#,
    ),
    (
        "REMPL-01",
        "Révision remplisseuse : trimestrielle ou 1500 h",
        (
            "calendar_or_meter",
            Some(3),
            Some("month"),
            &[],
            None,
            Some(1500.0),
            "floating",
        ),
        r#"[{"label": "Joints des becs contrôlés", "kind": "pass_fail", "required": true}]"#,
    ),
    (
        "CHAUD-01",
        "Contrôle annuel de la chaudière",
        ("calendar", Some(1), Some("year"), &[], None, None, "fixed"),
        r#"[{"label": "Rendement de combustion", "kind": "number", "unit": "%", "min_value": 85, "required": true}]"#,
    ),
];

/// (kind, name, title, type, priority, estimated minutes, checklist JSON): what the demo's
/// planners start from.
type DemoTemplate = (
    &'static str,
    &'static str,
    Option<&'static str>,
    Option<&'static str>,
    Option<&'static str>,
    Option<i32>,
    &'static str,
);
const TEMPLATES: &[DemoTemplate] = &[
    (
        "checklist",
        "Consignation électrique",
        None,
        None,
        None,
        None,
        r#"[{"label": "Sectionneur ouvert et cadenassé", "kind": "checkbox", "required": true},
            {"label": "Absence de tension vérifiée (VAT)", "kind": "pass_fail", "required": true},
            {"label": "Mise à la terre posée", "kind": "checkbox", "required": true}]"#,
    ),
    (
        "checklist",
        "Contrôle vibratoire",
        None,
        None,
        None,
        None,
        r#"[{"label": "Vitesse vibratoire palier côté accouplement", "kind": "number", "unit": "mm/s", "max_value": 4.5, "required": true},
            {"label": "Vitesse vibratoire palier opposé", "kind": "number", "unit": "mm/s", "max_value": 4.5, "required": true},
            {"label": "Température palier", "kind": "number", "unit": "°C", "max_value": 80}]"#,
    ),
    (
        "work_order",
        "Vidange compresseur",
        Some("Vidange huile et filtres du compresseur"),
        Some("preventive"),
        Some("normal"),
        Some(90),
        r#"[{"label": "Huile vidangée (ISO VG 46)", "kind": "checkbox", "required": true},
            {"label": "Filtre à huile remplacé", "kind": "checkbox", "required": true},
            {"label": "Pression de service après remise en route", "kind": "number", "unit": "bar", "min_value": 6, "max_value": 8, "required": true}]"#,
    ),
    (
        "work_order",
        "Remplacement courroie convoyeur",
        Some("Remplacer la courroie du convoyeur"),
        Some("corrective"),
        Some("high"),
        Some(120),
        r#"[{"label": "Consignation faite", "kind": "pass_fail", "required": true},
            {"label": "Alignement des poulies contrôlé", "kind": "pass_fail", "required": true},
            {"label": "Tension de courroie", "kind": "number", "unit": "N", "min_value": 300, "max_value": 400}]"#,
    ),
    (
        "work_order",
        "Inspection sécurité machine",
        Some("Inspection des sécurités machine"),
        Some("inspection"),
        Some("normal"),
        Some(45),
        r#"[{"label": "Arrêt d'urgence fonctionnel", "kind": "pass_fail", "required": true},
            {"label": "Protecteurs en place", "kind": "pass_fail", "required": true},
            {"label": "Barrière immatérielle testée", "kind": "pass_fail"}]"#,
    ),
];

const PROBLEMS: &[(&str, &str)] = &[
    ("FUITE", "Fuite"),
    ("VIBR", "Vibrations anormales"),
    ("SURCH", "Surchauffe"),
    ("BRUIT", "Bruit anormal"),
    ("ELEC", "Défaut électrique"),
    ("CAPT", "Défaut capteur"),
    ("BLOC", "Blocage mécanique"),
];
const CAUSES: &[(&str, &str)] = &[
    ("USURE", "Usure normale"),
    ("LUBRIF", "Défaut de lubrification"),
    ("REGL", "Mauvais réglage"),
    ("CORPS-ETR", "Corps étranger"),
    ("ERR-OPE", "Erreur d'opération"),
    ("DEF-PIECE", "Pièce défectueuse"),
];
const REMEDIES: &[(&str, &str)] = &[
    ("REMPL", "Remplacement de pièce"),
    ("REGLAGE", "Réglage"),
    ("NETT", "Nettoyage"),
    ("GRAISS", "Graissage"),
    ("SERR", "Resserrage"),
    ("REPAR", "Réparation"),
];

/// The title of the report and what the technician wrote, by problem.
fn story(problem: &str) -> (&'static str, &'static str) {
    match problem {
        "FUITE" => (
            "Fuite d'huile",
            "Remplacement du joint et du flexible, complément d'huile, essais sous pression.",
        ),
        "VIBR" => (
            "Vibrations anormales",
            "Contrôle des roulements, remplacement du roulement côté moteur, équilibrage.",
        ),
        "SURCH" => (
            "Surchauffe moteur",
            "Nettoyage du ventilateur et des filtres, contrôle de l'intensité, remise en service.",
        ),
        "BRUIT" => (
            "Bruit anormal",
            "Diagnostic à l'écoute, resserrage des fixations, graissage des paliers.",
        ),
        "ELEC" => (
            "Défaut électrique, arrêt en sécurité",
            "Remplacement du contacteur défectueux, contrôle du câblage, réarmement.",
        ),
        "CAPT" => (
            "Défaut capteur",
            "Remplacement du capteur de position, réglage et test du cycle complet.",
        ),
        _ => (
            "Blocage en cours de cycle",
            "Dégagement, nettoyage du mécanisme, contrôle des jeux et remise en production.",
        ),
    }
}

struct Ids {
    supervisor: Uuid,
    technician: Uuid,
    operator: Uuid,
}

/// Seeds the history when the demo has no equipment yet. Answers whether it did.
pub async fn seed(tx: &mut TenantTx, progress: &(dyn Fn(&str) + Send + Sync)) -> Result<bool> {
    let existing: i64 = sqlx::query_scalar("SELECT count(*) FROM equipment")
        .fetch_one(tx.conn())
        .await?;
    if existing > 0 {
        return Ok(false);
    }
    let people: BTreeMap<String, Uuid> = sqlx::query_as::<_, (String, Uuid)>(
        "SELECT r.key, m.user_id FROM members m JOIN roles r ON r.id = m.role_id WHERE r.key IS NOT NULL",
    )
    .fetch_all(tx.conn())
    .await?
    .into_iter()
    .collect();
    let ids = Ids {
        supervisor: people.get("supervisor").copied().unwrap_or_default(),
        technician: people.get("technician").copied().unwrap_or_default(),
        operator: people.get("operator").copied().unwrap_or_default(),
    };
    let mut rng = StdRng::seed_from_u64(2026);
    let now = Utc::now();
    let start = now - Duration::days(730);

    progress("failure codes");
    let mut codes: BTreeMap<(&str, &str), Uuid> = BTreeMap::new();
    for (kind, list) in [
        ("problem", PROBLEMS),
        ("cause", CAUSES),
        ("remedy", REMEDIES),
    ] {
        for (code, label) in list {
            let id = Uuid::now_v7();
            sqlx::query("INSERT INTO failure_codes (id, kind, code, label, created_at) VALUES ($1, $2, $3, $4, $5)")
                .bind(id)
                .bind(kind)
                .bind(code)
                .bind(label)
                .bind(start)
                .execute(tx.conn())
                .await?;
            codes.insert((kind, code), id);
        }
    }

    progress("templates");
    for (kind, name, title, kind_of_work, priority, minutes, checklist) in TEMPLATES {
        sqlx::query(
            "INSERT INTO templates (id, kind, name, title, work_order_type, priority, estimated_minutes,
                checklist, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $9)",
        )
        .bind(Uuid::now_v7())
        .bind(kind)
        .bind(name)
        .bind(title)
        .bind(kind_of_work)
        .bind(priority)
        .bind(minutes)
        .bind(checklist)
        .bind(start)
        .execute(tx.conn())
        .await?;
    }

    let mut counters: BTreeMap<(&str, i32), i32> = BTreeMap::new();
    let mut next_number = |name: &'static str, prefix: &str, at: DateTime<Utc>| {
        let value = counters.entry((name, at.year())).or_insert(0);
        *value += 1;
        crate::counters::format_number(prefix, at.year(), *value)
    };
    let mut history = History {
        tx,
        codes: &codes,
        ids: &ids,
        now,
    };
    // (code, id, site, name, technician, requester), for today's work below.
    let mut registry: Vec<(&'static str, Uuid, Uuid, &'static str, Uuid, Uuid)> = Vec::new();

    for (site_code, plants, technician, requester) in [
        ("LYON", LYON, ids.technician, ids.operator),
        ("MTL", MONTREAL, ids.supervisor, ids.supervisor),
    ] {
        progress(&format!(
            "equipment and two years of history of site {site_code}"
        ));
        let site: Uuid = sqlx::query_scalar("SELECT id FROM sites WHERE code = $1")
            .bind(site_code)
            .fetch_one(history.tx.conn())
            .await?;
        let mut by_code: BTreeMap<&str, Uuid> = BTreeMap::new();
        for (plant_code, machines) in plants.iter() {
            let plant: Option<Uuid> = if plant_code.is_empty() {
                None
            } else {
                sqlx::query_scalar("SELECT id FROM plants WHERE site_id = $1 AND code = $2")
                    .bind(site)
                    .bind(plant_code)
                    .fetch_optional(history.tx.conn())
                    .await?
            };
            for (line_code, code, name, category, maker, criticality, meter, parent) in
                machines.iter()
            {
                let line: Option<Uuid> = match plant {
                    Some(plant) if !line_code.is_empty() => {
                        sqlx::query_scalar(
                            "SELECT id FROM production_lines WHERE plant_id = $1 AND code = $2",
                        )
                        .bind(plant)
                        .bind(line_code)
                        .fetch_optional(history.tx.conn())
                        .await?
                    }
                    _ => None,
                };
                let installed = (start - Duration::days(rng.random_range(200..2500))).date_naive();
                let id = Uuid::now_v7();
                sqlx::query(
                    "INSERT INTO equipment (id, code, name, category, manufacturer, model, serial_number,
                        purchase_date, installation_date, warranty_end, criticality, site_id, plant_id,
                        production_line_id, parent_id, specifications, created_at)
                     VALUES ($1, $2, $3, $4, $5, NULL, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
                )
                .bind(id)
                .bind(code)
                .bind(name)
                .bind(category)
                .bind(maker)
                .bind(format!("{}-{:06}", &maker[..3.min(maker.len())].to_uppercase(), rng.random_range(1..999_999)))
                .bind(installed - Duration::days(40))
                .bind(installed)
                .bind(installed + Duration::days(730))
                .bind(criticality)
                .bind(site)
                .bind(plant)
                .bind(line)
                .bind(parent.and_then(|p| by_code.get(p).copied()))
                .bind(json!({"puissance_kw": rng.random_range(2..90), "tension": "400 V"}))
                .bind(start)
                .execute(history.tx.conn())
                .await?;
                history
                    .status(id, None, "active", start, None, None)
                    .await?;
                by_code.insert(code, id);
                registry.push((code, id, site, name, technician, requester));
                if let Some((meter_name, unit, monthly)) = meter {
                    history
                        .meter(id, meter_name, unit, *monthly, start, &mut rng)
                        .await?;
                }
                let mean_days = match *criticality {
                    "critical" => 50.0,
                    "high" => 75.0,
                    "medium" => 120.0,
                    _ => 200.0,
                };
                let mut t = start + Duration::hours(rng.random_range(24..24 * 40));
                while t < now - Duration::hours(6) {
                    let failure = Failure::random(&mut rng, criticality);
                    let request_number = next_number("work_request", "DI", t);
                    let order_number = next_number("work_order", "BT", t + Duration::minutes(90));
                    history
                        .failure(
                            Incident {
                                equipment: id,
                                site,
                                name,
                                at: t,
                                technician,
                                requester,
                                failure,
                                request_number,
                                order_number,
                            },
                            &mut rng,
                        )
                        .await?;
                    let gap: f64 = -mean_days * (1.0 - rng.random::<f64>()).ln();
                    t += Duration::hours((gap.max(3.0) * 24.0) as i64);
                }
            }
        }
    }

    // Each category's specifications, labelled.
    progress("specification templates");
    sqlx::query(
        r#"INSERT INTO spec_templates (id, category, fields)
           SELECT gen_random_uuid(), category,
                  '[{"key": "puissance_kw", "label": "Puissance", "unit": "kW"},
                    {"key": "tension", "label": "Tension d''alimentation", "unit": null}]'::jsonb
           FROM (SELECT DISTINCT category FROM equipment WHERE category IS NOT NULL) AS c"#,
    )
    .execute(history.tx.conn())
    .await?;

    // Today: work in every state, whatever the random history left there.
    progress("today's work");
    for (code, hours_ago, problem, stopped) in [
        ("ETIQ-01", 3, "CAPT", false),
        ("PRESSE-01", 5, "FUITE", true),
        ("ROBOT-01", 30, "ELEC", false),
        ("REMPL-01", 40, "VIBR", false),
        ("FRAIS-02", 70, "SURCH", false),
        ("CHAUD-01", 80, "FUITE", false),
        ("TOUR-CN-02", 120, "BRUIT", false),
        ("BANC-01", 170, "CAPT", false),
    ] {
        let Some((_, id, site, name, technician, requester)) =
            registry.iter().find(|r| r.0 == code).copied()
        else {
            continue;
        };
        let at = now - Duration::hours(hours_ago);
        let mut failure = Failure::random(&mut rng, "medium");
        failure.problem = PROBLEMS
            .iter()
            .find(|p| p.0 == problem)
            .map_or(failure.problem, |p| p.0);
        failure.stopped = stopped;
        failure.urgency = if stopped { "critical" } else { "high" };
        let request_number = next_number("work_request", "DI", at);
        let order_number = next_number("work_order", "BT", at);
        history
            .failure(
                Incident {
                    equipment: id,
                    site,
                    name,
                    at,
                    technician,
                    requester,
                    failure,
                    request_number,
                    order_number,
                },
                &mut rng,
            )
            .await?;
    }

    progress("preventive plans and their history");
    let mut plans = Vec::new();
    for (code, title, rule, checklist) in PLANS {
        let Some((_, id, site, _, technician, _)) = registry.iter().find(|r| r.0 == *code).copied()
        else {
            continue;
        };
        let meter: Option<(Uuid, f64)> = sqlx::query_as(
            "SELECT id, coalesce(last_value, 0) FROM meters WHERE equipment_id = $1 LIMIT 1",
        )
        .bind(id)
        .fetch_optional(history.tx.conn())
        .await?;
        let (kind, every, unit, weekdays, day, meter_every, mode) = *rule;
        let input = crate::pm_plans::PlanInput {
            equipment_id: id,
            site_id: site,
            title: (*title).into(),
            description: None,
            checklist: serde_json::from_str(checklist).unwrap_or(json!([])),
            estimated_minutes: Some(60),
            assignee_ids: vec![technician],
            priority: "normal".into(),
            starts_on: (start + Duration::days(1)).date_naive(),
            ends_on: None,
            lead_time_days: 7,
            trigger_kind: kind.into(),
            cal_every: every,
            cal_unit: unit.map(str::to_owned),
            cal_weekdays: weekdays.to_vec(),
            cal_day_of_month: day,
            meter_id: meter_every.and(meter.map(|m| m.0)),
            meter_every,
            schedule_mode: mode.into(),
            active: true,
        };
        // Today's work of a plan running for two years is due now.
        let plan = crate::pm_plans::create(
            history.tx,
            input,
            now,
            crate::pm_plans::FirstOccurrence::FromStart,
        )
        .await?;
        plans.push(plan);
    }
    // Two years of those plans' calendar occurrences, done mostly on time.
    for plan in plans
        .iter()
        .filter(|p| p.trigger_kind == "calendar" && p.schedule_mode == "fixed")
    {
        let schedule = plan.schedule();
        let gmao_domain::pm::Trigger::Calendar(rule) = &schedule.trigger else {
            continue;
        };
        let yesterday = (now - Duration::days(1)).date_naive();
        for date in gmao_domain::recurrence::fixed_dates(
            rule,
            plan.starts_on,
            None,
            plan.starts_on,
            yesterday,
        ) {
            let due =
                gmao_domain::recurrence::local_instant(date, schedule.due_time, schedule.zone);
            let late = rng.random_bool(0.15);
            let completed = due
                + Duration::hours(if late {
                    rng.random_range(30..120)
                } else {
                    rng.random_range(-20..6)
                });
            let number = next_number("work_order", "BT", due - Duration::days(7));
            let order = Uuid::now_v7();
            sqlx::query(
                "INSERT INTO work_orders (id, number, type, priority, status, equipment_id, site_id, title, due_at,
                    estimated_minutes, origin, pm_plan_id, pm_occurrence, started_at, completed_at, closed_at,
                    work_performed, created_at, updated_at)
                 VALUES ($1, $2, 'preventive', 'normal', 'closed', $3, $4, $5, $6, 60, 'plan', $7, $8, $9, $10, $11,
                    'Réalisé selon la gamme.', $12, $11)",
            )
            .bind(order)
            .bind(&number)
            .bind(plan.equipment_id)
            .bind(plan.site_id)
            .bind(&plan.title)
            .bind(due)
            .bind(plan.id)
            .bind(gmao_domain::pm::calendar_key(date))
            .bind(completed - Duration::minutes(60))
            .bind(completed)
            .bind(completed + Duration::hours(24))
            .bind(due - Duration::days(7))
            .execute(history.tx.conn())
            .await?;
            if let Some(assignee) = plan.assignee_ids.first() {
                sqlx::query(
                    "INSERT INTO work_order_assignees (work_order_id, user_id) VALUES ($1, $2)",
                )
                .bind(order)
                .bind(assignee)
                .execute(history.tx.conn())
                .await?;
                sqlx::query("INSERT INTO time_entries (id, work_order_id, user_id, minutes, started_at, ended_at, created_at) VALUES ($1, $2, $3, 60, $4, $5, $5)")
                    .bind(Uuid::now_v7())
                    .bind(order)
                    .bind(assignee)
                    .bind(completed - Duration::minutes(60))
                    .bind(completed)
                    .execute(history.tx.conn())
                    .await?;
            }
        }
    }

    for ((name, year), value) in counters {
        sqlx::query("INSERT INTO counters (name, year, value) VALUES ($1, $2, $3)")
            .bind(name)
            .bind(year)
            .bind(value)
            .execute(history.tx.conn())
            .await?;
    }
    // Today's due preventive work, as the worker would generate it.
    crate::pm_generation::generate(history.tx, now, None).await?;
    audit::record(
        history.tx,
        audit::Entry {
            action: "seed_demo_history",
            entity: "tenant",
            entity_id: None,
            changes: json!({"from": start.to_rfc3339(), "to": now.to_rfc3339()}),
        },
    )
    .await?;
    Ok(true)
}

struct Failure {
    problem: &'static str,
    cause: &'static str,
    remedy: &'static str,
    urgency: &'static str,
    stopped: bool,
    repair_minutes: i64,
}

impl Failure {
    fn random(rng: &mut StdRng, criticality: &str) -> Failure {
        let stopped = rng.random_bool(if criticality == "critical" { 0.55 } else { 0.3 });
        Failure {
            problem: PROBLEMS[rng.random_range(0..PROBLEMS.len())].0,
            cause: CAUSES[rng.random_range(0..CAUSES.len())].0,
            remedy: REMEDIES[rng.random_range(0..REMEDIES.len())].0,
            urgency: if stopped {
                "critical"
            } else {
                ["low", "normal", "normal", "high"][rng.random_range(0..4)]
            },
            stopped,
            repair_minutes: rng.random_range(30..420),
        }
    }
}

struct Incident<'a> {
    equipment: Uuid,
    site: Uuid,
    name: &'a str,
    at: DateTime<Utc>,
    technician: Uuid,
    requester: Uuid,
    failure: Failure,
    request_number: String,
    order_number: String,
}

struct History<'a> {
    tx: &'a mut TenantTx,
    codes: &'a BTreeMap<(&'static str, &'static str), Uuid>,
    ids: &'a Ids,
    now: DateTime<Utc>,
}

impl History<'_> {
    async fn status(
        &mut self,
        equipment: Uuid,
        from: Option<&str>,
        to: &str,
        at: DateTime<Utc>,
        request: Option<Uuid>,
        order: Option<Uuid>,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO equipment_status_history (id, equipment_id, from_status, to_status, work_request_id, work_order_id, changed_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(Uuid::now_v7())
        .bind(equipment)
        .bind(from)
        .bind(to)
        .bind(request)
        .bind(order)
        .bind(at)
        .execute(self.tx.conn())
        .await?;
        sqlx::query("UPDATE equipment SET status = $2 WHERE id = $1")
            .bind(equipment)
            .bind(to)
            .execute(self.tx.conn())
            .await?;
        Ok(())
    }

    async fn meter(
        &mut self,
        equipment: Uuid,
        name: &str,
        unit: &str,
        monthly: f64,
        start: DateTime<Utc>,
        rng: &mut StdRng,
    ) -> Result<()> {
        let id = Uuid::now_v7();
        sqlx::query("INSERT INTO meters (id, equipment_id, name, unit, cumulative, created_at) VALUES ($1, $2, $3, $4, true, $5)")
            .bind(id)
            .bind(equipment)
            .bind(name)
            .bind(unit)
            .bind(start)
            .execute(self.tx.conn())
            .await?;
        let mut value = (monthly * rng.random_range(20.0..60.0)).round();
        let mut at = start;
        while at < self.now {
            sqlx::query("INSERT INTO meter_readings (id, meter_id, value, read_at, source, recorded_by) VALUES ($1, $2, $3, $4, 'import', NULL)")
                .bind(Uuid::now_v7())
                .bind(id)
                .bind(value)
                .bind(at)
                .execute(self.tx.conn())
                .await?;
            sqlx::query("UPDATE meters SET last_value = $2, last_read_at = $3 WHERE id = $1")
                .bind(id)
                .bind(value)
                .bind(at)
                .execute(self.tx.conn())
                .await?;
            value += (monthly * rng.random_range(0.75..1.2)).round();
            at += Duration::days(30);
        }
        Ok(())
    }

    async fn event(
        &mut self,
        order: Uuid,
        at: DateTime<Utc>,
        actor: Uuid,
        kind: &str,
        (from, to): (&str, &str),
        reason: Option<&str>,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO work_order_events (id, work_order_id, at, actor_id, kind, from_status, to_status, reason)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(Uuid::now_v7())
        .bind(order)
        .bind(at)
        .bind(actor)
        .bind(kind)
        .bind((!from.is_empty()).then_some(from))
        .bind(to)
        .bind(reason)
        .execute(self.tx.conn())
        .await?;
        Ok(())
    }

    /// One failure and what followed, up to today: the older ones are closed; the last days
    /// leave work in every state.
    async fn failure(&mut self, i: Incident<'_>, rng: &mut StdRng) -> Result<()> {
        let age = self.now - i.at;
        let f = &i.failure;
        let (title, performed) = story(f.problem);
        let request = Uuid::now_v7();
        sqlx::query(
            "INSERT INTO work_requests (id, number, equipment_id, site_id, title, description, urgency, production_stopped, requested_by, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)",
        )
        .bind(request)
        .bind(&i.request_number)
        .bind(i.equipment)
        .bind(i.site)
        .bind(title)
        .bind(format!("Constaté en production sur {}.", i.name))
        .bind(f.urgency)
        .bind(f.stopped)
        .bind(i.requester)
        .bind(i.at)
        .execute(self.tx.conn())
        .await?;
        if f.stopped {
            self.status(
                i.equipment,
                Some("active"),
                "broken",
                i.at,
                Some(request),
                None,
            )
            .await?;
        }
        // The most recent report waits in the supervisor's inbox.
        if age < Duration::hours(20) {
            return Ok(());
        }
        let approved = i.at + Duration::minutes(rng.random_range(10..120));
        let order = Uuid::now_v7();
        let priority = match f.urgency {
            "critical" => "urgent",
            "high" => "high",
            "low" => "low",
            _ => "normal",
        };
        sqlx::query(
            "INSERT INTO work_orders (id, number, type, priority, status, equipment_id, site_id, title, description, due_at,
                estimated_minutes, origin, work_request_id, created_by, created_at, updated_at)
             VALUES ($1, $2, 'corrective', $3, 'assigned', $4, $5, $6, $7, $8, $9, 'request', $10, $11, $12, $12)",
        )
        .bind(order)
        .bind(&i.order_number)
        .bind(priority)
        .bind(i.equipment)
        .bind(i.site)
        .bind(title)
        .bind(format!("Constaté en production sur {}.", i.name))
        .bind(approved + Duration::hours(if f.stopped { 8 } else { 72 }))
        .bind(i32::try_from(f.repair_minutes).unwrap_or(60))
        .bind(request)
        .bind(self.ids.supervisor)
        .bind(approved)
        .execute(self.tx.conn())
        .await?;
        sqlx::query("INSERT INTO work_order_assignees (work_order_id, user_id, assigned_at) VALUES ($1, $2, $3)")
            .bind(order)
            .bind(i.technician)
            .bind(approved)
            .execute(self.tx.conn())
            .await?;
        sqlx::query("UPDATE work_requests SET status = 'approved', decided_by = $2, decided_at = $3, work_order_id = $4 WHERE id = $1")
            .bind(request)
            .bind(self.ids.supervisor)
            .bind(approved)
            .bind(order)
            .execute(self.tx.conn())
            .await?;
        self.event(
            order,
            approved,
            self.ids.supervisor,
            "created",
            ("", "open"),
            None,
        )
        .await?;
        self.event(
            order,
            approved,
            self.ids.supervisor,
            "assigned",
            ("open", "assigned"),
            None,
        )
        .await?;
        if age < Duration::days(2) {
            return Ok(());
        }
        let started = approved + Duration::minutes(rng.random_range(15..240));
        sqlx::query("UPDATE work_orders SET status = 'in_progress', started_at = $2 WHERE id = $1")
            .bind(order)
            .bind(started)
            .execute(self.tx.conn())
            .await?;
        self.event(
            order,
            started,
            i.technician,
            "start",
            ("assigned", "in_progress"),
            None,
        )
        .await?;
        if age < Duration::days(4) {
            return Ok(());
        }
        if age < Duration::days(6) {
            let held = started + Duration::minutes(45);
            let reason = "Attente de pièce de rechange";
            sqlx::query(
                "UPDATE work_orders SET status = 'on_hold', status_reason = $2 WHERE id = $1",
            )
            .bind(order)
            .bind(reason)
            .execute(self.tx.conn())
            .await?;
            self.event(
                order,
                held,
                i.technician,
                "hold",
                ("in_progress", "on_hold"),
                Some(reason),
            )
            .await?;
            return Ok(());
        }
        let completed = started + Duration::minutes(f.repair_minutes);
        let downtime = f.stopped.then(|| (completed - i.at).num_minutes());
        sqlx::query(
            "UPDATE work_orders SET status = 'completed', completed_at = $2, work_performed = $3, failure_problem_id = $4,
                failure_cause_id = $5, failure_remedy_id = $6, downtime_minutes = $7, downtime_start = $8, downtime_end = $9
             WHERE id = $1",
        )
        .bind(order)
        .bind(completed)
        .bind(performed)
        .bind(self.codes.get(&("problem", f.problem)).copied())
        .bind(self.codes.get(&("cause", f.cause)).copied())
        .bind(self.codes.get(&("remedy", f.remedy)).copied())
        .bind(downtime.map(|m| i32::try_from(m).unwrap_or(i32::MAX)))
        .bind(f.stopped.then_some(i.at))
        .bind(f.stopped.then_some(completed))
        .execute(self.tx.conn())
        .await?;
        sqlx::query("INSERT INTO time_entries (id, work_order_id, user_id, minutes, started_at, ended_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $6)")
            .bind(Uuid::now_v7())
            .bind(order)
            .bind(i.technician)
            .bind(i32::try_from(f.repair_minutes).unwrap_or(60))
            .bind(started)
            .bind(completed)
            .execute(self.tx.conn())
            .await?;
        self.event(
            order,
            completed,
            i.technician,
            "complete",
            ("in_progress", "completed"),
            None,
        )
        .await?;
        if f.stopped {
            self.status(
                i.equipment,
                Some("broken"),
                "active",
                completed,
                None,
                Some(order),
            )
            .await?;
        }
        if age < Duration::days(8) {
            return Ok(());
        }
        let closed = completed + Duration::hours(rng.random_range(4..96));
        sqlx::query("UPDATE work_orders SET status = 'closed', closed_at = $2, updated_at = $2 WHERE id = $1")
            .bind(order)
            .bind(closed)
            .execute(self.tx.conn())
            .await?;
        self.event(
            order,
            closed,
            self.ids.supervisor,
            "close",
            ("completed", "closed"),
            None,
        )
        .await?;
        Ok(())
    }
}
