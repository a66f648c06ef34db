// Practice: time each card, and keep the typed answer as a draft in this browser until the card is
// rated, so a closed tab or a crash loses nothing.
(function () {
  "use strict";
  var shown = Date.now();

  function seconds() { return String(Math.round((Date.now() - shown) / 1000)); }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute || !form.hasAttribute("data-timed")) return;
    var field = form.querySelector("input[name=seconds]");
    if (field) field.value = seconds();
  }, true);
  document.addEventListener("htmx:configRequest", function (event) {
    var form = event.detail.elt;
    if (form && form.hasAttribute && form.hasAttribute("data-timed")) event.detail.parameters["seconds"] = seconds();
  });

  function draftKey(card) { return "mlcoach-practice-draft:" + card.getAttribute("data-item"); }

  document.addEventListener("DOMContentLoaded", function () {
    var card = document.getElementById("card");
    var answer = card && card.querySelector("#answer-form textarea[name=answer]");
    if (!answer || !window.localStorage) return;
    var key = draftKey(card);
    try {
      var saved = localStorage.getItem(key);
      if (saved && !answer.value) answer.value = saved;
      answer.addEventListener("input", function () {
        if (answer.value) localStorage.setItem(key, answer.value); else localStorage.removeItem(key);
      });
    } catch (e) { /* storage disabled: the answer is still sent when checked */ }
  });
  // A rated card is done: its draft goes.
  document.addEventListener("submit", function (event) {
    var card = document.getElementById("card");
    if (card && event.target.id === "rating" && window.localStorage) {
      try { localStorage.removeItem(draftKey(card)); } catch (e) { /* ignore */ }
    }
  }, true);
})();
