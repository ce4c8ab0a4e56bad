/* Hamkor web form: posts the form with fetch and shows the thank-you text in its place.
   Without JavaScript the same <form> posts normally and the visitor sees our thank-you page. */
(function () {
  "use strict";
  function fillTracking(form) {
    var query = new URLSearchParams(window.location.search);
    ["utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content"].forEach(function (key) {
      var input = form.querySelector('input[name="' + key + '"]');
      if (input && !input.value && query.get(key)) { input.value = query.get(key); }
    });
    [["page", window.location.href], ["referrer", document.referrer]].forEach(function (pair) {
      var input = form.querySelector('input[name="' + pair[0] + '"]');
      if (!input) {
        input = document.createElement("input");
        input.type = "hidden";
        input.name = pair[0];
        form.appendChild(input);
      }
      input.value = pair[1] || "";
    });
  }
  function showErrors(form, errors, detail) {
    form.querySelectorAll("[data-errors-for]").forEach(function (node) {
      var messages = errors[node.getAttribute("data-errors-for")];
      node.textContent = messages ? messages.join(" ") : "";
      node.hidden = !messages;
    });
    var summary = form.querySelector("[data-hamkor-summary]");
    if (!summary) {
      summary = document.createElement("p");
      summary.setAttribute("data-hamkor-summary", "");
      summary.setAttribute("role", "alert");
      form.insertBefore(summary, form.firstChild);
    }
    summary.textContent = detail || "";
  }
  function attach(form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      fillTracking(form);
      var button = form.querySelector('button[type="submit"]');
      if (button) { button.disabled = true; }
      function fallBack() {
        // No answer from us (network, CORS, a proxy's error page): post the ordinary way,
        // which always works. Never after we answered, or the post would be stored twice.
        form.submit();
      }
      function handle(answer) {
        if (button) { button.disabled = false; }
        if (answer.body.ok) {
          if (answer.body.redirect) { window.location.assign(answer.body.redirect); return; }
          var thanks = document.createElement("p");
          thanks.setAttribute("role", "status");
          thanks.textContent = answer.body.message;
          form.replaceWith(thanks);
          return;
        }
        showErrors(form, answer.body.errors || {}, answer.body.detail);
      }
      fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: { Accept: "application/json" },
        credentials: "omit"
      }).then(function (response) {
        return response.json().then(function (body) {
          return { status: response.status, body: body };
        });
      }).then(handle, fallBack);
    });
  }
  function start() {
    document.querySelectorAll("form[data-hamkor-form]").forEach(function (form) {
      fillTracking(form);
      attach(form);
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
