/* A delivery package's page while a worker builds it: moves the progress bar from the
   job's JSON every 1.5 seconds, and reloads the page when the job starts, ends or fails,
   so the server shows what is next (the download, or why it failed). Without a script
   the page says so and offers a Refresh link. */
(function () {
  "use strict";

  var INTERVAL_MS = 1500;
  // The spoken count changes at most this often, so a screen reader is not flooded.
  var ANNOUNCE_MS = 10000;
  if (!window.fetch || !document.querySelector) return;

  var root = document.querySelector("[data-job-progress-url]");
  if (!root) return;
  var url = root.getAttribute("data-job-progress-url");
  var status = root.getAttribute("data-job-status");
  var bar = root.querySelector("progress");
  var count = root.querySelector("[data-job-count]");
  var manual = root.querySelector("[data-job-manual]");
  var auto = root.querySelector("[data-job-auto]");
  if (manual) manual.hidden = true;
  if (auto) auto.hidden = false;

  var format;
  try {
    format = new Intl.NumberFormat(document.documentElement.lang || undefined).format;
  } catch (error) {
    format = function (n) { return String(n); };
  }

  var announced = Date.now();
  var timer;

  function show(data) {
    if (typeof data.done !== "number" || typeof data.total !== "number") return;
    if (bar) {
      bar.max = Math.max(data.total, 1);
      bar.value = Math.min(data.done, bar.max);
    }
    if (count && Date.now() - announced >= ANNOUNCE_MS) {
      announced = Date.now();
      count.textContent = count.getAttribute("data-template")
        .replace("{done}", format(data.done))
        .replace("{total}", format(data.total));
    }
  }

  function poll() {
    if (document.visibilityState && document.visibilityState !== "visible") return;
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) return;
        if (data.finished || data.status !== status) {
          window.clearInterval(timer);
          window.location.reload();
          return;
        }
        show(data);
      })
      .catch(function () { /* Offline or a server hiccup: keep what is shown, try again. */ });
  }

  timer = window.setInterval(poll, INTERVAL_MS);
})();
