"""Picture files for upload tests: honest ones with metadata, and every kind of bad one."""

import io
import struct
import zlib

from PIL import ExifTags, Image, ImageCms

GPS = {ExifTags.GPS.GPSLatitudeRef: "N", ExifTags.GPS.GPSLatitude: (37.0, 33.0, 59.0)}
SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def camera_exif(orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.Model] = "Phone 12 Pro"
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.IFD.GPSInfo] = GPS
    return exif


def phone_jpeg(size=(80, 40), orientation: int = 6, comment: bytes = b"taken at home") -> bytes:
    """A phone photo stored sideways: EXIF with GPS and device, XMP, a comment, an ICC profile."""
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(
        buffer,
        format="JPEG",
        exif=camera_exif(orientation),
        icc_profile=SRGB,
        comment=comment,
        xmp=b"<x:xmpmeta><rdf:Description photoshop:City='Seoul'/></x:xmpmeta>",
    )
    return buffer.getvalue()


def jpeg_bytes(size=(64, 48), color=(20, 90, 160)) -> bytes:
    """A plain JPEG with no metadata, the picture most tests need."""
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="JPEG")
    return buffer.getvalue()


def jpeg_file(folder, name: str = "photo.jpg", size=(1200, 800)):
    """A JPEG on disk, for the browser journeys' file pickers."""
    path = folder / name
    path.write_bytes(jpeg_bytes(size))
    return path


def cut_jpeg() -> bytes:
    """The first half of a detailed JPEG: its header is whole, its pixels end midway."""
    buffer = io.BytesIO()
    Image.effect_noise((400, 300), 60).convert("RGB").save(buffer, format="JPEG")
    return buffer.getvalue()[: len(buffer.getvalue()) // 2]


def png_bytes(size=(60, 30), mode="RGBA", **options) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, (10, 120, 40, 200) if mode == "RGBA" else 128).save(
        buffer, format="PNG", **options
    )
    return buffer.getvalue()


def webp_bytes(size=(60, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (10, 20, 200)).save(buffer, format="WEBP", exif=camera_exif())
    return buffer.getvalue()


def gif_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("P", (20, 20)).save(buffer, format="GIF")
    return buffer.getvalue()


def animated_png(frames: int, size=(80, 50)) -> bytes:
    buffer = io.BytesIO()
    images = [Image.new("RGB", size, (n * 40, 0, 0)) for n in range(frames)]
    images[0].save(buffer, format="PNG", save_all=True, append_images=images[1:], duration=80)
    return buffer.getvalue()


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims `width` x `height` pixels: a decompression bomb's shape."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", idat)
        + _png_chunk(b"IEND", b"")
    )


def _iptc(record: int, dataset: int, value: str) -> bytes:
    data = value.encode()
    return struct.pack(">BBBH", 0x1C, record, dataset, len(data)) + data


def jpeg_with_iptc(caption: str, credit: str, copyright_notice: str = "") -> bytes:
    """A JPEG with the IPTC block picture desks write (Photoshop APP13, resource 0x0404)."""
    iptc = _iptc(1, 90, "\x1b%G")  # UTF-8
    iptc += _iptc(2, 120, caption) + _iptc(2, 110, credit)
    if copyright_notice:
        iptc += _iptc(2, 116, copyright_notice)
    if len(iptc) % 2:
        iptc += b"\x00"
    resource = b"8BIM" + struct.pack(">H", 0x0404) + b"\x00\x00" + struct.pack(">I", len(iptc))
    payload = b"Photoshop 3.0\x00" + resource + iptc
    app13 = b"\xff\xed" + struct.pack(">H", len(payload) + 2) + payload
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (20, 90, 160)).save(buffer, format="JPEG")
    jpeg = buffer.getvalue()
    return jpeg[:2] + app13 + jpeg[2:]


SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
