// "Dichtbij mij": asks the browser for its position on one tap, rounds it to about 100 m here, before it
// leaves the phone, and posts it with the near-me form. Without this script the typed place still works.
(function () {
  "use strict";
  var form = document.querySelector("[data-near-form]");
  if (!form || !("geolocation" in navigator)) { return; }
  var button = form.querySelector("[data-near-here]");
  var status = form.querySelector("[data-near-status]");
  var round = function (x) { return (Math.round(x * 1000) / 1000).toFixed(3); };
  button.hidden = false;
  button.addEventListener("click", function () {
    status.textContent = button.getAttribute("data-asking") || status.textContent;
    navigator.geolocation.getCurrentPosition(function (where) {
      form.elements.lat.value = round(where.coords.latitude);
      form.elements.lon.value = round(where.coords.longitude);
      form.submit();
    }, function () {
      status.textContent = button.getAttribute("data-failed");
      form.elements.waar.focus();
    }, { enableHighAccuracy: false, timeout: 15000, maximumAge: 600000 });
  });
}());
