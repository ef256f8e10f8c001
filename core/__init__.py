"""Shared helpers every app uses: numbers and dates as people write them, text hygiene, fields per language, uploads, backup."""
