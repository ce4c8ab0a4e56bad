"""Pages of the feedback app: staff pages (``staff``) and the customer portal (``portal``)."""
