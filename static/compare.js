// The 上一处修改 / 下一处修改 links of a comparison. Each is an ordinary link to a change's
// anchor (#change-3), so it works without this script; the script keeps them pointing at
// the changes around the current one, says "第 3 / 12 处" and moves the focus to the change.
(function () {
  "use strict";
  const nav = document.querySelector(".diff-nav");
  if (!nav) return;
  const total = Number(nav.dataset.total);
  const position = nav.querySelector(".diff-position");
  const previous = nav.querySelector('[data-step="-1"]');
  const next = nav.querySelector('[data-step="1"]');

  function current() {
    const match = /^#change-(\d+)$/.exec(window.location.hash);
    if (!match || !document.getElementById("change-" + match[1])) return 0;
    return Number(match[1]);
  }

  function update(moveFocus) {
    const k = current();
    previous.href = "#change-" + (k > 1 ? k - 1 : total);
    next.href = "#change-" + (k && k < total ? k + 1 : 1);
    if (!k) return;
    position.textContent = nav.dataset.format
      .replace("{current}", String(k))
      .replace("{total}", String(total));
    if (moveFocus) document.getElementById("change-" + k).focus({ preventScroll: true });
  }

  window.addEventListener("hashchange", function () {
    update(true);
  });
  update(false);
})();
