// Search as you type on the member list: the form still works without this script.
(function () {
  "use strict";
  var input = document.querySelector("input[data-live]");
  if (!input) { return; }
  var target = document.getElementById(input.getAttribute("data-live"));
  var form = input.form;
  var timer = null;
  var latest = 0;
  var lastHeaders = new Headers();
  function refresh() {
    var params = new URLSearchParams(new FormData(form));
    params.delete("after");
    var shown = "?" + params.toString();
    params.set("partial", "rows");
    var ticket = ++latest;
    fetch(form.getAttribute("action") + "?" + params.toString(), { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { return Promise.reject(response.status); }
        lastHeaders = response.headers;
        return response.text();
      })
      .then(function (html) {
        if (ticket !== latest) { return; }
        target.innerHTML = html;
        var count = document.getElementById("member-count");
        var exported = document.getElementById("member-export");
        if (count) { count.textContent = decodeURIComponent(lastHeaders.get("x-member-count") || ""); }
        if (exported && lastHeaders.get("x-member-export")) { exported.setAttribute("href", lastHeaders.get("x-member-export")); }
        history.replaceState(null, "", form.getAttribute("action") + shown);
        target.setAttribute("data-query", input.value);
      })
      .catch(function () { /* keep the rows shown; the Filter button still works */ });
  }
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(refresh, 250);
  });
})();

// The event form: once a kind is chosen, only the fields that kind carries are shown. Without
// this script every field shows.
(function () {
  "use strict";
  var form = document.querySelector("form[data-kind-select]");
  if (!form) { return; }
  var select = document.getElementById(form.getAttribute("data-kind-select"));
  var fields = form.querySelectorAll(".field[data-kinds]");
  function show() {
    var kind = select.value;
    Array.prototype.forEach.call(fields, function (field) {
      var input = field.querySelector("input");
      var needed = kind !== "" && field.getAttribute("data-kinds").split(" ").indexOf(kind) >= 0;
      // A field holding a value or an error stays visible: nothing typed is hidden.
      var keep = needed || (input && (input.value !== "" || input.getAttribute("aria-invalid") === "true"));
      field.hidden = !keep;
    });
  }
  select.addEventListener("change", show);
  show();
})();
