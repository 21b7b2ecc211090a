/* WalkWell: register the service worker that keeps the app shell available offline,
   and offer the browser's time zone where a form asks for one. */
(function () {
  "use strict";
  var zone = "";
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch (e) {
    zone = "";
  }
  document.addEventListener("DOMContentLoaded", function () {
    var inputs = document.querySelectorAll("input[data-time-zone-from-browser]");
    for (var i = 0; i < inputs.length; i++) {
      if (!inputs[i].value && zone) {
        inputs[i].value = zone;
      }
    }
  });
})();
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
