// Search as you type on the member list: the form still works without this script.
(function () {
  "use strict";
  var input = document.querySelector("input[data-live]");
  if (!input) { return; }
  var target = document.getElementById(input.getAttribute("data-live"));
  var form = input.form;
  var timer = null;
  var latest = 0;
  function refresh() {
    var params = new URLSearchParams(new FormData(form));
    params.delete("after");
    var shown = "?" + params.toString();
    params.set("partial", "rows");
    var ticket = ++latest;
    fetch(form.getAttribute("action") + "?" + params.toString(), { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { return Promise.reject(response.status); }
        // Each answer keeps its own headers: a slower, older answer cannot mix with a newer one.
        return response.text().then(function (html) { return { html: html, headers: response.headers }; });
      })
      .then(function (answer) {
        if (ticket !== latest) { return; }
        target.innerHTML = answer.html;
        var count = document.getElementById("member-count");
        var exported = document.getElementById("member-export");
        if (count) { count.textContent = decodeURIComponent(answer.headers.get("x-member-count") || ""); }
        if (exported && answer.headers.get("x-member-export")) { exported.setAttribute("href", answer.headers.get("x-member-export")); }
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

// Forms whose fields depend on a kind (an event, a restructure): once a kind is chosen, only the
// fields that kind uses are shown. Without this script every field shows.
(function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll("form[data-kind-select]"), function (form) {
    var select = document.getElementById(form.getAttribute("data-kind-select"));
    var fields = form.querySelectorAll(".field[data-kinds]");
    function show() {
      var kind = select.value;
      Array.prototype.forEach.call(fields, function (field) {
        var input = field.querySelector("input, textarea");
        var needed = kind !== "" && field.getAttribute("data-kinds").split(" ").indexOf(kind) >= 0;
        // A field holding a value or an error stays visible: nothing typed is hidden.
        var keep = needed || (input && (input.value !== "" || input.getAttribute("aria-invalid") === "true"));
        field.hidden = !keep;
      });
    }
    select.addEventListener("change", show);
    show();
  });
})();

// Unit pickers: a text field that takes a unit's code or exact name (which works without this
// script) becomes a combobox offering the units whose name holds the words typed, tone marks
// ignored, each with the units above it. Choosing one puts its code in the field.
(function () {
  "use strict";
  var fields = document.querySelectorAll("input[data-unit-picker]");
  Array.prototype.forEach.call(fields, function (input, n) {
    var list = document.createElement("ul");
    list.id = "unit-options-" + n;
    list.className = "picker-options";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    input.parentNode.insertBefore(list, input.nextSibling);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("autocomplete", "off");
    var timer = null;
    var ticket = 0;
    var active = -1;
    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }
    function choose(option) {
      input.value = option.getAttribute("data-code");
      close();
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }
    function highlight(index) {
      var options = list.querySelectorAll("[role=option]");
      if (options.length === 0) { return; }
      active = (index + options.length) % options.length;
      Array.prototype.forEach.call(options, function (o, i) { o.setAttribute("aria-selected", i === active ? "true" : "false"); });
      input.setAttribute("aria-activedescendant", options[active].id);
      options[active].scrollIntoView({ block: "nearest" });
    }
    function search() {
      var typed = input.value.trim();
      if (typed.length < 2) { close(); return; }
      var mine = ++ticket;
      var date = input.getAttribute("data-date") || "";
      fetch("/units/pick?q=" + encodeURIComponent(typed) + "&date=" + encodeURIComponent(date), { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
        .then(function (units) {
          if (mine !== ticket) { return; }
          list.textContent = "";
          units.forEach(function (unit, i) {
            var option = document.createElement("li");
            option.id = list.id + "-" + i;
            option.setAttribute("role", "option");
            option.setAttribute("data-code", unit.code);
            var name = document.createElement("span");
            name.className = "picker-name";
            name.textContent = unit.name;
            var path = document.createElement("small");
            path.textContent = unit.path ? unit.path + " · " + unit.code : unit.code;
            option.appendChild(name);
            option.appendChild(path);
            option.addEventListener("mousedown", function (e) { e.preventDefault(); choose(option); });
            list.appendChild(option);
          });
          list.hidden = units.length === 0;
          input.setAttribute("aria-expanded", units.length === 0 ? "false" : "true");
          active = -1;
        })
        .catch(function () { close(); });
    }
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(search, 200); });
    input.addEventListener("keydown", function (e) {
      if (list.hidden) { return; }
      if (e.key === "ArrowDown") { e.preventDefault(); highlight(active + 1); }
      else if (e.key === "ArrowUp") { e.preventDefault(); highlight(active - 1); }
      else if (e.key === "Enter" && active >= 0) { e.preventDefault(); choose(list.querySelectorAll("[role=option]")[active]); }
      else if (e.key === "Escape") { close(); }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
  });
})();

// Print buttons: shown only where the script runs (the browser's own Print works everywhere).
(function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll("button[data-print]"), function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();

// The restructure wizard's split step: "send all to" sets every choice of its group at once, and
// the choices take the names typed for the new units as they are typed.
(function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll("fieldset.assign"), function (group) {
    var all = group.querySelector("select[data-assign-all]");
    if (!all) { return; }
    all.closest(".all-to").hidden = false;
    all.addEventListener("change", function () {
      if (all.value === "") { return; }
      Array.prototype.forEach.call(group.querySelectorAll("select[data-part-select]"), function (select) {
        select.value = all.value;
      });
    });
  });
  Array.prototype.forEach.call(document.querySelectorAll("input[data-part]"), function (input) {
    input.addEventListener("input", function () {
      var number = input.getAttribute("data-part");
      var label = input.value.trim() || ("Đơn vị mới " + number);
      Array.prototype.forEach.call(document.querySelectorAll("fieldset.assign option[value='" + number + "']"), function (option) {
        option.textContent = label;
      });
    });
  });
})();
