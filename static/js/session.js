// "Still there?": opens a minute and a half before the server signs this person
// out for inactivity (WCAG 2.2.1 asks for a warning and a way to extend), and
// "Stay signed in" posts to the keep-alive URL. The server enforces the timeouts
// either way (SessionTimeoutMiddleware); this script only keeps people informed,
// and reloads at the deadline so a shared tablet stops showing the last notes.
(function () {
  var WARN_SECONDS = 90;
  // The server refreshes its idle clock at most once a minute on ordinary requests.
  var RESOLUTION_SECONDS = 60;

  function init() {
    var body = document.body;
    var dialog = document.getElementById("session-warning");
    if (!dialog || !body.dataset.sessionIdleTimeout) return;
    var form = dialog.querySelector("form");
    var timeout = Number(body.dataset.sessionIdleTimeout);
    var start = Date.now();
    var idleEnd = start + Number(body.dataset.sessionIdleLeft) * 1000;
    var lifetimeEnd = start + Number(body.dataset.sessionLifetimeLeft) * 1000;
    var dismissedDeadline = 0;

    // "2 minutes", "2 minutos": the browser knows each language's plurals (the page's <html lang>).
    var lang = document.documentElement.lang || "en";
    function unit(name) {
      return new Intl.NumberFormat(lang, { style: "unit", unit: name, unitDisplay: "long" });
    }
    var inMinutes = unit("minute");
    var inSeconds = unit("second");
    function words(seconds) {
      return seconds >= 60 ? inMinutes.format(Math.ceil(seconds / 60)) : inSeconds.format(seconds);
    }

    function show(which, seconds) {
      dialog.querySelectorAll("[data-when]").forEach(function (el) {
        el.hidden = el.dataset.when !== which;
      });
      dialog.querySelectorAll("[data-countdown]").forEach(function (el) {
        el.textContent = words(seconds);
      });
      if (!dialog.open) dialog.showModal();
    }

    function tick() {
      var now = Date.now();
      var deadline = Math.min(idleEnd, lifetimeEnd);
      if (now >= deadline + 3000) {
        // Signed out on the server by now: the reload brings the sign-in page and its message.
        window.location.reload();
        return;
      }
      var left = Math.max(0, Math.round((deadline - now) / 1000));
      if (left <= WARN_SECONDS && dismissedDeadline !== deadline) {
        show(lifetimeEnd <= idleEnd ? "lifetime" : "idle", left);
      } else if (dialog.open && left > WARN_SECONDS) {
        dialog.close();
      }
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      // "manual": if the session is already gone, do not fetch the sign-in page here
      // (it would use up its message); the reload shows it.
      fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin", redirect: "manual" })
        .then(function (response) {
          if (response.status === 204) {
            idleEnd = Date.now() + timeout * 1000;
            dialog.close();
          } else {
            window.location.reload();
          }
        })
        .catch(function () { /* Offline for a moment: the prompt stays and the next tick decides. */ });
    });
    dialog.querySelector("[data-close]").addEventListener("click", function () {
      dismissedDeadline = Math.min(idleEnd, lifetimeEnd);
      dialog.close();
    });
    dialog.addEventListener("cancel", function () {
      // Escape: the person has seen it; do not open it again for this deadline.
      dismissedDeadline = Math.min(idleEnd, lifetimeEnd);
    });
    // htmx requests (the check-in autosave) are activity the server counts too.
    body.addEventListener("htmx:afterRequest", function (event) {
      if (event.detail.successful) {
        idleEnd = Math.max(idleEnd, Date.now() + (timeout - RESOLUTION_SECONDS) * 1000);
      }
    });
    document.addEventListener("visibilitychange", tick);
    setInterval(tick, 1000);
    tick();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
