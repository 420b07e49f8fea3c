// The applicant's side after submission: applications, live progress (SSE), supplements (补正), the
// review (好差评), the inbox, and who read their materials.
import { ApiError, all, get, post, request } from "../api.js";
import { t } from "../i18n.js";
import { alertBox, announce, clear, daysUntil, explainDeadline, fmtDate, h, loading, pick, problemAlert, statusPill, table, toast, put } from "../ui.js";
import { materialTypes } from "./portal.js";

export async function list(root) {
  root.append(h("h1", {}, t("app.list.title")));
  const page = await get("/api/v1/applications", { limit: 100 });
  root.append(table([t("app.number"), t("app.matter"), t("app.status"), t("app.accepted_at"), t("app.deadline")],
    page.items.map((a) => [h("a", { href: `#/applications/${a.acceptance_number}` }, a.acceptance_number), a.matter_code,
      statusPill(a.status), fmtDate(a.accepted_at), deadlineCell(a.deadline, a.status)])));
}

/** A deadline with its flag. Tasks carry `working_days_left` from the service's legal clock (法定工作日,
 * holidays and make-up working days included); applications do not, so they count calendar days. */
export function deadlineCell(deadline, status, overdue = false, workingDaysLeft = null) {
  const ended = ["completed", "completed_with_rejections", "withdrawn", "approved", "rejected", "cancelled"].includes(status);
  const working = workingDaysLeft !== null && workingDaysLeft !== undefined;
  const left = working ? workingDaysLeft : daysUntil(deadline);
  const label = left === 0 ? t("app.due_today") : t(working ? "app.working_days_left" : "app.days_left", { n: left });
  const flag = ended ? null : overdue || left < 0 ? h("span.pill.pill-bad", {}, t("app.overdue"))
    : h("span.pill.pill-muted", {}, label);
  return h("span.row", {}, fmtDate(deadline), flag);
}

/** One application; re-read whenever a notification about it arrives on the live stream. */
export async function detail(root, number) {
  root.append(loading());
  const [types, departments] = await Promise.all([materialTypes(), all("/api/v1/departments")]);
  const deptName = (code) => pick(departments.find((d) => d.code === code)) || code;
  const body = h("div", { id: "application", "aria-live": "off" });
  let reviewed = null;
  const draw = async () => {
    const a = await get(`/api/v1/applications/${encodeURIComponent(number)}`);
    body.dataset.status = a.status;
    put(body, 
      h("section.card", { "aria-labelledby": "progress-h" },
        h("h2", { id: "progress-h" }, t("app.progress")),
        h("p.status-line", { id: "application-status", role: "status" }, statusPill(a.status)),
        h("dl.facts", {},
          h("dt", {}, t("app.number")), h("dd", {}, h("strong", {}, a.acceptance_number)),
          h("dt", {}, t("app.matter")), h("dd", {}, a.matter?.name_zh || a.matter_code),
          h("dt", {}, t("app.channel")), h("dd", {}, t(`channel.${a.channel}`)),
          h("dt", {}, t("app.accepted_at")), h("dd", {}, fmtDate(a.accepted_at)),
          h("dt", {}, t("app.deadline")), h("dd", {}, deadlineCell(a.deadline, a.status), a.deadline_provisional ? t("app.provisional") : ""),
          a.completed_at ? [h("dt", {}, t("status.completed")), h("dd", {}, fmtDate(a.completed_at))] : null,
          a.deferred_materials?.length ? [h("dt", {}, t("app.deferred_materials")), h("dd", {}, a.deferred_materials.map((m) => pick(types[m]) || m).join("、"))] : null)),
      owesMaterials(a) ? supplementCard(a, types, draw) : null,
      h("h2", {}, t("app.tasks")),
      table([t("app.item"), t("app.department"), t("app.status"), t("app.deadline")],
        a.tasks.map((task) => [task.item_name_zh, deptName(task.department), statusPill(task.status),
          h("span", { title: explainDeadline(task.deadline_explanation) }, deadlineCell(task.deadline, task.status, task.overdue))]),
        { rowClass: (i) => (a.tasks[i].overdue ? "overdue" : null) }),
      a.rejections?.length ? alertBox("warn", h("strong", {}, t("app.rejections")), h("ul", {}, a.rejections.map((r) => h("li", {}, `${r.item_code || ""} ${r.reason || ""}`)))) : null,
      ["completed", "completed_with_rejections"].includes(a.status) ? reviewCard(a, () => a.review || reviewed, (r) => { reviewed = r; }) : null,
      h("h2", {}, t("app.timeline")),
      h("ol.timeline.card", { id: "timeline" }, a.timeline.map((e) => h("li", {}, h("strong", {}, timelineLabel(e.kind)), " · ", fmtDate(e.at),
        h("div.muted", {}, timelineDetail(e.detail, { deptName, types }))))),
      ["in_progress", "waiting_supplement"].includes(a.status) ? h("p", {}, h("button.btn.btn-secondary", { type: "button", on: { click: async () => {
        if (!confirm(t("app.withdraw.confirm"))) return;
        await post(`/api/v1/applications/${a.acceptance_number}/withdraw`, {}); await draw();
      } } }, t("app.withdraw"))) : null);
    return a;
  };
  const onMessage = async (event) => {
    if (!root.isConnected) { window.removeEventListener("om:notification", onMessage); return; }
    if (event.detail.application_id && event.detail.application_id !== body.dataset.id) return;
    const a = await draw();
    toast(t("app.updated", { number: a.acceptance_number, subject: event.detail.subject }));
  };
  window.addEventListener("om:notification", onMessage);
  const liveState = h("p.muted", { id: "live-state" });
  const showState = () => {
    const open = document.body.dataset.stream === "open";
    put(liveState, h(`span.pill.${open ? "pill-ok" : "pill-warn"}`, {}, t(open ? "common.live" : "common.offline")));
  };
  window.addEventListener("om:stream", showState);
  showState();
  const first = await draw();
  body.dataset.id = first.id;
  put(root, h("p", {}, h("a", { href: "#/applications" }, `← ${t("app.list.title")}`)),
    h("h1", {}, `${first.matter?.name_zh || first.matter_code} · ${first.acceptance_number}`), liveState, body);
}

/** 补正 is owed while a department's request is open, or deferred (容缺) materials are still missing. */
function owesMaterials(a) {
  if (!["in_progress", "waiting_supplement"].includes(a.status)) return false;
  return Object.keys(a.open_supplement || {}).length > 0 || (a.deferred_materials || []).length > 0;
}

function timelineLabel(kind) {
  const label = t(`timeline.${kind}`);
  return label === `timeline.${kind}` ? kind : label;
}

/** The facts of a timeline entry a person reads (department, item, licence, reason), not its raw JSON. */
function timelineDetail(detail, { deptName, types }) {
  if (!detail || typeof detail !== "object") return detail || "";
  const parts = [];
  if (detail.department) parts.push(deptName(detail.department));
  if (detail.item_code) parts.push(detail.item_code);
  if (detail.channel) parts.push(t(`channel.${detail.channel}`));
  if (detail.licence_type) parts.push(`${t("timeline.licence")}：${pick(types[detail.licence_type]) || detail.licence_type}`);
  if (detail.reason) parts.push(`${t("tasks.reason")}：${detail.reason}`);
  if (detail.materials?.length) parts.push(detail.materials.map((m) => pick(types[m]) || m).join("、"));
  if (detail.level) parts.push(t(`level.${detail.level}`));
  return parts.join(" · ");
}

function supplementCard(a, types, redraw) {
  const open = a.open_supplement || {};
  const wanted = [...new Set([...Object.keys(open), ...(a.deferred_materials || [])])];
  const chosen = {};
  const out = h("div");
  const rows = wanted.map((type) => {
    const input = h("input", { type: "file", id: `sup-${type}`, accept: ".pdf,.png,.jpg,.jpeg" });
    const state = h("span.muted", { id: `sup-${type}-state` });
    input.setAttribute("aria-describedby", state.id);
    input.addEventListener("change", async () => {
      const fd = new FormData(); fd.append("material_type", type); fd.append("file", input.files[0], input.files[0].name);
      try { chosen[type] = (await request("/api/v1/materials", { method: "POST", form: fd })).id; state.textContent = t("apply.uploaded", { file: input.files[0].name }); }
      catch (error) { state.textContent = error.message; }
    });
    return h("div.material", {}, h("span.name", {}, pick(types[type]) || type), h("div.field", {}, h("label", { for: input.id }, t("apply.upload")), input, state));
  });
  const send = async () => {
    clear(out);
    try { await post(`/api/v1/applications/${a.acceptance_number}/supplements`, { materials: chosen }); announce(t("app.supplement.done")); await redraw(); }
    catch (error) { out.append(problemAlert(error)); }
  };
  const reason = [...new Set(Object.values(open).flatMap((entry) => entry.reasons || []))].join("；");
  return h("section.card", { id: "supplement", "aria-labelledby": "sup-h" }, h("h2", { id: "sup-h" }, t("app.supplement")),
    reason ? alertBox("warn", reason) : null,
    a.supplement_due ? h("p", {}, t("app.supplement.due", { date: fmtDate(a.supplement_due) })) : null,
    rows, out, h("button.btn", { type: "button", id: "send-supplement", on: { click: send } }, t("app.supplement.send")));
}

function reviewCard(a, getReviewed, setReviewed) {
  const out = h("div", { id: "review-result", tabindex: "-1" });
  const done = getReviewed();
  if (done) return h("section.card", {}, alertBox("ok", t("app.review.done", { label: done.label })));
  const levels = [5, 4, 3, 2, 1];
  const comment = h("textarea", { id: "review-comment", maxlength: 2000 });
  const form = h("form", { novalidate: true, on: { submit: async (e) => {
    e.preventDefault();
    const level = Number(new FormData(form).get("level"));
    clear(out);
    if (!level) { out.append(alertBox("error", t("form.required"))); return; }
    try {
      const r = await post(`/api/v1/applications/${a.acceptance_number}/review`, { level, comment: comment.value.trim() });
      setReviewed(r);
      put(form, alertBox("ok", t("app.review.done", { label: r.label })),
        r.rectification ? alertBox("info", t("app.review.bad", { date: fmtDate(r.rectification.due) })) : null);
      announce(t("app.review.done", { label: r.label }));
    } catch (error) {
      if (error instanceof ApiError && error.status === 409) { put(form, alertBox("info", error.message)); return; }
      out.append(problemAlert(error)); out.focus();
    }
  } } },
  h("fieldset.stars", {}, h("legend", {}, t("dash.level")), levels.map((n) => h("label", {}, h("input", { type: "radio", name: "level", value: n, required: true }), t(`level.${n}`)))),
  h("div.field", {}, h("label", { for: comment.id }, t("app.review.comment")), comment), out,
  h("button.btn", { type: "submit", id: "send-review" }, t("app.review.send")));
  return h("section.card", { id: "review", "aria-labelledby": "review-h" }, h("h2", { id: "review-h" }, t("app.review")), form);
}

export async function inbox(root) {
  root.append(h("h1", {}, t("inbox.title")));
  const box = h("div", { id: "inbox" });
  root.append(box);
  const draw = async () => {
    const page = await get("/api/v1/notifications", { limit: 50 });
    put(box, h("p.muted", {}, t("inbox.unread", { n: page.unread })),
      page.items.length ? page.items.map((m) => h("article.card", { "data-kind": m.kind, class: m.read_at ? null : "unread" },
        h("div.spread", {}, h("h2", {}, m.read_at ? "" : "● ", m.subject), h("span.muted", {}, fmtDate(m.created_at))),
        h("p", {}, m.body),
        h("div.row", {}, m.read_at ? null : h("button.btn.btn-ghost", { type: "button", on: { click: async () => {
          await post(`/api/v1/notifications/${m.id}/read`, {}); window.dispatchEvent(new Event("om:unread")); await draw();
        } } }, t("inbox.read"))))) : h("p.empty", {}, t("common.empty")));
  };
  const onMessage = () => { if (root.isConnected) draw(); else window.removeEventListener("om:notification", onMessage); };
  window.addEventListener("om:notification", onMessage);
  await draw();
}

export async function accessLog(root) {
  root.append(h("h1", {}, t("access.title")), h("p.muted", {}, t("access.intro")));
  const [page, types] = await Promise.all([get("/api/v1/materials/access-log", { limit: 100 }), materialTypes()]);
  root.append(table([t("access.when"), t("access.who"), t("app.department"), t("access.material"), t("access.action")],
    page.items.map((e) => [fmtDate(e.read_at), e.reader_name || e.reader_id, e.department || "—", pick(types[e.material_type]) || e.material_type, t(`access.action.${e.action}`).startsWith("access.") ? e.action : t(`access.action.${e.action}`)])));
}
