// carepath review page: clicking a node (or pressing Enter on it) opens its panel; the panels are
// already in the page, written and escaped by the template, so this script only shows and hides.
(function () {
  "use strict";
  var aside = document.getElementById("panel");
  var closer = document.getElementById("panel-close");

  function show(name) {
    var panels = aside.querySelectorAll("[data-panel]");
    var found = false;
    for (var i = 0; i < panels.length; i++) {
      var match = panels[i].getAttribute("data-panel") === name;
      panels[i].hidden = !match;
      found = found || match;
    }
    if (!found) { return; }
    var marked = document.querySelectorAll(".selected");
    for (var j = 0; j < marked.length; j++) { marked[j].classList.remove("selected"); }
    var nodes = document.querySelectorAll("[data-node]");
    for (var k = 0; k < nodes.length; k++) {
      if (nodes[k].getAttribute("data-node") === name) { nodes[k].classList.add("selected"); }
    }
    aside.hidden = false;
    document.body.classList.add("panel-open");
    aside.scrollTop = 0;
  }

  function hide() {
    aside.hidden = true;
    document.body.classList.remove("panel-open");
  }

  document.addEventListener("click", function (event) {
    var node = event.target.closest("[data-node]");
    if (node) {
      event.preventDefault();
      show(node.getAttribute("data-node"));
      return;
    }
    var zoom = event.target.closest("[data-zoom]");
    if (zoom) {
      var figure = zoom.closest("figure");
      var actual = figure.classList.toggle("actual-size");
      zoom.setAttribute("aria-pressed", actual ? "true" : "false");
      zoom.textContent = actual ? "Fit to page width" : "Actual size";
    }
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { hide(); return; }
    var node = event.target.closest && event.target.closest("[data-node]");
    if (node && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      show(node.getAttribute("data-node"));
    }
  });

  closer.addEventListener("click", hide);
}());
