"""Profile photo benchmark: peak memory and time to re-encode a 40-megapixel upload.

Prints figures, asserts nothing. Each measurement runs in a fresh process (its peak RSS,
ru_maxrss, is the figure), with the photo already written to disk. The peer is Pillow's plain
path on the same file: open, load, turn upright, convert to RGB, then make the squares.
Target: a 40-megapixel JPEG (the camera case) under 100 MB above the interpreter's baseline, and a
16-megapixel PNG or WebP (their limit: Pillow decodes them only whole) at most the peer's figure.
"""
import io
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
# format -> size just under its limit: PHOTO_MAX_PIXELS (40 megapixels, a full-frame camera) for
# JPEG, decoded at a reduced scale; PHOTO_MAX_DECODED_PIXELS (16) for PNG and WebP, decoded whole.
SIZES = {"JPEG": (7745, 5164), "PNG": (4898, 3266), "WEBP": (4898, 3266)}

MEASURE = """
import io, json, resource, sys, time
mode, path = sys.argv[1], sys.argv[2]
data = open(path, "rb").read()
from PIL import Image, ImageOps
from webapp import create_app
app = create_app({"SECRET_KEY": "bench", "DATABASE_URL": "sqlite://", "SEARCH_WRITER": "off",
                  "SLIDES_WORKER": "off", "PHOTO_MAX_BYTES": 500_000_000})
with app.test_request_context():
    from webapp.profile.photos import PHOTO_SIZES, prepare_photo
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    if mode == "archive":
        prepare_photo(io.BytesIO(data))
    else:
        image = ImageOps.exif_transpose(Image.open(io.BytesIO(data))).convert("RGB")
        for size in PHOTO_SIZES:
            ImageOps.fit(image, (size, size), Image.Resampling.LANCZOS).save(io.BytesIO(), "JPEG")
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": seconds, "above_baseline_mb": (peak - baseline) / 1024}))
"""


def photo(fmt: str) -> bytes:
    """A picture with detail (so the encoders have work to do), just under its format's limit."""
    width, height = SIZES[fmt]
    image = Image.new("RGB", (width, height), (30, 110, 160))
    draw = ImageDraw.Draw(image)
    for x in range(0, width, 97):
        draw.line([(x, 0), (width - x, height)], fill=(x % 255, 200, 90), width=9)
    buffer = io.BytesIO()
    image.save(buffer, fmt, quality=90) if fmt != "PNG" else image.save(buffer, fmt, compress_level=1)
    return buffer.getvalue()


def measure(mode: str, path: Path) -> dict:
    done = subprocess.run([sys.executable, "-c", MEASURE, mode, str(path)], cwd=ROOT,
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(done.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    print("Memory above the interpreter's baseline, in a fresh process each", flush=True)
    with tempfile.TemporaryDirectory() as folder:
        for fmt, (width, height) in SIZES.items():
            path = Path(folder) / f"photo.{fmt.lower()}"
            started = time.perf_counter()
            path.write_bytes(photo(fmt))
            made = time.perf_counter() - started
            ours, peer = measure("archive", path), measure("peer", path)
            print(f"{fmt:5} {width * height / 1e6:4.1f} MP ({path.stat().st_size / 1e6:4.1f} MB, "
                  f"made in {made:4.1f} s): "
                  f"archive {ours['above_baseline_mb']:6.0f} MB {ours['seconds']:5.2f} s | "
                  f"Pillow plain {peer['above_baseline_mb']:6.0f} MB {peer['seconds']:5.2f} s | "
                  f"ratio {ours['above_baseline_mb'] / max(1.0, peer['above_baseline_mb']):.2f}")


if __name__ == "__main__":
    main()
