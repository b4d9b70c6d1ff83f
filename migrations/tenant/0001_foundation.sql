-- A tenant's own schema. Runs with search_path = "t_<id>", public, so unqualified names land in
-- the tenant schema. No foreign key leaves the schema: user ids are plain uuids of
-- public.users, so a tenant stays movable (and shardable by schema).

CREATE FUNCTION set_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

CREATE TABLE roles (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    -- Stable key of a built-in role (admin, supervisor, ...); NULL for custom roles.
    key         text UNIQUE,
    name        text NOT NULL,
    description text,
    -- Permissions of custom roles. Built-in roles take theirs from the code of the release.
    permissions text[] NOT NULL DEFAULT '{}',
    builtin     boolean NOT NULL DEFAULT false,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CHECK (builtin = (key IS NOT NULL))
);
CREATE UNIQUE INDEX roles_name_key ON roles (lower(name));
CREATE TRIGGER roles_updated_at BEFORE UPDATE ON roles
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

INSERT INTO roles (key, name, builtin) VALUES
    ('admin', 'Administrator', true),
    ('supervisor', 'Maintenance supervisor', true),
    ('technician', 'Technician', true),
    ('operator', 'Operator', true),
    ('viewer', 'Viewer', true);

CREATE TABLE sites (
    id         uuid PRIMARY KEY,
    code       text NOT NULL,
    name       text NOT NULL,
    address    text,
    time_zone  text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT sites_code_key UNIQUE (code)
);
CREATE TRIGGER sites_updated_at BEFORE UPDATE ON sites
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE plants (
    id         uuid PRIMARY KEY,
    site_id    uuid NOT NULL REFERENCES sites (id) ON DELETE RESTRICT,
    code       text NOT NULL,
    name       text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT plants_code_key UNIQUE (site_id, code)
);
CREATE INDEX plants_site_idx ON plants (site_id);
CREATE TRIGGER plants_updated_at BEFORE UPDATE ON plants
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE production_lines (
    id         uuid PRIMARY KEY,
    plant_id   uuid NOT NULL REFERENCES plants (id) ON DELETE RESTRICT,
    code       text NOT NULL,
    name       text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT production_lines_code_key UNIQUE (plant_id, code)
);
CREATE INDEX production_lines_plant_idx ON production_lines (plant_id);
CREATE TRIGGER production_lines_updated_at BEFORE UPDATE ON production_lines
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- Members of this tenant: the role and site scope of an identity here.
CREATE TABLE members (
    user_id        uuid PRIMARY KEY,
    role_id        uuid NOT NULL REFERENCES roles (id) ON DELETE RESTRICT,
    -- When true the member sees only the sites listed in member_sites (possibly none).
    site_scoped    boolean NOT NULL DEFAULT false,
    active         boolean NOT NULL DEFAULT true,
    deactivated_at timestamptz,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX members_role_idx ON members (role_id);
CREATE TRIGGER members_updated_at BEFORE UPDATE ON members
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE member_sites (
    user_id uuid NOT NULL REFERENCES members (user_id) ON DELETE CASCADE,
    site_id uuid NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, site_id)
);
CREATE INDEX member_sites_site_idx ON member_sites (site_id);

CREATE TABLE audit_log (
    id         uuid PRIMARY KEY,
    at         timestamptz NOT NULL DEFAULT now(),
    -- NULL when the system acted (a command-line operation, a background job).
    actor_id   uuid,
    action     text NOT NULL,
    entity     text NOT NULL,
    entity_id  uuid,
    -- {"field": {"before": ..., "after": ...}} for the fields that changed.
    changes    jsonb NOT NULL DEFAULT '{}',
    request_id text
);
CREATE INDEX audit_log_entity_idx ON audit_log (entity, entity_id, at);
CREATE INDEX audit_log_actor_idx ON audit_log (actor_id, at);
CREATE INDEX audit_log_at_idx ON audit_log (at);
