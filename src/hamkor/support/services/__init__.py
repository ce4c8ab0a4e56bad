"""Writes of the support app: tickets, SLA, customer notifications, CSAT, knowledge base."""

from hamkor.support.services.tickets import (
    ALLOWED,
    add_customer_reply,
    add_staff_message,
    assign_ticket,
    change_priority,
    change_status,
    create_ticket,
)

__all__ = [
    "ALLOWED",
    "add_customer_reply",
    "add_staff_message",
    "assign_ticket",
    "change_priority",
    "change_status",
    "create_ticket",
]
