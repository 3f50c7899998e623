"""Fronts: the home page and section pages as editors arrange them.

- articles/models/front.py: fronts, their arrangements (scheduled or draft), slots, topic
  boxes and the breaking-news banner.
- compose.py: what readers see on a front, in a fixed number of queries.
- desk.py: the desk's pages for arranging fronts, previewing them and the banner.
- invalidate.py: which cached pages a change to a front makes stale.
"""
