from django.contrib.admin.apps import AdminConfig


class NewsroomAdminConfig(AdminConfig):
    """Django's admin, with `admin.site` an instance of the newsroom's own site class."""

    default_site = "newsroom.admin.NewsroomAdminSite"

    def ready(self):
        super().ready()
        from newsroom import signin, staff_marker

        signin.connect_signals()
        staff_marker.connect_signals()
