// The notification settings page: a live preview as the admin types, and a confirmation before
// Restore defaults. Without this file the page still works: "Update preview" posts the form into the
// preview frame, and Restore asks on a page of its own.
(function () {
  "use strict";

  var form = document.getElementById("settings-form");
  var update = document.getElementById("preview-update");
  if (form && update) {
    var timer = null;
    var refresh = function () {
      timer = null;
      // Posts the unsaved form (with its antiforgery token) into the sandboxed frame.
      form.requestSubmit(update);
    };
    var later = function () {
      if (timer !== null) {
        clearTimeout(timer);
      }
      timer = setTimeout(refresh, 300);
    };
    form.addEventListener("input", later);
    form.addEventListener("change", later);
    // The preview's list sits outside the form element (form="settings-form"): its events do not reach the form.
    var kind = document.getElementById("preview-kind");
    if (kind) {
      kind.addEventListener("change", later);
    }
  }

  var restore = document.getElementById("restore-form");
  var confirmed = document.getElementById("restore-confirmed");
  if (restore && confirmed) {
    restore.addEventListener("submit", function (event) {
      if (window.confirm("Restore the default settings? Every text, the sender and the logo are replaced.")) {
        confirmed.value = "true";
      } else {
        event.preventDefault();
      }
    });
  }
})();
