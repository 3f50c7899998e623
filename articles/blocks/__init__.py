"""Story body blocks: photo, gallery, embed, pull quote, fact box, table, related story.

A block is stored in the body as an empty `<figure data-block="...">` whose data attributes
hold plain values (ids, a provider and URL, text), never pasted HTML:

- stored.py: the allowlist for blocks, applied after the sanitizer on every save; hostile
  values are refused on the desk and dropped on any other path.
- embeds.py: the embed providers readers may load, by URL pattern.
- render.py: blocks as readers see them, in a fixed number of queries per story.
"""
