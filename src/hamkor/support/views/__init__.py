"""Pages of the support app: staff tickets, knowledge base, settings, reports; the portal."""
