from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Newsroom"

    def ready(self):
        from articles.cache import pages
        from articles.media import uploads

        pages.connect_signals()
        uploads.limit_pillow()
