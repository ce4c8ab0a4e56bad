"""Views of the booking app: staff pages (staff.py) and the public booking page (public.py)."""
