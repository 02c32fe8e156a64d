// Folds the main menu behind one button on narrow screens, opens folded filters on wide ones,
// and moves focus to an error summary.
// Runs in <head> so the page never jumps; without this script the menu and filters simply stay open.
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.add("has-menu");
  var wide = window.matchMedia("(min-width: 832px)");
  document.addEventListener("DOMContentLoaded", function () {
    var toggle = document.querySelector(".menu-toggle");
    if (toggle) {
      toggle.addEventListener("click", function () {
        toggle.setAttribute("aria-expanded", String(toggle.getAttribute("aria-expanded") !== "true"));
      });
      document.addEventListener("keydown", function (event) {
        if (event.key === "Escape" && toggle.getAttribute("aria-expanded") === "true") {
          toggle.setAttribute("aria-expanded", "false");
          toggle.focus();
        }
      });
    }
    // An error summary (GOV.UK pattern) takes focus, so a screen reader reads it and Tab goes to its links.
    var summary = document.querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
      // A link in the summary puts the cursor in its field, with the field's label in view.
      summary.addEventListener("click", function (event) {
        var link = event.target.closest("a[href^='#']");
        var field = link && document.getElementById(link.getAttribute("href").slice(1));
        if (!field) { return; }
        event.preventDefault();
        var fold = field.closest("details");
        if (fold) { fold.open = true; }
        var label = document.querySelector("label[for='" + field.id + "']");
        (label || field).scrollIntoView();
        field.focus({ preventScroll: true });
      });
    }
    if (wide.matches) {
      document.querySelectorAll("details[data-open-wide]").forEach(function (d) { d.open = true; });
    }
  });
}());
