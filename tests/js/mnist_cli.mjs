// Runs helpers/mnist.js on files, for tests/test_mnist_js.py (Node, no dependencies):
//   node mnist_cli.mjs forward NETWORK IMAGES OUT   IMAGES: float32 784 per image -> OUT: float64 10 per image
//   node mnist_cli.mjs prepare SIZE DRAWINGS OUT    DRAWINGS: uint8 SIZE*SIZE per drawing -> OUT: float32 784 each
//                                                   (a blank drawing gives 784 NaNs)
//   node mnist_cli.mjs prepare-generic SIZE DRAWINGS OUT   the same through toMnist on float64 grey levels
import fs from "node:fs";
import { drawingToMnist, forward, greyImage, parseNetwork, toMnist } from "../../helpers/mnist.js";

const [command, ...args] = process.argv.slice(2);

function forwardAll(networkPath, imagesPath, outPath) {
  const network = parseNetwork(fs.readFileSync(networkPath));
  const bytes = fs.readFileSync(imagesPath);
  const images = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  const side = network.sizes[0];
  const count = images.length / side;
  const out = new Float64Array(count * 10);
  for (let n = 0; n < count; n++) out.set(forward(network, images.subarray(n * side, (n + 1) * side)).probabilities, n * 10);
  fs.writeFileSync(outPath, Buffer.from(out.buffer));
}

function prepareAll(size, drawingsPath, outPath, generic = false) {
  const drawings = fs.readFileSync(drawingsPath);
  const count = drawings.length / (size * size);
  const out = new Float32Array(count * 784);
  for (let n = 0; n < count; n++) {
    const alpha = drawings.subarray(n * size * size, (n + 1) * size * size);
    const image = generic ? toMnist(greyImage(size, size, Float64Array.from(alpha))) : drawingToMnist(alpha, size);
    out.set(image ?? new Float32Array(784).fill(NaN), n * 784);
  }
  fs.writeFileSync(outPath, Buffer.from(out.buffer));
}

if (command === "forward") forwardAll(...args);
else if (command === "prepare") prepareAll(Number(args[0]), args[1], args[2]);
else if (command === "prepare-generic") prepareAll(Number(args[0]), args[1], args[2], true);
else {
  console.error("usage: node mnist_cli.mjs forward NETWORK IMAGES OUT | prepare SIZE DRAWINGS OUT");
  process.exit(2);
}
