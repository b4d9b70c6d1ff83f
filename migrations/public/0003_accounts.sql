-- Accounts people can trust: proven mailboxes, passwords that must change, single-use mailed
-- tokens, and the durable outbox every mail goes through.

ALTER TABLE public.users
    -- When the owner of the mailbox proved it (a verification link, an accepted invitation, a
    -- password reset). An unproven account cannot join another company.
    ADD COLUMN email_verified_at    timestamptz,
    -- Proving a mailbox ends every session and every password set before the proof.
    ADD COLUMN password_changed_at  timestamptz NOT NULL DEFAULT now(),
    -- An initial password an administrator gave: changed at first login.
    ADD COLUMN must_change_password boolean NOT NULL DEFAULT false;

ALTER TABLE public.sessions DROP CONSTRAINT sessions_revoked_reason_check;
ALTER TABLE public.sessions ADD CONSTRAINT sessions_revoked_reason_check CHECK (
    revoked_reason IN ('logout', 'refresh_token_reused', 'password_changed', 'deactivated',
                       'mailbox_proven'));

-- Links mailed to prove a mailbox: email verification, password reset. Stored as SHA-256 of
-- 256 random bits; single use; bound to the address they were sent to.
CREATE TABLE public.email_tokens (
    token_hash bytea PRIMARY KEY,
    purpose    text NOT NULL CHECK (purpose IN ('verify_email', 'password_reset')),
    user_id    uuid NOT NULL REFERENCES public.users (id) ON DELETE CASCADE,
    email      text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    used_at    timestamptz
);
CREATE INDEX email_tokens_user_idx ON public.email_tokens (user_id, purpose);
CREATE INDEX email_tokens_expires_idx ON public.email_tokens (expires_at);

-- Every mail: written in the transaction of the change that causes it, delivered by a job,
-- retried with back-off. The idempotency key makes one message of one event, whatever the
-- retries; the bodies are cleared once sent (they may hold single-use links).
CREATE TABLE public.mail_outbox (
    id              uuid PRIMARY KEY,
    idempotency_key text NOT NULL UNIQUE,
    tenant_id       uuid REFERENCES public.tenants (id) ON DELETE SET NULL,
    kind            text NOT NULL,
    recipient       text NOT NULL,
    locale          text NOT NULL,
    subject         text NOT NULL,
    body_text       text,
    body_html       text,
    action_url      text,
    status          text NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    claimed_at      timestamptz,
    last_error      text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    sent_at         timestamptz
);
-- What is due, and what is stuck in a crashed delivery.
CREATE INDEX mail_outbox_pending_idx ON public.mail_outbox (next_attempt_at) WHERE status = 'pending';
CREATE INDEX mail_outbox_sending_idx ON public.mail_outbox (claimed_at) WHERE status = 'sending';
CREATE INDEX mail_outbox_status_idx ON public.mail_outbox (status, created_at);
