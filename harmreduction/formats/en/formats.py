# The date shapes our pages use, in English (US order). Templates name them
# (`|date:"DATE_FORMAT"`), never spell a shape, so each language keeps its own order.
DATE_FORMAT = "M j, Y"  # Dec 2, 2026
MONTH_DAY_FORMAT = "D M j"  # Wed Dec 2
SHORT_DATETIME_FORMAT = "D M j, H:i"  # Wed Dec 2, 14:05
DATETIME_FORMAT = "M j, Y, H:i"  # Dec 2, 2026, 14:05
SHORT_DATE_FORMAT = "m/d/Y"
TIME_FORMAT = "H:i"
