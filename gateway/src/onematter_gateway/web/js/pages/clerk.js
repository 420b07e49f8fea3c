// Window-clerk console (一窗受理, 帮办代办): submit for the applicant at the counter, print the receipt.
import { ApiError, all, get, idempotencyKey, request, session } from "../api.js";
import { t } from "../i18n.js";
import { schemaForm } from "../schema-form.js";
import { alertBox, append, clear, field, fmtDate, h, pick, problemAlert, put, setFieldError, statusPill, table } from "../ui.js";
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
  let current = null, key = idempotencyKey();
  matter.addEventListener("change", async () => {
    clear(formBox); current = null;
    if (!matter.value) return;
    const m = await get(`/api/v1/matters/${matter.value}`);
    const ids = Object.fromEntries(m.materials.map((x) => [x.material_type, h("input", { type: "text", autocomplete: "off", spellcheck: false })]));
    current = { matter: m, form: schemaForm(m.form_schema, { prefix: "c" }), ids };
    append(formBox, [h("h2", {}, pick(m.form_schema, "title")), current.form.element,
      h("h2", {}, t("apply.materials")), alertBox("info", t("clerk.materials")),
      h("div.form-grid", {}, m.materials.map((x) => field({ id: `cm-${x.material_type}`, control: ids[x.material_type],
        label: `${pick(types[x.material_type]) || pick(x)}${x.deferrable ? `（${t("guide.deferrable")}）` : ""}`, hint: t("clerk.material.hint") })))]);
  });
  const submit = async (event) => {
    event.preventDefault();
    clear(feedback);
    const who = applicant.value.trim();
    if (!who || !current) { feedback.append(alertBox("error", `${!who ? t("clerk.applicant") : t("clerk.matter")}：${t("form.required")}`)); feedback.focus(); return; }
    const invalid = current.form.validate();
    if (invalid) { feedback.append(alertBox("error", t("apply.invalid", { n: invalid }))); return; }
    try {
      const a = await request("/api/v1/applications", { method: "POST", headers: { "Idempotency-Key": key },
        body: { matter_code: current.matter.matter_code, form: current.form.values(), materials: materialIds(current.ids), channel: "window", on_behalf_of: who } });
      key = idempotencyKey();
      put(receipt, receiptSheet(a, current.matter, names));
      put(history, await mine());
      receipt.querySelector("h2").focus();
    } catch (error) {
      const rest = error instanceof ApiError ? current.form.showServerErrors(error.problem.errors || []).filter((e) => {
        const control = current.ids[String(e.field).replace(/^materials\./, "")];
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

/** material_type → the id the applicant read out from their material locker (一套材料); blanks left out. */
function materialIds(inputs) {
  return Object.fromEntries(Object.entries(inputs).map(([k, el]) => [k, el.value.trim()]).filter(([, v]) => v));
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
