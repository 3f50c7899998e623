"""Fronts and the breaking-news banner; story pages' search and social headlines; photo rights;
topic aliases with addresses; live coverage.

Editors and administrators arrange fronts and switch the banner on; the home front exists
from the start, so the desk always has it to arrange. Existing aliases get their address
from their name, so `/topics/defence/` leads to the defense topic at once.
"""

import articles.models.front
import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models
from django.utils.text import slugify


FRONT_MODELS = ["front", "arrangement", "slot", "topicbox", "banner"]
ROLES = ["Editor", "Administrator"]


def grant_front_permissions_and_create_home(apps, schema_editor):
    # On a fresh database Django creates permissions only after the last migration
    # (post_migrate), so create this app's first, as the roles migration does.
    app_config = apps.get_app_config("articles")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = list(
        Permission.objects.filter(
            content_type__app_label="articles", content_type__model__in=FRONT_MODELS
        )
    )
    if len(permissions) != 4 * len(FRONT_MODELS):
        raise RuntimeError("Missing permissions for the fronts")
    for group in Group.objects.filter(name__in=ROLES):
        group.permissions.add(*permissions)
    # Live updates: editors and administrators all of it; reporters post and edit them.
    live = Permission.objects.filter(
        content_type__app_label="articles", codename__endswith="_liveupdate"
    )
    for group in Group.objects.filter(name__in=ROLES):
        group.permissions.add(*live)
    reporting = live.filter(codename__in=["add_liveupdate", "change_liveupdate", "view_liveupdate"])
    for group in Group.objects.filter(name="Reporter"):
        group.permissions.add(*reporting)
    apps.get_model("articles", "Front").objects.get_or_create(
        slug="home", defaults={"name": "Home page"}
    )


def fill_alias_slugs(apps, schema_editor):
    TopicAlias = apps.get_model("articles", "TopicAlias")
    for alias in TopicAlias.objects.filter(slug=""):
        alias.slug = slugify(alias.name, allow_unicode=True)[:200]
        alias.save(update_fields=["slug"])


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0014_background_work"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="live_ended_at",
            field=models.DateTimeField(
                blank=True,
                help_text="When coverage ended; empty while it runs.",
                null=True,
                verbose_name="live file ended",
            ),
        ),
        migrations.AddField(
            model_name="article",
            name="live_started_at",
            field=models.DateTimeField(
                blank=True,
                help_text="Set to run this story as a live file with updates; empty: an ordinary story.",
                null=True,
                verbose_name="live since",
            ),
        ),
        migrations.AddField(
            model_name="article",
            name="seo_headline",
            field=models.CharField(
                blank=True,
                help_text="For search results and the browser tab: up to 70 characters show in full. Leave empty to use the headline.",
                max_length=200,
                verbose_name="title in search results",
            ),
        ),
        migrations.AddField(
            model_name="article",
            name="social_description",
            field=models.TextField(
                blank=True,
                help_text="Under the headline in shares: up to 200 characters show in full. Leave empty to use the dek.",
                max_length=500,
                verbose_name="description in shares",
            ),
        ),
        migrations.AddField(
            model_name="article",
            name="social_headline",
            field=models.CharField(
                blank=True,
                help_text="For shares on social sites: up to 95 characters show in full. Leave empty to use the headline.",
                max_length=200,
                verbose_name="title in shares",
            ),
        ),
        migrations.AddField(
            model_name="photo",
            name="copyright_holder",
            field=models.CharField(
                blank=True,
                help_text="Who owns the rights, e.g. Yonhap News Agency.",
                max_length=200,
            ),
        ),
        migrations.AddField(
            model_name="photo",
            name="licence_url",
            field=models.URLField(
                blank=True,
                help_text="Address of the licence, e.g. https://creativecommons.org/licenses/by/4.0/",
                verbose_name="licence",
            ),
        ),
        migrations.AddField(
            model_name="photo",
            name="rights_expire_at",
            field=models.DateTimeField(
                blank=True,
                help_text="From this time readers no longer see the picture. Empty: no end.",
                null=True,
                verbose_name="rights expire",
            ),
        ),
        migrations.AddField(
            model_name="topicalias",
            name="slug",
            field=models.SlugField(
                allow_unicode=True,
                blank=True,
                help_text="Its address, which leads to the topic. Empty: made from the name.",
                max_length=200,
            ),
        ),
        migrations.AlterField(
            model_name="photo",
            name="usage_terms",
            field=models.TextField(blank=True, help_text="Terms of use agreed for this picture."),
        ),
        migrations.CreateModel(
            name="Front",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=100)),
                ("slug", models.SlugField(max_length=100, unique=True)),
                (
                    "section",
                    models.OneToOneField(
                        blank=True,
                        help_text="Empty for the home page.",
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="front",
                        to="articles.section",
                    ),
                ),
            ],
            options={
                "ordering": ["section__position", "name"],
            },
        ),
        migrations.CreateModel(
            name="Arrangement",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "name",
                    models.CharField(
                        help_text="For the desk, e.g. “Morning front”.", max_length=100
                    ),
                ),
                (
                    "starts_at",
                    models.DateTimeField(
                        blank=True,
                        help_text="Readers see it from this time until a later arrangement starts. Leave empty to keep a draft you can preview.",
                        null=True,
                    ),
                ),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "updated_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "front",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="arrangements",
                        to="articles.front",
                    ),
                ),
            ],
            options={
                "ordering": ["front", "-starts_at", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="LiveUpdate",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("headline", models.CharField(max_length=255)),
                (
                    "body",
                    models.TextField(
                        blank=True, help_text="Text, and any photo or embed, inserted as blocks."
                    ),
                ),
                (
                    "posted_at",
                    models.DateTimeField(db_index=True, default=django.utils.timezone.now),
                ),
                (
                    "pinned",
                    models.BooleanField(
                        default=False, help_text="Keep it above the newer updates."
                    ),
                ),
                (
                    "article",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="live_updates",
                        to="articles.article",
                    ),
                ),
                (
                    "contributor",
                    models.ForeignKey(
                        blank=True,
                        help_text="Whose update it is.",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="live_updates",
                        to="articles.contributor",
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-pinned", "-posted_at", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="Slot",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "zone",
                    models.CharField(
                        choices=[
                            ("lead", "Lead"),
                            ("top", "Top stories"),
                            ("secondary", "Secondary"),
                        ],
                        default="top",
                        max_length=20,
                    ),
                ),
                ("position", models.PositiveSmallIntegerField(default=0)),
                (
                    "pinned_until",
                    models.DateTimeField(
                        blank=True,
                        help_text="After this time the newest story takes the slot. Empty: until changed.",
                        null=True,
                    ),
                ),
                (
                    "arrangement",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="slots",
                        to="articles.arrangement",
                    ),
                ),
                (
                    "article",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="front_slots",
                        to="articles.article",
                    ),
                ),
            ],
            options={
                "ordering": ["position", "pk"],
            },
        ),
        migrations.CreateModel(
            name="TopicBox",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("position", models.PositiveSmallIntegerField(default=0)),
                (
                    "size",
                    models.PositiveSmallIntegerField(
                        default=4,
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(8),
                        ],
                    ),
                ),
                (
                    "arrangement",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="topic_boxes",
                        to="articles.arrangement",
                    ),
                ),
                (
                    "topic",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="articles.topic",
                    ),
                ),
            ],
            options={
                "verbose_name_plural": "topic boxes",
                "ordering": ["position", "pk"],
            },
        ),
        migrations.CreateModel(
            name="Banner",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "text",
                    models.CharField(
                        help_text="One line, e.g. “Earthquake hits Pohang”.", max_length=200
                    ),
                ),
                (
                    "link",
                    models.CharField(
                        blank=True,
                        help_text="Where the line leads: a story's address (/articles/…) or https://…",
                        max_length=500,
                        validators=[articles.models.front.validate_link],
                    ),
                ),
                ("starts_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("ends_at", models.DateTimeField(help_text="Readers stop seeing it at this time.")),
                (
                    "updated_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-starts_at", "-pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("ends_at__gt", models.F("starts_at"))),
                        name="banner_ends_after_it_starts",
                        violation_error_message="The banner must end after it starts.",
                    )
                ],
            },
        ),
        migrations.AddConstraint(
            model_name="front",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("section__isnull", True), ("slug", "home")),
                    ("section__isnull", False),
                    _connector="OR",
                ),
                name="front_home_or_section",
                violation_error_message="A front is the home page or belongs to a section.",
            ),
        ),
        migrations.AddIndex(
            model_name="arrangement",
            index=models.Index(fields=["front", "-starts_at"], name="arrangement_live_idx"),
        ),
        migrations.AddConstraint(
            model_name="liveupdate",
            constraint=models.UniqueConstraint(
                condition=models.Q(("pinned", True)),
                fields=("article",),
                name="live_one_pinned_update",
            ),
        ),
        migrations.AddConstraint(
            model_name="slot",
            constraint=models.UniqueConstraint(
                fields=("arrangement", "article"), name="slot_story_once_per_arrangement"
            ),
        ),
        migrations.AddConstraint(
            model_name="topicbox",
            constraint=models.UniqueConstraint(
                fields=("arrangement", "topic"), name="topic_box_once_per_arrangement"
            ),
        ),
        migrations.AddConstraint(
            model_name="topicbox",
            constraint=models.CheckConstraint(
                condition=models.Q(("size__gte", 1), ("size__lte", 8)), name="topic_box_size_1_to_8"
            ),
        ),
        migrations.RunPython(grant_front_permissions_and_create_home, migrations.RunPython.noop),
        migrations.RunPython(fill_alias_slugs, migrations.RunPython.noop),
    ]
