-- A site may open a public request portal: whoever scans an equipment's QR code there reports a
-- failure without an account. Off by default. Such a request has no requester account; it
-- carries the name and contact its author chose to give, if any.
ALTER TABLE sites ADD COLUMN public_requests boolean NOT NULL DEFAULT false;
ALTER TABLE work_requests ALTER COLUMN requested_by DROP NOT NULL;
ALTER TABLE work_requests ADD COLUMN reporter_name text, ADD COLUMN reporter_contact text;
