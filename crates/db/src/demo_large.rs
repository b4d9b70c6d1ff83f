//! A large company for trying gmao at scale and for benchmarks: 1,000 machines on two sites in
//! different time zones (Lyon, Montréal) and any number of work orders over ten years (60 %
//! corrective, half of them with a stop; 30 % preventive; 10 % inspections; 2 % still open),
//! each started one with a time entry. Written with set-based SQL, a tenth at a time so that
//! progress shows; `gmao demo --large` and the benchmarks use it.

use sqlx::PgPool;
use uuid::Uuid;

use crate::accounts::{self, Administrator, NewCompany};
use crate::{Actor, Error, Result, TenantTx, tenants};
use gmao_domain::{Email, TenantId, TenantSlug};

pub const SLUG: &str = "demo-grande";
const MACHINES: i64 = 1_000;
const STEPS: i64 = 10;

/// Creates the large demo company (its administrator: the demo's), unless it exists, and fills
/// it with `orders` work orders if it has none. Answers the company and whether it was filled.
pub async fn seed(
    pool: &PgPool,
    orders: u64,
    progress: &(dyn Fn(&str) + Send + Sync),
) -> Result<(TenantId, bool)> {
    let existing = {
        let mut conn = pool.acquire().await?;
        tenants::find_by_slug(&mut conn, SLUG).await?
    };
    let tenant = match existing {
        Some(tenant) => tenant.tenant_id(),
        None => {
            let (_, admin_email, _, _) = crate::demo::PEOPLE[0];
            let email = Email::parse(admin_email).map_err(|e| Error::invalid("email", e))?;
            let admin = {
                let mut conn = pool.acquire().await?;
                crate::identities::find_by_email(&mut conn, &email)
                    .await?
                    .ok_or(Error::NotFound)?
            };
            progress("creating the large demo company");
            let slug = TenantSlug::parse(SLUG).map_err(|e| Error::invalid("slug", e))?;
            let (tx, company) = accounts::create_company(
                pool,
                NewCompany {
                    name: "Grande Usine (démo)",
                    slug: &slug,
                    admin: Administrator::Existing(admin.id),
                    request_id: None,
                },
            )
            .await?;
            tx.commit().await?;
            company.tenant.tenant_id()
        }
    };
    let mut tx = TenantTx::begin(pool, tenant, Actor::system()).await?;
    let filled: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM work_orders)")
        .fetch_one(tx.conn())
        .await?;
    tx.commit().await?;
    if filled {
        return Ok((tenant, false));
    }
    fill(pool, tenant, orders, progress).await?;
    Ok((tenant, true))
}

/// Fills `tenant` with the sites, machines, `orders` work orders and their time; then
/// `ANALYZE`. Time is logged by the company's first administrator.
pub async fn fill(
    pool: &PgPool,
    tenant: TenantId,
    orders: u64,
    progress: &(dyn Fn(&str) + Send + Sync),
) -> Result<()> {
    let orders = i64::try_from(orders).map_err(|e| Error::Other(e.into()))?;
    let mut tx = TenantTx::begin(pool, tenant, Actor::system()).await?;
    sqlx::raw_sql(
        "SET LOCAL statement_timeout = 0;
         INSERT INTO sites (id, code, name, time_zone) VALUES
             (gen_random_uuid(), 'LYON', 'Lyon', 'Europe/Paris'),
             (gen_random_uuid(), 'MTL', 'Montréal', 'America/Toronto');
         INSERT INTO equipment (id, code, name, site_id)
         SELECT gen_random_uuid(), 'M' || n, 'Machine ' || n,
                (SELECT id FROM sites WHERE code IN ('LYON', 'MTL') ORDER BY code OFFSET n % 2 LIMIT 1)
         FROM generate_series(0, 999) AS n;",
    )
    .execute(tx.conn())
    .await?;
    let worker: Uuid = sqlx::query_scalar(
        "SELECT coalesce((SELECT user_id FROM members ORDER BY created_at LIMIT 1), gen_random_uuid())",
    )
    .fetch_one(tx.conn())
    .await?;
    tx.commit().await?;
    progress(&format!("{MACHINES} machines on two sites"));
    for step in 0..STEPS {
        let (first, last) = (orders * step / STEPS + 1, orders * (step + 1) / STEPS);
        if first > last {
            continue;
        }
        let mut tx = TenantTx::begin(pool, tenant, Actor::system()).await?;
        sqlx::query("SET LOCAL statement_timeout = 0")
            .execute(tx.conn())
            .await?;
        sqlx::query(ORDERS)
            .bind(orders)
            .bind(first)
            .bind(last)
            .execute(tx.conn())
            .await?;
        sqlx::query(
            "INSERT INTO time_entries (id, work_order_id, user_id, minutes, started_at, created_at)
             SELECT gen_random_uuid(), id, $1, 30 + abs(hashtext(number)) % 150, started_at,
                    COALESCE(completed_at, created_at)
             FROM work_orders
             WHERE started_at IS NOT NULL AND number BETWEEN $2 AND $3",
        )
        .bind(worker)
        .bind(number(first))
        .bind(number(last))
        .execute(tx.conn())
        .await?;
        tx.commit().await?;
        progress(&format!("{last} of {orders} work orders"));
    }
    // In the tenant's transaction: a pooled connection never keeps a tenant's search path.
    let mut tx = TenantTx::begin(pool, tenant, Actor::system()).await?;
    sqlx::raw_sql(
        "SET LOCAL statement_timeout = 0;
         ANALYZE sites, equipment, work_orders, time_entries;",
    )
    .execute(tx.conn())
    .await?;
    tx.commit().await?;
    progress("statistics updated");
    Ok(())
}

fn number(n: i64) -> String {
    format!("BT-{n:07}")
}

/// Orders `$2` to `$3` of `$1`, spread over the ten years before now, oldest first.
const ORDERS: &str = "WITH machines AS (SELECT array_agg(id ORDER BY code) AS ids,
                                  array_agg(site_id ORDER BY code) AS sites
                           FROM equipment WHERE code ~ '^M[0-9]+$'),
         o AS (
            SELECT n, now() - ((($1 - n)::double precision) / $1) * interval '3650 days' AS created,
                   CASE WHEN n % 10 < 6 THEN 'corrective' WHEN n % 10 < 9 THEN 'preventive'
                        ELSE 'inspection' END AS type,
                   n % 50 = 0 AS open
            FROM generate_series($2::bigint, $3::bigint) AS n)
         INSERT INTO work_orders (id, number, type, priority, status, equipment_id, site_id,
             title, due_at, origin, created_at, started_at, completed_at, closed_at,
             downtime_start, downtime_end, downtime_minutes, estimated_minutes)
         SELECT gen_random_uuid(), 'BT-' || lpad(n::text, 7, '0'), type, 'normal',
                CASE WHEN open THEN 'assigned' ELSE 'closed' END,
                m.ids[1 + n % 1000], m.sites[1 + n % 1000], 'Intervention ' || n,
                CASE WHEN type = 'preventive' THEN created + interval '7 days' END,
                CASE WHEN type = 'corrective' AND n % 3 = 0 THEN 'request' ELSE 'manual' END,
                created,
                CASE WHEN open THEN NULL ELSE created + interval '1 hour' END,
                CASE WHEN open THEN NULL
                     WHEN type = 'preventive' THEN created + (5 + n % 4) * interval '1 day'
                     ELSE created + (2 + n % 24) * interval '1 hour' END,
                CASE WHEN open THEN NULL
                     WHEN type = 'preventive' THEN created + (6 + n % 4) * interval '1 day'
                     ELSE created + (3 + n % 24) * interval '1 hour' END,
                CASE WHEN type = 'corrective' AND n % 2 = 0 AND NOT open THEN created END,
                CASE WHEN type = 'corrective' AND n % 2 = 0 AND NOT open
                     THEN created + (1 + n % 8) * interval '1 hour' END,
                CASE WHEN type = 'corrective' AND n % 2 = 0 AND NOT open
                     THEN (1 + n % 8) * 60 END,
                60 + n % 180
         FROM machines m, o";
