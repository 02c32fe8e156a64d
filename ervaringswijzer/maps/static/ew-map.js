/* Ervaringswijzer maps: turn the JSON marker data next to each Folium map into markers and popups.
 * User text only ever goes into text nodes and attributes (never innerHTML), so a place called
 * "<img onerror=...>" or "${alert(1)}" is shown as those characters and nothing runs.
 * Row layout (see maps/render.py): [id, lat, lon, name, slug, status, state, categories, reviews, recommend%, number]
 */
(function () {
  "use strict";
  var STATES = ["closed", "open", "unknown"];
  var LONG_LIST = 1000;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function popupContent(row, data, labels) {
    var box = el("div", "ew-popup");
    var title = el("p", "ew-popup-title");
    var link = el("a", null, row[3]);
    link.href = data.place_url + encodeURIComponent(row[4]);
    title.appendChild(link);
    box.appendChild(title);
    var cats = row[7].map(function (i) { return data.categories[i]; }).filter(Boolean);
    if (cats.length) { box.appendChild(el("p", "ew-popup-cats", cats.join(" · "))); }
    box.appendChild(el("p", "ew-popup-status status-" + STATES[row[6]], data.statuses[row[5]]));
    if (row[8]) {
      var rating = row[8] + " " + (row[8] === 1 ? labels.review : labels.reviews);
      if (row[9] !== null && row[9] !== undefined) { rating += " · " + row[9] + "% " + labels.recommend; }
      box.appendChild(el("p", "ew-popup-rating", rating));
    }
    var more = el("a", "ew-popup-more", labels.open);
    more.href = link.href;
    box.appendChild(more);
    return box;
  }

  function makeIcon(row, numbered) {
    if (numbered) {
      var badge = el("span", "ew-pin-number", row[10]);
      return L.divIcon({ className: "ew-pin ew-pin-numbered", html: badge,
                         iconSize: [34, 34], iconAnchor: [17, 17], popupAnchor: [0, -16] });
    }
    return L.divIcon({ className: "ew-pin ew-pin-" + STATES[row[6]], iconSize: [22, 22],
                       iconAnchor: [11, 11], popupAnchor: [0, -10] });
  }

  function showOnMap(entry, map, layer, clustered) {
    var open = function () {
      entry.openPopup();
      var popup = entry.getPopup().getElement();
      var target = popup && popup.querySelector("a");
      if (target) { target.focus({ preventScroll: true }); }
    };
    map.getContainer().scrollIntoView({ behavior: "smooth", block: "center" });
    if (clustered) { layer.zoomToShowLayer(entry, open); } else { map.setView(entry.getLatLng(), Math.max(map.getZoom(), 15)); open(); }
  }

  function addListButtons(list, markers, map, layer, clustered, label) {
    if (!list) { return; }
    var items = list.querySelectorAll("li[data-place]");
    for (var i = 0; i < items.length; i++) {
      var marker = markers[items[i].getAttribute("data-place")];
      if (!marker) { continue; }
      var button = el("button", "map-show", label);
      button.type = "button";
      var name = items[i].querySelector("a");
      if (name) { button.setAttribute("aria-label", label + ": " + name.textContent); }
      button.addEventListener("click", showOnMap.bind(null, marker, map, layer, clustered));
      items[i].appendChild(button);
    }
  }

  function setup(container) {
    var map = window[container.getAttribute("data-map")];
    if (!map) { return; }
    var feed = container.getAttribute("data-feed");
    if (feed) {
      // Markers from the map feed (cacheable, answered with 304 when nothing changed).
      container.setAttribute("data-markers", "");
      fetch(feed, { credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (data) { draw(container, map, data); });
      return;
    }
    var source = document.getElementById(container.getAttribute("data-source"));
    if (!source) { return; }
    draw(container, map, JSON.parse(source.textContent));
  }

  function draw(container, map, data) {
    // The page's map skeleton is the same for every page; where to look comes with the data.
    if (data.view) { map.setView([data.view[0], data.view[1]], data.view[2]); }
    var clusterName = container.getAttribute("data-cluster");
    var layer = clusterName ? window[clusterName] : map;
    var clustered = Boolean(clusterName);
    var labels = { open: container.getAttribute("data-label-open"), show: container.getAttribute("data-label-show"),
                   // singular and plural come translated from the page; a page without the singular keeps the plural
                   review: container.getAttribute("data-label-review") || container.getAttribute("data-label-reviews"),
                   reviews: container.getAttribute("data-label-reviews"),
                   recommend: container.getAttribute("data-label-recommend") };
    var markers = {}, list = [], bounds = [];
    data.places.forEach(function (row) {
      var marker = L.marker([row[1], row[2]], { icon: makeIcon(row, data.numbered), title: row[3], alt: row[3],
                                                keyboard: true, riseOnHover: true });
      marker.bindPopup(function () { return popupContent(row, data, labels); }, { maxWidth: 280 });
      markers[row[0]] = marker;
      list.push(marker);
      bounds.push([row[1], row[2]]);
    });
    // Zoom first, then add: clustering 10,000 markers once at the final zoom instead of twice.
    if (bounds.length > 1) { map.fitBounds(bounds, { padding: [24, 24], maxZoom: 16 }); }
    else if (bounds.length === 1) { map.setView(bounds[0], Math.max(map.getZoom(), 15)); }
    if (clustered) { layer.addLayers(list); } else { list.forEach(function (m) { m.addTo(map); }); }
    container.setAttribute("data-markers", String(list.length));
    var listId = container.getAttribute("data-list");
    var addButtons = function () {
      addListButtons(listId ? document.getElementById(listId) : null, markers, map, layer, clustered, labels.show);
    };
    // The list follows the map in the page: its buttons wait until it is parsed, and a long list
    // gets them in a later task, so the browser draws the markers first.
    whenParsed(function () {
      if (list.length > LONG_LIST) { window.setTimeout(addButtons, 0); } else { addButtons(); }
    });
  }

  function whenParsed(fn) {
    if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", fn); } else { fn(); }
  }

  function setupMaps() {
    var maps = document.querySelectorAll(".ew-map[data-map]:not([data-markers])");
    for (var i = 0; i < maps.length; i++) { setup(maps[i]); }
  }

  function setupPrintButtons() {
    var printers = document.querySelectorAll("[data-print]:not([data-print-ready])");
    for (var j = 0; j < printers.length; j++) {
      printers[j].setAttribute("data-print-ready", "");
      printers[j].addEventListener("click", function () { window.print(); });
    }
  }

  // This script comes right after its map's container and data: the markers need not wait for
  // the rest of the page (at 10,000 places the list alone takes half a second to parse).
  setupMaps();
  whenParsed(function () { setupMaps(); setupPrintButtons(); });
}());
