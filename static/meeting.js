// The registration page: when the clerk changes the series or a date, show again the
// number and dates that would be recorded (the page shows them already without this).
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var number = document.querySelector("output[data-preview=number][data-preview-url]");
  var series = document.querySelector("[name=series]");
  if (!number || !series) { return; }
  var form = series.form;
  var names = ["series", "published_on", "effective_on", "validity_years"];
  function refresh() {
    var query = new URLSearchParams();
    names.forEach(function (name) {
      var field = form.elements.namedItem(name);
      if (field) { query.set(name, field.value); }
    });
    fetch(number.dataset.previewUrl + "?" + query.toString(), { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (shown) {
        if (!shown) { return; }
        document.querySelectorAll("output[data-preview]").forEach(function (output) {
          output.textContent = shown[output.dataset.preview] || "—";
        });
        var hidden = form.elements.namedItem("shown_number");
        if (hidden) { hidden.value = shown.number || ""; }
      });
  }
  names.forEach(function (name) {
    var field = form.elements.namedItem(name);
    if (field) { field.addEventListener("change", refresh); }
  });
});
