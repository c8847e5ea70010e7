// The task page: "增加一条意见" adds a finding row here instead of reloading the page.
// Without this script the same button asks the server for the page with one more row.
(function () {
  function addRow(event) {
    var template = document.getElementById("finding-template");
    var rows = document.getElementById("finding-rows");
    var total = document.querySelector("input[name$='-TOTAL_FORMS']");
    if (!template || !rows || !total) {
      return; // let the button submit: the server adds the row
    }
    event.preventDefault();
    var index = parseInt(total.value, 10) || 0;
    var html = template.innerHTML
      .replace(/__prefix__/g, String(index))
      .replace(/__number__/g, String(index + 1));
    var holder = document.createElement("div");
    holder.innerHTML = html;
    var row = holder.firstElementChild;
    rows.appendChild(row);
    total.value = String(index + 1);
    var first = row.querySelector("input:not([type=hidden]), select, textarea");
    if (first) {
      first.focus();
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var button = document.getElementById("add-finding");
    if (button) {
      button.addEventListener("click", addRow);
    }
  });
})();
