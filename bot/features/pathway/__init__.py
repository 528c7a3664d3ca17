"""Pathway: /status and /gate, the member's five gates and what comes next."""
