"""Signals between features that must not import each other (blinker, as Flask's own signals).

- `search_index_changed`: the search index committed new answers (a drained batch of the queue, a
  rebuild). Sent by the search feature in an app context, after the index commit; the page cache
  draws a new generation, since the search pages it keeps follow the index, not the database.
"""
from blinker import Namespace

_signals = Namespace()
search_index_changed = _signals.signal("search-index-changed")
