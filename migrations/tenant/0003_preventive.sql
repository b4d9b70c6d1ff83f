-- Preventive maintenance: recurring plans that generate work orders, exactly once per
-- occurrence (the database says so: unique (plan, occurrence) on work orders).

CREATE TABLE pm_plans (
    id                uuid PRIMARY KEY,
    equipment_id      uuid NOT NULL REFERENCES equipment (id) ON DELETE RESTRICT,
    site_id           uuid NOT NULL REFERENCES sites (id) ON DELETE RESTRICT,
    title             text NOT NULL,
    description       text,
    -- Checklist items copied onto each generated order: [{label, kind, required, unit, min_value, max_value}].
    checklist         jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(checklist) = 'array'),
    estimated_minutes integer CHECK (estimated_minutes > 0),
    assignee_ids      uuid[] NOT NULL DEFAULT '{}',
    priority          text NOT NULL DEFAULT 'normal' CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
    starts_on         date NOT NULL,
    ends_on           date,
    -- Orders are created this many days before they are due.
    lead_time_days    integer NOT NULL DEFAULT 7 CHECK (lead_time_days BETWEEN 0 AND 365),
    trigger_kind      text NOT NULL CHECK (trigger_kind IN ('calendar', 'meter', 'calendar_or_meter')),
    cal_every         integer CHECK (cal_every BETWEEN 1 AND 1000),
    cal_unit          text CHECK (cal_unit IN ('day', 'week', 'month', 'year')),
    -- ISO weekday numbers, Monday = 1.
    cal_weekdays      integer[] NOT NULL DEFAULT '{}',
    cal_day_of_month  integer CHECK (cal_day_of_month BETWEEN 1 AND 31),
    meter_id          uuid REFERENCES meters (id) ON DELETE RESTRICT,
    meter_every       double precision CHECK (meter_every > 0),
    -- The meter's value when the plan started counting: thresholds are base + n × every.
    meter_base        double precision,
    -- fixed: the calendar holds whatever happens; floating: counts from the last completion.
    schedule_mode     text NOT NULL DEFAULT 'fixed' CHECK (schedule_mode IN ('fixed', 'floating')),
    active            boolean NOT NULL DEFAULT true,
    -- Occurrences due before this instant are never generated: set at creation, when resuming
    -- a paused plan and when its trigger changes (no flood of past work).
    generate_from     timestamptz NOT NULL DEFAULT now(),
    archived_at       timestamptz,
    created_by        uuid,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    CHECK (ends_on IS NULL OR ends_on >= starts_on),
    CHECK (trigger_kind = 'meter' OR (cal_every IS NOT NULL AND cal_unit IS NOT NULL)),
    CHECK (trigger_kind = 'calendar' OR (meter_id IS NOT NULL AND meter_every IS NOT NULL))
);
CREATE INDEX pm_plans_equipment_idx ON pm_plans (equipment_id);
CREATE INDEX pm_plans_meter_idx ON pm_plans (meter_id) WHERE meter_id IS NOT NULL;
CREATE INDEX pm_plans_active_idx ON pm_plans (active) WHERE archived_at IS NULL;
CREATE TRIGGER pm_plans_updated_at BEFORE UPDATE ON pm_plans
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- Occurrences someone decided not to do.
CREATE TABLE pm_skips (
    pm_plan_id  uuid NOT NULL REFERENCES pm_plans (id) ON DELETE CASCADE,
    occurrence  text NOT NULL,
    due_on      date,
    reason      text,
    skipped_by  uuid,
    skipped_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (pm_plan_id, occurrence)
);

-- Which occurrence of its plan an order is: `cal:2026-12-01`, `meter:1500`, `next:7`.
ALTER TABLE work_orders ADD COLUMN pm_occurrence text;
CREATE UNIQUE INDEX work_orders_pm_occurrence_key ON work_orders (pm_plan_id, pm_occurrence)
    WHERE pm_plan_id IS NOT NULL;
ALTER TABLE work_orders ADD CONSTRAINT work_orders_pm_plan_id_fkey
    FOREIGN KEY (pm_plan_id) REFERENCES pm_plans (id) ON DELETE RESTRICT;
ALTER TABLE work_orders ADD CONSTRAINT work_orders_pm_occurrence_check
    CHECK ((pm_plan_id IS NULL) = (pm_occurrence IS NULL));
