// The draw-a-digit canvas' front end (anywidget ES module; plain JavaScript, no build step,
// nothing loaded from the internet). It only draws and displays: after each stroke it sends
// the canvas' alpha channel to Python ("pixels"), and it shows what Python sends back
// ("mnist_pixels", "probabilities", "prediction", "message"). See helpers/widgets.py.

const MNIST_SIDE = 28;
const PREVIEW_SCALE = 4; // the 28x28 image is shown 4x larger, pixel by pixel

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

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

function render({ model, el }) {
  const size = model.get("size");
  const root = element("div", "mnist-canvas-widget");

  // Left: the drawing pad and the Clear button.
  const drawSide = element("div", "mnist-draw-side");
  const pad = element("canvas", "mnist-pad");
  pad.width = size;
  pad.height = size;
  pad.style.width = `${size}px`;
  pad.style.height = `${size}px`;
  pad.setAttribute("role", "img");
  pad.setAttribute("aria-label", "Drawing area: draw one digit with the mouse, a finger or a pen");
  const pen = pad.getContext("2d", { willReadFrequently: true });
  const clearButton = element("button", "mnist-clear", "Clear");
  clearButton.type = "button";
  drawSide.append(pad, clearButton);

  // Right: what the model sees, the prediction and the ten probabilities.
  const resultSide = element("div", "mnist-result-side");
  const message = element("div", "mnist-prediction");
  message.setAttribute("aria-live", "polite");
  const previewLabel = element("div", "mnist-caption", "What the model sees (28x28):");
  const preview = element("canvas", "mnist-preview");
  preview.width = MNIST_SIDE;
  preview.height = MNIST_SIDE;
  preview.style.width = `${MNIST_SIDE * PREVIEW_SCALE}px`;
  preview.style.height = `${MNIST_SIDE * PREVIEW_SCALE}px`;
  preview.setAttribute("role", "img");
  preview.setAttribute("aria-label", "The drawing shrunk to 28 by 28 pixels, as the model receives it");
  const barsLabel = element("div", "mnist-caption", "Probability of each digit:");
  const bars = element("div", "mnist-bars");
  bars.setAttribute("role", "list");
  const barParts = [];
  for (let digit = 0; digit < 10; digit++) {
    const column = element("div", "mnist-bar-column");
    column.setAttribute("role", "listitem");
    const value = element("div", "mnist-bar-value", "");
    const track = element("div", "mnist-bar-track");
    const fill = element("div", "mnist-bar-fill");
    track.append(fill);
    column.append(value, track, element("div", "mnist-bar-label", String(digit)));
    bars.append(column);
    barParts.push({ column, value, fill });
  }
  resultSide.append(message, previewLabel, preview, barsLabel, bars);
  root.append(drawSide, resultSide);
  el.append(root);

  // Drawing: Pointer Events cover mouse, touch and pen alike.
  let drawing = false;
  let last = null;
  let lastSent = new Uint8Array(0);

  function setPen() {
    pen.lineWidth = model.get("stroke_width");
    pen.lineCap = "round";
    pen.lineJoin = "round";
    pen.strokeStyle = "#000";
    pen.fillStyle = "#000";
  }

  function pointOf(event) {
    const box = pad.getBoundingClientRect();
    return [(event.clientX - box.left) * (size / box.width), (event.clientY - box.top) * (size / box.height)];
  }

  function dot([x, y]) {
    setPen();
    pen.beginPath();
    pen.arc(x, y, pen.lineWidth / 2, 0, 2 * Math.PI);
    pen.fill();
  }

  function lineTo(point) {
    setPen();
    pen.beginPath();
    pen.moveTo(last[0], last[1]);
    pen.lineTo(point[0], point[1]);
    pen.stroke();
    last = point;
  }

  function sendPixels() {
    const rgba = pen.getImageData(0, 0, size, size).data;
    const alpha = new Uint8Array(size * size);
    for (let i = 0; i < alpha.length; i++) alpha[i] = rgba[4 * i + 3];
    lastSent = alpha;
    message.textContent = "Thinking…";
    model.set("pixels", new DataView(alpha.buffer));
    model.save_changes();
  }

  function onPointerDown(event) {
    if (event.button !== undefined && event.button > 0) return; // left button, finger or pen only
    event.preventDefault();
    pad.setPointerCapture?.(event.pointerId);
    drawing = true;
    last = pointOf(event);
    dot(last);
  }

  function onPointerMove(event) {
    if (!drawing) return;
    event.preventDefault();
    const events = event.getCoalescedEvents ? event.getCoalescedEvents() : [event];
    for (const each of events.length ? events : [event]) lineTo(pointOf(each));
  }

  function onPointerUp(event) {
    if (!drawing) return;
    drawing = false;
    pad.releasePointerCapture?.(event.pointerId);
    sendPixels();
  }

  function onClear() {
    pen.clearRect(0, 0, size, size);
    lastSent = new Uint8Array(0);
    model.set("pixels", new DataView(new ArrayBuffer(0)));
    model.save_changes();
  }

  // Python -> canvas: a replayed drawing (DigitCanvas.draw_strokes) or a clear().
  function onPixelsChanged() {
    const alpha = bytesOf(model.get("pixels"));
    if (drawing || sameBytes(alpha, lastSent)) return; // our own stroke coming back
    lastSent = alpha;
    const image = pen.createImageData(size, size);
    for (let i = 0; i < alpha.length; i++) image.data[4 * i + 3] = alpha[i];
    pen.putImageData(image, 0, 0);
  }

  // Display of the results Python computed.
  function showPreview() {
    const pixels = bytesOf(model.get("mnist_pixels"));
    const image = preview.getContext("2d").createImageData(MNIST_SIDE, MNIST_SIDE);
    for (let i = 0; i < MNIST_SIDE * MNIST_SIDE; i++) {
      const shade = 255 - (pixels.length ? pixels[i] : 0); // dark ink on white, like the figures
      image.data.set([shade, shade, shade, 255], 4 * i);
    }
    preview.getContext("2d").putImageData(image, 0, 0);
  }

  function showProbabilities() {
    const probabilities = model.get("probabilities") || [];
    const prediction = model.get("prediction");
    barParts.forEach(({ column, value, fill }, digit) => {
      const p = probabilities.length ? probabilities[digit] : 0;
      fill.style.height = `${(100 * p).toFixed(1)}%`;
      column.classList.toggle("mnist-predicted", digit === prediction);
      value.textContent = p >= 0.01 ? `${Math.round(100 * p)}%` : "";
      column.setAttribute("aria-label", `digit ${digit}: ${(100 * p).toFixed(1)} percent`);
    });
  }

  function showMessage() {
    message.textContent = model.get("message");
  }

  function showAll() {
    showPreview();
    showProbabilities();
    showMessage();
  }

  pad.addEventListener("pointerdown", onPointerDown);
  pad.addEventListener("pointermove", onPointerMove);
  pad.addEventListener("pointerup", onPointerUp);
  pad.addEventListener("pointercancel", onPointerUp);
  clearButton.addEventListener("click", onClear);
  model.on("change:pixels", onPixelsChanged);
  model.on("change:mnist_pixels", showPreview);
  model.on("change:probabilities", showProbabilities);
  model.on("change:prediction", showProbabilities);
  model.on("change:message", showMessage);
  onPixelsChanged();
  showAll();

  return () => {
    model.off("change:pixels", onPixelsChanged);
    model.off("change:mnist_pixels", showPreview);
    model.off("change:probabilities", showProbabilities);
    model.off("change:prediction", showProbabilities);
    model.off("change:message", showMessage);
  };
}

export default { render };
