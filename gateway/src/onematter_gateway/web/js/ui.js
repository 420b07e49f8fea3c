// DOM helpers: build elements without innerHTML (no XSS from API data), announce, toast, format.
import { lang, t } from "./i18n.js";

/** h("tag.class#id", {attrs, on: {click}}, ...children) — strings become text nodes. */
export function h(spec, attrs = {}, ...children) {
  const [, tag, rest] = spec.match(/^([a-z0-9-]+)(.*)$/i);
  const svg = ["svg", "g", "rect", "line", "text", "title", "path", "circle"].includes(tag);
  const el = svg ? document.createElementNS("http://www.w3.org/2000/svg", tag) : document.createElement(tag);
  for (const m of rest.matchAll(/([.#])([\w-]+)/g)) {
    if (m[1] === ".") el.classList.add(m[2]); else el.id = m[2];
  }
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "on") for (const [ev, fn] of Object.entries(value)) el.addEventListener(ev, fn);
    else if (key === "text") el.textContent = value;
    else if (key === "class") el.classList.add(...String(value).split(/\s+/).filter(Boolean)); // adds to "tag.class"
    else if (key in el && !svg && typeof value !== "string") el[key] = value;
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export function clear(el) { el.replaceChildren(); return el; }

/** Announce to screen readers through the page's polite live region. */
export function announce(message) {
  const live = document.getElementById("live");
  live.textContent = "";
  setTimeout(() => { live.textContent = message; }, 30);
}

/** A visible message for a few seconds, also announced (the toast area itself is not a live region). */
export function toast(message, { ms = 4000 } = {}) {
  announce(message);
  const box = h("div.toast", {}, message);
  document.getElementById("toasts").append(box);
  setTimeout(() => box.remove(), ms);
}

/** name_zh / name_en (or title / x-title-en) in the current language, falling back to Chinese. */
export function pick(obj, base = "name") {
  if (!obj) return "";
  if (base === "title") return (lang() === "en" && obj["x-title-en"]) || obj.title || "";
  return (lang() === "en" && obj[`${base}_en`]) || obj[`${base}_zh`] || obj.code || "";
}

/** Every date and time a person sees is Beijing time (China Standard Time, UTC+8), whatever the browser's
 * own zone: the legal clock, deadlines and acceptance numbers all count days in China (issue 15). */
export const CHINA_TZ = "Asia/Shanghai";
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** An instant from the API: RFC 3339 with an offset. A timestamp without one is an older answer's UTC. */
function instant(value) {
  if (DATE_ONLY.test(value)) return new Date(`${value}T00:00:00+08:00`); // a date in China: its midnight there
  return new Date(/(Z|[+-]\d{2}:?\d{2})$/i.test(value) ? value : `${value}Z`);
}

export function fmtDate(value) {
  if (!value) return "—";
  const opts = DATE_ONLY.test(value) ? { dateStyle: "medium" } : { dateStyle: "medium", timeStyle: "short" };
  return new Intl.DateTimeFormat(lang() === "en" ? "en-GB" : "zh-CN", { ...opts, timeZone: CHINA_TZ }).format(instant(value));
}

/** Today's date in China, ``YYYY-MM-DD`` (en-CA formats dates in that order). */
export function chinaToday(now = new Date()) {
  return new Intl.DateTimeFormat("en-CA", { timeZone: CHINA_TZ, year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
}

/** Working-day deadlines are dates; "days left" here is calendar days from today in China, labelled as such. */
export function daysUntil(isoDate) {
  return Math.round((Date.parse(`${isoDate}T00:00:00Z`) - Date.parse(`${chinaToday()}T00:00:00Z`)) / 86400000);
}

const STATUS_CLASS = {
  in_progress: "pill-info", waiting_supplement: "pill-warn", completed: "pill-ok", approved: "pill-ok",
  rejected: "pill-bad", completed_with_rejections: "pill-warn", withdrawn: "pill-muted", cancelled: "pill-muted",
  open: "pill-warn", closed: "pill-ok", not_accepted: "pill-bad", terminated: "pill-bad",
};
export function statusPill(status) {
  return h(`span.pill.${STATUS_CLASS[status] || "pill-muted"}`, { "data-status": status }, t(`status.${status}`));
}

export function table(headers, rows, { caption, rowClass } = {}) {
  return h("div.table-wrap", {}, h("table", {},
    caption ? h("caption.sr-only", {}, caption) : null,
    h("thead", {}, h("tr", {}, headers.map((x) => h("th", { scope: "col", class: x.num ? "num" : null }, x.label ?? x)))),
    h("tbody", {}, rows.length ? rows.map((r, i) => h("tr", { class: rowClass?.(i) }, r.map((c, j) =>
      h("td", { class: headers[j]?.num ? "num" : null }, c))))
      : h("tr", {}, h("td.empty", { colspan: headers.length }, t("common.empty"))))));
}

export function alertBox(kind, ...children) {
  return h(`div.alert.alert-${kind}`, { role: kind === "error" ? "alert" : null }, ...children);
}

/** A problem+json error as an alert, with its field errors listed. */
export function problemAlert(error) {
  const errors = error?.problem?.errors || [];
  return alertBox("error", h("strong", {}, error?.problem?.title || t("common.error")),
    error?.problem?.detail ? h("div", {}, error.problem.detail) : (errors.length ? null : h("div", {}, String(error?.message || error))),
    errors.length ? h("ul", {}, errors.map((e) => h("li", {}, `${e.field}: ${e.message}`))) : null);
}

export function field({ id, label, control, hint, required, error = "" }) {
  control.id = id;
  const described = [hint ? `${id}-hint` : null, `${id}-err`].filter(Boolean).join(" ");
  control.setAttribute("aria-describedby", described);
  if (required) control.setAttribute("aria-required", "true");
  return h("div.field", {},
    h("label", { for: id }, label, required ? h("span.req", { "aria-hidden": "true" }, "*") : null),
    hint ? h("span.hint", { id: `${id}-hint` }, hint) : null,
    control,
    h("p.field-error", { id: `${id}-err` }, error));
}

export function setFieldError(control, message) {
  const out = document.getElementById(`${control.id}-err`);
  if (out) out.textContent = message || "";
  if (message) control.setAttribute("aria-invalid", "true"); else control.removeAttribute("aria-invalid");
}

export function loading() { return h("p.muted", { role: "status" }, t("common.loading")); }

export function download(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = h("a", { href: url, download: name });
  document.body.append(a); a.click(); a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

/** Replaces el's children (null/false children are skipped, unlike Element.append). */
export function put(el, ...children) { return append(clear(el), children); }

/** A deadline's explanation (start + N working days, holidays skipped, 调休 workdays, 补正 pauses) as text. */
export function explainDeadline(x) {
  if (!x || typeof x !== "object") return x || "";
  const parts = [t("deadline.base", { start: fmtDate(x.start), n: x.working_days, due: fmtDate(x.due) })];
  if (x.holidays_skipped?.length) parts.push(t("deadline.holidays", { list: x.holidays_skipped.map((d) => `${d.name} ${fmtDate(d.date)}`).join("、") }));
  if (x.adjusted_workdays?.length) parts.push(t("deadline.adjusted", { list: x.adjusted_workdays.map(fmtDate).join("、") }));
  if (x.pauses?.length) parts.push(t("deadline.paused", { n: x.pauses.reduce((n, p) => n + (p.working_days || 0), 0) }));
  if (x.provisional) parts.push(t("deadline.provisional"));
  return parts.join("；");
}

export function enumLabel(value) {
  const label = t(`enum.${value}`);
  return label === `enum.${value}` ? String(value) : label;
}
