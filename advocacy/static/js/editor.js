// Preview the text without leaving the page: the server renders it with the
// same sanitiser that saves it. Without JavaScript the button submits the form
// and the server answers with the preview.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".editor").forEach(function (editor) {
      var button = editor.querySelector("[data-preview]");
      var target = editor.querySelector("[data-preview-target]");
      var region = editor.querySelector(".preview");
      var form = editor.closest("form");
      if (!button || !target || !form) { return; }
      button.addEventListener("click", function (event) {
        event.preventDefault();
        var data = new FormData();
        data.append("csrf_token", form.querySelector("[name=csrf_token]").value);
        data.append("body", form.querySelector("[name=body]").value);
        button.disabled = true;
        fetch(editor.dataset.previewUrl, {
          method: "POST", body: data, credentials: "same-origin",
          headers: { "X-Requested-With": "fetch" }
        }).then(function (response) {
          return response.text().then(function (html) {
            if (!response.ok) { throw new Error(html); }
            return html;
          });
        }).then(function (html) {
          target.innerHTML = html;  // sanitised by the server
          region.hidden = false;
        }).catch(function () {
          target.textContent = button.dataset.error || "";
          region.hidden = false;
        }).finally(function () {
          button.disabled = false;
        });
      });
    });
  });
})();
