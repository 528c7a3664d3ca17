"""Group: /group overview and /group digest, the organizer's view of the group in counts.

Who is "a member of this group" is defined in :mod:`bot.features.group.repo` (the bot has no member
list); the small-number rule is :mod:`bot.features.group.model`; the aggregates are
:mod:`bot.features.group.overview`; the weekly digest is an outbox client (:mod:`.digest`).
"""
