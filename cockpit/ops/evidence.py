"""What an evidence file must be: a whole image or document of the type its name says, read by
the libraries that read such files (Pillow, pypdf), not only its first bytes. A file that merely
starts like a PNG (a PNG header before HTML), one cut short, one with bytes after its end, an
image that unpacks to more pixels than a photo has, or a PDF that is encrypted or would run
script when opened is refused."""
from __future__ import annotations

import io
import re

from PIL import Image
from pypdf import PdfReader
from pypdf.errors import PyPdfError

# extension -> (the bytes such a file starts with, the reader's name for its format)
TYPES = {".png": (b"\x89PNG\r\n\x1a\n", "PNG"), ".jpg": (b"\xff\xd8\xff", "JPEG"),
         ".jpeg": (b"\xff\xd8\xff", "JPEG"), ".pdf": (b"%PDF-", "PDF")}
PIXELS_MAX = 50_000_000  # a 50-megapixel photo; more is a decompression bomb, not a photo
# Names in a PDF that make a reader act on opening or run code (whole names: a font subset
# such as /AAAAAA+SimSun is not /AA).
PDF_ACTIVE = re.compile(rb"/(JavaScript|JS|Launch|OpenAction|AA|EmbeddedFiles?|RichMedia)(?![^\s/<>\[\]()])")


def acceptable(ext: str, content: bytes) -> bool:
    if ext not in TYPES or not content.startswith(TYPES[ext][0]):
        return False
    kind = TYPES[ext][1]
    return _whole_pdf(content) if kind == "PDF" else _whole_image(content, kind)


def _whole_image(content: bytes, kind: str) -> bool:
    # The file must end where the image ends (PNG's IEND chunk, JPEG's end-of-image marker,
    # padding aside): anything after it is not the photo.
    end = b"IEND\xaeB`\x82" if kind == "PNG" else b"\xff\xd9"
    if not content.rstrip(b"\0").endswith(end):
        return False
    try:
        # (Pillow itself refuses an image of more than twice its own limit while opening it)
        with Image.open(io.BytesIO(content), formats=[kind]) as image:
            if image.width * image.height > PIXELS_MAX:
                return False
            image.load()  # every pixel decoded: a file cut short or corrupt fails here
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return False
    return True


def _whole_pdf(content: bytes) -> bool:
    if PDF_ACTIVE.search(content):
        return False
    try:
        reader = PdfReader(io.BytesIO(content), strict=True)
        if reader.is_encrypted or len(reader.pages) == 0:
            return False
        # names inside compressed object streams are not in the raw bytes: look where they go
        root = reader.trailer["/Root"]
        if any(key in root for key in ("/OpenAction", "/AA")) or "/JavaScript" in root.get("/Names", {}):
            return False
        return not any("/AA" in page for page in reader.pages)
    except (PyPdfError, OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return False
