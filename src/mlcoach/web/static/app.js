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
// Busy states and errors for every form: work that takes a moment (grading, building a PDF, planning)
// shows that it is running, and an error from an htmx request is shown next to its form instead of
// failing silently. What the user typed stays in the form either way.
(function () {
  "use strict";
  function busy(form, on) {
    if (!form || !form.querySelectorAll) return;
    form.toggleAttribute("aria-busy", on);
    form.querySelectorAll("button[type=submit], button:not([type])").forEach(function (b) { b.disabled = on; });
  }
  function clearError(form) {
    var next = form && form.nextElementSibling;
    if (next && next.classList && next.classList.contains("form-error")) next.remove();
  }
  document.addEventListener("htmx:beforeRequest", function (e) {
    var form = e.detail.elt.closest ? e.detail.elt.closest("form") : null;
    clearError(form); busy(form, true);
  });
  document.addEventListener("htmx:afterRequest", function (e) {
    var form = e.detail.elt.closest ? e.detail.elt.closest("form") : null;
    busy(form, false);
    if (!form || e.detail.successful) return;
    var message = "Something went wrong; your text is still here. Try again.";
    var xhr = e.detail.xhr;
    if (xhr && xhr.responseText) {
      var doc = new DOMParser().parseFromString(xhr.responseText, "text/html");
      var found = doc.querySelector(".error-message");
      if (found && found.textContent.trim()) message = found.textContent.trim();
    } else if (xhr && xhr.status === 0) {
      message = "The app did not answer (is `mlcoach serve` still running?). Your text is still here.";
    }
    var box = document.createElement("p");
    box.className = "error-message form-error";
    box.setAttribute("role", "alert");
    box.textContent = message;
    form.insertAdjacentElement("afterend", box);
  });
  // Plain (non-htmx) forms: mark them busy so a second click does not send twice.
  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (e.defaultPrevented || form.hasAttribute("hx-post") || form.method.toLowerCase() !== "post") return;
    setTimeout(function () { busy(form, true); }, 0);
  });
})();
