/* "Compare with…" on a guideline's page: choose another municipality, open the pair
 * on the compare page (compare.html?a=<this>&b=<chosen>, a plain GET form).
 *
 * The page carries no list of municipalities (1,741 names on every guideline page
 * would make the site grow with N²): when the reader opens the form, the list is
 * copied from the compare page's own second <select> (its <optgroup>s by
 * prefecture), parsed with DOMParser, which runs no script; only <optgroup> and
 * <option> elements are taken over. Without JavaScript the link to
 * compare.html?a=<this> stays, and the compare page offers the same choice.
 */
"use strict";
(function () {
  document.querySelectorAll(".policy-compare-with").forEach(function (root) {
    var linkLine = root.querySelector(".policy-compare-with-link");
    var form = root.querySelector(".policy-compare-with-form");
    var status = root.querySelector(".policy-compare-with-status");
    if (!linkLine || !form || !status || !window.fetch || !window.DOMParser) return;
    var select = form.querySelector("select");
    var self = form.elements.a.value;
    var labels = JSON.parse(root.dataset.labels);
    var loaded = null;

    var button = document.createElement("button");
    button.type = "button";
    button.className = "policy-compare-with-open";
    button.textContent = linkLine.textContent;
    button.setAttribute("aria-expanded", "false");
    button.setAttribute("aria-controls", form.id);
    linkLine.hidden = true;
    root.insertBefore(button, linkLine);

    function copyChoices(html) {
      var source = new DOMParser().parseFromString(html, "text/html").querySelector(".policy-compare-form select[name=b]");
      if (!source) throw new Error("no list of municipalities on " + form.action);
      var choices = [new Option(labels.choose, "")];
      Array.prototype.forEach.call(source.children, function (child) {
        if (child.tagName !== "OPTGROUP" && child.tagName !== "OPTION") return;
        var copy = document.importNode(child, true);
        var options = copy.tagName === "OPTION" ? [copy] : Array.prototype.slice.call(copy.querySelectorAll("option"));
        options.forEach(function (option) {
          option.removeAttribute("selected");
          if (option.value === self && option !== copy) option.remove();
        });
        if (copy.tagName === "OPTION" ? copy.value !== self : copy.querySelector("option")) choices.push(copy);
      });
      select.replaceChildren.apply(select, choices);
    }

    function load() {
      if (!loaded) {
        status.textContent = labels.loading;
        loaded = fetch(form.action, { credentials: "same-origin" }).then(function (response) {
          if (!response.ok) throw new Error(form.action + ": " + response.status);
          return response.text();
        }).then(copyChoices);
        loaded.catch(function () { loaded = null; });
      }
      return loaded;
    }

    function setOpen(open) {
      form.hidden = !open;
      button.setAttribute("aria-expanded", String(open));
    }

    button.addEventListener("click", function () {
      if (button.getAttribute("aria-expanded") === "true") { setOpen(false); return; }
      load().then(function () {
        status.textContent = "";
        setOpen(true);
        select.focus();
      }).catch(function () {
        status.textContent = labels.failed;
        linkLine.hidden = false;  // the compare page can still be reached
      });
    });
  });
})();
