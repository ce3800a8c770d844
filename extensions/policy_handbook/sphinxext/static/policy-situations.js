/* Situation guides and the "what applies to me" filter (render/situations.py).
 *
 * Without this script the page offers the same as links to anchors. With it:
 * - the municipality choice (radio group) shows one municipality or all side by
 *   side, and is remembered in localStorage;
 * - the role filter (radio group) hides what does not name the chosen role and
 *   says in a live region how many items are shown.
 * Text from the page is only ever moved with textContent, never parsed as HTML.
 */
(function () {
  "use strict";

  // A fragment (or a link's) as an element ID. decodeURIComponent throws URIError on
  // malformed percent-encoding (#%, #%E0%A4%A), which would stop the set-up of every
  // control after it: such a fragment is taken as written (it names no element).
  function fragmentId(fragment) {
    try { return decodeURIComponent(fragment); } catch (e) { return fragment; }
  }

  function storageGet(key) {
    try { return window.localStorage.getItem(key); } catch (e) { return null; }
  }
  function storageSet(key, value) {
    try { window.localStorage.setItem(key, value); } catch (e) { /* private mode: not remembered */ }
  }

  // -- municipality choice ---------------------------------------------------

  function setupMunicipality(box) {
    var key = box.getAttribute("data-storage-key");
    var radios = Array.prototype.slice.call(box.querySelectorAll('input[type="radio"]'));
    var page = box.closest(".policy-situation") || document;
    var columns = page.querySelector(".policy-situation-columns");
    var cities = Array.prototype.slice.call(page.querySelectorAll(".policy-situation-city"));

    function show(value, remember) {
      if (!radios.some(function (r) { return r.value === value; })) value = "all";
      cities.forEach(function (city) {
        city.hidden = !(value === "all" || city.getAttribute("data-document") === value);
      });
      if (columns) columns.classList.toggle("policy-situation-single", value !== "all");
      radios.forEach(function (r) { r.checked = r.value === value; });
      if (remember) storageSet(key, value);
    }

    radios.forEach(function (r) {
      r.addEventListener("change", function () { if (r.checked) show(r.value, true); });
    });
    // A link to one municipality's part (the home page's) always shows it.
    function fromHash(remember) {
      var id = fragmentId(window.location.hash.slice(1));
      var target = id && document.getElementById(id);
      var city = target && target.closest(".policy-situation-city");
      if (city && city.hidden) {
        show(city.getAttribute("data-document"), remember);
        target.scrollIntoView();  // it had no place on the page when the browser scrolled
      }
    }
    show(storageGet(key) || "all", false);
    box.hidden = false;
    var jump = page.querySelector(".policy-situation-jump");
    if (jump) jump.hidden = true;
    fromHash(false);
    window.addEventListener("hashchange", function () { fromHash(false); });
  }

  // -- role filter -----------------------------------------------------------

  function setupRoleFilter(box) {
    var scope = box.closest("article") || document;
    var items = Array.prototype.slice.call(scope.querySelectorAll(box.getAttribute("data-items")));
    var status = box.querySelector(".policy-role-status");
    var choice = box.querySelector(".policy-role-choice");
    var radios = Array.prototype.slice.call(choice.querySelectorAll('input[type="radio"]'));
    var byRole = {};
    Array.prototype.forEach.call(box.querySelectorAll(".policy-role-list"), function (list) {
      var ids = {};
      Array.prototype.forEach.call(list.querySelectorAll('a[href^="#"]'), function (a) {
        ids[fragmentId(a.getAttribute("href").slice(1))] = true;
      });
      byRole[list.getAttribute("data-role")] = ids;
    });

    function labelOf(radio) {
      var label = choice.querySelector('label[for="' + radio.id + '"]');
      return label ? label.textContent : radio.value;
    }

    function apply(radio) {
      var ids = byRole[radio.value];
      var shown = 0;
      items.forEach(function (item) {
        item.hidden = false;
        item.classList.remove("policy-role-context");
      });
      if (ids) {
        // Innermost first: a parent stays, as context, when one of its sub-items is shown.
        items.slice().reverse().forEach(function (item) {
          var own = Boolean(ids[item.id]);
          var inner = item.querySelector(".policy-role-match");
          item.classList.toggle("policy-role-match", own);
          if (own) shown += 1;
          else if (inner) item.classList.add("policy-role-context");
          else item.hidden = true;
        });
        status.textContent = status.getAttribute("data-template")
          .replace("{role}", labelOf(radio)).replace("{count}", String(shown));
      } else {
        items.forEach(function (item) { item.classList.remove("policy-role-match"); });
        status.textContent = status.getAttribute("data-all");
      }
    }

    radios.forEach(function (r) {
      r.addEventListener("change", function () { if (r.checked) apply(r); });
    });
    radios[0].checked = true;
    choice.hidden = false;
  }

  // The controls shown above a city's part (the choice, the role filter) move it
  // after the browser scrolled to the link's target: put the target back on screen.
  function keepLinkedPartInView() {
    var id = fragmentId(window.location.hash.slice(1));
    var target = id && document.getElementById(id);
    if (target && target.closest(".policy-situation-city")) target.scrollIntoView();
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll(".policy-municipality-choice"), setupMunicipality);
    Array.prototype.forEach.call(document.querySelectorAll(".policy-role-filter"), setupRoleFilter);
    keepLinkedPartInView();
    window.addEventListener("load", keepLinkedPartInView, { once: true });  // fonts and images settle
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
