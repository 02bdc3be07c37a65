/* MVidarr live job feed: /ws/jobs/ → every element that shows a job or a video.
 *
 * The server sends {"type": "snapshot", "jobs": [...]} on connect, then
 * {"type": "job", "job": {...}} for every change. Each job carries a per-job seq; an update
 * older than what the page shows is dropped. After a lost connection the page reconnects
 * with backoff and applies the fresh snapshot.
 *
 * Elements it updates (server-rendered, plain attributes):
 *   [data-job-id=N] <progress>           value = progress
 *   [data-job-id=N].job-progress-label    "42 %"
 *   [data-job-id=N][data-job-field=F]    F: status, message, speed, eta, error, counts (a
 *                                         bulk job's items by status)
 *   [data-job-id=N][data-show-when=W]    shown when W: active, retryable, finished
 *   [data-job-row=N]                     data-status; removed when the job is hidden
 *   [data-video-id=N][data-video-field=F] F: status, progress, progress-label, message,
 *                                         title, player (a placeholder for the <video>),
 *                                         find-source (shown while it needs a source)
 * On the dashboard ([data-job-list]) finished jobs move to the finished list, or leave the
 * page when that list's data-hide-kinds names their kind (the routine kinds, unless asked
 * for). Only its first page takes in jobs it does not show (the active list then carries
 * data-row-url): one newer than data-newest-id (started since the page was rendered), or an
 * active one newer than data-active-from (0: any; else the page is all active jobs and the
 * older ones are on the next pages); their rows are fetched rendered. The downloads panel (#downloads-panel)
 * lists active jobs, each with a Cancel button (a form posting to data-cancel-url).
 *
 *   [data-source-id=N][data-source-field="index"]  what an index of source N is doing
 *                                         (shown while one is queued or running)
 *
 * Parts the server renders from what a job leaves behind (a video's file panel, its
 * Download button, what a probe found or why it failed; the library's videos after an
 * import; an artist's sources and videos after an index) carry an id, data-refresh-for
 * (one key or several, separated by spaces) and data-rendered-at:
 *   [data-refresh-for~="video:N"]   a download or probe of video N
 *   [data-refresh-for~="import"]    an import (a probe of a playlist or feed)
 *   [data-refresh-for~="source:N"]  an index of source N
 *   [data-refresh-for~="kind:K"]    any job of kind K (the rename page: library_rename)
 *   [data-refresh-for~="connection:N"]  a delivery to connection N (its last outcome)
 * When such a job has finished after the part was rendered, the page is fetched again in
 * the background and those parts are swapped for their fresh copies (no reload), then
 * "mvidarr:refreshed" is dispatched so that other scripts can bind to the new elements.
 */
(function () {
  "use strict";

  var ACTIVE = { queued: true, processing: true };
  var JOB_LABELS = {
    queued: "Queued", processing: "Running", completed: "Completed",
    failed: "Failed", cancelled: "Cancelled"
  };
  var VIDEO_LABELS = {
    wanted: "Wanted", queued: "Queued", downloading: "Downloading",
    downloaded: "Downloaded", failed: "Failed", ignored: "Ignored",
    needs_source: "Needs a source"
  };
  // The job kinds (label, short_label, has_children, holds_video_slot, subject), from jobs/kinds.py.
  var KINDS = JSON.parse((document.getElementById("job-kinds") || {}).textContent || "{}");
  function kindOf(job) {
    return KINDS[job.kind] || { label: job.kind, short_label: job.kind };
  }
  var PANEL_KEY = "mvidarr.downloadsPanel";
  var SOURCE_INDEX = "source_index"; // jobs.kinds.SOURCE_INDEX: its options name the source

  var jobs = new Map();            // job id → newest representation seen
  var downloadOfVideo = new Map(); // video id → id of the newest download job seen for it
  var listeners = [];
  var socket = null;
  var attempts = 0;
  var fetching = new Set();

  function each(selector, fn) {
    Array.prototype.forEach.call(document.querySelectorAll(selector), fn);
  }

  function setText(el, text) {
    if (el.textContent !== text) el.textContent = text;
  }

  function percent(value) {
    return Math.floor(value || 0) + " %";
  }

  function humanRate(bytesPerSecond) {
    return window.MVidarr.units.rate(bytesPerSecond); // units.js: the rule of mvidarr/units.py
  }

  function humanEta(seconds) {
    if (seconds === null || seconds === undefined || seconds < 0) return "";
    seconds = Math.round(seconds);
    var h = Math.floor(seconds / 3600);
    var m = Math.floor((seconds % 3600) / 60);
    var s = seconds % 60;
    var mm = h ? String(m).padStart(2, "0") : String(m);
    return (h ? h + ":" : "") + mm + ":" + String(s).padStart(2, "0") + " left";
  }

  function jobTitle(job) {
    if (job.title) return job.title; // jobs/titles.py: the one title of a job
    if (kindOf(job).has_children) {
      var options = job.options || {};
      var count = options.requested != null ? options.requested : (options.video_ids || []).length;
      return count + (count === 1 ? " video" : " videos");
    }
    if (job.video) return job.video.title || ("Video #" + job.video.id);
    return (job.options || {}).url || kindOf(job).subject || ("Job #" + job.id);
  }

  // A bulk job's items by status in words, the empty ones left out (jobs/titles.py:
  // job_counts_said says it alike).
  function countsText(counts) {
    return ["queued", "running", "completed", "failed", "cancelled"].filter(function (name) {
      return counts[name];
    }).map(function (name) {
      return counts[name].toLocaleString("en-US") + " " + name;
    }).join(" · ");
  }

  // --- applying a job to the page -------------------------------------------------------
  function renderJob(job) {
    var active = !!ACTIVE[job.status];
    var retryable = job.status === "failed" || job.status === "cancelled";
    each('[data-job-row="' + job.id + '"]', function (row) {
      if (job.hidden) { row.remove(); return; }
      row.dataset.status = job.status;
    });
    each('[data-job-id="' + job.id + '"]', function (el) {
      if (el.tagName === "PROGRESS") {
        el.value = job.progress;
        setText(el, percent(job.progress));
        return;
      }
      if (el.classList.contains("job-progress-label")) { setText(el, percent(job.progress)); return; }
      var when = el.dataset.showWhen;
      if (when) {
        el.hidden = !(when === "active" ? active : when === "retryable" ? retryable : !active);
        return;
      }
      switch (el.dataset.jobField) {
        case "status":
          el.dataset.status = job.status;
          setText(el, JOB_LABELS[job.status] || job.status);
          break;
        case "message": setText(el, job.message || ""); break;
        case "counts": if (job.counts) setText(el, countsText(job.counts)); break;
        case "speed": setText(el, active ? humanRate(job.speed) : ""); break;
        case "eta": setText(el, active ? humanEta(job.eta) : ""); break;
        case "error":
          setText(el, job.error || "");
          el.hidden = !job.error;
          break;
      }
    });
    renderVideo(job, active);
    renderSourceIndex(job, active);
  }

  function renderSourceIndex(job, active) {
    var source = (job.options || {}).source;
    if (job.kind !== SOURCE_INDEX || !source) return;
    each('[data-source-id="' + source + '"][data-source-field="index"]', function (el) {
      var text = (JOB_LABELS[job.status] || job.status) + (job.message ? ": " + job.message : "");
      setText(el, active ? text : "");
      el.hidden = !active;
    });
  }

  function renderVideo(job, active) {
    var video = job.video;
    if (!video) return;
    if (video.title) {
      each('[data-video-id="' + video.id + '"][data-video-field="title"]', function (el) {
        setText(el, video.title);
      });
    }
    if (!kindOf(job).holds_video_slot) return;
    // Seqs are per job: of two downloads of one video, the newer job speaks for it.
    var newest = downloadOfVideo.get(video.id) || 0;
    if (job.id < newest) return;
    downloadOfVideo.set(video.id, job.id);
    each('[data-video-id="' + video.id + '"]', function (el) {
      switch (el.dataset.videoField) {
        case "status":
          el.dataset.status = video.status;
          setText(el, VIDEO_LABELS[video.status] || video.status);
          break;
        case "progress":
          el.value = job.progress;
          setText(el, percent(job.progress));
          el.hidden = !active;
          break;
        case "progress-label":
          setText(el, active ? percent(job.progress) : "");
          break;
        case "message":
          setText(el, active ? job.message || "" : (job.status === "failed" ? job.error : ""));
          break;
        case "player":
          if (job.status === "completed" && video.status === "downloaded") showPlayer(el);
          break;
        case "find-source":
          el.hidden = video.status !== "needs_source";
          break;
      }
    });
  }

  function showPlayer(placeholder) {
    var player = document.createElement("video");
    player.className = "player";
    player.id = "player";
    player.controls = true;
    player.preload = "metadata";
    player.src = placeholder.dataset.src;
    placeholder.replaceWith(player);
  }

  // --- parts rendered from a finished job ---------------------------------------------------
  var refreshing = { running: false, again: false };
  var COMMIT_MARGIN_MS = 5000;

  function refreshKeys(job) {
    var keys = [];
    if (job.video) keys.push("video:" + job.video.id);
    if ((job.options || {}).import) keys.push("import"); // an import (a probe of a URL)
    if (job.kind === SOURCE_INDEX && (job.options || {}).source) {
      keys.push("source:" + job.options.source);
    }
    keys.push("kind:" + job.kind); // a page about every job of a kind (the rename page)
    if ((job.options || {}).connection) keys.push("connection:" + job.options.connection);
    return keys;
  }

  function refreshIfStale(job) {
    if (ACTIVE[job.status] || !job.finished_at) return;
    // finished_at is stamped inside the transaction that ends the job, a moment before it
    // commits: a part rendered within that moment is dated after the end yet may not show
    // it. A part is fresh only when rendered well after the end (a refresh is cheap).
    var finished = Date.parse(job.finished_at) + COMMIT_MARGIN_MS;
    var stale = refreshKeys(job).some(function (key) {
      var parts = document.querySelectorAll('[data-refresh-for~="' + key + '"]');
      return Array.prototype.some.call(parts, function (el) {
        return !(Date.parse(el.dataset.renderedAt) >= finished);
      });
    });
    if (stale) refreshParts();
  }

  function keepChoices(old, fresh) {
    // Boxes a person ticked stay ticked (the library's bulk choice).
    Array.prototype.forEach.call(old.querySelectorAll("input[type=checkbox]:checked"), function (box) {
      var twin = box.id ? fresh.querySelector("#" + CSS.escape(box.id))
        : fresh.querySelector('input[type=checkbox][name="' + CSS.escape(box.name) +
          '"][value="' + CSS.escape(box.value) + '"]');
      if (twin) twin.checked = true;
    });
  }

  function refreshParts() {
    if (refreshing.running) { refreshing.again = true; return; }
    refreshing.running = true;
    fetch(location.href, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (response) { return response.ok ? response.text() : ""; })
      .then(function (html) {
        if (!html) return;
        var fresh = new DOMParser().parseFromString(html, "text/html");
        var swapped = false;
        each("[data-refresh-for]", function (el) {
          var twin = el.id && fresh.getElementById(el.id);
          if (!twin) return;
          keepChoices(el, twin);
          el.replaceWith(document.adoptNode(twin));
          swapped = true;
        });
        if (!swapped) return;
        jobs.forEach(function (job) { renderJob(job); });
        document.dispatchEvent(new CustomEvent("mvidarr:refreshed"));
      })
      .catch(function () { /* the next finished job tries again */ })
      .finally(function () {
        refreshing.running = false;
        if (refreshing.again) { refreshing.again = false; refreshParts(); }
      });
  }

  // --- the dashboard's lists ---------------------------------------------------------------
  function leftOutWhenFinished(job) {
    // The finished list names the kinds it leaves out (the routine ones, unless asked for).
    var finishedList = document.querySelector('[data-job-list="finished"]');
    var kinds = ((finishedList && finishedList.dataset.hideKinds) || "").split(" ");
    return !ACTIVE[job.status] && kinds.indexOf(job.kind) !== -1;
  }

  function placeRow(job) {
    var activeList = document.querySelector('[data-job-list="active"]');
    if (!activeList || job.parent) return;
    var finishedList = document.querySelector('[data-job-list="finished"]');
    var row = document.querySelector('[data-job-row="' + job.id + '"]');
    if (!row) {
      if (!job.hidden && !leftOutWhenFinished(job) && belongsOnThisPage(job, activeList)) {
        fetchRow(job, activeList);
      }
      return;
    }
    if (leftOutWhenFinished(job)) { row.remove(); updateEmptyStates(); return; }
    var target = ACTIVE[job.status] ? activeList : finishedList;
    if (target && row.parentElement !== target) target.insertBefore(row, target.firstChild);
    updateEmptyStates();
  }

  function belongsOnThisPage(job, activeList) {
    // The snapshot names jobs of the other pages too: only the first page takes any in.
    if (!activeList.dataset.rowUrl) return false;
    if (job.id > Number(activeList.dataset.newestId || 0)) return true;
    return !!ACTIVE[job.status] && job.id > Number(activeList.dataset.activeFrom || 0);
  }

  function fetchRow(job, activeList) {
    if (fetching.has(job.id)) return;
    fetching.add(job.id);
    var url = activeList.dataset.rowUrl.replace("/0/", "/" + job.id + "/");
    fetch(url, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (response) { return response.ok ? response.text() : ""; })
      .then(function (html) {
        if (!html || document.querySelector('[data-job-row="' + job.id + '"]')) return;
        var holder = document.createElement("div");
        holder.innerHTML = html.trim();
        var row = holder.firstElementChild;
        if (!row) return;
        var known = jobs.get(job.id);
        if (known && leftOutWhenFinished(known)) return;
        var target = known && !ACTIVE[known.status]
          ? document.querySelector('[data-job-list="finished"]') : activeList;
        target.insertBefore(row, target.firstChild);
        if (known) { renderJob(known); (known.items || []).forEach(renderJob); }
        updateEmptyStates();
      })
      .catch(function () { /* the next update tries again */ })
      .finally(function () { fetching.delete(job.id); });
  }

  function updateEmptyStates() {
    each("[data-empty-for]", function (el) {
      var list = document.querySelector('[data-job-list="' + el.dataset.emptyFor + '"]');
      if (list) el.hidden = list.children.length > 0;
    });
  }

  // --- the downloads panel -----------------------------------------------------------------
  function panelState() {
    // Until the user chooses, a phone gets the panel collapsed: it would cover the page.
    var fallback = window.matchMedia("(max-width: 520px)").matches ? "collapsed" : "open";
    try { return localStorage.getItem(PANEL_KEY) || fallback; } catch (e) { return fallback; }
  }

  function setPanelState(state) {
    try { localStorage.setItem(PANEL_KEY, state); } catch (e) { /* private mode */ }
    renderPanel();
  }

  function renderPanel() {
    var panel = document.getElementById("downloads-panel");
    var reopen = document.getElementById("downloads-reopen");
    if (!panel) return;
    var active = [];
    jobs.forEach(function (job) {
      if (!job.parent && !job.hidden && ACTIVE[job.status]) active.push(job);
    });
    active.sort(function (a, b) { return b.id - a.id; });
    var state = panelState();
    panel.hidden = state === "hidden" || active.length === 0;
    panel.dataset.state = state;
    var toggle = panel.querySelector("[data-panel-toggle]");
    toggle.setAttribute("aria-expanded", state === "open" ? "true" : "false");
    setText(toggle.querySelector("[data-panel-toggle-label]"), state === "open" ? "Collapse" : "Expand");
    setText(panel.querySelector("[data-panel-count]"), String(active.length));
    var list = panel.querySelector("[data-panel-list]");
    list.hidden = state !== "open";
    var actions = panel.querySelector("[data-panel-actions]");
    if (actions) actions.hidden = state !== "open";
    if (reopen) {
      reopen.hidden = state !== "hidden";
      setText(reopen.querySelector("[data-panel-count]"), String(active.length));
    }
    var items = active.slice(0, 8).map(function (job) {
      var li = document.createElement("li");
      li.className = "panel-item";
      var href = job.link || (job.video ? "/videos/" + job.video.id + "/" : "");
      var link = document.createElement(href ? "a" : "span");
      if (href) link.href = href;
      link.className = "panel-title";
      var prefix = kindOf(job).short_label;
      link.textContent = (prefix ? prefix + ": " : "") + jobTitle(job);
      var bar = document.createElement("progress");
      bar.max = 100;
      bar.value = job.progress;
      bar.setAttribute("aria-label", "Progress of " + jobTitle(job));
      var figure = document.createElement("span");
      figure.className = "panel-figure";
      figure.textContent = job.status === "queued" ? "Queued" : percent(job.progress);
      li.append(link, bar, figure, cancelForm(panel, job));
      return li;
    });
    if (active.length > items.length) {
      var more = document.createElement("li");
      more.className = "panel-more";
      more.textContent = "and " + (active.length - items.length) + " more";
      items.push(more);
    }
    list.replaceChildren.apply(list, items);
  }

  function cancelForm(panel, job) {
    // The same form as the dashboard's Cancel button: POST, then back to this page.
    var form = document.createElement("form");
    form.method = "post";
    form.className = "panel-cancel";
    form.action = panel.dataset.cancelUrl.replace("/0/", "/" + job.id + "/");
    var token = document.querySelector("input[name=csrfmiddlewaretoken]");
    [["csrfmiddlewaretoken", token ? token.value : ""],
     ["next", location.pathname + location.search]].forEach(function (pair) {
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = pair[0];
      input.value = pair[1];
      form.append(input);
    });
    var button = document.createElement("button");
    button.type = "submit";
    button.className = "link-button";
    button.textContent = "Cancel";
    button.setAttribute("aria-label", "Cancel " + jobTitle(job));
    form.append(button);
    return form;
  }

  function bindPanel() {
    var panel = document.getElementById("downloads-panel");
    if (!panel) return;
    panel.querySelector("[data-panel-toggle]").addEventListener("click", function () {
      setPanelState(panelState() === "open" ? "collapsed" : "open");
    });
    panel.querySelector("[data-panel-hide]").addEventListener("click", function () {
      setPanelState("hidden");
      var reopen = document.getElementById("downloads-reopen");
      if (reopen) reopen.focus();
    });
    var reopen = document.getElementById("downloads-reopen");
    if (reopen) reopen.addEventListener("click", function () { setPanelState("open"); });
  }

  // --- the feed --------------------------------------------------------------------------
  function accept(job, receivedAt) {
    var known = jobs.get(job.id);
    if (known && job.seq < known.seq) return; // older than what the page shows
    var merged = Object.assign({}, known || {}, job);
    if (job.items == null && known && known.items) merged.items = known.items;
    jobs.set(job.id, merged);
    renderJob(merged);
    placeRow(merged);
    refreshIfStale(merged);
    (job.items || []).forEach(function (item) { accept(item, receivedAt); });
    listeners.forEach(function (fn) { fn(merged, receivedAt); });
    document.dispatchEvent(new CustomEvent("mvidarr:job", {
      detail: { job: job, receivedAt: receivedAt }
    }));
  }

  function setConnection(state, text) {
    document.documentElement.dataset.live = state;
    each("[data-live-status]", function (el) { setText(el, text); });
  }

  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + location.host + "/ws/jobs/");
    socket.addEventListener("open", function () {
      attempts = 0;
      setConnection("open", "Live");
    });
    socket.addEventListener("message", function (event) {
      var receivedAt = Date.now();
      var message;
      try { message = JSON.parse(event.data); } catch (e) { return; }
      if (message.type === "snapshot") {
        message.jobs.forEach(function (job) { accept(job, receivedAt); });
        renderPanel();
        updateEmptyStates();
        document.dispatchEvent(new CustomEvent("mvidarr:snapshot", { detail: message }));
      } else if (message.type === "job") {
        accept(message.job, receivedAt);
        renderPanel();
      }
    });
    socket.addEventListener("close", function () {
      socket = null;
      // 1 s, 2 s, 4 s … up to 30 s, with jitter so that many pages do not return at once.
      var delay = Math.min(30000, 1000 * Math.pow(2, attempts)) * (0.5 + Math.random() / 2);
      attempts += 1;
      setConnection("closed", "Reconnecting…");
      setTimeout(connect, delay);
    });
  }

  window.MVidarr = window.MVidarr || {};
  window.MVidarr.live = {
    jobs: jobs,
    onJob: function (fn) { listeners.push(fn); },
    humanRate: humanRate,
    humanEta: humanEta,
    reconnect: function () { if (socket) socket.close(); }
  };

  function start() {
    bindPanel();
    renderPanel();
    setConnection("connecting", "Connecting…");
    connect();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
