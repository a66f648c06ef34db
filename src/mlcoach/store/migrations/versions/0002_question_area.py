"""Interview questions remember their area, so gaps can be counted by area.

Revision ID: 0002
Revises: 0001
"""

from alembic import op
import sqlalchemy as sa

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("interview_questions") as batch:
        batch.add_column(sa.Column("area", sa.String(length=40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("interview_questions") as batch:
        batch.drop_column("area")
