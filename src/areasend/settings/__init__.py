"""Settings: `base` holds everything, `test` and `production` make small overrides."""
