/* On a partner's page: makes each frame of this site's embed as tall as its page, so the
   whole sign form shows, its button included, on a phone too and after errors.

   Include it once, anywhere on the page, from this site (it learns the site from its own
   address):
     <script src="https://SITE/static/js/embed-parent.js" defer></script>

   Inside the frame, embed-height.js posts {type: "campaign-embed-height", height: N},
   and, when a page opens at a fragment (#error-summary after a refused form), where
   it is ("anchor"): this script then scrolls the page to show it.
   A message counts only if it comes from this site's origin and from the window of an
   iframe whose src is on this site; anything else on the page is ignored. No inline
   script or style is written, so a partner's strict Content-Security-Policy only has
   to allow this site in script-src and frame-src. */
(function () {
  "use strict";

  var HEIGHT = "campaign-embed-height";
  var ASK = "campaign-embed-ask";
  var MAX_HEIGHT = 20000; // px: no page of the embed comes near it

  var script = document.currentScript;
  if (!script || !script.src || !window.URL || !window.addEventListener) return;
  var site = new URL(script.src).origin;
  // The code of two embeds on one page includes this twice: one listener is enough (two
  // would scroll the page twice to an error summary).
  var started = (window.campaignEmbedParent = window.campaignEmbedParent || {});
  if (started[site]) return;
  started[site] = true;

  function originOf(frame) {
    try {
      return new URL(frame.src, document.baseURI).origin;
    } catch (error) {
      return null;
    }
  }

  function frames() {
    return Array.prototype.slice.call(document.getElementsByTagName("iframe"));
  }

  function frameOf(source) {
    var all = frames();
    for (var i = 0; i < all.length; i++) {
      if (all[i].contentWindow === source) return all[i];
    }
    return null;
  }

  function resize(frame, height) {
    // Pages that size every box with border-box count the frame's border in its height.
    var style = window.getComputedStyle(frame);
    if (style.boxSizing === "border-box") {
      height += ["borderTopWidth", "borderBottomWidth", "paddingTop", "paddingBottom"]
        .reduce(function (sum, side) { return sum + (parseFloat(style[side]) || 0); }, 0);
    }
    // A style property, not the height attribute: a page's own CSS for iframes would
    // override the attribute. Setting it from a script is allowed by any CSP.
    frame.style.height = Math.ceil(height) + "px";
  }

  function reveal(frame, anchor) {
    // The frame's page opened at a fragment the person should see (the error summary):
    // it cannot scroll itself any more, so this page scrolls, if the spot is out of view.
    var top = frame.getBoundingClientRect().top + anchor;
    if (top < 0 || top > window.innerHeight * 0.75) window.scrollBy(0, top - 16);
  }

  window.addEventListener("message", function (event) {
    if (event.origin !== site) return; // only this site speaks for its frames
    var data = event.data;
    if (!data || data.type !== HEIGHT) return;
    var height = data.height;
    if (typeof height !== "number" || !isFinite(height) || height <= 0 || height > MAX_HEIGHT) {
      return;
    }
    var frame = frameOf(event.source);
    // And the frame it came from must be an embed by its own address (src): another
    // frame that happens to show one of this site's pages is not the partner's embed.
    if (!frame || originOf(frame) !== event.origin) return;
    resize(frame, height);
    var anchor = data.anchor;
    if (typeof anchor === "number" && isFinite(anchor) && anchor >= 0 && anchor <= height) {
      reveal(frame, anchor);
    }
  });

  // A frame whose page spoke before this script listened is asked again. "*": a frame
  // still loading is an empty page of this page's origin; the question holds no data.
  frames().forEach(function (frame) {
    if (originOf(frame) === site && frame.contentWindow) {
      frame.contentWindow.postMessage({ type: ASK }, "*");
    }
  });
})();
