// The import page works without scripts (paste the CSV into the text area); with them,
// choosing a file puts its text there, so the form posts the same field either way.
(function () {
  var input = document.getElementById("f-csv_file");
  var area = document.getElementById("f-csv");
  if (!input || !area || !window.FileReader) return;
  input.closest(".field").hidden = false;
  input.addEventListener("change", function () {
    var file = input.files && input.files[0];
    if (!file) return;
    var reader = new FileReader();
    reader.onload = function () { area.value = String(reader.result); };
    reader.readAsText(file, "utf-8");
  });
})();
