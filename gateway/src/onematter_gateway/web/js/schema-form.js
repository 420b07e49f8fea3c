// The one form (一表申请), generated from the matter's JSON Schema: a control per property by type,
// enum and format; the schema's own rules (required, minLength, maxLength, pattern, enum, format: date)
// are checked in the browser with messages, and the server's problem+json errors are shown per field.
import { t } from "./i18n.js";
import { enumLabel, field, h, pick, setFieldError } from "./ui.js";

/**
 * Builds the form body. Returns {element, values(), validate() → error count, showServerErrors(errors)
 * → errors it could not place on a field}. `prefix` keeps ids unique when two forms share a page.
 */
export function schemaForm(schema, { values = {}, sources = {}, prefix = "f" } = {}) {
  const required = new Set(schema.required || []);
  const controls = {};
  const fields = Object.entries(schema.properties || {}).map(([name, prop]) => {
    // A tick box is the applicant's own affirmation (告知承诺): never pre-ticked from an earlier case.
    const control = controlFor(prop, prop.type === "boolean" ? undefined : values[name]);
    control.name = name;
    controls[name] = control;
    const recheck = () => setFieldError(control, check(prop, read(prop, control), required.has(name)));
    control.addEventListener("blur", recheck);
    // While a message shows, it follows the typing, so a corrected field stops saying it is wrong.
    for (const type of ["input", "change"]) {
      control.addEventListener(type, () => { if (control.getAttribute("aria-invalid") === "true") recheck(); });
    }
    const example = prop.examples?.[0];
    const hint = prop.type === "boolean" ? null : sources[name] ? t(sources[name] === "licence" ? "form.from_licence" : "form.from_earlier")
      : (example !== undefined && prop.type === "string" && !prop.enum ? t("form.example", { v: example }) : null);
    if (prop.type === "boolean") {
      const wrap = h("div.field", {}, h("label.check", { for: `${prefix}-${name}` }, control, pick(prop, "title")),
        h("p.field-error", { id: `${prefix}-${name}-err` }));
      control.id = `${prefix}-${name}`;
      control.setAttribute("aria-describedby", `${prefix}-${name}-err`);
      return wrap;
    }
    return field({ id: `${prefix}-${name}`, label: pick(prop, "title"), control, hint, required: required.has(name) });
  });
  const element = h("div.form-grid", {}, fields);

  const valuesOf = () => {
    const out = {};
    for (const [name, prop] of Object.entries(schema.properties || {})) {
      const value = read(prop, controls[name]);
      if (value !== undefined) out[name] = value;
    }
    return out;
  };
  const validate = () => {
    let count = 0, first = null;
    for (const [name, prop] of Object.entries(schema.properties || {})) {
      const message = check(prop, read(prop, controls[name]), required.has(name));
      setFieldError(controls[name], message);
      if (message) { count += 1; first ??= controls[name]; }
    }
    first?.focus();
    return count;
  };
  const showServerErrors = (errors) => {
    const unplaced = [];
    let first = null;
    for (const error of errors) {
      const name = String(error.field || "").replace(/^form\./, "").split(".")[0];
      if (controls[name] && String(error.field).startsWith("form.")) {
        setFieldError(controls[name], error.message);
        first ??= controls[name];
      } else unplaced.push(error);
    }
    first?.focus();
    return unplaced;
  };
  return { element, values: valuesOf, validate, showServerErrors, controls };
}

function controlFor(prop, value) {
  if (prop.type === "boolean") return h("input", { type: "checkbox", checked: value === true });
  if (prop.enum) {
    return h("select", {}, h("option", { value: "" }, t("form.choose")),
      prop.enum.map((v) => h("option", { value: v, selected: v === value }, enumLabel(v))));
  }
  const type = prop.type === "integer" || prop.type === "number" ? "number"
    : prop.format === "date" ? "date" : prop.format === "email" ? "email" : "text";
  const attrs = { type, value: value ?? "" };
  if (prop.maxLength) attrs.maxlength = prop.maxLength;
  if (prop.minimum !== undefined) attrs.min = prop.minimum;
  if (prop.maximum !== undefined) attrs.max = prop.maximum;
  if (prop.pattern) attrs.inputmode = /\\d/.test(prop.pattern) && !/[a-z]/i.test(prop.pattern.replace(/\\d|X/g, "")) ? "numeric" : null;
  if (/phone/.test(prop.title || "") || /\^1\[3-9\]/.test(prop.pattern || "")) { attrs.type = "tel"; attrs.autocomplete = "tel"; }
  return h("input", attrs);
}

function read(prop, control) {
  if (prop.type === "boolean") return control.checked ? true : undefined;
  const raw = control.value.trim();
  if (raw === "") return undefined;
  if (prop.type === "integer") return Number.parseInt(raw, 10);
  if (prop.type === "number") return Number(raw);
  return raw;
}

/** The first rule of `prop` that `value` breaks, as a message; "" when it is valid. */
export function check(prop, value, isRequired) {
  if (value === undefined) return isRequired ? t(prop.type === "boolean" ? "form.affirm" : "form.required") : "";
  if (prop.enum && !prop.enum.includes(value)) return t("form.enum");
  if (typeof value === "string") {
    if (prop.minLength && [...value].length < prop.minLength) return t("form.minLength", { n: prop.minLength });
    if (prop.maxLength && [...value].length > prop.maxLength) return t("form.maxLength", { n: prop.maxLength });
    if (prop.pattern && !new RegExp(prop.pattern, "u").test(value)) return t("form.pattern");
    if (prop.format === "date" && (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value)))) return t("form.date");
  }
  return "";
}
