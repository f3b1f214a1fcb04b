/* "Copy the code" buttons: shown only where a script can copy; without one, the code
   stays in its text box to select and copy by hand. */
(function () {
  "use strict";

  if (!navigator.clipboard || !navigator.clipboard.writeText || !document.querySelectorAll) return;

  Array.prototype.forEach.call(document.querySelectorAll("[data-copy-target]"), function (button) {
    var source = document.getElementById(button.getAttribute("data-copy-target"));
    var status = document.getElementById(button.getAttribute("data-copy-status"));
    if (!source) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(source.value).then(
        function () {
          if (status) status.textContent = button.getAttribute("data-copied");
        },
        function () {
          // Copying was refused: select the code so the person can copy it themselves.
          source.focus();
          source.select();
        }
      );
    });
  });
})();
