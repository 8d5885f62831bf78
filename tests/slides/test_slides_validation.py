"""Validation by content on damaged and arbitrary files: always a kind or a SlideUploadError with
a 4xx status, never another exception; file names are always made safe."""
import io
import unicodedata
import zipfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from webapp.models import DeckKind
from webapp.slides.operations import sanitise_filename
from webapp.slides.validation import SlideUploadError, detect_kind

HYPOTHESIS = settings(max_examples=60, deadline=None,
                      suppress_health_check=[HealthCheck.function_scoped_fixture])


def verdict(app, tmp_path, data: bytes):
    path = tmp_path / "upload"
    path.write_bytes(data)
    try:
        return detect_kind(path)
    except SlideUploadError as error:
        with app.test_request_context():  # the message is translated for the reader
            assert 400 <= error.status < 500 and error.code and str(error)
        return error.status


def _pptx_like() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>" * 20)
        archive.writestr("ppt/presentation.xml", "<presentation/>" * 20)
    return buffer.getvalue()


PPTX_LIKE = _pptx_like()


@HYPOTHESIS
@given(data=st.binary(max_size=4096))
def test_arbitrary_bytes_are_refused_cleanly(app, tmp_path, data):
    result = verdict(app, tmp_path, data.replace(b"%PDF-", b"%PDX-"))  # PDFs are covered below
    assert result in (415, 422) or (data.startswith(b"PK") and result in DeckKind)


@HYPOTHESIS
@given(cut=st.integers(min_value=0, max_value=len(PPTX_LIKE)),
       flips=st.lists(st.tuples(st.integers(0, len(PPTX_LIKE) - 1), st.integers(1, 255)),
                      max_size=4))
def test_damaged_zips_are_refused_or_recognised(app, tmp_path, cut, flips):
    data = bytearray(PPTX_LIKE[:cut] if cut else PPTX_LIKE)
    for position, mask in flips:
        if position < len(data):
            data[position] ^= mask
    assert verdict(app, tmp_path, bytes(data)) in (415, 422, DeckKind.PPTX)


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(position=st.floats(min_value=0.05, max_value=0.95), mask=st.integers(1, 255))
def test_damaged_pdfs_are_refused_or_accepted_never_crash(app, tmp_path, make_pdf, position,
                                                          mask):
    data = bytearray(make_pdf("Une page", "Une autre"))
    data[int(len(data) * position)] ^= mask
    assert verdict(app, tmp_path, bytes(data)) in (422, DeckKind.PDF)


@HYPOTHESIS
@given(name=st.text(max_size=300))
def test_sanitised_names_are_plain_base_names_with_the_real_suffix(name):
    safe = sanitise_filename(name, DeckKind.PDF)
    assert safe.endswith(".pdf") and len(safe) <= 210
    assert not any(c in safe for c in '/\\"\r\n\x00;')
    assert not safe.startswith(".")
    assert not any(unicodedata.category(c)[0] == "C" for c in safe)


def test_a_right_to_left_override_cannot_disguise_the_suffix():
    assert sanitise_filename("report\u202egpj.exe", DeckKind.PDF) == "reportgpj.pdf"
