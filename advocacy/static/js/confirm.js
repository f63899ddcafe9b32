// Ask before a step that cannot be undone. A form that carries data-confirm
// opens a dialog restating the consequences; confirming sends the form with
// confirmed=yes. Without JavaScript (or without <dialog>) the server answers
// the same form with a confirmation page instead.
(function () {
  "use strict";
  var counter = 0;

  function wanted(form) {
    var only = form.dataset.confirmIf;  // "name:value": ask only for that choice
    if (!only) { return true; }
    var parts = only.split(":");
    return new FormData(form).getAll(parts[0]).indexOf(parts[1]) !== -1;
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text) { node.textContent = text; }
    return node;
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-confirm")) { return; }
    if (form.querySelector("input[name=confirmed]") || !wanted(form)) { return; }
    if (typeof HTMLDialogElement !== "function") { return; }
    event.preventDefault();
    counter += 1;
    var dialog = element("dialog", "confirm-dialog");
    var title = element("h2", "", form.dataset.confirm);
    title.id = "confirm-title-" + counter;
    var text = element("p", "", form.dataset.confirmText);
    text.id = "confirm-text-" + counter;
    dialog.setAttribute("aria-labelledby", title.id);
    dialog.setAttribute("aria-describedby", text.id);
    var actions = element("p", "actions");
    var yes = element("button", "button", form.dataset.confirmYes);
    var no = element("button", "button button-secondary", form.dataset.confirmNo);
    yes.type = no.type = "button";
    actions.append(yes, " ", no);
    dialog.append(title, text, actions);
    document.body.appendChild(dialog);
    dialog.addEventListener("close", function () { dialog.remove(); });
    no.addEventListener("click", function () { dialog.close(); });
    yes.addEventListener("click", function () {
      var confirmed = element("input");
      confirmed.type = "hidden";
      confirmed.name = "confirmed";
      confirmed.value = "yes";
      form.appendChild(confirmed);
      dialog.close();
      form.submit();
    });
    dialog.showModal();
    no.focus();  // the safe choice has the focus
  });
})();
