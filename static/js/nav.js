/* The main navigation's disclosure menus (templates/base.html): they open and close without this file (<details>);
   it only keeps one open at a time, and closes the open one on Escape (focus back on its button) or on a click or
   a focus outside it. */
(function () {
  "use strict";
  var SELECTOR = ".nav-group > details";

  function menus() {
    return Array.prototype.slice.call(document.querySelectorAll(SELECTOR));
  }

  function closeAll(except) {
    menus().forEach(function (menu) {
      if (menu !== except && menu.open) {
        menu.open = false;
      }
    });
  }

  document.addEventListener("toggle", function (event) {
    var menu = event.target;
    if (menu.matches && menu.matches(SELECTOR) && menu.open) {
      closeAll(menu);
    }
  }, true);

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") {
      return;
    }
    menus().forEach(function (menu) {
      if (menu.open) {
        menu.open = false;
        if (menu.contains(document.activeElement)) {
          menu.querySelector("summary").focus();
        }
      }
    });
  });

  function outside(event) {
    var inside = event.target.closest && event.target.closest(SELECTOR);
    closeAll(inside || null);
  }

  document.addEventListener("click", outside);
  document.addEventListener("focusin", outside);
})();
