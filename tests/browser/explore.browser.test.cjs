// The explore page in a real browser (Debian's Chromium through
// playwright-core; no browser is downloaded): load it from file:// with
// every network request refused, move a slider with the keyboard, and
// check that the ranking and the first-place shares on the page are the
// engine's (`afweging explore --evaluate`, fed the block the page copies),
// before and after. Takes the README's screenshots (docs/explore*.png).
//
// Run from the repository root (one command; `.ci/run` runs it too):
//   cargo build && (cd tests/browser && npm ci && npm test)
// Environment: AFWEGING_BIN (default target/debug/afweging), CHROMIUM
// (default /usr/bin/chromium), AFWEGING_SCREENSHOTS=1 to rewrite
// docs/explore.png and docs/explore-phone.png.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { execFileSync } = require("node:child_process");
const { chromium } = require("playwright-core");

const ROOT = path.resolve(__dirname, "..", "..");
const BIN = process.env.AFWEGING_BIN || path.join(ROOT, "target", "debug", "afweging");
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const TOTAL_TOLERANCE = 1e-12;
/** Screenshots go to docs/ (for the README) with AFWEGING_SCREENSHOTS=1,
 * else to a temporary folder. */
const SHOTS = process.env.AFWEGING_SCREENSHOTS === "1" ? path.join(ROOT, "docs") : null;

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "afweging-browser-"));
const shot = (name) => path.join(SHOTS || tmp, name);

function afweging(...args) {
  return execFileSync(BIN, args, { cwd: ROOT, encoding: "utf8" });
}

/** The engine's numbers for the weights in a [[profile]] block. */
function engine(block) {
  const file = path.join(tmp, "weights.toml");
  fs.writeFileSync(file, block);
  return JSON.parse(afweging("explore", "-q", "--evaluate", file));
}

/** Ranking (ids, best first), totals and shares as the page shows them. */
async function pageState(page) {
  return page.$$eval("#ranking tbody tr", (rows) =>
    rows.map((r) => ({ id: r.dataset.id, total: Number(r.dataset.total), share: Number(r.dataset.share) }))
  );
}

/** Checks the page against the engine for the weights it shows. */
async function assertMatchesEngine(page) {
  const block = await page.inputValue("#profile-block");
  const want = engine(block);
  const rows = await pageState(page);
  const order = want.alternatives
    .map((id, i) => i)
    .sort((a, b) => want.totals[b] - want.totals[a] || a - b)
    .map((i) => want.alternatives[i]);
  assert.deepEqual(rows.map((r) => r.id), order, "ranking");
  for (const r of rows) {
    const i = want.alternatives.indexOf(r.id);
    assert.ok(Math.abs(r.total - want.totals[i]) <= TOTAL_TOLERANCE, `${r.id} total`);
    assert.equal(r.share, want.shares[i], `${r.id} share`);
  }
  return { rows, block };
}

async function open(file, width, height) {
  const profile = fs.mkdtempSync(path.join(tmp, "profile-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width, height },
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  const requests = [];
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith("file:")) return route.continue();
    requests.push(url);
    return route.abort();
  });
  const page = context.pages()[0] || (await context.newPage());
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  await page.goto("file://" + file);
  await page.waitForSelector("#ranking tbody tr");
  return { context, page, requests, errors };
}

test("the Dutch page follows the engine when a slider moves by keyboard", async () => {
  const file = path.join(tmp, "verkenner.html");
  afweging("explore", "-q", "-o", file);
  const { context, page, requests, errors } = await open(file, 1200, 900);
  try {
    assert.equal(await page.getAttribute("html", "lang"), "nl");
    // Every slider is a labelled native range input.
    const unlabelled = await page.$$eval('input[type="range"]', (xs) =>
      xs.filter((x) => x.labels.length === 0).length
    );
    assert.equal(unlabelled, 0);
    const before = await assertMatchesEngine(page);
    assert.equal(before.rows[0].id, "nlalert");

    // Reach share from 100 points down to 20 with the arrow keys: the
    // tipping point on the page says Burgernet takes over below ~20.9.
    const slider = page.locator("#w-crit-reach_share");
    const tip = await page.textContent("#w-crit-reach_share-tip");
    assert.match(tip, /Burgernet/);
    await slider.focus();
    for (let k = 0; k < 80; k++) await page.keyboard.press("ArrowLeft");
    assert.equal(await slider.inputValue(), "20");
    const after = await assertMatchesEngine(page);
    assert.equal(after.rows[0].id, "burgernet", "first place changed as the engine says");
    assert.notDeepEqual(after.rows.map((r) => r.share), before.rows.map((r) => r.share));
    assert.match(before.block, /reach_share = 100/);
    assert.match(after.block, /reach_share = 20/);
    assert.match(await page.textContent("#headline"), /Burgernet/);
    // The README's screenshot: the moved slider with its tipping point and
    // the results beside it.
    await page.evaluate(() => document.querySelector("#group-reach").scrollIntoView());
    await page.screenshot({ path: shot("explore.png") });

    // A preset, then reset: back to the first numbers.
    await page.click("text=Politie Oost-Nederland (opsporing)");
    await assertMatchesEngine(page);
    await page.click("#reset");
    const reset = await assertMatchesEngine(page);
    assert.deepEqual(reset.rows, before.rows);

    // Copy: the block is copied or selected for Ctrl+C, and said so.
    await page.click("#copy");
    assert.match(await page.textContent("#copy-status"), /klembord|geselecteerd/);

    // Print: no sliders or buttons on paper.
    await page.emulateMedia({ media: "print" });
    assert.equal(await page.isVisible("#w-crit-reach_share"), false);
    assert.equal(await page.isVisible("#copy"), false);
    await page.emulateMedia({ media: "screen" });
  } finally {
    await context.close();
  }
  assert.deepEqual(requests, [], "no network requests");
  assert.deepEqual(errors, [], "no script errors");
});

test("the English page at phone width (390 px)", async () => {
  const file = path.join(tmp, "explorer.html");
  afweging("explore", "-q", "--lang", "en", "-o", file);
  const { context, page, requests, errors } = await open(file, 390, 844);
  try {
    assert.equal(await page.getAttribute("html", "lang"), "en");
    assert.match(await page.textContent("h2"), /Weights/);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `no sideways scrolling (${width} px)`);
    await assertMatchesEngine(page);
    // Move the effect group's weight with the keyboard and check again.
    await page.locator("#w-group-effect").focus();
    for (let k = 0; k < 10; k++) await page.keyboard.press("ArrowLeft");
    assert.equal(await page.inputValue("#w-group-effect"), "90");
    await assertMatchesEngine(page);
    assert.match(await page.textContent("#summary"), /^1\. /);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: shot("explore-phone.png") });
  } finally {
    await context.close();
  }
  assert.deepEqual(requests, [], "no network requests");
  assert.deepEqual(errors, [], "no script errors");
});
