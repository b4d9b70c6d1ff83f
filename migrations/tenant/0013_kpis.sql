-- Reading the maintenance indicators becomes a permission (`kpis:read`). Custom roles that plan
-- or validate work get it, as the built-in supervisor does; others are given it by an admin.
UPDATE roles
SET permissions = array_append(permissions, 'kpis:read')
WHERE key IS NULL
  AND permissions && ARRAY['work_orders:manage', 'work_orders:validate']
  AND NOT 'kpis:read' = ANY (permissions);
