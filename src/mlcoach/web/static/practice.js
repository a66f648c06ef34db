// Practice: fill a timed form's hidden `seconds` with the time since the card was shown.
(function () {
  "use strict";
  var shown = Date.now();
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute || !form.hasAttribute("data-timed")) return;
    var field = form.querySelector("input[name=seconds]");
    if (field) field.value = String(Math.round((Date.now() - shown) / 1000));
  }, true);
  document.addEventListener("htmx:configRequest", function (event) {
    var form = event.detail.elt;
    if (form && form.hasAttribute && form.hasAttribute("data-timed")) {
      event.detail.parameters["seconds"] = String(Math.round((Date.now() - shown) / 1000));
    }
  });
})();
