"""Retake: a failed attempt read correctly, the wait, and a repair plan."""
