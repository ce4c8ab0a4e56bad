// Show the times in the visitor's own zone: on a first visit (no ?tz= yet) reload once with it.
(function () {
  var form = document.querySelector("form[data-detect-zone='1']");
  if (!form || !window.Intl) return;
  var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  var select = form.querySelector("select[name=tz]");
  if (!zone || !select || select.value === zone) return;
  var url = new URL(window.location.href);
  url.searchParams.set("tz", zone);
  window.location.replace(url.toString());
})();
