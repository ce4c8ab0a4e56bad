import json

from django.db.models import Sum

from hamkor.activities.models import Channel, Interaction
from hamkor.contacts.models import ChannelConsent, ConsentMethod, Contact, Stage
from hamkor.webforms.models import RateCounter, Submission, SubmissionStatus
from hamkor.webforms.services import MAX_BODY_BYTES
from tests.contacts.factories import ContactFactory, SourceFactory, TagFactory
from tests.webforms.factories import WebFormFactory

JSON = {"HTTP_ACCEPT": "application/json"}


def test_post_creates_a_lead_with_the_forms_defaults(db, post_form):
    source = SourceFactory(name="Website")
    form = WebFormFactory(source=source)
    form.tags.set([TagFactory(name="web lead")])

    answer = post_form(
        form,
        {
            "first_name": "Aziza",
            "last_name": "Rahimova",
            "email": " Aziza@Example.COM ",
            "phone": "90 123 45 67",
            "message": "Do you make sugar-free cakes?",
        },
    )

    assert answer.status_code == 200
    assert "We will call you back" in answer.content.decode()
    contact = Contact.objects.get()
    assert (contact.first_name, contact.last_name, contact.stage) == ("Aziza", "Rahimova", "lead")
    assert contact.owner == form.owner
    assert contact.source == source
    assert [t.name for t in contact.tags.all()] == ["web lead"]
    assert list(contact.emails.values_list("email", flat=True)) == ["aziza@example.com"]
    assert list(contact.phones.values_list("number", flat=True)) == ["+998901234567"]
    interaction = Interaction.objects.get(contact=contact)
    assert interaction.channel == Channel.WEB
    assert "sugar-free" in interaction.body
    submission = Submission.objects.get()
    assert submission.status == SubmissionStatus.CREATED
    assert submission.contact == contact


def test_post_with_a_known_phone_lands_on_that_contacts_timeline(db, post_form):
    known = ContactFactory(first_name="Dilnoza", phone="+998901234567", stage=Stage.LOYAL)
    form = WebFormFactory()

    post_form(form, {"first_name": "D.", "phone": "+998 (90) 123-45-67", "message": "Hello again"})

    assert Contact.objects.count() == 1
    known.refresh_from_db()
    assert known.first_name == "Dilnoza"
    assert known.stage == Stage.LOYAL
    assert known.interactions.get().body == "Hello again"
    submission = Submission.objects.get()
    assert (submission.status, submission.contact) == (SubmissionStatus.MATCHED, known)


def test_post_with_a_known_email_in_other_case_matches(db, post_form):
    known = ContactFactory(email="malika@example.com")
    form = WebFormFactory()

    post_form(form, {"first_name": "Malika", "email": "MALIKA@example.com"})

    assert Contact.objects.count() == 1
    assert Submission.objects.get().contact == known


def test_honeypot_gets_a_normal_success_and_creates_nothing(db, post_form):
    form = WebFormFactory()

    answer = post_form(
        form, {"first_name": "Bot", "email": "bot@example.com", "website": "http://spam"}, **JSON
    )

    assert answer.status_code == 201
    assert answer.json()["ok"] is True
    assert Submission.objects.count() == 0
    assert Contact.objects.count() == 0


def test_rate_limit_refuses_posts_over_the_limit_from_one_address(db, post_form):
    form = WebFormFactory(rate_limit=2)
    data = {"first_name": "Aziza", "email": "aziza@example.com"}

    codes = [post_form(form, data, **JSON).status_code for _ in range(3)]
    other = post_form(form, data, REMOTE_ADDR="10.0.0.9", **JSON)

    assert codes == [201, 201, 429]
    assert other.status_code == 201
    assert Submission.objects.count() == 3
    counted = RateCounter.objects.filter(key=f"{form.pk}:127.0.0.1").aggregate(n=Sum("count"))
    assert counted["n"] == 3


def test_rate_limited_answer_says_when_to_retry(db, post_form):
    form = WebFormFactory(rate_limit=1)
    post_form(form, {"first_name": "A", "email": "a@example.com"})

    answer = post_form(form, {"first_name": "A", "email": "a@example.com"}, **JSON)

    assert answer.status_code == 429
    assert answer["Retry-After"] == "60"
    assert "try again" in answer.json()["detail"]


def test_body_over_the_limit_is_refused_with_413(db, client):
    form = WebFormFactory()

    answer = client.post(
        f"/f/{form.uuid}/",
        {"first_name": "A", "email": "a@example.com", "message": "x" * (MAX_BODY_BYTES + 10)},
        HTTP_ACCEPT="application/json",
    )

    assert answer.status_code == 413
    assert "too large" in answer.json()["detail"]
    assert Submission.objects.count() == 0


def test_too_large_answer_carries_cors_headers_so_the_script_can_show_it(db, client):
    form = WebFormFactory(allowed_origins="https://shop.example.com")

    answer = client.post(
        f"/f/{form.uuid}/",
        {"email": "a@example.com", "message": "x" * (MAX_BODY_BYTES + 10)},
        HTTP_ACCEPT="application/json",
        HTTP_ORIGIN="https://shop.example.com",
    )

    assert answer.status_code == 413
    assert answer["Access-Control-Allow-Origin"] == "https://shop.example.com"


def test_embed_script_is_served_from_our_static_files(db, client):
    answer = client.get("/static/webforms/embed.js")

    assert answer.status_code == 200
    assert b"data-hamkor-form" in b"".join(answer.streaming_content)


def test_field_over_its_limit_is_a_field_error(db, post_form):
    form = WebFormFactory()

    answer = post_form(form, {"first_name": "A" * 300, "email": "a@example.com"}, **JSON)

    assert answer.status_code == 400
    assert answer.json()["errors"]["first_name"] == ["Keep this under 255 characters."]


def test_bad_input_answers_json_with_errors_by_field(db, post_form):
    form = WebFormFactory()

    answer = post_form(form, {"first_name": "", "email": "not-an-email", "phone": "12"}, **JSON)

    assert answer.status_code == 400
    errors = answer.json()["errors"]
    assert errors["first_name"] == ["This field is required."]
    assert "not a valid email address" in errors["email"][0]
    assert "phone" in errors
    assert Submission.objects.count() == 0


def test_bad_input_answers_html_with_the_form_and_what_was_typed(db, post_form):
    form = WebFormFactory()

    answer = post_form(form, {"first_name": "Aziza", "email": "aziza@"})

    page = answer.content.decode()
    assert answer.status_code == 400
    assert answer["Content-Type"].startswith("text/html")
    assert "Please correct the fields marked below." in page
    assert "is not a valid email address" in page
    assert 'value="Aziza"' in page


def test_neither_email_nor_phone_is_an_error(db, post_form):
    form = WebFormFactory()

    answer = post_form(form, {"first_name": "Aziza"}, **JSON)

    assert answer.status_code == 400
    assert answer.json()["errors"]["email"] == ["Give your email or phone so we can answer you."]


def test_json_body_is_accepted(db, client, django_capture_on_commit_callbacks):
    form = WebFormFactory()

    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(
            f"/f/{form.uuid}/",
            json.dumps({"first_name": "Aziza", "email": "aziza@example.com"}),
            content_type="application/json",
        )

    assert answer.status_code == 201
    assert Contact.objects.get().first_name == "Aziza"


def test_invalid_json_body_is_a_400(db, public_client):
    form = WebFormFactory()

    answer = public_client.post(f"/f/{form.uuid}/", "{nope", content_type="application/json")

    assert answer.status_code == 400
    assert answer.json()["detail"] == "The request body is not valid JSON."


def test_cors_preflight_from_an_allowed_origin(db, public_client):
    form = WebFormFactory(allowed_origins="https://shop.example.com")

    answer = public_client.options(f"/f/{form.uuid}/", HTTP_ORIGIN="https://shop.example.com")

    assert answer.status_code == 204
    assert answer["Access-Control-Allow-Origin"] == "https://shop.example.com"
    assert "POST" in answer["Access-Control-Allow-Methods"]
    assert "Content-Type" in answer["Access-Control-Allow-Headers"]


def test_cors_preflight_from_another_origin_is_refused(db, public_client):
    form = WebFormFactory(allowed_origins="https://shop.example.com")

    answer = public_client.options(f"/f/{form.uuid}/", HTTP_ORIGIN="https://evil.example.net")

    assert answer.status_code == 403
    assert "Access-Control-Allow-Origin" not in answer


def test_post_from_an_allowed_origin_carries_cors_headers(db, post_form):
    form = WebFormFactory(allowed_origins="https://shop.example.com\nhttps://www.example.com")

    answer = post_form(
        form,
        {"first_name": "A", "email": "a@example.com"},
        HTTP_ORIGIN="https://www.example.com",
        **JSON,
    )

    assert answer.status_code == 201
    assert answer["Access-Control-Allow-Origin"] == "https://www.example.com"
    assert "Origin" in answer["Vary"]


def test_post_from_another_origin_is_refused(db, post_form):
    form = WebFormFactory(allowed_origins="https://shop.example.com")

    answer = post_form(
        form, {"first_name": "A", "email": "a@example.com"}, HTTP_ORIGIN="https://evil.net", **JSON
    )

    assert answer.status_code == 403
    assert Submission.objects.count() == 0


def test_errors_also_carry_cors_headers_so_the_script_can_read_them(db, post_form):
    form = WebFormFactory(allowed_origins="https://shop.example.com")

    answer = post_form(form, {"email": "x"}, HTTP_ORIGIN="https://shop.example.com", **JSON)

    assert answer.status_code == 400
    assert answer["Access-Control-Allow-Origin"] == "https://shop.example.com"


def test_utm_from_hidden_fields_is_kept_and_maps_to_a_source(db, post_form):
    instagram = SourceFactory(name="Instagram")
    form = WebFormFactory(source=SourceFactory(name="Website"))

    post_form(
        form,
        {
            "first_name": "A",
            "email": "a@example.com",
            "utm_source": "instagram",
            "utm_medium": "cpc",
            "utm_campaign": "spring",
            "referrer": "https://l.instagram.com/",
        },
    )

    submission = Submission.objects.get()
    assert submission.utm == {
        "utm_source": "instagram",
        "utm_medium": "cpc",
        "utm_campaign": "spring",
    }
    assert submission.referrer == "https://l.instagram.com/"
    contact = Contact.objects.get()
    assert contact.source == instagram
    assert "utm_campaign: spring" in contact.interactions.get().body


def test_utm_from_the_referer_query_when_no_hidden_fields(db, post_form):
    website = SourceFactory(name="Website")
    form = WebFormFactory(source=website)

    post_form(
        form,
        {"first_name": "A", "email": "a@example.com"},
        HTTP_REFERER="https://shop.example.com/cakes?utm_source=flyer42&utm_content=amir-temur",
    )

    submission = Submission.objects.get()
    assert submission.utm == {"utm_source": "flyer42", "utm_content": "amir-temur"}
    assert submission.referrer.startswith("https://shop.example.com/cakes")
    # "flyer42" is no source in the list: the form's default applies, the raw value stays.
    assert Contact.objects.get().source == website


def test_ticked_consent_is_recorded_with_when_and_how(db, post_form):
    form = WebFormFactory(
        name="Spring offer", consent_channels=["email", "sms"], consent_text="Send me offers."
    )

    post_form(form, {"first_name": "A", "email": "a@example.com", "consent": "yes"})

    consents = ChannelConsent.objects.order_by("channel")
    assert [(c.channel, c.granted, c.method) for c in consents] == [
        ("email", True, ConsentMethod.WEB_FORM),
        ("sms", True, ConsentMethod.WEB_FORM),
    ]
    assert consents[0].note.startswith("web form Spring offer")
    assert "Send me offers." in consents[0].note
    assert consents[0].recorded_at is not None


def test_unticked_consent_records_nothing(db, post_form):
    form = WebFormFactory(consent_channels=["email"], consent_text="Send me offers.")

    post_form(form, {"first_name": "A", "email": "a@example.com"})

    assert ChannelConsent.objects.count() == 0
    assert Submission.objects.get().consent is False


def test_switched_off_form_is_not_found(db, post_form):
    form = WebFormFactory(is_active=False)

    answer = post_form(form, {"first_name": "A", "email": "a@example.com"}, **JSON)

    assert answer.status_code == 404


def test_success_redirects_when_the_form_has_a_redirect(db, post_form):
    form = WebFormFactory(redirect_url="https://shop.example.com/thanks")

    answer = post_form(form, {"first_name": "A", "email": "a@example.com"})

    assert answer.status_code == 303
    assert answer["Location"] == "https://shop.example.com/thanks"


def test_hosted_page_shows_the_form_with_labels_and_honeypot(db, public_client):
    form = WebFormFactory(consent_channels=["sms"], consent_text="SMS me news.")

    page = public_client.get(f"/f/{form.uuid}/").content.decode()

    assert '<label for="hf-email">Email</label>' in page
    assert 'name="website"' in page
    assert "SMS me news." in page
