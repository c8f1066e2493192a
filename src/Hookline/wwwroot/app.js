// Hookline's progressive enhancements: keyboard shortcuts on the list, the selection count.
// Everything works without this file; it only adds speed.
(function () {
  "use strict";

  function typing(target) {
    var tag = target && target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable);
  }

  function rows() {
    return Array.prototype.slice.call(document.querySelectorAll("#reports tbody tr[data-href], #audit-log tbody tr"));
  }

  function current() {
    return document.querySelector("#reports tbody tr.selected, #audit-log tbody tr.selected");
  }

  function select(row) {
    var old = current();
    if (old) {
      old.classList.remove("selected");
      old.removeAttribute("aria-selected");
    }
    if (row) {
      row.classList.add("selected");
      row.setAttribute("aria-selected", "true");
      row.scrollIntoView({ block: "nearest" });
    }
  }

  function move(step) {
    var all = rows();
    if (all.length === 0) {
      return;
    }
    var index = all.indexOf(current());
    var next = index < 0 ? (step > 0 ? 0 : all.length - 1) : Math.min(all.length - 1, Math.max(0, index + step));
    select(all[next]);
  }

  function updateCount() {
    var label = document.getElementById("selected-count");
    if (!label) {
      return;
    }
    var n = document.querySelectorAll("#reports tbody input[name=ids]:checked").length;
    label.textContent = n === 0 ? "none selected" : n + " selected";
    var button = document.getElementById("mark-submit");
    if (button) {
      button.disabled = n === 0;
    }
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) {
      return;
    }
    var help = document.getElementById("shortcuts");
    if (typing(event.target)) {
      if (event.key === "Escape") {
        event.target.blur();
      }
      return;
    }
    switch (event.key) {
      case "/":
        var search = document.getElementById("q") || document.querySelector("form.filters input:not([type=hidden])");
        if (search) {
          event.preventDefault();
          search.focus();
          search.select();
        }
        break;
      case "j":
        move(1);
        break;
      case "k":
        move(-1);
        break;
      case "Enter":
        var row = current();
        if (row && row.getAttribute("data-href")) {
          event.preventDefault();
          window.location.href = row.getAttribute("data-href");
        }
        break;
      case "x":
        var selected = current();
        var box = selected && selected.querySelector("input[name=ids]");
        if (box) {
          box.checked = !box.checked;
          updateCount();
        }
        break;
      case "p":
      case "s":
      case "n":
        // Mark as: choose the verdict and go to the comment; Enter there submits, Esc leaves it.
        var verdict = document.getElementById("mark-verdict");
        var comment = document.querySelector("#mark input[name=comment]");
        if (verdict && comment) {
          event.preventDefault();
          verdict.value = { p: "phishing", s: "spam", n: "noThreatsFound" }[event.key];
          comment.focus();
        }
        break;
      case "?":
        if (help && !help.open) {
          help.showModal();
        }
        break;
    }
  });

  document.addEventListener("change", function (event) {
    if (event.target.id === "check-all") {
      document.querySelectorAll("#reports tbody input[name=ids]").forEach(function (box) {
        box.checked = event.target.checked;
      });
    }
    updateCount();
  });

  document.addEventListener("click", function (event) {
    var row = event.target.closest && event.target.closest("#reports tbody tr[data-href], #audit-log tbody tr");
    if (row && !event.target.closest("a, input, label")) {
      select(row);
    }
  });

  document.addEventListener("DOMContentLoaded", updateCount);
})();
