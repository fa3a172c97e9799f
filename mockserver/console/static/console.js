// The QA console: every button and form calls the /__admin/* routes with fetch(), the admin token (if any) from
// sessionStorage as `Authorization: Bearer`. No framework, no build step.
"use strict";
(function () {
  const KEY = "mockserver.adminToken";
  const body = document.body;
  const $ = (selector, root) => (root || document).querySelector(selector);
  const main = $("#main"), login = $("#login"), message = $("#message");

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (name === "text") node.textContent = value;
      else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value);
    }
    for (const child of children) node.append(child);
    return node;
  }

  function say(text, isError) {
    message.textContent = text;
    message.className = isError ? "error" : "ok";
  }

  function showLogin(problem) {
    main.hidden = true;
    login.hidden = false;
    $("#login-error").textContent = problem || "";
    $("#token").focus();
  }

  async function api(method, path, payload) {
    const headers = {"Accept": "application/json"};
    const token = sessionStorage.getItem(KEY);
    if (token) headers["Authorization"] = "Bearer " + token;
    const init = {method, headers};
    if (payload !== undefined) {
      headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(payload);
    }
    const response = await fetch(path, init);
    if (response.status === 401) {
      showLogin(token ? "That token was refused." : "");
      throw new Error("the admin token is needed");
    }
    const data = await response.json().catch(() => null);
    if (!response.ok) {
      const text = data && (data.message || data.detail) || response.statusText;
      throw new Error(`${method} ${path}: ${response.status} ${text}`);
    }
    return data;
  }

  async function act(what, fn) {
    try {
      await fn();
      say(what);
    } catch (error) {
      say(error.message, true);
    }
  }

  function form(id) {
    const found = $(id);
    return found ? Object.fromEntries(new FormData(found).entries()) : {};
  }

  // --- sign in ------------------------------------------------------------------------------------------------
  login.addEventListener("submit", async (event) => {
    event.preventDefault();
    sessionStorage.setItem(KEY, $("#token").value);
    try {
      await api("GET", "/__admin/status");
    } catch (error) {
      return;
    }
    login.hidden = true;
    main.hidden = false;
    $("#logout").hidden = false;
    main.focus();
    start();
  });
  $("#logout").addEventListener("click", () => {
    sessionStorage.removeItem(KEY);
    showLogin("");
  });

  // --- Calls ----------------------------------------------------------------------------------------------------
  let selected = null;

  async function loadCalls() {
    const filters = form("#call-filters");
    const query = new URLSearchParams({limit: "100"});
    for (const name of ["vendor", "operation", "status"]) if (filters[name]) query.set(name, filters[name].trim());
    const data = await api("GET", "/__admin/requests?" + query);
    const rows = $("#calls tbody");
    rows.replaceChildren(...data.requests.map((r) => el("tr", {"data-id": r.id, class: r.id === selected ? "chosen" : ""},
      el("td", {}, el("button", {type: "button", class: "link", "aria-label": `Open call ${r.id}`,
                                 onclick: () => openCall(r.id), text: String(r.id)})),
      el("td", {text: r.time.slice(11, 23)}), el("td", {text: r.vendor}), el("td", {text: r.method}),
      el("td", {class: "path", text: r.path + (r.query ? "?" + r.query : "")}), el("td", {text: r.operation || "—"}),
      el("td", {class: r.status === null || r.status >= 400 ? "bad" : "good", text: r.status === null ? "dropped" : r.status}),
      el("td", {text: r.ms}), el("td", {text: [r.fault && "fault: " + r.fault, r.stubbed && "stubbed"].filter(Boolean).join(", ")}))));
  }

  async function openCall(id) {
    selected = id;
    const r = await api("GET", "/__admin/requests/" + id);
    const pane = $("#call-detail");
    const headers = Object.entries(r.headers).map(([k, v]) => `${k}: ${v}`).join("\n");
    pane.replaceChildren(
      el("h2", {text: `#${r.id} ${r.method} ${r.path}`}),
      el("p", {text: `${r.operation || "no row"} · worker ${r.worker} · ${r.time} · ${r.ms} ms`}),
      el("h3", {text: "Request"}), el("pre", {text: headers + (r.body ? "\n\n" + r.body : "")}),
      el("h3", {text: "Answer" + (r.answer ? ` (${r.answer.status === null ? "dropped" : r.answer.status}, ${r.answer.contentType || "no body"})` : "")}),
      el("pre", {class: "answer", text: r.answer ? r.answer.body : "(not kept)"}),
      el("h3", {text: `World events (${r.events.length})`}),
      r.events.length ? el("ol", {}, ...r.events.map((e) => el("li", {}, el("strong", {text: `${e.seq} ${e.kind}`}),
                                                        el("pre", {text: JSON.stringify(e.payload, null, 2)}))))
                      : el("p", {class: "hint", text: "This call changed nothing in the world."}));
    pane.focus();
    for (const row of document.querySelectorAll("#calls tbody tr")) row.classList.toggle("chosen", Number(row.dataset.id) === id);
  }

  function startCalls() {
    $("#call-filters").addEventListener("submit", (event) => { event.preventDefault(); act("Filtered.", loadCalls); });
    $("#clear-journal").addEventListener("click", () => act("Journal cleared.", async () => {
      await api("DELETE", "/__admin/requests");
      await loadCalls();
    }));
    loadCalls().catch((error) => say(error.message, true));
    setInterval(() => { if (form("#call-filters").live && !main.hidden) loadCalls().catch(() => {}); }, 2000);
  }

  // --- World ----------------------------------------------------------------------------------------------------
  const VIEWS = {
    people: [["name", "Name"], ["email", "Email"], ["employeeId", "Employee ID"], ["serial", "Serial"],
             ["userId", "iSpring user ID"], ["department", "Department"], ["active", "Active"],
             ["assignments", "Assignments"], ["enrollments", "Enrollments"], ["groups", "Groups"]],
    courses: [["serial", "Serial"], ["name", "Name"], ["category", "Category"], ["passingScore", "Passing score"],
              ["batches", "Batches"], ["assignments", "Assignments"]],
    content: [["contentItemId", "Content item ID"], ["title", "Title"], ["type", "Type"], ["addedDate", "Added"],
              ["enrollments", "Enrollments"]],
    enrollments: [["vendor", "Vendor"], ["kind", "Kind"], ["id", "ID"], ["learnerName", "Learner"], ["learner", "Learner ID"],
                  ["courseName", "Course"], ["course", "Course ID"], ["status", "Status"], ["progress", "Progress"],
                  ["score", "Score"]],
  };
  // Where an entity appears: these cells search another view for the value.
  const LINKS = {people: {assignments: "employeeId", enrollments: "userId"}, courses: {assignments: "serial"},
                 content: {enrollments: "contentItemId"}};

  function cell(view, key, row) {
    const value = row[key];
    const through = (LINKS[view] || {})[key];
    if (through && value && row[through]) {
      return el("td", {}, el("button", {type: "button", class: "link", text: String(value),
        "aria-label": `${value} ${key} of ${row[through]}`, onclick: () => showWorld("enrollments", row[through])}));
    }
    if (Array.isArray(value)) return el("td", {text: value.map((v) => typeof v === "object" ? `${v.serial} ${v.name} (${v.status})` : v).join("; ")});
    return el("td", {text: value === null || value === undefined ? "—" : String(value)});
  }

  async function loadWorld() {
    const {view, q} = form("#world-search");
    const data = await api("GET", `/__admin/world/${view}?` + new URLSearchParams({q: q || "", limit: "200"}));
    const columns = VIEWS[view];
    $("#world thead").replaceChildren(el("tr", {}, ...columns.map(([, title]) => el("th", {text: title}))));
    $("#world tbody").replaceChildren(...data.rows.map((row) => el("tr", {}, ...columns.map(([key]) => cell(view, key, row)))));
    $("#world-total").textContent = `${data.total} found` + (data.total > data.rows.length ? `, first ${data.rows.length} shown` : "");
  }

  function showWorld(view, q) {
    $("#world-search [name=view]").value = view;
    $("#world-search [name=q]").value = q;
    act(`${view} matching ${q}`, loadWorld);
  }

  function startWorld() {
    $("#world-search").addEventListener("submit", (event) => { event.preventDefault(); act("Searched.", loadWorld); });
    $("#world-search [name=view]").addEventListener("change", () => act("", loadWorld));
    const asked = new URLSearchParams(location.search);
    if (asked.get("view") in VIEWS) $("#world-search [name=view]").value = asked.get("view");
    if (asked.get("q")) $("#world-search [name=q]").value = asked.get("q");
    loadWorld().catch((error) => say(error.message, true));
  }

  // --- Steer ----------------------------------------------------------------------------------------------------
  function numbers(values, names) {
    for (const name of names) if (values[name] !== undefined && values[name] !== "") values[name] = Number(values[name]);
    return values;
  }

  function compact(values) {
    return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== "" && v !== undefined));
  }

  async function loadSteer() {
    const [faults, stubs, clock] = await Promise.all([api("GET", "/__admin/faults"), api("GET", "/__admin/stubs"),
                                                      api("GET", "/__admin/clock")]);
    $("#faults").replaceChildren(...faults.faults.map((f) => el("li", {},
      el("span", {text: `#${f.id} ${f.kind}${f.status ? " " + f.status : ""}${f.ms ? " " + f.ms + " ms" : ""} on ` +
                        `${JSON.stringify(f.match)} · fired ${f.fired}/${f.calls}${f.active ? "" : " (spent)"}`}),
      el("button", {type: "button", text: "Remove", "aria-label": `Remove fault ${f.id}`,
                    onclick: () => act(`Fault ${f.id} removed.`, async () => { await api("DELETE", "/__admin/faults/" + f.id); await loadSteer(); })}))));
    $("#stubs").replaceChildren(...stubs.stubs.map((s) => el("li", {},
      el("span", {text: `#${s.id} ${JSON.stringify(s.match)} → ${s.response.status || 200}`}),
      el("button", {type: "button", text: "Remove", "aria-label": `Remove stub ${s.id}`,
                    onclick: () => act(`Stub ${s.id} removed.`, async () => { await api("DELETE", "/__admin/stubs/" + s.id); await loadSteer(); })}))));
    $("#clock-now").textContent = clock.now + (clock.real ? " (real time)" : " (mock clock)");
  }

  function startSteer() {
    const on = (id, event, what, fn) => $(id).addEventListener(event, (e) => {
      e.preventDefault();
      act(what, async () => { await fn(); await loadSteer(); });
    });
    on("#fault-form", "submit", "Fault added.", () => {
      const v = form("#fault-form");
      const spec = numbers(compact({kind: v.kind, times: v.times}), ["times"]);
      if (v.kind === "status") spec.status = Number(v.status);
      if (v.kind === "delay") spec.ms = Number(v.ms || 1000);
      const match = compact({vendor: v.vendor, operation: v.operation});
      if (Object.keys(match).length) spec.match = match;
      return api("POST", "/__admin/faults", spec);
    });
    on("#clear-faults", "click", "Faults cleared.", () => api("DELETE", "/__admin/faults"));
    on("#stub-form", "submit", "Stub added.", () => {
      let spec;
      try { spec = JSON.parse(form("#stub-form").stub); } catch (error) { throw new Error("The stub is not JSON: " + error.message); }
      return api("POST", "/__admin/stubs", spec);
    });
    on("#clear-stubs", "click", "Stubs cleared.", () => api("DELETE", "/__admin/stubs"));
    on("#activity-form", "submit", "Learner moved along.", () => {
      const v = numbers(compact(form("#activity-form")), ["score"]);
      if (v.vendor === "ispring") { delete v.assignmentSerial; delete v.employeeId; }
      else delete v.enrollmentId;
      return api("POST", "/__admin/activity", v);
    });
    on("#clock-form", "submit", "Clock advanced.", () => {
      const advance = form("#clock-form").advance.trim();
      return api("POST", "/__admin/clock", {advance: /^\d+(\.\d+)?$/.test(advance) ? Number(advance) : advance});
    });
    on("#clock-real", "click", "Clock back to real time.", () => api("POST", "/__admin/clock", {real: true}));
    $("#reset").addEventListener("click", () => {
      if (!confirm("Reset the world? Every write is undone on every worker.")) return;
      act("World reset.", () => api("POST", "/__admin/reset"));
    });
    $("#seed-form").addEventListener("submit", (event) => {
      event.preventDefault();
      const seed = Number(form("#seed-form").seed);
      if (!confirm(`Rebuild the world from seed ${seed}? Every write is lost on every worker.`)) return;
      act(`World reseeded with ${seed}.`, () => api("POST", "/__admin/seed", {seed}));
    });
    loadSteer().catch((error) => say(error.message, true));
  }

  // --- Status ---------------------------------------------------------------------------------------------------
  function pairs(list, entries) {
    $(list).replaceChildren(...entries.flatMap(([k, v]) => [el("dt", {text: k}), el("dd", {text: String(v)})]));
  }

  async function loadStatus() {
    const s = await api("GET", "/__admin/status");
    pairs("#status-server", [["Version", s.version], ["Seed", s.seed], ["Workers", s.workers],
      ["Answered by", `worker ${s.worker}, up ${Math.round(s.uptime)} s`], ["State", `${s.state.backend}: ${s.state.path}`],
      ["World clock", s.now], ["Shared log", `${s.seq} events`]]);
    pairs("#status-counts", Object.entries(s.counts));
    $("#link-openapi").href = s.links.openapi;
    $("#link-wsdl").href = s.links.wsdl;
  }

  const PAGES = {calls: startCalls, world: startWorld, steer: startSteer,
                 status: () => loadStatus().catch((error) => say(error.message, true))};

  function start() {
    PAGES[body.dataset.page]();
  }

  if (body.dataset.needsToken === "yes" && !sessionStorage.getItem(KEY)) {
    showLogin("");
  } else {
    login.hidden = true;
    main.hidden = false;
    if (sessionStorage.getItem(KEY)) $("#logout").hidden = false;
    start();
  }
})();
