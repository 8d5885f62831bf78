"""ZIP archives built in memory for the bulk slide tests."""
import io
import zipfile


def zip_of(entries: dict, compression=zipfile.ZIP_DEFLATED) -> bytes:
    """A ZIP holding each name → bytes of entries."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()
