-- NextOutbound asks when the next pending message is due: with tens of
-- thousands of check-in replies waiting (they go out at Telegram's 30 per
-- second), min(not_before) must come from an index, not from a scan of
-- every pending row.
CREATE INDEX outbox_next ON outbox (not_before) WHERE status = 'pending';
