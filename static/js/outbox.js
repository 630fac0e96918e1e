/* The mentor's outbox: attendance recorded without signal is kept in IndexedDB on the phone and sent, in the
   order it was recorded, when the page opens, comes back to the foreground or the network returns.

   Each save carries a key made here (the server answers a repeated key with its first answer, so a save whose
   answer was lost is sent again safely) and the record version the page showed. A save the server refuses
   because the day changed meanwhile is kept aside and shown with both values; the mentor chooses.

   With signal and an empty outbox the page works as before (htmx posts the form); the outbox takes over when
   the phone is offline, while saves are waiting (to keep their order), or when a Today save fails to send.
   Saves are kept per user: on a shared phone one user's saves are never sent as another's. */
(function () {
  "use strict";
  var box = document.getElementById("outbox");
  if (!box || !("indexedDB" in window)) { return; }
  var USER = box.dataset.user;
  var DB_NAME = "mobility-outbox";
  var ROW_ACTION = /\/assignments\/(\d+)\/day\/(\d{4}-\d{2}-\d{2})\/$/;
  var CELL = /^s-(\d+)-(\d{4})(\d{2})(\d{2})$/;
  var pending = 0;
  var sending = false;

  // IndexedDB, as promises

  var opened = new Promise(function (resolve, reject) {
    var request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = function () {
      var db = request.result;
      db.createObjectStore("saves", {keyPath: "seq", autoIncrement: true});
      db.createObjectStore("problems", {keyPath: "key"});
    };
    request.onsuccess = function () { resolve(request.result); };
    request.onerror = function () { reject(request.error); };
  });

  function run(storeName, mode, work) {
    return opened.then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(storeName, mode);
        var result = work(tx.objectStore(storeName));
        tx.oncomplete = function () { resolve(result && "result" in result ? result.result : result); };
        tx.onerror = function () { reject(tx.error); };
      });
    });
  }

  function all(storeName) {
    return run(storeName, "readonly", function (store) { return store.getAll(); }).then(function (rows) {
      return rows.filter(function (row) { return row.user === USER; });
    });
  }

  function newKey() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 12);
  }

  // What the page shows

  function show(id, visible) { document.getElementById(id).hidden = !visible; }

  function badge() {
    return all("saves").then(function (saves) {
      pending = saves.length;
      document.getElementById("outbox-badge").textContent = box.dataset.notSent.replace("__N__", pending);
      show("outbox-badge-line", pending > 0);
      show("outbox-warning", pending > 0 || !navigator.onLine);
      show("outbox-offline", !navigator.onLine);
    });
  }

  function problem(text) {
    var line = document.getElementById("outbox-problem");
    line.textContent = text || "";
    line.hidden = !text;
  }

  function describe(value) {
    if (!value) { return box.dataset.nothing; }
    var parts = [value.label || value.status];
    if (value.reason) { parts.push(value.reason); }
    if (value.hours && Number(value.hours)) { parts.push(value.hours + " h"); }
    if (value.by) { parts.push(value.by + ", " + value.at); }
    return parts.join(" · ");
  }

  function button(text, css, onClick) {
    var element = document.createElement("button");
    element.type = "button";
    element.className = "btn btn-sm " + css;
    element.textContent = text;
    element.addEventListener("click", onClick);
    return element;
  }

  function drawProblems() {
    return all("problems").then(function (problems) {
      var list = document.getElementById("outbox-conflict-list");
      list.textContent = "";
      problems.forEach(function (item) {
        var li = document.createElement("li");
        li.className = "list-group-item";
        li.dataset.conflict = item.assignment + "-" + item.date;
        var title = document.createElement("p");
        title.className = "fw-semibold mb-1";
        title.textContent = item.name + ", " + item.date;
        li.appendChild(title);
        var actions = document.createElement("div");
        actions.className = "d-flex flex-wrap gap-2";
        if (item.theirs !== undefined) {
          [[box.dataset.yours, item.mine, "mine"], [box.dataset.theirs, item.theirs, "theirs"]].forEach(function (pair) {
            var line = document.createElement("p");
            line.className = "mb-1";
            line.dataset.side = pair[2];
            var label = document.createElement("strong");
            label.textContent = pair[0] + ": ";
            line.appendChild(label);
            line.appendChild(document.createTextNode(describe(pair[1])));
            li.appendChild(line);
          });
          actions.appendChild(button(box.dataset.keepMine, "btn-primary", function () { keepMine(item); }));
          actions.appendChild(button(box.dataset.keepTheirs, "btn-outline-secondary", function () { keepTheirs(item); }));
        } else {
          var error = document.createElement("p");
          error.className = "mb-1 text-danger";
          error.textContent = box.dataset.notSaved + " " + item.error + " (" + describe(item.mine) + ")";
          li.appendChild(error);
          actions.appendChild(button(box.dataset.dismiss, "btn-outline-secondary", function () { forget(item); }));
        }
        li.appendChild(actions);
        list.appendChild(li);
      });
      show("outbox-conflicts", problems.length > 0);
    });
  }

  function refresh() { return Promise.all([badge(), drawProblems()]); }

  // The page's rows and cells, kept in step with the outbox

  function markRow(save, value, waiting) {
    var row = document.getElementById("row-" + save.assignment);
    var form = row && row.querySelector("form");
    var match = form && (form.getAttribute("action") || "").match(ROW_ACTION);
    if (!match || match[2] !== save.date) { return; }
    var state = row.querySelector("[data-status]");
    state.dataset.status = value ? value.status : "";
    state.textContent = describe(value ? {label: value.label, reason: value.reason} : null) +
      (waiting ? " · " + box.dataset.pending : "");
    if (value && value.version !== undefined && !waiting) { form.querySelector("input[name=version]").value = value.version; }
    row.querySelectorAll("button[name=status]").forEach(function (b) {
      var on = value && b.value === value.status;
      b.setAttribute("aria-pressed", on ? "true" : "false");
      b.classList.toggle("btn-primary", on);
      b.classList.toggle("btn-outline-primary", !on);
    });
  }

  function markCell(save, value, waiting) {
    var suffix = save.assignment + "-" + save.date.replace(/-/g, "");
    var select = document.getElementById("s-" + suffix);
    if (!select) { return; }
    var cell = select.closest("td");
    var note = cell.querySelector(".outbox-pending");
    if (waiting && !note) {
      note = document.createElement("div");
      note.className = "outbox-pending small text-warning-emphasis";
      note.textContent = box.dataset.pending;
      cell.appendChild(note);
    } else if (!waiting && note) {
      note.remove();
    }
    if (!waiting && value) {
      var version = cell.querySelector("input[name=v-" + suffix + "]");
      if (version) { version.value = value.version; }
      Array.prototype.forEach.call(select.options, function (option) { option.defaultSelected = option.value === value.status; });
      select.value = value.status;
      ["r-", "h-"].forEach(function (prefix) {
        var input = cell.querySelector("input[name=" + prefix + suffix + "]");
        if (input) { input.defaultValue = input.value; }
      });
    }
  }

  function mark(save, value, waiting) {
    markRow(save, value, waiting);
    markCell(save, value, waiting);
  }

  // Queueing and sending

  function queue(saves) {
    if (!saves.length) { return Promise.resolve(); }
    return all("saves").then(function (waiting) {
      return run("saves", "readwrite", function (store) {
        saves.forEach(function (save) {
          // A later tap on the same day replaces one not sent yet; both started from the same version.
          waiting.filter(function (old) { return old.assignment === save.assignment && old.date === save.date; })
            .forEach(function (old) { store.delete(old.seq); });
          save.user = USER;
          save.key = save.key || newKey();
          save.device_time = new Date().toISOString();
          store.add(save);
        });
      });
    }).then(function () {
      saves.forEach(function (save) { mark(save, {status: save.status, label: save.label, reason: save.reason}, true); });
      return refresh();
    }).then(send);
  }

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : box.querySelector("input[name=csrfmiddlewaretoken]").value;
  }

  function post(save) {
    var body = new FormData();
    ["key", "assignment", "date", "status", "hours", "reason", "version", "device_time"].forEach(function (name) {
      body.append(name, save[name] === undefined ? "" : save[name]);
    });
    return fetch(box.dataset.saveUrl, {
      method: "POST", body: body, credentials: "same-origin", redirect: "manual",
      headers: {"X-CSRFToken": csrfToken(), "Accept": "application/json"}
    });
  }

  function same(mine, theirs) {
    return theirs && mine.status === theirs.status && (mine.reason || "") === (theirs.reason || "") &&
      (!mine.hours || Number(mine.hours) === Number(theirs.hours));
  }

  function settle(save, answer) {
    return run("saves", "readwrite", function (store) { store.delete(save.seq); }).then(function () {
      if (answer.ok || (answer.conflict && same(save, answer.theirs))) {
        var saved = answer.ok ? answer.saved : answer.theirs;
        mark(save, saved, false);
        // Saves of the same day queued after this one started from the version this one replaced.
        return all("saves").then(function (rest) {
          return run("saves", "readwrite", function (store) {
            rest.forEach(function (next) {
              if (next.assignment === save.assignment && next.date === save.date && Number(next.version) === Number(save.version)) {
                next.version = saved.version;
                store.put(next);
              }
            });
          });
        });
      }
      var item = {key: save.key, user: USER, assignment: save.assignment, date: save.date, name: save.name,
        mine: {status: save.status, label: save.label, hours: save.hours, reason: save.reason}, error: answer.error};
      if (answer.conflict) { item.theirs = answer.theirs; }
      mark(save, answer.theirs || null, false);
      return run("problems", "readwrite", function (store) { store.put(item); });
    });
  }

  function send() {
    if (sending || !navigator.onLine) { return refresh(); }
    sending = true;
    problem("");
    function next() {
      return all("saves").then(function (saves) {
        if (!saves.length) { return null; }
        var save = saves[0];
        return post(save).then(function (response) {
          if (response.type === "opaqueredirect" || response.status === 401) {
            problem(box.dataset.signIn);
            return null;
          }
          if (response.status === 403 || response.status === 404) {
            // The learner is no longer this user's to record: the save cannot ever go through.
            return settle(save, {ok: false, conflict: false, error: box.dataset.refused}).then(next);
          }
          if (!response.ok) {
            problem(box.dataset.refused);
            return null;
          }
          return response.json().then(function (answer) { return settle(save, answer); }).then(next);
        });
      });
    }
    return next().catch(function () { return null; }).then(function () {
      sending = false;
      return refresh();
    });
  }

  function keepMine(item) {
    var save = {assignment: item.assignment, date: item.date, name: item.name, status: item.mine.status,
      label: item.mine.label, hours: item.mine.hours || "", reason: item.mine.reason || "", version: item.theirs ? item.theirs.version : 0};
    return forget(item).then(function () { return queue([save]); });
  }

  function keepTheirs(item) { return forget(item); }

  function forget(item) {
    return run("problems", "readwrite", function (store) { store.delete(item.key); }).then(refresh);
  }

  // What the forms post, read before htmx sends it

  function fromRow(form, submitter) {
    var match = form.getAttribute("action").match(ROW_ACTION);
    var row = form.closest("li");
    var name = row && row.querySelector(".fw-semibold");
    return {
      assignment: match[1], date: match[2], status: submitter.value, label: submitter.textContent.trim(),
      hours: form.elements.hours.value, reason: form.elements.reason.value, version: form.elements.version.value,
      name: name ? name.textContent.trim() : ""
    };
  }

  function fromGrid(form) {
    var saves = [];
    Array.prototype.forEach.call(form.querySelectorAll("select[name^='s-']"), function (select) {
      var match = select.name.match(CELL);
      if (!match || !select.value) { return; }
      var suffix = select.name.slice(2);
      var reason = form.elements["r-" + suffix];
      var hours = form.elements["h-" + suffix];
      var chosen = select.options[select.selectedIndex];
      var changed = !chosen.defaultSelected || (reason && reason.value !== reason.defaultValue) ||
        (hours && hours.value !== hours.defaultValue);
      if (!changed) { return; }
      var header = select.closest("tr").querySelector("th");
      saves.push({
        assignment: match[1], date: match[2] + "-" + match[3] + "-" + match[4], status: select.value,
        label: chosen.textContent.trim(), hours: hours ? hours.value : "", reason: reason ? reason.value : "",
        version: form.elements["v-" + suffix].value, name: header ? header.textContent.trim() : ""
      });
    });
    return saves;
  }

  function takeOver() { return !navigator.onLine || pending > 0; }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var action = form.getAttribute("action") || "";
    var isRow = ROW_ACTION.test(action) && event.submitter && event.submitter.name === "status";
    var isGrid = !isRow && form.querySelector("select[name^='s-']") !== null;
    if (isRow) { form.outboxSubmitter = event.submitter; }
    if (!(isRow || isGrid) || !takeOver()) { return; }
    event.preventDefault();
    event.stopImmediatePropagation();
    queue(isRow ? [fromRow(form, event.submitter)] : fromGrid(form));
  }, true);

  // A Today save that could not reach the server goes to the outbox instead of being lost.
  document.addEventListener("htmx:sendError", function (event) {
    var form = event.detail.elt;
    if (form && form.outboxSubmitter && ROW_ACTION.test(form.getAttribute("action") || "")) {
      queue([fromRow(form, form.outboxSubmitter)]);
    }
  });

  window.addEventListener("online", send);
  window.addEventListener("offline", refresh);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") { send(); }
  });

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(box.dataset.workerUrl, {scope: "/"}).catch(function () { return null; });
  }
  if (navigator.storage && navigator.storage.persist) {
    navigator.storage.persisted().then(function (already) { return already || navigator.storage.persist(); })
      .catch(function () { return null; });
  }
  window.mobilityOutbox = {send: send, queue: queue, ready: refresh().then(send)};
}());
