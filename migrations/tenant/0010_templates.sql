-- Reusable starting points: a checklist template is a named list of checks; a work-order
-- template adds what an order needs (type, priority, title, description, estimate). Plans,
-- approvals and manual orders copy from them: later edits to a template change no order.
CREATE TABLE templates (
    id                uuid PRIMARY KEY,
    kind              text NOT NULL CHECK (kind IN ('checklist', 'work_order')),
    name              text NOT NULL,
    description       text,
    checklist         jsonb NOT NULL DEFAULT '[]',
    work_order_type   text CHECK (work_order_type IN ('corrective', 'preventive', 'improvement', 'inspection')),
    priority          text CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
    title             text,
    estimated_minutes integer CHECK (estimated_minutes > 0),
    active            boolean NOT NULL DEFAULT true,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    CHECK (kind = 'work_order' OR (work_order_type IS NULL AND priority IS NULL AND title IS NULL
                                   AND estimated_minutes IS NULL)),
    CHECK (kind = 'checklist' OR (work_order_type IS NOT NULL AND priority IS NOT NULL AND title IS NOT NULL))
);
CREATE UNIQUE INDEX templates_name_key ON templates (kind, lower(name));
CREATE TRIGGER templates_updated_at BEFORE UPDATE ON templates
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
