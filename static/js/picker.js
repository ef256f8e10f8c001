/* Searchable pickers: a filter box above a long list of choices (progressive enhancement).
   Marked in the HTML with data-filter: a <select> (its options) or a list of checkboxes (its
   .form-check items). Without JavaScript the list works as it is; with it, typing in the box
   hides what does not match (ignoring case and accents), ticked choices always stay shown, and
   a status line says how many are shown. The box is a labelled text input: Tab reaches it, then
   the list, as before. */
(function () {
  "use strict";
  function fold(text) {
    return (text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  function items(list) {
    if (list.tagName === "SELECT") { return Array.prototype.slice.call(list.options); }
    return Array.prototype.slice.call(list.querySelectorAll(".form-check"));
  }
  function chosen(item) {
    if (item.tagName === "OPTION") { return item.selected && item.value !== ""; }
    var box = item.querySelector("input");
    return !!(box && box.checked);
  }
  function enhance(list, index) {
    if (list.getAttribute("data-filter-ready")) { return; }
    list.setAttribute("data-filter-ready", "1");
    var doc = list.ownerDocument;
    var wrap = doc.createElement("div");
    wrap.className = "input-group input-group-sm mb-1";
    var id = (list.id || "picker-" + index) + "-filter";
    var label = doc.createElement("label");
    label.className = "input-group-text";
    label.setAttribute("for", id);
    label.textContent = list.getAttribute("data-filter-label") || "Filter";
    var box = doc.createElement("input");
    box.type = "search";
    box.id = id;
    box.className = "form-control";
    box.autocomplete = "off";
    box.setAttribute("dir", "auto");
    if (list.id) { box.setAttribute("aria-controls", list.id); }
    var status = doc.createElement("div");
    status.className = "form-text";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    wrap.appendChild(label);
    wrap.appendChild(box);
    list.parentNode.insertBefore(wrap, list);
    list.parentNode.insertBefore(status, list.nextSibling);
    var all = items(list).filter(function (item) {
      return !(item.tagName === "OPTION" && item.value === "");  /* the blank choice stays */
    });
    var template = list.getAttribute("data-filter-status") || "{shown} / {total}";
    function apply() {
      var term = fold(box.value.trim());
      var shown = 0;
      all.forEach(function (item) {
        var match = !term || chosen(item) || fold(item.textContent).indexOf(term) !== -1;
        item.hidden = !match;
        if (match) { shown += 1; }
      });
      status.textContent = term ? template.replace("{shown}", shown).replace("{total}", all.length) : "";
    }
    box.addEventListener("input", apply);
    /* Enter in the box filters; it must not send the form. */
    box.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); apply(); }
    });
  }
  function init(root) {
    Array.prototype.forEach.call((root || document).querySelectorAll("[data-filter]"), enhance);
  }
  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:afterSettle", function (event) { init(event.target); });
}());
