"""The content API (/api/v1/): published stories as IPTC ninjs 3.0 for apps and partners.

- ninjs.py: a story, a photo and a story event as ninjs objects (the one mapping).
- access.py: partner keys (Bearer auth), what a key may read, rate limits, problem details.
- views.py, urls.py, openapi.py: the endpoints, their filters and cursors, their schema.
- responses.py: the response cache, stamped with the page cache's generations.
- webhooks.py: story events queued for partners' webhooks, signed, delivered by a worker.
"""
