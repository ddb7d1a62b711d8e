// The website's theme: turns the content MyST (Jupyter Book 2) built from the notebooks'
// stored outputs into static HTML pages, with no download and no dependency beyond Node.
// `jupyter-book build --html` runs it (template.yml's build.render) with CONTENT_CDN, the
// local content server, and BUILD_DIRECTORY, the output folder (_build/html).
//
// Every link is relative (page.html, build/..., canvas/...), so the site works at any
// address: GitHub Pages' /<repository>/, a local server, or a folder opened from disk.
// On notebook 07's page the draw-a-digit canvas replaces the stored widget output and
// runs with no kernel: helpers/canvas.js + helpers/mnist.js with site/canvas/dense_full.bin.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const THEME_DIR = path.dirname(fileURLToPath(import.meta.url));
const PROJECT_DIR = path.resolve(THEME_DIR, "..", "..");
const CANVAS_FILES = [
  ["helpers/canvas.js", "canvas.js"],
  ["helpers/mnist.js", "mnist.js"],
  ["helpers/canvas.css", "canvas.css"],
  ["site/canvas/dense_full.bin", "dense_full.bin"],
  ["site/canvas/test-digits.bin", "test-digits.bin"],
  ["site/canvas/site-canvas.js", "site-canvas.js"],
];
const CANVAS_REPR = "DigitCanvas(";

function escapeHtml(text) {
  return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

async function getJson(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.json();
}

// ---------------------------------------------------------------- links

function pageFile(slug) {
  return slug === "index" ? "index.html" : `${slug}.html`;
}

/**
 * The site shows the full edition (notebooks/, the worked answers in place) as reading material;
 * a link that runs a notebook (Colab, Binder) opens the learner edition (learner/, the same file
 * name, the exercises blank and their solutions folded), which `python -m classroom learner-edition` writes.
 */
function learnerEdition(file) {
  return file.replace(/^notebooks\/(0[^/]*\.ipynb)$/, "learner/$1");
}

/** A Colab link to a notebook of the full edition (its badge) -> the same notebook of the learner edition. */
function runnableUrl(url) {
  const colab = /^(https:\/\/colab\.research\.google\.com\/github\/[^/]+\/[^/]+\/blob\/[^/]+\/)(.*)$/.exec(url);
  return colab ? colab[1] + learnerEdition(colab[2]) : url;
}

/** A site-relative URL from MyST ("/slug#id", "/hash.png") -> a relative link in the static site. */
function localUrl(node) {
  const url = node.url ?? "";
  const remote = /^https?:/.test(node.urlSource ?? "") ? node.urlSource : null;
  if (remote && (!url || url === "/undefined")) return remote; // an image MyST could not download (offline)
  if (node.internal) {
    const [slug, hash] = url.replace(/^\//, "").split("#");
    return `${pageFile(slug || "index")}${hash ? `#${hash}` : ""}`;
  }
  if (url.startsWith("/") && !url.startsWith("//")) return `build${url}`; // a file in MyST's public folder
  return url;
}

// ---------------------------------------------------------------- notebook outputs

function mime(data, type) {
  const entry = data?.[type];
  return entry === undefined ? undefined : entry.content ?? entry;
}

// A block that may scroll sideways (long code lines, wide outputs and tables) must be reachable
// by keyboard, so that it can be scrolled with the arrow keys: focusable, with a role and a name
// (WCAG 2.1.1; axe's scrollable-region-focusable).
function scrollable(label) {
  return `tabindex="0" role="group" aria-label="${escapeHtml(label)}"`;
}

function renderOutput(node) {
  const output = node.jupyter_data ?? {};
  if (output.output_type === "stream") {
    return `<pre class="output stream ${escapeHtml(output.name)}" ${scrollable("Printed output")}>`
      + `${escapeHtml(output.text)}</pre>`;
  }
  if (output.output_type === "error") {
    return `<pre class="output error" ${scrollable("Error")}>${escapeHtml(`${output.ename}: ${output.evalue}`)}</pre>`;
  }
  const data = output.data ?? {};
  const text = mime(data, "text/plain");
  if (data["application/vnd.jupyter.widget-view+json"] && String(text).startsWith(CANVAS_REPR)) {
    return `<div class="output mnist-site-canvas" data-network="canvas/dense_full.bin" `
      + `data-examples="canvas/test-digits.bin">`
      + `<noscript>The drawing canvas needs JavaScript.</noscript></div>`;
  }
  for (const type of ["image/png", "image/jpeg", "image/svg+xml", "image/gif"]) {
    if (data[type]?.path) {
      // the figure's text form is its description (helpers.describe), written from its data
      const alt = text ? escapeHtml(String(text)) : "A figure";
      return `<img class="output figure" src="build${escapeHtml(data[type].path)}" alt="${alt}" loading="lazy">`;
    }
  }
  const html = mime(data, "text/html");
  // the notebooks' own, stored and validated
  if (html) return `<div class="output html" ${scrollable("Output")}>${html}</div>`;
  if (text !== undefined) return `<pre class="output result" ${scrollable("Output")}>${escapeHtml(text)}</pre>`;
  return "";
}

// ---------------------------------------------------------------- MyST's syntax tree -> HTML

function children(node) {
  return (node.children ?? []).map(renderNode).join("");
}

function mathMl(node) {
  const match = /<math[\s\S]*<\/math>/.exec(node.html ?? "");
  return match ? match[0] : `<code>${escapeHtml(node.value)}</code>`;
}

// A check cell's hidden tests are for the grader (nbgrader), not for a reader: the learner edition
// drops them (classroom/learner.py), and so does the site, which shows the full edition.
const HIDDEN_TESTS = /\n?[ \t]*### BEGIN HIDDEN TESTS[\s\S]*?### END HIDDEN TESTS[ \t]*(\n|$)/g;

function withoutHiddenTests(source) {
  return source.replace(HIDDEN_TESTS, "\n").replace(/\n+$/, "");
}

const RENDERERS = {
  root: children,
  block: (node) => {
    const kind = node.kind === "notebook-code" ? "code-cell" : "text-cell";
    const id = node.html_id ? ` id="${escapeHtml(node.html_id)}"` : "";
    return `<section class="cell ${kind}"${id}>${children(node)}</section>`;
  },
  text: (node) => escapeHtml(node.value),
  paragraph: (node) => `<p>${children(node)}</p>`,
  heading: (node) => {
    const id = node.html_id ? ` id="${escapeHtml(node.html_id)}"` : "";
    return `<h${node.depth}${id}>${children(node)}</h${node.depth}>`;
  },
  strong: (node) => `<strong>${children(node)}</strong>`,
  emphasis: (node) => `<em>${children(node)}</em>`,
  inlineCode: (node) => `<code>${escapeHtml(node.value)}</code>`,
  code: (node) => `<pre class="source" ${scrollable("Code")}><code class="language-${escapeHtml(node.lang ?? "text")}">`
    + `${escapeHtml(withoutHiddenTests(node.value))}</code></pre>`,
  link: (node) => `<a href="${escapeHtml(runnableUrl(localUrl(node)))}">${children(node)}</a>`,
  image: (node) => `<img src="${escapeHtml(localUrl(node))}" alt="${escapeHtml(node.alt ?? "")}">`,
  list: (node) => (node.ordered
    ? `<ol${node.start && node.start !== 1 ? ` start="${node.start}"` : ""}>${children(node)}</ol>`
    : `<ul>${children(node)}</ul>`),
  listItem: (node) => `<li>${children(node)}</li>`,
  table: (node) => `<div class="table-wrap" ${scrollable("Table")}><table>${children(node)}</table></div>`,
  tableRow: (node) => `<tr>${children(node)}</tr>`,
  tableCell: (node) => (node.header ? `<th>${children(node)}</th>` : `<td>${children(node)}</td>`),
  details: (node) => `<details>${children(node)}</details>`,
  summary: (node) => `<summary>${children(node)}</summary>`,
  inlineMath: mathMl,
  math: (node) => `<div class="math">${mathMl(node)}</div>`,
  html: (node) => node.value,
  thematicBreak: () => "<hr>",
  blockquote: (node) => `<blockquote>${children(node)}</blockquote>`,
  break: () => "<br>",
  outputs: (node) => `<div class="outputs">${children(node)}</div>`,
  output: renderOutput,
};

function renderNode(node) {
  const renderer = RENDERERS[node.type];
  return renderer ? renderer(node) : children(node);
}

// ---------------------------------------------------------------- pages

function navigation(project, current) {
  const items = [`<li class="level-1"><a href="index.html"${current === "index" ? ' aria-current="page"' : ""}>`
    + `Home</a></li>`];
  for (const page of project.pages) {
    const level = `level-${page.level}`;
    if (!page.slug) {
      items.push(`<li class="${level} group">${escapeHtml(page.title)}</li>`);
      continue;
    }
    const here = page.slug === current ? ' aria-current="page"' : "";
    items.push(`<li class="${level}"><a href="${pageFile(page.slug)}"${here}>${escapeHtml(page.title)}</a></li>`);
  }
  return `<nav class="site-nav" aria-label="The series"><ul>${items.join("")}</ul></nav>`;
}

/** Links to run a notebook page elsewhere (Colab, Binder: the learner edition), and the .ipynb file itself. */
function runLinks(project, content) {
  const location = content.location ?? "";
  if (!location.endsWith(".ipynb")) return "";
  const repository = new URL(project.github).pathname.replace(/^\//, "");
  const file = learnerEdition(location.replace(/^\//, ""));
  const links = [
    [`https://colab.research.google.com/github/${repository}/blob/main/${file}`, "Open in Colab"],
    [`https://mybinder.org/v2/gh/${repository}/HEAD?labpath=${encodeURIComponent(file)}`, "Launch on Binder"],
  ];
  const download = content.frontmatter?.exports?.find((e) => e.format === "ipynb");
  if (download) links.push([`build${download.url}`, "Download the notebook"]);
  return `<p class="run-links">${links.map(([href, label]) => `<a class="run-link" href="${escapeHtml(href)}">`
    + `${escapeHtml(label)}</a>`).join(" ")}</p>`;
}

function pageHtml(config, project, content, slug, siblings) {
  const title = content.frontmatter?.title ?? project.title;
  const body = renderNode(content.mdast);
  const hasCanvas = body.includes("mnist-site-canvas");
  const canvasHead = hasCanvas
    ? `<link rel="stylesheet" href="canvas/canvas.css"><script type="module" src="canvas/site-canvas.js"></script>`
    : "";
  const [previous, next] = siblings;
  const pager = [previous && `<a rel="prev" href="${pageFile(previous.slug)}">← ${escapeHtml(previous.title)}</a>`,
    next && `<a rel="next" href="${pageFile(next.slug)}">${escapeHtml(next.title)} →</a>`].filter(Boolean).join("");
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${escapeHtml(title)} · ${escapeHtml(config.title ?? project.title)}</title>
<meta name="description" content="${escapeHtml(project.description ?? "")}">
<link rel="icon" href="data:,">
<link rel="stylesheet" href="theme.css">${canvasHead}
</head>
<body>
<header class="site-header"><a href="index.html">${escapeHtml(config.title ?? project.title)}</a></header>
<div class="site-body">
${navigation(project, slug)}
<main class="page">
<h1>${escapeHtml(title)}</h1>
${runLinks(project, content)}
${body}
<footer class="pager">${pager}</footer>
</main>
</div>
</body>
</html>
`;
}

function copyFiles(buildDirectory) {
  const publicDir = path.resolve(buildDirectory, "..", "site", "public");
  fs.cpSync(publicDir, path.join(buildDirectory, "build"), { recursive: true });
  fs.copyFileSync(path.join(THEME_DIR, "theme.css"), path.join(buildDirectory, "theme.css"));
  fs.mkdirSync(path.join(buildDirectory, "canvas"), { recursive: true });
  for (const [source, target] of CANVAS_FILES) {
    fs.copyFileSync(path.join(PROJECT_DIR, source), path.join(buildDirectory, "canvas", target));
  }
  fs.writeFileSync(path.join(buildDirectory, ".nojekyll"), ""); // GitHub Pages: serve files as they are
}

async function main() {
  const cdn = process.env.CONTENT_CDN;
  const buildDirectory = process.env.BUILD_DIRECTORY;
  if (!cdn || !buildDirectory) throw new Error("run me through `jupyter-book build --html` (CONTENT_CDN, BUILD_DIRECTORY)");
  const config = await getJson(`${cdn}/config.json`);
  const [project] = config.projects;
  const pages = [{ slug: project.index, title: "Home" }, ...project.pages.filter((page) => page.slug)];
  fs.mkdirSync(buildDirectory, { recursive: true });
  for (const [index, page] of pages.entries()) {
    const content = await getJson(`${cdn}/content/${page.slug}.json`);
    const html = pageHtml(config, project, content, page.slug, [pages[index - 1], pages[index + 1]]);
    fs.writeFileSync(path.join(buildDirectory, pageFile(page.slug)), html);
  }
  copyFiles(buildDirectory);
  console.log(`wrote ${pages.length} pages to ${buildDirectory}`);
}

await main();
