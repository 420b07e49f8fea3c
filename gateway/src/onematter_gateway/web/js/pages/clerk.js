// Window-clerk console (一窗受理, 帮办代办): submit for the applicant at the counter, print the receipt.
import { ApiError, all, get, idempotencyKey, request, session } from "../api.js";
import { t } from "../i18n.js";
import { schemaForm } from "../schema-form.js";
import { alertBox, announce, append, clear, field, fmtDate, h, pick, problemAlert, put, setFieldError, statusPill, table } from "../ui.js";
import { materialTypes } from "./portal.js";
import { deadlineCell } from "./applications.js";

export async function counter(root) {
  const [matters, departments, types] = await Promise.all([all("/api/v1/matters"), all("/api/v1/departments"), materialTypes()]);
  const names = { dept: (code) => pick(departments.find((d) => d.code === code)) || code, type: (code) => pick(types[code]) || code };
  const history = h("div", { id: "clerk-history" }, await mine());
  const applicant = h("input", { type: "text", autocomplete: "off", spellcheck: false });
  const matter = h("select", {}, h("option", { value: "" }, t("form.choose")),
    matters.map((m) => h("option", { value: m.matter_code }, `${pick(m)}（${t(`subject.${m.subject}`)}）`)));
  const formBox = h("div", { id: "clerk-form" });
  const feedback = h("div", { tabindex: "-1" });
  const receipt = h("div", { id: "receipt-box" });
  let current = null, key = idempotencyKey(), generation = 0;
  // The form and the materials depend on who is at the counter: what the platform already knows for them
  // (减填, prefill values) and which materials a licence or an earlier application covers (免证办, 一套材料).
  const render = async () => {
    const who = applicant.value.trim();
    if (current && current.who === who && current.matter.matter_code === matter.value) return; // unchanged: keep what was typed
    const mine = ++generation; // applicant and matter both trigger this: only the latest call may draw
    clear(formBox); current = null;
    if (!matter.value || !who) return;
    const [m, known] = await Promise.all([get(`/api/v1/matters/${matter.value}`),
      get("/api/v1/applications/prefill", { matter_code: matter.value, on_behalf_of: who }).catch(() => null)]);
    if (mine !== generation) return;
    clear(formBox);
    const form = schemaForm(m.form_schema, { prefix: "c", values: known?.values, sources: known?.sources });
    const coverage = Object.fromEntries((known?.materials || []).map((x) => [x.material_type, x]));
    const ids = {};
    current = { matter: m, form, ids, who, controls: {} };
    const rows = m.materials.map((x) => materialRow(x, coverage[x.material_type], { who, ids, controls: current.controls, types }));
    append(formBox, [h("h2", {}, pick(m.form_schema, "title")), form.element,
      h("h2", {}, t("apply.materials")), alertBox("info", t("clerk.materials")), h("div.form-grid", {}, rows)]);
  };
  matter.addEventListener("change", render);
  applicant.addEventListener("change", render);
  const submit = async (event) => {
    event.preventDefault();
    clear(feedback);
    const who = applicant.value.trim();
    if (!who || !current || who !== current.who) { feedback.append(alertBox("error", `${!who ? t("clerk.applicant") : t("clerk.matter")}：${t("form.required")}`)); feedback.focus(); return; }
    const invalid = current.form.validate();
    if (invalid) { feedback.append(alertBox("error", t("apply.invalid", { n: invalid }))); return; }
    try {
      const a = await request("/api/v1/applications", { method: "POST", headers: { "Idempotency-Key": key },
        body: { matter_code: current.matter.matter_code, form: current.form.values(), materials: { ...current.ids }, channel: "window", on_behalf_of: current.who } });
      key = idempotencyKey();
      put(receipt, receiptSheet(a, current.matter, names));
      put(history, await mine());
      receipt.querySelector("h2").focus();
    } catch (error) {
      const rest = error instanceof ApiError ? current.form.showServerErrors(error.problem.errors || []).filter((e) => {
        const control = current.controls[String(e.field).replace(/^materials\./, "")];
        if (control) setFieldError(control, e.message);
        return !control;
      }) : [];
      feedback.append(error instanceof ApiError ? problemAlert({ problem: { ...error.problem, errors: rest } }) : alertBox("error", error.message));
      feedback.focus();
    }
  };
  root.append(h("h1", {}, t("clerk.title")), h("p.muted", {}, t("clerk.intro")),
    h("form.card.no-print", { novalidate: true, on: { submit } },
      field({ id: "clerk-applicant", label: t("clerk.applicant"), control: applicant, hint: t("clerk.applicant.hint"), required: true }),
      field({ id: "clerk-matter", label: t("clerk.matter"), control: matter, required: true }),
      formBox, feedback, h("button.btn", { type: "submit", id: "clerk-submit" }, t("clerk.submit"))),
    receipt, history);
}

/** One material at the counter: covered by a licence (left out), by an earlier application's material (its
 * id is named), or scanned here and uploaded into the applicant's locker on their behalf (帮办代办). */
function materialRow(x, coverage, { who, ids, controls, types }) {
  const label = `${pick(types[x.material_type]) || pick(x)}${x.deferrable ? `（${t("guide.deferrable")}）` : ""}`;
  const status = h("span.material-status", { id: `cm-${x.material_type}-status` });
  const show = (text, kind = "muted") => put(status, h(`span.pill.pill-${kind}`, {}, text));
  if (coverage?.covered_by === "licence") show(t("apply.covered", { number: coverage.licence_number || "" }), "ok");
  else if (coverage?.covered_by === "earlier_material") { ids[x.material_type] = coverage.material_id; show(t("clerk.reused"), "ok"); }
  else show(x.deferrable ? t("apply.deferred") : t("apply.missing"));
  const file = h("input", { type: "file", accept: "application/pdf,image/png,image/jpeg" });
  controls[x.material_type] = file;
  file.addEventListener("change", async () => {
    const chosen = file.files[0];
    if (!chosen) return;
    setFieldError(file, ""); show(t("apply.uploading"), "info");
    try {
      const fd = new FormData();
      fd.append("material_type", x.material_type);
      fd.append("on_behalf_of", who);
      fd.append("file", chosen, chosen.name);
      const saved = await request("/api/v1/materials", { method: "POST", form: fd });
      ids[x.material_type] = saved.id;
      show(t("apply.uploaded", { file: chosen.name }), "ok");
      announce(t("apply.uploaded", { file: chosen.name }));
    } catch (error) {
      show(t("apply.missing"));
      setFieldError(file, error.problem?.errors?.map((e) => e.message).join("; ") || error.message);
    }
  });
  return h("div", { "data-material": x.material_type }, field({ id: `cm-${x.material_type}`, control: file, label, hint: t("clerk.material.hint") }), status);
}

function receiptSheet(a, matter, names) {
  const me = session();
  const print = () => {
    document.body.classList.add("printing-receipt");
    window.addEventListener("afterprint", () => document.body.classList.remove("printing-receipt"), { once: true });
    window.print();
  };
  return h("section.card.receipt.receipt-sheet", { id: "receipt", "aria-labelledby": "receipt-h" },
    h("h2", { id: "receipt-h", tabindex: "-1" }, `${t("receipt.title")} · ${pick(matter)}`),
    h("p", {}, t("app.number"), "：", h("span.number", { id: "acceptance-number" }, a.acceptance_number)),
    h("dl.facts", {},
      h("dt", {}, t("receipt.applicant")), h("dd", {}, a.applicant_id),
      h("dt", {}, t("app.accepted_at")), h("dd", {}, fmtDate(a.accepted_at)),
      h("dt", {}, t("app.deadline")), h("dd", {}, fmtDate(a.deadline)),
      h("dt", {}, t("app.channel")), h("dd", {}, t(`channel.${a.channel}`)),
      h("dt", {}, t("receipt.clerk")), h("dd", {}, `${me?.name || ""}（${me?.sub || ""}）`),
      a.deferred_materials?.length ? [h("dt", {}, t("app.deferred_materials")), h("dd", {}, `${a.deferred_materials.map(names.type).join("、")}${a.supplement_due ? ` — ${fmtDate(a.supplement_due)}` : ""}`)] : null),
    table([t("app.item"), t("app.department"), t("app.deadline")], a.tasks.map((x) => [x.item_name_zh, names.dept(x.department), fmtDate(x.deadline)])),
    h("p.muted", {}, t("receipt.keep")),
    h("div.row.no-print", {}, h("button.btn", { type: "button", id: "print-receipt", on: { click: print } }, t("receipt.print")),
      h("button.btn.btn-secondary", { type: "button", on: { click: () => { location.hash = `#/clerk?n=${Date.now()}`; } } }, t("receipt.new"))));
}

async function mine() {
  const page = await get("/api/v1/applications", { limit: 20 });
  return h("section.no-print", {}, h("h2", {}, t("clerk.mine")),
    table([t("app.number"), t("receipt.applicant"), t("app.matter"), t("app.status"), t("app.deadline")],
      page.items.map((a) => [a.acceptance_number, a.applicant_id, a.matter_code, statusPill(a.status), deadlineCell(a.deadline, a.status)])));
}
