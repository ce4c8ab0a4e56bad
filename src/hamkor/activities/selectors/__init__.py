"""Reads of the activities app, always scoped to what the viewer may see."""

from hamkor.activities.selectors.interactions import (
    count_interactions_since,
    get_interaction,
    list_interactions,
)

__all__ = ["count_interactions_since", "get_interaction", "list_interactions"]
