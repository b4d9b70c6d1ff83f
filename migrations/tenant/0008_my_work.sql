-- "Mon travail" reads one person's open orders. An assignment knows whether its order is still
-- open, so that read starts from exactly those rows (the partial index) rather than from every
-- assignment the person ever had or every open order of the company: years of closed work and
-- a large team do not slow anyone's day down. Triggers keep the flag true to the order; they
-- name this tenant's tables whatever the search_path of the statement that fires them.
ALTER TABLE work_order_assignees ADD COLUMN open boolean NOT NULL DEFAULT true;
UPDATE work_order_assignees a
   SET open = w.status IN ('open', 'assigned', 'in_progress', 'on_hold')
  FROM work_orders w
 WHERE w.id = a.work_order_id;
CREATE INDEX work_order_assignees_open_idx ON work_order_assignees (user_id, work_order_id) WHERE open;

CREATE FUNCTION assignment_open() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    SELECT w.status IN ('open', 'assigned', 'in_progress', 'on_hold') INTO NEW.open
      FROM work_orders w WHERE w.id = NEW.work_order_id;
    RETURN NEW;
END;
$$;
CREATE TRIGGER work_order_assignees_open BEFORE INSERT ON work_order_assignees
    FOR EACH ROW EXECUTE FUNCTION assignment_open();

CREATE FUNCTION order_assignments_open() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    UPDATE work_order_assignees
       SET open = NEW.status IN ('open', 'assigned', 'in_progress', 'on_hold')
     WHERE work_order_id = NEW.id;
    RETURN NULL;
END;
$$;
CREATE TRIGGER work_orders_assignments_open AFTER UPDATE OF status ON work_orders
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION order_assignments_open();
