-- The backlog at the end of each local day, per site, as it stood when the night's job looked:
-- what history cannot give back later (estimates changed since, orders deleted). One row per
-- (site, day): a second run of the job adds nothing.
CREATE TABLE kpi_backlog_days (
    site_id            uuid NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    day                date NOT NULL,
    open_orders        integer NOT NULL,
    estimated_minutes  bigint NOT NULL,
    under_7_days       integer NOT NULL,
    from_7_to_30_days  integer NOT NULL,
    from_30_to_90_days integer NOT NULL,
    over_90_days       integer NOT NULL,
    taken_at           timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (site_id, day)
);
CREATE INDEX kpi_backlog_days_day ON kpi_backlog_days (day);
