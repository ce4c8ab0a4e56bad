from django import forms
from django.test.html import parse_html

from hamkor.core.widgets import PlainSelect

CHOICES = [
    ("", "Anyone"),
    (1, "Aziza <Karimova>"),
    (2, "Bobur & Co"),
    ("Regions", [("tash", "Tashkent"), ("bish", "Bishkek")]),
]


def _form(widget: type[forms.Select]) -> type[forms.Form]:
    class Filter(forms.Form):
        owner = forms.ChoiceField(choices=CHOICES, required=False, widget=widget)
        city = forms.ChoiceField(choices=CHOICES, widget=widget)

    return Filter


def test_plain_select_renders_what_django_select_renders():
    data = {"owner": "2", "city": "bish"}
    plain = _form(PlainSelect)(data)
    django = _form(forms.Select)(data)

    for name in ("owner", "city"):
        assert parse_html(str(plain[name])) == parse_html(str(django[name]))


def test_plain_select_marks_only_the_chosen_option_and_escapes_labels():
    html = str(_form(PlainSelect)({"owner": "2", "city": "tash"})["owner"])

    assert '<option value="2" selected>Bobur &amp; Co</option>' in html
    assert "Aziza &lt;Karimova&gt;" in html
    assert html.count("selected") == 1
    assert 'name="owner"' in html and 'id="id_owner"' in html
