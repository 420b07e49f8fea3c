// Horizontal bar charts drawn as inline SVG (no library): one row per label, one bar per series, the
// value printed at the bar's end, a <title> per bar and the whole chart labelled for screen readers.
import { h } from "./ui.js";

/**
 * rows: [{label, values: [number|null, ...]}]; series: [{name, className}]; max: the axis end (default the
 * largest value); format(v) → the printed value. A null value is drawn as "—" with no bar.
 */
export function barChart({ title, rows, series, max, format = String }) {
  const labelW = 220, barArea = 560, rowH = 14 * series.length + 14, top = series.length > 1 ? 28 : 8;
  const width = labelW + barArea + 70, height = top + rows.length * rowH + 24;
  const end = max ?? niceMax(Math.max(0, ...rows.flatMap((r) => r.values.filter((v) => v != null))));
  const svg = h("svg.chart", { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": title, preserveAspectRatio: "xMinYMin meet" },
    h("title", {}, title));
  for (let i = 0; i <= 4; i += 1) {
    const x = labelW + (barArea * i) / 4;
    svg.append(h("line.grid-line", { x1: x, x2: x, y1: top - 4, y2: height - 20 }),
      h("text", { x, y: height - 6, "text-anchor": "middle" }, format((end * i) / 4)));
  }
  series.forEach((s, i) => {
    if (series.length < 2) return;
    const x = labelW + i * 150;
    svg.append(h("rect", { class: s.className, x, y: 6, width: 12, height: 12 }), h("text", { x: x + 18, y: 16 }, s.name));
  });
  rows.forEach((row, r) => {
    const y0 = top + r * rowH;
    svg.append(h("text", { x: labelW - 8, y: y0 + rowH / 2 + 4, "text-anchor": "end" }, truncate(row.label, 16)));
    row.values.forEach((value, i) => {
      const y = y0 + 7 + i * 14;
      const w = value == null ? 0 : Math.max(1, (barArea * Math.min(value, end)) / end);
      svg.append(h("rect", { class: series[i].className, x: labelW, y, width: w, height: 12 },
        h("title", {}, `${row.label} · ${series[i].name}: ${value == null ? "—" : format(value)}`)),
      h("text", { x: labelW + w + 6, y: y + 10 }, value == null ? "—" : format(value)));
    });
    svg.append(h("line.axis", { x1: labelW, x2: labelW, y1: y0, y2: y0 + rowH }));
  });
  return h("figure.card.chart-card", {}, h("figcaption", {}, h("strong", {}, title)), h("div.chart-wrap", {}, svg));
}

/** An axis end that splits into four whole-number ticks: 4, 8, 20, 40, 100, … */
function niceMax(value) {
  if (value <= 4) return 4;
  const step = 10 ** Math.floor(Math.log10(value / 4));
  const nice = [1, 2, 2.5, 5, 10].map((m) => m * step).find((s) => s * 4 >= value);
  return nice * 4;
}

function truncate(text, n) { return [...text].length > n ? `${[...text].slice(0, n - 1).join("")}…` : text; }
