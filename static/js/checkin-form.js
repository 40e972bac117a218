// Big − and + buttons beside every count field, for one-handed use on a tablet.
// Without JavaScript the number fields work as they are.
(function () {
  function stepper(input) {
    var min = Number(input.min || 0), max = Number(input.max || 999);
    var label = document.querySelector('label[for="' + input.id + '"]');
    var name = label ? label.textContent.trim() : "count";
    function button(text, delta, words) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = "step";
      b.textContent = text;
      b.setAttribute("aria-label", words + " " + name);
      b.addEventListener("click", function () {
        var value = Math.min(max, Math.max(min, (Number(input.value) || 0) + delta));
        input.value = value;
        input.dispatchEvent(new Event("input", { bubbles: true }));
        input.dispatchEvent(new Event("change", { bubbles: true }));
      });
      return b;
    }
    input.before(button("−", -1, "One fewer"));
    input.after(button("+", 1, "One more"));
  }
  function init() {
    document.querySelectorAll('.stepper input[type="number"]').forEach(stepper);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();

// The referral box searches in place with htmx; Enter there must not leave the
// check-in for the directory (that is only the fallback without JavaScript).
document.addEventListener("keydown", function (event) {
  if (event.key === "Enter" && event.target.matches("[data-search-in-place]") && window.htmx) {
    event.preventDefault();
    window.htmx.trigger(event.target, "search");
  }
});

// Saving the check-in ends the autosave and the coach. On a slow connection the
// note's change event (fired as Save takes the focus) would post a draft about a
// second later, still carrying this form's key, while the save is on its way:
// the saved check-in would come back as a draft. So on submit every request the
// form has in flight is aborted and none is sent after it. (The server refuses
// such a late draft too: this only keeps it from being sent.)
(function () {
  var saving = false;
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches(".checkin-form") || event.defaultPrevented) return;
    saving = true;
    if (window.htmx) {
      form.querySelectorAll("[hx-post]").forEach(function (el) { window.htmx.trigger(el, "htmx:abort"); });
      window.htmx.trigger(form, "htmx:abort");
    }
  });
  document.addEventListener("htmx:beforeRequest", function (event) {
    if (saving && event.target.closest(".checkin-form")) event.preventDefault();
  });
  // Back to this page from the browser's history, or the check-in was kept on the
  // tablet without signal (offline-queue.js) and the form is blank again: live again.
  window.addEventListener("pageshow", function () { saving = false; });
  document.addEventListener("checkin:queued", function () { saving = false; });
})();

// The form the service worker keeps for use without signal (docs/offline.md) is the same
// page every time it opens: each opening is a new check-in, with a key of its own.
(function () {
  var key = document.querySelector('.checkin-form[data-fresh-key] input[name="key"]');
  if (key && window.crypto && crypto.randomUUID) key.value = crypto.randomUUID();
})();
