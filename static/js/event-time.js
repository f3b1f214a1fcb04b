/* An event's time in the visitor's own time zone, below the time the server wrote in the
   event's zone (which stays, named). Nothing is added when the zones agree, or where the
   browser cannot format dates by zone. */
(function () {
  "use strict";

  if (!window.Intl || !Intl.DateTimeFormat || !document.querySelectorAll) return;
  var visitorZone;
  try {
    visitorZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (error) {
    return;
  }
  if (!visitorZone) return;
  var language = document.documentElement.lang || undefined;

  Array.prototype.forEach.call(document.querySelectorAll("time.event-time"), function (node) {
    if (node.getAttribute("data-zone") === visitorZone) return;
    var start = new Date(node.getAttribute("datetime"));
    var end = new Date(node.getAttribute("data-end"));
    if (isNaN(start.getTime()) || isNaN(end.getTime())) return;
    var day = new Intl.DateTimeFormat(language, {
      weekday: "long", year: "numeric", month: "long", day: "numeric",
      hour: "2-digit", minute: "2-digit", timeZone: visitorZone
    });
    var hour = new Intl.DateTimeFormat(language, {
      hour: "2-digit", minute: "2-digit", timeZone: visitorZone
    });
    var line = document.createElement("span");
    line.className = "event-time-local";
    // The label carries its own punctuation: French puts a no-break space before the colon.
    line.textContent = node.getAttribute("data-label") + " " + day.format(start) + " – " +
      hour.format(end) + " (" + visitorZone + ")";
    node.parentNode.appendChild(document.createElement("br"));
    node.parentNode.appendChild(line);
  });
})();
