/* Small progressive enhancements; every form also works without JavaScript. */
document.documentElement.classList.add("js");
document.addEventListener("click", function (event) {
  var el = event.target.closest("[data-confirm]");
  if (el && !window.confirm(el.getAttribute("data-confirm"))) { event.preventDefault(); }
});
/* htmx leaves error responses unswapped; a form marked data-swap-errors is sent back with its
   errors (422) and shows them. */
document.addEventListener("htmx:beforeSwap", function (event) {
  /* The event fires on the target; the form that sent the request is in requestConfig. */
  var source = (event.detail.requestConfig && event.detail.requestConfig.elt) || event.target;
  var form = source.closest && source.closest("[data-swap-errors]");
  if (form && event.detail.xhr.status === 422) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
/* A refused form: the focus goes to the error summary at the top, so it is read out first. */
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector("[data-error-summary]");
  if (summary) { summary.focus(); }
});
/* A form sent back in place with its errors (422): the focus goes to its first invalid field,
   whose error is tied to it with aria-describedby. */
document.addEventListener("htmx:afterSwap", function (event) {
  if (event.detail.xhr && event.detail.xhr.status === 422) {
    var field = event.detail.target.querySelector("[aria-invalid=true]");
    if (field) { field.focus(); }
  }
});
