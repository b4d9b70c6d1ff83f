-- Control plane: tenants, identities, memberships, sessions. Tenant data lives in one schema per
-- tenant (migrations/tenant); nothing here references a tenant schema.

CREATE OR REPLACE FUNCTION public.set_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

CREATE TABLE public.tenants (
    id              uuid PRIMARY KEY,
    slug            text NOT NULL UNIQUE,
    name            text NOT NULL,
    -- Derived from id by our code (t_<32 hex>); stored so operators can find it with psql.
    schema_name     text NOT NULL UNIQUE,
    status          text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
    -- Highest tenant migration applied, and the error of the last failed attempt, if any.
    schema_version  bigint,
    migration_error text,
    migrated_at     timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER tenants_updated_at BEFORE UPDATE ON public.tenants
    FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();

-- One identity per person, whatever the number of companies they work for.
CREATE TABLE public.users (
    id                   uuid PRIMARY KEY,
    email                text NOT NULL UNIQUE CHECK (email = lower(email)),
    password_hash        text NOT NULL,
    full_name            text NOT NULL,
    locale               text NOT NULL DEFAULT 'fr' CHECK (locale IN ('fr', 'en')),
    is_platform_operator boolean NOT NULL DEFAULT false,
    active               boolean NOT NULL DEFAULT true,
    last_login_at        timestamptz,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER users_updated_at BEFORE UPDATE ON public.users
    FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();

-- Which tenants an identity belongs to. Role, site scope and activity live in the tenant's own
-- members table; this is what login needs to find the tenants of an email.
CREATE TABLE public.memberships (
    user_id    uuid NOT NULL REFERENCES public.users (id) ON DELETE CASCADE,
    tenant_id  uuid NOT NULL REFERENCES public.tenants (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, tenant_id)
);
CREATE INDEX memberships_tenant_idx ON public.memberships (tenant_id);

-- A login: one refresh-token family. Access tokens carry its id, so revoking it ends them too.
CREATE TABLE public.sessions (
    id             uuid PRIMARY KEY,
    user_id        uuid NOT NULL REFERENCES public.users (id) ON DELETE CASCADE,
    tenant_id      uuid REFERENCES public.tenants (id) ON DELETE CASCADE,
    created_at     timestamptz NOT NULL DEFAULT now(),
    last_used_at   timestamptz NOT NULL DEFAULT now(),
    expires_at     timestamptz NOT NULL,
    revoked_at     timestamptz,
    revoked_reason text CHECK (revoked_reason IN ('logout', 'refresh_token_reused', 'password_changed', 'deactivated')),
    client_address text,
    user_agent     text
);
CREATE INDEX sessions_user_idx ON public.sessions (user_id);
CREATE INDEX sessions_expires_idx ON public.sessions (expires_at);

-- Refresh tokens are stored hashed. A used one stays, so that its reuse can be detected.
CREATE TABLE public.refresh_tokens (
    token_hash bytea PRIMARY KEY,
    session_id uuid NOT NULL REFERENCES public.sessions (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    used_at    timestamptz
);
CREATE INDEX refresh_tokens_session_idx ON public.refresh_tokens (session_id);

-- Failed logins, counted per account and per client address to slow down guessing.
CREATE TABLE public.auth_failures (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    scope     text NOT NULL CHECK (scope IN ('account', 'address')),
    key       text NOT NULL,
    failed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX auth_failures_key_idx ON public.auth_failures (scope, key, failed_at);

-- Writes to the control plane (tenants created, suspended, resumed; identities created by an
-- operator). Tenant data has its own audit log in each tenant schema.
CREATE TABLE public.platform_audit_log (
    id         uuid PRIMARY KEY,
    at         timestamptz NOT NULL DEFAULT now(),
    actor_id   uuid,
    action     text NOT NULL,
    entity     text NOT NULL,
    entity_id  uuid,
    changes    jsonb NOT NULL DEFAULT '{}',
    request_id text
);
CREATE INDEX platform_audit_log_entity_idx ON public.platform_audit_log (entity, entity_id);
