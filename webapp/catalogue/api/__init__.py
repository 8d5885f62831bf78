"""The catalogue's read API (/api/v1/events, /talks, /speakers, /tags): JSON for other sites and
for libraries' catalogues, with the public rows only, on the shared `api` blueprint
(webapp/core/blueprints.py).

- views.py: the routes; schemas.py: the representations and parameters (marshmallow), from which
  the OpenAPI document is generated (webapp/openapi/); representations.py: rows as values;
- params.py: query strings (400 with a message); cursors.py: keyset pages and Link headers;
  listing.py: the lists' queries; operations_doc.py: the OpenAPI operations of the views.

Like the rest of the JSON API, the page cache does not keep its answers (webapp/page_cache/rules.py):
each is computed, and carries an ETag that answers If-None-Match with a 304.
"""
