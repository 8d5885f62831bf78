"""The fields pyvideo.org records know, as `flask import pyvideo` reads them back."""
from webapp.models import Event, Talk

VIDEO_HOSTS = ("youtube", "vimeo", "peertube", "dailymotion")


def category_fields(event: Event) -> dict:
    fields = {"title": event.title, "description": event.description or "",
              "url": event.website_url, "start_date": _iso(event.start_date),
              "end_date": _iso(event.end_date)}
    return {name: value for name, value in fields.items() if value is not None}


def video_fields(talk: Talk) -> dict:
    fields = {"title": talk.title, "slug": talk.slug, "description": talk.summary or "",
              "speakers": [speaker.name for speaker in talk.speakers],
              "tags": [tag.name for tag in talk.tags], "recorded": _iso(talk.given_on) or "",
              "videos": [_video(talk.video_url)] if talk.video_url else [],
              "language": talk.language, "copyright_text": talk.licence,
              "duration": talk.duration_minutes * 60 if talk.duration_minutes else None}
    return {name: value for name, value in fields.items() if value is not None}


def _video(url: str) -> dict:
    host = next((name for name in VIDEO_HOSTS if name in url.lower()), "url")
    return {"type": host, "url": url}


def _iso(day) -> str | None:
    return day.isoformat() if day else None
