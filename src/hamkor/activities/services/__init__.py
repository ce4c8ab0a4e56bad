"""Writes of the activities app: interactions, planned activities, reminders, calendar feeds."""

from hamkor.activities.services.interactions import (
    INTERACTION_FIELDS,
    delete_interaction,
    log_interaction,
    update_interaction,
)

__all__ = ["INTERACTION_FIELDS", "delete_interaction", "log_interaction", "update_interaction"]
