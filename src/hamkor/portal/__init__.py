"""The customer's self-service portal: code login, the portal shell and their own records."""
