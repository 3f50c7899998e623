# Loaded with Django, so tasks queued from a request use the newsroom's Celery app.
from newsroom.celery import app as celery_app

__all__ = ["celery_app"]
