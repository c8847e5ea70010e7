// While a draft is being converted the dossier page asks the server every few seconds and
// rewrites only the status note (an aria-live region): nothing reloads, so a form being
// filled in on the page keeps what was typed. It stops once every conversion is done.
(function () {
  "use strict";
  var INTERVAL = 4000;

  function start() {
    var notes = document.querySelectorAll("[data-status-url]");
    if (!notes.length || !window.fetch) return;
    var url = notes[0].getAttribute("data-status-url");

    function poll() {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) throw new Error(response.status);
          return response.json();
        })
        .then(function (status) {
          status.versions.forEach(function (version) {
            var note = document.querySelector(
              '[data-status-url][data-version="' + version.number + '"]'
            );
            if (!note || version.processing) return;
            note.textContent = version.message;
            note.classList.add(version.failed ? "status-failed" : "status-done");
            note.removeAttribute("data-status-url");
          });
          if (status.processing) window.setTimeout(poll, INTERVAL);
        })
        .catch(function () {
          // A network hiccup: try again later rather than give up.
          window.setTimeout(poll, INTERVAL * 3);
        });
    }
    window.setTimeout(poll, INTERVAL);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
