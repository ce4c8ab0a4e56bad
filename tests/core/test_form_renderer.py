import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.test.html import parse_html

from hamkor.core.form_renderer import HamkorFormRenderer

CHOICES = [
    ("", "Anyone"),
    (1, "Aziza <Karimova>"),
    (2, "Bobur & Co"),
    ("Regions & cities", [("tash", "Tashkent"), ("bish", "Bishkek")]),
]


class Filter(forms.Form):
    owner = forms.ChoiceField(choices=CHOICES, required=False)
    city = forms.ChoiceField(choices=CHOICES)
    cities = forms.MultipleChoiceField(choices=CHOICES, required=False)
    answer = forms.NullBooleanField(required=False)
    note = forms.CharField(required=False, widget=forms.Textarea)


def _rendered(renderer: object, data: dict[str, object]) -> dict[str, str]:
    form = Filter(data, renderer=renderer)
    return {name: str(form[name]) for name in form.fields}


@pytest.mark.parametrize(
    "data",
    [
        {"owner": "2", "city": "bish", "cities": ["1", "tash"], "answer": "true"},
        {},
        {"owner": "nobody", "city": "", "note": "<b>hi</b>"},
    ],
)
def test_form_renderer_renders_what_django_renders(data):
    ours = _rendered(HamkorFormRenderer(), data)
    django = _rendered(DjangoTemplates(), data)

    for name in Filter.base_fields:
        assert parse_html(ours[name]) == parse_html(django[name]), name


def test_form_renderer_marks_only_the_chosen_option_and_escapes_labels():
    html = _rendered(HamkorFormRenderer(), {"owner": "2", "city": "tash"})["owner"]

    assert '<option value="2" selected>Bobur &amp; Co</option>' in html
    assert "Aziza &lt;Karimova&gt;" in html
    assert html.count("selected") == 1
    assert 'name="owner"' in html and 'id="id_owner"' in html


def test_project_forms_use_the_fast_renderer(settings):
    assert Filter().renderer.__class__ is HamkorFormRenderer
