"""What other features read from importing: an event's programme as a frab schedule.xml."""
from webapp.importing.frab_export import schedule_xml
from webapp.models import Event


def event_schedule_xml(event: Event, public_only: bool = False) -> bytes:
    """The event's programme as a frab schedule.xml (UTF-8 bytes, valid against the published XSD);
    only its public talks when public_only."""
    return schedule_xml(event, public_only=public_only)
