"""The cycle collector paused while a rebuild fills its segments (both paths, see writer.py).

Imports nothing of search_index: the fence (whoosh_internals) uses it too.
"""
import gc
from contextlib import contextmanager


@contextmanager
def cyclic_gc_paused():
    """The cycle collector off while segments fill and flush: it would walk the millions of
    arrays and tuples of their postings again and again (about 9% of a rebuild's time), and
    they hold no cycles."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
