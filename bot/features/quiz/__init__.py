"""Quiz: the question bank, /quiz now, the daily post, stats and reports."""
