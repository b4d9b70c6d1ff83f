-- The maintenance cycle: equipment and meters, documents, work requests (demandes
-- d'intervention) and work orders (bons de travail) with their checklists, time, comments and
-- history, and the catalogue of failure codes.

-- Per-tenant yearly counters for the numbers people speak of (BT-2026-00042, DI-2026-00007).
CREATE TABLE counters (
    name  text NOT NULL,
    year  integer NOT NULL,
    value integer NOT NULL,
    PRIMARY KEY (name, year)
);

CREATE TABLE equipment (
    id                 uuid PRIMARY KEY,
    code               text NOT NULL,
    name               text NOT NULL,
    category           text,
    manufacturer       text,
    model              text,
    serial_number      text,
    purchase_date      date,
    installation_date  date,
    warranty_end       date,
    criticality        text NOT NULL DEFAULT 'medium'
                       CHECK (criticality IN ('low', 'medium', 'high', 'critical')),
    status             text NOT NULL DEFAULT 'active'
                       CHECK (status IN ('active', 'broken', 'in_maintenance', 'inactive')),
    -- Where it stands: always a site; a plant and a line when known (kept consistent by the
    -- application: the line's plant, the plant's site).
    site_id            uuid NOT NULL REFERENCES sites (id) ON DELETE RESTRICT,
    plant_id           uuid REFERENCES plants (id) ON DELETE RESTRICT,
    production_line_id uuid REFERENCES production_lines (id) ON DELETE RESTRICT,
    -- A component belongs to a parent equipment.
    parent_id          uuid REFERENCES equipment (id) ON DELETE RESTRICT,
    specifications     jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(specifications) = 'object'),
    notes              text,
    -- Equipment with history is archived, never deleted.
    archived_at        timestamptz,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT equipment_code_key UNIQUE (code),
    CHECK (production_line_id IS NULL OR plant_id IS NOT NULL)
);
CREATE UNIQUE INDEX equipment_serial_number_key ON equipment (serial_number) WHERE serial_number IS NOT NULL;
CREATE INDEX equipment_site_idx ON equipment (site_id);
CREATE INDEX equipment_plant_idx ON equipment (plant_id);
CREATE INDEX equipment_line_idx ON equipment (production_line_id);
CREATE INDEX equipment_parent_idx ON equipment (parent_id);
CREATE INDEX equipment_status_idx ON equipment (status) WHERE archived_at IS NULL;
CREATE TRIGGER equipment_updated_at BEFORE UPDATE ON equipment
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE equipment_status_history (
    id            uuid PRIMARY KEY,
    equipment_id  uuid NOT NULL REFERENCES equipment (id) ON DELETE CASCADE,
    from_status   text,
    to_status     text NOT NULL,
    reason        text,
    -- What caused the change, when it came from the maintenance cycle.
    work_request_id uuid,
    work_order_id uuid,
    changed_by    uuid,
    changed_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX equipment_status_history_idx ON equipment_status_history (equipment_id, changed_at);

CREATE TABLE meters (
    id           uuid PRIMARY KEY,
    equipment_id uuid NOT NULL REFERENCES equipment (id) ON DELETE RESTRICT,
    name         text NOT NULL,
    unit         text NOT NULL,
    -- A cumulative meter (running hours, cycles) only goes up; a gauge (temperature) may not.
    cumulative   boolean NOT NULL DEFAULT true,
    last_value   double precision,
    last_read_at timestamptz,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX meters_name_key ON meters (equipment_id, lower(name));
CREATE TRIGGER meters_updated_at BEFORE UPDATE ON meters
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE meter_readings (
    id          uuid PRIMARY KEY,
    meter_id    uuid NOT NULL REFERENCES meters (id) ON DELETE CASCADE,
    value       double precision NOT NULL,
    read_at     timestamptz NOT NULL,
    source      text NOT NULL DEFAULT 'manual' CHECK (source IN ('manual', 'import')),
    recorded_by uuid,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT meter_readings_time_key UNIQUE (meter_id, read_at)
);

-- Photos and documents of equipment, requests and work orders. The bytes live in the
-- storage (a directory, or an S3-compatible store); this is what is known of them.
CREATE TABLE attachments (
    id           uuid PRIMARY KEY,
    owner_type   text NOT NULL CHECK (owner_type IN ('equipment', 'work_request', 'work_order')),
    owner_id     uuid NOT NULL,
    file_name    text NOT NULL,
    content_type text NOT NULL,
    size_bytes   bigint NOT NULL,
    sha256       text NOT NULL,
    storage_key  text NOT NULL,
    uploaded_by  uuid,
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX attachments_owner_idx ON attachments (owner_type, owner_id, created_at);

CREATE TABLE failure_codes (
    id          uuid PRIMARY KEY,
    kind        text NOT NULL CHECK (kind IN ('problem', 'cause', 'remedy')),
    code        text NOT NULL,
    label       text NOT NULL,
    description text,
    active      boolean NOT NULL DEFAULT true,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT failure_codes_code_key UNIQUE (kind, code)
);
CREATE TRIGGER failure_codes_updated_at BEFORE UPDATE ON failure_codes
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE work_requests (
    id                 uuid PRIMARY KEY,
    number             text NOT NULL,
    equipment_id       uuid NOT NULL REFERENCES equipment (id) ON DELETE RESTRICT,
    site_id            uuid NOT NULL REFERENCES sites (id) ON DELETE RESTRICT,
    title              text NOT NULL,
    description        text,
    urgency            text NOT NULL DEFAULT 'normal'
                       CHECK (urgency IN ('low', 'normal', 'high', 'critical')),
    production_stopped boolean NOT NULL DEFAULT false,
    status             text NOT NULL DEFAULT 'submitted'
                       CHECK (status IN ('submitted', 'approved', 'rejected')),
    requested_by       uuid NOT NULL,
    decided_by         uuid,
    decided_at         timestamptz,
    rejection_reason   text,
    work_order_id      uuid,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT work_requests_number_key UNIQUE (number)
);
CREATE INDEX work_requests_status_idx ON work_requests (status, created_at);
CREATE INDEX work_requests_equipment_idx ON work_requests (equipment_id);
CREATE INDEX work_requests_requester_idx ON work_requests (requested_by, created_at);
CREATE TRIGGER work_requests_updated_at BEFORE UPDATE ON work_requests
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE work_orders (
    id                 uuid PRIMARY KEY,
    number             text NOT NULL,
    type               text NOT NULL CHECK (type IN ('corrective', 'preventive', 'improvement', 'inspection')),
    priority           text NOT NULL DEFAULT 'normal' CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
    status             text NOT NULL DEFAULT 'open'
                       CHECK (status IN ('open', 'assigned', 'in_progress', 'on_hold', 'completed', 'closed', 'cancelled')),
    equipment_id       uuid NOT NULL REFERENCES equipment (id) ON DELETE RESTRICT,
    site_id            uuid NOT NULL REFERENCES sites (id) ON DELETE RESTRICT,
    title              text NOT NULL,
    description        text,
    due_at             timestamptz,
    estimated_minutes  integer CHECK (estimated_minutes > 0),
    origin             text NOT NULL CHECK (origin IN ('request', 'plan', 'manual')),
    work_request_id    uuid REFERENCES work_requests (id) ON DELETE RESTRICT,
    -- The preventive plan that generated it (plans arrive in a later migration).
    pm_plan_id         uuid,
    -- The reason given with the last hold, reopening or cancellation.
    status_reason      text,
    started_at         timestamptz,
    completed_at       timestamptz,
    closed_at          timestamptz,
    cancelled_at       timestamptz,
    work_performed     text,
    failure_problem_id uuid REFERENCES failure_codes (id) ON DELETE RESTRICT,
    failure_cause_id   uuid REFERENCES failure_codes (id) ON DELETE RESTRICT,
    failure_remedy_id  uuid REFERENCES failure_codes (id) ON DELETE RESTRICT,
    root_cause         text,
    downtime_minutes   integer CHECK (downtime_minutes >= 0),
    downtime_start     timestamptz,
    downtime_end       timestamptz,
    created_by         uuid,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT work_orders_number_key UNIQUE (number),
    CHECK (downtime_end IS NULL OR downtime_start IS NULL OR downtime_end >= downtime_start)
);
CREATE INDEX work_orders_status_idx ON work_orders (status, due_at);
CREATE INDEX work_orders_equipment_idx ON work_orders (equipment_id, created_at);
CREATE INDEX work_orders_site_idx ON work_orders (site_id);
CREATE INDEX work_orders_created_idx ON work_orders (created_at);
CREATE INDEX work_orders_plan_idx ON work_orders (pm_plan_id) WHERE pm_plan_id IS NOT NULL;
CREATE TRIGGER work_orders_updated_at BEFORE UPDATE ON work_orders
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

ALTER TABLE work_requests ADD CONSTRAINT work_requests_work_order_id_fkey
    FOREIGN KEY (work_order_id) REFERENCES work_orders (id) ON DELETE RESTRICT;

CREATE TABLE work_order_assignees (
    work_order_id uuid NOT NULL REFERENCES work_orders (id) ON DELETE CASCADE,
    user_id       uuid NOT NULL,
    assigned_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (work_order_id, user_id)
);
CREATE INDEX work_order_assignees_user_idx ON work_order_assignees (user_id);

CREATE TABLE checklist_items (
    id            uuid PRIMARY KEY,
    work_order_id uuid NOT NULL REFERENCES work_orders (id) ON DELETE CASCADE,
    position      integer NOT NULL,
    label         text NOT NULL,
    kind          text NOT NULL CHECK (kind IN ('checkbox', 'pass_fail', 'number', 'text')),
    required      boolean NOT NULL DEFAULT false,
    unit          text,
    min_value     double precision,
    max_value     double precision,
    -- The answer, by kind: checked (checkbox), passed (pass_fail), number_value, text_value.
    checked       boolean,
    passed        boolean,
    number_value  double precision,
    text_value    text,
    completed_by  uuid,
    completed_at  timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX checklist_items_order_idx ON checklist_items (work_order_id, position);
CREATE TRIGGER checklist_items_updated_at BEFORE UPDATE ON checklist_items
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE time_entries (
    id            uuid PRIMARY KEY,
    work_order_id uuid NOT NULL REFERENCES work_orders (id) ON DELETE CASCADE,
    user_id       uuid NOT NULL,
    minutes       integer NOT NULL CHECK (minutes > 0),
    started_at    timestamptz,
    ended_at      timestamptz,
    note          text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    CHECK (ended_at IS NULL OR started_at IS NULL OR ended_at > started_at)
);
CREATE INDEX time_entries_order_idx ON time_entries (work_order_id, created_at);
CREATE INDEX time_entries_user_idx ON time_entries (user_id, created_at);

CREATE TABLE work_order_comments (
    id            uuid PRIMARY KEY,
    work_order_id uuid NOT NULL REFERENCES work_orders (id) ON DELETE CASCADE,
    author_id     uuid NOT NULL,
    body          text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX work_order_comments_order_idx ON work_order_comments (work_order_id, created_at);

-- The timeline of a work order as people read it: transitions with their reasons,
-- assignments, rescheduling. Field-level detail is in the audit log.
CREATE TABLE work_order_events (
    id            uuid PRIMARY KEY,
    work_order_id uuid NOT NULL REFERENCES work_orders (id) ON DELETE CASCADE,
    at            timestamptz NOT NULL DEFAULT now(),
    actor_id      uuid,
    kind          text NOT NULL,
    from_status   text,
    to_status     text,
    reason        text,
    details       jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX work_order_events_order_idx ON work_order_events (work_order_id, at);
