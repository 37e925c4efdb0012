// The review page's behaviour (docvlm/review.py inlines it: the page needs no network).
// A value is a row of the side panel (id "v12") and, where it was found, a box over its
// page's image ("b-v12"); the values' statuses and confidences come as JSON (#dv-data).
(() => {
  "use strict";
  const data = JSON.parse(document.getElementById("dv-data").textContent);
  const position = new Map(data.values.map((value, i) => [value.id, i]));
  const row = (id) => document.getElementById(id);
  const box = (id) => document.getElementById("b-" + id);
  let current = null;

  // Highlight a value and its box; scroll the box ("box") or the row ("row") into view.
  function select(id, scrollTo) {
    for (const element of document.querySelectorAll(".dv-selected")) {
      element.classList.remove("dv-selected");
      element.removeAttribute("aria-selected");
    }
    current = id;
    for (const element of [row(id), box(id)]) {
      if (element) {
        element.classList.add("dv-selected");
        element.setAttribute("aria-selected", "true");
      }
    }
    if (scrollTo === "box") {  // a value not found has no box: show its page
      const page = document.getElementById("page-" + data.values[position.get(id)].page);
      (box(id) ?? page)?.scrollIntoView({block: box(id) ? "center" : "start"});
    }
    row(id).focus({preventScroll: scrollTo !== "row"});
  }

  function passes(value, filters) {
    return filters.length === 0 || filters.some((filter) => filter === "low"
      ? value.confidence !== null && value.confidence < data.low_confidence
      : value.status === filter);
  }

  // Show only the values that pass one of the checked filters (all when none is).
  function applyFilters() {
    const filters = [...document.querySelectorAll("input[data-filter]:checked")]
      .map((input) => input.dataset.filter);
    for (const value of data.values) {
      const hidden = !passes(value, filters);
      row(value.id).hidden = hidden;
      if (box(value.id)) {
        box(value.id).hidden = hidden;
      }
    }
    for (const record of document.querySelectorAll(".dv-record")) {
      record.hidden = !record.querySelector(".dv-value:not([hidden])");
    }
  }

  // Go to the next (1) or previous (-1) doubtful value that is shown, round the ends.
  function step(direction) {
    const doubtful = data.values.filter((v) => v.doubtful && !row(v.id).hidden).map((v) => v.id);
    if (doubtful.length === 0) {
      return;
    }
    const at = current === null ? -1 : position.get(current);
    const next = direction > 0
      ? doubtful.find((id) => position.get(id) > at) ?? doubtful[0]
      : doubtful.findLast((id) => at >= 0 && position.get(id) < at) ?? doubtful.at(-1);
    select(next, "box");
    row(next).scrollIntoView({block: "nearest"});
  }

  document.querySelector(".dv-panel").addEventListener("click", (event) => {
    const value = event.target.closest(".dv-value");
    if (value) {
      select(value.id, "box");
    }
  });
  document.querySelector(".dv-pages").addEventListener("click", (event) => {
    const found = event.target.closest(".dv-box");
    if (found) {
      select(found.dataset.value, "row");
    }
  });
  for (const input of document.querySelectorAll("input[data-filter]")) {
    input.addEventListener("change", applyFilters);
  }
  const keys = {j: 1, n: 1, k: -1, p: -1};
  document.addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey || !(event.key in keys)) {
      return;
    }
    step(keys[event.key]);
    event.preventDefault();
  });
  // The panel stays below the sticky header, however tall the errors make it.
  const header = document.querySelector("header");
  const placePanel = () => document.documentElement.style.setProperty(
    "--dv-top", header.offsetHeight + 12 + "px");
  window.addEventListener("resize", placePanel);
  placePanel();
  applyFilters();
})();
