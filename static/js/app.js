// The installable app (docs/offline.md): registers the service worker and tells it who
// is signed in, so it keeps this person's pages for use without signal; on a page for
// nobody (the sign-in page) it drops whatever anyone's copy held.
(function () {
  var me = document.currentScript;
  if (!me || !("serviceWorker" in navigator)) return;
  var message = me.dataset.copy ? { copy: me.dataset.copy, user: me.dataset.user } : { signedOut: true };
  navigator.serviceWorker.register(me.dataset.worker).then(function () {
    return navigator.serviceWorker.ready;
  }).then(function (registration) {
    registration.active.postMessage(message);
  }).catch(function () { /* no worker here (a private window, an old browser): pages need signal */ });
})();
