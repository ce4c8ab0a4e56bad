"""The customer's self-service portal: one-time-code login, the portal shell and the customer's own records."""
