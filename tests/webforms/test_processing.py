import datetime

from django.utils import timezone

from hamkor.activities.models import Interaction
from hamkor.contacts.models import Contact, CustomFieldDefinition
from hamkor.contacts.services import define_custom_field
from hamkor.webforms.models import Submission, SubmissionStatus
from hamkor.webforms.services import process_pending, process_submission
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


def test_sweep_processes_submissions_whose_job_was_lost(db):
    old = SubmissionFactory()
    Submission.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    fresh = SubmissionFactory(data={"first_name": "B", "email": "b@example.com"})

    done = process_pending()

    assert done == 1
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert old.status == SubmissionStatus.CREATED
    assert fresh.status == SubmissionStatus.PENDING
