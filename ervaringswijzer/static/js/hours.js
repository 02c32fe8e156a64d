// The live plain-words reading beside the raw opening-hours field: asks our own server what the typed
// text means (the same reading the page shows without this script) a moment after typing stops.
(function () {
  "use strict";
  document.querySelectorAll("[data-hours-reading]").forEach(function (box) {
    var input = document.getElementById(box.getAttribute("data-for"));
    var list = box.querySelector("ul");
    var timer = null;
    var asked = 0;
    if (!input || !list || !window.fetch) { return; }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var mine = ++asked;
        fetch(box.getAttribute("data-url") + "?tekst=" + encodeURIComponent(input.value), { credentials: "same-origin" })
          .then(function (response) { return response.ok ? response.json() : null; })
          .then(function (answer) {
            if (!answer || mine !== asked) { return; }
            list.textContent = "";
            answer.lines.forEach(function (line) {
              var item = document.createElement("li");
              item.textContent = line;
              list.appendChild(item);
            });
          })
          .catch(function () { /* the reading stays as it was; saving still checks the hours */ });
      }, 400);
    });
  });
}());
