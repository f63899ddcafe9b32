"""Declarative base, naming convention and column helpers shared by all models."""

import enum
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


def link_key(name: str, target: str) -> sa.Column:
    """The far side of a link table: part of the key, indexed, gone with its row."""
    return sa.Column(
        name, sa.ForeignKey(target, ondelete="CASCADE"), primary_key=True, index=True
    )


def link_table(name: str, owner: str, target: str, other: sa.Column) -> sa.Table:
    """A table that links each row of ``target`` (the owner) to values or rows."""
    return sa.Table(
        name,
        Base.metadata,
        sa.Column(owner, sa.ForeignKey(target, ondelete="CASCADE"), primary_key=True),
        other,
    )


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


class UTCDateTime(sa.types.TypeDecorator):
    """A datetime stored as naive UTC and read back as aware UTC, on every backend."""

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


def enum_type(enum_cls: type[enum.Enum], name: str) -> sa.Enum:
    """A portable enum column: stores values, checked by a named CHECK constraint."""
    return sa.Enum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        validate_strings=True,
        length=max(len(m.value) for m in enum_cls),
        values_callable=lambda cls: [m.value for m in cls],
    )


class AppendOnly:
    """Marks a model whose rows are never changed nor deleted once written."""
