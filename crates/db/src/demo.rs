//! The demo company: two sites with their plants and lines, and one person per built-in role.
//! Seeding is idempotent: run it again and it only adds what is missing.

use gmao_domain::{BuiltinRole, Email, Locale, TenantSlug};
use sqlx::PgPool;
use uuid::Uuid;

use crate::accounts::{self, Administrator, NewCompany};
use crate::members::{self, NewMember};
use crate::plants::{self, PlantInput};
use crate::production_lines::{self, LineInput};
use crate::sites::{self, SiteInput};
use crate::{Actor, Error, Result, TenantTx, identities, passwords, roles, tenants};

pub const SLUG: &str = "demo";
pub const PASSWORD: &str = "Maintenance-2026";

/// (role, email, full name, scoped to the first site only)
pub const PEOPLE: &[(BuiltinRole, &str, &str, bool)] = &[
    (
        BuiltinRole::Admin,
        "admin@demo.test",
        "Camille Admin",
        false,
    ),
    (
        BuiltinRole::Supervisor,
        "superviseur@demo.test",
        "Sophie Durand",
        false,
    ),
    (
        BuiltinRole::Technician,
        "technicien@demo.test",
        "Karim Benali",
        true,
    ),
    (
        BuiltinRole::Operator,
        "operateur@demo.test",
        "Julie Martin",
        true,
    ),
    (
        BuiltinRole::Viewer,
        "lecteur@demo.test",
        "Marc Lefèvre",
        false,
    ),
];

/// (code, name, lines as (code, name))
type DemoPlant = (
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str)],
);

struct DemoSite {
    code: &'static str,
    name: &'static str,
    address: &'static str,
    time_zone: &'static str,
    plants: &'static [DemoPlant],
}

const SITES: &[DemoSite] = &[
    DemoSite {
        code: "LYON",
        name: "Usine de Lyon",
        address: "12 rue de l'Industrie, 69007 Lyon, France",
        time_zone: "Europe/Paris",
        plants: &[
            (
                "USI",
                "Atelier usinage",
                &[("L1", "Ligne tournage CN"), ("L2", "Ligne fraisage 5 axes")],
            ),
            (
                "ASM",
                "Atelier assemblage",
                &[
                    ("L1", "Ligne assemblage moteurs"),
                    ("L2", "Ligne contrôle final"),
                ],
            ),
        ],
    },
    DemoSite {
        code: "MTL",
        name: "Usine de Montréal",
        address: "4500 boulevard Industriel, Montréal (Québec) H1Z 4J6, Canada",
        time_zone: "America/Toronto",
        plants: &[
            (
                "EMB",
                "Atelier embouteillage",
                &[("L1", "Ligne remplissage"), ("L2", "Ligne étiquetage")],
            ),
            ("UTI", "Utilités", &[("CHA", "Chaufferie et air comprimé")]),
        ],
    },
];

pub struct DemoReport {
    pub tenant_created: bool,
    pub people: Vec<(BuiltinRole, String)>,
}

/// Creates or completes the demo tenant. `progress` receives a line per step.
pub async fn seed(pool: &PgPool, progress: &(dyn Fn(&str) + Send + Sync)) -> Result<DemoReport> {
    let slug = TenantSlug::parse(SLUG).map_err(|e| Error::invalid("slug", e))?;
    let existing = {
        let mut conn = pool.acquire().await?;
        tenants::find_by_slug(&mut conn, SLUG).await?
    };
    let (admin_role, admin_email, admin_name, _) = PEOPLE[0];
    let admin_email = Email::parse(admin_email).map_err(|e| Error::invalid("email", e))?;
    // Hashed once, before any transaction opens.
    let password_hash = passwords::hash(PASSWORD).await?;
    let (tenant_id, tenant_created) = match existing {
        Some(tenant) => (tenant.tenant_id(), false),
        None => {
            progress("creating the demo company");
            let (tx, company) = accounts::create_company(
                pool,
                NewCompany {
                    name: "Démo Industries",
                    slug: &slug,
                    admin: Administrator::New {
                        email: &admin_email,
                        full_name: admin_name,
                        password_hash: &password_hash,
                        locale: Locale::Fr,
                        verified: true,
                    },
                    request_id: None,
                },
            )
            .await?;
            tx.commit().await?;
            (company.tenant.tenant_id(), true)
        }
    };
    debug_assert_eq!(admin_role, BuiltinRole::Admin);

    let mut tx = TenantTx::begin(pool, tenant_id, Actor::system()).await?;
    let mut first_site = None;
    for site in SITES {
        progress(&format!("site {} ({})", site.name, site.code));
        let site_id = ensure_site(&mut tx, site).await?;
        first_site.get_or_insert(site_id);
        for (plant_code, plant_name, lines) in site.plants {
            let plant_id = ensure_plant(&mut tx, site_id, plant_code, plant_name).await?;
            for (line_code, line_name) in *lines {
                ensure_line(&mut tx, plant_id, line_code, line_name).await?;
            }
        }
    }

    let mut people = Vec::new();
    for (role, email, full_name, scoped) in PEOPLE {
        let email = Email::parse(email).map_err(|e| Error::invalid("email", e))?;
        people.push((*role, email.to_string()));
        let identity = identities::find_by_email(tx.conn(), &email).await?;
        if let Some(identity) = &identity
            && members::get(&mut tx, identity.id).await.is_ok()
        {
            // Made-up addresses nobody can prove: the demo's people count as confirmed.
            identities::mark_verified(tx.conn(), identity.id).await?;
            continue;
        }
        progress(&format!("person {} ({})", email, role.key()));
        let role_row = roles::get_by_key(&mut tx, *role).await?;
        members::add(
            &mut tx,
            NewMember {
                email: &email,
                full_name,
                new_account: Some(members::NewAccount {
                    password_hash: &password_hash,
                    verified: true,
                    must_change_password: false,
                }),
                locale: Locale::Fr,
                role_id: role_row.id,
                site_ids: scoped.then(|| first_site.into_iter().collect()),
            },
        )
        .await?;
    }
    // The demo's administrator keeps every right, whatever a visitor did to the demo.
    if let Some(identity) = identities::find_by_email(tx.conn(), &admin_email).await? {
        let member = members::get(&mut tx, identity.id).await?;
        let admin = roles::get_by_key(&mut tx, BuiltinRole::Admin).await?;
        if member.role_id != admin.id || member.site_scoped || !member.active {
            progress("restoring the demo administrator's role and sites");
            members::update(
                &mut tx,
                identity.id,
                members::MemberPatch {
                    role_id: Some(admin.id),
                    site_ids: Some(None),
                    active: Some(true),
                    ..Default::default()
                },
            )
            .await?;
        }
    }
    if crate::demo_history::seed(&mut tx, progress).await? {
        progress("maintenance history seeded");
    }
    if ensure_labour_rate(&mut tx).await? {
        progress("labour rate set");
    }
    if ensure_report_schedule(&mut tx).await? {
        progress("monthly KPI report scheduled");
    }
    tx.commit().await?;
    Ok(DemoReport {
        tenant_created,
        people,
    })
}

/// A monthly KPI report to the demo's supervisor, on the 1st at 07:00 (Paris), whenever the
/// company has no schedule at all (a demo emptied by a visitor gets it back).
/// The demo prices its labour (48 € an hour), so that its dashboards show costs.
async fn ensure_labour_rate(tx: &mut TenantTx) -> Result<bool> {
    if crate::labour::get(tx)
        .await?
        .default_hourly_rate_cents
        .is_some()
    {
        return Ok(false);
    }
    crate::labour::update(
        tx,
        crate::labour::LabourPatch {
            default_hourly_rate_cents: Some(Some(4800)),
            ..Default::default()
        },
    )
    .await?;
    Ok(true)
}

async fn ensure_report_schedule(tx: &mut TenantTx) -> Result<bool> {
    use gmao_domain::report_schedule::{Frequency, Timing};
    let existing: i64 = sqlx::query_scalar("SELECT count(*) FROM report_schedules")
        .fetch_one(tx.conn())
        .await?;
    if existing > 0 {
        return Ok(false);
    }
    let supervisor = PEOPLE
        .iter()
        .find(|(role, ..)| *role == BuiltinRole::Supervisor)
        .and_then(|(_, email, ..)| Email::parse(email).ok());
    let Some(supervisor) = supervisor else {
        return Ok(false);
    };
    let Some(identity) = identities::find_by_email(tx.conn(), &supervisor).await? else {
        return Ok(false);
    };
    let time = chrono::NaiveTime::from_hms_opt(7, 0, 0).unwrap_or_default();
    let timing = Timing {
        frequency: Frequency::Monthly(1),
        time,
        zone: chrono_tz::Europe::Paris,
    };
    crate::report_schedules::create(
        tx,
        crate::report_schedules::ScheduleInput {
            name: "Indicateurs mensuels".to_owned(),
            frequency: "monthly".to_owned(),
            weekday: None,
            month_day: Some(1),
            send_time: time,
            time_zone: "Europe/Paris".to_owned(),
            member_ids: vec![identity.id],
            emails: Vec::new(),
            filters: serde_json::json!({}),
            indicators: [
                "mtbf",
                "mttr",
                "availability",
                "pm_compliance",
                "planned_work",
                "backlog",
                "failures",
                "labour",
                "requests",
            ]
            .map(str::to_owned)
            .to_vec(),
            format: "pdf".to_owned(),
            language: "fr".to_owned(),
            active: true,
        },
        None,
        timing.next_after(chrono::Utc::now()),
    )
    .await?;
    Ok(true)
}

async fn ensure_site(tx: &mut TenantTx, site: &DemoSite) -> Result<Uuid> {
    let found: Option<Uuid> = sqlx::query_scalar("SELECT id FROM sites WHERE code = $1")
        .bind(site.code)
        .fetch_optional(tx.conn())
        .await?;
    if let Some(id) = found {
        return Ok(id);
    }
    let created = sites::create(
        tx,
        SiteInput {
            code: site.code.into(),
            name: site.name.into(),
            address: Some(site.address.into()),
            time_zone: site.time_zone.into(),
            // The demo shows the public request portal on one site.
            public_requests: site.code == "LYON",
        },
    )
    .await?;
    Ok(created.id)
}

async fn ensure_plant(tx: &mut TenantTx, site_id: Uuid, code: &str, name: &str) -> Result<Uuid> {
    let found: Option<Uuid> =
        sqlx::query_scalar("SELECT id FROM plants WHERE site_id = $1 AND code = $2")
            .bind(site_id)
            .bind(code)
            .fetch_optional(tx.conn())
            .await?;
    if let Some(id) = found {
        return Ok(id);
    }
    let created = plants::create(
        tx,
        PlantInput {
            site_id,
            code: code.into(),
            name: name.into(),
        },
    )
    .await?;
    Ok(created.id)
}

async fn ensure_line(tx: &mut TenantTx, plant_id: Uuid, code: &str, name: &str) -> Result<Uuid> {
    let found: Option<Uuid> =
        sqlx::query_scalar("SELECT id FROM production_lines WHERE plant_id = $1 AND code = $2")
            .bind(plant_id)
            .bind(code)
            .fetch_optional(tx.conn())
            .await?;
    if let Some(id) = found {
        return Ok(id);
    }
    let created = production_lines::create(
        tx,
        LineInput {
            plant_id,
            code: code.into(),
            name: name.into(),
        },
    )
    .await?;
    Ok(created.id)
}
