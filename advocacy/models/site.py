"""What the whole site shares: the generation of its public content."""

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from advocacy.models.base import Base


class SiteState(Base):
    """One row. ``generation`` grows with every transaction that writes anything.

    Public pages cached for anonymous readers (:mod:`advocacy.cache`) are kept
    under the generation they were made at, and served only while it stands.
    """

    __tablename__ = "site_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    generation: Mapped[int] = mapped_column(sa.BigInteger, default=0)


@sa.event.listens_for(SiteState.__table__, "after_create")
def _first_row(target, connection, **kw):
    connection.execute(target.insert().values(id=1, generation=0))
