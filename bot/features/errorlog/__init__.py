"""Error log: /errorlog add and show; every practice miss lands here by itself."""
