/* Keeps the signature count fresh: every 30 seconds, only while the page is visible. */
(function () {
  "use strict";

  var INTERVAL_MS = 30000;
  if (!window.fetch || !document.querySelectorAll) return;

  var counters = document.querySelectorAll("[data-count-url]");
  if (!counters.length) return;

  var format;
  try {
    format = new Intl.NumberFormat(document.documentElement.lang || undefined).format;
  } catch (error) {
    format = function (n) { return String(n); };
  }

  function refresh(element) {
    fetch(element.getAttribute("data-count-url"), {
      headers: { Accept: "application/json" },
      credentials: "omit"
    })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        var count = data && data.signature_count;
        if (typeof count !== "number" || !isFinite(count) || count < 0) return;
        if (element.getAttribute("data-count") === String(count)) return;
        var number = element.querySelector(".count-number");
        var shown = format(count);
        if (number && number.textContent.trim() !== shown) number.textContent = shown;
        element.setAttribute("data-count", String(count));
        var block = element.parentNode;
        var bar = block && block.querySelector("progress");
        if (bar) bar.value = Math.min(count, bar.max);
      })
      .catch(function () { /* Offline or a server hiccup: keep what is shown. */ });
  }

  var last = Date.now();

  function tick() {
    if (document.visibilityState && document.visibilityState !== "visible") return;
    last = Date.now();
    Array.prototype.forEach.call(counters, refresh);
  }

  window.setInterval(tick, INTERVAL_MS);
  // Back on a tab left in the background: catch up at once if a refresh is due.
  document.addEventListener("visibilitychange", function () {
    if (Date.now() - last >= INTERVAL_MS) tick();
  });
})();
