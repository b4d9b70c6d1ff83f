-- A corrective order raised from another order (what its checklist found: a reading out of its
-- bounds, a failed check). The source lists its follow-ups through the index.
ALTER TABLE work_orders ADD COLUMN follow_up_of uuid REFERENCES work_orders (id) ON DELETE RESTRICT;
CREATE INDEX work_orders_follow_up_idx ON work_orders (follow_up_of) WHERE follow_up_of IS NOT NULL;
