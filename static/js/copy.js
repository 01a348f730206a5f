// Copy buttons: <button data-copy-from="#input-id"> or <button data-copy-text="…">, with an
// optional data-copied-text shown for a moment after copying. No inline script (CSP).
(function () {
  "use strict";

  function fallbackCopy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "position-absolute opacity-0";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try {
      ok = document.execCommand("copy");
    } catch (error) {
      ok = false;
    }
    document.body.removeChild(area);
    return ok ? Promise.resolve() : Promise.reject(new Error("copy failed"));
  }

  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () {
        return fallbackCopy(text);
      });
    }
    return fallbackCopy(text);
  }

  function textOf(button) {
    if (button.hasAttribute("data-copy-text")) {
      return button.getAttribute("data-copy-text");
    }
    var source = document.querySelector(button.getAttribute("data-copy-from"));
    return source ? source.value || source.textContent : "";
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy-from], [data-copy-text]");
    if (!button) {
      return;
    }
    copy(textOf(button)).then(function () {
      var label = button.getAttribute("data-copied-text");
      if (!label) {
        return;
      }
      var original = button.textContent;
      button.textContent = label;
      button.classList.add("active");
      window.setTimeout(function () {
        button.textContent = original;
        button.classList.remove("active");
      }, 1500);
    });
  });
})();
