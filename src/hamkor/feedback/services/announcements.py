"""News posts: writing and publishing, customers' comments and reactions, staff answers."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hamkor.accounts.models import User
from hamkor.contacts.models import Contact
from hamkor.core.audit import record_event
from hamkor.feedback.models import (
    Announcement,
    AnnouncementStatus,
    Comment,
    CommentReply,
    Reaction,
    ReactionKind,
)
from hamkor.feedback.services.common import public_link, require_manager, tell_customer
from hamkor.messaging.models import Kind


@transaction.atomic
def save_announcement(
    *,
    actor: User,
    title: str,
    body: str,
    language: str = "",
    status: str = AnnouncementStatus.DRAFT,
    announcement: Announcement | None = None,
) -> Announcement:
    """Create or edit a post; publishing stamps ``published_at`` the first time."""
    require_manager(actor)
    creating = announcement is None
    post = announcement or Announcement(created_by=actor)
    post.title, post.body, post.language = title.strip(), body.strip(), language
    post.status = status
    if status == AnnouncementStatus.PUBLISHED and post.published_at is None:
        post.published_at = timezone.now()
    post.full_clean()
    post.save()
    record_event(
        actor=actor,
        verb="announcement.created" if creating else "announcement.updated",
        target=post,
        data={"status": post.status, "language": post.language},
    )
    return post


def _require_open(announcement: Announcement) -> None:
    if announcement.status != AnnouncementStatus.PUBLISHED:
        # A customer only reaches published posts; anything else does not exist for them.
        raise Announcement.DoesNotExist


@transaction.atomic
def toggle_reaction(*, announcement: Announcement, contact: Contact, kind: str) -> bool:
    """Add the customer's reaction of this kind, or take it back; True when it is now on."""
    _require_open(announcement)
    if kind not in ReactionKind.values:
        raise ValidationError({"kind": _("Choose one of the offered reactions.")})
    deleted, _rows = Reaction.objects.filter(
        announcement=announcement, contact=contact, kind=kind
    ).delete()
    if deleted:
        return False
    try:
        with transaction.atomic():
            Reaction.objects.create(announcement=announcement, contact=contact, kind=kind)
    except IntegrityError:
        # A double click raced us to it: the reaction is on, once.
        pass
    return True


@transaction.atomic
def add_comment(*, announcement: Announcement, contact: Contact, body: str) -> Comment:
    """A customer's comment under a published post."""
    _require_open(announcement)
    comment = Comment(announcement=announcement, contact=contact, body=body.strip())
    comment.full_clean()
    comment.save()
    record_event(
        actor=None,
        verb="announcement.commented",
        target=comment,
        data={"announcement": announcement.pk, "contact": contact.pk},
    )
    return comment


@transaction.atomic
def delete_own_comment(*, comment: Comment, contact: Contact) -> None:
    """The customer removes a comment of their own (with any staff answers to it)."""
    if comment.contact_id != contact.pk:
        raise PermissionDenied(_("You can only delete your own comments."))
    record_event(
        actor=None,
        verb="announcement.comment_deleted",
        target=comment.announcement,
        data={"comment": comment.pk, "contact": contact.pk},
    )
    comment.delete()


@transaction.atomic
def set_comment_hidden(*, comment: Comment, hidden: bool, actor: User) -> Comment:
    """Moderation: take a comment off the portal, or put it back."""
    require_manager(actor)
    if hidden == (comment.hidden_at is not None):
        return comment
    comment.hidden_at = timezone.now() if hidden else None
    comment.hidden_by = actor if hidden else None
    comment.save(update_fields=["hidden_at", "hidden_by", "updated_at"])
    record_event(
        actor=actor,
        verb="announcement.comment_hidden" if hidden else "announcement.comment_shown",
        target=comment,
    )
    return comment


@transaction.atomic
def reply_to_comment(*, comment: Comment, body: str, actor: User) -> CommentReply:
    """A staff answer in the thread; the commenter is told on their channel."""
    require_manager(actor)
    reply = CommentReply(comment=comment, author=actor, body=body.strip())
    reply.full_clean()
    reply.save()
    record_event(actor=actor, verb="announcement.comment_answered", target=comment)
    contact = comment.contact
    link = public_link(
        reverse("feedback_portal:news_detail", args=[comment.announcement.uuid])
        + f"#comment-{comment.uuid}"
    )
    with translation.override(contact.language):
        subject = _("An answer to your comment on “%(title)s”") % {
            "title": comment.announcement.title
        }
        text = _("%(name)s answered your comment:\n\n%(answer)s\n\nRead the thread: %(link)s") % {
            "name": actor.get_full_name() or actor.get_username(),
            "answer": reply.body,
            "link": link,
        }
    tell_customer(
        contact=contact,
        subject=subject,
        body=text,
        kind=Kind.TRANSACTIONAL,
        key=f"feedback:reply:{reply.pk}",
        actor=actor,
    )
    return reply
