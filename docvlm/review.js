// The review page's behaviour (docvlm/review.py inlines it: the page needs no network).
// Values are rows of the side panel (id "v12") and boxes over the page images ("b-v12").
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("dv-data").textContent);
  var header = document.querySelector("header");
  var current = null;

  function row(id) { return document.getElementById(id); }
  function box(id) { return document.getElementById("b-" + id); }

  function select(id, scrollTo) {
    document.querySelectorAll(".dv-selected").forEach(function (el) {
      el.classList.remove("dv-selected");
      el.removeAttribute("aria-selected");
    });
    current = id;
    var r = row(id), b = box(id);
    r.classList.add("dv-selected");
    r.setAttribute("aria-selected", "true");
    if (b) { b.classList.add("dv-selected"); b.setAttribute("aria-selected", "true"); }
    if (scrollTo === "box" && b) { b.scrollIntoView({block: "center"}); }
    if (scrollTo === "row") { r.scrollIntoView({block: "nearest"}); }
    r.focus({preventScroll: scrollTo !== "row"});
  }

  function activeFilters() {
    return Array.prototype.filter.call(
      document.querySelectorAll("input[data-filter]"), function (el) { return el.checked; }
    ).map(function (el) { return el.dataset.filter; });
  }

  function passes(value, filters) {
    if (!filters.length) { return true; }
    return filters.some(function (f) {
      if (f === "low") { return value.confidence !== null && value.confidence < data.low_confidence; }
      return value.status === f;
    });
  }

  function applyFilters() {
    var filters = activeFilters();
    data.values.forEach(function (value) {
      var hide = !passes(value, filters);
      row(value.id).hidden = hide;
      var b = box(value.id);
      if (b) { b.hidden = hide; }
    });
    document.querySelectorAll(".dv-record").forEach(function (section) {
      section.hidden = !section.querySelector(".dv-value:not([hidden])");
    });
  }

  // The next (step 1) or previous (step -1) doubtful value still shown, round the end.
  function step(direction) {
    var doubtful = data.values.filter(function (v) { return v.doubtful && !row(v.id).hidden; });
    if (!doubtful.length) { return; }
    var ids = doubtful.map(function (v) { return v.id; });
    var order = data.values.map(function (v) { return v.id; });
    var at = current === null ? -1 : order.indexOf(current);
    var next;
    if (direction > 0) {
      next = doubtful.find(function (v) { return order.indexOf(v.id) > at; }) || doubtful[0];
    } else {
      var before = doubtful.filter(function (v) { return at < 0 || order.indexOf(v.id) < at; });
      next = before.length ? before[before.length - 1] : doubtful[ids.length - 1];
    }
    select(next.id, "box");
    row(next.id).scrollIntoView({block: "nearest"});
  }

  document.querySelector(".dv-panel").addEventListener("click", function (event) {
    var r = event.target.closest(".dv-value");
    if (r) { select(r.id, "box"); }
  });
  document.querySelector(".dv-pages").addEventListener("click", function (event) {
    var b = event.target.closest(".dv-box");
    if (b) { select(b.dataset.value, "row"); }
  });
  document.querySelectorAll("input[data-filter]").forEach(function (el) {
    el.addEventListener("change", applyFilters);
  });
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || event.target.tagName === "INPUT") {
      return;
    }
    if (event.key === "j" || event.key === "n") { step(1); event.preventDefault(); }
    if (event.key === "k" || event.key === "p") { step(-1); event.preventDefault(); }
  });
  // The panel sits below the sticky header, however tall the errors make it.
  function placePanel() {
    document.documentElement.style.setProperty("--dv-top", header.offsetHeight + 12 + "px");
  }
  window.addEventListener("resize", placePanel);
  placePanel();
  applyFilters();
}());
