"""English as the Movement writes it (Geneva, international): day before month, 24-hour clock."""

DATE_FORMAT = "j F Y"  # 30 November 2026
DATETIME_FORMAT = "j F Y, H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
