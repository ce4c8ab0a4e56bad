"""Staff pages of imports."""
