"""Members: time zone, reminder and sharing preferences, privacy export and delete."""
