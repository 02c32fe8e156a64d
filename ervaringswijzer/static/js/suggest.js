// Search-as-you-type: fills the search box's <datalist> with completions from /api/v1/suggest.
// The browser shows the list in its own accessible way; without this script the box just works as before.
(function () {
  "use strict";
  var input = document.querySelector("input[data-suggest-url]");
  if (!input || !window.fetch) { return; }
  var list = document.getElementById(input.getAttribute("list"));
  var timer = null, last = "";

  function fill(words) {
    while (list.firstChild) { list.removeChild(list.firstChild); }
    words.forEach(function (word) {
      var option = document.createElement("option");
      option.value = word;  // text only: never parsed as HTML
      list.appendChild(option);
    });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var q = input.value;
      if (q.length < 2 || q === last) { return; }
      last = q;
      fetch(input.dataset.suggestUrl + "?q=" + encodeURIComponent(q), { headers: { "Accept": "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
        .then(function (data) { if (input.value === q) { fill(data.suggestions || []); } })
        .catch(function () { /* suggestions are a convenience; typing keeps working */ });
    }, 150);
  });
}());
