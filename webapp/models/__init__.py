"""All models, importable from one place."""
from webapp.models.audit import AuditEntry
from webapp.models.content_generation import CONTENT_GENERATION_ID, ContentGeneration
from webapp.models.curated_path import CuratedPath, CuratedPathItem
from webapp.models.event import Event
from webapp.models.invitation import SpeakerInvitation
from webapp.models.login_attempt import LoginAttempt, PasswordResetRequest
from webapp.models.oai_record import OaiRecord, OaiRecordSet
from webapp.models.redirect import SlugRedirect
from webapp.models.related_talk import RELATED_REASONS, RelatedQueueEntry, RelatedTalk
from webapp.models.search_index_cursor import SearchIndexCursor
from webapp.models.search_log_pruning import SEARCH_LOG_PRUNING_ID, SearchLogPruning
from webapp.models.search_queue import SearchQueueEntry
from webapp.models.slide_deck import DeckKind, DeckStatus, SlideDeck, SlidePage
from webapp.models.speaker import Speaker, SpeakerAlias, speaker_owners
from webapp.models.stats import DailyCount, Metric, SearchQueryDay, SearchRule, SearchRuleKind
from webapp.models.status import Status
from webapp.models.summary import UNDATED, ArchiveCount, Facet, ReadingListEntry, TagEvent
from webapp.models.tag import Tag, event_tags, talk_tags
from webapp.models.talk import REPORT_SECTIONS, Series, Talk, TalkSpeaker
from webapp.models.transcript import Transcript
from webapp.models.user import ApiToken, Role, User, UserSession

__all__ = [
    "ApiToken", "ArchiveCount", "AuditEntry", "Facet", "ReadingListEntry", "TagEvent", "UNDATED",
    "Event", "LoginAttempt", "OaiRecord", "OaiRecordSet", "PasswordResetRequest", "Role", "User", "REPORT_SECTIONS",
    "SearchIndexCursor", "SEARCH_LOG_PRUNING_ID", "SearchLogPruning",
    "SearchQueueEntry", "Series", "CONTENT_GENERATION_ID", "ContentGeneration",
    "DeckKind", "DeckStatus", "SlideDeck", "SlidePage",
    "SlugRedirect", "Speaker", "SpeakerAlias", "SpeakerInvitation", "speaker_owners",
    "DailyCount", "Metric", "SearchQueryDay", "SearchRule", "SearchRuleKind",
    "CuratedPath", "CuratedPathItem", "RELATED_REASONS", "RelatedQueueEntry", "RelatedTalk",
    "Status", "Tag", "Talk", "TalkSpeaker", "Transcript", "UserSession", "event_tags", "talk_tags",
]
