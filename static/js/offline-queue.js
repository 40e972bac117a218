// Check-ins saved without signal (docs/offline.md, issue 11).
//
// This script sends Save on the new check-in form. When that request fails (no
// signal: the failed request tells, navigator.onLine often lies), the form is
// sealed here with the server's public key (a fresh AES-GCM key, wrapped with
// RSA-OAEP) and only the ciphertext is kept, in IndexedDB, with the author's
// user id beside it. The tablet cannot read it back. On every page load, on the
// `online` event and, while there is no signal, every 30 seconds, the signed-in
// person's own sealed check-ins are sent; each leaves the tablet only once the
// server answers that it is saved (or kept for its author to fix). Without
// JavaScript, Save is a plain form post and nothing is queued.
(function () {
  "use strict";
  var box = document.getElementById("offline-queue");
  // The words, in the reader's language, come from the page (sessions_app/_offline_queue_texts.html).
  var words = document.getElementById("offline-queue-text");
  if (!box || !words || !window.indexedDB || !window.fetch) return;
  var TEXT = JSON.parse(words.textContent);
  var user = box.dataset.user;
  var STORE = "sealed-checkins";
  var NO_KEY = "00000000-0000-0000-0000-000000000000";
  var plural = window.Intl && Intl.PluralRules ? new Intl.PluralRules(document.documentElement.lang || "en") : null;
  // "one" or "other" (the forms the page gives), as the page's language counts.
  function counted(forms, count) {
    var form = plural ? plural.select(count) : (count === 1 ? "one" : "other");
    return (forms[form] || forms.other).replace("%(count)s", count.toLocaleString(document.documentElement.lang || undefined));
  }

  var canSeal = function (form) { return !!(form.dataset.offlineKey && window.crypto && crypto.subtle); };

  function database() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open("peer-companion", 1);
      request.onupgradeneeded = function () { request.result.createObjectStore(STORE, { keyPath: "key" }); };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  async function store(mode, work) {
    var db = await database();
    return new Promise(function (resolve, reject) {
      var tx = db.transaction(STORE, mode), request = work(tx.objectStore(STORE));
      tx.oncomplete = function () { db.close(); resolve(request.result); };
      tx.onerror = tx.onabort = function () { db.close(); reject(tx.error); };
    });
  }

  // Another person's sealed check-ins stay on the tablet, neither shown nor sent.
  async function mine() {
    var all = await store("readonly", function (s) { return s.getAll(); });
    return all.filter(function (item) { return item.user === user; });
  }

  function base64(buffer) {
    var bytes = new Uint8Array(buffer), text = "";
    for (var i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    return btoa(text);
  }

  async function seal(form, fields) {
    var subtle = crypto.subtle, utf8 = new TextEncoder(), kid = form.dataset.offlineKid;
    var spki = Uint8Array.from(atob(form.dataset.offlineKey), function (c) { return c.charCodeAt(0); });
    var publicKey = await subtle.importKey("spki", spki, { name: "RSA-OAEP", hash: "SHA-256" }, false, ["wrapKey"]);
    var aesKey = await subtle.generateKey({ name: "AES-GCM", length: 256 }, true, ["encrypt"]);
    var iv = crypto.getRandomValues(new Uint8Array(12));
    var plain = utf8.encode(JSON.stringify({
      v: 1, author: Number(user), captured_at: new Date().toISOString(), fields: fields,
    }));
    // The key id is the additional data: the ciphertext cannot be passed off under another key.
    var data = await subtle.encrypt({ name: "AES-GCM", iv: iv, additionalData: utf8.encode(kid) }, aesKey, plain);
    var wrapped = await subtle.wrapKey("raw", aesKey, publicKey, { name: "RSA-OAEP" });
    return { v: 1, kid: kid, key: base64(wrapped), iv: base64(iv), data: base64(data) };
  }

  function say(form, words) {
    var line = form.querySelector("#draft-status");
    if (line) line.textContent = words;
  }

  // A fresh form for the next person, as the server would draw it: nothing of the
  // sealed check-in stays on the page.
  function clear(form) {
    var now = new Date();
    now.setMinutes(now.getMinutes() - now.getTimezoneOffset());
    form.querySelectorAll("input, textarea").forEach(function (el) {
      if (el.name === "key") el.value = crypto.randomUUID();
      else if (el.name === "happened_at") el.value = now.toISOString().slice(0, 16);
      else if (el.type === "checkbox" || el.type === "radio") el.checked = el.type === "radio" && el.value === "";
      else if (el.type === "number") el.value = el.classList.contains("count") ? "0" : "";
      else if (el.type !== "hidden") el.value = "";
    });
    form.querySelectorAll(".referral-row, .coach > *").forEach(function (el) { el.remove(); });
  }

  async function queue(form, body) {
    var fields = [];
    body.forEach(function (value, name) { if (name !== "csrfmiddlewaretoken") fields.push([name, String(value)]); });
    var sealed = await seal(form, fields);
    await store("readwrite", function (s) {
      return s.put({ key: body.get("key"), user: user, sealed: sealed, queued_at: new Date().toISOString() });
    });
    // Ask the browser not to clear this site's storage when space runs low.
    if (navigator.storage && navigator.storage.persist) navigator.storage.persist();
    // Where the browser has Background Sync, the worker sends it when the signal is back (sw.js).
    if (navigator.serviceWorker) navigator.serviceWorker.getRegistration().then(function (r) {
      if (r && r.sync) return r.sync.register("send-checkins");
    }).catch(function () { /* not allowed here: the page sends it */ });
    clear(form);
    document.dispatchEvent(new CustomEvent("checkin:queued"));
    say(form, TEXT.queued);
    await show();
    later();
  }

  var sending = false;
  // On window, so checkin-form.js (on document) has stopped the autosave first.
  window.addEventListener("submit", async function (event) {
    var form = event.target;
    if (!form.matches(".checkin-form") || !canSeal(form) || event.defaultPrevented) return;
    event.preventDefault();
    if (sending) return;
    sending = true;
    var body = new FormData(form), response = null;
    say(form, TEXT.saving);
    try {
      response = await fetch(form.action, {
        method: "POST", body: body, redirect: "manual", signal: AbortSignal.timeout(20000),
      });
    } catch (error) {
      // No answer: no signal, or too weak to carry the save. If it was saved after
      // all, the sealed copy meets it by its key and nothing is saved twice.
    }
    if (response && response.type === "opaqueredirect") {
      // Saved: to the check-in (the server knows which one by the form's key).
      location.assign(form.dataset.savedUrl.replace(NO_KEY, body.get("key")));
      return;
    }
    if (response) {
      // The server answered with the form (something needs another look): the plain post shows it.
      form.submit();
      return;
    }
    try {
      await queue(form, body);
    } catch (error) {
      say(form, TEXT.not_kept);
    }
    sending = false;
  });

  function csrfToken() {
    return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"];
  }

  async function show(returnedUrl) {
    var count = 0;
    try { count = (await mine()).length; } catch (error) { /* no storage here: nothing waits */ }
    box.textContent = "";
    if (count) box.append(counted(TEXT.waiting, count));
    if (returnedUrl) {
      var link = document.createElement("a");
      link.href = returnedUrl;
      link.textContent = TEXT.open_it;
      // The sentence around the link, split where the page's words put "%(link)s".
      var sentence = TEXT.returned.split("%(link)s");
      box.append((count ? " " : "") + sentence[0], link, sentence.slice(1).join(""));
    }
    box.hidden = !count && !returnedUrl;
  }

  var syncing = false, timer = 0;
  function later() { clearTimeout(timer); timer = setTimeout(sync, 30000); }

  async function sync() {
    if (syncing) return;
    syncing = true;
    delete box.dataset.synced;
    var returned = null, noSignal = false;
    try {
      for (const item of await mine()) {
        var response;
        try {
          response = await fetch(box.dataset.syncUrl, {
            method: "POST", body: JSON.stringify(item.sealed), signal: AbortSignal.timeout(30000),
            headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
          });
        } catch (error) {
          noSignal = true;
          break;
        }
        // Signed out meanwhile, or too many at once: the rest wait for the next try.
        if (response.redirected || response.status === 429) { noSignal = response.status === 429; break; }
        // Refused or a server fault: kept, and tried again on the next page load.
        if (!response.ok) continue;
        var answer = await response.json();
        await store("readwrite", function (s) { return s.delete(item.key); });
        if (answer.status === "returned") returned = answer.url;
      }
    } catch (error) { /* no storage here: nothing to send */ }
    syncing = false;
    await show(returned);
    box.dataset.synced = "";  // a pass has ended (tests wait for it)
    if (noSignal) later();
  }

  // An autosave that did not arrive says so at once, and is sent again when the signal is back.
  function autosaveFailed(event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.matches(".checkin-form")) return;
    say(form, event.type === "htmx:responseError" ? TEXT.server_trouble : canSeal(form) ? TEXT.no_signal : TEXT.no_signal_plain);
    window.addEventListener("online", function () { if (window.htmx) window.htmx.trigger(form, "change"); }, { once: true });
  }
  ["htmx:sendError", "htmx:timeout", "htmx:responseError"].forEach(function (name) {
    document.addEventListener(name, autosaveFailed);
  });

  window.addEventListener("online", sync);
  show().then(sync);
})();
