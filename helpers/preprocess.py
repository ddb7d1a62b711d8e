"""Turn any picture of one digit into the 28x28 input the network was trained on (notebook 07).

MNIST's digits were not simply shrunk to 28x28. Each was cropped to its ink, scaled so
its longer side is 20 pixels (keeping its shape, anti-aliased), and placed in a 28x28
frame so that its centre of mass sits at the centre. A drawing or a photo has to go
through the same steps, or the network sees something it never met in training.
Notebook 07 builds these steps one by one; :func:`to_mnist` chains them:

1. :func:`to_grayscale`   any 2-D array, RGB or RGBA -> one grey level per pixel;
2. :func:`rescale`        stretch the image's own minimum..maximum to 0..1;
3. :func:`ink_on_dark`    make the ink bright on a black background, as in MNIST;
4. :func:`crop_to_ink`    cut away the empty margins;
5. :func:`fit_in_box`     resize so the longer side is 20 pixels;
6. :func:`centre_by_mass` paste into 28x28 with the centre of mass at the centre.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

MNIST_SIZE = 28
MNIST_BOX = 20
INK_THRESHOLD = 0.1
BACKGROUND_PERCENTILE = 90  # on the 0..1 scale: fainter pixels do not count as ink when cropping
# ITU-R BT.601 luma weights, the ones Pillow's RGB -> "L" conversion uses.
LUMA_WEIGHTS = np.array([0.299, 0.587, 0.114])


def to_grayscale(image: np.ndarray) -> np.ndarray:
    """Check ``image`` and return it as a 2-D float64 array of grey levels (any range).

    Accepts a 2-D array (height, width), or (height, width, 1), (height, width, 3) RGB or
    (height, width, 4) RGBA, of any real numeric dtype. In RGBA, an alpha channel that
    varies is the ink (a drawing on a transparent canvas); a constant alpha is ignored.

    Raises:
        ValueError: wrong shape, empty, non-numeric, complex, NaN or infinite values.
    """
    array = np.asarray(image)
    if array.dtype.kind not in "biuf":
        raise ValueError(f"expected an array of numbers, got dtype {array.dtype}.")
    if array.ndim == 3 and array.shape[2] in (1, 3, 4):
        array = colour_to_grey(array)
    if array.ndim != 2:
        raise ValueError(
            f"expected a grayscale image (height, width) or a colour image (height, width, 3 or 4); "
            f"got an array of shape {array.shape}.")
    if array.size == 0:
        raise ValueError(f"the image is empty (shape {array.shape}).")
    array = array.astype(np.float64)
    if not np.isfinite(array).all():
        raise ValueError("the image holds NaN or infinite values; replace them before converting.")
    return array


def colour_to_grey(image: np.ndarray) -> np.ndarray:
    """(h, w, 1|3|4) -> (h, w): a varying alpha channel is the ink, else the RGB luma."""
    channels = image.shape[2]
    if channels == 1:
        return image[:, :, 0]
    if channels == 4:
        alpha = image[:, :, 3]
        if alpha.min() != alpha.max():
            return alpha
    return image[:, :, :3].astype(np.float64) @ LUMA_WEIGHTS


def rescale(image: np.ndarray) -> np.ndarray:
    """Stretch the image's own minimum..maximum to 0..1 (float64).

    Raises:
        ValueError: every pixel has the same value, so there is nothing to find.
    """
    low, high = float(image.min()), float(image.max())
    if low == high:
        raise ValueError("the image is blank: every pixel has the same value, so there is no digit to find.")
    if not np.isfinite(high - low):  # e.g. -1e308 and 1e308: halve first so the span fits in a float
        image, low, high = image / 2, low / 2, high / 2
    return np.clip((image - low) / (high - low), 0.0, 1.0)


def ink_on_dark(image: np.ndarray) -> np.ndarray:
    """Return a 0..1 image with bright ink on a black background, as in MNIST.

    The picture's border is taken to be background: if its median is light, the ink was
    dark-on-light (pen on paper) and the image is inverted. Then the background level is
    subtracted, so grey paper or uneven light becomes black: the level is the border's
    90th percentile (the brightest the background gets, ignoring a little ink that
    touches the edge). A clean background (MNIST, a drawing canvas) is 0 and stays so.
    """
    border = np.concatenate([image[0], image[-1], image[:, 0], image[:, -1]])
    if np.median(border) > 0.5:
        image = 1.0 - image
        border = 1.0 - border
    background = min(float(np.percentile(border, BACKGROUND_PERCENTILE)), 0.5)
    return np.clip((image - background) / (1.0 - background), 0.0, 1.0)


def crop_to_ink(image: np.ndarray, threshold: float = INK_THRESHOLD) -> np.ndarray:
    """Cut the image down to the smallest rectangle holding every pixel brighter than ``threshold``."""
    rows = np.flatnonzero((image > threshold).any(axis=1))
    columns = np.flatnonzero((image > threshold).any(axis=0))
    if rows.size == 0:
        raise ValueError("the image is blank: no pixel is bright enough to be ink.")
    return image[rows[0]:rows[-1] + 1, columns[0]:columns[-1] + 1]


def fit_in_box(image: np.ndarray, box: int = MNIST_BOX) -> np.ndarray:
    """Resize so the longer side is ``box`` pixels, keeping the aspect ratio (float32, max 1).

    Pillow's bicubic filter anti-aliases, as MNIST's own normalisation did (when
    shrinking, each new pixel is a weighted average of the old pixels it covers). The
    result is clipped to 0..1 (bicubic can overshoot a little at sharp edges) and
    stretched so the ink's brightest pixel is 1, like MNIST's strokes.
    """
    height, width = image.shape
    scale = box / max(height, width)
    new_size = (max(1, round(width * scale)), max(1, round(height * scale)))  # Pillow wants (w, h)
    resized = Image.fromarray(image.astype(np.float32)).resize(new_size, Image.Resampling.BICUBIC)
    fitted = np.clip(np.asarray(resized, dtype=np.float32), 0.0, 1.0)
    return fitted / fitted.max() if fitted.max() > 0 else fitted


def centre_of_mass(image: np.ndarray) -> tuple[float, float]:
    """The brightness-weighted mean (row, column) of the image."""
    total = image.sum()
    rows, columns = np.indices(image.shape)
    return float((rows * image).sum() / total), float((columns * image).sum() / total)


def centre_by_mass(digit: np.ndarray, size: int = MNIST_SIZE) -> np.ndarray:
    """Paste ``digit`` into a ``size`` x ``size`` black frame with its centre of mass at the centre.

    The shift is in whole pixels (as MNIST's was), so the centre of mass lands within
    half a pixel of (14, 14). A digit whose mass sits far off its middle is moved only as
    far as keeps all its ink inside the frame.
    """
    height, width = digit.shape
    mass_row, mass_column = centre_of_mass(digit)
    top = int(np.clip(round(size // 2 - mass_row), 0, size - height))
    left = int(np.clip(round(size // 2 - mass_column), 0, size - width))
    frame = np.zeros((size, size), dtype=np.float32)
    frame[top:top + height, left:left + width] = digit
    return frame


def to_mnist(image: np.ndarray) -> np.ndarray:
    """Any picture of one digit -> float32 (28, 28) in [0, 1], prepared exactly like MNIST.

    ``image`` may be a 2-D grayscale array of any size, dtype and value range (rescaled by
    its own minimum and maximum), ink dark-on-light or light-on-dark (detected from the
    border), or an RGB/RGBA array (a varying alpha channel counts as the ink). The digit
    is cropped to its ink, fitted into 20x20 keeping its aspect ratio and centred in 28x28
    by its centre of mass.

    Raises:
        ValueError: the image is blank, holds NaN or infinite values, or has the wrong shape.
    """
    grey = ink_on_dark(rescale(to_grayscale(image)))
    return centre_by_mass(fit_in_box(crop_to_ink(grey)))


def paste_digit(digit: np.ndarray, *, scale: float, top: int, left: int,
                canvas_size: int = 112) -> np.ndarray:
    """Enlarge or shrink a uint8 digit by ``scale`` and paste it into a black square canvas.

    The test-bench for :func:`to_mnist`: the same digit at another size and place, as a
    drawing or a photo would give it. The pasted digit must fit: ``top``/``left`` are
    clipped so it does.
    """
    side = max(1, round(digit.shape[0] * scale))
    resized = np.asarray(Image.fromarray(digit).resize((side, side), Image.Resampling.BILINEAR))
    canvas = np.zeros((canvas_size, canvas_size), dtype=np.uint8)
    top, left = min(max(top, 0), canvas_size - side), min(max(left, 0), canvas_size - side)
    canvas[top:top + side, left:left + side] = resized
    return canvas


def paste_at_random(digit: np.ndarray, rng: np.random.Generator, *, scales: tuple[float, float] = (0.75, 3.5),
                    canvas_size: int = 112) -> np.ndarray:
    """:func:`paste_digit` at a random scale (uniform in ``scales``) and a random place."""
    scale = rng.uniform(*scales)
    side = max(1, round(digit.shape[0] * scale))
    top, left = rng.integers(0, canvas_size - side + 1, size=2)
    return paste_digit(digit, scale=scale, top=int(top), left=int(left), canvas_size=canvas_size)
