// The service worker (docs/offline.md): pages kept for use without signal, and our own
// offline page for anything else. Served at /sw.js by harmreduction.views.service_worker,
// which writes in the version (a digest of this file and the shell's) and the URLs below.
"use strict";
var VERSION = "__VERSION__";
var SHELL = ["__SHELL__"];
var OFFLINE = "__OFFLINE__";
// The sealed check-ins (static/js/offline-queue.js keeps them; names from harmreduction/app_shell.py).
var QUEUE_DB = "__QUEUE_DB__", QUEUE_STORE = "__QUEUE_STORE__", SYNC_URL = "__SYNC__";
var SHELL_CACHE = "pc-shell-" + VERSION;
var USER_PREFIX = "pc-user-";
// Where the copy's list and its time are kept, in the person's cache.
var META = "/offline/copy.json";
// A page load asks for a new copy when the one kept is older than this.
var FRESH_MS = 60 * 60 * 1000;
// Never kept, whatever a list says: pages with participant data (the server also marks
// every page it lets us keep with X-Offline-Copy: 1, and only those are kept).
var PRIVATE = /^\/(checkins\/(?!new\/$)|participants\/|review\/|dashboard\/|follow-ups\/|feedback\/|account\/|admin\/)/;

function mine(name) { return name.indexOf("pc-") === 0 && name.slice(-VERSION.length - 1) === "-" + VERSION; }

function fillShell() {
  return caches.open(SHELL_CACHE).then(function (cache) {
    return Promise.all(SHELL.map(function (url) {
      return cache.match(url).then(function (hit) {
        if (hit) return;
        // Without cookies: the shell is the same for everyone and carries nobody's name.
        return fetch(url, { credentials: "omit", cache: "no-cache" }).then(function (response) {
          if (response.ok) return cache.put(url, response);
        }, function () { /* no signal: tried again on the next page load */ });
      });
    }));
  });
}

self.addEventListener("install", function (event) {
  event.waitUntil(fillShell().then(function () { return self.skipWaiting(); }));
});

// A new release: its caches replace every older one.
self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) { return name.indexOf("pc-") === 0 && !mine(name); })
      .map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

function dropCopies(keep) {
  return caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) { return name.indexOf(USER_PREFIX) === 0 && name !== keep; })
      .map(function (name) { return caches.delete(name); }));
  });
}

function keepAll(cache, urls) {
  var queue = urls.filter(function (url) { return !PRIVATE.test(new URL(url, location.href).pathname); });
  var kept = [];
  function next() {
    var url = queue.shift();
    if (!url) return Promise.resolve();
    // redirect "manual": a page that sends us elsewhere (signed out meanwhile) is skipped, and the
    // sign-in page is not drawn here, which would use up the message meant for the person.
    return fetch(url, { credentials: "same-origin", cache: "no-store", redirect: "manual",
                        headers: { "X-Offline-Copy": "1" } })
      .then(function (response) {
        // Kept only when the server says this page may be kept.
        if (response.ok && response.headers.get("X-Offline-Copy") === "1") {
          kept.push(url);
          return cache.put(url, response);
        }
      }, function () { /* no signal: the older copy of this page, if any, stays */ })
      .then(next);
  }
  return Promise.all([next(), next(), next()]).then(function () { return kept; });
}

var refreshing = null;
function refresh(listUrl, user) {
  if (refreshing) return refreshing;
  var name = USER_PREFIX + user + "-" + VERSION;
  refreshing = dropCopies(name).then(fillShell).then(function () { return caches.open(name); }).then(function (cache) {
    return cache.match(META).then(function (hit) { return hit ? hit.json() : null; }).then(function (meta) {
      if (meta && Date.now() - Date.parse(meta.taken) < FRESH_MS) return;
      return fetch(listUrl, { credentials: "same-origin", cache: "no-store", redirect: "manual" }).then(function (response) {
        // Sent to the sign-in page (or the code step): signed out meanwhile, nothing of theirs stays.
        if (response.type === "opaqueredirect") return dropCopies(null);
        if (!response.ok) return;
        return response.json().then(function (list) {
          if (String(list.user) !== user) return;
          return keepAll(cache, list.urls).then(function (kept) {
            list.kept = kept;
            delete list.csrf;  // asked for fresh when sending (below), never kept
            return cache.put(META, new Response(JSON.stringify(list), { headers: { "Content-Type": "application/json" } }));
          });
        });
      }, function () { /* no signal: the copy stays as it is */ });
    });
  }).then(function () { refreshing = null; }, function () { refreshing = null; });
  return refreshing;
}

// From the page (static/js/app.js): who is signed in, or nobody (then nothing of anyone's stays).
self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.copy && data.user) event.waitUntil(refresh(data.copy, String(data.user)));
  else if (data.signedOut) event.waitUntil(dropCopies(null).then(fillShell));
});

function fromCopy(url) {
  return caches.match(url.href, { ignoreVary: true }).then(function (hit) {
    // /library/?q=… or /checkins/new/?referral=…: the page itself.
    return hit || caches.match(url.href, { ignoreVary: true, ignoreSearch: true });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request, url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== location.origin) return;
  if (request.mode === "navigate") {
    // The network first: online, every page is as fresh as without the worker. Without
    // signal, the copy kept on the tablet, else our offline page; never the browser's error.
    event.respondWith(fetch(request).catch(function () {
      return fromCopy(url).then(function (hit) {
        return hit || caches.match(OFFLINE, { cacheName: SHELL_CACHE }).then(function (page) {
          return page || Response.error();
        });
      });
    }));
  } else if (SHELL.indexOf(url.pathname) !== -1) {
    // The shell's files, from the cache of this release.
    event.respondWith(caches.match(url.pathname, { cacheName: SHELL_CACHE }).then(function (hit) {
      return hit || fetch(request);
    }));
  } else if (url.pathname === META || url.pathname === "__DIRECTORY__") {
    // The copy's time (the offline page) and the directory's copy (the check-in form's referral search).
    event.respondWith(fetch(request).catch(function () {
      return fromCopy(url).then(function (hit) {
        // No copy on this tablet: an empty answer, which the page reads as such (not a failed load).
        return hit || new Response(url.pathname === META ? "{}" : "", {
          headers: { "Content-Type": url.pathname === META ? "application/json" : "text/html" },
        });
      });
    }));
  }
});

// Background Sync: the browser wakes the worker when the signal is back, even with no page
// open. The same sending as the page's (offline-queue.js): only the signed-in person's items,
// each deleted only after a 2xx answer ("already saved" too, if the page sent it first).
function idb(mode, work) {
  return new Promise(function (resolve, reject) {
    var open = indexedDB.open(QUEUE_DB, 1);
    open.onupgradeneeded = function () { open.result.createObjectStore(QUEUE_STORE, { keyPath: "key" }); };
    open.onerror = function () { reject(open.error); };
    open.onsuccess = function () {
      var db = open.result, tx = db.transaction(QUEUE_STORE, mode), request = work(tx.objectStore(QUEUE_STORE));
      tx.oncomplete = function () { db.close(); resolve(request.result); };
      tx.onerror = tx.onabort = function () { db.close(); reject(tx.error); };
    };
  });
}

function sendQueue() {
  // Who is signed in, and a CSRF token, from the server (the cookie is HttpOnly): signed out
  // (a redirect), nothing is sent. No signal: the fetch fails and the browser tries again later.
  return fetch(META, { credentials: "same-origin", cache: "no-store", redirect: "manual" }).then(function (response) {
    if (!response.ok) return;
    return response.json().then(function (list) {
      return idb("readonly", function (s) { return s.getAll(); }).then(function (all) {
        var items = all.filter(function (item) { return item.user === String(list.user); });
        function next() {
          var item = items.shift();
          if (!item) return;
          return fetch(SYNC_URL, {
            method: "POST", credentials: "same-origin", cache: "no-store", redirect: "manual",
            body: JSON.stringify(item.sealed), headers: { "Content-Type": "application/json", "X-CSRFToken": list.csrf },
          }).then(function (answer) {
            if (answer.ok) return idb("readwrite", function (s) { return s.delete(item.key); }).then(next);
            // Too many at once: later. Signed out meanwhile: the next sign-in's page sends them.
            if (answer.status === 429) throw new Error("later");
            // Refused or a server fault: kept, tried again by the page on its next load.
            if (answer.type !== "opaqueredirect") return next();
          });
        }
        return next();
      });
    });
  });
}

self.addEventListener("sync", function (event) {
  if (event.tag === "send-checkins") event.waitUntil(sendQueue());
});
