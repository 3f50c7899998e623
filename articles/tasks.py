"""Work done by the task worker (newsroom/celery.py), away from readers' and editors' requests.

Every task is safe to run twice (the worker acknowledges a task once it has finished, so one
cut short by a restart runs again) and retries with exponential backoff. A task that fails for
good is logged and listed on the desk's "Background work" page, where it can be retried.
Queuing never stops the request that queues: with the broker down the work is listed there.
"""

import logging

from botocore.exceptions import BotoCoreError, ClientError
from celery import Task, shared_task
from django.core.cache import cache
from django.core.files.storage import storages
from django.db import transaction
from kombu.exceptions import OperationalError

from articles.cache import invalidate, purge
from articles.cache import pages as page_cache
from articles.media import renditions
from articles.models import BackgroundFailure, Photo

logger = logging.getLogger(__name__)

# Failures worth trying again: a store, a cache or a CDN that did not answer this time.
RETRYABLE = (OSError, BotoCoreError, ClientError, purge.PurgeError)


class NewsroomTask(Task):
    autoretry_for = RETRYABLE
    retry_backoff = 2  # seconds before the first retry, doubling each time
    retry_backoff_max = 600
    retry_jitter = True
    max_retries = 6

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        logger.error("Background work %s%r failed for good: %s", self.name, tuple(args), exc)
        BackgroundFailure.objects.create(
            task_name=self.name,
            args=list(args),
            kwargs=dict(kwargs),
            error=f"{type(exc).__name__}: {exc}",
        )


def enqueue(task, *args) -> None:
    """Queue `task`; a broker that cannot be reached lists the work on the desk instead."""
    try:
        task.apply_async(args=args)
    except OperationalError as error:
        logger.exception("Could not queue %s%r", task.name, args)
        BackgroundFailure.objects.create(
            task_name=task.name, args=list(args), error=f"Could not be queued: {error}"
        )


def enqueue_on_commit(task, *args) -> None:
    """Queue `task` once the current transaction commits, so the worker sees the new rows."""
    transaction.on_commit(lambda: enqueue(task, *args))


@shared_task(base=NewsroomTask)
def make_renditions(photo_id: int, image_name: str) -> None:
    """Make every rendition of a newly uploaded picture, then let pages show all of them."""
    photo = Photo.objects.filter(pk=photo_id).first()
    if photo is None or photo.image.name != image_name:
        return  # deleted or replaced since: the newer upload has its own task
    renditions.make_all(photo)
    ready = Photo.objects.filter(pk=photo_id, image=image_name, renditions_ready=False)
    if ready.update(renditions_ready=True):
        # Only the stories placing it showed it with fewer sizes; the keys move (and are
        # purged in front) for those pages, not for the whole site.
        invalidate.photo_changed(photo)


@shared_task(base=NewsroomTask)
def purge_keys_task(keys: list[str]) -> None:
    """Purge the cache in front of the site (Varnish, Fastly or Cloudflare) by surrogate key."""
    purge.purge_keys(keys)


def purge_at_once(keys: list[str]) -> None:
    """Purge inside the request, for a kill: a queue may be minutes behind. Queued if it fails."""
    try:
        purge.purge_keys(keys)
    except purge.PurgeError:
        logger.warning("Purge failed in the request; queued for the worker to retry.")
        enqueue(purge_keys_task, list(keys))


@shared_task(base=NewsroomTask)
def delete_media(original: str, rendition_names: list[str]) -> None:
    """Remove a picture that left the library (or was replaced) and its renditions."""
    storages["default"].delete(original)
    for name in rendition_names:
        storages["renditions"].delete(name)


@shared_task(base=NewsroomTask)
def refresh_due_pages() -> None:
    """Periodic: when a scheduled story or an embargo comes due, refresh the pages that show it.

    Without this the first reader after the moment pays for it (articles/cache/pages.py).
    """
    # The page cache's own check: moves the due stories' keys (hard) and purges them in front.
    page_cache.came_due(cache.get_many([page_cache.DUE_KEY]))


@shared_task(base=NewsroomTask)
def announce_due_stories() -> None:
    """Periodic: partners' webhooks hear "published" when a scheduled story or an embargo
    comes due, once, as if an editor had clicked (articles/api/webhooks.py)."""
    from articles.api import webhooks

    webhooks.announce_due()
