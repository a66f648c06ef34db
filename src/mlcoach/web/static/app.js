// Small page behaviours that the Content-Security-Policy keeps out of inline attributes.
(function () {
  "use strict";
  // <form data-confirm="Delete this?">: ask before submitting.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) event.preventDefault();
  }, true);
  // <button data-clears="answer">: empty that field of its form before the form is sent.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-clears]");
    if (button && button.form) {
      var field = button.form.elements[button.getAttribute("data-clears")];
      if (field) field.value = "";
    }
  }, true);
  // <input data-select-on-focus>: select the whole value (share links) when focused or clicked.
  function selectAll(event) {
    if (event.target.hasAttribute && event.target.hasAttribute("data-select-on-focus")) event.target.select();
  }
  document.addEventListener("focusin", selectAll);
  document.addEventListener("click", selectAll);
})();
