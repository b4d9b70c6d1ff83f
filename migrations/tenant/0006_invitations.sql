-- Adding a person is an invitation: a single-use link mailed to the address; the person
-- becomes a member on acceptance. Nothing here says whether the address has an account.
CREATE TABLE invitations (
    id           uuid PRIMARY KEY,
    email        text NOT NULL,
    full_name    text NOT NULL,
    -- A role with open invitations cannot be deleted (the API says so); closed ones go with it.
    role_id      uuid NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
    -- When true, the member will see only `site_ids` (those still existing at acceptance).
    site_scoped  boolean NOT NULL DEFAULT false,
    site_ids     uuid[] NOT NULL DEFAULT '{}',
    locale       text NOT NULL DEFAULT 'fr' CHECK (locale IN ('fr', 'en')),
    token_hash   bytea NOT NULL UNIQUE,
    invited_by   uuid,
    expires_at   timestamptz NOT NULL,
    sent_count   integer NOT NULL DEFAULT 1,
    last_sent_at timestamptz NOT NULL DEFAULT now(),
    accepted_at  timestamptz,
    accepted_by  uuid,
    revoked_at   timestamptz,
    revoked_by   uuid,
    created_at   timestamptz NOT NULL DEFAULT now()
);
-- One open invitation per address.
CREATE UNIQUE INDEX invitations_open_email_key ON invitations (email)
    WHERE accepted_at IS NULL AND revoked_at IS NULL;
CREATE INDEX invitations_created_idx ON invitations (created_at);
CREATE INDEX invitations_role_idx ON invitations (role_id);

-- When each member last logged in to this company (not anywhere else: a company never sees a
-- person's activity elsewhere). Apart from members, so that a login is not a change of the
-- member.
CREATE TABLE member_logins (
    user_id       uuid PRIMARY KEY REFERENCES members (user_id) ON DELETE CASCADE,
    last_login_at timestamptz NOT NULL
);
