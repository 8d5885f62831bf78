"""Summary data of the public archive, kept current in the transaction of every change.

The public pages read counts and newest-first orderings from summary rows instead of counting or
sorting the archive on each request (webapp/models/summary.py lists them; the counter and listing
columns of events, talks' links, tags, speakers and series are summary data too).

- tracking.py notes, as the session flushes (and for bulk statements), which talks, events, tags,
  speakers and series a change touches, and the partitions (year, place...) they were counted in;
- refresh.py recomputes those rows from the database just before the commit, once per transaction,
  under row locks taken in one order, so that two writers never lose each other's change;
- rebuild.py recomputes everything (`flask summary rebuild`) and checks that what is stored is what
  a recomputation gives (`flask summary check`).
Raw SQL (`text()`, a bare Connection) is invisible to tracking: run `flask summary rebuild` after it.
"""
from webapp.catalogue.summary.tracking import install_tracking

__all__ = ["install_tracking"]
