"""Tickets, SLA policies, satisfaction answers and the knowledge base."""
