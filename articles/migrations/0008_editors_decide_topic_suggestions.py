"""Editors and administrators decide on the wire importer's topic suggestions.

Topic suggestions arrived after the roles were created (0004), so no role could see them:
members of the Editor group got an article form without its "suggested topics". Suggestion
rows are only made by the importer, so the roles get to view and change them, not to add or
delete them.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = ["Editor", "Administrator"]
CODENAMES = ["view_topicsuggestion", "change_topicsuggestion"]


def grant_suggestion_permissions(apps, schema_editor):
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
            content_type__app_label="articles",
            content_type__model="topicsuggestion",
            codename__in=CODENAMES,
        )
    )
    if len(permissions) != len(CODENAMES):
        raise RuntimeError("Missing permissions for articles.topicsuggestion")
    for group in Group.objects.filter(name__in=ROLES):
        group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0007_photo_upright_dimensions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant_suggestion_permissions, migrations.RunPython.noop)]
