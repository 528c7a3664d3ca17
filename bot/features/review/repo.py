"""Review cards: one FSRS card per member and item. All SQL for them lives here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from bot.db import Database, utc_text
from bot.features.members.repo import ensure_member
from bot.features.review.model import CARD_SCHEMA, StoredCard, dump_card, load_card


class ReviewRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def apply(
        self, user_id: int, item: str, update: Callable[[StoredCard | None], StoredCard]
    ) -> StoredCard:
        """Read the member's card for ``item`` (None if new), apply ``update``, store it: one transaction,
        so two answers at once cannot lose one of the reviews."""
        async with self.db.transaction() as tx:
            result = await tx.execute(
                "SELECT card, card_schema, reviews, lapses FROM review_cards WHERE user_id = ? AND item = ?",
                (user_id, item),
            )
            row = result.one()
            stored = StoredCard(item, load_card(row[0], row[1]), row[2], row[3]) if row else None
            card = update(stored)
            if row is None:
                await ensure_member(tx, user_id, self.db.now_text())
            await tx.execute(
                "INSERT INTO review_cards (user_id, item, card, card_schema, due_at, reviews, lapses, "
                "last_review_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (user_id, item) DO UPDATE SET "
                "card = excluded.card, card_schema = excluded.card_schema, due_at = excluded.due_at, "
                "reviews = excluded.reviews, lapses = excluded.lapses, last_review_at = excluded.last_review_at",
                (
                    user_id,
                    item,
                    dump_card(card.card),
                    CARD_SCHEMA,
                    utc_text(card.card.due),
                    card.reviews,
                    card.lapses,
                    utc_text(card.card.last_review or card.card.due),
                ),
            )
        return card

    async def cards(self, user_id: int) -> list[StoredCard]:
        result = await self.db.query(
            "SELECT item, card, card_schema, reviews, lapses FROM review_cards WHERE user_id = ? ORDER BY item",
            (user_id,),
        )
        return [StoredCard(r[0], load_card(r[1], r[2]), r[3], r[4]) for r in result.all()]

    async def due_count(self, user_id: int, at: dt.datetime) -> int:
        result = await self.db.query(
            "SELECT count(*) FROM review_cards WHERE user_id = ? AND due_at <= ?", (user_id, utc_text(at))
        )
        return int(result.scalar() or 0)
