"""The desk: Django's admin, split by what an editor is doing.

- stories.py: the story list and form (ArticleAdmin), built from the mixins below.
- workflow.py: state changes (buttons, list actions, the kill page) and the audit inlines.
- history.py: revisions, compare and restore.
- calendar.py: the editorial calendar.
- live.py: live updates, and their review (reporters' wait for an editor's approval).
- library.py: photos, contributors, sections and topics.
- audit.py: the read-only audit trail of every story, alerts and CSP violations.
- accounts.py: staff accounts (only a superuser makes a superuser).
- partners.py: content API partners, their keys and webhooks, the delivery log.
- background.py: work the task worker gave up on, with a retry action.
- placements.py: moving a photo placed on a story into its text.
- forms.py, revisions.py, pages.py: the forms, the revision logic, and the one helper that
  renders a desk page with the admin's context.
"""

# Each module registers its admins.
from articles.desk import (  # noqa: F401
    accounts,
    audit,
    background,
    library,
    live,
    partners,
    stories,
)
from articles.wire import desk as wire_desk  # noqa: F401  (the wire desk page)
