import datetime

from django.utils import timezone

from hamkor.activities.models import Interaction
from hamkor.contacts.models import Contact, CustomFieldDefinition
from hamkor.contacts.services import define_custom_field
from hamkor.webforms.models import Lease, Submission, SubmissionStatus
from hamkor.webforms.services import drain_submissions, process_submission
from tests.webforms.factories import SubmissionFactory, WebFormFactory

JSON = {"HTTP_ACCEPT": "application/json"}


def test_processing_a_submission_twice_creates_nothing_twice(db):
    submission = SubmissionFactory()

    process_submission(submission_id=submission.pk)
    process_submission(submission_id=submission.pk)

    assert Contact.objects.count() == 1
    assert Interaction.objects.count() == 1
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.CREATED


def test_two_submissions_with_one_email_make_one_contact(db):
    form = WebFormFactory()
    first = SubmissionFactory(form=form, data={"first_name": "A", "email": "a@example.com"})
    second = SubmissionFactory(form=form, data={"first_name": "A", "email": "a@example.com"})

    process_submission(submission_id=first.pk)
    process_submission(submission_id=second.pk)

    contact = Contact.objects.get()
    assert contact.interactions.count() == 2
    second.refresh_from_db()
    assert (second.status, second.contact) == (SubmissionStatus.MATCHED, contact)


def test_custom_field_values_go_onto_the_new_lead(db, post_form):
    define_custom_field(entity="contact", key="guests", label="Guests", field_type="number")
    form = WebFormFactory(
        fields=[{"key": "email", "required": True}, {"key": "cf:guests", "required": True}]
    )

    bad = post_form(form, {"email": "a@example.com", "cf:guests": "many"}, **JSON)
    good = post_form(form, {"email": "a@example.com", "cf:guests": "12"}, **JSON)

    assert bad.status_code == 400
    assert bad.json()["errors"]["cf:guests"] == ["“Guests” must be a number."]
    assert good.status_code == 201
    contact = Contact.objects.get()
    assert contact.custom_fields == {"guests": 12}
    assert contact.first_name == "a@example.com"


def test_a_submission_that_cannot_become_a_lead_is_marked_failed(db):
    define_custom_field(entity="contact", key="guests", label="Guests", field_type="number")
    submission = SubmissionFactory(
        data={"first_name": "A", "email": "a@example.com", "custom_fields": {"guests": 3}}
    )
    # The field was retired between the post and its processing.
    CustomFieldDefinition.objects.filter(key="guests").update(is_active=False)

    process_submission(submission_id=submission.pk)

    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.FAILED
    assert "Unknown custom field: guests." in submission.error
    assert Contact.objects.count() == 0


def test_drain_processes_every_pending_submission_oldest_first(db):
    form = WebFormFactory()
    # Only the first post has both; processed after the later ones, it would split a person.
    first = SubmissionFactory(
        form=form, data={"first_name": "A", "email": "a@example.com", "phone": "+998901112233"}
    )
    by_email = SubmissionFactory(form=form, data={"first_name": "A", "email": "a@example.com"})
    by_phone = SubmissionFactory(form=form, data={"first_name": "A", "phone": "+998901112233"})

    done = drain_submissions()

    assert done == 3
    contact = Contact.objects.get()
    for submission in (first, by_email, by_phone):
        submission.refresh_from_db()
        assert submission.contact == contact
    assert [first.status, by_email.status, by_phone.status] == ["created", "matched", "matched"]


def test_drain_leaves_the_work_to_the_holder_of_the_lease(db):
    SubmissionFactory()
    Lease.objects.create(
        name="submissions",
        holder="other",
        expires_at=timezone.now() + datetime.timedelta(minutes=1),
    )

    assert drain_submissions(holder="me") == 0
    assert Submission.objects.get().status == SubmissionStatus.PENDING


def test_drain_takes_over_an_expired_lease(db):
    SubmissionFactory()
    Lease.objects.create(
        name="submissions",
        holder="crashed",
        expires_at=timezone.now() - datetime.timedelta(seconds=1),
    )

    assert drain_submissions(holder="me") == 1
    assert Lease.objects.get().holder == ""
