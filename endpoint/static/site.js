// kamergraph pages: small enhancements only; every page works without script.
(function () {
  "use strict";
  // "Copy" buttons next to IRIs: <button class="copy" data-copy="IRI" hidden>.
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    if (!navigator.clipboard) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(button.getAttribute("data-copy")).then(function () {
        var label = button.textContent;
        button.textContent = "copied";
        setTimeout(function () { button.textContent = label; }, 1200);
      });
    });
  });
})();
