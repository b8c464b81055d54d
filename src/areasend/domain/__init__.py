"""Pure-Python domain logic: no Django imports here (framework schemas, calendar, timelines)."""
