// The shell: hash routes → page modules, the navigation for the caller's role, the language switch, and
// one live notification stream per login that pages listen to as `om:notification` window events.
import { dropToken, get, hasRole, login, logout, openStream, session, staleToken, ApiError } from "./api.js";
import { currentRoute, go, isPublic, loginRoute, nextOf } from "./nav.js";
import { lang, setLang, t } from "./i18n.js";
import { announce, clear, h, field, alertBox, toast, put } from "./ui.js";
import * as portal from "./pages/portal.js";
import { guide } from "./pages/guide.js";
import * as applications from "./pages/applications.js";
import * as clerk from "./pages/clerk.js";
import * as workbench from "./pages/workbench.js";
import * as dashboard from "./pages/dashboard.js";

const ROUTES = [
  [/^\/login$/, loginPage],
  [/^\/$/, home],
  [/^\/matters\/([\w-]+)$/, guide],
  [/^\/apply\/([\w-]+)$/, portal.apply],
  [/^\/applications$/, applications.list],
  [/^\/applications\/([\w-]+)$/, applications.detail],
  [/^\/inbox$/, applications.inbox],
  [/^\/access-log$/, applications.accessLog],
  [/^\/clerk$/, clerk.counter],
  [/^\/tasks$/, workbench.queue],
  [/^\/tasks\/([\w-]+)$/, workbench.task],
  [/^\/dashboard$/, dashboard.page],
];
const main = () => document.getElementById("main");
let stream = null, unread = 0, renderId = 0;

function home(root) {
  if (hasRole("clerk")) return clerk.counter(root);
  if (hasRole("officer")) return workbench.queue(root);
  if (hasRole("supervisor")) return dashboard.page(root);
  return portal.home(root);
}

function navLinks() {
  if (!session()) return [["#/", "nav.home"]];
  if (hasRole("applicant")) return [["#/", "nav.home"], ["#/applications", "nav.applications"], ["#/inbox", "nav.inbox"], ["#/access-log", "nav.access"]];
  if (hasRole("clerk")) return [["#/clerk", "nav.clerk"], ["#/inbox", "nav.inbox"]];
  if (hasRole("officer")) return [["#/tasks", "nav.tasks"], ["#/inbox", "nav.inbox"]];
  if (hasRole("supervisor")) return [["#/dashboard", "nav.dashboard"], ["#/inbox", "nav.inbox"]];
  return [["#/", "nav.home"], ["#/inbox", "nav.inbox"]];
}

function renderChrome() {
  document.title = `${t("app.name")} · OneMatter`;
  document.getElementById("brand-name").textContent = t("app.name");
  document.getElementById("skip-link").textContent = t("app.skip");
  document.getElementById("footer-text").textContent = t("app.footer");
  const switcher = document.getElementById("lang-switch");
  switcher.textContent = t("app.lang");
  switcher.setAttribute("lang", lang() === "en" ? "zh-CN" : "en");
  const nav = document.getElementById("nav");
  nav.setAttribute("aria-label", t("app.nav"));
  const shown = location.hash || "#/";
  put(nav, h("ul", {}, navLinks().map(([href, key]) => h("li", {}, h("a", { href, "aria-current": shown === href ? "page" : null },
    t(key), key === "nav.inbox" && unread ? h("span.badge-count", { "aria-label": t("inbox.unread", { n: unread }) }, String(unread)) : null)))));
  const me = session();
  document.getElementById("who").textContent = me ? `${me.name || me.sub}${me.dept ? ` · ${me.dept}` : ""}` : "";
  const out = document.getElementById("logout");
  out.hidden = !me;
  out.textContent = t("app.logout");
  // Nobody logged in: "登录", which comes back to this page afterwards (and never a "退出").
  const here = currentRoute();
  const enter = document.getElementById("login");
  enter.hidden = Boolean(me);
  enter.textContent = t("app.login");
  enter.setAttribute("href", `#${here.startsWith("/login") ? here : loginRoute(here)}`);
}

async function route() {
  const path = currentRoute();
  const [pathOnly] = path.split("?");
  if (staleToken()) {
    // An expired or unreadable token: forget it, log in again, then come back here.
    dropToken(); stopStream();
    toast(t("login.expired"));
    if (pathOnly !== "/login") { location.replace(`#${loginRoute(path)}`); return; }
  }
  if (!session() && !isPublic(pathOnly)) { location.replace(`#${loginRoute(path)}`); return; }
  if (session() && pathOnly === "/login") { location.replace(`#${nextOf(path)}`); return; }
  const own = hasRole("clerk") ? "/clerk" : hasRole("officer") ? "/tasks" : hasRole("supervisor") ? "/dashboard" : null;
  if (path === "/" && own) { location.replace(`#${own}`); return; }
  renderChrome();
  const found = ROUTES.map(([re, fn]) => [pathOnly.match(re), fn]).find(([m]) => m);
  // A fresh container per render: a slow page still loading when the route changed keeps appending to
  // its own detached container, never into the page shown now.
  const root = h("div.view");
  put(main(), root);
  const id = ++renderId;
  if (!found) { root.append(h("h1", {}, t("common.notfound"))); return; }
  try {
    await found[1](root, ...found[0].slice(1).map(decodeURIComponent));
  } catch (error) {
    if (id !== renderId) return;
    root.append(alertBox("error", h("strong", {}, t("common.error")), h("div", {}, error.message)));
    console.error(error);
  }
  if (id === renderId) {
    const heading = root.querySelector("h1");
    if (heading) { heading.tabIndex = -1; heading.focus({ preventScroll: true }); }
  }
}

function loginPage(root) {
  const user = h("input", { type: "text", name: "username", autocomplete: "username", required: true });
  const pass = h("input", { type: "password", name: "password", autocomplete: "current-password", required: true, value: "demo" });
  const error = h("div");
  const quick = ["zhangsan", "lisi", "acme-corp", "clerk01", "officer-nhc", "officer-mps", "supervisor"];
  const form = h("form.card", { on: { submit: async (e) => {
    e.preventDefault();
    clear(error);
    try {
      await login(user.value.trim(), pass.value);
      startStream();
      go(nextOf(currentRoute()), route);
    } catch (err) {
      error.append(alertBox("error", err instanceof ApiError && err.status === 401 ? t("login.failed") : err.message));
    }
  } } },
  h("p.muted", {}, t("login.intro")), error,
  field({ id: "login-user", label: t("login.username"), control: user, required: true }),
  field({ id: "login-pass", label: t("login.password"), control: pass, required: true }),
  h("button.btn", { type: "submit" }, t("login.submit")),
  h("h2", {}, t("login.quick")),
  h("div.login-users", {}, quick.map((name) => h("button.btn.btn-ghost", { type: "button", on: { click: () => { user.value = name; user.focus(); } } }, name))));
  root.append(h("h1", {}, t("login.title")), form);
}

async function startStream() {
  stream?.close();
  if (!session()) return;
  // The inbox read first: it creates the caller's notification profile, so the stream's first call
  // does not race it (the notification service answers 500 to the loser of that race).
  await refreshUnread();
  stream?.close();
  stream = openStream({
    onMessage(message) {
      unread += 1;
      renderChrome();
      announce(t("inbox.new", { subject: message.subject }));
      window.dispatchEvent(new CustomEvent("om:notification", { detail: message }));
    },
    onState(state) {
      document.body.dataset.stream = state;
      window.dispatchEvent(new CustomEvent("om:stream", { detail: state }));
    },
  });
}

async function refreshUnread() {
  try { unread = (await get("/api/v1/notifications", { limit: 1 })).unread || 0; renderChrome(); } catch { /* inbox optional */ }
}
window.addEventListener("om:unread", refreshUnread);

function stopStream() { stream?.close(); stream = null; unread = 0; }

window.addEventListener("om:logout", (event) => {
  stopStream();
  if (!event.detail?.expired) { go("/", route); return; }
  // The gateway refused the token mid-page: log in again and come back to this page.
  toast(t("login.expired"));
  const here = currentRoute();
  go(here.startsWith("/login") ? here : loginRoute(here), route);
});
window.addEventListener("hashchange", route);
document.getElementById("lang-switch").addEventListener("click", () => { setLang(lang() === "en" ? "zh" : "en"); route(); toast(t("app.lang") === "English" ? "已切换为中文" : "Switched to English"); });
document.getElementById("logout").addEventListener("click", () => logout());
setLang(lang());
if (session()) startStream();
route();
