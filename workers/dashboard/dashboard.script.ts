/**
 * The dashboard's one script, run under each page's CSP nonce (no inline handlers, no framework):
 * the pages read without it; it adds sign-in, sign-out, the mode switch and the actions. Every
 * change is a `fetch` to the same `/v1` API (or the session API) with the session's CSRF token
 * (OWASP's synchronizer token; the server also checks `Origin`). An action's POST carries an
 * `Idempotency-Key` that the form keeps for the same body until an answer says how it went (any
 * status below 500 but a 409, which may be the same request still running): a press again after a lost answer or a 5xx retries the same request and can
 * never refund twice; a new amount is a new key. An action asks for confirmation first (a second
 * press), and the API's answer, an error included, is shown beside it.
 */
export const DASHBOARD_SCRIPT = `(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("dashboard-config").textContent);

  function call(method, url, body, key) {
    var headers = { Accept: "application/json" };
    if (config.csrf) headers["X-CSRF-Token"] = config.csrf;
    if (method === "POST") headers["Idempotency-Key"] = key || crypto.randomUUID();
    if (body !== undefined) headers["Content-Type"] = "application/json";
    return fetch(url, {
      method: method,
      headers: headers,
      credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body)
    }).then(function (response) {
      return response.text().then(function (text) {
        var json = {};
        try { json = text ? JSON.parse(text) : {}; } catch (e) { json = {}; }
        return { ok: response.ok, status: response.status, json: json };
      });
    });
  }

  function say(element, message, kind) {
    if (!element) return;
    element.textContent = message;
    element.className = "status" + (kind ? " " + kind : "");
    element.setAttribute("role", kind === "error" ? "alert" : "status");
  }

  function errorText(answer) {
    var error = answer.json && answer.json.error;
    if (!error) return "The request failed (" + answer.status + ").";
    return error.message + (error.code ? " (" + error.code + ")" : "");
  }

  /** "12.50" in a currency of exponent 2 -> 1250, from integers only (no float rounds money). */
  function minorUnits(text, exponent) {
    var match = /^(\\d+)(?:\\.(\\d+))?$/.exec(text.trim());
    if (!match || (match[2] || "").length > exponent) return null;
    var fraction = (match[2] || "").padEnd(exponent, "0");
    return Number(match[1]) * Math.pow(10, exponent) + (fraction ? Number(fraction) : 0);
  }

  var login = document.getElementById("login-form");
  if (login) {
    login.addEventListener("submit", function (event) {
      event.preventDefault();
      var status = document.getElementById("login-status");
      var totpField = document.getElementById("totp-field");
      var body = { email: login.email.value, password: login.password.value };
      if (!totpField.hidden && login.totp.value) body.totp = login.totp.value;
      var button = login.querySelector("button");
      button.disabled = true;
      say(status, "Signing in…");
      call("POST", "/dashboard/api/session", body).then(function (answer) {
        button.disabled = false;
        if (answer.ok) { window.location.assign(config.next || "/dashboard"); return; }
        var code = answer.json.error && answer.json.error.code;
        if (code === "totp_required") {
          totpField.hidden = false;
          login.totp.required = true;
          login.totp.focus();
          say(status, "Enter the 6-digit code from your authenticator app.");
          return;
        }
        say(status, errorText(answer), "error");
      }, function () {
        button.disabled = false;
        say(status, "Could not reach the gateway. Check your connection.", "error");
      });
    });
  }

  var pageStatus = document.getElementById("page-status");
  var signOut = document.getElementById("sign-out");
  if (signOut) {
    signOut.addEventListener("click", function () {
      call("DELETE", "/dashboard/api/session").then(function () {
        window.location.assign("/dashboard/login");
      });
    });
  }
  var modeSwitch = document.getElementById("mode-switch");
  if (modeSwitch) {
    modeSwitch.addEventListener("click", function () {
      modeSwitch.disabled = true;
      call("PUT", "/dashboard/api/session/mode", { mode: modeSwitch.dataset.mode }).then(function (answer) {
        if (answer.ok) { window.location.reload(); return; }
        modeSwitch.disabled = false;
        say(pageStatus, errorText(answer), "error");
      });
    });
  }

  function bodyOf(form) {
    var body = {};
    var fields = form.querySelectorAll("input[name], select[name], textarea[name]");
    for (var i = 0; i < fields.length; i++) {
      var field = fields[i];
      if (field.value === "") continue;
      if (field.dataset.exponent !== undefined) {
        var amount = minorUnits(field.value, Number(field.dataset.exponent));
        if (amount === null) return { invalid: field };
        body[field.name] = amount;
      } else if (field.dataset.integer !== undefined) {
        body[field.name] = Number(field.value);
      } else {
        body[field.name] = field.value;
      }
    }
    return { body: body };
  }

  function reset(form) {
    delete form.dataset.confirming;
    form.querySelector(".confirm").hidden = true;
    form.querySelector(".back").hidden = true;
    var submit = form.querySelector("button[type=submit]");
    submit.textContent = submit.dataset.label;
  }

  var forms = document.querySelectorAll("form.action");
  for (var f = 0; f < forms.length; f++) {
    (function (form) {
      var submit = form.querySelector("button[type=submit]");
      var status = form.querySelector(".status");
      submit.dataset.label = submit.textContent;
      form.querySelector(".back").addEventListener("click", function () { reset(form); submit.focus(); });
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        var built = bodyOf(form);
        if (built.invalid) {
          say(status, "Enter an amount such as 12.50 (at most " + built.invalid.dataset.exponent + " decimals).", "error");
          built.invalid.focus();
          return;
        }
        if (!form.dataset.confirming) {
          form.dataset.confirming = "1";
          form.querySelector(".confirm").hidden = false;
          form.querySelector(".back").hidden = false;
          submit.textContent = "Confirm";
          say(status, "");
          submit.focus();
          return;
        }
        // One key per request body, kept until an answer says how it went (see the top).
        var request = JSON.stringify(built.body === undefined ? null : built.body);
        if (form.dataset.keyFor !== request) {
          form.dataset.key = crypto.randomUUID();
          form.dataset.keyFor = request;
        }
        submit.disabled = true;
        say(status, "Working…");
        call(form.dataset.method || "POST", form.dataset.url, built.body, form.dataset.key).then(function (answer) {
          submit.disabled = false;
          reset(form);
          // A 409 may be this very request still running (its answer was the lost one): keep the key.
          var settled = answer.status < 500 && answer.status !== 409;
          if (settled) { delete form.dataset.key; delete form.dataset.keyFor; }
          if (!answer.ok) { say(status, errorText(answer), "error"); return; }
          if (answer.json.secret) {
            var shown = document.getElementById("secret-once");
            shown.hidden = false;
            shown.querySelector("code").textContent = answer.json.secret;
            say(status, "Done. Copy the new key now: it is shown only once.", "ok");
            return;
          }
          say(status, "Done.", "ok");
          window.setTimeout(function () { window.location.reload(); }, 600);
        }, function () {
          submit.disabled = false;
          reset(form);
          say(status, "No answer arrived: press again to retry the same request (it cannot be done twice), or reload the page to see whether it was done.", "error");
        });
      });
    })(forms[f]);
  }
})();`;
