"""The pandas computation of each DatetimeParts field."""

PANDAS_PART = {
    "year": lambda dt: dt.year,
    "quarter": lambda dt: dt.quarter,
    "month": lambda dt: dt.month,
    "day": lambda dt: dt.day,
    "dayofweek": lambda dt: dt.day_of_week,
    "dayofyear": lambda dt: dt.day_of_year,
    "hour": lambda dt: dt.hour,
    "minute": lambda dt: dt.minute,
    "second": lambda dt: dt.second,
    "is_weekend": lambda dt: (dt.day_of_week >= 5).where(dt.day_of_week.notna()),
}
