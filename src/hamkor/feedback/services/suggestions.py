"""The suggestions board: customers' ideas and votes, staff statuses and public answers."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hamkor.accounts.models import User
from hamkor.contacts.models import Contact
from hamkor.core.audit import record_event
from hamkor.core.locking import lock_rows
from hamkor.feedback.models import Suggestion, SuggestionStatus, SuggestionStatusChange, Vote
from hamkor.feedback.services.common import public_link, require_manager, tell_customer
from hamkor.messaging.models import Kind


@transaction.atomic
def submit_suggestion(*, contact: Contact, title: str, description: str = "") -> Suggestion:
    """A customer's new idea; its author's vote is counted from the start."""
    suggestion = Suggestion(contact=contact, title=title.strip(), description=description.strip())
    suggestion.full_clean()
    suggestion.save()
    Vote.objects.create(suggestion=suggestion, contact=contact)
    record_event(
        actor=None, verb="suggestion.submitted", target=suggestion, data={"contact": contact.pk}
    )
    return suggestion


@transaction.atomic
def update_own_suggestion(
    *, suggestion: Suggestion, contact: Contact, title: str, description: str = ""
) -> Suggestion:
    """The author rewords their idea, until staff have given it a status."""
    if suggestion.contact_id != contact.pk:
        raise PermissionDenied(_("You can only edit your own ideas."))
    if suggestion.status != SuggestionStatus.NEW:
        raise ValidationError(_("Staff have already looked at this idea; it can no longer change."))
    suggestion.title, suggestion.description = title.strip(), description.strip()
    suggestion.full_clean()
    suggestion.save(update_fields=["title", "description", "updated_at"])
    record_event(actor=None, verb="suggestion.edited", target=suggestion)
    return suggestion


@transaction.atomic
def toggle_vote(*, suggestion: Suggestion, contact: Contact) -> bool:
    """Vote for an idea, or take the vote back; one vote per customer. True when voted."""
    if not suggestion.is_public and suggestion.contact_id != contact.pk:
        raise Suggestion.DoesNotExist
    deleted, _rows = Vote.objects.filter(suggestion=suggestion, contact=contact).delete()
    if deleted:
        return False
    try:
        with transaction.atomic():
            Vote.objects.create(suggestion=suggestion, contact=contact)
    except IntegrityError:
        # Two clicks at once: the unique constraint kept it to one vote.
        pass
    return True


@transaction.atomic
def set_suggestion_status(
    *, suggestion: Suggestion, status: str, answer: str, actor: User
) -> SuggestionStatusChange | None:
    """Give an idea a status and a public answer; voters and the author are told after commit.

    Returns the change, or None when neither the status nor the answer changed.
    """
    require_manager(actor)
    if status not in SuggestionStatus.values:
        raise ValidationError(
            {
                "status": _("Unknown status “%(value)s”. Use one of: %(choices)s.")
                % {"value": status, "choices": ", ".join(SuggestionStatus.values)}
            }
        )
    suggestion = lock_rows(Suggestion, suggestion.pk)[suggestion.pk]
    answer = answer.strip()
    if status == suggestion.status and answer == suggestion.public_answer:
        return None
    old = suggestion.status
    suggestion.status, suggestion.public_answer = status, answer
    suggestion.full_clean()
    suggestion.save(update_fields=["status", "public_answer", "updated_at"])
    change = SuggestionStatusChange.objects.create(
        suggestion=suggestion, old_status=old, new_status=status, answer=answer, changed_by=actor
    )
    record_event(
        actor=actor,
        verb="suggestion.status_changed",
        target=suggestion,
        data={"from": old, "to": status, "change": change.pk},
    )
    if old != status:
        change_id = change.pk

        def notify() -> None:
            from hamkor.feedback.tasks import notify_suggestion_status

            notify_suggestion_status(change_id)

        transaction.on_commit(notify)
    return change


@transaction.atomic
def set_suggestion_public(*, suggestion: Suggestion, public: bool, actor: User) -> Suggestion:
    """Moderation: take an idea off the public board (its author still sees it), or back."""
    require_manager(actor)
    if suggestion.is_public != public:
        suggestion.is_public = public
        suggestion.save(update_fields=["is_public", "updated_at"])
        record_event(
            actor=actor,
            verb="suggestion.shown" if public else "suggestion.hidden",
            target=suggestion,
        )
    return suggestion


def notify_status_change(*, change: SuggestionStatusChange) -> int:
    """Tell the author and every voter, each once and in their own language.

    Safe to run again: each message's idempotency key names the change and the contact.
    Returns how many customers were written to (including repeats already queued).
    """
    suggestion = change.suggestion
    voter_ids = set(Vote.objects.filter(suggestion=suggestion).values_list("contact_id", flat=True))
    voter_ids.add(suggestion.contact_id)
    contacts = Contact.objects.filter(pk__in=voter_ids, archived_at__isnull=True).order_by("pk")
    link = public_link(reverse("feedback_portal:idea_detail", args=[suggestion.uuid]))
    status = SuggestionStatus(change.new_status)
    count = 0
    for contact in contacts:
        with translation.override(contact.language):
            subject = _("Your idea “%(title)s”: %(status)s") % {
                "title": suggestion.title,
                "status": status.label,
            }
            text = _("The idea “%(title)s” is now: %(status)s.") % {
                "title": suggestion.title,
                "status": status.label,
            }
            if change.answer:
                text += "\n\n" + change.answer
            text += "\n\n" + _("See the idea: %(link)s") % {"link": link}
        with transaction.atomic():
            tell_customer(
                contact=contact,
                subject=subject,
                body=text,
                # The voter asked to hear what became of the idea: a service message.
                kind=Kind.TRANSACTIONAL,
                key=f"feedback:idea-status:{change.pk}:{contact.pk}",
            )
        count += 1
    SuggestionStatusChange.objects.filter(pk=change.pk, notified_at=None).update(
        notified_at=timezone.now()
    )
    return count
