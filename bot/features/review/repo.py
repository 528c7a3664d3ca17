"""Review cards: one FSRS card per member and item. All SQL for them lives here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import sqlalchemy as sa

from bot.db import Database, utc_text
from bot.db.tables import insert, review_cards
from bot.features.members.repo import ensure_member
from bot.features.review.model import CARD_SCHEMA, StoredCard, dump_card, load_card

c = review_cards.c


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
                sa.select(c.card, c.card_schema, c.reviews, c.lapses)
                .where(c.user_id == user_id, c.item == item)
                .with_for_update()  # PostgreSQL: a second answer at once waits for this one
            )
            row = result.one()
            stored = StoredCard(item, load_card(row[0], row[1]), row[2], row[3]) if row else None
            card = update(stored)
            if row is None:
                await ensure_member(tx, user_id, self.db.now_text())
            values = dict(
                card=dump_card(card.card),
                card_schema=CARD_SCHEMA,
                due_at=utc_text(card.card.due),
                reviews=card.reviews,
                lapses=card.lapses,
                last_review_at=utc_text(card.card.last_review or card.card.due),
            )
            await tx.execute(
                insert(review_cards, tx.dialect)
                .values(user_id=user_id, item=item, **values)
                .on_conflict_do_update(index_elements=[c.user_id, c.item], set_=values)
            )
        return card

    async def cards(self, user_id: int) -> list[StoredCard]:
        result = await self.db.query(
            sa.select(c.item, c.card, c.card_schema, c.reviews, c.lapses)
            .where(c.user_id == user_id)
            .order_by(c.item)
        )
        return [StoredCard(r[0], load_card(r[1], r[2]), r[3], r[4]) for r in result.all()]

    async def due_count(self, user_id: int, at: dt.datetime) -> int:
        result = await self.db.query(
            sa.select(sa.func.count()).where(c.user_id == user_id, c.due_at <= utc_text(at))
        )
        return int(result.scalar() or 0)
