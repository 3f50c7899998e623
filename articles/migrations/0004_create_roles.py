"""The newsroom's roles as groups with their permissions.

Reporters write and edit their own drafts and submit them; editors edit everything, publish,
schedule, unpublish and kill; photo editors keep the photo library; administrators can also
restore killed stories, fix corrections and manage accounts. Users still need "staff status"
to log in to the desk.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ALL = ["add", "change", "delete", "view"]
VIEW = ["view"]

EDITOR = {
    "article": [*ALL, "change_any", "review", "publish", "kill"],
    "byline": ALL,
    "articlephoto": ALL,
    "photo": ALL,
    "contributor": ALL,
    "section": ALL,
    "topic": ALL,
    "topicalias": ALL,
    # A correction is a record: editors append them, only administrators may amend one.
    "correction": ["add", "view"],
    "articletransition": VIEW,
}

ROLES = {
    "Reporter": {
        "article": ["add", "change", "view"],
        "byline": ALL,
        "articlephoto": ALL,
        "photo": VIEW,
        "contributor": VIEW,
        "section": VIEW,
        "topic": VIEW,
        "correction": VIEW,
        "articletransition": VIEW,
    },
    "Editor": EDITOR,
    "Photo editor": {
        "photo": ALL,
        "article": VIEW,
        "articlephoto": VIEW,
        "contributor": VIEW,
    },
    "Administrator": {
        **EDITOR,
        "article": [*EDITOR["article"], "restore_killed"],
        "correction": ALL,
        ("auth", "user"): ALL,
        ("auth", "group"): ALL,
    },
}


def create_roles(apps, schema_editor):
    # On a fresh database Django creates permissions only after the last migration
    # (post_migrate), so create those of the apps named here first.
    for label in ["auth", "articles"]:
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, grants in ROLES.items():
        wanted = []
        for model, actions in grants.items():
            app_label, model_name = model if isinstance(model, tuple) else ("articles", model)
            codenames = [f"{action}_{model_name}" for action in actions]
            found = Permission.objects.filter(
                content_type__app_label=app_label,
                content_type__model=model_name,
                codename__in=codenames,
            )
            if found.count() != len(codenames):
                raise RuntimeError(f"Missing permissions for {name}: {app_label}.{model_name}")
            wanted.extend(found)
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(wanted)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0003_corrections_and_former_slugs"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
