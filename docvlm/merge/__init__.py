"""Reconcile tile results into page records, and tables continued across pages.

Each record arrives grounded (see :mod:`docvlm.grounding`): every leaf value with its match
status, box and confidence. On one page:

- identical records from overlapping tiles collapse into one, their fields' confidences
  combined (agreeing tiles are independent evidence);
- tables from neighbouring tiles whose boxes touch are stitched into one: rows and columns
  are aligned by the boxes of their grounded cells, so duplicated rows from the overlap
  and row pieces cut at a tile's side come together (pieces without grounded cells keep
  their tile's order);
- menus, key-value lists and other records from several tiles are joined item by item
  (an item on a seam, seen by both tiles, is one item);
- where readings disagree, the better-grounded one wins, then the more confident; the
  loser stays in the field's provenance as an alternative.

Which way a record is joined is its class's to say (``Record.merge_as``: ``table``,
``list`` or ``fields``), so a subclass of a built-in record merges as its base.

Across pages, a table that continues on the next page (same columns, repeated or absent
header) becomes one table listing every page; see :func:`join_continued_tables`.

Modules: ``page`` (a page's records), ``lists`` (entry by entry), ``stitching`` (table
pieces), ``readings`` (a record on its way, and how readings of a value become one),
``continued`` (tables across pages), ``paths`` (field paths read apart in one place).
"""

from docvlm.merge.continued import join_continued_tables
from docvlm.merge.page import merge_page

__all__ = ["join_continued_tables", "merge_page"]
