-- List exports read every matching row in (created_at, id) order, a batch after the last row
-- of the one before: each batch must start where an index says, not after a sort of the table.
DROP INDEX work_orders_created_idx;
CREATE INDEX work_orders_created_idx ON work_orders (created_at, id);
CREATE INDEX equipment_created_idx ON equipment (created_at, id);
CREATE INDEX pm_plans_created_idx ON pm_plans (created_at, id);
