# Dates are written day.month.year in Kazakhstan in every language the portal speaks:
# the admin follows the workspace (Django's English would show "Nov. 25, 2026").
DATE_FORMAT = "d.m.Y"
DATETIME_FORMAT = "d.m.Y H:i"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
TIME_FORMAT = "H:i"
