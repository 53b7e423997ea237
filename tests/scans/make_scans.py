"""Real-looking scans, made in the tests: the pipeline's own paperwork (with its page codes)
rendered to PDF by LibreOffice, drawn at a scanner's 150-300 dpi, turned a few degrees, with
speckle noise and the shadow of a fold, joined as an image-only PDF as a scanner writes it;
and a phone photo (a 12-megapixel JPEG, lit unevenly). Without LibreOffice, `drawn_page`
makes a page the same size with the same code (Pillow only), so the reader is still tested.

    python3 tests/scans/make_scans.py OUT_FOLDER     # writes examples to look at
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a script: the repository root is importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PIL import Image, ImageDraw, ImageFilter  # noqa: E402

A4_MM = (210, 297)


def pages_of(pdf: Path, dpi: int) -> list[Image.Image]:
    """The PDF's pages as a scanner sees them (pdfium draws them; greyscale)."""
    from pipeline.extract.pdfium import page_images

    return [im.convert("L") for im in page_images(pdf, dpi=dpi)]


def drawn_page(code_png: bytes, dpi: int, text: str = "Family Time Agreement") -> Image.Image:
    """A plain A4 page at `dpi` with the code in the top left corner, as the stamp puts it."""
    import io

    w, h = (round(mm / 25.4 * dpi) for mm in A4_MM)
    page = Image.new("L", (w, h), 255)
    draw = ImageDraw.Draw(page)
    for i in range(30):  # lines of "text"
        y = round((40 + i * 7) / 25.4 * dpi)
        draw.rectangle([round(20 / 25.4 * dpi), y, w - round(20 / 25.4 * dpi), y + dpi // 40], 90)
    draw.text((round(20 / 25.4 * dpi), round(15 / 25.4 * dpi)), text, fill=0)
    from pipeline.scans.stamp import CORNER_MM, SIZE_MM

    code = Image.open(io.BytesIO(code_png)).convert("L")
    side = round(SIZE_MM / 25.4 * dpi)  # the size and place the stamp gives it
    code = code.resize((side, side), Image.BILINEAR)
    page.paste(code, (round(CORNER_MM / 25.4 * dpi), round(CORNER_MM / 25.4 * dpi)))
    return page


def scanned(page: Image.Image, angle: float, seed: int, dpi: int) -> Image.Image:
    """A page as a scanner gives it back: turned, speckled, a fold's shadow across it."""
    rnd = random.Random(seed)
    out = page.convert("L").rotate(angle, resample=Image.BICUBIC, expand=True, fillcolor=255)
    w, h = out.size
    noise = Image.effect_noise((w, h), 28).point(lambda v: v - 128)  # centred on 0
    out = Image.eval(Image.blend(out, noise.convert("L"), 0.10), lambda v: min(255, v + 12))
    fold = Image.new("L", (w, h), 0)
    draw = ImageDraw.Draw(fold)
    middle = h // 2 + rnd.randint(-h // 20, h // 20)
    for dy in range(-dpi // 6, dpi // 6):  # a soft grey band: the fold's shadow
        draw.line([(0, middle + dy), (w, middle + dy)], fill=round(70 * (1 - abs(dy) / (dpi / 6))))
    out = Image.composite(Image.new("L", (w, h), 0), out, fold.point(lambda v: v))
    return out.filter(ImageFilter.GaussianBlur(0.6))


def image_pdf(pages: list[Image.Image], path: Path, dpi: int) -> Path:
    """An image-only PDF, one picture a page (no text at all), as a scanner writes it."""
    first, *rest = [p.convert("RGB") for p in pages]
    first.save(path, "PDF", save_all=True, append_images=rest, resolution=float(dpi))
    return path


def photo(page: Image.Image, path: Path, seed: int = 7) -> Path:
    """A phone photo of the page: 4000x3000 pixels, the page a little turned and smaller than
    the frame on a grey table, the light falling off to one side, saved as JPEG."""
    rnd = random.Random(seed)
    frame = Image.new("L", (3000, 4000), 110)
    turned = page.convert("L").rotate(rnd.uniform(-6, 6), expand=True, fillcolor=110)
    scale = 3600 / turned.size[1]
    turned = turned.resize((round(turned.size[0] * scale), 3600), Image.BICUBIC)
    frame.paste(turned, ((3000 - turned.size[0]) // 2, 200))
    light = Image.linear_gradient("L").resize(frame.size).point(lambda v: 255 - v // 4)
    lit = Image.composite(frame, Image.new("L", frame.size, 0), light)
    lit.convert("RGB").save(path, "JPEG", quality=82)
    return path


if __name__ == "__main__":
    from pipeline.scans.code import PageCode, png

    out = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    out.mkdir(parents=True, exist_ok=True)
    code = png(PageCode("FT-2026-00001", "agreement", 1, "1"))
    for dpi in (150, 200, 300):
        image_pdf([scanned(drawn_page(code, dpi), 2.5, dpi, dpi)], out / f"scan-{dpi}.pdf", dpi)
    photo(drawn_page(code, 300), out / "photo.jpg")
    print(f"written to {out}")
