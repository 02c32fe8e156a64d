/* Ervaringswijzer maps: turn marker data into markers and popups. Small maps carry their data in the
 * page (a JSON block); area maps fetch it from the GeoJSON feed (/api/v1/places.geojson) for the box
 * and zoom they show, and fetch again when the view leaves what they have (or when they got clusters).
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
                         iconSize: [PIN, PIN], iconAnchor: [PIN / 2, PIN / 2], popupAnchor: [0, -PIN / 2] });
    }
    return L.divIcon({ className: "ew-pin ew-pin-" + STATES[row[6]], iconSize: [26, 26],
                       iconAnchor: [13, 13], popupAnchor: [0, -12] });
  }

  // Numbered pins of nearby places would cover each other (and each other's tap area): a pin that
  // would overlap one already placed moves to the nearest free spot on rings of a grid around it.
  var PIN = 34, STEP = PIN + 4, SPOTS = [[0, 0]];
  for (var ring = 1; ring <= 4; ring++) {
    for (var i = -ring; i <= ring; i++) {
      for (var j = -ring; j <= ring; j++) {
        if (Math.max(Math.abs(i), Math.abs(j)) === ring) { SPOTS.push([i * STEP, j * STEP]); }
      }
    }
  }
  function overlaps(x, y, placed) {
    return placed.some(function (q) { return Math.abs(q[0] - x) < STEP && Math.abs(q[1] - y) < STEP; });
  }
  function declutter(map, markers) {
    var placed = [];
    markers.forEach(function (marker) {
      var at = map.latLngToLayerPoint(marker.getLatLng());
      var spot = SPOTS.find(function (s) { return !overlaps(at.x + s[0], at.y + s[1], placed); }) || [0, 0];
      placed.push([at.x + spot[0], at.y + spot[1]]);
      var options = marker.options.icon.options;
      if (options.iconAnchor[0] !== PIN / 2 - spot[0] || options.iconAnchor[1] !== PIN / 2 - spot[1]) {
        options.iconAnchor = [PIN / 2 - spot[0], PIN / 2 - spot[1]];
        options.popupAnchor = [spot[0], spot[1] - PIN / 2];
        marker.setIcon(marker.options.icon);
      }
    });
  }

  function showOnMap(entry, map, layer, clustered) {
    var open = function () { openMarker(entry); };
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

  function readLabels(container) {
    return { open: container.getAttribute("data-label-open"), show: container.getAttribute("data-label-show"),
             // singular and plural come translated from the page; a page without the singular keeps the plural
             review: container.getAttribute("data-label-review") || container.getAttribute("data-label-reviews"),
             reviews: container.getAttribute("data-label-reviews"),
             recommend: container.getAttribute("data-label-recommend"),
             cluster: container.getAttribute("data-label-cluster") };
  }

  function setup(container) {
    var map = window[container.getAttribute("data-map")];
    if (!map) { return; }
    if (container.getAttribute("data-feed")) { followFeed(container, map); return; }
    var source = document.getElementById(container.getAttribute("data-source"));
    if (!source) { return; }
    draw(container, map, JSON.parse(source.textContent));
  }

  function openMarker(marker) {
    marker.openPopup();
    var popup = marker.getPopup().getElement();
    var target = popup && popup.querySelector("a");
    if (target) { target.focus({ preventScroll: true }); }
  }

  function clusterIcon(count) {
    var size = count < 100 ? "small" : (count < 1000 ? "medium" : "large");
    var inner = el("div");
    inner.appendChild(el("span", null, count));
    return L.divIcon({ className: "marker-cluster marker-cluster-" + size + " ew-feed-cluster", html: inner,
                       iconSize: [40, 40] });
  }

  // Boxes snap outward to a grid of two tiles at the zoom, so small pans ask the same URL (a 304).
  function snapped(bounds, zoom) {
    var step = 720 / Math.pow(2, zoom);
    var down = function (x, lo) { return Math.max(lo, Math.floor(x / step) * step); };
    var up = function (x, hi) { return Math.min(hi, Math.ceil(x / step) * step); };
    return L.latLngBounds([down(bounds.getSouth(), -90), down(bounds.getWest(), -180)],
                          [up(bounds.getNorth(), 90), up(bounds.getEast(), 180)]);
  }

  function followFeed(container, map) {
    container.setAttribute("data-markers", "");
    var feed = container.getAttribute("data-feed");
    var clusterName = container.getAttribute("data-cluster");
    var layer = clusterName ? window[clusterName] : L.layerGroup().addTo(map);
    var groups = L.layerGroup().addTo(map);  // clusters counted by the server
    var labels = readLabels(container);
    var state = { markers: {}, have: null, clustered: false, asked: 0, pending: null, buttons: false };
    var b = (container.getAttribute("data-bounds") || "").split(",").map(Number);
    if (b.length === 4 && !isNaN(b[0])) {
      // Without animation: the view is final at once, so the first fetch is the only one.
      if (b[0] === b[2] && b[1] === b[3]) { map.setView([b[1], b[0]], 15, { animate: false }); }
      else { map.fitBounds([[b[1], b[0]], [b[3], b[2]]], { padding: [24, 24], maxZoom: 16, animate: false }); }
    }

    function load() {
      var view = map.getBounds();
      if (state.have && !state.clustered && state.have.contains(view)) { return; }  // every place here is drawn
      var zoom = map.getZoom(), box = snapped(view.pad(0.25), zoom), asked = ++state.asked;
      var url = feed + (feed.indexOf("?") < 0 ? "?" : "&") + "bbox=" +
        [box.getWest(), box.getSouth(), box.getEast(), box.getNorth()].map(function (x) { return +x.toFixed(5); }).join(",") +
        "&zoom=" + zoom;
      fetch(url, { credentials: "same-origin" })
        .then(function (response) { if (!response.ok) { throw new Error(String(response.status)); } return response.json(); })
        .then(function (data) { if (asked === state.asked) { show(data, box); } })
        .catch(function () { container.setAttribute("data-markers", "error"); });
    }

    function show(data, box) {
      var list = [], markers = {};
      groups.clearLayers();
      data.features.forEach(function (feature) {
        var c = feature.geometry.coordinates, p = feature.properties;
        if (p.cluster) {
          var marker = L.marker([c[1], c[0]], { icon: clusterIcon(p.count), title: p.count + " " + labels.cluster,
                                                alt: p.count + " " + labels.cluster, keyboard: true });
          var zoomIn = function () {
            var bb = feature.bbox;
            if (bb[0] === bb[2] && bb[1] === bb[3]) { map.setView([bb[1], bb[0]], map.getMaxZoom()); }
            else { map.fitBounds([[bb[1], bb[0]], [bb[3], bb[2]]], { padding: [40, 40] }); }
          };
          marker.on("click", zoomIn);
          // Leaflet gives focusable markers Enter only for popups; a cluster zooms in on Enter too.
          marker.on("keypress", function (e) { if (e.originalEvent.keyCode === 13) { zoomIn(); } });
          groups.addLayer(marker);
          return;
        }
        var row = [feature.id, c[1], c[0], p.name, p.slug, p.status, p.state, p.categories, p.reviews || 0,
                   p.recommend_pct];
        var single = L.marker([row[1], row[2]], { icon: makeIcon(row, false), title: row[3], alt: row[3],
                                                  keyboard: true, riseOnHover: true });
        single.bindPopup(function () { return popupContent(row, data, labels); }, { maxWidth: 280 });
        markers[row[0]] = single;
        list.push(single);
      });
      if (clusterName) { layer.clearLayers(); layer.addLayers(list); }
      else { layer.clearLayers(); list.forEach(function (m) { layer.addLayer(m); }); }
      state.markers = markers;
      state.have = box;
      state.clustered = data.clustered;
      container.setAttribute("data-markers", String(data.features.length));
      container.setAttribute("data-clustered", data.clustered ? "1" : "0");
      var waiting = state.pending && markers[state.pending];
      if (waiting) { state.pending = null; reveal(waiting); }
      if (!state.buttons) { state.buttons = true; whenParsed(addButtons); }
    }

    function reveal(marker) {
      if (clusterName) { layer.zoomToShowLayer(marker, function () { openMarker(marker); }); }
      else { openMarker(marker); }
    }

    function showPlace(item) {
      map.getContainer().scrollIntoView({ behavior: "smooth", block: "center" });
      var marker = state.markers[item.getAttribute("data-place")];
      if (marker) { reveal(marker); return; }
      // Not drawn yet (inside a cluster, or outside the view): go there, and open it once it arrives.
      state.pending = item.getAttribute("data-place");
      map.setView([Number(item.getAttribute("data-lat")), Number(item.getAttribute("data-lon"))], 18);
    }

    function addButtons() {
      var listId = container.getAttribute("data-list");
      var items = listId ? document.querySelectorAll("#" + listId + " li[data-lat]") : [];
      for (var i = 0; i < items.length; i++) {
        var button = el("button", "map-show", labels.show);
        button.type = "button";
        var name = items[i].querySelector("a");
        if (name) { button.setAttribute("aria-label", labels.show + ": " + name.textContent); }
        button.addEventListener("click", showPlace.bind(null, items[i]));
        items[i].appendChild(button);
      }
    }

    map.on("moveend", load);
    load();
  }

  function draw(container, map, data) {
    // The page's map skeleton is the same for every page; where to look comes with the data.
    if (data.view) { map.setView([data.view[0], data.view[1]], data.view[2]); }
    var clusterName = container.getAttribute("data-cluster");
    var layer = clusterName ? window[clusterName] : map;
    var clustered = Boolean(clusterName);
    var labels = readLabels(container);
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
    if (data.numbered) {
      declutter(map, list);
      map.on("zoomend", function () { declutter(map, list); });
    }
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
