"""Django's admin autodiscovery imports this module; the desk itself lives in articles/desk/."""

from articles import desk  # noqa: F401  (registers every desk admin)
from articles.fronts import desk as fronts_desk  # noqa: F401  (registers the fronts' admins)
