"""005: multiple-response answers to /quiz now (was 005_multiple_response.sql).

quiz_answers.choices holds the chosen letters ('ACE'); choice becomes NULL for such an answer.

Revision ID: 005
"""

import sqlalchemy as sa
from alembic import op

from bot.db.migrate import carry_over

revision = "005"
down_revision = "004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if carry_over(5):
        return
    op.alter_column("quiz_answers", "choice", nullable=True)
    op.add_column("quiz_answers", sa.Column("choices", sa.Text))
    op.create_check_constraint(
        "quiz_answers_choices_check", "quiz_answers", "choices <> '' AND choices ~ '^[A-E]+$'"
    )
