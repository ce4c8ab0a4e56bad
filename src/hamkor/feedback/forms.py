"""Forms of the feedback pages (staff and portal); services do the checking that matters."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from hamkor.contacts.models import Language, Source, Stage, Tag
from hamkor.feedback.models import AnnouncementStatus, SuggestionStatus, SurveyTrigger


class AnnouncementForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 8}))
    language = forms.ChoiceField(
        label=_("Language"),
        choices=[("", _("Every language")), *Language.choices],
        required=False,
        help_text=_("Customers see posts for every language and those in their own."),
    )
    status = forms.ChoiceField(label=_("Status"), choices=AnnouncementStatus.choices)


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Answer"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class SuggestionForm(forms.Form):
    title = forms.CharField(label=_("Your idea in a few words"), max_length=200)
    description = forms.CharField(
        label=_("Details (optional)"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=SuggestionStatus.choices)
    answer = forms.CharField(
        label=_("Public answer"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown on the portal and sent to everyone who voted when the status changes."),
    )


class SurveyForm(forms.Form):
    title = forms.CharField(label=_("Name"), max_length=200)
    trigger = forms.ChoiceField(label=_("Sent"), choices=SurveyTrigger.choices)
    tag = forms.ChoiceField(label=_("Contacts with the tag"), required=False)
    stage = forms.ChoiceField(
        label=_("Contacts in the stage"), choices=[("", "—"), *Stage.choices], required=False
    )
    source = forms.ChoiceField(label=_("Contacts from the source"), required=False)
    delay_days = forms.IntegerField(
        label=_("Days after payment"), min_value=0, max_value=365, initial=3
    )
    cooldown_days = forms.IntegerField(
        label=_("At most one survey per customer in (days)"),
        min_value=0,
        max_value=3650,
        initial=90,
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        tag_choices = [(t, t) for t in Tag.objects.values_list("name", flat=True)]
        source_choices = [(n, n) for n in Source.objects.values_list("name", flat=True)]
        self.fields["tag"].choices = [("", "—"), *tag_choices]  # type: ignore[attr-defined]
        self.fields["source"].choices = [("", "—"), *source_choices]  # type: ignore[attr-defined]

    def segment(self) -> str:
        """The chosen group written as a segment: tag=…&stage=…&source=…."""
        from django.http import QueryDict

        query = QueryDict(mutable=True)
        for name in ("tag", "stage", "source"):
            if self.cleaned_data.get(name):
                query[name] = self.cleaned_data[name]
        return query.urlencode()


class SurveyAnswerForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("How likely are you to recommend us to a friend?"),
        choices=[(str(n), str(n)) for n in range(11)],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a number from 0 to 10.")},
    )
    comment = forms.CharField(
        label=_("What is the main reason for your score? (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
