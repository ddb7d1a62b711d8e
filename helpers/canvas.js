// The draw-a-digit canvas' front end: plain JavaScript, no build step, nothing loaded from the
// internet. Used two ways:
// - in a notebook, as the anywidget module of helpers/widgets.py (`export default { render }`);
//   Python inlines ./mnist.js in front of this file, since a widget module cannot import files;
// - on the website, as an ES module that the page imports (`mountCanvas`), with ./mnist.js beside it.
//
// Three parts: building the view (buildView), handling the pen (attachPen) and showing results
// (showAnswer, showBlank). Without a mouse: every control is a labelled button or select reached
// with Tab; "Choose a test digit" puts one of ten MNIST test digits on the pad as ink and answers
// exactly as for a drawing (the same preparation); the prediction and the top three are read out
// by screen readers through a live region (role="status"). When the canvas has a network it can run (the 784-128-10 dense
// network, its weights sent from Python or loaded from the website's file), it prepares the
// drawing and runs the network itself, answering at once; the notebook's Python side still
// receives every drawing. Otherwise (the CNN, or any model JavaScript cannot run) it shows the
// answer Python sends back.
import { MNIST_SIDE, parseNetwork, readDrawing, topAnswers } from "./mnist.js";

const PREVIEW_SCALE = 4; // the 28x28 image is shown 4x larger, pixel by pixel
const GRID_COLUMNS = 16; // the 128 hidden neurons as a 16 x 8 grid
const GRID_CELL = 12; // pixels per neuron
const BLANK_MESSAGE = "Draw a digit from 0 to 9.";
export const EXAMPLE_COUNT = 10; // the test digits 0-9, 784 bytes each (0 = paper, 255 = ink)

// ---------------------------------------------------------------- building the view

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function pixelCanvas(className, width, height, scale, label) {
  const canvas = element("canvas", className);
  canvas.width = width;
  canvas.height = height;
  canvas.style.width = `${width * scale}px`;
  canvas.style.height = `${height * scale}px`;
  canvas.setAttribute("role", "img");
  canvas.setAttribute("aria-label", label);
  return canvas;
}

function buildBars() {
  const bars = element("div", "mnist-bars");
  bars.setAttribute("role", "list");
  const parts = [];
  for (let digit = 0; digit < 10; digit++) {
    const column = element("div", "mnist-bar-column");
    column.setAttribute("role", "listitem");
    const value = element("div", "mnist-bar-value", "");
    const track = element("div", "mnist-bar-track");
    const fill = element("div", "mnist-bar-fill");
    track.append(fill);
    column.append(value, track, element("div", "mnist-bar-label", String(digit)));
    bars.append(column);
    parts.push({ column, value, fill });
  }
  return { bars, parts };
}

/** A select of the ten test digits ("Choose a test digit"), labelled, or null without examples. */
function buildExampleChooser(hasExamples) {
  if (!hasExamples) return { chooser: null, select: null };
  const chooser = element("label", "mnist-choose", "Or choose a test digit: ");
  const select = element("select", "mnist-example");
  select.append(element("option", "", "none"));
  select.firstChild.value = "";
  for (let digit = 0; digit < EXAMPLE_COUNT; digit++) {
    const option = element("option", "", `a ${digit} from the MNIST test set`);
    option.value = String(digit);
    select.append(option);
  }
  chooser.append(select);
  return { chooser, select };
}

/** Build the canvas' elements inside `el`; return the parts later steps fill in. */
export function buildView(el, size, { hasExamples = false } = {}) {
  const root = element("div", "mnist-canvas-widget");
  root.setAttribute("role", "group");
  root.setAttribute("aria-label", "Draw a digit: the network reads it");
  const drawSide = element("div", "mnist-draw-side");
  const pad = pixelCanvas("mnist-pad", size, size, 1,
    "Drawing area: draw one digit with the mouse, a finger or a pen, or choose a test digit below");
  const clearButton = element("button", "mnist-clear", "Clear");
  clearButton.type = "button";
  clearButton.setAttribute("aria-label", "Clear the drawing");
  const { chooser, select } = buildExampleChooser(hasExamples);
  const speed = element("div", "mnist-caption mnist-speed", "");
  drawSide.append(pad, clearButton, ...(chooser ? [chooser] : []), speed);

  const resultSide = element("div", "mnist-result-side");
  const message = element("div", "mnist-prediction", BLANK_MESSAGE);
  // what a screen reader announces after each answer: the prediction and the top three
  const announcer = element("div", "mnist-announce", "");
  announcer.setAttribute("role", "status");
  announcer.setAttribute("aria-live", "polite");
  announcer.setAttribute("aria-atomic", "true");
  const top3 = element("ol", "mnist-top3");
  top3.setAttribute("aria-label", "The three most likely digits");
  const caveat = element("div", "mnist-caveat",
    "Sure does not mean right: the network must pick one of 0-9, even for a scribble.");
  const preview = pixelCanvas("mnist-preview", MNIST_SIDE, MNIST_SIDE, PREVIEW_SCALE,
    "The drawing shrunk to 28 by 28 pixels, as the model receives it");
  const { bars, parts } = buildBars();
  const seen = element("div", "mnist-seen");
  const previewBox = element("div");
  previewBox.append(element("div", "mnist-caption", "What the model sees (28x28):"), preview);
  const barsBox = element("div");
  barsBox.append(element("div", "mnist-caption", "Probability of each digit:"), bars);
  seen.append(previewBox, barsBox);

  const hiddenBox = element("div", "mnist-hidden-box");
  const hiddenCaption = element("div", "mnist-caption", "");
  const grid = pixelCanvas("mnist-hidden", GRID_COLUMNS, 8, GRID_CELL, "The hidden neurons' activations");
  hiddenBox.append(hiddenCaption, grid);
  resultSide.append(message, announcer, top3, caveat, seen, hiddenBox);
  root.append(drawSide, resultSide);
  el.append(root);
  return { root, pad, pen: pad.getContext("2d", { willReadFrequently: true }), clearButton, select, speed, message,
    announcer, top3, preview, barParts: parts, hiddenBox, hiddenCaption, grid, size };
}

/** Size the hidden-neuron grid for `units` neurons (16 per row), or hide it when there are none. */
export function prepareHiddenGrid(view, units) {
  view.hiddenBox.hidden = !units;
  if (!units) return;
  const rows = Math.ceil(units / GRID_COLUMNS);
  view.grid.height = rows;
  view.grid.style.height = `${rows * GRID_CELL}px`;
  view.hiddenCaption.textContent = `The ${units} hidden neurons (${GRID_COLUMNS} x ${rows}; brighter = more active):`;
}

// ---------------------------------------------------------------- handling the pen, and the test digits

/** Ink on the pad for test digit `digit` of `examples` (28x28 each), each pixel a square: like a drawing. */
export function exampleInk(examples, digit, size) {
  const alpha = new Uint8Array(size * size);
  const offset = digit * MNIST_SIDE * MNIST_SIDE;
  const scale = size / MNIST_SIDE;
  for (let y = 0; y < size; y++) {
    const row = offset + Math.floor(y / scale) * MNIST_SIDE;
    for (let x = 0; x < size; x++) alpha[y * size + x] = examples[row + Math.floor(x / scale)];
  }
  return alpha;
}

/**
 * Let the keyboard choose a test digit: it is put on the pad as ink, then onStroke() answers as
 * for a drawing. Returns a function that detaches it.
 */
export function attachExamples(view, examples, onStroke) {
  if (!view.select || !examples) return () => {};
  const choose = () => {
    if (view.select.value === "") return;
    putInk(view, exampleInk(examples, Number(view.select.value), view.size));
    onStroke();
  };
  view.select.addEventListener("change", choose);
  return () => view.select.removeEventListener("change", choose);
}

/** The drawing's ink values: size * size bytes, 0 = empty, 255 = ink (the canvas' alpha channel). */
export function inkOf(view) {
  const { size, pen } = view;
  const rgba = pen.getImageData(0, 0, size, size).data;
  const alpha = new Uint8Array(size * size);
  for (let i = 0; i < alpha.length; i++) alpha[i] = rgba[4 * i + 3];
  return alpha;
}

/** Show ink values on the pad (a drawing replayed from Python). */
export function putInk(view, alpha) {
  const { size, pen } = view;
  if (!alpha.length) {
    pen.clearRect(0, 0, size, size);
    return;
  }
  const image = pen.createImageData(size, size);
  for (let i = 0; i < alpha.length; i++) image.data[4 * i + 3] = alpha[i];
  pen.putImageData(image, 0, 0);
}

/**
 * Let the mouse, a finger or a pen draw on the pad (Pointer Events). Calls onStroke() when a
 * stroke ends and onClear() on the Clear button. Returns a function that detaches it all.
 */
export function attachPen(view, { strokeWidth, onStroke, onClear }) {
  const { pad, pen, size } = view;
  let drawing = false;
  let last = null;
  const setPen = () => {
    pen.lineWidth = strokeWidth();
    pen.lineCap = "round";
    pen.lineJoin = "round";
    pen.strokeStyle = "#000";
    pen.fillStyle = "#000";
  };
  const pointOf = (event) => {
    const box = pad.getBoundingClientRect();
    return [(event.clientX - box.left) * (size / box.width), (event.clientY - box.top) * (size / box.height)];
  };
  const lineTo = (point) => {
    pen.beginPath();
    pen.moveTo(last[0], last[1]);
    pen.lineTo(point[0], point[1]);
    pen.stroke();
    last = point;
  };
  const down = (event) => {
    if (event.button !== undefined && event.button > 0) return; // left button, finger or pen only
    event.preventDefault();
    try {
      pad.setPointerCapture?.(event.pointerId);
    } catch {
      // a synthetic pointer (tests, benchmarks) cannot be captured; drawing works without it
    }
    drawing = true;
    last = pointOf(event);
    setPen();
    pen.beginPath();
    pen.arc(last[0], last[1], pen.lineWidth / 2, 0, 2 * Math.PI);
    pen.fill();
  };
  const move = (event) => {
    if (!drawing) return;
    event.preventDefault();
    setPen();
    const events = event.getCoalescedEvents ? event.getCoalescedEvents() : [];
    for (const each of events.length ? events : [event]) lineTo(pointOf(each));
  };
  const up = (event) => {
    if (!drawing) return;
    drawing = false;
    if (pad.hasPointerCapture?.(event.pointerId)) pad.releasePointerCapture(event.pointerId);
    onStroke();
  };
  const clear = () => {
    pen.clearRect(0, 0, size, size);
    if (view.select) view.select.value = "";
    onClear();
  };
  const listeners = [[pad, "pointerdown", down], [pad, "pointermove", move], [pad, "pointerup", up],
    [pad, "pointercancel", up], [view.clearButton, "click", clear]];
  for (const [target, name, listener] of listeners) target.addEventListener(name, listener);
  return () => {
    for (const [target, name, listener] of listeners) target.removeEventListener(name, listener);
  };
}

// ---------------------------------------------------------------- showing results

function showPreview(view, image) {
  const context = view.preview.getContext("2d");
  const picture = context.createImageData(MNIST_SIDE, MNIST_SIDE);
  for (let i = 0; i < MNIST_SIDE * MNIST_SIDE; i++) {
    const shade = 255 - Math.round(255 * (image ? image[i] : 0)); // dark ink on white, like the figures
    picture.data.set([shade, shade, shade, 255], 4 * i);
  }
  context.putImageData(picture, 0, 0);
}

function showBars(view, probabilities, prediction) {
  view.barParts.forEach(({ column, value, fill }, digit) => {
    const p = probabilities ? probabilities[digit] : 0;
    fill.style.height = `${(100 * p).toFixed(1)}%`;
    column.classList.toggle("mnist-predicted", digit === prediction);
    value.textContent = p >= 0.01 ? `${Math.round(100 * p)}%` : "";
    column.setAttribute("aria-label", `digit ${digit}: ${(100 * p).toFixed(1)} percent`);
  });
}

function percentText(probability) {
  return `${(100 * probability).toFixed(1)}%`;
}

function showTop3(view, probabilities) {
  const items = probabilities ? topAnswers(probabilities, 3) : [];
  view.top3.replaceChildren(...items.map(({ digit, probability }) => {
    const item = element("li", "mnist-top3-item", `${digit}: ${(100 * probabilities[digit]).toFixed(1)}%`);
    item.dataset.digit = String(digit);
    item.dataset.probability = String(probability);
    return item;
  }));
}

/** Draw the hidden activations, each neuron's brightness relative to the most active one. */
function showHidden(view, hidden) {
  const context = view.grid.getContext("2d");
  const { width, height } = view.grid;
  const picture = context.createImageData(width, height);
  const highest = hidden ? Math.max(...hidden) : 0;
  let active = 0;
  for (let i = 0; i < width * height; i++) {
    const value = hidden && i < hidden.length ? hidden[i] : 0;
    if (value > 0) active++;
    const level = highest > 0 ? value / highest : 0;
    // from near-black (silent) to bright yellow (most active): readable without colour, too
    picture.data.set([Math.round(25 + 230 * level), Math.round(25 + 200 * level), Math.round(45 - 20 * level), 255],
      4 * i);
  }
  context.putImageData(picture, 0, 0);
  view.grid.dataset.active = String(active);
  view.grid.setAttribute("aria-label", hidden
    ? `The hidden neurons' activations: ${active} of ${hidden.length} active` : "The hidden neurons' activations");
}

/** The sentence the live region reads out: the prediction, then the top three. */
export function announcement(prediction, confidence, probabilities) {
  const top = probabilities ? topAnswers(probabilities, 3) : [];
  const three = top.map(({ digit, probability }) => `${digit}, ${percentText(probability)}`).join("; ");
  return `Prediction: ${prediction}, ${percentText(confidence)} sure.${three ? ` Top three: ${three}.` : ""}`;
}

/** Show an answer: { image, probabilities, prediction, confidence, hidden (or null) }. */
export function showAnswer(view, answer) {
  const { image, probabilities, prediction, confidence, hidden } = answer;
  view.message.textContent = `Prediction: ${prediction} (${(100 * confidence).toFixed(1)}% sure)`;
  view.announcer.textContent = announcement(prediction, confidence, probabilities);
  showTop3(view, probabilities);
  showPreview(view, image);
  showBars(view, probabilities, prediction);
  if (hidden) showHidden(view, hidden);
  view.root.dataset.prediction = String(prediction);
}

/** Show the empty state (nothing drawn). */
export function showBlank(view, message = BLANK_MESSAGE) {
  view.message.textContent = message;
  view.announcer.textContent = message === BLANK_MESSAGE ? "The canvas is empty." : message;
  showTop3(view, null);
  showPreview(view, null);
  showBars(view, null, -1);
  showHidden(view, null);
  view.root.dataset.prediction = "";
}

// ---------------------------------------------------------------- the canvas, with no kernel

function now() {
  return globalThis.performance ? performance.now() : Date.now();
}

/** Prepare the pad's drawing and run the network on it; show the answer and how long it took. */
function answerLocally(view, network, alpha) {
  const start = now();
  const answer = readDrawing(network, alpha, view.size);
  if (answer) showAnswer(view, answer);
  else showBlank(view);
  const milliseconds = now() - start;
  view.root.dataset.latencyMs = milliseconds.toFixed(3);
  view.speed.textContent = answer ? `Answered in ${milliseconds.toFixed(1)} ms, in this browser.` : "";
  return answer;
}

/**
 * The canvas with the network in the page and no kernel (the website): mount it in `el`.
 * `network` is an MLP1 file's bytes (see helpers/weights.py); `examples`, if given, the ten
 * test digits (10 x 784 bytes) offered by "Choose a test digit". Returns { view, destroy }.
 */
export function mountCanvas(el, { network, examples = null, size = 280, strokeWidth = 28 }) {
  const parsed = parseNetwork(network);
  const digits = examples ? new Uint8Array(examples) : null;
  const view = buildView(el, size, { hasExamples: Boolean(digits) });
  prepareHiddenGrid(view, parsed.sizes.length > 2 ? parsed.sizes[1] : 0);
  showBlank(view);
  const onStroke = () => answerLocally(view, parsed, inkOf(view));
  const detachPen = attachPen(view, {
    strokeWidth: () => strokeWidth,
    onStroke,
    onClear: () => answerLocally(view, parsed, new Uint8Array(size * size)),
  });
  const detachExamples = attachExamples(view, digits, onStroke);
  return { view, destroy: () => { detachPen(); detachExamples(); } };
}

// ---------------------------------------------------------------- the notebook widget (anywidget)

function bytesOf(value) {
  // Binary traits arrive as a DataView (or ArrayBuffer); an unset one as null.
  if (!value) return new Uint8Array(0);
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
}

function sameBytes(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The network the widget was given, parsed, or null (a model only Python can run). */
function widgetNetwork(model) {
  const bytes = bytesOf(model.get("network"));
  return bytes.length ? parseNetwork(bytes) : null;
}

/** The answer Python sent back (used when the page cannot run the model itself). */
function pythonAnswer(model) {
  const prediction = model.get("prediction");
  if (prediction < 0) return null;
  const pixels = bytesOf(model.get("mnist_pixels"));
  return {
    image: pixels.length ? Array.from(pixels, (value) => value / 255) : null,
    probabilities: model.get("probabilities"),
    prediction,
    confidence: model.get("confidence"),
    hidden: null,
  };
}

function render({ model, el }) {
  const size = model.get("size");
  const examples = bytesOf(model.get("examples"));
  const view = buildView(el, size, { hasExamples: examples.length === EXAMPLE_COUNT * MNIST_SIDE * MNIST_SIDE });
  const network = widgetNetwork(model);
  prepareHiddenGrid(view, network && network.sizes.length > 2 ? network.sizes[1] : 0);
  let lastSent = new Uint8Array(0);

  const sendInk = (alpha) => {
    lastSent = alpha;
    model.set("pixels", new DataView(alpha.buffer));
    model.save_changes(); // Python keeps canvas.drawing, canvas.prediction, ... up to date
  };
  const showFromPython = () => {
    if (network) return; // the page answers itself; Python's (identical) answer is for Python
    const answer = pythonAnswer(model);
    if (answer) showAnswer(view, answer);
    else showBlank(view, model.get("message"));
  };
  const onStroke = () => {
    const alpha = inkOf(view);
    if (network) answerLocally(view, network, alpha);
    else view.message.textContent = "Thinking…";
    sendInk(alpha);
  };
  const onClear = () => {
    if (network) showBlank(view);
    sendInk(new Uint8Array(0));
  };
  // Python -> canvas: a replayed drawing (DigitCanvas.draw_strokes) or a clear().
  const onPixelsChanged = () => {
    const alpha = bytesOf(model.get("pixels"));
    if (sameBytes(alpha, lastSent)) return; // our own stroke coming back
    lastSent = alpha;
    putInk(view, alpha);
    if (network) answerLocally(view, network, alpha.length ? alpha : new Uint8Array(size * size));
  };

  const detachPen = attachPen(view, { strokeWidth: () => model.get("stroke_width"), onStroke, onClear });
  const detachExamples = attachExamples(view, examples.length ? examples : null, onStroke);
  const traits = ["mnist_pixels", "probabilities", "prediction", "message"];
  model.on("change:pixels", onPixelsChanged);
  for (const name of traits) model.on(`change:${name}`, showFromPython);
  showBlank(view);
  onPixelsChanged();
  if (!network) showFromPython();

  return () => {
    detachPen();
    detachExamples();
    model.off("change:pixels", onPixelsChanged);
    for (const name of traits) model.off(`change:${name}`, showFromPython);
  };
}

export default { render };
