"""Writes and use cases for feedback; one module per area, public names re-exported here."""

from __future__ import annotations

from hamkor.feedback.services.announcements import (
    add_comment,
    delete_own_comment,
    reply_to_comment,
    save_announcement,
    set_comment_hidden,
    toggle_reaction,
)
from hamkor.feedback.services.common import can_manage_feedback, customer_channel
from hamkor.feedback.services.suggestions import (
    notify_status_change,
    set_suggestion_public,
    set_suggestion_status,
    submit_suggestion,
    toggle_vote,
    update_own_suggestion,
)
from hamkor.feedback.services.surveys import (
    BadSurveyLink,
    ExpiredSurveyLink,
    answer_survey,
    invite_group,
    plan_after_order_surveys,
    read_survey_token,
    save_survey,
    send_survey,
    survey_link,
    survey_token,
)

__all__ = [
    "BadSurveyLink",
    "ExpiredSurveyLink",
    "add_comment",
    "answer_survey",
    "can_manage_feedback",
    "customer_channel",
    "delete_own_comment",
    "invite_group",
    "notify_status_change",
    "plan_after_order_surveys",
    "read_survey_token",
    "reply_to_comment",
    "save_announcement",
    "save_survey",
    "send_survey",
    "set_comment_hidden",
    "set_suggestion_public",
    "set_suggestion_status",
    "submit_suggestion",
    "survey_link",
    "survey_token",
    "toggle_reaction",
    "toggle_vote",
    "update_own_suggestion",
]
