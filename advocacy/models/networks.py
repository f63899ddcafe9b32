"""Member networks and the themes of advocacy."""

import enum
from datetime import datetime

import sqlalchemy as sa
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from advocacy.models.base import Base, UTCDateTime, enum_type, utcnow


class NetworkKind(enum.Enum):
    SECTOR = "sector"
    TERRITORIAL = "territorial"
    PTCE = "ptce"
    ENTERPRISE = "enterprise"

    @property
    def label(self):
        return KIND_LABELS[self]


class EssFamily(enum.Enum):
    COOPERATIVE = "cooperative"
    MUTUAL = "mutual"
    ASSOCIATION = "association"
    COMMERCIAL = "commercial"
    FOUNDATION = "foundation"
    EMPLOYERS = "employers"

    @property
    def label(self):
        return FAMILY_LABELS[self]


class Department(enum.Enum):
    LOIRE_ATLANTIQUE = "44"
    MAINE_ET_LOIRE = "49"
    MAYENNE = "53"
    SARTHE = "72"
    VENDEE = "85"
    REGION = "region"

    @property
    def label(self):
        return DEPARTMENT_LABELS[self]


KIND_LABELS = {
    NetworkKind.SECTOR: _l("Sector network"),
    NetworkKind.TERRITORIAL: _l("Territorial network"),
    NetworkKind.PTCE: _l("PTCE (territorial economic cooperation hub)"),
    NetworkKind.ENTERPRISE: _l("ESS enterprise"),
}
FAMILY_LABELS = {
    EssFamily.COOPERATIVE: _l("Cooperative"),
    EssFamily.MUTUAL: _l("Mutual"),
    EssFamily.ASSOCIATION: _l("Association"),
    EssFamily.COMMERCIAL: _l("ESS commercial company"),
    EssFamily.FOUNDATION: _l("Foundation or endowment fund"),
    EssFamily.EMPLOYERS: _l("ESS employers' union"),
}
DEPARTMENT_LABELS = {
    Department.LOIRE_ATLANTIQUE: _l("44 Loire-Atlantique"),
    Department.MAINE_ET_LOIRE: _l("49 Maine-et-Loire"),
    Department.MAYENNE: _l("53 Mayenne"),
    Department.SARTHE: _l("72 Sarthe"),
    Department.VENDEE: _l("85 Vendée"),
    Department.REGION: _l("Region-wide"),
}


class Network(Base):
    __tablename__ = "networks"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    kind: Mapped[NetworkKind] = mapped_column(
        enum_type(NetworkKind, "network_kind"), index=True
    )
    family: Mapped[EssFamily] = mapped_column(
        enum_type(EssFamily, "network_family"), index=True
    )
    department: Mapped[Department] = mapped_column(
        enum_type(Department, "network_department"), index=True
    )
    description: Mapped[str] = mapped_column(sa.Text, default="")
    website: Mapped[str] = mapped_column(sa.String(300), default="")
    is_active: Mapped[bool] = mapped_column(default=True, index=True)
    #: Marks the networks that ``flask seed-demo`` made up.
    is_demo: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow
    )

    memberships: Mapped[list["Membership"]] = relationship(  # noqa: F821
        back_populates="network", cascade="all, delete-orphan"
    )

    __table_args__ = (sa.Index("ix_networks_name", "name"),)

    def __repr__(self) -> str:
        return f"<Network {self.slug}>"


class Theme(Base):
    __tablename__ = "themes"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    name_fr: Mapped[str] = mapped_column(sa.String(120))
    name_en: Mapped[str] = mapped_column(sa.String(120))
    description_fr: Mapped[str] = mapped_column(sa.Text, default="")
    description_en: Mapped[str] = mapped_column(sa.Text, default="")
    is_active: Mapped[bool] = mapped_column(default=True)
    sort_order: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def name(self) -> str:
        """The theme's name in the language of the current request."""
        return self.name_en if str(get_locale()) == "en" else self.name_fr

    @property
    def description(self) -> str:
        return self.description_en if str(get_locale()) == "en" else self.description_fr

    def __repr__(self) -> str:
        return f"<Theme {self.slug}>"
