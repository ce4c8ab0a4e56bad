"""API shapes for announcements, the suggestions board and NPS results."""

from __future__ import annotations

import datetime
import uuid

from ninja import Field, Schema

from hamkor.contacts.schemas import BodyIn, PageIn


class AnnouncementsIn(PageIn):
    status: str = Field("", description="draft or published; empty for both.")


class AnnouncementOut(Schema):
    id: int
    uuid: uuid.UUID
    title: str
    body: str
    language: str = Field(description="en, ru, uz, ky; empty: for every language.")
    status: str
    published_at: datetime.datetime | None
    comment_count: int = 0


class AnnouncementListOut(Schema):
    items: list[AnnouncementOut]
    count: int


class SuggestionsIn(PageIn):
    status: str = Field("", description="new, under_review, planned, done, declined.")


class SuggestionOut(Schema):
    id: int
    uuid: uuid.UUID
    title: str
    description: str
    status: str
    public_answer: str
    is_public: bool
    vote_count: int = 0
    contact_id: int
    created_at: datetime.datetime


class SuggestionListOut(Schema):
    items: list[SuggestionOut]
    count: int


class StatusIn(BodyIn):
    status: str = Field(..., description="new, under_review, planned, done or declined.")
    answer: str = Field("", max_length=4000, description="Public answer shown on the portal.")


class NpsOut(Schema):
    score: int | None = Field(description="% promoters − % detractors; null without answers.")
    answers: int
    promoters: int
    passives: int
    detractors: int


class MonthOut(Schema):
    month: datetime.date
    nps: NpsOut


class SurveyResultsOut(Schema):
    id: int
    title: str
    trigger: str
    asked: int
    answered: int
    nps: NpsOut
    months: list[MonthOut]


class NpsResultsOut(Schema):
    nps: NpsOut
    months: list[MonthOut]
    surveys: list[SurveyResultsOut]
