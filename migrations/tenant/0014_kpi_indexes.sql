-- What the indicators read of a window, each part through its own index, so that a month of a
-- company with a million orders reads only that month's orders (see crates/kpi/src/history.rs).
CREATE INDEX work_orders_completed_idx ON work_orders (completed_at) WHERE completed_at IS NOT NULL;
CREATE INDEX work_orders_cancelled_idx ON work_orders (cancelled_at) WHERE cancelled_at IS NOT NULL;
CREATE INDEX work_orders_due_idx ON work_orders (due_at) WHERE due_at IS NOT NULL;
CREATE INDEX work_orders_unresolved_idx ON work_orders (created_at)
    WHERE completed_at IS NULL AND cancelled_at IS NULL;
CREATE INDEX work_orders_downtime_idx ON work_orders USING gist (tstzrange(downtime_start, downtime_end))
    WHERE downtime_start IS NOT NULL;
CREATE INDEX time_entries_at_idx ON time_entries ((COALESCE(started_at, created_at)));
CREATE INDEX work_requests_created_idx ON work_requests (created_at);
