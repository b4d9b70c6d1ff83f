-- Attempt budgets (login, sign-up, password reset…), one row per key, counted with GCRA: `tat`
-- is the "theoretical arrival time" of the next attempt. An attempt is taken, atomically, by
-- moving `tat` forward one interval unless that would put it more than one period ahead. So a
-- burst of parallel attempts cannot all pass a check that each of them ran before the others
-- counted, and a refused attempt costs nothing and moves nothing.
-- Keys are SHA-256 digests of "scope:value": no email or address is kept in clear here.
CREATE TABLE public.throttles (
    key bytea PRIMARY KEY,
    tat timestamptz NOT NULL
);
-- Housekeeping deletes rows whose budget is whole again.
CREATE INDEX throttles_tat_idx ON public.throttles (tat);

-- Replaced by public.throttles: failures counted row by row, checked in one statement and
-- recorded in another, let a parallel burst through.
DROP TABLE public.auth_failures;
