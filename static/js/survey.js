/* Survey form: tell people when an autosave did not reach the server (slow connections).
   Everything still works without this file: "Save section" posts the whole section. */
(function () {
  "use strict";
  function notice(el, text) {
    var box = el.querySelector(".survey-offline");
    if (!box) {
      box = document.createElement("div");
      box.className = "survey-offline alert alert-danger mt-2 py-1 small";
      box.setAttribute("role", "alert");
      el.appendChild(box);
    }
    box.textContent = text;
  }
  document.addEventListener("htmx:sendError", function (event) {
    var el = event.detail.elt.closest(".survey-question");
    var form = el && el.closest("form");
    if (el) { notice(el, (form && form.getAttribute("data-offline-text")) || "Not saved: no connection."); }
  });
  document.addEventListener("htmx:responseError", function (event) {
    var el = event.detail.elt.closest(".survey-question");
    var form = el && el.closest("form");
    if (el) { notice(el, (form && form.getAttribute("data-error-text")) || "Not saved."); }
  });
})();
