// The live dashboard: one WebSocket to /api/v2/ws/ecosystem, rendered as it speaks.
// The API key comes from the URL fragment (#key=am-..., never sent to the server as part
// of a URL), from this tab's session storage, or from the form; the browser cannot set
// headers on a WebSocket, so it travels as the "bearer.<key>" subprotocol.
"use strict";

const KEY_STORE = "automatrix.key";
const MAX_EVENTS = 40;
const latencyHistory = [];
const state = { socket: null, retry: null, training: new Map() };

const $ = (id) => document.getElementById(id);

function apiKey() {
  const match = location.hash.match(/key=([^&]+)/);
  if (match) {
    sessionStorage.setItem(KEY_STORE, decodeURIComponent(match[1]));
    history.replaceState(null, "", location.pathname + location.search);
  }
  return sessionStorage.getItem(KEY_STORE);
}

function setConnection(text, ok) {
  const pill = $("connection");
  pill.textContent = text;
  pill.className = "pill " + (ok ? "ok" : "down");
}

function connect() {
  const key = apiKey();
  if (!key) { $("key-form").hidden = false; setConnection("API key needed", false); return; }
  $("key-form").hidden = true;
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const socket = new WebSocket(`${scheme}://${location.host}/api/v2/ws/ecosystem`,
    ["automatrix.v1", "bearer." + key]);
  state.socket = socket;
  setConnection("connecting…", false);
  socket.onmessage = (event) => handle(JSON.parse(event.data));
  socket.onclose = (event) => {
    if (event.code === 4401 || event.code === 4403) {
      sessionStorage.removeItem(KEY_STORE);
      setConnection("refused: " + (event.reason || "bad key"), false);
      $("key-form").hidden = false;
      return;
    }
    setConnection("reconnecting…", false);
    clearTimeout(state.retry);
    state.retry = setTimeout(connect, 2000);
  };
}

function handle(msg) {
  if (msg.type === "hello") setConnection("live · " + msg.data.tenant, true);
  else if (msg.type === "snapshot") renderSnapshot(msg.data, msg.timestamp);
  else if (msg.type === "request") onRequest(msg.data, msg.timestamp);
  else if (msg.type === "deployment") onDeployment(msg.data, msg.timestamp);
  else if (msg.type === "training") onTraining(msg.data);
}

function fmt(value, digits) {
  if (value === null || value === undefined) return "–";
  return Number(value).toFixed(digits === undefined ? 0 : digits);
}

function cell(row, text, cls) {
  const td = document.createElement("td");
  td.textContent = text;
  if (cls) td.className = cls;
  row.appendChild(td);
  return td;
}

function renderSnapshot(view, timestamp) {
  $("overall").textContent = view.status;
  $("overall").className = "pill " + view.status;
  const services = $("services");
  services.replaceChildren(...view.services.map((s) => {
    const li = document.createElement("li");
    li.className = s.status;
    li.dataset.service = s.name;
    li.innerHTML = `<b></b><span class="pill ${s.status}"></span><small></small>`;
    li.querySelector("b").textContent = s.name;
    li.querySelector("span").textContent = s.status;
    li.querySelector("small").textContent = s.detail;
    return li;
  }));
  renderDeployments(view.deployments);
  renderQueues(view.queues);
  const requests = view.requests;
  $("served-total").textContent = requests.served_total;
  $("failed-total").textContent = requests.failed_total;
  $("per-minute").textContent = fmt(requests.per_minute, 1);
  $("latency-p50").textContent = fmt(requests.latency_ms.p50);
  $("latency-p95").textContent = fmt(requests.latency_ms.p95);
  if (requests.latency_ms.p50 !== null) {
    latencyHistory.push([requests.latency_ms.p50, requests.latency_ms.p95]);
  }
  if (latencyHistory.length > 120) latencyHistory.shift();
  window.lineChart($("latency-chart"), [
    { name: "p50", values: latencyHistory.map((p) => p[0]) },
    { name: "p95", values: latencyHistory.map((p) => p[1]) },
  ]);
  const cache = view.cache;
  $("cache-hit-rate").textContent =
    cache.hit_rate === null ? "–" : (cache.hit_rate * 100).toFixed(1) + " %";
  $("cache-hits").textContent = cache.hits_exact + cache.hits_semantic;
  $("cache-misses").textContent = cache.misses;
  for (const run of view.training) state.training.set(run.run_id, run);
  renderTraining();
  $("updated").textContent = new Date(timestamp).toLocaleTimeString();
}

function renderDeployments(deployments) {
  $("deployments").replaceChildren(...deployments.map((d) => {
    const row = document.createElement("tr");
    row.dataset.deployment = d.name;
    cell(row, d.name, "name");
    cell(row, d.model_group);
    cell(row, d.effective_state, "state " + d.effective_state).title = d.state_reason || "";
    cell(row, d.breaker, "breaker " + d.breaker);
    cell(row, `${d.inflight === null ? "?" : d.inflight} / ${d.concurrency}`);
    cell(row, d.ewma_latency_ms === null ? "–" : fmt(d.ewma_latency_ms) + " ms");
    cell(row, d.error_rate === null ? "–" : (d.error_rate * 100).toFixed(1) + " %");
    cell(row, d.total_success === null ? "–" : String(d.total_success));
    return row;
  }));
}

function renderQueues(queues) {
  $("queued-total").textContent = queues.total;
  const peak = Math.max(1, ...Object.values(queues.depth));
  $("queues").replaceChildren(...Object.entries(queues.depth).map(([level, depth]) => {
    const bar = document.createElement("div");
    bar.className = "bar";
    bar.dataset.priority = level;
    bar.innerHTML = `<span class="level"></span><span class="fill"></span><span class="n"></span>`;
    bar.querySelector(".level").textContent = level;
    bar.querySelector(".fill").style.width = (100 * depth / peak) + "%";
    bar.querySelector(".n").textContent = depth;
    return bar;
  }));
}

function addEvent(text, kind, timestamp) {
  const li = document.createElement("li");
  li.className = kind;
  li.textContent = `${new Date(timestamp).toLocaleTimeString()}  ${text}`;
  const list = $("events");
  list.insertBefore(li, list.firstChild);
  while (list.children.length > MAX_EVENTS) list.removeChild(list.lastChild);
}

function onRequest(r, timestamp) {
  const latency = r.latency_ms === null ? "" : ` in ${fmt(r.latency_ms)} ms`;
  addEvent(`request ${r.outcome} on ${r.deployment}${latency} (${r.priority})`,
    "request " + r.outcome, timestamp);
}

function onDeployment(d, timestamp) {
  const what = d.removed ? "removed" : `${d.effective_state}${d.state_reason ? " — " + d.state_reason : ""}`;
  addEvent(`deployment ${d.name} ${what}`, "deployment", timestamp);
}

function onTraining(event) {
  const run = state.training.get(event.run_id) || {
    run_id: event.run_id, model_name: event.model_name, points: [], metrics: {},
  };
  run.state = { completed: "completed", failed: "failed" }[event.event] || "running";
  if (Object.keys(event.metrics).length) {
    run.metrics = event.metrics;
    run.points = run.points.concat([{ event: event.event, epoch: event.epoch, trial: event.trial,
      step: event.step, metrics: event.metrics }]);
  }
  run.step = event.step ?? run.step;
  run.total = event.total ?? run.total;
  state.training.set(event.run_id, run);
  addEvent(`training ${event.run_id} ${event.event}${event.message ? " — " + event.message : ""}`,
    "training", event.timestamp);
  renderTraining();
}

const PREFERRED = /accuracy|f1|loss|score|auc|error/;

// The metrics worth a curve: quality measures first, at most four.
function curveMetrics(points) {
  const names = [...new Set(points.flatMap((p) => Object.keys(p.metrics)))];
  names.sort((a, b) => (PREFERRED.test(b) - PREFERRED.test(a)) || a.localeCompare(b));
  return names.slice(0, 4);
}

function renderTraining() {
  const runs = [...state.training.values()].slice(0, 3);
  if (!runs.length) return;
  $("training").replaceChildren(...runs.map((run) => {
    const box = document.createElement("div");
    box.className = "run";
    box.dataset.run = run.run_id;
    const progress = run.total ? ` · step ${run.step ?? 0}/${run.total}` : "";
    box.innerHTML = `<div class="run-head"><b></b> <span class="pill"></span><small></small></div>
      <div class="curves"></div>`;
    box.querySelector("b").textContent = `${run.model_name} ${run.run_id}`;
    box.querySelector(".pill").textContent = run.state;
    box.querySelector(".pill").classList.add(run.state === "failed" ? "down" : "ok");
    box.querySelector("small").textContent = progress + " · " + run.points.length + " points";
    box.querySelector(".curves").replaceChildren(...curveMetrics(run.points).map((name, i) => {
      const values = run.points.map((p) => p.metrics[name]).filter((v) => v !== undefined);
      const figure = document.createElement("figure");
      figure.className = "curve";
      figure.dataset.metric = name;
      figure.innerHTML = `<figcaption><span></span> <b></b></figcaption>
        <svg viewBox="0 0 200 60" preserveAspectRatio="none"></svg>`;
      figure.querySelector("span").textContent = name;
      figure.querySelector("b").textContent = Number(values[values.length - 1]).toPrecision(4);
      window.lineChart(figure.querySelector("svg"),
        [{ name, values, colour: window.PALETTE[i % window.PALETTE.length] }], { dots: true });
      return figure;
    }));
    return box;
  }));
}

$("key-form").addEventListener("submit", (event) => {
  event.preventDefault();
  sessionStorage.setItem(KEY_STORE, $("key-input").value.trim());
  connect();
});

connect();
