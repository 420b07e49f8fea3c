// Applicant portal: browse key matters by life / business stage, the one-time guide (一次告知), and the
// one form (一表申请) with one set of materials (一套材料, 免证办) submitted once.
import { ApiError, all, get, hasRole, idempotencyKey, request, session } from "../api.js";
import { t } from "../i18n.js";
import { schemaForm } from "../schema-form.js";
import { alertBox, announce, clear, fmtDate, h, loading, pick, problemAlert, put, setFieldError, table } from "../ui.js";

/**
 * Matters by stage with a search box (server-side `q`). Applicants see their own kind (个人 / 法人); anyone
 * else — anonymous visitors too, from public routes only — switches between life and business stages.
 */
export async function home(root) {
  const kind = session()?.kind === "enterprise" ? "enterprise" : "individual";
  const fixed = hasRole("applicant") ? kind : null;
  root.append(h("h1", {}, t(fixed === "enterprise" ? "home.title.enterprise" : fixed ? "home.title.individual" : "home.title")));
  const stages = await all("/api/v1/stages");
  const state = { subject: fixed || "individual", stage: "", q: "" };
  const list = h("div");
  const search = h("input", { type: "search", id: "matter-search", placeholder: t("home.search.hint"), "aria-describedby": "matter-count" });
  const count = h("p.muted", { id: "matter-count", "aria-live": "polite" });
  const subjects = h("div.tabs.subjects", { role: "group", "aria-label": t("home.subjects") });
  const tabs = h("div.tabs", { role: "group", "aria-label": t("home.stages") });
  const stageName = (code) => pick(stages.find((x) => x.code === code)) || t(`stage.${code}`);
  let shown = 0;
  const draw = async () => {
    const mine = ++shown;
    // A search looks through every stage (and, for visitors, both kinds): a name is found wherever it is.
    const params = state.q ? { q: state.q, ...(fixed ? { subject: fixed } : {}) }
      : { subject: state.subject, ...(state.stage ? { stage: state.stage } : {}) };
    const page = await get("/api/v1/matters", { limit: 100, ...params });
    if (mine !== shown) return; // a newer click or keystroke already drew
    count.textContent = t("home.count", { n: page.total });
    put(list, page.items.length ? h("div.grid", {}, page.items.map((m) => matterCard(m, stageName))) : h("p.empty", {}, t("common.empty")));
    put(tabs, ["", ...stages.filter((x) => x.subject === state.subject && x.matters > 0).map((x) => x.code)].map((code) =>
      h("button", { type: "button", "data-stage": code, "aria-pressed": String(!state.q && code === state.stage),
        on: { click: () => { state.stage = code; state.q = ""; search.value = ""; draw(); } } }, code ? stageName(code) : t("home.all"))));
    for (const b of subjects.children) b.setAttribute("aria-pressed", String(b.dataset.subject === state.subject));
  };
  for (const subject of fixed ? [] : ["individual", "enterprise"]) {
    subjects.append(h("button", { type: "button", "data-subject": subject, "aria-pressed": "false",
      on: { click: () => { state.subject = subject; state.stage = ""; draw(); } } }, t(`home.subject.${subject}`)));
  }
  let timer = null;
  search.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(() => { state.q = search.value.trim(); draw(); }, 250); });
  root.append(h("div.field", {}, h("label", { for: "matter-search" }, t("home.search")), search), fixed ? null : subjects, tabs, count, list);
  await draw();
  if (hasRole("applicant")) root.append(await licencesCard());
}

function matterCard(m, stageName) {
  const canApply = !session() || hasRole("applicant");
  return h("article.card", { "data-matter": m.matter_code },
    h("h2", {}, h("a", { href: `#/matters/${m.matter_code}` }, pick(m))),
    h("div.row", {}, h("span.pill.pill-info", {}, stageName(m.stage)), h("span.pill.pill-muted", {}, t(`subject.${m.subject}`))),
    h("p.muted", {}, `${t("home.items", { n: m.items })} · ${t("home.depts", { n: m.departments.length })} · ${t("common.days", { n: m.committed_days })}`),
    h("div.row", {}, h("a.btn.btn-secondary", { href: `#/matters/${m.matter_code}` }, t("home.guide")),
      canApply ? h("a.btn", { href: `#/apply/${m.matter_code}` }, session() ? t("home.apply") : t("home.apply.login")) : null));
}

export async function licencesCard() {
  const [licences, types, departments] = await Promise.all([
    get("/api/v1/licences", { limit: 100 }).then((p) => p.items), materialTypes(), all("/api/v1/departments")]);
  // Names, never codes: the licence type and the issuing department by their published names.
  const dept = (code) => pick(departments.find((d) => d.code === code)) || t("guide.dept.unknown");
  return h("section.card", { "aria-labelledby": "licences-h" }, h("h2", { id: "licences-h" }, t("home.licences")),
    table([t("licence.type"), t("licence.number"), t("licence.dept"), t("licence.valid"), t("app.status")],
      licences.map((l) => [pick(types[l.licence_type]) || l.licence_type, l.number, dept(l.issuing_department),
        l.valid_until ? fmtDate(l.valid_until) : t("licence.forever"),
        h(`span.pill.${l.status === "valid" ? "pill-ok" : "pill-muted"}`, { "data-status": l.status }, t(`licence.status.${l.status}`))])));
}

let typeCache = null;
export async function materialTypes() {
  typeCache ??= Object.fromEntries((await all("/api/v1/material-types")).map((m) => [m.code, m]));
  return typeCache;
}

/** 一表申请 + 一套材料: the form from the schema, materials (licence / reuse / upload / deferral), submit. */
export async function apply(root, code) {
  if (!hasRole("applicant")) { root.append(alertBox("info", t("apply.need_login"))); return; }
  root.append(loading());
  const [matter, prefill, licences, owned, types] = await Promise.all([
    get(`/api/v1/matters/${encodeURIComponent(code)}`),
    get("/api/v1/applications/prefill", { matter_code: code }).catch(() => ({ values: {}, sources: {} })),
    get("/api/v1/licences", { limit: 100 }).then((p) => p.items),
    get("/api/v1/materials", { limit: 100 }).then((p) => p.items),
    materialTypes(),
  ]);
  const form = schemaForm(matter.form_schema, { values: prefill.values, sources: prefill.sources });
  const materials = materialsSection(matter, { licences, owned, types });
  const feedback = h("div", { tabindex: "-1", id: "submit-feedback" });
  const key = idempotencyKey(); // one per page: a retried click replays instead of doubling
  const button = h("button.btn", { type: "submit", id: "submit-application" }, t("apply.submit"));
  const onSubmit = async (event) => {
    event.preventDefault();
    clear(feedback);
    const invalid = form.validate();
    const unsigned = unsignedCommitment(matter, form, materials, types); // after validate: its words win
    if (invalid || unsigned) {
      const message = [invalid ? t("apply.invalid", { n: invalid }) : "", unsigned].filter(Boolean).join(" ");
      feedback.append(alertBox("error", message)); announce(message); return;
    }
    button.disabled = true; button.textContent = t("apply.submitting");
    try {
      const created = await request("/api/v1/applications", { method: "POST", headers: { "Idempotency-Key": key },
        body: { matter_code: code, form: form.values(), materials: materials.chosen(), channel: "online" } });
      location.hash = `#/applications/${created.acceptance_number}`;
    } catch (error) {
      button.disabled = false; button.textContent = t("apply.submit");
      const rest = error instanceof ApiError ? materials.showErrors(form.showServerErrors(error.problem.errors || [])) : [];
      feedback.append(error instanceof ApiError ? problemAlert({ problem: { ...error.problem, errors: rest } }) : alertBox("error", error.message));
      feedback.focus();
    }
  };
  // Only what the form took: a tick box never takes a prefilled value (告知承诺 is the applicant's own act).
  const prefilled = Object.keys(prefill.values || {}).filter((k) => matter.form_schema.properties?.[k]?.type !== "boolean").length;
  put(root, 
    h("p", {}, h("a", { href: `#/matters/${code}` }, `← ${t("home.guide")}`)),
    h("h1", {}, `${t("apply.title")}：${pick(matter)}`),
    h("ol.steps", { "aria-label": t("apply.title") }, h("li", {}, t("apply.step.form")), h("li", {}, t("apply.step.materials")), h("li", {}, t("apply.step.submit"))),
    prefilled ? alertBox("info", t("apply.prefilled", { n: prefilled })) : null,
    h("form", { novalidate: true, on: { submit: onSubmit }, "aria-labelledby": "form-h" },
      h("section.card", { id: "form-section" }, h("h2", { id: "form-h" }, pick(matter.form_schema, "title")), form.element),
      materials.element, feedback, h("p", {}, button)));
}

/**
 * 告知承诺: the applicant's own tick, which the form may require and which may replace materials that are
 * neither uploaded nor covered by a licence. The message (also shown at the box) when it is missing, else "".
 */
function unsignedCommitment(matter, form, materials, types) {
  const [name, box] = Object.entries(form.controls).find(([n, c]) => /^commitment_/.test(n) && c.type === "checkbox") || [];
  if (!box || box.checked) return "";
  const open = matter.materials.filter((m) => m.commitment_allowed && !materials.covered(m.material_type));
  const list = open.map((m) => pick(types[m.material_type]) || pick(m)).join("、");
  const title = pick(matter.form_schema.properties[name], "title");
  const required = (matter.form_schema.required || []).includes(name);
  if (!required && !open.length) return "";
  const message = required ? t("apply.commitment.required", { title }) + (open.length ? t("apply.commitment.replaces", { list }) : "")
    : t("apply.commitment.or_upload", { title, list });
  setFieldError(box, message);
  return message;
}

function materialsSection(matter, { licences, owned, types }) {
  const held = new Map(licences.filter((l) => !["expired", "revoked", "cancelled"].includes(l.status)).map((l) => [l.licence_type, l]));
  const chosen = new Map(); // material_type → material id
  const errors = {};
  const rows = matter.materials.map((m) => {
    const status = h("span.material-status", { id: `mat-${m.material_type}-status` });
    const error = h("p.field-error", { id: `mat-${m.material_type}-err`, role: "alert" });
    errors[m.material_type] = error;
    const licence = held.get(m.material_type);
    const mine = owned.filter((o) => o.material_type === m.material_type).sort((a, b) => b.created_at.localeCompare(a.created_at))[0];
    const input = h("input", { type: "file", id: `mat-${m.material_type}`, accept: ".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg", "aria-describedby": `mat-${m.material_type}-status mat-${m.material_type}-err` });
    const show = (text, kind) => { put(status, h(`span.pill.pill-${kind}`, {}, text)); };
    if (licence) show(t("apply.covered", { number: licence.number }), "ok");
    else if (mine) { chosen.set(m.material_type, mine.id); show(t("apply.reuse", { file: mine.file_name, date: fmtDate(mine.created_at) }), "ok"); }
    else show(m.deferrable ? t("apply.deferred") : t("apply.missing"), m.deferrable ? "warn" : "muted");
    input.addEventListener("change", async () => {
      const file = input.files[0];
      if (!file) return;
      error.textContent = ""; show(t("apply.uploading"), "info");
      try {
        const fd = new FormData();
        fd.append("material_type", m.material_type);
        fd.append("file", file, file.name);
        const saved = await request("/api/v1/materials", { method: "POST", form: fd });
        chosen.set(m.material_type, saved.id);
        show(t("apply.uploaded", { file: saved.file_name || file.name }), "ok");
        announce(t("apply.uploaded", { file: file.name }));
      } catch (err) {
        show(t("apply.missing"), "muted");
        error.textContent = err.problem?.errors?.map((e) => e.message).join("; ") || err.message;
      }
    });
    return h("div.material", { "data-material": m.material_type },
      h("div", {}, h("div.name", {}, pick(types[m.material_type]) || pick(m), m.key ? h("span.req", { "aria-hidden": "true" }, " *") : null), status, error),
      licence ? null : h("div.field", {}, h("label", { for: input.id }, t("apply.upload")), input));
  });
  const element = h("section.card", { id: "materials-section", "aria-labelledby": "materials-h" },
    h("h2", { id: "materials-h" }, t("apply.materials")), h("p.muted", {}, t("apply.materials.intro")), rows);
  return {
    element,
    chosen: () => Object.fromEntries(chosen),
    covered: (type) => chosen.has(type) || held.has(type),
    showErrors(list) {
      return list.filter((e) => {
        const type = String(e.field).startsWith("materials.") ? e.field.slice(10) : null;
        if (type && errors[type]) { errors[type].textContent = e.message; return false; }
        return true;
      });
    },
  };
}
