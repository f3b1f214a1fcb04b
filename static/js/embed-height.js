/* Inside the embed: tells the partner's page (the frame's parent) how tall this page is,
   whenever that changes, so embed-parent.js there can make the frame show all of it:
   the sign button on a phone, the error messages after a form comes back.

   The message is {type: "campaign-embed-height", height: <CSS pixels>}, and the first
   one a page sends says where its URL's fragment is ("anchor", pixels from the top):
   after a form comes back (#error-summary) or moves on (#main), the parent scrolls
   there, since a frame as tall as its page can no longer scroll itself. It goes to any
   parent ("*"): the partner's site is not known here (frame-ancestors decides who may
   frame us), and a page's height is no secret. The parent checks that it comes from
   this site. */
(function () {
  "use strict";

  var HEIGHT = "campaign-embed-height";
  var ASK = "campaign-embed-ask";
  var parent = window.parent;
  if (!parent || parent === window || !parent.postMessage) return; // not in a frame

  var root = document.documentElement;
  var sent = -1;

  function anchor() {
    var id = window.location.hash.slice(1);
    var target = id && document.getElementById(decodeURIComponent(id));
    if (!target) return null;
    return Math.max(0, Math.floor(target.getBoundingClientRect().top + window.pageYOffset));
  }

  function send(always, withAnchor) {
    // The root element's own box: its height is the content's, not the frame's
    // (scrollHeight would never report less than the frame, so a frame could never shrink).
    var height = Math.ceil(root.getBoundingClientRect().height);
    if (height === sent && !always) return;
    sent = height;
    var message = { type: HEIGHT, height: height };
    if (withAnchor) message.anchor = anchor();
    parent.postMessage(message, "*");
  }

  if (window.ResizeObserver) {
    new ResizeObserver(function () { send(false); }).observe(root);
  } else {
    window.addEventListener("resize", function () { send(false); });
  }
  // Web fonts and images may change the height after the first layout.
  window.addEventListener("load", function () { send(false); });

  // The parent's script may start after this page has spoken: it asks, and is answered.
  window.addEventListener("message", function (event) {
    if (event.source === parent && event.data && event.data.type === ASK) send(true);
  });

  send(true, true);
})();
