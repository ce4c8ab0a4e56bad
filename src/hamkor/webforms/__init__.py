"""Web-to-lead forms for the company website and their public endpoint.

How it is built, and why:

* **Request path does the minimum.** ``POST /f/<uuid>/`` checks the body size, the Origin, a
  per-IP rate limit and the fields, stores the cleaned post as one ``Submission`` row
  (status "pending") and answers. Matching the contact and creating the lead happen in a
  Huey job afterwards, so a burst of posts is answered quickly and no post is lost while
  contacts are written. There is no inline fallback in the request: if the queue is down
  the row stays pending and the periodic job (every minute) processes it.
* **Drained oldest first, by one worker at a time** (``services.processing``): a person
  may post once with email and phone, then with only the email, then only the phone;
  processed out of order those would make separate contacts. A lease row (expires by
  itself if a worker dies) picks the one drainer. Processing is idempotent (the row is
  locked and only a pending one is processed), and the normalised email/phone are locked
  (PostgreSQL advisory locks; SQLite admits one writer at a time) so concurrent processing
  of the same new email still makes one contact.
* **Matching** reuses the web shop's ``sales.selectors.orders.find_contact_for_customer``
  (phone in E.164, then lower-cased email) as the form's designer, who must see every
  contact (managers and admins design forms), so duplicates in any team are found.
* **Spam defence.** A honeypot field (``website``, hidden by CSS and from screen readers):
  a bot that fills it gets the same success answer as a person, so it learns nothing, and
  nothing is stored. A rate limit per client IP and form, counted in the database
  (``RateCounter``, one UPSERT per post in one-minute windows), so it holds across every
  web process and machine that share the database, with or without Redis. Limits on the
  whole body (16 KB, 413) and on each field (255 characters, 4,000 for the message, 400).
  The client IP is REMOTE_ADDR: behind a reverse proxy, configure the proxy/gunicorn so
  that it is the visitor's address.
* **UTM and referrer**: utm_* from hidden fields (the embed script fills them from the
  page address) or from the Referer's query; the raw values stay on the submission and
  go into the timeline entry; utm_source that names an active source (case-insensitive)
  becomes the lead's source, else the form's default source.
"""
