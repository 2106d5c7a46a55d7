-- The flags of a day's check-ins in the order the reports list them (by
-- raised_at, kind, other within a check-in), covering: the daily report
-- walks the day's check-ins by session and location time and reads their
-- flags from this index alone, without sorting (a 50,000-ASN day has tens of
-- thousands of flags).
CREATE INDEX check_in_flags_by_check_in ON check_in_flags (check_in_id, raised_at, kind, other, value);
