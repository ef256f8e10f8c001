/* Small progressive enhancements; every form also works without JavaScript. */
document.documentElement.classList.add("js");
document.addEventListener("click", function (event) {
  var el = event.target.closest("[data-confirm]");
  if (el && !window.confirm(el.getAttribute("data-confirm"))) { event.preventDefault(); }
});
/* htmx leaves error answers unswapped. The one contract of every htmx form here: a form refused
   comes back with its errors and status 422, and is swapped in like any answer. Any other error
   (403, 404, 409, 5xx...) shows the page's alert, so nothing fails silently. */
document.addEventListener("htmx:beforeSwap", function (event) {
  if (event.detail.xhr.status === 422) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
function showHtmxError() {
  var alert = document.querySelector("[data-htmx-error]");
  if (alert) { alert.hidden = false; alert.focus(); }
}
document.addEventListener("htmx:responseError", function (event) {
  if (event.detail.xhr.status !== 422) { showHtmxError(); }
});
document.addEventListener("htmx:sendError", showHtmxError);
/* A refused form: the focus goes to the error summary at the top, so it is read out first. */
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector("[data-error-summary]");
  if (summary) { summary.focus(); }
});
/* A form sent back in place with its errors (422): the focus goes to its first invalid field,
   whose error is tied to it with aria-describedby. */
document.addEventListener("htmx:afterSwap", function (event) {
  if (event.detail.xhr && event.detail.xhr.status === 422) {
    /* An outerHTML swap replaced the target: look for its successor, by the same id. */
    var target = event.detail.target;
    if (target && !target.isConnected && target.id) { target = document.getElementById(target.id); }
    var field = target && target.querySelector("[aria-invalid=true]");
    if (field) { field.focus(); }
  }
});
