"""The task worker: `celery -A newsroom worker` (and `celery -A newsroom beat` for periodic work).

Configured from Django's settings (the CELERY_* names in settings.py); tasks live in
articles/tasks.py. Without CELERY_BROKER_URL tasks run inside the request that queues them,
so `make run` needs no worker.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

app = Celery("newsroom")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
