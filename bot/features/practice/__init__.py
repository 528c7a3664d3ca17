"""Practice: drills for each error bucket, timed blocks at exam pace, and the sessions behind them."""
