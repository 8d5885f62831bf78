"""Profile photos: content-checked, re-encoded, squared, stripped of metadata, served safely."""
import io
import zlib

import pytest
from PIL import Image

from webapp.profile.photos import (
    PHOTO_SIZES,
    PhotoError,
    decode_photo,
    load_reduced,
    photo_path,
    prepare_photo,
    store_photo,
)

GPS_LATITUDE = (45.0, 10.0, 0.0)


@pytest.fixture(autouse=True)
def request_context(app):
    """Messages are translated, which needs a request (its language)."""
    with app.test_request_context():
        yield


def image_bytes(fmt: str, size=(800, 600), mode="RGB", **save_options) -> bytes:
    image = Image.new(mode, size, (200, 40, 40) if mode == "RGB" else (200, 40, 40, 128))
    buffer = io.BytesIO()
    image.save(buffer, fmt, **save_options)
    return buffer.getvalue()


def jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"  # Make
    exif.get_ifd(0x8825).update({1: "N", 2: GPS_LATITUDE, 3: "E", 4: GPS_LATITUDE})
    return image_bytes("JPEG", exif=exif.tobytes(), icc_profile=b"\0" * 128, comment=b"secret comment")


def png_bomb(width=30_000, height=30_000) -> bytes:
    """A tiny PNG whose header announces a huge image (a decompression bomb)."""
    def chunk(kind, data):
        return len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")
    header = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([8, 0, 0, 0, 0])
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 1000)) + \
        chunk(b"IEND", b"")


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_jpeg_png_and_webp_are_accepted_and_squared(app, fmt):
    photo = prepare_photo(io.BytesIO(image_bytes(fmt)))
    assert sorted(photo.squares) == list(PHOTO_SIZES)
    for size, data in photo.squares.items():
        stored = Image.open(io.BytesIO(data))
        assert stored.format == "JPEG" and stored.size == (size, size)


def test_transparent_png_is_flattened(app):
    photo = prepare_photo(io.BytesIO(image_bytes("PNG", mode="RGBA")))
    assert Image.open(io.BytesIO(photo.squares[96])).mode == "RGB"


def test_the_original_bytes_are_never_kept(app):
    original = image_bytes("JPEG", size=(512, 512))
    photo = prepare_photo(io.BytesIO(original))
    assert original not in photo.squares.values()


def test_exif_gps_icc_and_comments_are_stripped(app):
    original = jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # the test image has GPS
    key = store_photo(prepare_photo(io.BytesIO(original)))
    for size in PHOTO_SIZES:
        data = photo_path(key, size).read_bytes()
        stored = Image.open(io.BytesIO(data))
        assert not stored.getexif() and "exif" not in stored.info
        assert "icc_profile" not in stored.info and "comment" not in stored.info
        assert b"SpyCam" not in data and b"secret comment" not in data and b"Exif" not in data


def test_files_are_content_addressed(app):
    first = store_photo(prepare_photo(io.BytesIO(image_bytes("PNG"))))
    again = store_photo(prepare_photo(io.BytesIO(image_bytes("PNG"))))
    assert first == again and len(first) == 64
    assert photo_path(first, 96).parent.parent.name == "photos"


@pytest.mark.parametrize(("name", "data", "status"), [
    ("gif", image_bytes("GIF"), 415),
    ("svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', 415),
    ("html named .jpg", b"<html><script>alert(1)</script></html>", 415),
    ("empty", b"", 422),
    ("truncated jpeg", image_bytes("JPEG")[:400], 422),
    ("truncated png", image_bytes("PNG")[:60], 422),
    ("decompression bomb", png_bomb(), 422),
])
def test_bad_files_are_refused(app, name, data, status):
    with pytest.raises(PhotoError) as refused:
        prepare_photo(io.BytesIO(data))
    assert refused.value.status == status, name
    assert str(refused.value)


def test_an_image_over_the_pixel_limit_is_refused(app):
    app.config["PHOTO_MAX_PIXELS"] = 100 * 100
    with pytest.raises(PhotoError) as refused:
        prepare_photo(io.BytesIO(image_bytes("PNG", size=(101, 100))))
    assert refused.value.status == 422
    assert str(refused.value) == "L’image est trop grande (plus de 0,01 millions de pixels)."


def test_a_file_over_the_byte_limit_is_refused(app):
    app.config["PHOTO_MAX_BYTES"] = 1000
    with pytest.raises(PhotoError) as refused:
        prepare_photo(io.BytesIO(image_bytes("PNG", size=(400, 400), compress_level=0)))
    assert refused.value.status == 413
    assert str(refused.value) == "La photo dépasse la limite de 1 ko."  # not "0,001 Mo"


def test_a_large_jpeg_is_decoded_at_a_reduced_scale(app):
    """libjpeg's 1/2, 1/4, 1/8 scaling: a 24-megapixel photo is decoded at 1500 x 1000, the
    smallest scale whose short side still covers the 512-pixel square."""
    image = Image.open(io.BytesIO(image_bytes("JPEG", size=(6000, 4000))))
    load_reduced(image)
    assert image.size == (1500, 1000)
    assert decode_photo(image_bytes("JPEG", size=(6000, 4000))).size == (768, 512)


def test_a_large_png_is_shrunk_before_it_is_turned_and_flattened(app):
    decoded = decode_photo(image_bytes("PNG", size=(3000, 2000), mode="RGBA"))
    assert decoded.size == (768, 512) and decoded.mode == "RGBA"


def test_a_large_palette_png_is_resampled_not_picked_from(app):
    striped = Image.new("P", (2048, 2048))
    striped.putpalette([0, 0, 0, 255, 255, 255] + [0] * 762)
    striped.putdata([(x // 2) % 2 for _y in range(2048) for x in range(2048)])  # 2-pixel stripes
    buffer = io.BytesIO()
    striped.save(buffer, "PNG")
    square = Image.open(io.BytesIO(prepare_photo(io.BytesIO(buffer.getvalue())).squares[512]))
    grey = square.convert("L").getpixel((256, 256))
    assert 90 < grey < 170  # averaged stripes, not one stripe's black or white


def test_a_reduced_photo_keeps_its_squares_and_colour(app):
    photo = prepare_photo(io.BytesIO(image_bytes("JPEG", size=(6000, 4000))))
    for size, data in photo.squares.items():
        square = Image.open(io.BytesIO(data))
        assert square.size == (size, size)
        red, green, blue = square.getpixel((size // 2, size // 2))
        assert red > 150 and green < 80 and blue < 80


def test_a_png_or_webp_over_the_decoded_pixel_limit_is_refused(app):
    """PNG and WebP cannot be decoded smaller: 16 megapixels at most, where a JPEG may have 40."""
    for fmt in ("PNG", "WEBP"):
        with pytest.raises(PhotoError) as refused:
            prepare_photo(io.BytesIO(image_bytes(fmt, size=(5000, 3300))))
        assert refused.value.status == 422 and "16 millions de pixels" in str(refused.value)
    assert prepare_photo(io.BytesIO(image_bytes("JPEG", size=(5000, 3300)))).squares
