// The MNIST recipe and the dense network's forward pass in plain JavaScript: a faithful port
// of helpers/preprocess.py's to_mnist (for a drawing's ink values) and of a Keras
// Flatten -> Dense(relu) ... -> Dense(softmax) network. No dependencies and no DOM: the
// drawing canvas (helpers/canvas.js), the website's canvas page and the Node tests
// (tests/test_mnist_js.py) import this one file.
//
// Numbers follow NumPy and Pillow step by step: float64 arithmetic where they use float64,
// float32 rounding (Math.fround) where they store float32, Python's round-half-to-even,
// NumPy's median and linear percentile, and Pillow's bicubic resampling of a mode "F"
// image (two passes, horizontal first, float32 in between, float64 coefficients).

export const MNIST_SIDE = 28;
export const MNIST_BOX = 20;
export const INK_THRESHOLD = 0.1;
export const BACKGROUND_PERCENTILE = 90;

// ---------------------------------------------------------------- small numeric helpers

/** Python's round(): to the nearest integer, halves to the even neighbour. */
export function roundHalfEven(value) {
  const floor = Math.floor(value);
  const fraction = value - floor;
  if (fraction > 0.5) return floor + 1;
  if (fraction < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

function sortedCopy(values) {
  return Float64Array.from(values).sort();
}

/** NumPy's median of a list of numbers. */
function median(values) {
  const sorted = sortedCopy(values);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** NumPy's percentile with its default "linear" method (including its lerp formula). */
function percentile(values, q) {
  const sorted = sortedCopy(values);
  const position = (q / 100) * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  const t = position - below;
  const a = sorted[below];
  const difference = sorted[above] - a;
  return t >= 0.5 ? sorted[above] - difference * (1 - t) : a + difference * t;
}

function clip01(value) {
  return value < 0 ? 0 : value > 1 ? 1 : value;
}

// ---------------------------------------------------------------- the MNIST recipe

/**
 * A grey image: { width, height, data } with data a Float64Array (or Float32Array) row by row.
 * @param {number} width @param {number} height @param {ArrayLike<number>} data
 */
export function greyImage(width, height, data) {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`image size must be positive whole numbers, got ${width}x${height}`);
  }
  if (data.length !== width * height) {
    throw new RangeError(`a ${width}x${height} image needs ${width * height} values, got ${data.length}`);
  }
  return { width, height, data };
}

/** preprocess.rescale: stretch the image's own minimum..maximum to 0..1, or null when blank. */
export function rescale({ width, height, data }) {
  let low = Infinity;
  let high = -Infinity;
  for (let i = 0; i < data.length; i++) {
    const value = data[i];
    if (value < low) low = value;
    if (value > high) high = value;
  }
  if (low === high) return null;
  const span = high - low;
  const out = new Float64Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = clip01((data[i] - low) / span);
  return { width, height, data: out };
}

function borderOf({ width, height, data }) {
  // NumPy's concatenate of the first row, last row, first column, last column (corners twice).
  const border = [];
  for (let x = 0; x < width; x++) border.push(data[x]);
  for (let x = 0; x < width; x++) border.push(data[(height - 1) * width + x]);
  for (let y = 0; y < height; y++) border.push(data[y * width]);
  for (let y = 0; y < height; y++) border.push(data[y * width + width - 1]);
  return border;
}

/** preprocess.ink_on_dark: bright ink on black; light paper is inverted, its level removed. */
export function inkOnDark(image) {
  let { data } = image;
  let border = borderOf(image);
  if (median(border) > 0.5) {
    data = data.map((value) => 1 - value);
    border = border.map((value) => 1 - value);
  }
  const background = Math.min(percentile(border, BACKGROUND_PERCENTILE), 0.5);
  const out = new Float64Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = clip01((data[i] - background) / (1 - background));
  return { width: image.width, height: image.height, data: out };
}

/** preprocess.crop_to_ink: the smallest rectangle holding every pixel above the threshold, or null. */
export function cropToInk({ width, height, data }, threshold = INK_THRESHOLD) {
  let top = height;
  let bottom = -1;
  let left = width;
  let right = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (data[y * width + x] > threshold) {
        if (y < top) top = y;
        if (y > bottom) bottom = y;
        if (x < left) left = x;
        if (x > right) right = x;
      }
    }
  }
  if (bottom < 0) return null;
  const croppedWidth = right - left + 1;
  const croppedHeight = bottom - top + 1;
  const out = new Float64Array(croppedWidth * croppedHeight);
  for (let y = 0; y < croppedHeight; y++) {
    for (let x = 0; x < croppedWidth; x++) out[y * croppedWidth + x] = data[(top + y) * width + left + x];
  }
  return { width: croppedWidth, height: croppedHeight, data: out };
}

function bicubic(x) {
  const a = -0.5; // Pillow's bicubic kernel
  if (x < 0) x = -x;
  if (x < 1) return ((a + 2) * x - (a + 3)) * x * x + 1;
  if (x < 2) return (((x - 5) * x + 8) * x - 4) * a;
  return 0;
}

/**
 * Pillow's precompute_coeffs for one axis: for output pixel i, its inputs start at starts[i] and
 * count[i] of them are weighted by weights[i * stride ...] (normalised to sum to 1).
 */
function resampleCoefficients(inSize, outSize) {
  const scale = inSize / outSize;
  const filterScale = Math.max(scale, 1);
  const support = 2 * filterScale; // bicubic support 2, widened when shrinking (anti-aliasing)
  const stride = Math.ceil(support) * 2 + 1;
  const starts = new Int32Array(outSize);
  const counts = new Int32Array(outSize);
  const weights = new Float64Array(outSize * stride);
  for (let xx = 0; xx < outSize; xx++) {
    const centre = (xx + 0.5) * scale;
    const xmin = Math.max(Math.trunc(centre - support + 0.5), 0);
    const xmax = Math.min(Math.trunc(centre + support + 0.5), inSize);
    let total = 0;
    for (let x = xmin; x < xmax; x++) {
      const w = bicubic((x - centre + 0.5) / filterScale);
      weights[xx * stride + x - xmin] = w;
      total += w;
    }
    if (total !== 0) for (let k = 0; k < xmax - xmin; k++) weights[xx * stride + k] /= total;
    starts[xx] = xmin;
    counts[xx] = xmax - xmin;
  }
  return { starts, counts, weights, stride };
}

/** One pass of Pillow's resampling along rows (step 1) or columns (step = width): float32 results. */
function resamplePass(source, lines, lineStep, pixelStep, outLength, outLineStep, outPixelStep, coefficients) {
  const { starts, counts, weights, stride } = coefficients;
  const out = new Float32Array(lines * outLength);
  for (let line = 0; line < lines; line++) {
    for (let i = 0; i < outLength; i++) {
      const first = line * lineStep + starts[i] * pixelStep;
      const w0 = i * stride;
      let sum = 0;
      for (let k = 0; k < counts[i]; k++) sum += source[first + k * pixelStep] * weights[w0 + k];
      out[line * outLineStep + i * outPixelStep] = sum; // stored as float32, like Pillow's images
    }
  }
  return out;
}

/** Pillow's Image.resize(size, BICUBIC) of a mode "F" (float32) image: horizontal pass first. */
export function resizeBicubic({ width, height, data }, newWidth, newHeight) {
  let pixels = Float32Array.from(data);
  if (newWidth !== width) {
    pixels = resamplePass(pixels, height, width, 1, newWidth, newWidth, 1, resampleCoefficients(width, newWidth));
  }
  if (newHeight !== height) {
    pixels = resamplePass(pixels, newWidth, 1, newWidth, newHeight, 1, newWidth,
      resampleCoefficients(height, newHeight));
  }
  return { width: newWidth, height: newHeight, data: pixels };
}

/** preprocess.fit_in_box: longer side to `box` pixels, aspect kept, clipped, brightest pixel 1 (float32). */
export function fitInBox(image, box = MNIST_BOX) {
  const scale = box / Math.max(image.height, image.width);
  const newWidth = Math.max(1, roundHalfEven(image.width * scale));
  const newHeight = Math.max(1, roundHalfEven(image.height * scale));
  const resized = resizeBicubic(image, newWidth, newHeight);
  const fitted = resized.data.map(clip01);
  let brightest = 0;
  for (const value of fitted) if (value > brightest) brightest = value;
  if (brightest > 0) for (let i = 0; i < fitted.length; i++) fitted[i] = fitted[i] / brightest;
  return { width: newWidth, height: newHeight, data: fitted };
}

/** preprocess.centre_of_mass: the brightness-weighted mean [row, column]. */
export function centreOfMass({ width, height, data }) {
  let total = 0;
  let rowSum = 0;
  let columnSum = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const value = data[y * width + x];
      total += value;
      rowSum += y * value;
      columnSum += x * value;
    }
  }
  return [rowSum / total, columnSum / total];
}

/** preprocess.centre_by_mass: paste into a black size x size frame, centre of mass at the centre. */
export function centreByMass(digit, size = MNIST_SIDE) {
  const [massRow, massColumn] = centreOfMass(digit);
  const clamp = (value, high) => Math.min(Math.max(value, 0), high);
  const top = clamp(roundHalfEven(Math.floor(size / 2) - massRow), size - digit.height);
  const left = clamp(roundHalfEven(Math.floor(size / 2) - massColumn), size - digit.width);
  const frame = new Float32Array(size * size);
  for (let y = 0; y < digit.height; y++) {
    for (let x = 0; x < digit.width; x++) frame[(top + y) * size + left + x] = digit.data[y * digit.width + x];
  }
  return frame;
}

/**
 * preprocess.to_mnist for a grey image: the 28x28 input (Float32Array of 784 values in 0..1),
 * or null when the image is blank (Python raises ValueError there).
 */
export function toMnist(image) {
  const scaled = rescale(image);
  if (!scaled) return null;
  const cropped = cropToInk(inkOnDark(scaled));
  if (!cropped) return null;
  return centreByMass(fitInBox(cropped));
}

/**
 * toMnist for a canvas' ink values: size * size bytes (0 = empty, 255 = ink), row by row.
 * The same arithmetic as toMnist, faster: a pixel's value after rescale and inkOnDark depends
 * only on its byte, so those steps are computed once per possible byte (256 values) and the
 * drawing is read through that table; only the crop becomes floating-point numbers.
 */
export function drawingToMnist(alpha, size) {
  if (alpha.length !== size * size) {
    throw new RangeError(`a ${size}x${size} drawing needs ${size * size} values, got ${alpha.length}`);
  }
  if (!(alpha instanceof Uint8Array || alpha instanceof Uint8ClampedArray)) {
    return toMnist(greyImage(size, size, alpha));
  }
  const table = inkTable(alpha, size);
  return table ? centreByMass(fitInBox(cropBytes(alpha, size, table))) : null;
}

/** The value rescale + inkOnDark give each byte 0..255 in this drawing, or null when it is blank. */
function inkTable(alpha, size) {
  let low = 255;
  let high = 0;
  for (let i = 0; i < alpha.length; i++) {
    const value = alpha[i];
    if (value < low) low = value;
    if (value > high) high = value;
  }
  if (low === high) return null;
  const scaled = new Float64Array(256);
  for (let value = 0; value < 256; value++) scaled[value] = clip01((value - low) / (high - low));
  const border = borderOf({ width: size, height: size, data: alpha }).map((value) => scaled[value]);
  const inverted = median(border) > 0.5;
  const paper = inverted ? border.map((value) => 1 - value) : border;
  const background = Math.min(percentile(paper, BACKGROUND_PERCENTILE), 0.5);
  const table = new Float64Array(256);
  for (let value = 0; value < 256; value++) {
    const grey = inverted ? 1 - scaled[value] : scaled[value];
    table[value] = clip01((grey - background) / (1 - background));
  }
  return table;
}

/** cropToInk of the drawing read through `table`; null when no byte is bright enough. */
function cropBytes(alpha, size, table, threshold = INK_THRESHOLD) {
  const isInk = table.map((value) => (value > threshold ? 1 : 0));
  let top = size;
  let bottom = -1;
  let left = size;
  let right = -1;
  for (let y = 0; y < size; y++) {
    const row = y * size;
    for (let x = 0; x < size; x++) {
      if (isInk[alpha[row + x]]) {
        if (y < top) top = y;
        bottom = y;
        if (x < left) left = x;
        if (x > right) right = x;
      }
    }
  }
  if (bottom < 0) return null;
  const width = right - left + 1;
  const height = bottom - top + 1;
  const data = new Float64Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) data[y * width + x] = table[alpha[(top + y) * size + left + x]];
  }
  return { width, height, data };
}

// ---------------------------------------------------------------- the network

export const NETWORK_MAGIC = "MLP1";

/**
 * Read a network file (the format helpers/weights.py writes; see site/README.md):
 * "MLP1", a uint32 count n of layer sizes, n uint32 sizes (784, 128, 10), then for each layer
 * its float32 weights (inputs x outputs, row by row) and float32 biases, all little-endian.
 * Hidden layers use ReLU, the last one softmax.
 * @param {ArrayBuffer|ArrayBufferView} buffer
 */
export function parseNetwork(buffer) {
  const bytes = ArrayBuffer.isView(buffer)
    ? new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength)
    : new Uint8Array(buffer);
  const copy = bytes.slice(); // aligned, and safe from later changes to the source
  const view = new DataView(copy.buffer);
  const magic = String.fromCharCode(...copy.subarray(0, 4));
  if (copy.length < 8 || magic !== NETWORK_MAGIC) {
    throw new Error(`not a network file: it should start with "${NETWORK_MAGIC}", not "${magic}"`);
  }
  const count = view.getUint32(4, true);
  if (count < 2 || copy.length < 8 + 4 * count) throw new Error(`a network file needs at least 2 layer sizes, got ${count}`);
  const sizes = Array.from({ length: count }, (_, i) => view.getUint32(8 + 4 * i, true));
  let offset = 8 + 4 * count;
  const expected = offset + 4 * sizes.slice(1).reduce((sum, n, i) => sum + sizes[i] * n + n, 0);
  if (copy.length !== expected) {
    throw new Error(`a ${sizes.join("-")} network file has ${expected} bytes, this one ${copy.length}`);
  }
  const floats = (length) => {
    const values = new Float32Array(copy.buffer, offset, length);
    offset += 4 * length;
    return values;
  };
  const layers = sizes.slice(1).map((outputs, i) => ({
    inputs: sizes[i], outputs, weights: floats(sizes[i] * outputs), biases: floats(outputs),
  }));
  return { sizes, layers };
}

function dense({ inputs, outputs, weights, biases }, x) {
  const y = Float64Array.from(biases);
  for (let i = 0; i < inputs; i++) {
    const xi = x[i];
    if (xi === 0) continue; // most of a digit is black: skip its rows of weights
    const row = i * outputs;
    for (let j = 0; j < outputs; j++) y[j] += xi * weights[row + j];
  }
  return y;
}

function softmax(logits) {
  const highest = Math.max(...logits);
  const exps = logits.map((value) => Math.exp(value - highest));
  const total = exps.reduce((sum, value) => sum + value, 0);
  return exps.map((value) => value / total);
}

/**
 * The forward pass: { hidden: the first hidden layer's activations, probabilities: ten numbers }.
 * @param {{sizes: number[], layers: object[]}} network @param {ArrayLike<number>} image 784 values
 */
export function forward(network, image) {
  if (image.length !== network.sizes[0]) {
    throw new RangeError(`the network takes ${network.sizes[0]} values, got ${image.length}`);
  }
  let activation = image;
  let hidden = null;
  network.layers.forEach((layer, index) => {
    const z = dense(layer, activation);
    if (index === network.layers.length - 1) {
      activation = softmax(z);
    } else {
      activation = z.map((value) => (value > 0 ? value : 0));
      hidden ??= activation;
    }
  });
  return { hidden, probabilities: activation };
}

/** The `count` most probable digits, best first: [{ digit, probability }]. */
export function topAnswers(probabilities, count = 3) {
  return Array.from(probabilities, (probability, digit) => ({ digit, probability }))
    .sort((a, b) => b.probability - a.probability || a.digit - b.digit)
    .slice(0, count);
}

/** Drawing in, answer out: { image, hidden, probabilities, prediction, confidence } or null when blank. */
export function readDrawing(network, alpha, size) {
  const image = drawingToMnist(alpha, size);
  if (!image) return null;
  const { hidden, probabilities } = forward(network, image);
  const [best] = topAnswers(probabilities, 1);
  return { image, hidden, probabilities, prediction: best.digit, confidence: best.probability };
}
