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
// Math: the Markdown renderer leaves TeX in <span class="math math-inline">\(…\)</span> and
// <div class="math math-display">\[…\]</div>; KaTeX (vendored under /static/katex) typesets it here,
// on page load and in every fragment htmx swaps in. A formula KaTeX cannot parse stays as TeX.
(function () {
  "use strict";
  function typeset(root) {
    if (!window.katex || !root.querySelectorAll) return;
    root.querySelectorAll(".math:not([data-typeset])").forEach(function (el) {
      var display = el.classList.contains("math-display");
      var tex = el.textContent.trim().replace(/^\\[([]/, "").replace(/\\[)\]]$/, "");
      try {
        window.katex.render(tex, el, { displayMode: display, throwOnError: false, output: "htmlAndMathml" });
        el.setAttribute("data-typeset", "");
      } catch (e) { /* keep the TeX visible */ }
    });
  }
  document.addEventListener("DOMContentLoaded", function () { typeset(document); });
  document.addEventListener("htmx:afterSwap", function (event) { typeset(event.detail.elt || document); });
  document.addEventListener("toggle", function (event) { typeset(event.target); }, true);
})();
