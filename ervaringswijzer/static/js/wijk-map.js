/* The gap map as a map layer on /overzicht: per wijk a circle at the middle of its places, coloured by
   open hours per week. The figures come from the page (a JSON block); the table above holds the same. */
(function () {
  "use strict";
  var el = document.getElementById("wijk-kaart");
  var source = document.getElementById("wijk-kaart-data");
  if (!el || !source || !window.L) { return; }
  var rows = JSON.parse(source.textContent);
  var map = L.map(el, { scrollWheelZoom: false });
  var tiles = el.getAttribute("data-tiles");
  if (tiles) { L.tileLayer(tiles, { attribution: el.getAttribute("data-attribution") || "" }).addTo(map); }
  // The view first (circles in metres need a projected map to know their size), then the circles.
  if (rows.length) {
    map.fitBounds(L.latLngBounds(rows.map(function (row) { return [row.lat, row.lon]; })).pad(0.3), { maxZoom: 14 });
  } else { map.setView([52.2, 5.3], 7); }
  rows.forEach(function (row) {
    L.circle([row.lat, row.lon], { radius: row.radius, color: "#0b0c0c", weight: 2, fillColor: row.fill, fillOpacity: 0.75 })
      .bindTooltip(row.label).addTo(map);
  });
  el.setAttribute("data-circles", String(rows.length));
})();
