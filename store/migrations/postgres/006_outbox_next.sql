-- PostgreSQL dialect of ../006_outbox_next.sql: NextOutbound's
-- min(not_before) comes from an index.
CREATE INDEX outbox_next ON outbox (not_before) WHERE status = 'pending';
