-- What an hour of work costs and how many hours a week each person works: labour cost and
-- utilisation in the indicators, and the backlog in crew-weeks. A member without their own
-- figure takes the company's.
CREATE TABLE labour_settings (
    singleton                       boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    currency                        text NOT NULL DEFAULT 'EUR' CHECK (currency ~ '^[A-Z]{3}$'),
    default_hourly_rate_cents       bigint CHECK (default_hourly_rate_cents BETWEEN 0 AND 100000000),
    default_weekly_capacity_minutes integer NOT NULL DEFAULT 2100
        CHECK (default_weekly_capacity_minutes BETWEEN 0 AND 10080),
    updated_at                      timestamptz NOT NULL DEFAULT now()
);
INSERT INTO labour_settings DEFAULT VALUES;
CREATE TRIGGER labour_settings_updated_at BEFORE UPDATE ON labour_settings
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

ALTER TABLE members
    ADD COLUMN hourly_rate_cents bigint CHECK (hourly_rate_cents BETWEEN 0 AND 100000000),
    ADD COLUMN weekly_capacity_minutes integer CHECK (weekly_capacity_minutes BETWEEN 0 AND 10080);

-- The rate in force when the time was logged: a later raise does not rewrite past costs.
-- Entries logged before this column existed take the current rate.
ALTER TABLE time_entries ADD COLUMN hourly_rate_cents bigint;
