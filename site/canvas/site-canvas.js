// The website's draw-a-digit canvas: mounts helpers/canvas.js (copied beside this file by the
// site's theme) in every <div class="mnist-site-canvas" data-network="..."> of the page, with
// the network's weights loaded from the MLP1 file it names. No kernel, nothing from the internet.
import { mountCanvas } from "./canvas.js";

async function mountAll() {
  for (const el of document.querySelectorAll(".mnist-site-canvas")) {
    try {
      const response = await fetch(new URL(el.dataset.network, document.baseURI));
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      mountCanvas(el, { network: await response.arrayBuffer() });
      el.dataset.ready = "true";
    } catch (error) {
      el.textContent = `The drawing canvas could not load its network (${error.message}).`;
      el.dataset.ready = "error";
    }
  }
}

mountAll();
