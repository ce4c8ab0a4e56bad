/* Contact and company pickers: a search box whose suggestions htmx fetches as you type.
 *
 * This file only chooses among the suggestions: arrow keys move through them, Enter or a
 * click picks one, Escape closes the list. Picking fills the hidden id input (what the form
 * posts) and shows the chosen name with its phone or company; typing again clears the id so
 * a stale choice is never posted. A "picked" event bubbles from the hidden input for pages
 * that react to the choice. Listeners sit on the document, so pickers added later work too.
 */
(function () {
  "use strict";

  if (window.hamkorPicker) return;
  window.hamkorPicker = true;

  function pickerOf(node) {
    return node && node.closest ? node.closest("[data-picker]") : null;
  }

  function parts(picker) {
    return {
      value: picker.querySelector("[data-picker-value]"),
      input: picker.querySelector("[role=combobox]"),
      list: picker.querySelector("[role=listbox]"),
      chosen: picker.querySelector("[data-picker-chosen]"),
    };
  }

  function options(p) {
    return Array.prototype.slice.call(p.list.querySelectorAll("[role=option]"));
  }

  function active(p) {
    return p.list.querySelector("[role=option][aria-selected=true]");
  }

  function setActive(p, option) {
    options(p).forEach(function (item) {
      item.setAttribute("aria-selected", item === option ? "true" : "false");
    });
    if (option) {
      p.input.setAttribute("aria-activedescendant", option.id);
      option.scrollIntoView({ block: "nearest" });
    } else {
      p.input.removeAttribute("aria-activedescendant");
    }
  }

  function close(p) {
    p.list.innerHTML = "";
    p.input.setAttribute("aria-expanded", "false");
    p.input.removeAttribute("aria-activedescendant");
  }

  function announce(p) {
    p.value.dispatchEvent(new CustomEvent("picked", { bubbles: true }));
  }

  function choose(p, option) {
    p.value.value = option.dataset.pickId;
    p.input.value = option.dataset.pickLabel;
    p.chosen.textContent = option.dataset.pickChosen;
    close(p);
    p.input.focus();
    announce(p);
  }

  document.addEventListener("input", function (event) {
    var picker = pickerOf(event.target);
    if (!picker || event.target.getAttribute("role") !== "combobox") return;
    var p = parts(picker);
    if (p.value.value) {
      p.value.value = "";
      p.chosen.textContent = "";
      announce(p);
    }
  });

  document.addEventListener("keydown", function (event) {
    var picker = pickerOf(event.target);
    if (!picker || event.target.getAttribute("role") !== "combobox") return;
    var p = parts(picker);
    var items = options(p);
    if (!items.length) return;
    var index = items.indexOf(active(p));
    if (event.key === "ArrowDown") {
      event.preventDefault();
      setActive(p, items[(index + 1) % items.length]);
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      setActive(p, items[index <= 0 ? items.length - 1 : index - 1]);
    } else if (event.key === "Enter") {
      // The list is open: Enter picks rather than submitting the form half-filled.
      event.preventDefault();
      choose(p, items[index < 0 ? 0 : index]);
    } else if (event.key === "Escape") {
      event.preventDefault();
      close(p);
    }
  });

  document.addEventListener("click", function (event) {
    var option = event.target.closest ? event.target.closest("[data-pick-id]") : null;
    var picker = pickerOf(option);
    if (option && picker) {
      choose(parts(picker), option);
      return;
    }
    // A click elsewhere closes the other pickers' lists.
    document.querySelectorAll("[data-picker]").forEach(function (other) {
      if (!other.contains(event.target)) close(parts(other));
    });
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    var picker = pickerOf(event.detail.target);
    if (!picker) return;
    var p = parts(picker);
    p.input.setAttribute("aria-expanded", options(p).length ? "true" : "false");
    p.input.removeAttribute("aria-activedescendant");
  });
})();
