"""Co-writing positions: creation, revisions with three-way merge, co-authors, withdrawal."""

import logging
from dataclasses import dataclass, field

import merge3
import sqlalchemy as sa
from flask_babel import gettext as _

from advocacy.extensions import db
from advocacy.markup import render_sections
from advocacy.models import (
    Arena,
    CoAuthor,
    LiveDocument,
    Network,
    Position,
    PositionArena,
    PositionState,
    Revision,
    RevisionContributor,
    RevisionSource,
    Theme,
    User,
    utcnow,
)
from advocacy.sections import Section, sections_of
from advocacy.services import ServiceError, live
from advocacy.services.audit import record_event
from advocacy.services.lifecycle import (
    WRITING,
    begin,
    lock_position,
    require_state,
    transition,
)

logger = logging.getLogger(__name__)

TEXT_FIELDS = ("title", "summary", "body")
#: The longest title, summary and text (the forms and the live editor hold to them).
TITLE_MAX, SUMMARY_MAX, BODY_MAX = 200, 1000, 200_000
#: The text is written while drafting, and again while integrating adopted amendments.
EDITABLE = WRITING
CONFLICT_START, CONFLICT_MIDDLE, CONFLICT_END = "<<<<<<<", "=======", ">>>>>>>"


# --- Three-way merge -------------------------------------------------------------


@dataclass
class FieldMerge:
    """The outcome of merging one field: its text, and the conflicting regions.

    ``parts`` is the merge in order: agreed text (a string), and for each
    conflict the two wordings as ``(saved, mine)`` lines; a person resolves
    them by choosing (``resolve``), never by editing markers.
    """

    text: str
    conflicts: list[tuple[str, str]] = field(default_factory=list)  # (saved, mine)
    parts: list = field(default_factory=list)

    @property
    def conflicted(self) -> bool:
        return bool(self.conflicts)


def _lines(text: str) -> list[str]:
    return [line + "\n" for line in (text or "").replace("\r\n", "\n").split("\n")]


def merge_field(
    base: str, saved: str, mine: str, *, saved_label: str, mine_label: str
) -> FieldMerge:
    """Merge my change and the saved one, both made from ``base``."""
    if mine == saved or mine == base:
        return FieldMerge(saved, parts=[saved])
    if saved == base:
        return FieldMerge(mine, parts=[mine])
    out: list[str] = []
    conflicts: list[tuple[str, str]] = []
    parts: list = []
    merger = merge3.Merge3(_lines(base), _lines(saved), _lines(mine))
    for group in merger.merge_groups():
        kind = group[0]
        if kind == "conflict":
            _base, saved_part, mine_part = group[1], group[2], group[3]
            conflicts.append(
                ("".join(saved_part).rstrip("\n"), "".join(mine_part).rstrip("\n"))
            )
            parts.append(("".join(saved_part), "".join(mine_part)))
            out.append(f"{CONFLICT_START} {saved_label}\n")
            out.extend(saved_part)
            out.append(f"{CONFLICT_MIDDLE}\n")
            out.extend(mine_part)
            out.append(f"{CONFLICT_END} {mine_label}\n")
        else:
            out.extend(group[1])
            parts.append("".join(group[1]))
    text = "".join(out)
    return FieldMerge(text[:-1] if text.endswith("\n") else text, conflicts, parts)


def merges_of(
    base: Revision, current: Revision, mine: dict[str, str]
) -> dict[str, FieldMerge]:
    """Each text field of my edit (made from ``base``) merged with ``current``."""
    saved_label = _("Saved version %(number)d", number=current.number)
    mine_label = _("Your version")
    return {
        f: merge_field(
            getattr(base, f),
            getattr(current, f),
            _clean(mine[f]),
            saved_label=saved_label,
            mine_label=mine_label,
        )
        for f in TEXT_FIELDS
    }


#: How a person settles one conflicting passage.
CHOICES = ("mine", "theirs", "both", "edit")


def resolve(merge: FieldMerge, picks: list[tuple[str, str]]) -> str:
    """The merged text with each conflict settled: ``(choice, edited text)`` each.

    "theirs" keeps the saved wording, "mine" mine, "both" the saved one then
    mine, and "edit" the text the person wrote for that passage.
    """
    if len(picks) != len(merge.conflicts):
        raise ValueError("one choice per conflict")
    out: list[str] = []
    choices = iter(picks)
    for part in merge.parts:
        if isinstance(part, str):
            out.append(part)
            continue
        saved, mine = part
        choice, edited = next(choices)
        if choice == "theirs":
            out.append(saved)
        elif choice == "mine":
            out.append(mine)
        elif choice == "both":
            out.append(saved + mine)
        else:
            edited = _clean(edited).strip("\n")
            out.append(edited + "\n" if edited else "")
    text = "".join(out)
    return text[:-1] if text.endswith("\n") else text


def has_conflict_markers(text: str) -> bool:
    lines = (text or "").split("\n")
    return any(line.startswith(CONFLICT_START + " ") for line in lines) and any(
        line.startswith(CONFLICT_END + " ") for line in lines
    )


class EditConflict(Exception):
    """My save and a concurrent one changed the same lines: nothing was saved."""

    def __init__(
        self,
        current: Revision,
        merges: dict[str, FieldMerge],
        mine: dict[str, str],
        base: Revision,
    ):
        super().__init__("edit conflict")
        self.current = current
        self.merges = merges
        self.mine = mine
        self.base = base


@dataclass
class SaveResult:
    revision: Revision | None
    #: Names of the people whose concurrent changes were merged into mine.
    merged_with: list[str] = field(default_factory=list)

    @property
    def unchanged(self) -> bool:
        return self.revision is None


# --- Helpers ---------------------------------------------------------------------


def audit_position(position: Position, action: str, by: User | None, **payload) -> None:
    record_event(
        f"position.{action}",
        by=by,
        object_type="position",
        object_id=position.id,
        **payload,
    )


def _sections_json(
    sections: list[Section], previous: Revision | None, amendment=None
) -> list[dict]:
    """Sections with their provenance: the amendment (and network) that last wrote each.

    An unchanged section keeps its provenance; a section changed by an amendment takes
    that amendment's; a section changed by the co-authors' drafting has none.
    """
    before = {s["id"]: s for s in (previous.sections if previous else [])}
    out = []
    for section in sections:
        entry = {"id": section.id, "text": section.text}
        old = before.get(section.id)
        if old is not None and old["text"] == section.text:
            provenance = {k: old[k] for k in ("amendment", "network") if k in old}
        elif amendment is not None:
            provenance = {
                "amendment": amendment.number,
                "network": amendment.network_id,
            }
        else:
            provenance = {}
        out.append(entry | provenance)
    return out


def _previous_sections(revision: Revision | None) -> list[Section]:
    if revision is None:
        return []
    return [Section(id=s["id"], text=s["text"]) for s in revision.sections]


def new_revision(
    position: Position,
    *,
    title: str,
    summary: str,
    body: str,
    by: User | None,
    network: Network | None,
    message: str,
    source: RevisionSource,
    base: Revision | None,
    restored_number: int | None = None,
    amendment=None,
    live_text: bool = False,
    previous: list[Section] | None = None,
) -> Revision:
    current = position.current_revision
    sections = sections_of(
        body, previous if previous is not None else _previous_sections(current)
    )
    number = (
        db.session.scalar(
            sa.select(sa.func.max(Revision.number)).where(
                Revision.position_id == position.id
            )
        )
        or 0
    ) + 1
    revision = Revision(
        position_id=position.id,
        number=number,
        title=title,
        summary=summary,
        body=body,
        body_html=str(render_sections([(s.id, s.text) for s in sections])),
        sections=_sections_json(sections, current, amendment),
        author_id=by.id if by else None,
        network_id=network.id if network else None,
        message=message,
        base_revision_id=base.id if base else None,
        source=source,
        restored_number=restored_number,
        amendment_id=amendment.id if amendment else None,
    )
    db.session.add(revision)
    db.session.flush()
    position.current_revision = revision
    position.current_revision_id = revision.id
    position.title, position.summary = title, summary
    position.updated_at = utcnow()
    db.session.flush()
    if not live_text:
        live.follow_revision(position, revision)
    return revision


def _clean(value: str) -> str:
    return (value or "").replace("\r\n", "\n")


# --- Creating and editing ----------------------------------------------------------


def create_position(
    *,
    title: str,
    summary: str,
    body: str,
    lead: Network,
    themes: list[Theme],
    arenas: list[Arena],
    by: User,
    message: str = "",
    sections: list[Section] | None = None,
) -> Position:
    """Start a position, led by one of my networks, with its first revision;
    ``sections`` (another installation's) give its sections their ids."""
    if not lead.is_active:
        raise ServiceError(
            _("This network is deactivated: it cannot lead a position."), status=400
        )
    position = Position(
        title=title,
        summary=_clean(summary),
        lead_network=lead,
        created_by_id=by.id,
        state=PositionState.DRAFT,
    )
    position.themes = list(themes)
    position.arena_rows = [PositionArena(arena=a) for a in dict.fromkeys(arenas)]
    db.session.add(position)
    db.session.flush()
    new_revision(
        position,
        title=title,
        summary=_clean(summary),
        body=_clean(body),
        by=by,
        network=lead,
        message=message,
        source=RevisionSource.CREATE,
        base=None,
        previous=sections,
    )
    audit_position(
        position,
        "create",
        by,
        title=title,
        lead_network_id=lead.id,
    )
    logger.info("Position %s created by %s", position.id, by.id)
    return position


def save_revision(
    position: Position,
    *,
    title: str,
    summary: str,
    body: str,
    message: str,
    base: Revision,
    network: Network | None,
    by: User,
) -> SaveResult:
    """Save my edit; merged with any save made since my base, or refused on a conflict."""
    lock_position(position)
    require_state(position, *EDITABLE)
    if base.position_id != position.id:
        raise ServiceError(
            _("This version does not belong to this position."), status=400
        )
    # what was typed live since the last version is kept first, then merged with this
    cut_live_revision(
        position, by=None, network=None, message=_("Live text saved before a save")
    )
    mine = {"title": title, "summary": _clean(summary), "body": _clean(body)}
    if any(has_conflict_markers(mine[f]) for f in TEXT_FIELDS):
        raise ServiceError(
            _(
                "The text still contains conflict markers (<<<<<<<, =======, >>>>>>>):"
                " keep the wording you want and remove the markers."
            ),
            status=400,
        )
    current = position.current_revision
    merged_with: list[str] = []
    source = RevisionSource.EDIT
    if current.id != base.id:
        newer = db.session.scalars(
            sa.select(Revision)
            .where(Revision.position_id == position.id, Revision.number > base.number)
            .order_by(Revision.number)
        ).all()
        merges = merges_of(base, current, mine)
        if any(m.conflicted for m in merges.values()):
            raise EditConflict(current, merges, mine, base)
        mine = {f: merges[f].text for f in TEXT_FIELDS}
        merged_with = sorted(
            {r.author.display_name for r in newer if r.author} - {by.display_name}
        )
        source = RevisionSource.MERGE
    if all(mine[f] == getattr(current, f) for f in TEXT_FIELDS):
        return SaveResult(None)
    revision = new_revision(
        position,
        **mine,
        by=by,
        network=network,
        message=message,
        source=source,
        base=base,
    )
    audit_position(
        position,
        "edit",
        by,
        revision=revision.number,
        base=base.number,
        source=source,
    )
    return SaveResult(revision, merged_with)


def restore_revision(
    position: Position, revision: Revision, *, by: User, network: Network | None
) -> Revision:
    """Bring an old revision back, as a new revision."""
    lock_position(position)
    require_state(position, PositionState.DRAFT)
    if revision.position_id != position.id:
        raise ServiceError(
            _("This version does not belong to this position."), status=404
        )
    cut_live_revision(
        position, by=None, network=None, message=_("Live text saved before a save")
    )
    current = position.current_revision
    if revision.id == current.id:
        raise ServiceError(_("This is already the current version."), status=409)
    restored = new_revision(
        position,
        title=revision.title,
        summary=revision.summary,
        body=revision.body,
        by=by,
        network=network,
        message=_("Version %(number)d restored", number=revision.number),
        source=RevisionSource.RESTORE,
        base=current,
        restored_number=revision.number,
    )
    audit_position(
        position,
        "restore",
        by,
        revision=restored.number,
        restored=revision.number,
    )
    return restored


def keep_live_text(position: Position) -> None:
    """Before a step that ends the writing (``lifecycle.ends_writing``): what was
    typed live since the last version becomes a version."""
    if position.state in EDITABLE:
        cut_live_revision(
            position,
            by=None,
            network=None,
            message=_("Live text saved as the writing closed"),
        )


def _check_lengths(texts: dict[str, str]) -> None:
    """Refuse a live text longer than the forms allow (nothing is cut off)."""
    for name, limit, message in (
        ("title", TITLE_MAX, _("A title has at most 200 characters.")),
        ("summary", SUMMARY_MAX, _("A summary has at most 1,000 characters.")),
        ("body", BODY_MAX, _("The text has at most 200,000 characters.")),
    ):
        if len(texts[name]) > limit:
            raise ServiceError(message, status=400)


def cut_live_revision(
    position: Position,
    *,
    by: User | None,
    network: Network | None,
    message: str,
) -> Revision | None:
    """Make a revision of the live text, crediting everyone who typed since the
    last one; none when the live text is the current revision's."""
    lock_position(position)
    require_state(position, *EDITABLE)
    document = db.session.get(LiveDocument, position.id)
    if document is None:
        return None
    text = live.read(position.id)
    typed = live.contributors(
        position.id, document.cut_update_id or 0, text.last_update_id
    )
    document.cut_update_id = text.last_update_id
    live.compact(position.id, text.last_update_id)
    current = position.current_revision
    mine = {f: _clean(text.texts[f]) for f in TEXT_FIELDS}
    mine["title"] = " ".join(mine["title"].split())
    _check_lengths(mine)
    # a position always has a title: an emptied one keeps the last saved
    mine["title"] = mine["title"] or current.title
    if all(mine[f] == getattr(current, f) for f in TEXT_FIELDS):
        return None
    revision = new_revision(
        position,
        **mine,
        by=by,
        network=network,
        message=message,
        source=RevisionSource.EDIT,
        base=current,
        live_text=True,
    )
    people = [(by.id, network.id if network else None)] if by else []
    for pair in typed:
        if pair not in people:
            people.append(pair)
    db.session.add_all(
        RevisionContributor(revision_id=revision.id, user_id=u, network_id=n)
        for u, n in people
    )
    audit_position(
        position,
        "edit",
        by,
        revision=revision.number,
        base=current.number,
        source=RevisionSource.EDIT,
        live=True,
        contributors=[u for u, _n in people],
    )
    return revision


# --- Co-authors, details, withdrawal --------------------------------------------------


def add_coauthor(position: Position, network: Network, *, by: User) -> CoAuthor:
    """Invite a network to co-write the position."""
    lock_position(position)
    require_state(position, PositionState.DRAFT)
    if network.id == position.lead_network_id:
        raise ServiceError(
            _("%(network)s already leads this position.", network=network.name),
            status=409,
        )
    if any(c.network_id == network.id for c in position.coauthors):
        raise ServiceError(
            _("%(network)s already co-writes this position.", network=network.name),
            status=409,
        )
    if not network.is_active:
        raise ServiceError(_("This network is deactivated."), status=400)
    coauthor = CoAuthor(position_id=position.id, network=network, invited_by_id=by.id)
    position.coauthors.append(coauthor)
    position.updated_at = utcnow()
    db.session.flush()
    audit_position(
        position,
        "coauthor_add",
        by,
        network_id=network.id,
    )
    return coauthor


def remove_coauthor(position: Position, network: Network, *, by: User) -> None:
    """Stop a network co-writing the position (its past revisions stay)."""
    lock_position(position)
    require_state(position, PositionState.DRAFT)
    if network.id == position.lead_network_id:
        raise ServiceError(
            _("The lead network cannot be removed from its own position."), status=409
        )
    row = next((c for c in position.coauthors if c.network_id == network.id), None)
    if row is None:
        raise ServiceError(
            _("%(network)s does not co-write this position.", network=network.name),
            status=404,
        )
    position.coauthors.remove(row)
    position.updated_at = utcnow()
    db.session.flush()
    audit_position(
        position,
        "coauthor_remove",
        by,
        network_id=network.id,
    )


def update_details(
    position: Position, *, themes: list[Theme], arenas: list[Arena], by: User
) -> None:
    """Change the themes and arenas of a position."""
    lock_position(position)
    require_state(position, PositionState.DRAFT)
    before = ([t.slug for t in position.themes], [a.value for a in position.arenas])
    position.themes = list(themes)
    wanted = list(dict.fromkeys(arenas))
    position.arena_rows = [r for r in position.arena_rows if r.arena in wanted] + [
        PositionArena(arena=a) for a in wanted if a not in position.arenas
    ]
    db.session.flush()
    after = ([t.slug for t in position.themes], [a.value for a in position.arenas])
    if after != before:
        position.updated_at = utcnow()
        audit_position(
            position,
            "details",
            by,
            themes=[before[0], after[0]],
            arenas=[before[1], after[1]],
        )


def withdraw_position(position: Position, *, reason: str, by: User) -> None:
    """Withdraw a position that is not published, with a reason."""
    begin(position, "withdraw")
    keep_live_text(position)
    position.withdrawn_reason = reason
    transition(position, "withdraw", by=by, reason=reason)
