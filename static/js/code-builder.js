// The participant code builder (docs/checkins.md, "Codes a participant can rebuild").
// It must compute exactly what sessions_app/code_recipe.py's build_code does: a
// browser test runs both over the same table of inputs. The facts typed here stay
// in this page: the inputs have no name, so no form post or draft carries them, and
// their input events stop here so the autosave never even runs for them.
(function () {
  "use strict";

  var EXTRA_FOLDS = { "ß": "SS", "Æ": "AE", "Œ": "OE", "Ø": "O", "Ł": "L", "Đ": "D", "Þ": "TH", "ı": "I" };

  function foldLetters(text) {
    var out = "";
    Array.from(text).forEach(function (c) {
      out += EXTRA_FOLDS[c] || EXTRA_FOLDS[c.toUpperCase()] || c;
    });
    return out.toUpperCase().normalize("NFKD").replace(/[^A-Z]/g, "");
  }

  // parts: [{key, kind: "letters"|"number", size, low, high}]; facts: {key: string}.
  function buildCode(parts, facts) {
    var pieces = [];
    for (var i = 0; i < parts.length; i++) {
      var part = parts[i];
      var value = String(facts[part.key] || "").replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, "");
      if (part.kind === "letters") {
        var letters = foldLetters(value);
        if (!letters) return "";
        letters = letters.slice(0, part.size);
        while (letters.length < part.size) letters += "X";
        pieces.push(letters);
      } else {
        if (!/^[0-9]{1,4}$/.test(value)) return "";
        var n = parseInt(value, 10);
        if (n < part.low || n > part.high) return "";
        var digits = String(n);
        while (digits.length < part.size) digits = "0" + digits;
        pieces.push(digits);
      }
    }
    return pieces.join("");
  }

  window.buildParticipantCode = buildCode;

  document.querySelectorAll("[data-code-builder]").forEach(function (builder) {
    var parts = JSON.parse(builder.getAttribute("data-code-builder"));
    var output = builder.querySelector("output");
    var use = builder.querySelector("[data-use-code]");
    var target = document.getElementById(builder.getAttribute("data-code-target"));
    var inputs = builder.querySelectorAll("input[data-part]");
    builder.hidden = false;
    document.querySelectorAll("[data-code-builder-off]").forEach(function (note) { note.hidden = true; });

    function update() {
      var facts = {};
      inputs.forEach(function (input) { facts[input.getAttribute("data-part")] = input.value; });
      var code = buildCode(parts, facts);
      output.textContent = code || output.getAttribute("data-empty");
      use.disabled = !code;
      return code;
    }

    inputs.forEach(function (input) {
      ["input", "change"].forEach(function (type) {
        input.addEventListener(type, function (event) {
          event.stopPropagation();
          update();
        });
      });
    });
    use.addEventListener("click", function () {
      var code = update();
      if (!code || !target) return;
      target.value = code;
      target.dispatchEvent(new Event("input", { bubbles: true }));
      // Forget the facts as soon as the code is taken.
      inputs.forEach(function (input) { input.value = ""; });
      update();
      output.textContent = code;
      target.focus();
    });
    update();
  });
})();
