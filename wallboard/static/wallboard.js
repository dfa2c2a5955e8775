// The wall's page: follows /api/stream (server-sent events) and puts each payload on screen.
// Every text comes from the server (German, already formatted); it is set with textContent
// only, never as HTML. The page watches the stream itself: no payload for STALE_MS means the
// values are not current (shown greyed, with the time of the last one), and it reconnects.
"use strict";
(function () {
  const STALE_MS = 5000;
  const RETRY_MAX_MS = 15000;
  const body = document.body;
  const byId = (id) => document.getElementById(id);
  let source = null;
  let openedAt = 0;
  let lastMessage = Date.now();
  let retryMs = 1000;
  let last = null;
  let version = null;

  const theme = new URLSearchParams(location.search).get("theme");
  if (theme === "dark" || theme === "light") {
    document.documentElement.dataset.theme = theme;
  }

  function setText(element, value) {
    if (element.textContent !== value) element.textContent = value;
  }

  function make(tag, className, value) {
    const element = document.createElement(tag);
    if (className) element.className = className;
    if (value !== undefined) element.textContent = value;
    return element;
  }

  function fill(list, items, build) {
    list.replaceChildren(...items.map(build));
  }

  function queueRow(q) {
    const row = make("li", "queue");
    row.append(make("span", "name", q.queue), make("span", "count", String(q.waiting)),
      make("span", "wait", q.waiting ? q.longest_wait : ""));
    return row;
  }

  function countItem(c) {
    const item = make("li", "count");
    item.dataset.state = c.state;
    item.append(make("span", "label", c.label), make("span", "value", String(c.agents)));
    return item;
  }

  function agentCard(a) {
    const card = make("li", "agent");
    card.dataset.state = a.state;
    card.append(make("span", "who", a.agent), make("span", "state", a.state_text),
      make("span", "since", a.in_state));
    return card;
  }

  function tile(t) {
    const box = make("div", "tile");
    box.dataset.state = t.state;
    box.dataset.id = t.id;
    box.append(make("span", "label", t.label), make("span", "value", t.value));
    if (t.detail) box.append(make("span", "detail", t.detail));
    return box;
  }

  function renderLive(d) {
    const ok = d.pbx.ok;
    body.dataset.pbx = ok ? "ok" : "gone";
    setText(byId("waiting-callers"), ok ? String(d.waiting.callers) : "–");
    setText(byId("waiting-unit"),
      ok && d.waiting.callers === 1 ? "Anrufer wartet" : "Anrufer warten");
    setText(byId("waiting-longest"), ok ? d.waiting.longest_wait : "–");
    fill(byId("queues"), ok && d.queues.length > 1 ? d.queues : [], queueRow);
    const counts = ok ? d.agent_counts.filter((c) => c.agents > 0) : [];
    fill(byId("agent-counts"), counts, countItem);
    const agents = byId("agents");
    fill(agents, ok ? d.agents : [], agentCard);
    agents.dataset.many = "no";  // smaller cards only when the full-size ones do not fit
    if (agents.scrollHeight > agents.clientHeight) agents.dataset.many = "yes";
    const bottom = agents.getBoundingClientRect().bottom;
    const hidden = [...agents.children].filter((c) => c.getBoundingClientRect().bottom > bottom);
    setText(byId("agents-more"), hidden.length ? "+ " + hidden.length + " weitere" : "");
  }

  function renderToday(d) {
    const t = d.today;
    body.dataset.db = d.database.ok && t && !t.stale ? "ok" : "gone";
    byId("today").dataset.stale = !t || t.stale ? "yes" : "no";
    setText(byId("today-asof"), t && t.stale ? "Stand " + t.as_of_local : "");
    fill(byId("tiles"), t ? t.tiles : [], tile);
  }

  function render(d) {
    last = d;
    setText(byId("clock"), d.clock);
    renderLive(d);
    renderToday(d);
    fill(byId("alerts"), d.alerts, (text) => make("li", "", text));
  }

  function setLink(live) {
    body.dataset.link = live ? "live" : "lost";
    setText(byId("link"), live ? "live" :
      "Keine Verbindung zum Wallboard – Werte veraltet" + (last ? " (Stand " + last.clock + ")" : ""));
  }

  function connect() {
    if (source) source.close();
    openedAt = Date.now();
    source = new EventSource("api/stream");
    source.addEventListener("version", (event) => {
      if (version !== null && version !== event.data) location.reload();  // upgraded server
      version = event.data;
    });
    source.addEventListener("wallboard", (event) => {
      lastMessage = Date.now();
      retryMs = 1000;
      render(JSON.parse(event.data));
      setLink(true);
    });
    source.addEventListener("error", () => {
      if (source.readyState === EventSource.CLOSED) setLink(false);
    });
  }

  function watch() {
    const now = Date.now();
    if (now - lastMessage <= STALE_MS) return;
    setLink(false);
    if (now - openedAt > retryMs) {
      retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
      connect();
    }
  }

  connect();
  setInterval(watch, 1000);
})();
