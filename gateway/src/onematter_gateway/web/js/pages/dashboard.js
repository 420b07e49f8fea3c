// Supervisor dashboard (效能监督): per matter and per department — applications, on-time rate, average
// handling time in working days, materials avoided (少交材料), open bad reviews — as SVG charts and tables,
// plus the rectifications opened by bad reviews (好差评).
import { ApiError, all, get } from "../api.js";
import { barChart } from "../charts.js";
import { t } from "../i18n.js";
import { alertBox, fmtDate, h, pick, statusPill, table } from "../ui.js";

const pct = (v) => (v == null ? "—" : `${Math.round(v * 100)}%`);

export async function page(root) {
  root.append(h("h1", {}, t("dash.title")));
  const [matters, departments] = await Promise.all([statistics("matters"), statistics("departments")]);
  const names = Object.fromEntries([...(await all("/api/v1/matters")).map((m) => [m.matter_code, m]),
    ...(await all("/api/v1/departments")).map((d) => [`dept:${d.code}`, d])]);
  const label = (kind, row) => pick(names[kind === "departments" ? `dept:${row.code}` : row.code]) || row.name || row.code;
  if (!matters && !departments) root.append(alertBox("info", t("dash.na")));
  if (matters) root.append(kpis(matters.items), section("matters", matters, label));
  if (departments) root.append(section("departments", departments, label));
  root.append(await rectifications());
}

/** The statistics document, or null while the endpoint does not exist yet (404/501) — "not available". */
async function statistics(kind) {
  try { return await get(`/api/v1/statistics/${kind}`); }
  catch (error) {
    if (error instanceof ApiError && [404, 501, 503].includes(error.status)) return null;
    throw error;
  }
}

function kpis(items) {
  const sum = (k) => items.reduce((n, x) => n + (x[k] || 0), 0);
  const done = sum("completed"), onTime = sum("on_time");
  return h("div.kpis", {},
    [["dash.applications", sum("applications")], ["dash.completed", done], ["dash.on_time_rate", done ? pct(onTime / done) : "—"],
      ["dash.avoided", sum("materials_avoided")], ["dash.bad", sum("open_bad_reviews")]]
      .map(([key, value]) => h("div.kpi", {}, h("div.muted", {}, t(key)), h("div.value", {}, String(value)))));
}

function section(kind, doc, label) {
  const rows = doc.items.map((x) => ({ ...x, label: label(kind, x) })).sort((a, b) => b.applications - a.applications);
  // Charts show the busiest ten (the table below lists every row); a rate exists once something completed.
  const busiest = rows.slice(0, 10).filter((r) => r.applications > 0);
  const rated = busiest.filter((r) => r.on_time_rate != null);
  return h("section", { id: `stats-${kind}`, "aria-labelledby": `stats-${kind}-h` },
    h("h2", { id: `stats-${kind}-h` }, t(`dash.${kind}`)),
    h("p.muted", {}, t("dash.generated", { at: fmtDate(doc.generated_at) })),
    h("div.charts", {},
      busiest.length ? barChart({ title: `${t(`dash.${kind}`)} · ${t("dash.chart.apps")}`, format: (v) => String(Math.round(v)),
        rows: busiest.map((r) => ({ label: r.label, values: [r.applications, r.materials_avoided] })),
        series: [{ name: t("dash.applications"), className: "bar" }, { name: t("dash.avoided"), className: "bar-alt" }] })
        : h("p.card.muted", {}, t("dash.no_apps")),
      rated.length ? barChart({ title: `${t(`dash.${kind}`)} · ${t("dash.chart.rate")}`, max: 1, format: pct,
        rows: rated.map((r) => ({ label: r.label, values: [r.on_time_rate] })), series: [{ name: t("dash.on_time_rate"), className: "bar-ok" }] })
        : h("p.card.muted", {}, t("dash.no_rate"))),
    table([t(kind === "matters" ? "app.matter" : "app.department"), { label: t("dash.applications"), num: true }, { label: t("dash.completed"), num: true },
      { label: t("dash.in_progress"), num: true }, { label: t("dash.on_time_rate"), num: true }, { label: t("dash.avg_days"), num: true },
      { label: t("dash.avoided"), num: true }, { label: t("dash.bad"), num: true }],
    rows.map((r) => [r.label, r.applications, r.completed, r.in_progress, pct(r.on_time_rate),
      r.average_handling_working_days == null ? "—" : r.average_handling_working_days.toFixed(1), r.materials_avoided, r.open_bad_reviews]),
    { caption: t(`dash.${kind}`) }));
}

async function rectifications() {
  const page = await get("/api/v1/rectifications", { limit: 100 });
  return h("section", { id: "rectifications" }, h("h2", {}, t("dash.rectifications")),
    table([t("app.number"), t("app.department"), t("dash.level"), t("dash.comment"), t("dash.due"), t("app.status")],
      page.items.map((r) => [r.acceptance_number, r.department, t(`level.${r.level}`), r.comment || "—", fmtDate(r.due), statusPill(r.status)])));
}
