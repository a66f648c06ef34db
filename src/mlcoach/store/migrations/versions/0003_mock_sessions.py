"""Mock interview sessions; attempts remember their session, place and follow-up.

Revision ID: 0003
Revises: 0002
"""

from alembic import op
import sqlalchemy as sa

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "mock_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("round_type", sa.String(length=40), nullable=False),
        sa.Column("mode", sa.String(length=10), nullable=False),
        sa.Column("plan", sa.JSON(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("question_started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("interviewer_token", sa.String(length=64), nullable=True),
        sa.Column("candidate_token", sa.String(length=64), nullable=True),
        sa.Column("scorecard", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_mock_sessions_user_id_users"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mock_sessions")),
        sa.UniqueConstraint("interviewer_token", name=op.f("uq_mock_sessions_interviewer_token")),
        sa.UniqueConstraint("candidate_token", name=op.f("uq_mock_sessions_candidate_token")),
    )
    op.create_index("ix_mock_sessions_user_id", "mock_sessions", ["user_id"])
    with op.batch_alter_table("attempts") as batch:
        batch.add_column(sa.Column("session_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("position", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("follow_up", sa.Text(), nullable=True))
        batch.add_column(sa.Column("follow_up_answer", sa.Text(), nullable=True))
        batch.create_foreign_key("fk_attempts_session_id_mock_sessions", "mock_sessions", ["session_id"], ["id"], ondelete="CASCADE")
        batch.create_index("ix_attempts_session_id", ["session_id"])


def downgrade() -> None:
    with op.batch_alter_table("attempts") as batch:
        batch.drop_index("ix_attempts_session_id")
        batch.drop_constraint("fk_attempts_session_id_mock_sessions", type_="foreignkey")
        for column in ("follow_up_answer", "follow_up", "position", "session_id"):
            batch.drop_column(column)
    op.drop_index("ix_mock_sessions_user_id", table_name="mock_sessions")
    op.drop_table("mock_sessions")
