-- Commenting on work orders becomes its own permission (`work_orders:comment`): reading them
-- no longer lets a read-only role write. Custom roles that did more than read work orders
-- keep commenting; those that only read them stop.
UPDATE roles
SET permissions = array_append(permissions, 'work_orders:comment')
WHERE key IS NULL
  AND 'work_orders:read' = ANY (permissions)
  AND permissions && ARRAY['work_orders:manage', 'work_orders:execute', 'work_orders:validate']
  AND NOT 'work_orders:comment' = ANY (permissions);
