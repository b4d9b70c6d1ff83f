-- When each plan is next due, as last computed (by the generation sweep and by every change of
-- the plan), so that plans can be listed soonest first. Derived data, apart from the plan's
-- own row: refreshing it must not count as an edit of the plan.
CREATE TABLE pm_plan_next_due (
    pm_plan_id   uuid PRIMARY KEY REFERENCES pm_plans (id) ON DELETE CASCADE,
    next_due_at  timestamptz,
    computed_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX pm_plan_next_due_idx ON pm_plan_next_due (next_due_at);
