"""Staff pages of the designer and the public endpoint."""
