"""Reminders: retest, results and course-window DMs through the outbox."""
