/* WalkWell: register the service worker that keeps the app shell available offline. */
(function () {
  "use strict";
  var me = document.currentScript;
  var url = me && me.getAttribute("data-sw");
  if (url && "serviceWorker" in navigator && window.isSecureContext) {
    window.addEventListener("load", function () {
      navigator.serviceWorker.register(url, { scope: "/" }).catch(function () {
        /* the app works without it */
      });
    });
  }
})();
