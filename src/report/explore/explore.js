// afweging explore: the page's numbers, kept apart from the page itself so
// that the Node tests (tests/js/) run exactly this code against the Rust
// engine's results. Every function here mirrors one in
// src/engine/explore.rs, with the same summation order, so totals and
// first-place shares come out bit for bit as the engine's. No DOM, no I/O.
(function (root, factory) {
  if (typeof module === "object" && module.exports) {
    module.exports = factory();
  } else {
    root.Explore = factory();
  }
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  /** Normal quantile for 95% half-widths (as the simulation's Z95). */
  const Z95 = 1.959963984540054;

  /** Shares of one level's swing points (points / sum, summed in member
   * order), or null when every point is 0. */
  function levelShares(points) {
    let sum = 0;
    for (const p of points) sum += p;
    if (!(sum > 0) || !Number.isFinite(sum)) return null;
    return points.map((p) => p / sum);
  }

  /** Group shares, local shares and global weights of slider points
   * `{groups: [..], criteria: [[..], ..]}`. A level whose points are all 0
   * gets equal shares and is listed in `empty` (`-1` for the group level). */
  function weights(data, points) {
    const empty = [];
    let groups = levelShares(points.groups);
    if (groups === null) {
      empty.push(-1);
      groups = points.groups.map(() => 1 / points.groups.length);
    }
    const local = points.criteria.map((p, k) => {
      const s = levelShares(p);
      if (s === null) {
        empty.push(k);
        return p.map(() => 1 / p.length);
      }
      return s;
    });
    const global = new Array(data.criteria.length).fill(0);
    data.groups.forEach((g, k) => {
      g.criteria.forEach((c, j) => {
        global[c] = groups[k] * local[k][j];
      });
    });
    return { groups, local, global, empty };
  }

  /** Totals Σ_c w_c v[i m + c], c ascending from 0 (the order of `score`). */
  function totals(v, m, global) {
    const n = v.length / m;
    const out = new Array(n);
    for (let i = 0; i < n; i++) {
      let t = 0;
      for (let c = 0; c < m; c++) t += v[i * m + c] * global[c];
      out[i] = t;
    }
    return out;
  }

  /** Each group's contribution to each alternative's total:
   * `[i][k]`, summed in criterion order. */
  function contributions(data, v, global) {
    const m = data.criteria.length;
    const n = v.length / m;
    const out = [];
    for (let i = 0; i < n; i++) {
      const row = new Array(data.groups.length).fill(0);
      for (let c = 0; c < m; c++) row[data.criteria[c].group] += v[i * m + c] * global[c];
      out.push(row);
    }
    return out;
  }

  /** The scenario values as columns: `cells[i m + c]` is a Float64Array
   * of the draws of an uncertain value or the number of a certain one. */
  function scenarioCells(data) {
    const cells = data.base.slice();
    const m = data.criteria.length;
    for (const col of data.columns) {
      const x = new Float64Array(col.q.length);
      for (let s = 0; s < col.q.length; s++) x[s] = col.q[s] / data.resolution;
      cells[col.alternative * m + col.criterion] = x;
    }
    return cells;
  }

  /** First-place shares over the scenarios: the k alternatives with the
   * highest total (exact ==) each get 1/k; summed in scenario order, then
   * divided by the number of scenarios. */
  function firstShares(data, cells, global) {
    const m = data.criteria.length;
    const n = data.alternatives.length;
    const S = data.scenarios;
    const wins = new Array(n).fill(0);
    const t = new Array(n);
    for (let s = 0; s < S; s++) {
      let top = -Infinity;
      for (let i = 0; i < n; i++) {
        let x = 0;
        for (let c = 0; c < m; c++) {
          const cell = cells[i * m + c];
          x += (typeof cell === "number" ? cell : cell[s]) * global[c];
        }
        t[i] = x;
        if (x > top) top = x;
      }
      let k = 0;
      for (let i = 0; i < n; i++) if (t[i] === top) k++;
      for (let i = 0; i < n; i++) if (t[i] === top) wins[i] += 1 / k;
    }
    return wins.map((w) => w / S);
  }

  /** The 95% Monte Carlo half-width of a share p over n draws
   * (Agresti–Coull, as the simulation reports it). */
  function halfWidth(p, n) {
    if (n <= 0) return NaN;
    const pt = (p * n + 2) / (n + 4);
    return Z95 * Math.sqrt(Math.max(pt * (1 - pt) / (n + 4), 0));
  }

  /** The leader: the highest total, the lowest index among equals. */
  function leader(t) {
    let best = 0;
    for (let i = 1; i < t.length; i++) if (t[i] > t[best]) best = i;
    return best;
  }

  /** Indices best first (total descending, then index). */
  function order(t) {
    return t
      .map((x, i) => i)
      .sort((a, b) => (t[b] > t[a] ? 1 : t[b] < t[a] ? -1 : a - b));
  }

  /** The interval of x around x0 where `lead` has the highest line
   * (1 − x) l[0] + x l[1] (the engine's weight-stability interval). */
  function interval(slider, x0, lines, lead) {
    let lower = 0;
    let upper = 1;
    let below = null;
    let above = null;
    for (let j = 0; j < lines.length; j++) {
      if (j === lead) continue;
      const d0 = lines[lead][0] - lines[j][0];
      const d1 = lines[lead][1] - lines[j][1];
      const slope = d1 - d0;
      if (slope === 0) continue;
      const root = -d0 / slope;
      if (slope < 0 && root < upper && root >= x0) {
        upper = root;
        above = j;
      } else if (slope > 0 && root > lower && root <= x0) {
        lower = root;
        below = j;
      }
    }
    return { slider, current: x0, leader: lead, lower, upper, below, above };
  }

  /** Tipping points of every slider (groups, then criteria) at values v. */
  function tipping(data, v, w) {
    const m = data.criteria.length;
    const n = v.length / m;
    const t0 = totals(v, m, w.global);
    const lead = leader(t0);
    const groupValue = (k, i) => {
      let s = 0;
      const members = data.groups[k].criteria;
      for (let j = 0; j < members.length; j++) s += w.local[k][j] * v[i * m + members[j]];
      return s;
    };
    const out = [];
    data.groups.forEach((grp, k) => {
      const g = w.groups[k];
      const lines = [];
      for (let i = 0; i < n; i++) {
        const gv = groupValue(k, i);
        const rest = g < 1 ? (t0[i] - g * gv) / (1 - g) : t0[i];
        lines.push([rest, gv]);
      }
      out.push(interval({ kind: "group", index: k }, g, lines, lead));
    });
    data.criteria.forEach((crit, c) => {
      const k = crit.group;
      const j = Math.max(0, data.groups[k].criteria.indexOf(c));
      const g = w.groups[k];
      const l = w.local[k][j];
      const lines = [];
      for (let i = 0; i < n; i++) {
        const gv = groupValue(k, i);
        const vc = v[i * m + c];
        const others = t0[i] - g * gv;
        const rest = l < 1 ? (gv - l * vc) / (1 - l) : gv;
        lines.push([others + g * rest, others + g * vc]);
      }
      out.push(interval({ kind: "criterion", index: c }, l, lines, lead));
    });
    return out;
  }

  /** A share x of a level as slider points, given the other points' sum R
   * (x = p / (p + R)); Infinity when no finite points give x. */
  function sharePoints(x, rest) {
    if (x >= 1) return rest > 0 ? Infinity : 0;
    return (x * rest) / (1 - x);
  }

  /** Euro figures per alternative (worth against the best other
   * alternative, break-even yearly price), or null. */
  function euros(data, v, global) {
    const c = data.money;
    if (c === null || c === undefined) return null;
    const crit = data.criteria[c];
    if (crit.scale.shape !== "linear") return null;
    const wc = global[c];
    if (!(wc > 0)) return null;
    const worst = crit.scale.worst;
    const best = crit.scale.best;
    const m = data.criteria.length;
    const t = totals(v, m, global);
    const perUnit = Math.abs(worst - best) / wc;
    return t.map((ti, i) => {
      let other = -Infinity;
      for (let j = 0; j < t.length; j++) if (j !== i && t[j] > other) other = t[j];
      const diff = Number.isFinite(other) ? ti - other : 0;
      const at = v[i * m + c] - diff / wc;
      return {
        worth: diff * perUnit,
        break_even: worst + at * (best - worst),
        on_scale: at >= 0 && at <= 1,
      };
    });
  }

  /** A TOML basic string. */
  function tomlString(s) {
    let out = '"';
    for (const ch of String(s)) {
      const code = ch.codePointAt(0);
      if (ch === '"') out += '\\"';
      else if (ch === "\\") out += "\\\\";
      else if (code < 0x20 || code === 0x7f) out += "\\u" + code.toString(16).padStart(4, "0");
      else out += ch;
    }
    return out + '"';
  }

  /** An id the loader accepts (letters, digits, `_`, `-`). */
  function tomlId(s) {
    const id = String(s)
      .trim()
      .replace(/[^A-Za-z0-9_-]+/g, "_")
      .replace(/^_+|_+$/g, "");
    return id === "" ? "verkenner" : id;
  }

  /** A number as TOML (shortest round-trip form). */
  function tomlNumber(x) {
    return String(x);
  }

  /** The current weights as a `[[profile]]` block for criteria/*.toml. */
  function profileToml(data, points, meta) {
    const lines = ["[[profile]]"];
    lines.push("id = " + tomlString(tomlId(meta.id)));
    lines.push("name = { nl = " + tomlString(meta.nl) + ", en = " + tomlString(meta.en) + " }");
    if (meta.description) lines.push("description = " + tomlString(meta.description));
    const table = (ids, pts) =>
      "{ " + ids.map((id, j) => id + " = " + tomlNumber(pts[j])).join(", ") + " }";
    lines.push("groups = " + table(data.groups.map((g) => g.id), points.groups));
    data.groups.forEach((g, k) => {
      const ids = g.criteria.map((c) => data.criteria[c].id);
      lines.push("criteria." + g.id + " = " + table(ids, points.criteria[k]));
    });
    return lines.join("\n") + "\n";
  }

  /** Everything the page shows for one set of slider points. */
  function evaluate(data, cells, points) {
    const w = weights(data, points);
    const m = data.criteria.length;
    const t = totals(data.base, m, w.global);
    const shares = firstShares(data, cells, w.global);
    return {
      weights: w,
      totals: t,
      order: order(t),
      contributions: contributions(data, data.base, w.global),
      shares,
      halfWidths: shares.map((p) => halfWidth(p, data.scenarios)),
      tipping: tipping(data, data.base, w),
      euros: euros(data, data.base, w.global),
    };
  }

  return {
    Z95,
    levelShares,
    weights,
    totals,
    contributions,
    scenarioCells,
    firstShares,
    halfWidth,
    leader,
    order,
    tipping,
    sharePoints,
    euros,
    tomlString,
    tomlId,
    profileToml,
    evaluate,
  };
});
