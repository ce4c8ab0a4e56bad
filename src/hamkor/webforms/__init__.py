"""Web-to-lead forms for the company website and their public endpoint."""
