/* The signing page: the device's clock on each signing form, and the drawn signature (signature_pad, vendored)
   kept as stroke data in a hidden field. The pad can take the whole screen; when the screen turns or resizes
   the canvas is resized and the strokes drawn again, scaled, so that nothing is lost. Without script the
   typed name is the way to sign. */
(function () {
  "use strict";
  document.querySelectorAll("form.sign-form").forEach(function (form) {
    form.addEventListener("submit", function () {
      var now = new Date();
      form.elements.device_time.value = now.toISOString() + " UTC" + (now.getTimezoneOffset() > 0 ? "-" : "+") +
        Math.abs(now.getTimezoneOffset() / 60);
    });
  });
  var box = document.getElementById("pad-box");
  var canvas = document.getElementById("pad");
  if (!box || !canvas || typeof window.SignaturePad !== "function") { return; }
  box.hidden = false;
  var pad = new window.SignaturePad(canvas, {penColor: "#000"});
  var field = document.getElementById("strokes");
  var drawnWidth = 0;
  var drawnHeight = 0;

  function strokes() {
    return pad.toData().map(function (group) {
      return {points: group.points.map(function (p) { return {x: p.x, y: p.y, time: p.time}; })};
    });
  }

  function resize() {
    var width = canvas.offsetWidth;
    var height = canvas.offsetHeight;
    if (!width || !height) { return; }
    var data = pad.toData();
    // One factor for both axes, the smaller: the signature keeps its shape and stays inside the box.
    var scale = drawnWidth ? Math.min(width / drawnWidth, height / drawnHeight) : 1;
    var ratio = Math.max(window.devicePixelRatio || 1, 1);
    canvas.width = width * ratio;
    canvas.height = height * ratio;
    canvas.getContext("2d").scale(ratio, ratio);
    pad.clear();
    if (data.length) {
      data.forEach(function (group) {
        group.points.forEach(function (p) { p.x *= scale; p.y *= scale; });
      });
      pad.fromData(data);
      field.value = JSON.stringify(strokes());
    }
    drawnWidth = width;
    drawnHeight = height;
  }

  function full(on) {
    box.classList.toggle("is-full", on);
    document.body.classList.toggle("signing-full", on);
    document.getElementById("pad-done").hidden = !on;
    document.getElementById("pad-full").hidden = on;
    resize();
  }

  pad.addEventListener("endStroke", function () { field.value = JSON.stringify(strokes()); });
  document.getElementById("pad-clear").addEventListener("click", function () { pad.clear(); field.value = ""; });
  document.getElementById("pad-full").addEventListener("click", function () { full(true); });
  document.getElementById("pad-done").addEventListener("click", function () { full(false); });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && box.classList.contains("is-full")) { full(false); }
  });
  window.addEventListener("resize", resize);
  window.addEventListener("orientationchange", resize);
  resize();
  window.signaturePadForTests = pad;
}());
