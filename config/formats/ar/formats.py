"""Arabic: Django's own file has dates but no date-with-time formats, so they fell back to the
English "N j, Y, P" ("نوفمبر 30, 2026, 9:58 ص"). The rest comes from django/conf/locale/ar."""

DATETIME_FORMAT = "j F، Y، g:i A"  # 30 نوفمبر، 2026، 9:58 ص
SHORT_DATETIME_FORMAT = "d\u200f/m\u200f/Y g:i A"  # as SHORT_DATE_FORMAT, right-to-left marks
