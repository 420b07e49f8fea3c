// Where the shell may send a person: routes of this page only. After a login the app returns to `next`,
// which must be a same-origin relative route ("/matters/x"), never another site ("//evil.example",
// "https:…", "javascript:…"), never the login page itself (that nesting made the URL grow without end).

/** Routes an anonymous visitor may see: the portal, a matter's one-time guide (一次告知) and the login. */
const PUBLIC = [/^\/$/, /^\/login$/, /^\/matters\/[\w-]+$/];
const ROUTE = /^\/(?![/\\])[\w\-/]*(\?[\w\-=&%.]*)?$/;

/** `raw` when it is a safe route of this page, else "/" (the portal). */
export function safeNext(raw) {
  if (typeof raw !== "string" || raw.length > 200 || !ROUTE.test(raw)) return "/";
  return /^\/login(\?|$)/.test(raw) ? "/" : raw;
}

/** The route in the address bar's hash, e.g. "/matters/newborn-birth" ("/" when empty). */
export function currentRoute() { return (location.hash || "#/").slice(1) || "/"; }

export function isPublic(route) { return PUBLIC.some((re) => re.test(route.split("?")[0])); }

/** The login route that comes back to `next` afterwards ("/login" alone when that is the portal). */
export function loginRoute(next = currentRoute()) {
  const target = safeNext(next);
  return target === "/" ? "/login" : `/login?next=${encodeURIComponent(target)}`;
}

/** The safe `next` of a login route, "/" without one. */
export function nextOf(route) { return safeNext(new URLSearchParams(route.split("?")[1] || "").get("next")); }

/** Shows `route`: replaces the history entry (no back-button loop); re-renders when it is already shown. */
export function go(route, render) {
  if (currentRoute() === route) render();
  else location.replace(`#${route}`);
}
