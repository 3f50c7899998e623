"""Upload-to-all-renditions-ready time, and what a page pays for a photo while they are made.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_bench DJANGO_MEDIA_ROOT=/tmp/m \
        .venv/bin/python benchmarks/renditions.py --photos 5

Runs the worker's task in-process (what `make worker` runs), on local disk or on the bucket
named by AWS_STORAGE_BUCKET_NAME. Photos are 3000 x 2000 camera-sized JPEGs; they are deleted
afterwards.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=5)
    options = parser.parse_args()

    import django

    django.setup()
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from articles import tasks
    from articles.media import renditions
    from articles.models import Photo
    from tests.support.factories import jpeg_bytes

    ready, pending_page = [], []
    for _ in range(options.photos):
        # Written to storage directly: the photo field would queue the worker's run itself,
        # and that run is what is timed here.
        name = default_storage.save("photos/bench.jpg", ContentFile(jpeg_bytes((3000, 2000))))
        photo = Photo.objects.create(caption="Benchmark", image=name, renditions_ready=False)
        start = time.perf_counter()
        renditions.picture(photo)  # what a page pays while the worker has made none
        pending_page.append(time.perf_counter() - start)
        start = time.perf_counter()
        tasks.make_renditions(photo.pk, photo.image.name)
        ready.append(time.perf_counter() - start)
        names = renditions.stored_names(photo)
        tasks.delete_media(photo.image.name, names)
        photo.delete()
    print(
        f"Upload to all {len(names)} renditions ready: median {statistics.median(ready):.2f} s, "
        f"max {max(ready):.2f} s over {len(ready)} photos"
    )
    print(
        "A page's picture while renditions are pending: median "
        f"{statistics.median(pending_page) * 1000:.1f} ms (no rendition made on the request)"
    )
    print("Load average (1, 5, 15 min): {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))


if __name__ == "__main__":
    main()
