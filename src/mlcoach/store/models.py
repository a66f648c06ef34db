"""The tables. Item ids are the bank's stable slugs; the bank itself is files, not rows."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from mlcoach.store.types import CleanString, CleanText, UTCDateTime

ITEM_ID = String(80)

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ItemState(Base):
    """What one user has done with one item: flags now, scheduling state later."""

    __tablename__ = "item_states"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    item_id: Mapped[str] = mapped_column(ITEM_ID, primary_key=True)
    starred: Mapped[bool] = mapped_column(Boolean, default=False)
    needs_revision: Mapped[bool] = mapped_column(Boolean, default=False)
    card: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)  # the FSRS card, once practised
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    introduced_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)  # first practised
    queued_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)  # put on the queue by hand (a gap)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ix_item_states_user_due", "user_id", "due_at"),)


class Note(Base):
    __tablename__ = "notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    item_id: Mapped[str | None] = mapped_column(ITEM_ID, nullable=True)  # None: a general note
    body: Mapped[str] = mapped_column(CleanText)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ix_notes_user_item", "user_id", "item_id"),)


class Profile(Base):
    """What the user is preparing for: step 1's input."""

    __tablename__ = "profiles"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(String(10))
    level: Mapped[str] = mapped_column(String(10))
    interview_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    hours_per_week: Mapped[float] = mapped_column(Float)
    desired_retention: Mapped[float] = mapped_column(Float, default=0.9)
    weights: Mapped[dict[str, float] | None] = mapped_column(JSON, nullable=True)  # overrides of the role weights
    fsrs_parameters: Mapped[list[float] | None] = mapped_column(JSON, nullable=True)  # from the optimiser, if run
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (
        CheckConstraint("hours_per_week > 0 AND hours_per_week <= 100", name="hours_range"),
        CheckConstraint("desired_retention >= 0.7 AND desired_retention <= 0.99", name="retention_range"),
    )


class Assessment(Base):
    """One diagnostic: the checks asked, the self-ratings, and the readiness it found."""

    __tablename__ = "assessments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(10))
    level: Mapped[str] = mapped_column(String(10))
    self_ratings: Mapped[dict[str, int]] = mapped_column(JSON)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    checks: Mapped[list["AssessmentCheck"]] = relationship(
        back_populates="assessment", cascade="all, delete-orphan", order_by="AssessmentCheck.position"
    )


class AssessmentCheck(Base):
    __tablename__ = "assessment_checks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    item_id: Mapped[str] = mapped_column(ITEM_ID)
    area: Mapped[str] = mapped_column(String(40))
    topic: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(10))  # quiz, recall
    response: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    score: Mapped[float | None] = mapped_column(Float, nullable=True)  # 0-1
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    assessment: Mapped[Assessment] = relationship(back_populates="checks")

    __table_args__ = (UniqueConstraint("assessment_id", "position"),)


class StudyPlan(Base):
    __tablename__ = "study_plans"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    interview_date: Mapped[date] = mapped_column(Date)
    hours_per_week: Mapped[float] = mapped_column(Float)
    days: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ReviewLog(Base):
    """Every practice rating, kept so the user's FSRS parameters can be optimised later."""

    __tablename__ = "review_logs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    item_id: Mapped[str] = mapped_column(ITEM_ID)
    card_id: Mapped[int] = mapped_column(BigInteger)
    rating: Mapped[int] = mapped_column(Integer)
    score: Mapped[float | None] = mapped_column(Float, nullable=True)  # the feedback engine's, when typed
    reviewed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    duration_ms: Mapped[int | None] = mapped_column(Integer, nullable=True)

    __table_args__ = (
        Index("ix_review_logs_user_reviewed", "user_id", "reviewed_at"),
        CheckConstraint("rating BETWEEN 1 AND 4", name="rating_range"),
    )


class Story(Base):
    """One of the user's own STAR stories, for behavioral questions."""

    __tablename__ = "stories"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(CleanString(200))
    situation: Mapped[str] = mapped_column(CleanText, default="")
    task: Mapped[str] = mapped_column(CleanText, default="")
    action: Mapped[str] = mapped_column(CleanText, default="")
    result: Mapped[str] = mapped_column(CleanText, default="")
    competencies: Mapped[list[str]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class MockSession(Base):
    """A mock interview round, solo or with a peer; its answers are attempts that point back here."""

    __tablename__ = "mock_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    round_type: Mapped[str] = mapped_column(String(40))
    mode: Mapped[str] = mapped_column(String(10))  # solo, peer
    plan: Mapped[dict[str, Any]] = mapped_column(JSON)
    position: Mapped[int] = mapped_column(Integer, default=0)  # the question being asked, from 0
    status: Mapped[str] = mapped_column(String(20), default="active")  # active, finished
    question_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    interviewer_token: Mapped[str | None] = mapped_column(String(64), nullable=True, unique=True)
    candidate_token: Mapped[str | None] = mapped_column(String(64), nullable=True, unique=True)
    scorecard: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)  # an interviewer's, in peer mode
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class Attempt(Base):
    """One answer to one item, in practice, a mock or the diagnostic."""

    __tablename__ = "attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    session_id: Mapped[int | None] = mapped_column(ForeignKey("mock_sessions.id", ondelete="CASCADE"), nullable=True, index=True)
    position: Mapped[int | None] = mapped_column(Integer, nullable=True)  # its place in the mock round
    follow_up: Mapped[str | None] = mapped_column(CleanText, nullable=True)  # the follow-up that was asked
    follow_up_answer: Mapped[str | None] = mapped_column(CleanText, nullable=True)
    item_id: Mapped[str] = mapped_column(ITEM_ID)
    mode: Mapped[str] = mapped_column(String(20))
    answer: Mapped[str] = mapped_column(CleanText, default="")
    score: Mapped[float | None] = mapped_column(Float, nullable=True)
    feedback: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    duration_seconds: Mapped[float | None] = mapped_column(Float, nullable=True)

    __table_args__ = (
        Index("ix_attempts_user_item", "user_id", "item_id"),
        CheckConstraint("score IS NULL OR (score >= 0 AND score <= 100)", name="score_range"),
    )


class InterviewLog(Base):
    """A real interview the user took, for step 4 (review and reflect)."""

    __tablename__ = "interview_logs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    company: Mapped[str] = mapped_column(CleanString(200))
    role: Mapped[str] = mapped_column(CleanString(200))
    round_type: Mapped[str] = mapped_column(String(40))
    interview_date: Mapped[date] = mapped_column(Date)
    outcome: Mapped[str | None] = mapped_column(String(40), nullable=True)
    self_rating: Mapped[int | None] = mapped_column(Integer, nullable=True)
    went_well: Mapped[str] = mapped_column(CleanText, default="")
    went_badly: Mapped[str] = mapped_column(CleanText, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    questions: Mapped[list["InterviewQuestion"]] = relationship(
        back_populates="log", cascade="all, delete-orphan", order_by="InterviewQuestion.position"
    )

    __table_args__ = (CheckConstraint("self_rating IS NULL OR (self_rating BETWEEN 1 AND 5)", name="self_rating_range"),)


class InterviewQuestion(Base):
    __tablename__ = "interview_questions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    log_id: Mapped[int] = mapped_column(ForeignKey("interview_logs.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(CleanText)
    item_id: Mapped[str | None] = mapped_column(ITEM_ID, nullable=True)  # the bank item that covers it
    area: Mapped[str | None] = mapped_column(String(40), nullable=True)  # for gaps: where it belongs
    status: Mapped[str] = mapped_column(String(20), default="unmatched")  # unmatched, covered, gap
    corrected: Mapped[bool] = mapped_column(Boolean, default=False)  # the user fixed the match by hand

    log: Mapped[InterviewLog] = relationship(back_populates="questions")

    __table_args__ = (UniqueConstraint("log_id", "position"),)
