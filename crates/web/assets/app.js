// keepsim pages: small progressive enhancements. Everything works without them.
(function () {
  "use strict";
  // Copy buttons: <button data-copy="#id">.
  document.addEventListener("click", function (ev) {
    var b = ev.target.closest("[data-copy]");
    if (!b) return;
    var el = document.querySelector(b.getAttribute("data-copy"));
    if (!el) return;
    var text = el.textContent.trim();
    var done = function () { var old = b.textContent; b.textContent = b.getAttribute("data-copied") || "✓"; setTimeout(function () { b.textContent = old; }, 2000); };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(done, function () { select(el); });
    } else { select(el); }
  });
  function select(el) { var r = document.createRange(); r.selectNodeContents(el); var s = window.getSelection(); s.removeAllRanges(); s.addRange(r); }

  // Instant IMEI validation: 15 digits with a valid Luhn check digit (the server checks again).
  function luhnOk(d) {
    var sum = 0;
    for (var i = 0; i < d.length; i++) {
      var n = d.charCodeAt(d.length - 1 - i) - 48;
      if (i % 2 === 1) { n *= 2; if (n > 9) n -= 9; }
      sum += n;
    }
    return sum % 10 === 0;
  }
  document.addEventListener("input", function (ev) {
    var input = ev.target;
    if (!input.matches || !input.matches("input[data-imei]")) return;
    var out = document.getElementById(input.getAttribute("aria-describedby").split(" ")[0]);
    var d = input.value.replace(/[\s-]/g, "");
    var msg = "";
    if (d.length === 0) msg = "";
    else if (!/^\d+$/.test(d)) msg = input.getAttribute("data-msg-digits");
    else if (d.length < 15) msg = input.getAttribute("data-msg-short").replace("{n}", String(15 - d.length));
    else if (d.length > 15) msg = input.getAttribute("data-msg-long");
    else if (!luhnOk(d)) msg = input.getAttribute("data-msg-check");
    else msg = input.getAttribute("data-msg-ok");
    if (out) { out.textContent = msg; out.className = (d.length === 15 && luhnOk(d)) ? "hint" : (msg ? "field-error" : "hint"); }
    input.setAttribute("aria-invalid", msg && !(d.length === 15 && /^\d+$/.test(d) && luhnOk(d)) ? "true" : "false");
  });

  // Auto-submit selects marked data-autosubmit (a submit button stays for keyboards without scripts).
  document.addEventListener("change", function (ev) {
    var s = ev.target;
    if (s.matches && s.matches("select[data-autosubmit]") && s.form) s.form.requestSubmit();
  });

  // The device's UTC offset, so that times are shown on the reader's clock (from the next page on).
  (function () {
    var minutes = String(-new Date().getTimezoneOffset());
    var current = document.cookie.split("; ").filter(function (c) { return c.indexOf("keepsim_tz=") === 0; })[0];
    if (current !== "keepsim_tz=" + minutes) {
      document.cookie = "keepsim_tz=" + minutes + "; path=/; max-age=31536000; samesite=lax" +
        (location.protocol === "https:" ? "; secure" : "");
    }
  })();

  if ("serviceWorker" in navigator) {
    window.addEventListener("load", function () { navigator.serviceWorker.register("/sw.js").catch(function () {}); });
  }
})();

// CSV files picked in the console are read into the form's text area (the server gets plain text).
document.addEventListener("change", function (ev) {
  var input = ev.target;
  if (!input.matches || !input.matches("input[type=file][data-fill]") || !input.files || !input.files[0]) return;
  var target = document.querySelector(input.getAttribute("data-fill"));
  if (!target) return;
  input.files[0].text().then(function (text) { target.value = text; });
});
