// 一次告知 (one-time notice): a key matter's whole guide on one page, public (no login), printable (print.css),
// with where and how it can be done and a way to start the application (which asks for a login first).
import { get, hasRole, session } from "../api.js";
import { t } from "../i18n.js";
import { h, loading, pick, table, put } from "../ui.js";

/** The merged guide of every item of the matter `code`, from GET /api/v1/matters/{code}/guide (public). */
export async function guide(root, code) {
  root.append(loading());
  const g = await get(`/api/v1/matters/${encodeURIComponent(code)}/guide`);
  const items = g.items || [];
  const deptName = (c) => pick((g.departments || []).find((d) => d.code === c)) || t("guide.dept.unknown");
  put(root,
    h("p.no-print", {}, h("a", { href: "#/" }, `← ${t("common.back")}`)),
    h("h1", {}, pick(g)),
    h("div.spread", {}, h("p.muted", {}, t("guide.title")),
      h("button.btn.btn-secondary.no-print", { type: "button", id: "print-guide", on: { click: () => window.print() } }, t("guide.print"))),
    facts(g, items),
    h("h2", {}, t("guide.conditions")),
    h("ul.card", {}, (g.conditions || []).map((c) => h("li", {}, c))),
    h("h2", {}, t("guide.materials")),
    h("div.card", {}, (g.materials || []).map(materialRow)),
    h("h2", {}, t("guide.where")),
    whereAndHow(g, items),
    h("h2", {}, t("guide.items")),
    table([t("app.item"), t("app.department"), t("guide.kind"), { label: t("guide.committed"), num: true }, { label: t("guide.statutory"), num: true }],
      items.map((i) => [pick(i), deptName(i.department), i.kind_zh || t("guide.kind.unknown"),
        t("common.days", { n: i.committed_days }), t("common.days", { n: i.statutory_days })])),
    items[0]?.legal_basis ? h("p.muted", {}, `${t("guide.legal")}：${items[0].legal_basis}`) : null,
    applyLink(code));
}

function facts(g, items) {
  const days = g.committed_days ?? Math.max(0, ...items.map((i) => i.committed_days || 0));
  const charged = g.fees?.charged || [];
  return h("section.card", {}, h("dl.facts", {},
    h("dt", {}, t("guide.lead")), h("dd", {}, pick(g.lead_department)),
    h("dt", {}, t("guide.time")), h("dd", {}, t("common.days", { n: days })),
    g.sequential_days ? [h("dt", {}, t("guide.sequential")), h("dd", {}, t("common.days", { n: g.sequential_days }))] : null,
    h("dt", {}, t("guide.visits")), h("dd", {}, g.visits_required ? t("guide.visits.n", { n: g.visits_required }) : t("guide.visits.none")),
    h("dt", {}, t("guide.channels")), h("dd", {}, channelNames(g.channels)),
    h("dt", {}, t("guide.fee")), h("dd", {}, g.fees?.free !== false && !charged.length ? t("guide.free")
      : charged.map((c) => t("guide.fee.item", { item: pick(items.find((i) => i.code === c.item)), amount: c.amount_yuan ?? "",
        basis: c.basis ? `（${c.basis}）` : "" })).join("；"))));
}

function materialRow(m) {
  return h("div.material", {}, h("span.name", {}, pick(m)),
    h("span.row", {}, m.key ? h("span.pill.pill-bad", {}, t("guide.key")) : null,
      m.licence ? h("span.pill.pill-ok", {}, t("guide.licence")) : null,
      m.deferrable ? h("span.pill.pill-warn", {}, t("guide.deferrable")) : null,
      m.commitment_allowed ? h("span.pill.pill-info", {}, t("guide.commitment")) : null));
}

function channelNames(channels) {
  return (channels || []).map((c) => t(`channel.${c}`)).filter((name) => !name.startsWith("channel.")).join("、");
}

/** Where (the departments, one acceptance window) and how (online here, at a counter, at a kiosk). */
function whereAndHow(g, items) {
  const channels = g.channels || [];
  return h("section.card", { id: "where-and-how" },
    h("ul", {},
      channels.includes("online") ? h("li", {}, t("guide.how.online")) : null,
      channels.includes("window") ? h("li", {}, t("guide.how.window", { lead: pick(g.lead_department) })) : null,
      channels.includes("kiosk") ? h("li", {}, t("guide.how.kiosk")) : null),
    h("p", {}, t("guide.how.parallel")),
    h("ul", {}, (g.departments || []).map((d) => h("li", {}, h("strong", {}, pick(d)), "：",
      (d.items || []).map((code) => pick(items.find((i) => i.code === code))).filter(Boolean).join("、")))));
}

/** Applicants go to the form; anonymous visitors too, and the shell asks them to log in first. */
function applyLink(code) {
  if (session() && !hasRole("applicant")) return null;
  const label = session() ? t("home.apply") : t("home.apply.login");
  return h("p.no-print", {}, h("a.btn", { href: `#/apply/${code}`, id: "start-application" }, label));
}
