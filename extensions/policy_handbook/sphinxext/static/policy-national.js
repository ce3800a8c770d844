/* The national overview's filter: by prefecture and by name, on the table the page already has.
 * Without JavaScript the whole table shows and the form stays hidden. */
"use strict";
(function () {
  var form = document.querySelector(".policy-national-filter");
  var table = document.querySelector(".policy-coverage");
  if (!form || !table) return;
  var prefecture = form.querySelector("#policy-filter-prefecture");
  var name = form.querySelector("#policy-filter-name");
  var status = document.querySelector(".policy-national-status");
  var rows = Array.from(table.tBodies[0].rows);
  var timer = null;
  function apply() {
    var pref = prefecture.value, query = name.value.trim().normalize("NFKC").toLowerCase(), shown = 0;
    rows.forEach(function (row) {
      var label = row.cells[0].textContent.normalize("NFKC").toLowerCase();
      var visible = (!pref || row.dataset.prefecture === pref) && (!query || label.indexOf(query) >= 0);
      row.hidden = !visible;
      if (visible) shown++;
    });
    status.textContent = status.dataset.template.replace("{shown}", shown).replace("{total}", rows.length);
  }
  form.hidden = false;
  form.addEventListener("submit", function (event) { event.preventDefault(); apply(); });
  prefecture.addEventListener("change", apply);
  // Announce once typing pauses, not on every key.
  name.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(apply, 250); });
})();
