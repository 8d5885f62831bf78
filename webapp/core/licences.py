"""The licences talks and slide decks are published under: one vocabulary for every form and page.

A licence is stored as its SPDX identifier ("CC-BY-4.0"); "All rights reserved" has no SPDX id and
is stored as a LicenseRef-, as SPDX does for licences outside its list. People see it by name
("CC BY 4.0 — Attribution"), linked to its deed. Values written another way ("CC BY 4.0",
"cc-by-sa-4.0", a deed's address: the API, imports and older rows) are read as the same licence
(normalise_licence); ids outside the vocabulary that an import brings keep working (a CC id is
named from its parts, any other is shown as it is and linked to spdx.org).
"""
import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

ALL_RIGHTS_RESERVED = "LicenseRef-All-Rights-Reserved"
_CC_ID = re.compile(r"^CC-(BY(?:-NC)?(?:-SA|-ND)?)-(\d\.\d)(?:-([A-Z]{2,3}))?$", re.I)
_CC_DEED_URL = re.compile(
    r"creativecommons\.org/licenses/(by(?:-nc)?(?:-sa|-nd)?)/(\d\.\d)(?:/([a-z]{2,3})(?=/|$))?", re.I)
_CC0_DEED_URL = re.compile(r"creativecommons\.org/publicdomain/zero/1\.0", re.I)
# The names of the Creative Commons licences, by their elements.
CC_TITLES = {
    "BY": _l("Attribution"),
    "BY-SA": _l("Attribution-ShareAlike"),
    "BY-NC": _l("Attribution-NonCommercial"),
    "BY-NC-SA": _l("Attribution-NonCommercial-ShareAlike"),
    "BY-ND": _l("Attribution-NoDerivatives"),
    "BY-NC-ND": _l("Attribution-NonCommercial-NoDerivatives"),
}


@dataclass(frozen=True)
class Licence:
    code: str  # what is stored: an SPDX id, or ALL_RIGHTS_RESERVED
    short_name: str  # "CC BY 4.0": the same in every language
    title: str | None = None  # "Attribution", translated
    url: str | None = None  # its deed, for people

    @property
    def name(self) -> str:
        """'CC BY 4.0 — Attribution', in the current language."""
        return f"{self.short_name} — {self.title}" if self.title else str(self.short_name)


def _creative_commons(kind: str, version: str, port: str | None = None) -> Licence:
    kind, port_path = kind.upper(), f"{port.lower()}/" if port else ""
    code = "-".join(filter(None, ["CC", kind, version, port and port.upper()]))
    return Licence(code, " ".join(filter(None, ["CC", kind, version, port and port.upper()])),
                   CC_TITLES[kind], f"https://creativecommons.org/licenses/{kind.lower()}/{version}/{port_path}")


CC0 = Licence("CC0-1.0", "CC0 1.0", _l("Public domain dedication"),
              "https://creativecommons.org/publicdomain/zero/1.0/")
# What the forms offer, in this order.
LICENCES = (
    *(_creative_commons(kind, "4.0") for kind in CC_TITLES),
    CC0,
    Licence("etalab-2.0", "Etalab 2.0", _l("Licence Ouverte / Open Licence"),
            "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"),
    _creative_commons("BY", "3.0"),
    _creative_commons("BY-SA", "3.0"),
    Licence(ALL_RIGHTS_RESERVED, _l("All rights reserved")),
)
# Known, but not offered any more: rows and imports may hold them.
_OTHERS = (
    Licence("CC-PDDC", "CC PDDC", _l("Public Domain Dedication and Certification"),
            "https://creativecommons.org/publicdomain/mark/1.0/"),
)
_BY_FOLDED_CODE = {licence.code.upper(): licence for licence in LICENCES}
_OTHERS_BY_FOLDED_CODE = {licence.code.upper(): licence for licence in _OTHERS}
_OTHER_SPELLINGS = {"CC0": CC0.code, "CC-ZERO": CC0.code, "ALL-RIGHTS-RESERVED": ALL_RIGHTS_RESERVED,
                    "TOUS-DROITS-RÉSERVÉS": ALL_RIGHTS_RESERVED, "LICENCE-OUVERTE-2.0": "etalab-2.0"}


def _from_deed_url(text: str) -> str | None:
    if _CC0_DEED_URL.search(text):
        return CC0.code
    found = _CC_DEED_URL.search(text)
    return _creative_commons(*found.groups()).code if found else None


def normalise_licence(value: str | None) -> str | None:
    """The stored code of a licence however it is written ('CC BY-SA 4.0', 'cc-by-sa-4.0', the
    deed's address -> 'CC-BY-SA-4.0'); None for nothing; other values stripped, as they are."""
    text = " ".join((value or "").split())
    if not text:
        return None
    if "/" in text:
        return _from_deed_url(text) or text
    folded = re.sub(r"[\s_]+", "-", text).upper()
    folded = _OTHER_SPELLINGS.get(folded, folded).upper()
    known = _BY_FOLDED_CODE.get(folded) or _OTHERS_BY_FOLDED_CODE.get(folded)
    if known is not None:
        return known.code
    found = _CC_ID.match(folded)
    return _creative_commons(*found.groups()).code if found else text


def find_licence(value: str | None) -> Licence | None:
    """The licence a stored value stands for; an id outside the vocabulary is named as it is."""
    code = normalise_licence(value)
    if code is None:
        return None
    known = _BY_FOLDED_CODE.get(code.upper()) or _OTHERS_BY_FOLDED_CODE.get(code.upper())
    if known is not None:
        return known
    found = _CC_ID.match(code)
    if found:
        return _creative_commons(*found.groups())
    is_address = code.startswith(("https://", "http://"))
    return Licence(code, code, None, code if is_address else f"https://spdx.org/licenses/{code}.html")


def is_offered(value: str | None) -> bool:
    """Whether the value is one of the licences the forms offer (however it is written)."""
    code = normalise_licence(value)
    return code is not None and code.upper() in _BY_FOLDED_CODE


def licence_label(value: str | None) -> str | None:
    """'CC-BY-4.0' -> 'CC BY 4.0 — Attribution' (the `licence_label` of the templates)."""
    licence = find_licence(value)
    return licence.name if licence else None


def licence_short_name(value: str | None) -> str | None:
    """'CC-BY-4.0' -> 'CC BY 4.0': where a language-neutral name is wanted (BibTeX)."""
    licence = find_licence(value)
    return str(licence.short_name) if licence else None


def licence_url(value: str | None) -> str | None:
    """The licence's deed (the `licence_url` of the templates; schema.org's `license`), or None
    when it has none (all rights reserved)."""
    licence = find_licence(value)
    return licence.url if licence else None


def licence_choices(placeholder: str, current: str | None = None) -> list[tuple[str, str]]:
    """(code, name) for a select: the placeholder first (its value is empty), then the vocabulary,
    then the current value when it is another one (an imported talk keeps its licence when saved)."""
    offered = [(licence.code, licence.name) for licence in LICENCES]
    current_licence = find_licence(current)
    if current_licence is not None and not is_offered(current_licence.code):
        offered.append((current_licence.code, current_licence.name))
    return [("", placeholder), *offered]
