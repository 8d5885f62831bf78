"""The ZIP of a bulk slide upload, refused before anything is extracted when it is hostile: real
archives crafted with zipfile (and patched where zipfile cannot write the hostile part)."""
import io
import stat
import tempfile
import zipfile
from pathlib import Path

import pytest

from tests.slides.zip_files import zip_of
from webapp.slides.bulk_archive import BulkArchiveError, BulkLimits, extract_entries

LIMITS = BulkLimits(max_entries=500, max_total_bytes=1_000_000_000, max_file_bytes=100_000_000, max_ratio=100)
PDF_LIKE = b"%PDF-1.4\n" + b"slide " * 2000 + b"\n%%EOF\n"


def refusal(tmp_path, data: bytes, limits: BulkLimits = LIMITS) -> BulkArchiveError:
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    (folder / "batch.zip").write_bytes(data)
    (folder / "out").mkdir()
    with pytest.raises(BulkArchiveError) as caught:
        list(extract_entries(folder / "batch.zip", folder / "out", limits))
    assert list((folder / "out").iterdir()) == []  # nothing was extracted, or nothing was kept
    return caught.value


@pytest.fixture(scope="session")
def gigabyte_of_zeros(tmp_path_factory) -> bytes:
    """One deflated entry of 1 GB of zeros (about 4.5 MB compressed)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        with archive.open("zeros.pdf", "w", force_zip64=True) as member:
            chunk = bytes(1024 * 1024)
            for _ in range(1024):
                member.write(chunk)
    return buffer.getvalue()


def test_a_sound_archive_is_extracted_under_numbers_leaving_folders_and_mac_extras_out(tmp_path):
    data = zip_of({"decks/": b"", "decks/01-intro.pdf": PDF_LIKE, "__MACOSX/decks/._01-intro.pdf": b"x",
                   ".DS_Store": b"x", "bilan.pdf": PDF_LIKE})
    (tmp_path / "batch.zip").write_bytes(data)
    found = list(extract_entries(tmp_path / "batch.zip", tmp_path, LIMITS))
    assert [(name, path.name, size) for name, path, size in found] == [
        ("decks/01-intro.pdf", "0", len(PDF_LIKE)), ("bilan.pdf", "1", len(PDF_LIKE))]
    assert (tmp_path / "1").read_bytes() == PDF_LIKE


def test_a_gigabyte_of_zeros_is_refused_from_the_directory(tmp_path, gigabyte_of_zeros):
    error = refusal(tmp_path, gigabyte_of_zeros)
    assert (error.status, error.code) == (413, "too_large_unzipped")
    error = refusal(tmp_path, gigabyte_of_zeros, BulkLimits(500, 2**40, 2**40, 100))
    assert (error.status, error.code) == (422, "zip_bomb")  # within the sizes, not the ratio


def test_one_file_over_the_single_upload_limit_is_refused(tmp_path):
    error = refusal(tmp_path, zip_of({"big.pdf": b"%PDF-" + bytes(3_000_000)}, zipfile.ZIP_STORED),
                    BulkLimits(500, 10**9, 2_000_000, 100))
    assert (error.status, error.code) == (413, "file_too_large") and "big.pdf" in str(error)


def test_ten_thousand_entries_are_refused(tmp_path):
    data = zip_of({f"deck-{n}.pdf": b"x" for n in range(10_000)}, zipfile.ZIP_STORED)
    error = refusal(tmp_path, data)
    assert (error.status, error.code) == (422, "too_many_entries") and "10000 entries" in str(error)


@pytest.mark.parametrize("name", ["../evil.pdf", "decks/../../evil.pdf", "..\\evil.pdf", "/etc/evil.pdf",
                                  "C:/Users/evil.pdf", "\\\\server\\evil.pdf"])
def test_names_that_leave_the_archive_are_refused(tmp_path, name):
    data = zip_of({"fine.pdf": PDF_LIKE, name: PDF_LIKE})
    assert refusal(tmp_path, data).code == "unsafe_path"


def test_a_symbolic_link_is_refused(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        link = zipfile.ZipInfo("slides.pdf")
        link.create_system = 3
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(link, "/etc/passwd")
    assert refusal(tmp_path, buffer.getvalue()).code == "symlink"


def test_a_nested_archive_is_refused(tmp_path):
    data = zip_of({"fine.pdf": PDF_LIKE, "more/decks.zip": zip_of({"inner.pdf": PDF_LIKE})})
    error = refusal(tmp_path, data)
    assert error.code == "nested_archive" and "decks.zip" in str(error)


def with_encryption_flag(data: bytes) -> bytes:
    """zipfile cannot write an encrypted entry: set the flag bit in the local and central headers."""
    patched = bytearray(data)
    local, central = patched.find(b"PK\x03\x04"), patched.find(b"PK\x01\x02")
    patched[local + 6] |= 0x1
    patched[central + 8] |= 0x1
    return bytes(patched)


def test_an_encrypted_entry_is_refused(tmp_path):
    data = with_encryption_flag(zip_of({"secret.pdf": PDF_LIKE}))
    assert zipfile.ZipFile(io.BytesIO(data)).infolist()[0].flag_bits & 0x1
    assert refusal(tmp_path, data).code == "encrypted"


def with_declared_size(data: bytes, size: int) -> bytes:
    """The central directory says the first entry expands to `size` bytes (it expands to more)."""
    patched = bytearray(data)
    central = patched.find(b"PK\x01\x02")
    patched[central + 24:central + 28] = size.to_bytes(4, "little")
    return bytes(patched)


def test_header_sizes_are_not_trusted_an_entry_giving_more_is_refused(tmp_path):
    data = with_declared_size(zip_of({"zeros.pdf": bytes(5_000_000)}), 1000)
    assert zipfile.ZipFile(io.BytesIO(data)).infolist()[0].file_size == 1000  # passes the size checks
    assert refusal(tmp_path, data).code in ("zip_bomb", "corrupt")


def test_an_empty_archive_and_a_file_that_is_no_zip_are_refused(tmp_path):
    assert refusal(tmp_path, zip_of({"decks/": b""})).code == "empty_archive"
    assert refusal(tmp_path, PDF_LIKE).code == "corrupt"
