"""Who may do what: every rule of the platform, as yes/no functions of the user.

Views and templates call these; neither re-derives a rule. Gates that refuse a
whole page are decorators (``admin_required``, ``member_required``).
"""

from collections.abc import Callable
from functools import wraps

from flask import abort
from flask_login import current_user

from advocacy.extensions import login_manager
from advocacy.models import MembershipRole, Network, PositionState


def _signed_in(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def is_admin(user) -> bool:
    """Staff run the platform: networks, people, themes, moderation, audit log."""
    return _signed_in(user) and user.is_active and user.is_admin


def is_board(user) -> bool:
    """Board members validate statements."""
    return _signed_in(user) and user.is_active and user.is_board


def is_member(user) -> bool:
    """Members see the workspace: they represent a network, sit on the board, or are staff."""
    if not _signed_in(user) or not user.is_active:
        return False
    return user.is_admin or user.is_board or bool(user.memberships)


def represents(user, network: Network) -> bool:
    """The person speaks for this network."""
    return _signed_in(user) and any(
        m.network_id == network.id for m in user.memberships
    )


def can_view_network_members(user, network: Network) -> bool:
    """Representatives of a network and staff see who represents it."""
    return is_admin(user) or represents(user, network)


def can_invite_to(user, network: Network) -> bool:
    """Staff, and the network's coordinators, invite people into it."""
    if not network.is_active or not _signed_in(user):
        return False
    if is_admin(user):
        return True
    return any(
        m.network_id == network.id and m.role is MembershipRole.COORDINATOR
        for m in user.memberships
    )


def can_manage_invitation(user, invitation) -> bool:
    """Resend or revoke: staff, or a coordinator of the invitation's network."""
    return can_invite_to(user, invitation.network)


# --- Gates ---------------------------------------------------------------------


def _gate(rule: Callable[[object], bool]) -> Callable:
    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not _signed_in(current_user):
                return login_manager.unauthorized()
            if not rule(current_user):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def authorize(rule: Callable[..., bool], *objects, conflict=None) -> None:
    """Let the current person act, or stop the request with the right answer.

    403 if ``rule`` refuses them whatever the state of things; 409 (with the
    sentence ``conflict``) if they could, but not now (``check_state=False``).
    """
    if rule(current_user, *objects):
        return
    if rule(current_user, *objects, check_state=False):
        abort(409, description=str(conflict) if conflict else None)
    abort(403)


admin_required = _gate(is_admin)
member_required = _gate(is_member)

# --- Positions -----------------------------------------------------------------


def can_view_position(user, position) -> bool:
    """Members see every position; the public will see only published statements."""
    return is_member(user)


def can_create_position(user) -> bool:
    """Representatives (for one of their networks) and staff start positions."""
    return is_admin(user) or (is_member(user) and bool(user.memberships))


def can_send_up_again(user, position, check_state: bool = True) -> bool:
    """Staff send up again what the region adopted on a declination, once its
    board has approved it (after a link was resumed, say)."""
    if not is_admin(user):
        return False
    return not check_state or position.state in (
        PositionState.APPROVED,
        PositionState.PUBLISHED,
    )


def can_import_orientation(user) -> bool:
    """Staff and representatives import a national orientation as a regional
    position (led by one of their networks, or any for staff)."""
    return can_create_position(user)


def lead_choices(user) -> list[Network]:
    """The networks this person may choose as a position's lead."""
    if not _signed_in(user):
        return []
    return [m.network for m in user.memberships if m.network.is_active]


def _writes_for(user, position) -> bool:
    return _signed_in(user) and bool(
        {m.network_id for m in user.memberships} & position.author_network_ids
    )


def can_edit_position(user, position, check_state: bool = True) -> bool:
    """Co-author networks' representatives (and staff) edit the draft, and the
    consolidated text while adopted amendments are integrated."""
    if check_state and position.state not in (
        PositionState.DRAFT,
        PositionState.CONSOLIDATION,
    ):
        return False
    return is_admin(user) or (is_member(user) and _writes_for(user, position))


def _leads(user, position) -> bool:
    return is_member(user) and any(
        m.network_id == position.lead_network_id for m in user.memberships
    )


def can_manage_coauthors(user, position, check_state: bool = True) -> bool:
    """The lead network's representatives (and staff) invite or remove co-authors."""
    if check_state and position.state is not PositionState.DRAFT:
        return False
    return is_admin(user) or _leads(user, position)


def can_withdraw_position(user, position, check_state: bool = True) -> bool:
    """The lead (and staff) may withdraw a position before it is published."""
    if check_state and not position.state.is_open:
        return False
    return is_admin(user) or _leads(user, position)


def writing_networks(user, position) -> list[Network]:
    """The author networks this person can speak for on this position."""
    if not _signed_in(user):
        return []
    ids = position.author_network_ids
    return [m.network for m in user.memberships if m.network_id in ids]


# --- Consultation and comments ----------------------------------------------------


def can_open_consultation(user, position, check_state: bool = True) -> bool:
    """The lead (and staff) open the consultation on a draft."""
    if check_state and position.state is not PositionState.DRAFT:
        return False
    return is_admin(user) or _leads(user, position)


def can_manage_consultation(user, position, check_state: bool = True) -> bool:
    """Staff extend or close early an open consultation."""
    if check_state and position.state is not PositionState.CONSULTATION:
        return False
    return is_admin(user)


def can_comment(user, position, check_state: bool = True) -> bool:
    """Every member comments while the consultation or the vote is open."""
    return is_member(user) and (not check_state or position.discussion_is_open())


def can_reply(user, comment, position, check_state: bool = True) -> bool:
    """Members answer a comment (not a reply) that is still shown, while comments
    are open."""
    if not can_comment(user, position, check_state=check_state):
        return False
    return comment.parent_id is None and (
        not check_state or (comment.deleted_at is None and comment.hidden_at is None)
    )


def can_edit_comment(user, comment, position, check_state: bool = True) -> bool:
    """Authors reword their comments while comments are open."""
    if not (_signed_in(user) and comment.author_id == user.id):
        return False
    return not check_state or (
        comment.deleted_at is None
        and comment.hidden_at is None
        and position.discussion_is_open()
    )


def can_delete_comment(user, comment, check_state: bool = True) -> bool:
    """Authors may delete their comments (the replies stay)."""
    if not (_signed_in(user) and comment.author_id == user.id):
        return False
    return not check_state or comment.deleted_at is None


def can_report_comment(user, comment) -> bool:
    """Anyone signed in may report someone else's comment."""
    return (
        is_member(user)
        and comment.author_id != user.id
        and comment.deleted_at is None
        and comment.hidden_at is None
    )


def can_see_comment(user, comment) -> bool:
    """Hidden comments are gone for members and visible to staff."""
    return comment.hidden_at is None or is_admin(user)


def speaking_networks(user) -> list[Network]:
    """The networks a person may speak for in a comment."""
    if not _signed_in(user):
        return []
    return [m.network for m in user.memberships]


# --- Amendments ---------------------------------------------------------------------


def can_file_amendment(user, position, check_state: bool = True) -> bool:
    """Representatives file amendments for one of their networks during the consultation."""
    return (
        is_member(user)
        and bool(user.memberships)
        and (not check_state or position.consultation_is_open())
    )


def can_attach_contribution(user, position, check_state: bool = True) -> bool:
    """Staff and the lead attach the regions' contributions to a position (and
    take them off) while its consultation is open."""
    if not (is_admin(user) or _leads(user, position)):
        return False
    return not check_state or position.consultation_is_open()


def can_file_for_region(user, position, check_state: bool = True) -> bool:
    """The lead files an attached contribution's section as an amendment in the
    region's name, for one of its networks, while the consultation is open."""
    return _leads(user, position) and can_file_amendment(user, position, check_state)


def can_support_amendment(user, amendment, position, check_state: bool = True) -> bool:
    """Another network's representative may back an amendment during the consultation."""
    from advocacy.models import AmendmentStatus

    if not (
        is_member(user)
        and any(m.network_id != amendment.network_id for m in user.memberships)
    ):
        return False
    return not check_state or (
        position.consultation_is_open()
        and amendment.status in (AmendmentStatus.FILED, AmendmentStatus.TO_VOTE)
    )


def can_edit_amendment(user, amendment, position, check_state: bool = True) -> bool:
    """A representative of the filing network rewords it until the vote opens, unless
    it was declined or withdrawn (each wording is kept)."""
    from advocacy.models import AmendmentStatus

    if not (_signed_in(user) and represents_id(user, amendment.network_id)):
        return False
    return not check_state or (
        position.state is PositionState.CONSULTATION
        and amendment.status in (AmendmentStatus.FILED, AmendmentStatus.TO_VOTE)
    )


def can_export_ballots(user, position, check_state: bool = True) -> bool:
    """Staff and the board download which network voted what, once no vote of
    the position is open."""
    return (is_admin(user) or is_board(user)) and (
        not check_state
        or not (position.state is PositionState.VOTE and position.vote_is_open())
    )


def can_withdraw_amendment(user, amendment, position, check_state: bool = True) -> bool:
    """The author, or a representative of its network, until the vote opens."""
    from advocacy.models import AmendmentStatus

    if not (
        _signed_in(user)
        and (
            amendment.author_id == user.id or represents_id(user, amendment.network_id)
        )
    ):
        return False
    return not check_state or (
        position.state is PositionState.CONSULTATION
        and amendment.status
        in (AmendmentStatus.FILED, AmendmentStatus.TO_VOTE, AmendmentStatus.DECLINED)
    )


def can_decide_amendment(user, position, check_state: bool = True) -> bool:
    """The lead (and staff) decide on amendments before the vote opens."""
    if check_state and position.state is not PositionState.CONSULTATION:
        return False
    return is_admin(user) or _leads(user, position)


def represents_id(user, network_id: int) -> bool:
    return _signed_in(user) and any(
        m.network_id == network_id for m in user.memberships
    )


# --- Vote and consolidation ----------------------------------------------------------


def can_steer_position(user, position) -> bool:
    """The lead network's representatives and staff steer a position through its steps."""
    return is_admin(user) or _leads(user, position)


def can_open_vote(user, position, check_state: bool = True) -> bool:
    """The lead (and staff) open the vote once the consultation has closed."""
    if not (is_admin(user) or _leads(user, position)):
        return False
    return not check_state or (
        position.state is PositionState.CONSULTATION
        and not position.consultation_is_open()
    )


def voting_networks(user, position) -> list[Network]:
    """The networks this person may cast a ballot for (while the vote is open)."""
    if not (is_member(user) and position.vote_is_open()):
        return []
    return [m.network for m in user.memberships]


def can_consolidate(user, position, check_state: bool = True) -> bool:
    """The lead (and staff) write the adopted amendments into the text."""
    if check_state and position.state is not PositionState.CONSOLIDATION:
        return False
    return is_admin(user) or _leads(user, position)


# --- Board review ----------------------------------------------------------------------


def can_submit_to_board(user, position, check_state: bool = True) -> bool:
    """The lead (and staff) send the consolidated text to the board."""
    if check_state and position.state is not PositionState.CONSOLIDATION:
        return False
    return can_steer_position(user, position)


def can_decide_on_board(user, position, check_state: bool = True) -> bool:
    """Board members record their decision while the position is under review."""
    if check_state and position.state is not PositionState.BOARD_REVIEW:
        return False
    return is_board(user)


board_required = _gate(is_board)


# --- Statements -------------------------------------------------------------------------


def can_read_notification(user, notification) -> bool:
    """A person reads what they are told: their own notifications, and the
    broadcasts to every member made since they have an account, but their own acts."""
    if not _signed_in(user):
        return False
    if notification.user_id is not None:
        return notification.user_id == user.id
    return (
        user.is_active
        and notification.created_at >= user.created_at
        and notification.actor_id != user.id
        and any(m.network.is_active for m in user.memberships)
    )


def is_publisher(user) -> bool:
    """Staff and board members release validated statements."""
    return is_admin(user) or is_board(user)


publisher_required = _gate(is_publisher)


def can_publish(user, position, check_state: bool = True) -> bool:
    """Staff or a board member publish an approved position."""
    if check_state and position.state is not PositionState.APPROVED:
        return False
    return is_publisher(user)


def can_revise_statement(user, position, check_state: bool = True) -> bool:
    """The lead (and staff) start a new version of a published statement."""
    if check_state and position.state is not PositionState.PUBLISHED:
        return False
    return can_steer_position(user, position)


def signing_networks(user) -> list[Network]:
    """The networks a person may co-sign for."""
    if not is_member(user):
        return []
    return [m.network for m in user.memberships if m.network.is_active]


#: Every rule, exposed to templates as globals (``can_…``, ``is_…``, ``represents``).
TEMPLATE_RULES = {
    name: rule
    for name, rule in list(globals().items())
    if callable(rule) and (name.startswith(("can_", "is_")) or name == "represents")
}
