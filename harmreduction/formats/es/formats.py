# The date shapes our pages use, in Spanish (day before month, lower-case month: "b").
DATE_FORMAT = "j b Y"  # 2 dic 2026
MONTH_DAY_FORMAT = "D j b"  # mié 2 dic
SHORT_DATETIME_FORMAT = "D j b, H:i"  # mié 2 dic, 14:05
DATETIME_FORMAT = "j b Y, H:i"  # 2 dic 2026, 14:05
SHORT_DATE_FORMAT = "d/m/Y"
TIME_FORMAT = "H:i"
