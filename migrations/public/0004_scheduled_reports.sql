-- A mail may carry one file (a scheduled report), kept until it is sent like the bodies, and
-- an unsubscribe link (the List-Unsubscribe header, for mails to outside addresses).
ALTER TABLE public.mail_outbox
    ADD COLUMN attachment_name  text,
    ADD COLUMN attachment_type  text,
    ADD COLUMN attachment       bytea,
    ADD COLUMN unsubscribe_url  text;

-- When each company next has a scheduled report due (or a delivery to look after): the
-- leader's minute tick reads this one index instead of visiting every company's schema. Kept by
-- the tenant transactions that change schedules or deliveries.
CREATE TABLE public.report_due (
    tenant_id    uuid PRIMARY KEY REFERENCES public.tenants (id) ON DELETE CASCADE,
    next_check_at timestamptz NOT NULL
);
CREATE INDEX report_due_next ON public.report_due (next_check_at);
