/* Small progressive enhancements; every form also works without JavaScript. */
document.documentElement.classList.add("js");
document.addEventListener("change", function (event) {
  var el = event.target;
  if (el.matches("[data-autosubmit]")) { el.form.submit(); }
});
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
