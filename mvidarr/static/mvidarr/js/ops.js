/* The monitoring page (/ops/): renders the snapshot, then polls /ops/status.json. */
(function () {
  "use strict";
  // Settings come from the page (data attributes): no inline script, so the CSP can say
  // script-src 'self'.
  var POLL_MS = Number(document.body.dataset.pollMs) || 2500;
  var statusUrl = document.body.dataset.statusUrl;

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }
  function row(cells) {
    var tr = document.createElement("tr");
    cells.forEach(function (cell) { tr.appendChild(cell); });
    return tr;
  }
  function fill(id, rows, emptyText, columns) {
    var body = document.getElementById(id);
    body.replaceChildren();
    if (!rows.length) {
      var td = el("td", emptyText, "muted");
      td.colSpan = columns;
      body.appendChild(row([td]));
      return;
    }
    rows.forEach(function (tr) { body.appendChild(tr); });
  }
  function seconds(value) {
    if (value === null || value === undefined) return "—";
    if (value < 90) return value.toFixed(1) + " s";
    if (value < 5400) return (value / 60).toFixed(1) + " min";
    return (value / 3600).toFixed(1) + " h";
  }
  function when(iso) {
    if (!iso) return "—";
    var date = new Date(iso);
    return date.toLocaleString();
  }
  function card(value, label, cls) {
    var div = el("div", null, "card");
    div.appendChild(el("div", value, "value " + (cls || "")));
    div.appendChild(el("div", label, "label"));
    return div;
  }

  function render(data) {
    document.getElementById("updated").textContent = "Updated " + when(data.generated_at);
    var banner = document.getElementById("redis-error");
    banner.hidden = !data.redis_error;
    banner.textContent = data.redis_error || "";

    var cards = document.getElementById("cards");
    cards.replaceChildren(
      card(data.running.length, "running now"),
      card(data.finished.hour.completed, "completed, last hour", "good"),
      card(data.finished.hour.failed, "failed, last hour", data.finished.hour.failed ? "bad" : ""),
      card(data.finished.day.completed, "completed, last 24 h", "good"),
      card(data.finished.day.failed, "failed, last 24 h", data.finished.day.failed ? "bad" : ""),
      card(seconds(data.download_time.median), "median download (" + data.download_time.count + " in 24 h)"),
      card(seconds(data.download_time.p95), "95th percentile download")
    );

    var queues = data.queues || {};
    fill("queues", Object.keys(queues).map(function (name) {
      var q = queues[name];
      return row([el("td", name), el("td", q.waiting, "num"), el("td", q.taken, "num"),
                  el("td", q.delayed, "num"), el("td", q.dead, "num" + (q.dead ? " bad" : ""))]);
    }), data.queues === null ? "Unknown: Redis did not answer." : "No queues.", 5);

    fill("running", data.running.map(function (job) {
      return row([el("td", "#" + job.id), el("td", job.kind), el("td", job.title || "—"),
                  el("td", job.worker || "—"), el("td", when(job.started_at)),
                  el("td", job.progress.toFixed(0) + " %", "num"), el("td", job.message)]);
    }), "Nothing is running.", 7);

    var workers = data.workers || [];
    fill("workers", workers.map(function (w) {
      return row([el("td", w.worker_id), el("td", w.queues.join(", ")), el("td", w.threads, "num"),
                  el("td", seconds(w.age_seconds) + " ago", w.alive ? "good" : "bad"),
                  el("td", w.current_jobs.length ? w.current_jobs.map(function (id) { return "#" + id; }).join(" ") : "idle", w.current_jobs.length ? "" : "muted")]);
    }), data.workers === null ? "Unknown: Redis did not answer." : "No worker has sent a heartbeat.", 5);

    fill("errors", data.errors.map(function (group) {
      var reason = el("td");
      reason.appendChild(el("div", group.reason));
      if (group.example !== group.reason) reason.appendChild(el("div", group.example, "muted"));
      return row([el("td", group.count, "num bad"), reason, el("td", when(group.last_at)),
                  el("td", group.job_ids.map(function (id) { return "#" + id; }).join(" "))]);
    }), "No failed jobs in the last 24 hours.", 4);
  }

  render(JSON.parse(document.getElementById("ops-data").textContent));

  function poll() {
    fetch(statusUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(render)
      .catch(function (error) {
        var banner = document.getElementById("redis-error");
        banner.hidden = false;
        banner.textContent = "Could not refresh (" + error.message + "); trying again.";
      })
      .finally(function () { setTimeout(poll, POLL_MS); });
  }
  setTimeout(poll, POLL_MS);
})();
