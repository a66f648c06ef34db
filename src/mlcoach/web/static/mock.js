// Timers for mock rounds: counts down from the question's start time (set by the server, so a
// reload or the other peer's screen shows the same clock). System design rounds also show the phase
// the time budget says you should be in.
(function () {
  function pad(n) { return String(Math.floor(n)).padStart(2, "0"); }
  function tick() {
    document.querySelectorAll("[data-timer]").forEach(function (el) {
      var started = Date.parse(el.dataset.started);
      var total = parseFloat(el.dataset.minutes) * 60;
      if (isNaN(started) || isNaN(total)) return;
      var elapsed = Math.max(0, (Date.now() - started) / 1000);
      var left = total - elapsed;
      var shown = Math.abs(left);
      el.querySelector(".clock").textContent = (left < 0 ? "+" : "") + pad(shown / 60) + ":" + pad(shown % 60);
      el.classList.toggle("over", left < 0);
      var phases = el.parentElement.querySelectorAll("[data-phase-minutes]");
      var t = 0, current = null;
      phases.forEach(function (p) {
        var end = t + parseFloat(p.dataset.phaseMinutes) * 60;
        p.classList.remove("now");
        if (current === null && elapsed < end) current = p;
        t = end;
      });
      if (current) current.classList.add("now");
    });
  }
  setInterval(tick, 1000);
  document.addEventListener("DOMContentLoaded", tick);
  document.addEventListener("htmx:afterSwap", tick);
  // Peer mode: when the interviewer moves on, the candidate's page follows.
  document.addEventListener("htmx:afterSwap", function (e) {
    var status = document.getElementById("mock-status");
    var page = document.getElementById("page-position");
    if (status && page && (status.dataset.position !== page.dataset.position || status.dataset.status !== page.dataset.status)) {
      window.location.reload();
    }
  });
  // Saved-state indicator for autosaved answers.
  document.addEventListener("htmx:afterRequest", function (e) {
    var target = e.detail.elt;
    if (!target || !target.matches("textarea[data-autosave]")) return;
    var note = document.getElementById("autosave-status");
    if (note) note.textContent = e.detail.successful ? "Draft saved " + new Date().toLocaleTimeString() : "Not saved — check the connection";
  });
})();
