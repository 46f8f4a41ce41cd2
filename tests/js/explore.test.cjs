// The page's logic (src/report/explore/explore.js) against the Rust
// engine: the fixtures in tests/fixtures/explore/ are written by
// `cargo test --test explore` (the engine's totals via `score`, first-place
// shares, half-widths, tipping points and euro figures for several
// weightings of the shipped decision and of a closed-form decision), and
// against values computed by hand for the closed-form decision.
// Run: node --test tests/js/
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const E = require("../../src/report/explore/explore.js");

const FIXTURES = path.join(__dirname, "..", "fixtures", "explore");
/** Totals against `afweging score` (the bound). */
const TOTAL_TOLERANCE = 1e-12;
/** Shares of a level and tipping points (computed in the same order). */
const SHARE_TOLERANCE = 1e-12;
/** Euro figures: up to ~1e6 euros, computed in the same order. */
const EURO_TOLERANCE = 1e-6;

const read = (name) => JSON.parse(fs.readFileSync(path.join(FIXTURES, name), "utf8"));
const close = (a, b, tol, what) =>
  assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b} (tolerance ${tol})`);

for (const stem of ["shipped", "closed-form"]) {
  const data = read(`${stem}.data.json`);
  const expected = read(`${stem}.expected.json`);
  const cells = E.scenarioCells(data);

  test(`${stem}: the fixture has cases and scenarios`, () => {
    assert.ok(expected.cases.length >= 5);
    assert.ok(data.scenarios >= 1000);
    assert.equal(data.columns[0].q.length, data.scenarios);
  });

  for (const c of expected.cases) {
    test(`${stem} / ${c.name}: same numbers as the engine`, () => {
      const r = E.evaluate(data, cells, c.points);
      c.global.forEach((w, k) => close(r.weights.global[k], w, SHARE_TOLERANCE, `weight ${k}`));
      c.totals.forEach((t, i) => close(r.totals[i], t, TOTAL_TOLERANCE, `total ${i}`));
      // First-place shares: exactly the engine's on the same draws.
      assert.deepEqual(r.shares, c.shares);
      c.half_widths.forEach((h, i) => close(r.halfWidths[i], h, 1e-15, `half-width ${i}`));
      assert.equal(r.tipping.length, c.tipping.length);
      c.tipping.forEach((t, k) => {
        const got = r.tipping[k];
        const what = `tipping ${t.slider.kind} ${t.slider.index}`;
        assert.deepEqual(got.slider, t.slider, what);
        assert.equal(got.leader, t.leader, what);
        assert.equal(got.below, t.below, what + " below");
        assert.equal(got.above, t.above, what + " above");
        close(got.current, t.current, SHARE_TOLERANCE, what + " current");
        close(got.lower, t.lower, SHARE_TOLERANCE, what + " lower");
        close(got.upper, t.upper, SHARE_TOLERANCE, what + " upper");
      });
      if (c.euros === null) {
        assert.equal(r.euros, null);
      } else {
        c.euros.forEach((e, i) => {
          close(r.euros[i].worth, e.worth, EURO_TOLERANCE, `worth ${i}`);
          close(r.euros[i].break_even, e.break_even, EURO_TOLERANCE, `break-even ${i}`);
          assert.equal(r.euros[i].on_scale, e.on_scale);
        });
      }
    });
  }
}

// The closed-form decision: values A (0.8, 0.7, 0.4), B (0.4, 0.6, 0.9),
// C (1, 0.2, 0.3) on price, e1, e2; profile "even" gives weights
// (0.5, 0.25, 0.25).
test("closed form: totals, tipping points and euros by hand", () => {
  const data = read("closed-form.data.json");
  const r = E.evaluate(data, E.scenarioCells(data), data.profiles[0].points);
  // 0.4 + 0.175 + 0.1, 0.2 + 0.15 + 0.225, 0.5 + 0.05 + 0.075.
  [0.675, 0.575, 0.625].forEach((t, i) => close(r.totals[i], t, 1e-12, `total ${i}`));
  // Cost share x: A = 0.55 + 0.25x, B = 0.75 − 0.35x, C = 0.25 + 0.75x:
  // A ties B at x = 1/3, C at x = 0.6.
  const cost = r.tipping[0];
  close(cost.lower, 1 / 3, 1e-12, "cost lower");
  close(cost.upper, 0.6, 1e-12, "cost upper");
  assert.equal(cost.below, 1);
  assert.equal(cost.above, 2);
  // e1 share x inside effect: A = 0.6 + 0.15x, C = 0.65 − 0.05x: x = 0.25.
  close(r.tipping[3].lower, 0.25, 1e-12, "e1 lower");
  assert.equal(r.tipping[3].below, 2);
  // e2 share y: A = 0.75 − 0.15y, C = 0.6 + 0.05y: y = 0.75.
  close(r.tipping[4].upper, 0.75, 1e-12, "e2 upper");
  assert.equal(r.tipping[4].above, 2);
  // 100 euros of scale over weight 0.5: 200 euros per value unit. A leads
  // C by 0.05 = 10 euros; A's price can rise from 20 to 30. C needs −10.
  const want = [
    [10, 30, true],
    [-20, 40, true],
    [-10, -10, false],
  ];
  want.forEach(([worth, be, on], i) => {
    close(r.euros[i].worth, worth, 1e-9, `worth ${i}`);
    close(r.euros[i].break_even, be, 1e-9, `break-even ${i}`);
    assert.equal(r.euros[i].on_scale, on);
  });
  // A is first iff its e1 value (uniform on 0.4..1) exceeds 0.5: 5/6.
  const p = 5 / 6;
  const sd = Math.sqrt((p * (1 - p)) / data.scenarios);
  assert.ok(Math.abs(r.shares[0] - p) < 4 * sd, `share ${r.shares[0]}`);
  assert.equal(r.shares[1], 0);
  // Moving e1 below 0.25 of the effect group makes C first: points 20/80.
  const moved = { groups: [50, 50], criteria: [[100], [20, 80]] };
  const m = E.evaluate(data, E.scenarioCells(data), moved);
  assert.equal(E.leader(m.totals), 2);
});

test("ties share the first place", () => {
  const data = {
    criteria: [{ group: 0 }],
    groups: [{ criteria: [0] }],
    alternatives: [{}, {}, {}],
    scenarios: 2,
    resolution: 1e6,
    base: [0.5, 0.5, 0.2],
    columns: [{ alternative: 2, criterion: 0, q: [500000, 100000] }],
  };
  const shares = E.firstShares(data, E.scenarioCells(data), [1]);
  assert.deepEqual(shares, [(1 / 3 + 1 / 2) / 2, (1 / 3 + 1 / 2) / 2, 1 / 3 / 2]);
});

test("first places follow the criterion order of the sum (as the engine)", () => {
  // (0.1 + 0.2) + 0.3 > (0.3 + 0.2) + 0.1 in floating point: the engine
  // gives [1, 0] (engine::explore::tests, same data); reversed, [0, 1].
  const data = {
    criteria: [{ group: 0 }, { group: 0 }, { group: 0 }],
    groups: [{ criteria: [0, 1, 2] }],
    alternatives: [{}, {}],
    scenarios: 3,
    resolution: 1e6,
    base: [0.1, 0.2, 0.3, 0.3, 0.2, 0.1],
    columns: [],
  };
  assert.deepEqual(E.firstShares(data, E.scenarioCells(data), [1, 1, 1]), [1, 0]);
  assert.deepEqual(E.totals(data.base, 3, [1, 1, 1]), [0.1 + 0.2 + 0.3, 0.3 + 0.2 + 0.1]);
});

test("a level of zeros has no shares; the page then weighs it equally", () => {
  assert.equal(E.levelShares([0, 0]), null);
  assert.deepEqual(E.levelShares([1, 3]), [0.25, 0.75]);
  const data = read("closed-form.data.json");
  const w = E.weights(data, { groups: [0, 0], criteria: [[100], [1, 3]] });
  assert.deepEqual(w.empty, [-1]);
  assert.deepEqual(w.global, [0.5, 0.125, 0.375]);
});

test("slider points of a share", () => {
  close(E.sharePoints(0.25, 90), 30, 1e-12, "points");
  assert.equal(E.sharePoints(1, 90), Infinity);
  assert.equal(E.sharePoints(0, 90), 0);
});

test("the copied [[profile]] block is the one that loads (tests/explore.rs)", () => {
  const data = read("shipped.data.json");
  const expected = read("shipped.expected.json");
  const random = expected.cases.find((c) => c.name === "random");
  const block = E.profileToml(data, random.points, {
    id: "raad 2019",
    nl: "Raad \"wat-als\" 2019",
    en: "Council \"what-if\" 2019",
  });
  assert.equal(block, fs.readFileSync(path.join(FIXTURES, "profile-block.toml"), "utf8"));
});

test("TOML strings and ids are escaped", () => {
  assert.equal(E.tomlString('a"b\\c\nd'), '"a\\"b\\\\c\\u000ad"');
  assert.equal(E.tomlId(" Raad van 12 mei! "), "Raad_van_12_mei");
  assert.equal(E.tomlId("<>"), "verkenner");
});

test("half-widths are the simulation's (Agresti–Coull)", () => {
  // p = 0.5, n = 96: p~ = 0.5, sd = sqrt(0.25 / 100) = 0.05.
  close(E.halfWidth(0.5, 96), E.Z95 * 0.05, 1e-15, "half-width");
});
