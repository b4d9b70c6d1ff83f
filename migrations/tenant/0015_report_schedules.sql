-- KPI reports mailed on a schedule. A schedule says when (daily, weekly on a weekday, monthly on
-- a day from 1 to 28, at a local time), to whom (members, and outside addresses), what (filters,
-- indicators, format, language). `next_run_at` is when its next period is due: the due check
-- reads the schedules whose time has come through a partial index.
CREATE TABLE report_schedules (
    id           uuid PRIMARY KEY,
    name         text NOT NULL,
    frequency    text NOT NULL CHECK (frequency IN ('daily', 'weekly', 'monthly')),
    weekday      smallint CHECK (weekday BETWEEN 1 AND 7),
    month_day    smallint CHECK (month_day BETWEEN 1 AND 28),
    send_time    time NOT NULL,
    time_zone    text NOT NULL,
    member_ids   uuid[] NOT NULL DEFAULT '{}',
    emails       text[] NOT NULL DEFAULT '{}',
    filters      jsonb NOT NULL DEFAULT '{}',
    -- The sites its author could see when writing it (NULL: all): a report never shows more.
    site_scope   uuid[],
    indicators   text[] NOT NULL,
    format       text NOT NULL CHECK (format IN ('pdf', 'xlsx', 'csv')),
    language     text NOT NULL CHECK (language IN ('fr', 'en')),
    active       boolean NOT NULL DEFAULT true,
    next_run_at  timestamptz NOT NULL,
    created_by   uuid,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    CHECK ((frequency = 'weekly') = (weekday IS NOT NULL)),
    CHECK ((frequency = 'monthly') = (month_day IS NOT NULL))
);
CREATE UNIQUE INDEX report_schedules_name_key ON report_schedules (lower(name));
CREATE INDEX report_schedules_due ON report_schedules (next_run_at) WHERE active;
CREATE TRIGGER report_schedules_updated_at BEFORE UPDATE ON report_schedules
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- One report of one schedule for one period. A scheduled one exists once per (schedule,
-- period): that unique index is what makes a report go out exactly once, whatever the number
-- of workers, retries or restarts. "Send now" adds manual ones, as many as asked.
-- `preparing`: computing the figures and the file; `queued`: its mails are in the outbox (their
-- own status says sent or failed); `failed`: it could not be prepared.
CREATE TABLE report_deliveries (
    id            uuid PRIMARY KEY,
    schedule_id   uuid NOT NULL REFERENCES report_schedules (id) ON DELETE CASCADE,
    period_start  timestamptz NOT NULL,
    period_end    timestamptz NOT NULL,
    trigger       text NOT NULL CHECK (trigger IN ('schedule', 'manual')),
    requested_by  uuid,
    status        text NOT NULL DEFAULT 'preparing' CHECK (status IN ('preparing', 'queued', 'failed')),
    attempts      integer NOT NULL DEFAULT 0,
    last_error    text,
    attachment_bytes integer,
    created_at    timestamptz NOT NULL DEFAULT now(),
    prepared_at   timestamptz
);
CREATE UNIQUE INDEX report_deliveries_once ON report_deliveries (schedule_id, period_start)
    WHERE trigger = 'schedule';
CREATE INDEX report_deliveries_log ON report_deliveries (schedule_id, created_at DESC);
CREATE INDEX report_deliveries_preparing ON report_deliveries (created_at) WHERE status = 'preparing';

-- The mails of a delivery, one per recipient: their fate is the outbox row's.
CREATE TABLE report_delivery_mails (
    delivery_id  uuid NOT NULL REFERENCES report_deliveries (id) ON DELETE CASCADE,
    recipient    text NOT NULL,
    mail_id      uuid NOT NULL,
    PRIMARY KEY (delivery_id, recipient)
);

-- Outside addresses that asked to receive a schedule no more (the link in each mail).
CREATE TABLE report_unsubscribes (
    schedule_id  uuid NOT NULL REFERENCES report_schedules (id) ON DELETE CASCADE,
    email        text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (schedule_id, email)
);

-- The unsubscribe links mailed to outside addresses, stored hashed (the clear token carries the
-- company's id in front, so the public endpoint knows where to look).
CREATE TABLE report_unsubscribe_tokens (
    token_hash   bytea PRIMARY KEY,
    schedule_id  uuid NOT NULL REFERENCES report_schedules (id) ON DELETE CASCADE,
    email        text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX report_unsubscribe_tokens_schedule ON report_unsubscribe_tokens (schedule_id);

-- Custom roles that read the indicators and plan work may schedule reports, as supervisors do.
UPDATE roles
SET permissions = array_append(permissions, 'reports:manage')
WHERE key IS NULL
  AND 'kpis:read' = ANY (permissions)
  AND permissions && ARRAY['work_orders:manage', 'work_orders:validate']
  AND NOT 'reports:manage' = ANY (permissions);
