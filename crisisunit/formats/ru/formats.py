# The admin writes dates as the workspace does, day.month.year (Django's Russian would
# show "25 ноября 2026 г." beside the workspace's "25.11.2026").
DATE_FORMAT = "d.m.Y"
DATETIME_FORMAT = "d.m.Y H:i"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
# "16 ноября", not Django's "16 Ноябрь".
MONTH_DAY_FORMAT = "j E"
