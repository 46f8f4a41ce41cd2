// afweging explore: the page. Builds the controls and results from the
// embedded data and recomputes everything with window.Explore (explore.js)
// on every slider move. Text from the decision files is only ever set as
// textContent or attribute values, never parsed as markup.
(function () {
  "use strict";
  const E = window.Explore;
  const data = JSON.parse(document.getElementById("explore-data").textContent);
  const lang = data.lang === "en" ? "en" : "nl";
  const locale = lang === "en" ? "en-GB" : "nl-NL";

  const STRINGS = {
    nl: {
      kicker: "Verkenner · stel zelf de gewichten in",
      intro:
        "Schuif met de gewichten en zie direct welk alternatief bovenaan komt, hoe zeker dat is over de onzekere cijfers, en hoever elk gewicht kan schuiven voordat de eerste plaats wisselt. Alles wordt in dit bestand berekend; er wordt niets verstuurd.",
      weights: "Gewichten",
      swing:
        "Punten (swingpunten): hoeveel telt het verschil tussen het slechtste en het beste eind van een schaal? Geef het belangrijkste verschil 100 en de andere naar verhouding; 0 = telt niet mee. Een schuif verplaatsen met de pijltjestoetsen gaat per punt.",
      presets: "Begin met de gewichten van:",
      reset: "Terug naar de beginstand",
      groupSlider: (g) => "Gewicht van de groep " + g,
      groupHint: "verdeling over de groepen",
      critHint: (g) => "binnen " + g,
      scale: (w, b, u) => "schaal: " + w + " (slechtst) tot " + b + " (best) " + u,
      pointsOut: (p, s) => p + " pt · " + s,
      ofGroup: (s, g, t) => s + " van " + g + " = " + t + " totaal",
      ofTotal: (s) => s + " van het totaal",
      only: "Enige criterium van deze groep: het telt voor de hele groep.",
      empty: "Alle schuiven van dit niveau staan op 0: dan telt elk onderdeel even zwaar. Zet er minstens één hoger om de gewichten te kunnen kopiëren.",
      results: "Uitkomsten bij deze gewichten",
      headline: (a, t) => a + " staat bovenaan met een totaalwaarde van " + t + ".",
      shareLine: (a, p, n, e) =>
        a + " is eerste in " + p + " van de " + n + " scenario's van de onzekere cijfers. Bij een nieuwe trekking van evenveel scenario's kan dat ongeveer " + e + " procentpunt hoger of lager uitvallen (95%-marge).",
      split: "Opgelet: bovenaan bij de meest waarschijnlijke cijfers is niet hetzelfde alternatief als het vaakst eerste over de scenario's.",
      summary: (a, t, b, p) => "1. " + a + " (" + t + ") · " + b + " eerste in " + p + " van de scenario's",
      rankCaption: "Rangorde: totaalwaarde (0 tot 1) met de bijdrage per groep, en de kans op de eerste plaats",
      rank: "Plaats",
      alternative: "Alternatief",
      total: "Totaalwaarde",
      first: "Kans op eerste plaats",
      barLabel: (a, t, parts) => a + ": totaal " + t + " (" + parts + ")",
      shareLabel: (p, e) => p + " ± " + e,
      tipsTitle: "Wanneer wisselt de eerste plaats?",
      tipsIntro: (a) =>
        "Bij elke schuif staat hoever hij kan schuiven (de andere schuiven blijven staan) voordat een ander alternatief dan " + a + " bovenaan komt bij de meest waarschijnlijke cijfers. Omdat de totaalwaarde lineair in de gewichten is, zijn deze grenzen exact.",
      tipNone: (a) => a + " blijft bovenaan over het hele bereik van deze schuif.",
      tipRange: (a, lo, hi) => a + " blijft bovenaan tussen " + lo + " en " + hi + " punten.",
      tipBelow: (b, lo) => " Onder " + lo + " punten komt " + b + " bovenaan.",
      tipAbove: (b, hi) => " Boven " + hi + " punten komt " + b + " bovenaan.",
      tipBeyond: (b) => " (" + b + " zou pas bovenaan komen buiten het bereik van de schuif.)",
      tipOnly: "Verandert niets zolang de andere criteria van de groep op 0 staan.",
      end: "het einde",
      euroTitle: "Wat is het waard in euro's?",
      euroIntro: (rate, crit) =>
        "Bij deze gewichten is 0,01 totaalwaarde ongeveer " + rate + " per jaar waard: de breedte van de schaal van " + crit + " gedeeld door het gewicht ervan.",
      euroChoice:
        "Dit besluit kent nog geen opties (combinaties van initiatieven); daarom wordt elk alternatief vergeleken met het beste andere alternatief. De meerwaarde is het verschil in totaalwaarde, omgerekend naar euro's per jaar. De omslagprijs is de jaarprijs waarbij het alternatief precies gelijk eindigt met het beste andere; alle andere cijfers blijven op hun meest waarschijnlijke waarde.",
      euroCaption: "Meerwaarde en omslagprijs per alternatief (euro per jaar)",
      worth: "Meerwaarde t.o.v. beste andere",
      price: "Kosten nu",
      breakEven: "Omslagprijs",
      notReached: (b) => "zelfs bij " + b + " niet bovenaan",
      always: (w) => "ook bij " + w + " nog bovenaan",
      noEuro: "Het geldcriterium weegt nu 0: zonder gewicht is er geen omrekening naar euro's.",
      copyTitle: "Deze gewichten bewaren als profiel",
      copyIntro:
        "Kopieer het blok hieronder en plak het onderaan criteria/*.toml van de beslismap: dan is deze weging een profiel (afweging --profile <id> memo). afweging score --weights BESTAND rekent het blok ook direct door.",
      idLabel: "Id (letters, cijfers, _ en -)",
      nlLabel: "Naam (Nederlands)",
      enLabel: "Naam (Engels)",
      defaultId: "verkenner",
      defaultNl: "Weging uit de verkenner",
      defaultEn: "Weighting from the explorer",
      copy: "Kopieer als [[profile]]",
      copied: "Gekopieerd naar het klembord.",
      selected: "Het blok is geselecteerd: kopieer het met Ctrl+C (of ⌘+C).",
      blockLabel: "Het [[profile]]-blok",
      cannotCopy: "Een niveau heeft alleen nullen; zet er minstens één schuif hoger.",
      method: "Hoe is dit berekend?",
      methodText: [
        "Totaalwaarde: elke waarde op zijn meest waarschijnlijke punt, omgezet naar 0 tot 1 met de waardefunctie van het criterium, maal het gewicht; het gewicht van een criterium is het aandeel van zijn groep maal zijn aandeel binnen de groep. Dit is precies wat afweging score met deze gewichten geeft.",
        "Kans op de eerste plaats: in elk scenario zijn alle onzekere cijfers getrokken uit hun verdeling; het alternatief met de hoogste totaalwaarde is eerste (bij een gelijke stand delen ze). De gewichten staan vast op wat u instelt.",
        "De trekkingen zijn op 0,000001 van de waardeschaal afgerond om het bestand klein te houden.",
      ],
      stamp: (v, s, n, h) => "afweging " + v + " · seed " + s + " · " + n + " scenario's · invoer " + h,
    },
    en: {
      kicker: "Explorer · set your own weights",
      intro:
        "Move the weights and see at once which alternative comes first, how certain that is over the uncertain figures, and how far each weight can move before the first place changes. Everything is computed inside this file; nothing is sent anywhere.",
      weights: "Weights",
      swing:
        "Points (swing points): how much does the difference between the worst and the best end of a scale count? Give the most important difference 100 and the others in proportion; 0 = does not count. The arrow keys move a slider one point at a time.",
      presets: "Start from the weights of:",
      reset: "Back to the start",
      groupSlider: (g) => "Weight of the group " + g,
      groupHint: "share among the groups",
      critHint: (g) => "within " + g,
      scale: (w, b, u) => "scale: " + w + " (worst) to " + b + " (best) " + u,
      pointsOut: (p, s) => p + " pt · " + s,
      ofGroup: (s, g, t) => s + " of " + g + " = " + t + " overall",
      ofTotal: (s) => s + " of the total",
      only: "The only criterion of this group: it counts for the whole group.",
      empty: "Every slider of this level is at 0, so each part counts equally. Move at least one up to copy the weights.",
      results: "Results at these weights",
      headline: (a, t) => a + " comes first with an overall value of " + t + ".",
      shareLine: (a, p, n, e) =>
        a + " is first in " + p + " of the " + n + " scenarios of the uncertain figures. A new draw of as many scenarios could give about " + e + " percentage points more or less (95% margin).",
      split: "Note: first at the most likely figures is not the same alternative as first most often over the scenarios.",
      summary: (a, t, b, p) => "1. " + a + " (" + t + ") · " + b + " first in " + p + " of the scenarios",
      rankCaption: "Ranking: overall value (0 to 1) with each group's contribution, and the chance of first place",
      rank: "Rank",
      alternative: "Alternative",
      total: "Overall value",
      first: "Chance of first place",
      barLabel: (a, t, parts) => a + ": total " + t + " (" + parts + ")",
      shareLabel: (p, e) => p + " ± " + e,
      tipsTitle: "When does the first place change?",
      tipsIntro: (a) =>
        "Each slider says how far it can move (the other sliders staying where they are) before an alternative other than " + a + " comes first at the most likely figures. The overall value is linear in the weights, so these limits are exact.",
      tipNone: (a) => a + " stays first over the whole range of this slider.",
      tipRange: (a, lo, hi) => a + " stays first between " + lo + " and " + hi + " points.",
      tipBelow: (b, lo) => " Below " + lo + " points " + b + " comes first.",
      tipAbove: (b, hi) => " Above " + hi + " points " + b + " comes first.",
      tipBeyond: (b) => " (" + b + " would come first only beyond the slider's range.)",
      tipOnly: "Changes nothing while the group's other criteria are at 0.",
      end: "the end",
      euroTitle: "What is it worth in euros?",
      euroIntro: (rate, crit) =>
        "At these weights, 0.01 of overall value is worth about " + rate + " a year: the width of the scale of " + crit + " divided by its weight.",
      euroChoice:
        "This decision has no options (combinations of initiatives) yet, so each alternative is compared with the best other alternative. Its worth is the difference in overall value, converted to euros a year. The break-even price is the yearly price at which it ends exactly level with the best other alternative; every other figure stays at its most likely value.",
      euroCaption: "Worth and break-even price per alternative (euros a year)",
      worth: "Worth against the best other",
      price: "Cost now",
      breakEven: "Break-even price",
      notReached: (b) => "not first even at " + b,
      always: (w) => "still first at " + w,
      noEuro: "The money criterion now weighs 0: without a weight there is no conversion to euros.",
      copyTitle: "Keep these weights as a profile",
      copyIntro:
        "Copy the block below and paste it at the end of criteria/*.toml in the decision folder: this weighting is then a profile (afweging --profile <id> memo). afweging score --weights FILE scores the block directly.",
      idLabel: "Id (letters, digits, _ and -)",
      nlLabel: "Name (Dutch)",
      enLabel: "Name (English)",
      defaultId: "explorer",
      defaultNl: "Weging uit de verkenner",
      defaultEn: "Weighting from the explorer",
      copy: "Copy as [[profile]]",
      copied: "Copied to the clipboard.",
      selected: "The block is selected: copy it with Ctrl+C (or ⌘+C).",
      blockLabel: "The [[profile]] block",
      cannotCopy: "A level has only zeros; move at least one slider up.",
      method: "How is this computed?",
      methodText: [
        "Overall value: every value at its most likely point, turned into 0 to 1 by the criterion's value function, times its weight; a criterion's weight is its group's share times its share within the group. This is exactly what afweging score gives with these weights.",
        "Chance of first place: in each scenario every uncertain figure is drawn from its distribution; the alternative with the highest overall value is first (ties share). The weights stay fixed at what you set.",
        "The draws are rounded to 0.000001 of the value scale to keep the file small.",
      ],
      stamp: (v, s, n, h) => "afweging " + v + " · seed " + s + " · " + n + " scenarios · input " + h,
    },
  };
  const T = STRINGS[lang];

  // ------------------------------------------------------------ formatting
  const nf = (d) => new Intl.NumberFormat(locale, { minimumFractionDigits: d, maximumFractionDigits: d });
  const fmt = (x, d) => nf(d).format(x);
  const pct = (p, d) => fmt(100 * p, d === undefined ? 1 : d) + "%";
  const pts = (p) => fmt(p, Number.isInteger(p) ? 0 : 1);
  const eur = (x) =>
    new Intl.NumberFormat(locale, { style: "currency", currency: "EUR", maximumFractionDigits: 0, minimumFractionDigits: 0 }).format(x);
  const signedEur = (x) => (x > 0 ? "+" : x < 0 ? "−" : "") + eur(Math.abs(x));
  const natural = (x) => {
    const a = Math.abs(x);
    return fmt(x, a >= 100 || Number.isInteger(x) ? 0 : a >= 10 ? 1 : 2);
  };
  const pp = (e) => fmt(100 * e, 100 * e < 0.1 ? 2 : 1);
  const text = (s) => (s && typeof s === "object" ? s[lang] || s.nl : s);
  const altName = (i) => data.alternatives[i].name;

  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "text") node.textContent = v;
      else if (k === "class") node.className = v;
      else node.setAttribute(k, v === true ? "" : String(v));
    }
    for (const c of children || []) if (c) node.appendChild(c);
    return node;
  }

  // ------------------------------------------------------------ state
  const cells = E.scenarioCells(data);
  const clone = (p) => ({ groups: p.groups.slice(), criteria: p.criteria.map((l) => l.slice()) });
  let points = clone(data.profiles[data.initial].points);
  let preset = data.initial;
  const inputs = []; // {input, output, tip, level (-1 = groups, k), j, slider}

  // ------------------------------------------------------------ layout
  const app = document.getElementById("app");
  app.appendChild(
    el("header", { class: "top" }, [
      el("p", { class: "kicker", text: T.kicker }),
      el("h1", { text: data.title }),
      el("p", { text: data.question }),
      el("p", { class: "note", text: T.intro }),
    ])
  );
  const main = el("main");
  app.appendChild(main);
  const left = el("section", { class: "panel weights", "aria-labelledby": "h-weights" });
  const right = el("section", { class: "panel results", "aria-labelledby": "h-results" });
  main.appendChild(left);
  main.appendChild(right);

  left.appendChild(el("h2", { id: "h-weights", text: T.weights }));
  left.appendChild(el("p", { class: "note", text: T.swing }));
  left.appendChild(el("p", { class: "noprint", text: T.presets }));
  const presetBar = el("div", { class: "presets", role: "group", "aria-label": T.presets });
  const presetButtons = data.profiles.map((p, k) => {
    const b = el("button", { type: "button", "aria-pressed": "false", text: text(p.name), title: p.description || null });
    b.addEventListener("click", () => setPoints(p.points, k));
    presetBar.appendChild(b);
    return b;
  });
  const reset = el("button", { type: "button", class: "primary", text: T.reset, id: "reset" });
  reset.addEventListener("click", () => setPoints(data.profiles[data.initial].points, data.initial));
  presetBar.appendChild(reset);
  left.appendChild(presetBar);

  function slider(id, label, hint, level, j) {
    const input = el("input", {
      type: "range", id, min: 0, max: data.slider_max, step: 1,
      "aria-describedby": id + "-out " + id + "-tip",
    });
    const output = el("output", { id: id + "-out", for: id });
    const tip = el("p", { class: "tip", id: id + "-tip" });
    const box = el("div", { class: "slider" + (level < 0 ? " group-slider" : "") }, [
      el("label", { for: id, text: label }),
      hint ? el("span", { class: "scale", text: hint }) : null,
      el("div", { class: "row" }, [input, output]),
      tip,
    ]);
    input.addEventListener("input", () => {
      const p = Number(input.value);
      if (level < 0) points.groups[j] = p;
      else points.criteria[level][j] = p;
      preset = null;
      update();
    });
    inputs.push({ input, output, tip, level, j });
    return box;
  }

  const levelWarnings = [];
  data.groups.forEach((g, k) => {
    const fs = el("fieldset", { id: "group-" + g.id });
    fs.appendChild(el("legend", { text: text(g.name) }));
    fs.appendChild(slider("w-group-" + g.id, T.groupSlider(text(g.name)), T.groupHint, -1, k));
    if (g.criteria.length === 1) {
      const c = data.criteria[g.criteria[0]];
      fs.appendChild(el("p", { class: "note" }, [el("strong", { text: text(c.name) }), document.createTextNode(" — " + T.only)]));
    } else {
      g.criteria.forEach((c, j) => {
        const crit = data.criteria[c];
        const hint = T.scale(natural(crit.worst), natural(crit.best), crit.unit);
        fs.appendChild(slider("w-crit-" + crit.id, text(crit.name), hint, k, j));
      });
    }
    const warn = el("p", { class: "warn", role: "status", hidden: true, text: T.empty });
    levelWarnings[k] = warn;
    fs.appendChild(warn);
    left.appendChild(fs);
  });
  const groupWarn = el("p", { class: "warn", role: "status", hidden: true, text: T.empty });
  left.insertBefore(groupWarn, left.querySelector("fieldset"));

  // Copy as [[profile]].
  const copyBox = el("section", { class: "copy", "aria-labelledby": "h-copy" });
  copyBox.appendChild(el("h3", { id: "h-copy", text: T.copyTitle }));
  copyBox.appendChild(el("p", { class: "note", text: T.copyIntro }));
  const idIn = el("input", { type: "text", id: "profile-id", value: T.defaultId, autocomplete: "off", spellcheck: "false" });
  const nlIn = el("input", { type: "text", id: "profile-nl", value: T.defaultNl, autocomplete: "off" });
  const enIn = el("input", { type: "text", id: "profile-en", value: T.defaultEn, autocomplete: "off" });
  copyBox.appendChild(
    el("div", { class: "fields" }, [
      el("div", {}, [el("label", { for: "profile-id", text: T.idLabel }), idIn]),
      el("div", {}, [el("label", { for: "profile-nl", text: T.nlLabel }), nlIn]),
      el("div", {}, [el("label", { for: "profile-en", text: T.enLabel }), enIn]),
    ])
  );
  const copyButton = el("button", { type: "button", class: "primary", id: "copy", text: T.copy });
  const copyStatus = el("p", { class: "note", role: "status", "aria-live": "polite", id: "copy-status" });
  const block = el("textarea", { id: "profile-block", readonly: true, rows: 8, "aria-label": T.blockLabel, spellcheck: "false" });
  copyBox.appendChild(copyButton);
  copyBox.appendChild(copyStatus);
  copyBox.appendChild(block);
  left.appendChild(copyBox);
  [idIn, nlIn, enIn].forEach((x) => x.addEventListener("input", () => updateBlock()));
  copyButton.addEventListener("click", () => {
    if (blockInvalid) {
      copyStatus.textContent = T.cannotCopy;
      return;
    }
    updateBlock();
    block.focus();
    block.select();
    // The selected block is copied at once where the browser allows it;
    // the asynchronous clipboard is tried next (it may wait for a
    // permission), and either way the block stays selected for Ctrl+C.
    let ok = false;
    try {
      ok = document.execCommand("copy");
    } catch (e) {
      ok = false;
    }
    copyStatus.textContent = ok ? T.copied : T.selected;
    if (!ok && navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(block.value).then(
        () => (copyStatus.textContent = T.copied),
        () => undefined
      );
    }
  });

  // Results.
  right.appendChild(el("h2", { id: "h-results", text: T.results }));
  const headline = el("div", { class: "headline", id: "headline", role: "status", "aria-live": "polite" });
  right.appendChild(headline);
  const legend = el("div", { class: "legend", "aria-hidden": "true" });
  data.groups.forEach((g, k) => {
    legend.appendChild(el("span", {}, [el("i", { class: "g" + (k % 5) }), document.createTextNode(text(g.name))]));
  });
  right.appendChild(legend);
  const table = el("table", { id: "ranking" });
  table.appendChild(el("caption", { text: T.rankCaption }));
  const headRow = el("tr", {}, [
    el("th", { scope: "col", class: "num", text: T.rank }),
    el("th", { scope: "col", text: T.alternative }),
    el("th", { scope: "col", text: T.total }),
    el("th", { scope: "col", text: T.first }),
  ]);
  table.appendChild(el("thead", {}, [headRow]));
  const tbody = el("tbody");
  table.appendChild(tbody);
  right.appendChild(table);

  const euroBox = el("section", { id: "euros", "aria-labelledby": "h-euros" });
  right.appendChild(euroBox);

  const tips = el("section", { "aria-labelledby": "h-tips" });
  tips.appendChild(el("h3", { id: "h-tips", text: T.tipsTitle }));
  const tipsIntro = el("p", { class: "note" });
  tips.appendChild(tipsIntro);
  right.appendChild(tips);

  const method = el("details", {}, [el("summary", { text: T.method })]);
  for (const p of T.methodText) method.appendChild(el("p", { class: "note", text: p }));
  right.appendChild(method);
  window.addEventListener("beforeprint", () => (method.open = true));

  app.appendChild(
    el("footer", {}, [
      el("p", { id: "stamp", text: T.stamp(data.version, data.seed, fmt(data.scenarios, 0), data.input_hash) }),
    ])
  );

  // The bar at the bottom of a phone screen (the headline above is the
  // live region for screen readers, so this one is hidden from them).
  const summary = el("div", { id: "summary", "aria-hidden": "true" });
  app.appendChild(summary);

  // ------------------------------------------------------------ updates
  let blockInvalid = false;

  function setPoints(p, k) {
    points = clone(p);
    preset = k;
    update();
  }

  function updateBlock() {
    block.value = E.profileToml(data, points, { id: idIn.value, nl: nlIn.value, en: enIn.value });
  }

  function tipText(tp, level, j, lead) {
    const pointsOf = level < 0 ? points.groups : points.criteria[level];
    let rest = 0;
    pointsOf.forEach((p, jj) => {
      if (jj !== j) rest += p;
    });
    if (rest === 0 && level >= 0) return T.tipOnly;
    const max = data.slider_max;
    const lo = E.sharePoints(tp.lower, rest);
    const hi = E.sharePoints(tp.upper, rest);
    const cutBelow = tp.below !== null && lo > 0;
    const cutAbove = tp.above !== null && hi < max;
    if (!cutBelow && !cutAbove) {
      return T.tipNone(altName(lead)) + (tp.above !== null ? T.tipBeyond(altName(tp.above)) : "");
    }
    const loText = cutBelow ? pts(Math.round(lo * 10) / 10) : "0";
    const hiText = cutAbove ? pts(Math.round(hi * 10) / 10) : pts(max);
    let s = T.tipRange(altName(lead), loText, hiText);
    if (cutBelow) s += T.tipBelow(altName(tp.below), loText);
    if (cutAbove) s += T.tipAbove(altName(tp.above), hiText);
    else if (tp.above !== null) s += T.tipBeyond(altName(tp.above));
    return s;
  }

  function update() {
    const r = E.evaluate(data, cells, points);
    const w = r.weights;
    // Sliders.
    for (const s of inputs) {
      const p = s.level < 0 ? points.groups[s.j] : points.criteria[s.level][s.j];
      s.input.value = String(p);
      let share;
      if (s.level < 0) share = T.ofTotal(pct(w.groups[s.j], 0));
      else {
        const g = data.groups[s.level];
        const c = g.criteria[s.j];
        share = T.ofGroup(pct(w.local[s.level][s.j], 0), text(g.name), pct(w.global[c], 1));
      }
      s.output.textContent = T.pointsOut(pts(p), share);
      s.input.setAttribute("aria-valuetext", pts(p) + " — " + share);
    }
    presetButtons.forEach((b, k) => b.setAttribute("aria-pressed", String(k === preset)));
    groupWarn.hidden = !w.empty.includes(-1);
    levelWarnings.forEach((x, k) => (x.hidden = !w.empty.includes(k)));
    blockInvalid = w.empty.length > 0;
    // Tipping points.
    const lead = E.leader(r.totals);
    tipsIntro.textContent = T.tipsIntro(altName(lead));
    const ng = data.groups.length;
    for (const s of inputs) {
      const tp = s.level < 0 ? r.tipping[s.j] : r.tipping[ng + data.groups[s.level].criteria[s.j]];
      s.tip.textContent = tipText(tp, s.level, s.j, lead);
    }
    // Headline.
    let most = 0;
    r.shares.forEach((p, i) => {
      if (p > r.shares[most]) most = i;
    });
    headline.textContent = "";
    headline.appendChild(el("p", { text: T.headline(altName(lead), fmt(r.totals[lead], 3)) }));
    headline.appendChild(
      el("p", { text: T.shareLine(altName(most), pct(r.shares[most]), fmt(data.scenarios, 0), pp(r.halfWidths[most])) })
    );
    if (most !== lead) headline.appendChild(el("p", { class: "warn", text: T.split }));
    summary.textContent = T.summary(altName(lead), fmt(r.totals[lead], 3), altName(most), pct(r.shares[most], 0));
    // Ranking.
    tbody.textContent = "";
    const maxTotal = Math.max(...r.totals, 1e-300);
    r.order.forEach((i) => {
      const rank = 1 + r.totals.filter((t) => t > r.totals[i] + 1e-12).length;
      const parts = r.contributions[i];
      const bar = el("div", { class: "bar", role: "img", "aria-label": "" });
      parts.forEach((x, k) => {
        bar.appendChild(el("span", { class: "g" + (k % 5), style: null }));
        bar.lastChild.style.width = (100 * Math.max(x, 0)) / maxTotal + "%";
      });
      const partText = data.groups.map((g, k) => text(g.name) + " " + fmt(parts[k], 3)).join(", ");
      bar.setAttribute("aria-label", T.barLabel(altName(i), fmt(r.totals[i], 3), partText));
      const share = el("div", { class: "sharebar", "aria-hidden": "true" }, [el("span")]);
      share.firstChild.style.width = 100 * r.shares[i] + "%";
      tbody.appendChild(
        el("tr", { "data-id": data.alternatives[i].id, "data-total": String(r.totals[i]), "data-share": String(r.shares[i]) }, [
          el("td", { class: "num", text: String(rank) }),
          el("th", { scope: "row", text: altName(i) }),
          el("td", {}, [el("span", { class: "num", text: fmt(r.totals[i], 3) }), bar, el("span", { class: "parts", text: partText })]),
          el("td", {}, [el("span", { text: T.shareLabel(pct(r.shares[i]), pp(r.halfWidths[i]) + " pp") }), share]),
        ])
      );
    });
    // Euros.
    euroBox.textContent = "";
    if (data.money !== null && data.money !== undefined) {
      const c = data.money;
      const crit = data.criteria[c];
      euroBox.appendChild(el("h3", { id: "h-euros", text: T.euroTitle }));
      if (!r.euros) {
        euroBox.appendChild(el("p", { class: "note", text: T.noEuro }));
      } else {
        const rate = (0.01 * Math.abs(crit.worst - crit.best)) / w.global[c];
        euroBox.appendChild(el("p", { text: T.euroIntro(eur(rate), text(crit.name)) }));
        const m = data.criteria.length;
        const et = el("table", { id: "euro-table" }, [
          el("caption", { text: T.euroCaption }),
          el("thead", {}, [
            el("tr", {}, [
              el("th", { scope: "col", text: T.alternative }),
              el("th", { scope: "col", class: "num", text: T.worth }),
              el("th", { scope: "col", class: "num", text: T.breakEven }),
              el("th", { scope: "col", class: "num hide-narrow", text: T.price }),
            ]),
          ]),
        ]);
        const eb = el("tbody");
        r.order.forEach((i) => {
          const x = r.euros[i];
          let be;
          if (x.on_scale) be = eur(x.break_even);
          else {
            const better = (x.break_even - crit.worst) * (crit.best - crit.worst) > 0;
            be = better ? T.notReached(eur(crit.best)) : T.always(eur(crit.worst));
          }
          eb.appendChild(
            el("tr", { "data-id": data.alternatives[i].id }, [
              el("th", { scope: "row", text: altName(i) }),
              el("td", { class: "num", text: signedEur(x.worth) }),
              el("td", { class: x.on_scale ? "num" : "num wrap", text: be }),
              el("td", { class: "num hide-narrow", text: eur(data.raw[i * m + c]) }),
            ])
          );
        });
        et.appendChild(eb);
        euroBox.appendChild(et);
        euroBox.appendChild(el("p", { class: "note", text: T.euroChoice }));
      }
    }
    updateBlock();
  }

  update();
})();
