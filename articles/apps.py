from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Newsroom"

    def ready(self):
        from articles import page_cache, signin, uploads

        page_cache.connect_signals()
        signin.connect_signals()
        uploads.limit_pillow()
