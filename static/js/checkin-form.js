// The words these scripts show, in the reader's language, come from the page
// ({% checkin_form_texts %} in checkin_form.html): none are written here.
function checkinText(name, values) {
  var el = document.getElementById("checkin-form-text");
  var words = el ? JSON.parse(el.textContent)[name] : null;
  if (words == null) return null;
  Object.keys(values || {}).forEach(function (key) { words = words.split("%(" + key + ")s").join(values[key]); });
  return words;
}

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
      b.setAttribute("aria-label", checkinText(words, { item: name }));
      b.addEventListener("click", function () {
        var value = Math.min(max, Math.max(min, (Number(input.value) || 0) + delta));
        input.value = value;
        input.dispatchEvent(new Event("input", { bubbles: true }));
        input.dispatchEvent(new Event("change", { bubbles: true }));
      });
      return b;
    }
    input.before(button("−", -1, "one_fewer"));
    input.after(button("+", 1, "one_more"));
  }
  function init() {
    if (checkinText("one_more") === null) return;  // no words on this page: the plain number fields stay
    document.querySelectorAll('.stepper input[type="number"]').forEach(stepper);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();

// The referral box searches in place with htmx; Enter there must not leave the
// check-in for the directory (that is only the fallback without JavaScript).
// Its "Find" button, too (without JavaScript it posts the whole form and the page
// comes back as typed); with the box empty it is Enter pressed in another field,
// which saves as before.
document.addEventListener("click", function (event) {
  var find = event.target.closest("[data-find-referral]");
  var box = document.getElementById("referral-q");
  if (!find || !box || !window.htmx || !box.value.trim()) return;
  event.preventDefault();
  window.htmx.trigger(box, "search");
});
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

// The coach's "Use …" button: puts the suggested words in place of the flagged
// ones, in the text as it is now. The hint was made from the text of a moment
// ago (the coach answers while the peer keeps typing), so the flagged words are
// looked for again, the occurrence nearest where they were; the rest of the
// text and the caret stay as they are, and an input event lets the coach and
// the autosave see the change. Without JavaScript there is no coach at all.
(function () {
  function wordAt(text, index, length) {
    var before = index === 0 ? "" : text.charAt(index - 1);
    var after = text.charAt(index + length);
    return !/[\w\-\u2010\u2011]/.test(before) && !/[\w\-\u2010\u2011]/.test(after);
  }
  function nearest(text, flagged, at) {
    var best = -1, from = 0, found;
    while ((found = text.indexOf(flagged, from)) !== -1) {
      if (wordAt(text, found, flagged.length) && (best === -1 || Math.abs(found - at) < Math.abs(best - at))) {
        best = found;
      }
      from = found + 1;
    }
    return best;
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-use-wording]");
    if (!button) return;
    var field = document.getElementById(button.dataset.field);
    if (!field) return;
    var wording = button.dataset.useWording, flagged = button.dataset.flagged;
    var start = nearest(field.value, flagged, Number(button.dataset.at) || 0);
    var item = button.closest("li");
    if (start === -1) {
      // Already changed by hand: nothing to swap; the next hint will say what is left.
      if (item) item.remove();
      return;
    }
    var end = start + flagged.length;
    // "an addict" becomes "a person who uses drugs": the article goes with the new words.
    var article = button.dataset.lang === "en" && /(^|[^\w])(an?)(\s+)$/i.exec(field.value.slice(0, start));
    // Spanish: "un adicto" becomes "una persona que usa drogas", "los adictos" "las personas…":
    // data-article is the article the new words take (el, la, los, las).
    var spanish = button.dataset.article &&
      /(^|[^\p{L}\p{N}_])(el|la|los|las|un|una|unos|unas|del|al)(\s+)$/iu.exec(field.value.slice(0, start));
    if (spanish) {
      var to = button.dataset.article, old = spanish[2].toLowerCase();
      var plural = to === "los" || to === "las", feminine = to === "la" || to === "las";
      var fit = /^un/.test(old) ? (feminine ? "una" : "un") + (plural ? "s" : "")
        : old === "del" ? (feminine || plural ? "de " + to : "del")
        : old === "al" ? (feminine || plural ? "a " + to : "al")
        : to;
      if (spanish[2][0] !== spanish[2][0].toLowerCase()) fit = fit[0].toUpperCase() + fit.slice(1);
      start -= spanish[2].length + spanish[3].length;
      wording = fit + spanish[3] + wording;
    }
    if (article) {
      var wanted = /^[aeiou]/i.test(wording) ? "an" : "a";
      if (article[2][0] === article[2][0].toUpperCase()) wanted = wanted[0].toUpperCase() + wanted.slice(1);
      start -= article[2].length + article[3].length;
      wording = wanted + article[3] + wording;
    }
    // setRangeText with "preserve" keeps the caret (and any selection) where it was
    // relative to the text around it.
    field.setRangeText(wording, start, end, "preserve");
    if (item) item.remove();
    field.focus();
    field.dispatchEvent(new Event("input", { bubbles: true }));
  });
})();

// The form the service worker keeps for use without signal (docs/offline.md) is the same
// page every time it opens: each opening is a new check-in, with a key of its own.
(function () {
  var key = document.querySelector('.checkin-form[data-fresh-key] input[name="key"]');
  if (key && window.crypto && crypto.randomUUID) key.value = crypto.randomUUID();
})();

// Without signal (docs/offline.md): the language coach says it is off, and the referral
// search looks in the directory's copy kept on this tablet (offline-directory.js reads it).
(function () {
  function para(text, className) {
    var p = document.createElement("p");
    p.className = className || "empty";
    p.textContent = text;
    return p;
  }
  var copy = null;
  function loadCopy(url) {
    copy = copy || fetch(url).then(function (response) { return response.ok ? response.text() : ""; })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var words = doc.getElementById("offline-search-words");
        if (!words || !window.offlineSearch) return null;
        return {
          search: window.offlineSearch(JSON.parse(words.textContent)),
          rows: Array.prototype.slice.call(doc.querySelectorAll("li.result[data-pk]")),
        };
      }).catch(function () { return null; });
    return copy.then(function (found) { if (!found) copy = null; return found; });
  }
  function addRow(pk, name) {
    var rows = document.getElementById("referral-rows"), template = document.getElementById("referral-row-template");
    if (!template || rows.querySelector('input[name="referral_service"][value="' + pk + '"]')) return;
    var row = template.content.firstElementChild.cloneNode(true);
    row.querySelector('input[name="referral_service"]').value = pk;
    row.querySelector('input[name="referral_remove"]').value = pk;
    var link = row.querySelector("a");
    link.textContent = name;
    link.href = link.getAttribute("href").replace("/0/", "/" + pk + "/");
    var select = row.querySelector("select"), label = row.querySelector("label.visually-hidden");
    select.name = "referral_status_" + pk;
    select.id = "referral-status-" + pk;
    label.htmlFor = select.id;
    label.textContent = checkinText("referral_status", { service: name });
    rows.append(row);
    var form = rows.closest("form");
    if (window.htmx && form) window.htmx.trigger(form, "referral-added");
  }
  function searchCopy(input) {
    var results = document.getElementById("referral-results");
    loadCopy(input.dataset.offlineDirectory).then(function (found) {
      if (!found) {
        results.replaceChildren(para(checkinText("no_copy")));
        return;
      }
      var query = found.search(input.value);
      var hits = query.words ? found.rows.filter(function (row) { return query.test(row.dataset.search); }).slice(0, 10) : [];
      var list = document.createElement("ul");
      list.className = "referral-results";
      hits.forEach(function (row) {
        var item = document.createElement("li"), label = document.createElement("span"), add = document.createElement("button");
        var name = row.querySelector("h2").textContent.trim();
        label.textContent = name;
        add.type = "button";
        add.className = "button button-quiet";
        add.textContent = checkinText("add");
        add.setAttribute("aria-label", checkinText("add_service", { service: name }));
        add.addEventListener("click", function () { addRow(row.dataset.pk, name); });
        item.append(label, " ", add);
        list.append(item);
      });
      results.replaceChildren(
        para(checkinText("searching_copy"), "help"),
        hits.length ? list : para(query.words ? checkinText("no_match", { query: input.value }) : "")
      );
    });
  }
  document.addEventListener("htmx:sendError", function (event) {
    var el = event.target;
    if (!(el instanceof Element)) return;
    if (el.matches(".coached textarea")) {
      var box = document.getElementById("coach-" + el.name);
      if (box) box.replaceChildren(para(checkinText("coach_off"), "coach-off"));
    } else if (el.id === "referral-q" && el.dataset.offlineDirectory) {
      searchCopy(el);
    }
  });
})();
