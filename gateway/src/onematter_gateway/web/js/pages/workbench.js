// Department workbench (并联办理): the department's queue with deadlines and overdue flags, a task's form
// fields and materials, and the decisions: approve (issuing a licence where the item does), reject with
// a reason, or request a supplement (补正; the task's clock pauses).
import { all, get, post, request } from "../api.js";
import { t } from "../i18n.js";
import { alertBox, clear, download, enumLabel, explainDeadline, field, h, loading, pick, problemAlert, statusPill, table, toast, put } from "../ui.js";
import { deadlineCell } from "./applications.js";
import { materialTypes } from "./portal.js";

const FILTERS = [["in_progress", "tasks.open"], ["waiting_supplement", "status.waiting_supplement"], ["", "tasks.all"]];

export async function queue(root) {
  let filter = "in_progress";
  const tabs = h("div.tabs", { role: "group", "aria-label": t("tasks.title") });
  const box = h("div", { id: "task-queue" });
  const draw = async () => {
    const page = await get("/api/v1/tasks", { limit: 100, ...(filter ? { status: filter } : {}) });
    for (const b of tabs.children) b.setAttribute("aria-pressed", String(b.dataset.filter === filter));
    put(box, table([t("app.number"), t("app.item"), t("app.status"), t("tasks.deadline")],
      page.items.map((task) => [h("a", { href: `#/tasks/${task.id}`, "data-number": task.acceptance_number }, task.acceptance_number),
        task.item_name_zh, statusPill(task.status), h("span", { title: explainDeadline(task.deadline_explanation) }, deadlineCell(task.deadline, task.status, task.overdue, task.working_days_left))]),
      { rowClass: (i) => (page.items[i].overdue ? "overdue" : null), caption: t("tasks.title") }));
  };
  for (const [value, key] of FILTERS) {
    tabs.append(h("button", { type: "button", "data-filter": value, on: { click: () => { filter = value; draw(); } } }, t(key)));
  }
  const onMessage = (event) => {
    if (!root.isConnected) { window.removeEventListener("om:notification", onMessage); return; }
    toast(t("tasks.new", { subject: event.detail.subject }));
    draw();
  };
  window.addEventListener("om:notification", onMessage);
  root.append(h("div.spread", {}, h("h1", {}, t("tasks.title")), h("button.btn.btn-ghost", { type: "button", on: { click: draw } }, t("common.refresh"))), tabs, box);
  await draw();
}

export async function task(root, id) {
  root.append(loading());
  const [types, departments] = await Promise.all([materialTypes(), all("/api/v1/departments")]);
  const draw = async () => {
    const task = await get(`/api/v1/tasks/${encodeURIComponent(id)}`);
    const app = await get(`/api/v1/applications/${encodeURIComponent(task.acceptance_number)}`);
    const schema = (await get(`/api/v1/matters/${app.matter_code}/versions/${app.matter_version}`).catch(() => null))?.form_schema || { properties: {} };
    const label = (name) => (schema.properties[name] ? pick(schema.properties[name], "title") : name);
    const dept = pick(departments.find((d) => d.code === task.department)) || task.department;
    put(root, 
      h("p", {}, h("a", { href: "#/tasks" }, `← ${t("tasks.title")}`)),
      h("h1", {}, `${task.item_name_zh} · ${task.acceptance_number}`),
      h("section.card", {}, h("dl.facts", {},
        h("dt", {}, t("app.department")), h("dd", {}, dept),
        h("dt", {}, t("app.matter")), h("dd", {}, app.matter?.name_zh || app.matter_code),
        h("dt", {}, t("app.status")), h("dd", { id: "task-status" }, statusPill(task.status)),
        h("dt", {}, t("tasks.deadline")), h("dd", {}, deadlineCell(task.deadline, task.status, task.overdue, task.working_days_left)),
        h("dt", {}, t("tasks.explain")), h("dd.muted", {}, explainDeadline(task.deadline_explanation) || "—"),
        task.reason ? [h("dt", {}, t("tasks.reason")), h("dd", {}, task.reason)] : null)),
      h("h2", {}, t("tasks.form")),
      table([t("tasks.field"), t("tasks.value")], Object.entries(task.form || {}).map(([k, v]) => [label(k), v === true ? t("common.yes") : enumLabel(v)])),
      h("h2", {}, t("tasks.materials")),
      table([t("access.material"), t("tasks.how")], (task.materials || []).map((m) => [pick(types[m.material_type]) || m.material_type, materialCell(m)])),
      ["in_progress"].includes(task.status) ? actions(task, types, draw) : alertBox("info", t("tasks.decided")));
  };
  await draw();
}

function materialCell(m) {
  if (m.licence_id) return h("span.pill.pill-ok", {}, t("tasks.by_licence"));
  if (m.by_commitment) return h("span.pill.pill-info", {}, t("tasks.by_commitment"));
  if (m.deferred || !m.material_id) return h("span.pill.pill-warn", {}, t("tasks.deferred_m"));
  return h("button.btn.btn-ghost", { type: "button", on: { click: async () => {
    const response = await request(`/api/v1/materials/${m.material_id}/content`, { raw: true });
    download(await response.blob(), `${m.material_type}-${m.material_id}`);
  } } }, t("tasks.view"));
}

function actions(task, types, redraw) {
  const out = h("div", { tabindex: "-1", id: "decision-result" });
  const act = async (path, body) => {
    clear(out);
    try {
      const done = await post(`/api/v1/tasks/${task.id}/${path}`, body);
      toast(t("tasks.done", { status: t(`status.${done.status}`) }));
      await redraw();
    } catch (error) { out.append(problemAlert(error)); out.focus(); }
  };
  const comment = h("textarea", { maxlength: 2000 });
  const reason = h("textarea", { maxlength: 2000, required: true });
  const supReason = h("textarea", { maxlength: 2000, required: true });
  const kinds = [...new Set((task.materials || []).map((m) => m.material_type))];
  const checks = kinds.map((k) => h("label.check", {}, h("input", { type: "checkbox", name: "sup", value: k }), pick(types[k]) || k));
  const required = (control, then) => (e) => {
    e.preventDefault();
    if (!control.value.trim()) { put(out, alertBox("error", `${t("tasks.reason")}：${t("form.required")}`)); control.focus(); return; }
    then();
  };
  return h("section", { "aria-label": t("tasks.detail") }, out,
    h("form.card", { id: "approve-form", novalidate: true, on: { submit: (e) => { e.preventDefault(); act("approve", comment.value.trim() ? { comment: comment.value.trim() } : {}); } } },
      h("h2", {}, t("tasks.approve")),
      task.issues_licence ? alertBox("info", t("tasks.approve.licence", { type: pick(types[task.issues_licence]) || task.issues_licence })) : null,
      field({ id: "approve-comment", label: t("tasks.comment"), control: comment }),
      h("button.btn.btn-ok", { type: "submit", id: "approve" }, t("tasks.approve"))),
    h("form.card", { id: "reject-form", novalidate: true, on: { submit: required(reason, () => act("reject", { reason: reason.value.trim() })) } },
      h("h2", {}, t("tasks.reject")),
      field({ id: "reject-reason", label: t("tasks.reason"), control: reason, required: true }),
      h("button.btn.btn-secondary", { type: "submit", id: "reject" }, t("tasks.reject"))),
    kinds.length ? h("form.card", { id: "supplement-form", novalidate: true, on: { submit: required(supReason, () => {
      const materials = checks.map((c) => c.querySelector("input")).filter((i) => i.checked).map((i) => i.value);
      if (!materials.length) { put(out, alertBox("error", `${t("tasks.supplement.which")}：${t("form.required")}`)); return; }
      act("request-supplement", { materials, reason: supReason.value.trim() });
    }) } },
    h("h2", {}, t("tasks.supplement")),
    h("fieldset.field", {}, h("legend", {}, t("tasks.supplement.which")), checks),
    field({ id: "supplement-reason", label: t("tasks.reason"), control: supReason, required: true }),
    h("button.btn.btn-secondary", { type: "submit", id: "request-supplement" }, t("tasks.supplement"))) : null);
}
