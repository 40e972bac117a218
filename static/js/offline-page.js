// Our offline page: when the copy on this tablet was taken, and only the links it holds.
(function () {
  var when = document.getElementById("offline-copy-taken");
  if (!when) return;
  fetch(when.dataset.copy).then(function (response) {
    return response.ok ? response.json() : null;
  }).then(function (copy) {
    if (!copy || !copy.taken) return;
    var kept = copy.kept || copy.urls || [];
    document.querySelectorAll("[data-kept]").forEach(function (item) {
      item.hidden = kept.indexOf(item.dataset.kept) === -1;
    });
    // The sentence comes translated from the page (data-text, "{when}" marks the date's place).
    var taken = new Date(copy.taken).toLocaleString(document.documentElement.lang || [], {
      month: "short", day: "numeric", hour: "2-digit", minute: "2-digit",
    });
    when.textContent = when.dataset.text.replace("{when}", taken);
    when.hidden = false;
    document.getElementById("offline-no-copy").hidden = true;
  }).catch(function () { /* no copy on this tablet */ });
})();
