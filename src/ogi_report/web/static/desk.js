// The publisher's desk: choosing a finding highlights its cells. Served as a file (no inline script).
"use strict";
(function () {
  function choose(finding) {
    document.querySelectorAll(".chosen").forEach(function (el) { el.classList.remove("chosen"); });
    if (!finding) { return; }
    finding.classList.add("chosen");
    var first = null;
    (finding.getAttribute("data-cells") || "").split(" ").forEach(function (code) {
      if (!code) { return; }
      document.querySelectorAll('[data-cell="' + CSS.escape(code) + '"]').forEach(function (cell) {
        cell.classList.add("chosen");
        if (!first) { first = cell; }
      });
    });
    if (first) {
      first.scrollIntoView({ block: "center", inline: "nearest" });
      var input = first.querySelector("input, select, textarea");
      if (input) { input.focus({ preventScroll: true }); }
    }
  }
  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!(target instanceof Element)) { return; }
    var show = target.closest("a.show");
    if (show) {
      event.preventDefault();
      choose(show.closest("li.finding"));
      return;
    }
    if (target.closest("textarea, input, button, summary, select, a")) { return; }
    var finding = target.closest("li.finding");
    if (finding) { choose(finding); }
  });
})();
