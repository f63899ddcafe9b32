// Suggest networks while a filter is typed. The field takes a network's slug
// or part of its name as typed, with or without JavaScript; with it, the
// public directory (the API, searched by name) fills the field's list of
// suggestions, which browsers offer natively and accessibly (<datalist>).
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[data-suggest]").forEach(function (input) {
      var list = document.createElement("datalist");
      list.id = input.id + "-suggestions";
      input.insertAdjacentElement("afterend", list);
      input.setAttribute("list", list.id);
      var timer = null;
      var asked = "";
      input.addEventListener("input", function () {
        window.clearTimeout(timer);
        timer = window.setTimeout(function () {
          var text = input.value.trim();
          if (text.length < 2 || text === asked) { return; }
          asked = text;
          var url = input.dataset.suggest + "?per_page=10&q=" + encodeURIComponent(text);
          fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
            .then(function (response) { return response.ok ? response.json() : null; })
            .then(function (page) {
              if (!page || input.value.trim() !== text) { return; }
              list.replaceChildren.apply(list, page.data.map(function (network) {
                var option = document.createElement("option");
                option.value = network.slug;
                option.label = network.name;
                return option;
              }));
            })
            .catch(function () { /* no suggestions: the field still works as typed */ });
        }, 200);
      });
    });
  });
})();
