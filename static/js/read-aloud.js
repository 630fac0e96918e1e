/* Read-aloud buttons on the questionnaire: where the browser can speak (speechSynthesis), show each
   button[data-read] and read the element it names, in the page's language. Without it the buttons stay
   hidden and the page works as it is. Loaded as a file: the content security policy allows no inline script. */
(function () {
  "use strict";
  if (!("speechSynthesis" in window) || typeof window.SpeechSynthesisUtterance !== "function") {
    return;
  }
  var lang = document.documentElement.lang || "ro";
  var buttons = document.querySelectorAll("button[data-read]");

  function textOf(targets) {
    var parts = targets.map(function (target) { return target.innerText; });
    // On a question, read the answers too, in order.
    document.querySelectorAll(".answer-label").forEach(function (label) { parts.push(label.innerText); });
    return parts.join(". ");
  }

  function reset(button) {
    var label = button.querySelector(".read-aloud-label");
    if (button.dataset.readLabel) { label.textContent = button.dataset.readLabel; }
    button.setAttribute("aria-pressed", "false");
  }

  buttons.forEach(function (button) {
    // data-read names one or more elements, by id, read in that order.
    var targets = button.dataset.read.split(" ").map(function (id) { return document.getElementById(id); })
      .filter(Boolean);
    if (!targets.length) { return; }
    button.hidden = false;
    button.setAttribute("aria-pressed", "false");
    button.addEventListener("click", function () {
      var label = button.querySelector(".read-aloud-label");
      if (window.speechSynthesis.speaking) {
        window.speechSynthesis.cancel();
        reset(button);
        return;
      }
      var utterance = new window.SpeechSynthesisUtterance(textOf(targets));
      utterance.lang = lang === "ro" ? "ro-RO" : lang === "pt" ? "pt-PT" : "en-GB";
      utterance.rate = 0.9;
      utterance.onend = utterance.onerror = function () { reset(button); };
      button.dataset.readLabel = label.textContent;
      label.textContent = button.dataset.stopLabel;
      button.setAttribute("aria-pressed", "true");
      window.speechSynthesis.speak(utterance);
    });
  });
})();
