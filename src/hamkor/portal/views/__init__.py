"""Pages of the customer portal: code login, home, the customer's records and profile."""
