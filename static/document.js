// The table of contents opens by itself where there is room beside the text; on a phone it
// stays folded above the text, and folds again once a heading or article is chosen.
(function () {
  "use strict";
  const toc = document.getElementById("toc");
  if (!toc) return;
  const wide = window.matchMedia("(min-width: 901px)");
  toc.open = wide.matches;
  toc.addEventListener("click", function (event) {
    if (event.target.closest("a") && !wide.matches) toc.open = false;
  });
})();
