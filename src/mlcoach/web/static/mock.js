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
  // Autosave: a draft is posted at most 1.5 s after it changes (so at most that much is lost to a
  // crash), and once more, as a beacon, when the page is hidden or closed.
  function autosave(el) {
    var timer = null, saved = el.value;
    var note = document.getElementById("autosave-status");
    function form(value) {
      var meta = document.querySelector("meta[name=csrf-token]");
      return new URLSearchParams({ answer: value, position: el.dataset.position, csrf_token: meta ? meta.content : "" });
    }
    function save() {
      timer = null;
      var value = el.value;
      if (value === saved) return;
      fetch(el.dataset.autosave, { method: "POST", body: form(value) }).then(function (r) {
        if (r.ok) { saved = value; if (note) note.textContent = "Draft saved " + new Date().toLocaleTimeString(); }
        else if (note) note.textContent = "Not saved — this question is no longer open";
      }).catch(function () { if (note) note.textContent = "Not saved — check the connection; your text is still here"; });
    }
    el.addEventListener("input", function () { if (!timer) timer = setTimeout(save, 1500); });
    window.addEventListener("pagehide", function () {
      if (el.value !== saved && navigator.sendBeacon) navigator.sendBeacon(el.dataset.autosave, form(el.value));
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("textarea[data-autosave]").forEach(autosave);
  });
})();
