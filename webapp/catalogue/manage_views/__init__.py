"""The workspace's pages for events, talks, speakers and tags (on the shared `manage` blueprint)."""
from webapp.catalogue.manage_views import events, programme, speaker_merge, speakers, tags, talks  # noqa: F401
