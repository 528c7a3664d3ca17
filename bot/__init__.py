"""EMR Study Bot: a Discord study companion for the National Registry EMR cognitive exam."""
