// The website's draw-a-digit canvas: mounts helpers/canvas.js (copied beside this file by the
// site's theme) in every <div class="mnist-site-canvas" data-network="..." data-examples="..."> of
// the page, with the network's weights loaded from the MLP1 file it names and the ten test digits
// of "Choose a test digit" (10 x 784 bytes, helpers.widgets.example_digits). No kernel, nothing
// from the internet.
import { mountCanvas } from "./canvas.js";

async function bytesAt(address) {
  const response = await fetch(new URL(address, document.baseURI));
  if (!response.ok) throw new Error(`${address}: HTTP ${response.status}`);
  return response.arrayBuffer();
}

async function mountAll() {
  for (const el of document.querySelectorAll(".mnist-site-canvas")) {
    try {
      const [network, examples] = await Promise.all([bytesAt(el.dataset.network),
        el.dataset.examples ? bytesAt(el.dataset.examples) : null]);
      mountCanvas(el, { network, examples });
      el.dataset.ready = "true";
    } catch (error) {
      el.textContent = `The drawing canvas could not load its network (${error.message}).`;
      el.dataset.ready = "error";
    }
  }
}

mountAll();
