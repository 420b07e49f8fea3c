// The only module that talks to the network: the gateway's public API (/api/v1/...) and the development
// login (/auth/token), on this page's own origin. Errors are RFC 9457 problem+json → ApiError.

const TOKEN_KEY = "om.token";

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
  }
  /** Field errors as {field: message}; the acceptance service names form fields "form.<name>". */
  get fields() {
    const out = {};
    for (const e of this.problem.errors || []) out[e.field] = e.message;
    return out;
  }
}

export function token() { return sessionStorage.getItem(TOKEN_KEY); }

/** The token's claims (sub, roles, name, dept, kind) while it is readable and unexpired, else null — for
 * display and routing only; the gateway checks the token. No side effects: `staleToken()` tells the shell. */
export function session() {
  const raw = token();
  if (!raw) return null;
  try {
    const part = raw.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    const claims = JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(part), (c) => c.charCodeAt(0))));
    if (!claims || typeof claims !== "object" || (claims.exp && claims.exp * 1000 < Date.now())) return null;
    return claims;
  } catch { return null; }
}

/** A token is stored but unusable (expired or unreadable): the person must log in again. */
export function staleToken() { return Boolean(token()) && !session(); }

/** Forgets the stored token without telling anyone (the shell then asks for a new login). */
export function dropToken() { sessionStorage.removeItem(TOKEN_KEY); }

export function hasRole(role) { return (session()?.roles || []).includes(role); }

export async function login(username, password) {
  const data = await request("/auth/token", { method: "POST", body: { username, password }, anonymous: true });
  sessionStorage.setItem(TOKEN_KEY, data.access_token);
  return session();
}

/** `expired`: the gateway refused the token (401), so the shell asks for a login and comes back here. */
export function logout({ expired = false } = {}) {
  dropToken();
  window.dispatchEvent(new CustomEvent("om:logout", { detail: { expired } }));
}

function headersFor({ anonymous, headers }) {
  const out = { Accept: "application/json, application/problem+json", ...headers };
  if (!anonymous && token()) out.Authorization = `Bearer ${token()}`;
  return out;
}

/** JSON in, JSON out; `form` sends multipart (uploads); `raw` returns the Response (binary content). */
export async function request(path, { method = "GET", body, form, headers = {}, anonymous = false, raw = false, signal } = {}) {
  if (!path.startsWith("/api/v1/") && path !== "/auth/token") throw new Error(`not a public API path: ${path}`);
  const init = { method, headers: headersFor({ anonymous, headers }), signal };
  if (form) init.body = form;
  else if (body !== undefined) { init.body = JSON.stringify(body); init.headers["Content-Type"] = "application/json"; }
  const response = await fetch(path, init);
  if (response.status === 401 && init.headers.Authorization) logout({ expired: true });
  if (!response.ok) {
    let problem = null;
    try { problem = await response.json(); } catch { /* not JSON: keep the status */ }
    throw new ApiError(response.status, problem);
  }
  if (raw) return response;
  return response.status === 204 ? null : response.json();
}

export const get = (path, params) => request(params ? `${path}?${new URLSearchParams(params)}` : path);
export const post = (path, body, opts = {}) => request(path, { ...opts, method: "POST", body });

/** Every page of a paginated list (limit 100), for small lists like departments. */
export async function all(path, params = {}) {
  const items = [];
  for (let offset = 0; ; offset += 100) {
    const page = await get(path, { ...params, limit: 100, offset });
    items.push(...page.items);
    if (items.length >= page.total || page.items.length === 0) return items;
  }
}

/**
 * Server-Sent Events over fetch(): EventSource cannot send an Authorization header. Reconnects after a
 * drop with Last-Event-ID, so nothing is missed (the server replays every message after that id).
 * onMessage(data, id) gets each `notification` event's parsed data; onState("open"|"closed").
 */
export function openStream({ onMessage, onState = () => {} }) {
  const controller = new AbortController();
  let lastId = null, retryMs = 2000, stopped = false;
  const run = async () => {
    while (!stopped && token()) {
      try {
        const headers = headersFor({ headers: { Accept: "text/event-stream" } });
        if (lastId) headers["Last-Event-ID"] = lastId;
        const response = await fetch("/api/v1/notifications/stream", { headers, signal: controller.signal });
        if (response.status === 401) { logout({ expired: true }); return; }
        if (!response.ok || !response.body) throw new Error(`stream HTTP ${response.status}`);
        onState("open");
        await readEvents(response.body, (event) => {
          if (event.retry) retryMs = event.retry;
          if (event.id) lastId = event.id;
          if (event.data && event.event === "notification") onMessage(JSON.parse(event.data), event.id);
        });
      } catch (error) {
        if (stopped) return;
      }
      onState("closed");
      await new Promise((r) => setTimeout(r, retryMs));
    }
  };
  run();
  return { close() { stopped = true; controller.abort(); } };
}

async function readEvents(body, dispatch) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "", event = { data: "" };
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let newline;
    while ((newline = buffer.search(/\r\n|\r|\n/)) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + (buffer.startsWith("\r\n", newline) ? 2 : 1));
      if (line === "") { if (event.data || event.retry) dispatch({ event: "message", ...event }); event = { data: "" }; continue; }
      if (line.startsWith(":")) continue; // comment: connected / heartbeat
      const colon = line.indexOf(":");
      const name = colon < 0 ? line : line.slice(0, colon);
      const val = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
      if (name === "data") event.data = event.data ? `${event.data}\n${val}` : val;
      else if (name === "id") event.id = val;
      else if (name === "event") event.event = val;
      else if (name === "retry" && /^\d+$/.test(val)) event.retry = Number(val);
    }
  }
}

/** A random Idempotency-Key (one per form, reused on retry so a resubmission is not doubled). */
export function idempotencyKey() {
  return crypto.randomUUID ? crypto.randomUUID() : Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
}
