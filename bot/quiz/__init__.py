"""The quiz: question bank loading and validation, selection, scoring. No discord import."""
