/* The add page's results: a line whose probe found a playlist, not one video, offers
 * "Import all" or "Follow as a source" as soon as the probe says so (live, from the job feed:
 * its options.playlist), and its status says what the probe found. */
(function () {
  "use strict";

  function apply(job) {
    var playlist = (job.options || {}).playlist;
    if (job.status !== "failed" || !playlist) return;
    var block = document.querySelector('[data-playlist-probe="' + job.id + '"]');
    if (!block || !block.hidden) return;
    var count = block.querySelector("[data-playlist-entries]");
    if (count) count.textContent = String(playlist.entries);
    block.hidden = false;
  }

  function start() {
    if (!document.querySelector("[data-playlist-probe]")) return;
    var live = (window.MVidarr || {}).live;
    if (!live) return;
    live.jobs.forEach(apply);
    live.onJob(apply);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
