-- The audit log filtered by action, newest first; and the (action, entity) pairs it holds, read
-- by a loose index scan (one probe per distinct pair, however long the log).
CREATE INDEX audit_log_action_idx ON audit_log (action, at);
CREATE INDEX audit_log_action_entity_idx ON audit_log (action, entity);
