-- What an equipment category's specifications are: each key of `equipment.specifications`
-- with the label people read and its unit, in order. Administrators edit them; equipment of
-- the category shows and asks for those fields.
CREATE TABLE spec_templates (
    id         uuid PRIMARY KEY,
    category   text NOT NULL,
    fields     jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(fields) = 'array'),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX spec_templates_category_key ON spec_templates (lower(category));
CREATE TRIGGER spec_templates_updated_at BEFORE UPDATE ON spec_templates
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
