// Suggest people and networks after "@" in a textarea that carries
// data-mentions (the address of the suggestions). Choosing one writes
// "@[Name]", which the server turns into a link and a notification. The
// suggestions are buttons after the field, announced by a status line: ↓ moves
// into them, Escape closes them, and the choice returns to the text. Without
// JavaScript, "@[Name]" typed by hand works the same.
(function () {
  "use strict";
  var TYPED = /@\[?([^\[\]@\n]{2,40})$/;

  function setUp(field) {
    var box = document.createElement("div");
    box.className = "mention-suggestions";
    box.hidden = true;
    box.setAttribute("role", "group");
    box.setAttribute("aria-label", field.dataset.mentionsLabel || "Suggestions");
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    field.insertAdjacentElement("afterend", box);
    box.insertAdjacentElement("afterend", status);
    var timer = null;
    var asked = "";

    function close() {
      box.hidden = true;
      box.textContent = "";
    }

    function typed() {
      var before = field.value.slice(0, field.selectionStart);
      var match = TYPED.exec(before);
      return match ? { text: match[1], start: before.length - match[0].length } : null;
    }

    function choose(name) {
      var found = typed();
      if (!found) { close(); field.focus(); return; }
      var end = field.selectionStart;
      var inserted = "@[" + name + "] ";
      field.value = field.value.slice(0, found.start) + inserted + field.value.slice(end);
      var caret = found.start + inserted.length;
      close();
      field.focus();
      field.setSelectionRange(caret, caret);
    }

    function show(items) {
      box.textContent = "";
      items.forEach(function (item) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "link-button";
        button.textContent = item.name + " — " + item.detail;
        button.addEventListener("click", function () { choose(item.name); });
        button.addEventListener("keydown", function (event) {
          var buttons = Array.prototype.slice.call(box.querySelectorAll("button"));
          var at = buttons.indexOf(button);
          if (event.key === "ArrowDown" && at < buttons.length - 1) {
            event.preventDefault(); buttons[at + 1].focus();
          } else if (event.key === "ArrowUp") {
            event.preventDefault(); (at > 0 ? buttons[at - 1] : field).focus();
          } else if (event.key === "Escape") {
            event.preventDefault(); close(); field.focus();
          }
        });
        box.appendChild(button);
      });
      box.hidden = items.length === 0;
      status.textContent = items.length
        ? (field.dataset.mentionsFound || "%d").replace("%d", items.length)
        : "";
    }

    function ask() {
      var found = typed();
      if (!found) { close(); return; }
      if (found.text === asked) { return; }
      asked = found.text;
      fetch(field.dataset.mentions + "?q=" + encodeURIComponent(found.text), {
        credentials: "same-origin", headers: { Accept: "application/json" }
      }).then(function (response) {
        return response.ok ? response.json() : [];
      }).then(function (items) {
        if (typed() && typed().text === found.text) { show(items); }
      }).catch(close);
    }

    field.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(ask, 150);
    });
    field.addEventListener("keydown", function (event) {
      if (box.hidden) { return; }
      if (event.key === "ArrowDown") {
        event.preventDefault();
        box.querySelector("button").focus();
      } else if (event.key === "Escape") {
        close();
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("textarea[data-mentions]").forEach(setUp);
  });
})();
