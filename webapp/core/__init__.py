"""What several features share and no feature owns. Imports no feature (checked by `make lint`).

- blueprints.py: the blueprints several features hang routes on (the workspace, the speaker
  profile, the JSON API), with their guards;
- background.py: the loops one process runs for everybody (elected by a file lock), their mode
  settings, and start_all / stop_all for gunicorn;
- commands.py and workspace.py: the commit at the edge, for commands and for workspace views;
- rich_text.py and html_to_markdown.py: the Markdown kept beside the HTML of rich text, and the
  Markdown written back for HTML that has none (imports); forms.py: the form pieces and messages;
- params.py, access.py, visibility.py, slugs.py, naming.py, audit.py, counting.py ...: request
  parameters, who may do what, what the public may see, permalinks, the audit log, counting hits.
"""
