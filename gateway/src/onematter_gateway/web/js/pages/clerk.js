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
  let current = null, key = idempotencyKey(), generation = 0, asking = null;
  // The form and the materials depend on who is at the counter: what the platform already knows for them
  // (减填, prefill values) and which materials a licence or an earlier application covers (免证办, 一套材料).
  const render = async () => {
    const who = applicant.value.trim();
    if (current && current.who === who && current.matter.matter_code === matter.value) return; // unchanged: keep what was typed
    if (!current && asking === `${who}|${matter.value}`) return; // the delegation panel for them is already up
    const mine = ++generation; // applicant and matter both trigger this: only the latest call may draw
    clear(formBox); current = null; asking = null;
    if (!matter.value || !who) return;
    // 帮办代办 only under a delegation (委托) the applicant granted: none yet → start one first
    const delegation = await inForce(who, matter.value);
    if (mine !== generation) return;
    if (!delegation) {
      asking = `${who}|${matter.value}`;
      put(formBox, delegationPanel(who, matter.value, () => { asking = null; current = null; render(); }));
      return;
    }
    asking = null;
    const [m, known] = await Promise.all([get(`/api/v1/matters/${matter.value}`),
      get("/api/v1/applications/prefill", { matter_code: matter.value, on_behalf_of: who }).catch(() => null)]);
    if (mine !== generation) return;
    clear(formBox);
    const form = schemaForm(m.form_schema, { prefix: "c", values: known?.values, sources: known?.sources });
    const coverage = Object.fromEntries((known?.materials || []).map((x) => [x.material_type, x]));
    const ids = {};
    current = { matter: m, form, ids, who, controls: {}, delegation: delegation.id };
    const rows = m.materials.map((x) => materialRow(x, coverage[x.material_type], { who, ids, controls: current.controls, types, delegation: delegation.id }));
    append(formBox, [alertBox("info", t("clerk.delegation.active", { until: fmtDate(delegation.valid_until) })),
      h("h2", {}, pick(m.form_schema, "title")), form.element,
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
function materialRow(x, coverage, { who, ids, controls, types, delegation }) {
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
      fd.append("delegation_id", delegation);
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

/** The delegation in force that lets this clerk read and submit for ``who`` on ``code``, or null. */
async function inForce(who, code) {
  const granted = await get("/api/v1/delegations").catch(() => []);
  return granted.find((d) => d.applicant_id === who && d.status === "active" && d.matter_codes.includes(code)
    && ["read", "submit"].every((a) => d.actions.includes(a)) && new Date(d.valid_until) > new Date()) || null;
}

/** No delegation yet: the applicant confirms with the one-time code sent to their own inbox (never shown
 * here), or — for a person without a phone — the clerk records an in-person identity check with a witness. */
function delegationPanel(who, code, done) {
  const feedback = h("div", { tabindex: "-1" });
  const terms = () => ({ applicant_id: who, matter_codes: [code], actions: ["read", "submit"],
    valid_until: new Date(Date.now() + 24 * 3600 * 1000).toISOString() });
  const fail = (error) => { put(feedback, error instanceof ApiError ? problemAlert(error) : alertBox("error", error.message)); feedback.focus(); };
  const codeInput = h("input", { type: "text", inputmode: "numeric", autocomplete: "one-time-code", maxlength: 6 });
  const confirmBox = h("div", { id: "clerk-code-box", hidden: true },
    field({ id: "clerk-code", label: t("clerk.delegation.code"), control: codeInput, hint: t("clerk.delegation.code.hint") }),
    h("button.btn", { type: "button", id: "clerk-confirm", on: { click: async () => {
      try { await request(`/api/v1/delegations/${confirmBox.dataset.id}/confirm`, { method: "POST", body: { code: codeInput.value.trim() } }); done(); }
      catch (error) { fail(error); }
    } } }, t("clerk.delegation.confirm")));
  const send = async () => {
    try {
      const pending = await request("/api/v1/delegations/requests", { method: "POST", body: terms() });
      confirmBox.dataset.id = pending.id; confirmBox.hidden = false;
      put(feedback, alertBox("info", t("clerk.delegation.sent")));
      codeInput.focus();
    } catch (error) { fail(error); }
  };
  const docType = h("select", {}, ["resident_id_card", "passport", "hk_macao_permit", "taiwan_permit", "other"]
    .map((v) => h("option", { value: v }, t(`clerk.doc.${v}`))));
  const docNumber = h("input", { type: "text", autocomplete: "off", spellcheck: false });
  const witness = h("input", { type: "text", autocomplete: "off", spellcheck: false });
  const inPerson = async () => {
    try {
      await request("/api/v1/delegations/in-person", { method: "POST", body: { ...terms(), document_type: docType.value,
        document_number: docNumber.value.trim(), witness_id: witness.value.trim() } });
      done();
    } catch (error) { fail(error); }
  };
  return h("section.card", { id: "clerk-delegation" }, h("h2", {}, t("clerk.delegation.title")),
    alertBox("warn", t("clerk.delegation.none")),
    h("button.btn", { type: "button", id: "clerk-send-code", on: { click: send } }, t("clerk.delegation.send")), confirmBox,
    h("h3", {}, t("clerk.delegation.in_person")),
    field({ id: "clerk-doc-type", label: t("clerk.doc.type"), control: docType }),
    field({ id: "clerk-doc-number", label: t("clerk.doc.number"), control: docNumber }),
    field({ id: "clerk-witness", label: t("clerk.doc.witness"), control: witness, hint: t("clerk.doc.witness.hint") }),
    h("button.btn.btn-secondary", { type: "button", id: "clerk-in-person", on: { click: inPerson } }, t("clerk.delegation.record")),
    feedback);
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
